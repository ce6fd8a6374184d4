import re

import pytest
from playwright.sync_api import expect

from apps.accounts.models import User
from apps.contacts.models import Contact
from tests.factories import PASSWORD, ContactFactory
from tests.support.a11y import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_signs_up_confirms_lands_on_today_and_logs_out(page, live_server, mailoutbox):
    page.set_default_timeout(10_000)
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_role("link", name="Sign up").first.click()
    expect(page.get_by_role("heading", name="Sign up")).to_be_visible()
    page.get_by_label("Email", exact=True).fill("newcomer@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()

    # Signing up never signs in by itself: the confirmation email's link does.
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    [message] = mailoutbox
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", message.body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm my address").click()
    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_role("heading", name="Today")).to_be_visible()
    assert User.objects.filter(email="newcomer@example.com").exists()

    page.get_by_label("Account menu").click()
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 800}, {"width": 390, "height": 844}]
)
def test_deleting_my_account_asks_for_my_password_then_removes_it(
    logged_in_page, live_server, viewport
):
    page = logged_in_page
    page.set_viewport_size(viewport)
    user = page.user
    ContactFactory(owner=user, full_name="Ada Lovelace")
    page.goto(live_server.url + "/settings/")
    page.get_by_role("link", name="Delete my account").click()
    expect(page.get_by_role("heading", name="Delete my account")).to_be_visible()
    expect(page.get_by_text("1 contact", exact=True)).to_be_visible()
    delete = page.get_by_role("button", name="Delete my account and all its data")

    delete.click()
    expect(page.get_by_text("Enter your password to delete the account.")).to_be_visible()
    page.get_by_label("Your password").fill("not my password")
    delete.click()
    expect(page.get_by_text("That is not your password. Nothing was deleted.")).to_be_visible()
    assert serious_violations(page) == []
    assert User.objects.filter(pk=user.pk).exists()

    page.get_by_label("Your password").fill(PASSWORD)
    delete.click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_text(f"Your account {user.email} and everything in it")).to_be_visible()
    assert not User.objects.filter(pk=user.pk).exists()
    assert not Contact.objects.filter(full_name="Ada Lovelace").exists()
    page.goto(live_server.url + "/contacts/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
