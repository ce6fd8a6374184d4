import re

import pytest
from playwright.sync_api import expect

from apps.accounts.models import User
from tests.factories import PASSWORD

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
