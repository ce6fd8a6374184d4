"""What a newcomer met on Settings and on a phone, checked in Chromium: a save confirmed in
place, the pipeline's stage tabs leading to the only card, tables as stacked cards."""

import re

import pytest
from playwright.sync_api import expect

from apps.accounts.models import User
from tests.factories import ContactFactory, OpportunityFactory, OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_settings_save_is_confirmed_in_place(logged_in_page, live_server):
    page = logged_in_page
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/settings/")
    page.evaluate("window.stillThisPage = true")
    page.get_by_label("Conversations per week").fill("7")
    page.get_by_role("button", name="Save settings").click()
    note = page.locator("#settings-form [role=status]")
    expect(note).to_have_text("Settings saved.")
    expect(note).to_be_in_viewport()
    assert page.evaluate("window.stillThisPage === true")  # swapped in, not a new page load
    assert User.objects.get(pk=page.user.pk).target_conversations_per_week == 7


def test_the_pipeline_on_a_phone_has_stage_tabs_with_counts_that_lead_to_the_card(
    logged_in_page, live_server
):
    page = logged_in_page
    org = OrganizationFactory(owner=page.user, name="Northwind")
    OpportunityFactory(
        owner=page.user, role_title="Data Analyst", organization=org, stage="applied"
    )
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/opportunities/")
    tabs = page.get_by_role("navigation", name="Stages")
    expect(tabs).to_be_visible()
    expect(tabs.get_by_role("link", name="Identified 0")).to_be_visible()
    card = page.get_by_role("link", name="Data Analyst")
    # The only card is on screen, not three empty columns to the right.
    expect(card).to_be_in_viewport()

    OpportunityFactory(owner=page.user, role_title="Junior Engineer", organization=org)
    page.reload()
    expect(page.get_by_role("link", name="Junior Engineer")).to_be_in_viewport()
    expect(card).not_to_be_in_viewport()
    tabs.get_by_role("link", name="Applied 1").click()
    expect(card).to_be_in_viewport()
    board = page.get_by_label("Open opportunities by stage")
    assert "x" in board.evaluate("e => getComputedStyle(e).scrollSnapType")
    # One column at a time: the column shown takes most of the screen, starting on it.
    column = page.locator("#column-applied").bounding_box()
    assert column["width"] > 0.75 * PHONE["width"] and column["x"] >= 0


def test_tables_become_stacked_cards_on_a_phone(logged_in_page, live_server):
    page = logged_in_page
    org = OrganizationFactory(owner=page.user, name="Lumen Health")
    for name in ("Sofia Alvarez", "Tom Becker"):
        ContactFactory(owner=page.user, full_name=name, organization=org, title="Recruiter")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/contacts/")
    table = page.locator("main table").first
    expect(table).to_have_class(re.compile(r"\bstackable\b"))
    head = table.locator("thead").bounding_box()
    assert head is None or head["height"] <= 1  # the headings move into each card
    row = table.locator("tbody tr").filter(has_text="Sofia Alvarez")
    cells = row.locator("td, th")
    assert cells.count() >= 3
    for cell in cells.all():
        box = cell.bounding_box()
        # Every column is on screen, one under the other, none hidden sideways.
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], cell.inner_text()
    boxes = [cell.bounding_box() for cell in cells.all()]
    assert all(a["y"] < b["y"] for a, b in zip(boxes, boxes[1:], strict=False))
    labelled = row.locator("td[data-label]")
    assert labelled.count() == row.locator("td").count()

    page.set_viewport_size({"width": 1280, "height": 800})
    expect(table.locator("thead")).to_be_visible()  # a table again on a wide screen
    boxes = [cell.bounding_box() for cell in cells.all()]
    assert len({round(b["y"]) for b in boxes}) == 1
