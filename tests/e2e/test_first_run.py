"""A newcomer's path on `make run` under another port, in Chromium at 1280×800 and 390×844:
sign up, confirm the address from the development mailbox (the browser's time zone is kept, or
offered on Today when it changes), add a contact, press `l` on their page, log a conversation
with a follow-up, get the reminder email, follow its link to this server, mark it done, and find
the used link calm. axe-core checks every step."""

import datetime as dt
import email
import email.policy
import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD
from tests.support.a11y import serious_violations
from tests.support.devserver import dev_server
from tests.support.processes import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DUE_NOW = """
import datetime as dt
from django.utils import timezone
from apps.reminders.models import FollowUp
follow_up = FollowUp.objects.get(owner__email="{email}", status="open")
print(follow_up.owner.timezone, follow_up.due_at.astimezone(follow_up.owner.zone).isoformat())
FollowUp.objects.filter(pk=follow_up.pk).update(due_at=timezone.now() - dt.timedelta(minutes=1))
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with dev_server(tmp_path_factory.mktemp("first-run") / "var") as running:
        yield running


def axe_clean(page, where: str) -> None:
    assert serious_violations(page) == [], where


def reminder_for(server, address: str) -> email.message.EmailMessage:
    def find():
        for path in server.mails():
            for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                message = email.message_from_bytes(raw.strip(), policy=email.policy.default)
                if message["X-Followthrough-Delivery"] and message["To"] == address:
                    return message
        return None

    return wait_for(find, timeout=90, message=f"no reminder email for {address}")


@pytest.mark.parametrize(
    ("viewport", "signup_zone"),
    [
        ({"width": 390, "height": 844}, "Europe/Berlin"),
        ({"width": 1280, "height": 800}, "America/New_York"),
    ],
    ids=["phone", "desktop-travelling"],
)
def test_sign_up_to_first_reminder_on_another_port(browser, server, viewport, signup_zone):
    address = f"newcomer-{viewport['width']}@example.com"
    context = browser.new_context(viewport=viewport, timezone_id=signup_zone)
    page = context.new_page()
    page.set_default_timeout(15_000)

    page.goto(server.url + "/")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    axe_clean(page, "login")
    page.get_by_role("link", name="Sign up").last.click()
    expect(page.get_by_role("heading", name="Sign up")).to_be_visible()
    axe_clean(page, "signup")
    page.get_by_label("Email", exact=True).fill(address)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    # Mail goes to files on `make run`: the inbox page opens them, one click to the link.
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    axe_clean(page, "check your inbox")
    page.get_by_role("link", name="open the development mailbox").click()
    expect(page.get_by_role("heading", name="Development mailbox")).to_be_visible()
    axe_clean(page, "development mailbox")
    confirmation = page.locator(".dev-mail", has_text=address).first
    expect(confirmation).to_contain_text("Confirm your email address")
    confirmation.locator('a[href*="/accounts/confirm-email/"]').click()
    page.get_by_role("button", name="Confirm my address").click()
    expect(page.get_by_role("heading", name="Today")).to_be_visible()
    expect(page.locator("[data-timezone-offer]")).to_be_hidden()  # the zone was kept
    axe_clean(page, "today")

    if signup_zone != "Europe/Berlin":
        # Travelling: the same account in a browser on Berlin time is offered the change.
        context.close()
        context = browser.new_context(viewport=viewport, timezone_id="Europe/Berlin")
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(server.url + "/accounts/login/")
        page.get_by_label("Email", exact=True).fill(address)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        offer = page.locator("[data-timezone-offer]")
        expect(offer).to_contain_text(f"Reminders and “today” follow your time zone, {signup_zone}")
        axe_clean(page, "today with the time-zone offer")
        offer.get_by_role("button", name="Use Europe/Berlin").click()
        expect(page.get_by_text("Time zone set to Europe/Berlin.")).to_be_visible()
    page.goto(server.url + "/settings/")
    expect(page.get_by_label("Time zone")).to_have_value("Europe/Berlin")

    page.goto(server.url + "/contacts/new/")
    page.get_by_label("Full name").fill("Ada Lovelace")
    page.get_by_role("button", name="Add contact").click()
    expect(page.get_by_role("heading", name=re.compile("Ada Lovelace"))).to_be_visible()
    axe_clean(page, "contact")
    page.keyboard.press("l")
    dialog = page.locator("dialog#quicklog")
    expect(dialog.locator(".chip", has_text="Ada Lovelace")).to_be_visible()  # preselected
    dialog.get_by_label("What happened?").fill("Coffee about analytical engines")
    dialog.get_by_text("In 3 days").click()
    axe_clean(page, "quick log")
    dialog.get_by_role("button", name="Save", exact=True).click()
    expect(dialog).to_be_hidden()

    # Three days from now at 09:00 on the user's Berlin clock; then make it due now.
    output = server.manage("shell", "-c", DUE_NOW.format(email=address))
    zone, local_due = output.strip().splitlines()[-1].split()
    assert zone == "Europe/Berlin"
    assert dt.datetime.fromisoformat(local_due).time() == dt.time(9, 0)
    message = reminder_for(server, address)
    text = message.get_body(preferencelist=("plain",)).get_content()
    done_url = re.search(r"Done: (\S+)", text).group(1)
    assert done_url.startswith(f"{server.url}/r/"), done_url  # the port make run serves
    assert message["List-Unsubscribe"].startswith(f"<{server.url}/unsubscribe/")

    page.goto(done_url)
    axe_clean(page, "email link")
    page.get_by_role("button", name="Mark this follow-up done").click()
    expect(page.get_by_text("Marked done")).to_be_visible()
    page.goto(done_url)
    expect(page.get_by_role("heading", name=re.compile(r"^✓? ?Already done on"))).to_be_visible()
    expect(page.get_by_text("Nothing was changed")).to_have_count(0)
    axe_clean(page, "used email link")
    context.close()
