import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.interactions.models import Interaction
from apps.reminders.models import FollowUp
from tests import factories

pytestmark = pytest.mark.browser


def test_press_l_log_a_conversation_and_see_it_on_the_contacts_timeline(
    logged_in_page, live_server
):
    page = logged_in_page
    user = page.user
    contact = factories.ContactFactory(owner=user, full_name="Marta Jensen")
    factories.ContactFactory(owner=user, full_name="Ken Ito")
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )

    page.goto(f"{live_server.url}/")
    page.keyboard.press("l")
    dialog = page.locator("dialog#quicklog")
    expect(dialog).to_be_visible()
    search = dialog.locator("[data-contact-search]")
    expect(search).to_be_focused()
    search.press_sequentially("ma")
    option = dialog.locator('[role="option"][data-pick-name="Marta Jensen"]')
    expect(option).to_be_visible()
    expect(dialog.locator('[data-pick-name="Ken Ito"]')).to_have_count(0)
    search.press("Enter")  # the first suggestion is active: the keyboard is enough
    expect(dialog.locator(".chip", has_text="Marta Jensen")).to_be_visible()
    page.keyboard.press("Tab")  # leave the search box: "l" again must not wipe the form
    page.keyboard.press("l")
    expect(dialog.locator(".chip", has_text="Marta Jensen")).to_be_visible()

    dialog.get_by_label("What happened?").fill("Coffee about the data platform team")
    dialog.get_by_text("In 1 week").click()
    dialog.get_by_role("button", name="Save", exact=True).click()

    expect(dialog).to_be_hidden()
    expect(page.locator("#messages")).to_contain_text("Coffee about the data platform team")
    assert page.url.rstrip("/") == live_server.url  # no reload, no navigation

    interaction = Interaction.objects.get()
    assert list(interaction.contacts.all()) == [contact]
    follow_up = FollowUp.objects.get(contact=contact)
    local_due = follow_up.due_at.astimezone(user.zone)
    assert (local_due.date(), local_due.time()) == (
        user.local_now().date() + dt.timedelta(days=7),
        dt.time(9, 0),
    )

    page.goto(f"{live_server.url}/contacts/{contact.pk}/")
    timeline = page.locator("#contact-interactions")
    expect(timeline).to_contain_text("Coffee about the data platform team")
    assert errors == []


def test_the_dialog_keeps_typed_input_on_bad_input_and_refreshes_the_timeline(
    logged_in_page, live_server
):
    page = logged_in_page
    contact = factories.ContactFactory(owner=page.user, full_name="Lena Fischer")
    page.goto(f"{live_server.url}/contacts/{contact.pk}/")
    page.locator("#contact-interactions [data-quicklog-open]").first.click()
    dialog = page.locator("dialog#quicklog")
    expect(dialog.locator(".chip", has_text="Lena Fischer")).to_be_visible()
    dialog.get_by_label("What happened?").fill("Intro call")
    dialog.locator("[name=minutes_custom]").fill("2000")
    dialog.get_by_role("button", name="Save", exact=True).click()
    expect(dialog).to_contain_text("more than 24 hours")
    expect(dialog.get_by_label("What happened?")).to_have_value("Intro call")
    expect(dialog.locator(".chip", has_text="Lena Fischer")).to_be_visible()

    dialog.locator("[name=minutes_custom]").fill("25")
    dialog.get_by_role("button", name="Save", exact=True).click()
    expect(dialog).to_be_hidden()
    # The section refreshes itself when the interactionLogged event fires.
    expect(page.locator("#contact-interactions")).to_contain_text("Intro call")
    expect(page.locator("#contact-interactions")).to_contain_text("25 min")


def test_without_javascript_the_page_logs_and_redirects(logged_in_page, live_server):
    contact = factories.ContactFactory(owner=logged_in_page.user, full_name="Ivo Petrov")
    context = logged_in_page.context.browser.new_context(java_script_enabled=False)
    context.add_cookies(logged_in_page.context.cookies())
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"{live_server.url}/interactions/new/?contact={contact.pk}")
        expect(page.locator(".chip", has_text="Ivo Petrov")).to_be_visible()
        page.get_by_label("Or a new contact’s name").fill("Nadia Brandt")
        page.get_by_label("What happened?").fill("Met at the Python meetup")
        page.get_by_text("30 min").click()
        page.get_by_role("button", name="Save", exact=True).click()
        page.wait_for_url(f"{live_server.url}/interactions/")
        expect(page.locator("#messages")).to_contain_text("Met at the Python meetup")
        names = set(Interaction.objects.get().contacts.values_list("full_name", flat=True))
        assert names == {"Ivo Petrov", "Nadia Brandt"}
        assert Interaction.objects.get().minutes == 30
    finally:
        context.close()


def test_log_what_happened_on_today_completes_the_follow_up(logged_in_page, live_server):
    page = logged_in_page
    contact = factories.ContactFactory(owner=page.user, full_name="Rui Costa")
    follow_up = factories.FollowUpFactory(
        owner=page.user, contact=contact, note="Ask about the team", due_at=timezone.now()
    )
    page.goto(f"{live_server.url}/")
    page.locator(f"#followup-{follow_up.pk}").get_by_text("Log what happened").click()
    dialog = page.locator("dialog#quicklog")
    expect(dialog).to_contain_text("Ask about the team")
    expect(dialog.locator(".chip", has_text="Rui Costa")).to_be_visible()
    dialog.get_by_label("What happened?").fill("Asked; they will intro me")
    dialog.get_by_role("button", name="Save", exact=True).click()
    expect(dialog).to_be_hidden()
    follow_up.refresh_from_db()
    assert follow_up.status == "done"
    # Today's sections refresh on the followups-changed event: the row leaves "due".
    expect(page.locator(f"#followup-{follow_up.pk} >> text=Log what happened")).to_have_count(0)
