"""In Chromium: a past organization added by search on the contact's edit page, the company's
"Who can introduce me" saying why, interviewers found and ticked as you type, and the Templates
tab in the header and the phone menu. Screenshots go to var/screenshots/."""

import re
from pathlib import Path

import pytest

from apps.contacts.models import PastEmployment
from apps.opportunities.models import InterviewRound
from tests import factories

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
SIZES = ((1280, 800), (390, 844))


def _shoot(page, name, *, full_page=True):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SHOTS / f"gaps-{name}-{width}.png"), full_page=full_page)
    page.set_viewport_size({"width": 1280, "height": 800})


def test_history_paths_and_interviewer_picks(logged_in_page, live_server):
    page = logged_in_page
    user = page.user
    url = live_server.url
    acme = factories.OrganizationFactory(owner=user, name="Acme", is_target=True)
    initech = factories.OrganizationFactory(owner=user, name="Initech")
    dana = factories.ContactFactory(owner=user, full_name="Dana Acme", organization=acme)
    lena = factories.ContactFactory(owner=user, full_name="Lena Park", organization=None)
    factories.ContactFactory(owner=user, full_name="Ivo Initech", organization=initech)
    PastEmployment.objects.create(owner=user, contact=dana, organization=initech, until=2021)

    # 1. Lena used to work at Acme: picked by search on her edit page, with the year she left.
    page.goto(f"{url}/contacts/{lena.pk}/edit/")
    past = page.locator("#past-organizations")
    past.get_by_label("Organization", exact=True).fill("acm")
    past.get_by_role("radio", name="Acme").check()
    past.get_by_label("Until (year)").fill("2023")
    _shoot(page, "contact-edit-past")
    past.get_by_role("button", name="Add past organization").click()
    page.wait_for_url(re.compile(r"/edit/#past-organizations$"))
    assert "until 2023" in page.locator("#past-organizations").inner_text()
    assert PastEmployment.objects.filter(contact=lena, organization=acme, until=2023).exists()

    # 2. The company's page says why each person could introduce the user.
    page.goto(f"{url}/organizations/{acme.pk}/")
    who = page.locator("#who-can-introduce").inner_text()
    assert "worked there until 2023" in who and "both at Initech" in who
    _shoot(page, "organization-who")

    # 3. Interviewers: typed, ticked, searched again (the first stays ticked), saved.
    job = factories.OpportunityFactory(owner=user, organization=acme, role_title="SRE")
    page.goto(f"{url}/opportunities/{job.pk}/")
    page.locator("details.add-interview summary").click()
    form = page.locator("details.add-interview form")
    form.get_by_label("Title").fill("Panel")
    form.get_by_label("Date").fill("2026-07-01")
    form.get_by_label("Time").fill("10:00")
    box = form.get_by_label("Interviewers", exact=True)
    box.fill("dana")
    form.get_by_role("checkbox", name=re.compile("Dana Acme")).check()
    box.fill("lena")
    form.get_by_role("checkbox", name=re.compile("Lena Park")).wait_for()
    assert form.get_by_role("checkbox", name=re.compile("Dana Acme")).is_checked()
    form.get_by_role("checkbox", name=re.compile("Lena Park")).check()
    _shoot(page, "interview-pickers")
    form.get_by_role("button", name="Add interview", exact=True).last.click()
    page.wait_for_url(re.compile(r"#interviews$"))
    interview = InterviewRound.objects.get()
    assert {c.full_name for c in interview.interviewers.all()} == {"Dana Acme", "Lena Park"}

    # 4. Templates in the header, and in the phone's menu.
    page.goto(f"{url}/templates/")
    tab = page.locator("nav .nav-links:not(.menu-nav)").get_by_role("link", name="Templates")
    assert tab.get_attribute("aria-current") == "page"
    _shoot(page, "nav-templates", full_page=False)
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_label("Account menu").click()
    page.locator(".menu-panel").get_by_role("link", name="Templates").wait_for()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "gaps-nav-menu-390.png"))
