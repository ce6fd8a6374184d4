"""Insights in Chromium: open it, change the range, follow a contact to their page."""

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.opportunities.models import OpportunityContact, StageChange
from tests import factories

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "test-results/screenshots"))


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


def test_dana_coffee_gets_the_credit_and_her_company_has_a_warm_contact(
    logged_in_page, live_server
):
    """Met Dana at a meetup, had a 45-minute coffee, she referred me at her target company."""
    page, user = logged_in_page, logged_in_page.user
    now = timezone.now()
    company = factories.OrganizationFactory(owner=user, name="Dana Co", is_target=True)
    dana = factories.ContactFactory(
        owner=user, full_name="Dana", channel="event", organization=company
    )
    factories.InteractionFactory(
        owner=user,
        contacts=[dana],
        occurred_at=now - dt.timedelta(days=7),
        channel="in_person",
        kind="meeting",
        minutes=45,
    )
    opp = factories.OpportunityFactory(
        owner=user,
        organization=company,
        role_title="Staff engineer",
        source_channel="referral",
        created_at=now - dt.timedelta(days=3),
    )
    OpportunityContact.objects.create(owner=user, opportunity=opp, contact=dana, role="referrer")

    page.goto(f"{live_server.url}/insights/")
    coffee = page.locator("#channels tr[data-channel='in_person']")
    expect(coffee.locator("[data-figure='opportunities']")).to_have_text("1")
    expect(coffee.locator("[data-figure='per_hour']")).to_have_text("1.33")
    expect(page.locator("#channels tr[data-channel='referral']")).to_have_count(0)
    targets = page.locator("#targets tr[data-org='Dana Co']")
    expect(targets.locator("[data-figure='warm']")).to_contain_text("1 of 1")
    expect(targets).not_to_contain_text("no warm contact")
    expect(targets.locator("[data-figure='strength']")).to_contain_text("referred you")
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((1280, 800), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.locator("#channels").screenshot(path=SHOTS / f"insights-channels-{width}.png")
        targets.screenshot(path=SHOTS / f"insights-targets-{width}.png")
    page.set_viewport_size({"width": 1280, "height": 800})

    page.locator("#channels [data-view='first']").click()
    expect(page).to_have_url(re.compile(r"view=first"))
    meetup = page.locator("#channels tr[data-channel='event']")
    expect(meetup.locator("[data-figure='opportunities']")).to_have_text("1")
    expect(coffee.locator("[data-figure='opportunities']")).to_have_text("0")

    page.locator("#channels [data-view='time']").click()
    coffee.locator("[data-figure='opportunities'] a").click()
    expect(page.locator("h1")).to_contain_text("credited to Coffee / in person (time-weighted)")
    expect(page.locator(f"tr[data-opportunity='{opp.pk}'] [data-figure='share']")).to_have_text("1")
