"""Page size and query-count budgets at a size CI affords: every page the same queries at 5 and
300 rows, and no page over 150 KB of HTML."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.contacts.models import Contact, Organization
from apps.opportunities.models import Opportunity, Stage
from apps.reminders.models import FollowUp
from tests import factories

pytestmark = pytest.mark.django_db

HTML_BUDGET = 150 * 1024
# The opportunity page's own queries, the same at 5 and 500 contacts.
OPPORTUNITY_PAGE_QUERIES = 9
PAGES = [
    "/",
    "/followups/?status=overdue",
    "/contacts/",
    "/contacts/?q=person",
    "/opportunities/",
    "/opportunities/new/",
    "/interactions/",
    "/interactions/new/",
    "/followups/new/",
]


def _fill(owner, rows):
    orgs = Organization.objects.bulk_create(
        Organization(owner=owner, name=f"Company {i}") for i in range(rows)
    )
    contacts = Contact.objects.bulk_create(
        Contact(owner=owner, full_name=f"Person {i}", organization=orgs[i]) for i in range(rows)
    )
    now = timezone.now()
    # A fifth of them overdue, the rest over the coming weeks.
    FollowUp.objects.bulk_create(
        FollowUp(
            owner=owner,
            contact=contacts[i],
            due_at=now - dt.timedelta(days=i + 1) if i % 5 == 0 else now + dt.timedelta(hours=i),
        )
        for i in range(rows)
    )
    stages = list(Stage)
    Opportunity.objects.bulk_create(
        Opportunity(owner=owner, role_title=f"Role {i}", organization=orgs[i], stage=stages[i % 8])
        for i in range(rows)
    )
    for contact in contacts[:5]:
        factories.InteractionFactory(owner=owner, contacts=[contact])


def _measure(client, url):
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), len(response.content)


def test_every_page_keeps_its_queries_and_stays_under_150_kb(client_for):
    small, large = factories.UserFactory(), factories.UserFactory()
    _fill(small, 5)
    _fill(large, 300)
    small_client, large_client = client_for(small), client_for(large)
    for url in PAGES:
        small_queries, _ = _measure(small_client, url)
        large_queries, size = _measure(large_client, url)
        assert large_queries == small_queries, url
        assert size <= HTML_BUDGET, (url, size)


@pytest.mark.parametrize("size", [5, 500])
def test_the_opportunity_page_keeps_its_queries_and_lists_no_contacts(client_for, size):
    """The page with the interview round form: its interviewer picker searches, so neither the
    queries nor the HTML grow with the contacts, and no <option> names one of them."""
    owner = factories.UserFactory()
    organization = Organization.objects.create(owner=owner, name="Acme")
    Contact.objects.bulk_create(
        Contact(owner=owner, full_name=f"Person {i}", organization=organization)
        for i in range(size)
    )
    opportunity = Opportunity.objects.create(
        owner=owner, role_title="Engineer", organization=organization, stage=Stage.INTERVIEWING
    )
    client = client_for(owner)
    queries, size_bytes = _measure(client, opportunity.get_absolute_url())
    body = client.get(opportunity.get_absolute_url()).content.decode()
    assert "Add an interview round" in body
    assert "Person 1<" not in body and "<option" not in body.split('id="interviews"')[1]
    assert queries == OPPORTUNITY_PAGE_QUERIES
    assert size_bytes <= HTML_BUDGET
