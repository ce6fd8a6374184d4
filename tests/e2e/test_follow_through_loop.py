"""The whole loop in Chromium: log a coffee with a promise → keep it → ask for a referral with
a template → the referrer gets a thank-you follow-up → the opportunity reaches interviewing →
"tell them how it went" appears on Today. Screenshots of the pages it touches go to
var/screenshots/."""

import datetime as dt
import re
from pathlib import Path

import pytest

from apps.interactions.models import Interaction
from apps.reminders.models import FollowUp, FollowUpKind
from tests import factories

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def _shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((1280, 800), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SHOTS / f"loop-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})


def test_the_follow_through_loop(logged_in_page, live_server):
    page = logged_in_page
    user = page.user
    acme = factories.OrganizationFactory(owner=user, name="Acme", is_target=True)
    ann = factories.ContactFactory(owner=user, full_name="Ann Lee", organization=acme)
    job = factories.OpportunityFactory(owner=user, organization=acme, role_title="SRE")
    url = live_server.url

    # 1. A coffee, with a promise.
    page.goto(f"{url}/interactions/new/?contact={ann.pk}")
    page.get_by_label("What happened?").fill("Coffee about their platform")
    page.get_by_label("I promised to…").fill("Send my migration notes")
    due = (user.local_now().date() + dt.timedelta(days=2)).isoformat()
    page.get_by_label("By", exact=True).fill(due)
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(f"{url}/contacts/{ann.pk}/")

    # 2. Keep it, from Today.
    page.goto(f"{url}/")
    promised = page.locator("section.followups-promised")
    assert "Send my migration notes" in promised.inner_text()
    _shoot(page, "today-promised")
    page.get_by_role("button", name="Mark the promise to Ann Lee kept").click()
    page.locator("section.followups-promised").wait_for(state="detached")
    assert Interaction.objects.filter(gave="Send my migration notes").count() == 1

    # 3. Ask for a referral with a template (the starters appear on first visit).
    page.goto(f"{url}/templates/")
    page.locator("li.template", has_text="Referral ask").get_by_role("link", name="Use").click()
    # Search, then pick, for the contact and the opportunity alike.
    page.locator("#id_contact").fill("ann")
    page.get_by_role("radio", name=re.compile("Ann Lee")).check()
    page.locator("#id_opportunity").fill(job.role_title[:4])
    page.get_by_role("radio", name=re.compile(re.escape(job.role_title))).check()
    page.get_by_role("button", name="Fill it in").click()
    assert "Hi Ann," in page.locator("#use-body").input_value()
    _shoot(page, "template-use")
    page.get_by_role("button", name="I sent it").click()
    page.wait_for_url(f"{url}/contacts/{ann.pk}/")
    assert Interaction.objects.filter(asked_referral=True).count() == 1

    # 4. Ann refers: record her as referrer; a thank-you follows.
    page.goto(f"{url}/opportunities/{job.pk}/")
    people = page.locator("#people")
    # Search, then pick: typing fetches the matches (htmx), a radio picks one.
    people.get_by_label("Contact").fill("ann")
    people.get_by_role("radio", name=re.compile("Ann Lee")).check()
    people.get_by_label("Role").select_option("referrer")
    people.get_by_role("button", name="Add person").click()
    page.get_by_role("button", name="Remove Ann Lee as referrer").wait_for()
    assert FollowUp.objects.filter(kind=FollowUpKind.THANK_YOU, contact=ann).exists()

    # 5. The opportunity reaches interviewing.
    page.locator("#detail-stage").select_option("interviewing")
    page.locator("form.move-form").get_by_role("button", name="Move").click()
    page.wait_for_load_state("networkidle")
    _shoot(page, "opportunity")

    # 6. Today says what to do next.
    page.goto(f"{url}/")
    steps = page.locator("section.next-steps").inner_text()
    assert "Thank them for the referral (SRE)" in steps
    assert "Tell Ann Lee how it went" in steps or "Tell them how it went" in steps
    _shoot(page, "today-next-steps")

    # The company's page says who can introduce the user there.
    page.goto(f"{url}/organizations/{acme.pk}/")
    assert "Ann Lee" in page.locator("#who-can-introduce").inner_text()
    _shoot(page, "organization")
