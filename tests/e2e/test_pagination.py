"""The shared pager: paging a searched list keeps the search, with htmx and after a reload."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "test-results/screenshots"))


def test_the_next_page_of_a_search_keeps_the_search(logged_in_page, live_server):
    page = logged_in_page
    for n in range(30):
        factories.ContactFactory(owner=page.user, full_name=f"Ada {n:02d}", organization=None)
    for n in range(5):
        factories.ContactFactory(owner=page.user, full_name=f"Grace {n}", organization=None)
    page.goto(live_server.url + "/contacts/?q=ada&sort=name")
    pager = page.get_by_role("navigation", name="Pages")
    expect(pager).to_contain_text("Page 1 of 2")
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((1280, 800), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        pager.scroll_into_view_if_needed()
        page.screenshot(path=SHOTS / f"contacts-pager-{width}.png")
    pager.get_by_role("link", name="Next →").click()
    expect(pager).to_contain_text("Page 2 of 2")
    expect(page).to_have_url(live_server.url + "/contacts/?q=ada&sort=name&page=2")
    rows = page.locator("#contact-results tbody tr")
    expect(rows).to_have_count(5)  # Ada 25 … Ada 29: the search still applies
    expect(page.locator("#contact-results")).not_to_contain_text("Grace")
    page.reload()
    expect(rows).to_have_count(5)
    expect(page.get_by_role("navigation", name="Pages").locator("a[rel=prev]")).to_be_visible()
