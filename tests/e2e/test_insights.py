"""Insights in Chromium: open it, change the range, follow a contact to their page."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.opportunities.models import OpportunityContact, StageChange
from tests import factories

pytestmark = pytest.mark.browser


def test_open_insights_change_range_and_follow_a_contact(logged_in_page, live_server):
    page, user = logged_in_page, logged_in_page.user
    now = timezone.now()
    alice = factories.ContactFactory(owner=user, full_name="Alice Origin", organization=None)
    bob = factories.ContactFactory(
        owner=user, full_name="Bob Referrer", introduced_by=alice, organization=None
    )
    # Created 60 days ago: inside the default 90 days, outside the last 30.
    opp = factories.OpportunityFactory(
        owner=user, role_title="Staff engineer", created_at=now - dt.timedelta(days=60)
    )
    StageChange.objects.create(
        owner=user,
        opportunity=opp,
        from_stage="identified",
        to_stage="interviewing",
        changed_at=now - dt.timedelta(days=50),
    )
    OpportunityContact.objects.create(owner=user, opportunity=opp, contact=bob, role="referrer")

    page.goto(f"{live_server.url}/insights/")
    table = page.locator("#contacts-led table")
    expect(table.locator("tr[data-contact='Bob Referrer']")).to_be_visible()
    expect(page.locator("#contacts-led")).to_contain_text(
        "origin, through Alice Origin → Bob Referrer"
    )
    expect(
        page.locator("#funnel tr[data-stage='interviewing'] [data-figure='reached']")
    ).to_have_text("1")

    page.get_by_text("Last 30 days", exact=True).click()
    expect(page).to_have_url(re.compile(r"range=30d"))
    # The opportunity is out of range; Alice stays, for introducing Bob (added today).
    expect(table.locator("tr[data-contact='Bob Referrer']")).to_have_count(0)
    expect(
        table.locator("tr[data-contact='Alice Origin'] [data-figure='introductions']")
    ).to_have_text("1")

    page.get_by_text("All time", exact=True).click()
    expect(page).to_have_url(re.compile(r"range=all"))
    page.locator("#contacts-led a.contact-link", has_text="Alice Origin").click()
    expect(page).to_have_url(f"{live_server.url}/contacts/{alice.pk}/")
    expect(page.locator("h1")).to_contain_text("Alice Origin")
