import re

import pytest
from playwright.sync_api import expect

from apps.contacts.models import Contact
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_create_find_by_company_open_edit_and_archive_a_contact(logged_in_page, live_server):
    page = logged_in_page
    # Someone else at another company, so the search visibly narrows the list.
    factories.ContactFactory(owner=page.user, full_name="Bystander Bob")

    page.goto(live_server.url + "/contacts/new/")
    page.get_by_label("Full name").fill("Grace Hopper")
    page.get_by_label("Organization").fill("Univac Computing")
    page.get_by_label("Title").fill("Rear admiral")
    page.get_by_label("LinkedIn URL").fill("uk.linkedin.com/in/Grace-Hopper/")
    page.get_by_label("How we met").select_option("event")
    page.get_by_role("button", name="Add contact").click()

    expect(page.get_by_role("heading", name=re.compile("Grace Hopper"))).to_be_visible()
    contact = Contact.objects.get(owner=page.user, full_name="Grace Hopper")
    assert contact.linkedin_url == "https://www.linkedin.com/in/grace-hopper"
    assert contact.organization.name == "Univac Computing"

    page.goto(live_server.url + "/contacts/")
    expect(page.locator("#contact-results")).to_contain_text("Bystander Bob")
    page.keyboard.press("/")
    search = page.locator("[data-search]")
    expect(search).to_be_focused()
    search.press_sequentially("nivac", delay=40)
    results = page.locator("#contact-results")
    expect(results).not_to_contain_text("Bystander Bob")
    expect(results.get_by_role("link", name="Grace Hopper")).to_be_visible()
    expect(page).to_have_url(re.compile(r"q=nivac"))

    results.get_by_role("link", name="Grace Hopper").click()
    expect(page).to_have_url(live_server.url + f"/contacts/{contact.pk}/")
    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_label("Title").fill("Computer scientist")
    page.get_by_label("Close").check()
    page.get_by_role("button", name="Save changes").click()
    expect(page).to_have_url(live_server.url + f"/contacts/{contact.pk}/")
    expect(page.get_by_text("Computer scientist")).to_be_visible()

    page.get_by_role("button", name="Archive").click()
    expect(page.locator("h1 .pill", has_text="Archived")).to_be_visible()
    contact.refresh_from_db()
    assert contact.archived
    assert (contact.title, contact.warmth) == ("Computer scientist", "close")


def test_a_form_error_is_shown_in_place_and_keeps_what_was_typed(logged_in_page, live_server):
    page = logged_in_page
    factories.ContactFactory(owner=page.user, full_name="Ada", email="ada@example.com")
    page.goto(live_server.url + "/contacts/new/")
    page.get_by_label("Full name").fill("Ada Again")
    page.get_by_label("Email").fill("ADA@example.com")
    page.get_by_role("button", name="Add contact").click()
    expect(page.locator("#contact-form")).to_contain_text("You already have a contact")
    expect(page.get_by_label("Full name")).to_have_value("Ada Again")
    expect(page).to_have_url(live_server.url + "/contacts/new/")
    page.locator("#contact-form").get_by_role("link", name="Ada").click()
    expect(page.get_by_role("heading", name=re.compile("Ada"))).to_be_visible()
