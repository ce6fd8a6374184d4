"""Pages run the same number of SQL queries whatever the number of contacts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.contacts.models import Contact, Organization, PastEmployment, Tag
from tests import factories

pytestmark = pytest.mark.django_db

# Session, user, the navigation's due badge, the count, the page of rows and their tags (the tag
# and organization filters search instead of listing every tag and organization).
LIST_QUERIES = 6
# Upper bound for the profile: its own queries plus the other apps' sections, which grow as
# those apps are built; the exact figure is asserted equal at both sizes.
DETAIL_QUERY_CEILING = 30


def _populate(owner, n: int) -> Contact:
    """`n` contacts spread over organizations and tags, all introduced by the first one, each
    with a past organization (the first one with several)."""
    orgs = Organization.objects.bulk_create(
        Organization(owner=owner, name=f"Org {i}", is_target=i % 2 == 0) for i in range(10)
    )
    tags = Tag.objects.bulk_create(Tag(owner=owner, name=f"tag {i}") for i in range(5))
    hub = Contact.objects.create(owner=owner, full_name="Hub", organization=orgs[0])
    hub.tags.set(tags)
    people = Contact.objects.bulk_create(
        Contact(
            owner=owner,
            full_name=f"Person {i:04d}",
            organization=orgs[i % 10],
            introduced_by=hub,
            cadence_days=30 if i % 3 == 0 else None,
        )
        for i in range(n - 1)
    )
    Contact.tags.through.objects.bulk_create(
        Contact.tags.through(contact_id=person.pk, tag_id=tags[i % 5].pk)
        for i, person in enumerate(people)
    )
    PastEmployment.objects.bulk_create(
        [
            *(
                PastEmployment(owner=owner, contact=hub, organization=org, until=2010 + i)
                for i, org in enumerate(orgs[1:])
            ),
            *(
                PastEmployment(owner=owner, contact=person, organization=orgs[(i + 1) % 10])
                for i, person in enumerate(people)
            ),
        ]
    )
    introducer = factories.ContactFactory(owner=owner, full_name="Introducer")
    Contact.objects.filter(pk=hub.pk).update(introduced_by=introducer)
    return hub


def _count(client, url) -> int:
    client.get(url)  # warm the session and any per-process caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("size", [5, 500])
@pytest.mark.parametrize(
    ("query", "extra", "htmx_extra"),
    [
        ("", 0, 0),
        # A search's count rides along with its rows (core.pagination.CountedPaginator).
        ("?q=person&sort=-last", -1, -1),
        # The tag filter is checked to be the owner's (one more query), and its box shows the
        # picked tag's name (one more, on the full page only).
        ("?target=on&archived=all&sort=created&tag=__TAG__", 2, 1),
    ],
)
def test_list_page_runs_a_fixed_number_of_queries(
    client_for, user, size, query, extra, htmx_extra, django_assert_num_queries
):
    _populate(user, size)
    client = client_for(user)
    query = query.replace("__TAG__", str(Tag.objects.owned_by(user).first().pk))
    client.get("/contacts/" + query)
    with django_assert_num_queries(LIST_QUERIES + extra):
        response = client.get("/contacts/" + query)
    assert 1 <= len(response.context["page"].object_list) <= 25
    with django_assert_num_queries(LIST_QUERIES + htmx_extra):  # htmx: results only, no filters
        client.get("/contacts/" + query, HTTP_HX_REQUEST="true")


def test_detail_page_runs_the_same_queries_with_5_and_500_contacts(client_for):
    counts = []
    for size in (5, 500):
        owner = factories.UserFactory()
        hub = _populate(owner, size)
        counts.append(_count(client_for(owner), f"/contacts/{hub.pk}/"))
    assert counts[0] == counts[1]
    assert counts[0] <= DETAIL_QUERY_CEILING


def test_organization_pages_run_a_fixed_number_of_queries(client_for):
    counts = []
    for size in (5, 500):
        owner = factories.UserFactory()
        hub = _populate(owner, size)
        client = client_for(owner)
        counts.append(
            (
                _count(client, "/organizations/"),
                _count(client, f"/organizations/{hub.organization_id}/"),
                _count(client, f"/contacts/{hub.pk}/edit/"),
            )
        )
    assert counts[0] == counts[1]
