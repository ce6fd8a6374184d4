import re

import pytest
from playwright.sync_api import expect

from apps.opportunities.models import Opportunity, StageChange
from tests.factories import ContactFactory, OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def stages(opportunity):
    return list(
        StageChange.objects.filter(opportunity=opportunity)
        .order_by("changed_at", "pk")
        .values_list("to_stage", flat=True)
    )


def test_a_referral_from_a_contact_moves_through_the_board_to_its_timeline(
    logged_in_page, live_server
):
    page = logged_in_page
    org = OrganizationFactory(owner=page.user, name="Acme Robotics")
    dana = ContactFactory(owner=page.user, full_name="Dana Referrer", organization=org)

    page.goto(f"{live_server.url}/contacts/{dana.pk}/")
    page.get_by_role("link", name="New opportunity referred by this contact").click()
    expect(page).to_have_url(re.compile(rf"/opportunities/new/\?referrer={dana.pk}$"))
    # The pickers start on the referrer and their organization, already chosen.
    expect(page.get_by_label("Dana Referrer · Acme Robotics")).to_be_checked()
    expect(page.get_by_label("Acme Robotics", exact=True)).to_be_checked()
    expect(page.get_by_label("Stage now")).to_have_value("referred")
    page.get_by_label("Role").fill("Robotics engineer")
    page.get_by_label("Next step", exact=True).fill("Send my CV to Dana")
    page.get_by_role("button", name="Add opportunity").click()

    expect(page.get_by_role("heading", name="Robotics engineer")).to_be_visible()
    opportunity = Opportunity.objects.get(owner=page.user)
    assert list(opportunity.people.values_list("contact_id", "role")) == [(dana.pk, "referrer")]
    assert opportunity.organization == org

    page.get_by_role("link", name="Pipeline", exact=True).first.click()
    card = page.locator(f"#opp-{opportunity.pk}")
    expect(page.locator("#column-referred").locator(f"#opp-{opportunity.pk}")).to_be_visible()
    expect(card).to_contain_text("Acme Robotics")
    expect(card).to_contain_text("Referred by Dana Referrer")
    expect(card).to_contain_text("Send my CV to Dana")

    # A marker on window survives only if the page is never reloaded.
    page.evaluate("window.__noReload = true")
    for stage, label in [("applied", "Applied"), ("interviewing", "Interviewing")]:
        card = page.locator(f"#opp-{opportunity.pk}")
        # One menu for the board; each card's button moves that card to the chosen stage.
        page.get_by_label("Move to", exact=True).select_option(stage)
        card.get_by_role("button", name=re.compile("Move “Robotics engineer”")).click()
        moved = page.locator(f"#column-{stage}").locator(f"#opp-{opportunity.pk}")
        expect(moved).to_be_visible()
        expect(page.locator(".board-notice")).to_have_text(f"“Robotics engineer” moved to {label}.")
    assert page.evaluate("window.__noReload") is True
    assert stages(opportunity) == ["referred", "applied", "interviewing"]

    page.locator(f"#opp-{opportunity.pk}").get_by_role("link", name="Robotics engineer").click()
    timeline = page.locator("#timeline")
    expect(timeline.locator("li")).to_have_count(3)
    expect(timeline.locator("li").nth(0)).to_contain_text("Referred")
    expect(timeline.locator("li").nth(1)).to_contain_text("Applied")
    expect(timeline.locator("li").nth(2)).to_contain_text("Interviewing")
    expect(timeline.locator("li").nth(2)).to_contain_text("so far")
    expect(page.locator("#people")).to_contain_text("Dana Referrer")


def test_a_card_can_be_dragged_to_another_column(logged_in_page, live_server):
    page = logged_in_page
    from apps.opportunities import services

    opportunity = services.create_opportunity(
        owner=page.user, role_title="Drag me", stage="applied"
    )
    # Wide enough for all six open columns: a drop target scrolled out of view gets no drop.
    page.set_viewport_size({"width": 1700, "height": 900})
    page.goto(f"{live_server.url}/opportunities/")
    card = page.locator(f"#opp-{opportunity.pk}")
    expect(card).to_have_attribute("draggable", "true")
    page.evaluate("window.__noReload = true")
    card.drag_to(page.locator("#column-offer"), source_position={"x": 4, "y": 4})
    expect(page.locator("#column-offer").locator(f"#opp-{opportunity.pk}")).to_be_visible()
    assert page.evaluate("window.__noReload") is True
    assert stages(opportunity) == ["applied", "offer"]


def test_adding_a_person_twice_shows_the_message_in_place(logged_in_page, live_server):
    page = logged_in_page
    from apps.opportunities import services

    dana = ContactFactory(owner=page.user, full_name="Dana Twice")
    opportunity = services.create_opportunity(
        owner=page.user, role_title="Twice", people=[(dana, "referrer")]
    )
    page.goto(f"{live_server.url}/opportunities/{opportunity.pk}/")
    people = page.locator("#people")
    # Search, then pick: typing fetches the matches (htmx), a radio picks one.
    people.get_by_label("Contact").fill("twice")
    people.get_by_role("radio", name=re.compile("Dana Twice")).check()
    people.get_by_label("Role").select_option("referrer")
    people.get_by_role("button", name="Add person").click()
    expect(page.locator("#people")).to_contain_text(
        "Dana Twice is already a referrer on this opportunity."
    )
    people = page.locator("#people")
    people.get_by_label("Contact").fill("dana")
    people.get_by_role("radio", name=re.compile("Dana Twice")).check()
    people.get_by_label("Role").select_option("insider")
    people.get_by_role("button", name="Add person").click()
    expect(page.locator("#people .list .pill")).to_have_text(["Insider", "Referrer"])
    assert opportunity.people.count() == 2
