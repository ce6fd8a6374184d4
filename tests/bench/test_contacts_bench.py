"""Contact search over 5,000 contacts on PostgreSQL: server time per request (`make bench`)."""

import statistics
import time

import pytest
from django.db import connection

from apps.contacts.models import Contact, Organization, Tag
from apps.contacts.selectors import contact_page
from tests import factories
from tests.bench.hello import hello_ms

pytestmark = [pytest.mark.bench, pytest.mark.postgres, pytest.mark.django_db]

CONTACTS = 5_000
RUNS = 15
WORDS = ["rocket", "data", "platform", "growth", "design", "cloud", "python", "hiring"]


def _populate(owner):
    orgs = Organization.objects.bulk_create(
        Organization(owner=owner, name=f"{WORDS[i % 8].title()} Labs {i}", is_target=i % 5 == 0)
        for i in range(400)
    )
    tags = Tag.objects.bulk_create(Tag(owner=owner, name=f"{w}-{i}") for i, w in enumerate(WORDS))
    people = Contact.objects.bulk_create(
        Contact(
            owner=owner,
            full_name=f"Person{i} Surname{i % 97}",
            email=f"person{i}@example{i % 50}.com",
            title=f"{WORDS[(i * 3) % 8]} engineer",
            organization=orgs[i % 400],
            notes=f"Met at the {WORDS[(i * 5) % 8]} meetup; follow up about {WORDS[i % 8]}. " * 3,
            cadence_days=30 if i % 4 == 0 else None,
        )
        for i in range(CONTACTS)
    )
    Contact.tags.through.objects.bulk_create(
        Contact.tags.through(contact_id=p.pk, tag_id=tags[i % 8].pk) for i, p in enumerate(people)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE contacts_contact, contacts_organization, contacts_tag")


def _server_ms(client, url) -> list[float]:
    client.get(url)  # warm up
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(url, HTTP_HX_REQUEST="true")
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return timings


def _selector_ms(owner, q) -> list[float]:
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        page = contact_page(user=owner, filters={"q": q}, page=1)
        list(page.object_list)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


@pytest.mark.parametrize(
    "query",
    ["q=labs+12", "q=surname4", "q=python", "q=person4999", "q=no-match", "q=rocket+data"],
)
def test_search_over_5000_contacts_against_hello_world(client_for, query):
    owner = factories.UserFactory()
    # Another user's data in the same tables, as in production.
    _populate(factories.UserFactory())
    _populate(owner)
    client = client_for(owner)
    timings = _server_ms(client, f"/contacts/?{query}")
    median, worst = statistics.median(timings), max(timings)
    db_median = statistics.median(_selector_ms(owner, query.removeprefix("q=").replace("+", " ")))
    hello = hello_ms(client, RUNS)
    # Reported, not asserted: a ratio measured in one run compares machines and runs.
    print(
        f"\ncontact search {query!r} over {CONTACTS} contacts: request median {median:.1f} ms "
        f"(max {worst:.1f}) = {median / hello:.1f}x hello ({hello:.1f} ms), count + page "
        f"queries median {db_median:.1f} ms ({RUNS} runs)"
    )
