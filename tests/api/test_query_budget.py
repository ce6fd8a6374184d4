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


def test_reading_a_contact_and_an_opportunitys_people_are_fixed_costs(
    warm_api, user, django_assert_max_num_queries
):
    opportunity = factories.OpportunityFactory(owner=user)

    contact = factories.ContactFactory(owner=user)
    factories.OpportunityContactFactory(opportunity=opportunity, contact=contact)

    def grow(n):
        # More people on the opportunity, each introduced by the contact, who gains tags.
        for _ in range(n):
            person = factories.ContactFactory(owner=user, introduced_by=contact)
            contact.tags.add(factories.TagFactory(owner=user))
            factories.OpportunityContactFactory(opportunity=opportunity, contact=person)

    grow(1)
    counts = {}
    for size in ("small", "large"):
        with django_assert_max_num_queries(8) as contact_read:
            assert warm_api.get(f"/contacts/{contact.pk}").status_code == 200
        with django_assert_max_num_queries(4) as people_read:
            people = warm_api.get(f"/opportunities/{opportunity.pk}/people").json()
        counts[size] = (len(contact_read), len(people_read))
        grow(8)
    assert len(people) == 10
    assert counts["small"] == counts["large"]
