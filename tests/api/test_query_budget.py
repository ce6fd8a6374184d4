"""Each list costs the same number of queries whatever the page holds: token, count, rows and
one prefetch per relation."""

import pytest

from apps.api import services
from tests import factories
from tests.api.conftest import ApiClient


@pytest.fixture
def warm_api(user):
    _, secret = services.create_token(owner=user, name="budget")
    api = ApiClient(secret)
    api.get("/contacts")  # records last_used_at, which later calls skip for a minute
    return api


def _fill(user, n):
    for _ in range(n):
        contact = factories.ContactFactory(owner=user)
        contact.tags.add(factories.TagFactory(owner=user))
        factories.FollowUpFactory(owner=user, contact=contact)
        factories.OpportunityFactory(owner=user, organization=contact.organization)
        factories.InteractionFactory(owner=user, contacts=[contact])


LISTS = [
    # token + count + rows + tags
    ("/contacts", 4),
    # token + count + rows (organization joined)
    ("/organizations", 3),
    # token + count + rows (contact joined)
    ("/followups", 3),
    # token + count + rows (organization joined)
    ("/opportunities", 3),
]


@pytest.mark.parametrize(("path", "queries"), LISTS)
def test_list_query_counts_do_not_grow_with_the_page(
    warm_api, user, django_assert_num_queries, path, queries
):
    _fill(user, 2)
    with django_assert_num_queries(queries):
        assert warm_api.get(path).json()["count"] == 2
    _fill(user, 8)
    with django_assert_num_queries(queries):
        assert warm_api.get(path).json()["count"] == 10


def test_reading_a_conversation_is_a_fixed_cost(warm_api, user, django_assert_num_queries):
    contacts = factories.ContactFactory.create_batch(3, owner=user)
    interaction = factories.InteractionFactory(owner=user, contacts=contacts)
    # token + interaction + contacts + follow-ups
    with django_assert_num_queries(4):
        assert len(warm_api.get(f"/conversations/{interaction.pk}").json()["contacts"]) == 3
