"""The bookmarklet on pages served from another origin (a job posting, a LinkedIn profile): a new
tab opens our capture page, which previews what it found; records are saved only by our own
page's forms."""

import functools
import http.server
import re
import threading
from pathlib import Path
from urllib.parse import unquote

import pytest
from playwright.sync_api import expect

from apps.contacts.models import Contact
from apps.interactions.models import Interaction
from apps.opportunities.models import Opportunity
from tests import factories

pytestmark = pytest.mark.browser

PAGES = Path(__file__).resolve().parents[1] / "capture" / "pages"


@pytest.fixture
def foreign_site():
    """The saved pages on their own origin (127.0.0.1, a port from the capture range)."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(PAGES))
    handler.log_message = lambda *args: None
    for port in range(19410, 19430):
        try:
            server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
            break
        except OSError:
            continue
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_the_bookmarklet_captures_a_job_posting_from_another_site(
    logged_in_page, live_server, foreign_site
):
    page = logged_in_page
    globex = factories.OrganizationFactory(owner=page.user, name="Globex")
    factories.ContactFactory(owner=page.user, full_name="Ines Insider", organization=globex)
    errors = []
    page.context.on("weberror", lambda error: errors.append(str(error.error)))

    page.goto(f"{live_server.url}/capture/")
    href = page.locator("#bookmarklet").get_attribute("href")
    assert href.startswith("javascript:")

    page.goto(f"{foreign_site}/greenhouse_graph.html")
    with page.context.expect_page() as opened:
        # What clicking the bookmark does: run its code on the current page.
        page.evaluate(unquote(href.removeprefix("javascript:")))
    tab = opened.value
    tab.set_default_timeout(10_000)
    expect(tab.get_by_role("heading", name="A job posting")).to_be_visible()
    expect(tab.locator("#possible-referrers")).to_contain_text("Ines Insider")
    expect(tab.get_by_label("Role")).to_have_value("Senior Backend Engineer")
    assert "#" not in tab.url  # the fragment is gone from the address bar
    assert not Opportunity.objects.exists()

    # Search, then pick: typing fetches the matches (htmx), a radio picks one.
    tab.get_by_label("Referred by").fill("Ines")
    tab.get_by_role("radio", name=re.compile("Ines Insider")).check()
    tab.get_by_role("button", name="Add the opportunity").click()
    expect(tab.get_by_role("heading", name="Senior Backend Engineer")).to_be_visible()
    opportunity = Opportunity.objects.get(owner=page.user)
    assert opportunity.organization == globex
    assert opportunity.posting_url == "https://boards.greenhouse.example/globex/jobs/4242"
    assert [c.full_name for c in opportunity.contacts.all()] == ["Ines Insider"]
    tab.set_viewport_size({"width": 1280, "height": 800})
    assert errors == []


def _run_bookmarklet(page, live_server, address):
    """Open `address` and click the bookmark (run its code there); the tab it opens."""
    page.goto(f"{live_server.url}/capture/")
    href = page.locator("#bookmarklet").get_attribute("href")
    page.goto(address)
    with page.context.expect_page() as opened:
        page.evaluate(unquote(href.removeprefix("javascript:")))
    tab = opened.value
    tab.set_default_timeout(10_000)
    return tab


def test_the_bookmarklet_on_a_linkedin_profile_adds_the_contact_then_the_quick_log(
    logged_in_page, live_server, foreign_site
):
    page = logged_in_page
    errors = []
    page.context.on("weberror", lambda error: errors.append(str(error.error)))

    tab = _run_bookmarklet(page, live_server, f"{foreign_site}/linkedin_profile.html")
    expect(tab.get_by_role("heading", name="A profile on LinkedIn")).to_be_visible()
    expect(tab.get_by_label("Full name")).to_have_value("Jane Doe")
    expect(tab.get_by_label("LinkedIn URL")).to_have_value(
        "https://www.linkedin.com/in/jane-doe-4711"
    )
    assert not Contact.objects.exists()
    tab.get_by_role("button", name="Add and log a conversation").click()

    # The quick log, with the new contact already chosen.
    jane = Contact.objects.get(owner=page.user)
    tab.wait_for_url(re.compile(rf"/interactions/new/\?.*contact={jane.pk}"))
    expect(tab.locator(".chip", has_text="Jane Doe")).to_be_visible()
    tab.get_by_label("What happened?").fill("Asked about the robotics team")
    tab.get_by_role("button", name="Save", exact=True).click()
    # Then to her page, with the conversation on it.
    tab.wait_for_url(f"{live_server.url}{jane.get_absolute_url()}")
    expect(tab.get_by_text("Asked about the robotics team", exact=True)).to_be_visible()
    assert list(Interaction.objects.get(owner=page.user).contacts.all()) == [jane]
    tab.close()

    # The same profile again: the contact she already is, one click from the quick log.
    again = _run_bookmarklet(page, live_server, f"{foreign_site}/linkedin_profile.html")
    expect(again.locator("#existing-contact")).to_contain_text("Jane Doe")
    again.get_by_role("link", name="Log a conversation with Jane Doe").click()
    expect(again.locator(".chip", has_text="Jane Doe")).to_be_visible()
    assert Contact.objects.count() == 1
    assert errors == []
