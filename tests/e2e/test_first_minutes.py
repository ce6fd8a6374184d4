"""The rough edges a newcomer met in the first ten minutes, each checked in Chromium."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.interactions import services as interactions
from apps.reminders import services as reminders
from tests import factories
from tests.portability.conftest import commit, load, preview

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINES = (Path(__file__).parent / "line_breaks.js").read_text()
BREAKS_AFTER, BREAKS_BEFORE = "/-_ ", "@.?#& "
# The input's room for text and the width its placeholder needs, in the input's own font.
PLACEHOLDER_FIT = """e => {
  const s = getComputedStyle(e);
  const c = document.createElement("canvas").getContext("2d");
  c.font = `${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
  const room = e.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
  return [room, c.measureText(e.placeholder).width];
}"""


def wrapped_inside_a_word(lines: list[str]) -> list[str]:
    return [
        f"{left!r} | {right!r}"
        for left, right in zip(lines, lines[1:], strict=False)
        if left[-1:] not in BREAKS_AFTER and right[:1] not in BREAKS_BEFORE
    ]


def test_the_contact_page(logged_in_page, live_server):
    page = logged_in_page
    page.set_viewport_size({"width": 1280, "height": 800})
    user = page.user
    contact = factories.ContactFactory(
        owner=user,
        full_name="Alexandra Konstantinopoulou",
        email="alexandra.konstantinopoulou@northwind-analytics.example",
        linkedin_url="https://www.linkedin.com/in/alexandra-konstantinopoulou-data-platform",
    )
    interactions.log_interaction(owner=user, contacts=[contact], summary="Coffee", minutes=30)
    for days in (2, 9):
        reminders.create_follow_up(
            owner=user, contact=contact, due_at=timezone.now() + dt.timedelta(days=days)
        )
    page.goto(f"{live_server.url}{contact.get_absolute_url()}")

    # "Last contacted" right after a conversation.
    facts = page.locator(".contact-profile .facts")
    expect(facts).to_contain_text("Last contactedjust now")
    expect(facts).not_to_contain_text("0 minutes")

    # Long addresses wrap at their dots, @ and slashes, never inside a word.
    for link in (facts.locator("a[href^=mailto]"), facts.locator("a[href*=linkedin]")):
        lines = link.evaluate(LINES)
        assert len(lines) > 1, lines  # the card is narrow enough to wrap them
        assert wrapped_inside_a_word(lines) == []

    # Follow-up actions line up the same way in every row of the sidebar.
    rows = page.locator("#contact-followups li.followup")
    expect(rows).to_have_count(2)
    layouts = []
    for row in rows.all():
        boxes = [
            row.locator(sel).bounding_box()
            for sel in ("button:text-is('Done')", "summary:text-is('Snooze')", "a.button")
        ]
        done, snooze, log = boxes
        assert abs(done["y"] - snooze["y"]) < 1 and abs(done["height"] - snooze["height"]) < 1
        layouts.append([(round(b["x"]), round(b["width"])) for b in boxes])
    assert layouts[0] == layouts[1]

    # The Snooze button looks like the buttons beside it, not disabled.
    snooze = rows.first.locator("summary:text-is('Snooze')")
    log = rows.first.locator("a.button", has_text="Log what happened")
    style = "e => [getComputedStyle(e).color, getComputedStyle(e).opacity]"
    assert snooze.evaluate(style) == log.evaluate(style)

    # `l` opens the quick log with this contact picked, and Save is in view at 1280×800.
    page.keyboard.press("l")
    dialog = page.locator("dialog#quicklog")
    expect(dialog.locator(".chip", has_text="Alexandra Konstantinopoulou")).to_be_visible()
    dialog.locator(".ql-more > summary").click()  # every field open: the longest the form gets
    save = dialog.get_by_role("button", name="Save", exact=True)
    expect(save).to_be_in_viewport()
    box, frame = save.bounding_box(), dialog.bounding_box()
    assert box["y"] + box["height"] <= min(800, frame["y"] + frame["height"])


def test_today_and_insights_wording(logged_in_page, live_server):
    page = logged_in_page
    user = page.user
    contact = factories.ContactFactory(owner=user, full_name="Grace Hopper")
    reminders.create_follow_up(
        owner=user, contact=contact, due_at=timezone.now() + dt.timedelta(days=3)
    )
    page.goto(f"{live_server.url}/")
    today = page.locator(".followups-today")
    expect(today).to_contain_text("Nothing due today.")
    expect(today).not_to_contain_text("Nothing else")
    reminders.create_follow_up(
        owner=user, contact=contact, due_at=timezone.now() - dt.timedelta(days=1)
    )
    page.reload()
    expect(today).to_contain_text("Nothing else due today.")

    # Insights column headings wrap between words, never inside one, even on a phone.
    factories.InteractionFactory(owner=user, contacts=[contact])
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/insights/")
    headings = page.locator("thead th")
    assert headings.count() > 5
    for heading in headings.all():
        if heading.is_visible():
            assert wrapped_inside_a_word(heading.evaluate(LINES)) == [], heading.inner_text()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.reload()
    for heading in headings.all():
        assert wrapped_inside_a_word(heading.evaluate(LINES)) == [], heading.inner_text()
    expect(page.locator("main")).not_to_contain_text(re.compile(r"\d\.0%"))


def test_the_search_box_shows_its_whole_placeholder_on_a_phone(logged_in_page, live_server):
    page = logged_in_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/contacts/")
    search = page.locator("[data-search]")
    expect(search).to_be_visible()
    tag = page.get_by_label("Tag", exact=True)
    expect(tag).to_be_hidden()  # the filters wait behind their button
    room, needed = search.evaluate(PLACEHOLDER_FIT)
    assert needed <= room
    page.get_by_text("Filters").click()
    expect(tag).to_be_visible()


def test_the_import_preview_says_what_changes_and_when_nothing_will(logged_in_page, live_server):
    page = logged_in_page
    user = page.user
    commit(preview(user, "linkedin_current.csv"))
    moved = load("linkedin_current.csv").replace(b"US Navy,Rear Admiral", b"Univac,Rear Admiral")
    changed = preview(user, "moved.csv", data=moved)
    again = preview(user, "linkedin_current.csv")
    page.goto(f"{live_server.url}/import/{changed.pk}/")
    grace = page.get_by_role("row").filter(has_text="Grace Hopper")
    expect(grace).to_contain_text("updated")
    expect(grace).to_contain_text("organization")
    page.goto(f"{live_server.url}/import/")
    rows = page.get_by_role("row")
    expect(rows.filter(has=page.locator(f"a[href$='/import/{again.pk}/']"))).to_contain_text(
        "Nothing to import"
    )
    expect(rows.filter(has=page.locator(f"a[href$='/import/{changed.pk}/']"))).to_contain_text(
        "Ready to import"
    )
