"""Every page, at 1280×800 and 390×844, with the sample data: axe-core finds no serious or
critical violation, nothing scrolls sideways, the phone header stays one short row, and every
button-like control is a tap target of at least 24×24 px (44 px tall for a phone's main actions).
The two-factor pages are among them: turned on through its page, then the recovery codes, new
codes, turning it off, confirming with a code and the login's code step.

With SCREENSHOT_DIR set (`make screenshots`), the README's pages are photographed as well."""

import datetime as dt
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse

from apps.onboarding import services as onboarding
from tests.factories import PASSWORD
from tests.support.a11y import serious_violations
from tests.support.pages import anonymous_pages, signed_in_pages, two_factor_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}
# The README's pages, each photographed from the top or from the section it is shown for.
README_PAGES = {
    "today": None,
    "contact": None,
    "pipeline": None,
    "insights": "#contacts-led-title",
}

# Scroll a section's card to the top, below the header where the header stays on screen.
SCROLL_TO = """s => {
  const bar = document.querySelector(".topbar");
  const covered = getComputedStyle(bar).position === "sticky" ? bar.offsetHeight : 0;
  const card = document.querySelector(s).closest("section, .card");
  window.scrollTo(0, card.getBoundingClientRect().top + window.scrollY - covered - 16);
}"""
CUT_TABLES = """() => [...document.querySelectorAll(".table-wrap")]
  .filter(w => w.offsetParent && w.scrollWidth > w.clientWidth + 1)
  .map(w => `${w.querySelector("table")?.className} ${w.scrollWidth} > ${w.clientWidth}`)"""
SMALL_TARGETS = (Path(__file__).parent / "small_targets.js").read_text()


@pytest.fixture
def browser_context_args(browser_context_args):
    # The sample account lives in Berlin, and so does this browser: no time-zone offer.
    return {**browser_context_args, "timezone_id": "Europe/Berlin"}


def check(page, url: str, width: int) -> list[str]:
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    # An error page would pass every check below: the page itself must answer.
    problems = [] if response.ok else [f"answered {response.status}"]
    problems += [f"axe: {p}" for p in serious_violations(page)]
    if page.evaluate("document.documentElement.scrollWidth") > width:
        problems.append(
            f"scrolls sideways: {page.evaluate('document.documentElement.scrollWidth')}"
        )
    problems += [f"small target: {t}" for t in page.evaluate(SMALL_TARGETS)]
    if width >= 1280:
        # On a laptop no table hides a column sideways in its scrolling wrapper.
        problems += [f"table scrolls sideways: {t}" for t in page.evaluate(CUT_TABLES)]
    header = page.locator(".topbar").bounding_box()
    if width < 720 and header["height"] > 64:
        problems.append(f"header {header['height']:.0f}px tall")
    return problems


def confirm_password(page, live_server) -> None:
    """Turning on two-factor authentication asks for the password again first."""
    page.goto(live_server.url + reverse("account_reauthenticate"))
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state("networkidle")


def check_here(page, url: str, width: int) -> list[str]:
    """`check` for a page that redirects elsewhere when its state is wrong (two-factor off, a
    password not confirmed): the checks must have run on that page itself."""
    problems = check(page, url, width)
    if urlsplit(page.url).path != urlsplit(url).path:
        problems.insert(0, f"landed on {urlsplit(page.url).path}")
    return problems


def app_code(secret: str) -> str:
    """What the authenticator app shows now."""
    counter = int(dt.datetime.now(dt.UTC).timestamp()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def turn_on_two_factor(page, live_server) -> None:
    """Through its page, as a user does: confirm the password, type the app's code."""
    confirm_password(page, live_server)
    page.goto(live_server.url + reverse("mfa_activate_totp"))
    secret = page.locator("#authenticator_secret").inner_text().replace(" ", "")
    page.get_by_label("Code from the app").fill(app_code(secret))
    page.get_by_role("button", name="Turn on").click()
    page.wait_for_url(f"**{reverse('mfa_view_recovery_codes')}")


def log_in_to_the_code_step(page, live_server, user) -> None:
    page.goto(live_server.url + reverse("account_login"))
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**{reverse('mfa_authenticate')}")


@pytest.mark.parametrize("size", WIDTHS)
def test_every_page_is_accessible_and_fits(logged_in_page, live_server, browser, size):
    width, height = WIDTHS[size]
    onboarding.load_sample_data(owner=logged_in_page.user)
    pages = signed_in_pages(logged_in_page.user)
    page = logged_in_page
    page.set_viewport_size({"width": width, "height": height})
    confirm_password(page, live_server)
    problems = {}
    for name, path in pages.items():
        if found := check(page, live_server.url + path, width):
            problems[name] = found
        if os.environ.get("SCREENSHOT_DIR") and name in README_PAGES:
            folder = Path(os.environ["SCREENSHOT_DIR"])
            folder.mkdir(parents=True, exist_ok=True)
            if section := README_PAGES[name]:
                page.evaluate(SCROLL_TO, section)
            page.screenshot(path=folder / f"{name}-{size}.png")
    # Last, as turning it on changes Settings and the two-factor page checked above.
    turn_on_two_factor(page, live_server)
    for name, path in two_factor_pages().items():
        if found := check_here(page, live_server.url + path, width):
            problems[name] = found
    context = browser.new_context(viewport={"width": width, "height": height})
    anonymous = context.new_page()
    for name, path in anonymous_pages().items():
        if found := check(anonymous, live_server.url + path, width):
            problems[name] = found
    log_in_to_the_code_step(anonymous, live_server, logged_in_page.user)
    if found := check_here(anonymous, live_server.url + reverse("mfa_authenticate"), width):
        problems["two-factor-code"] = found
    context.close()
    report = "\n".join(
        f"{name}: {problem}" for name, found in problems.items() for problem in found
    )
    assert problems == {}, report
