import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.contacts.models import Organization
from apps.interactions.models import Interaction
from apps.opportunities import services
from apps.opportunities.models import (
    OPEN_STAGES,
    Opportunity,
    OpportunityContact,
    Stage,
    StageChange,
)
from apps.opportunities.selectors import CLOSED_SHOWN, OPEN_SHOWN
from tests.factories import ContactFactory, InteractionFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def post(client, csrf, url, data, **extra):
    return client.post(url, {**data, "csrfmiddlewaretoken": csrf(client)}, **extra)


def new_form(**overrides):
    data = {
        "role_title": "Platform engineer",
        "organization": "",
        "new_organization": "",
        "posting_url": "",
        "source_channel": "linkedin",
        "stage": "identified",
        "referrer": "",
        "next_step": "",
        "next_step_due": "",
        "notes": "",
    }
    data.update(overrides)
    return data


# Board -----------------------------------------------------------------------------------------


def test_the_board_shows_open_columns_and_collapses_closed_ones(
    auth_client, user, make_opportunity
):
    dana = ContactFactory(owner=user, full_name="Dana Referrer")
    org = OrganizationFactory(owner=user, name="Acme")
    make_opportunity(
        user,
        role_title="Data engineer",
        organization=org,
        stage=Stage.REFERRED,
        people=[(dana, "referrer")],
        next_step="Send CV",
        next_step_due=dt.date(2020, 1, 2),
    )
    make_opportunity(user, role_title="Old role", stage=Stage.REJECTED)
    html = auth_client.get("/opportunities/").content.decode()
    for stage in ["identified", "networking", "referred", "applied", "interviewing", "offer"]:
        assert f'id="column-{stage}"' in html
    closed = html[html.index('<details class="closed-stages') :]
    assert 'id="column-rejected"' in closed and "Old role" in closed
    assert 'id="column-referred"' not in closed
    referred = html[html.index('id="column-referred"') : html.index('id="column-applied"')]
    assert "Data engineer" in referred and "Acme" in referred
    assert "Referred by" in referred and "Dana Referrer" in referred
    assert "Send CV" in referred and "overdue" in referred


def test_a_next_step_due_later_is_not_marked_overdue(auth_client, user, make_opportunity):
    make_opportunity(
        user, next_step="Call", next_step_due=timezone.localdate() + dt.timedelta(days=2)
    )
    assert "overdue" not in auth_client.get("/opportunities/").content.decode()


def test_the_board_lists_only_my_opportunities(auth_client, user, other_user, make_opportunity):
    make_opportunity(user, role_title="Mine")
    make_opportunity(other_user, role_title="Theirs")
    html = auth_client.get("/opportunities/").content.decode()
    assert "Mine" in html and "Theirs" not in html


def test_the_board_answers_htmx_with_the_board_partial(auth_client, user, make_opportunity):
    make_opportunity(user, role_title="Mine")
    html = auth_client.get("/opportunities/", **HTMX).content.decode()
    assert html.lstrip().startswith('<div id="board"')
    assert "<html" not in html


def test_each_card_links_its_page_and_moves_through_its_own_route(
    auth_client, user, make_opportunity
):
    card = make_opportunity(user, role_title="Mine")
    for html in (
        auth_client.get("/opportunities/").content.decode(),
        auth_client.get("/opportunities/", **HTMX).content.decode(),
    ):
        move = f'"/opportunities/{card.pk}/move/"'
        assert f'href="/opportunities/{card.pk}/"' in html
        assert f"data-move-url={move}" in html and f"hx-post={move}" in html
        assert f"formaction={move}" in html


@pytest.mark.parametrize("size", [5, 500])
def test_the_board_runs_a_fixed_number_of_queries(
    size, auth_client, user, django_assert_num_queries
):
    orgs = Organization.objects.bulk_create(
        [Organization(owner=user, name=f"Org {n}") for n in range(size)]
    )
    stages = list(Stage)
    now = timezone.now()
    opportunities = Opportunity.objects.bulk_create(
        [
            Opportunity(
                owner=user,
                role_title=f"Role {n}",
                organization=orgs[n],
                stage=stages[n % len(stages)],
                next_step="Next",
                next_step_due=now.date(),
            )
            for n in range(size)
        ]
    )
    contacts = [ContactFactory(owner=user) for _ in range(3)]
    OpportunityContact.objects.bulk_create(
        [
            OpportunityContact(owner=user, opportunity=o, contact=contacts[n % 3], role="referrer")
            for n, o in enumerate(opportunities)
        ]
    )
    # session, user, the nav's due count, the board itself
    with django_assert_num_queries(BOARD_QUERIES):
        response = auth_client.get("/opportunities/")
    html = response.content.decode()
    per_stage = {stage: sum(1 for o in opportunities if o.stage == stage) for stage in Stage}
    shown = sum(
        min(count, OPEN_SHOWN) if stage in OPEN_STAGES else min(count, CLOSED_SHOWN)
        for stage, count in per_stage.items()
    )
    assert html.count('class="opp-card') == shown
    for stage, count in per_stage.items():
        assert f'{stage.label} <span class="pill">{count}</span>' in html
        if stage in OPEN_STAGES and count > OPEN_SHOWN:
            assert f'?stage={stage}">{count - OPEN_SHOWN} more in the list</a>' in html
    # One move menu for the whole board, however many cards.
    assert html.count("<select") == 1 and html.count("<option") == len(Stage)
    with django_assert_num_queries(BOARD_QUERIES):
        auth_client.get("/opportunities/", **HTMX)


BOARD_QUERIES = 4


def test_closed_columns_show_the_latest_and_link_to_the_rest(auth_client, user, make_opportunity):
    t0 = timezone.now() - dt.timedelta(days=100)
    for n in range(CLOSED_SHOWN + 2):
        opportunity = make_opportunity(user, role_title=f"Lost {n:02d}", stage=Stage.APPLIED, at=t0)
        services.move_to_stage(
            owner=user, opportunity=opportunity, stage=Stage.REJECTED, at=t0 + dt.timedelta(days=n)
        )
    html = auth_client.get("/opportunities/").content.decode()
    closed = html[html.index('id="column-rejected"') :]
    assert f"Lost {CLOSED_SHOWN + 1:02d}" in closed and "Lost 02" in closed
    assert "Lost 00" not in closed and "Lost 01" not in closed
    assert f"All {CLOSED_SHOWN + 2} rejected in the list" in closed
    assert 'href="/opportunities/list/?stage=rejected"' in closed


# Moving ----------------------------------------------------------------------------------------


def test_moving_a_card_with_htmx_swaps_the_board_and_records_the_change(
    auth_client, csrf, user, make_opportunity
):
    opportunity = make_opportunity(user, role_title="SRE", stage=Stage.REFERRED)
    response = post(
        auth_client, csrf, f"/opportunities/{opportunity.pk}/move/", {"stage": "applied"}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="board"')
    assert "“SRE” moved to Applied." in html
    applied = html[html.index('id="column-applied"') : html.index('id="column-interviewing"')]
    assert "SRE" in applied and "data-moved" in applied
    assert list(
        StageChange.objects.filter(opportunity=opportunity).values_list("to_stage", flat=True)
    ) == ["referred", "applied"]


def test_moving_without_javascript_redirects_back(auth_client, csrf, user, make_opportunity):
    opportunity = make_opportunity(user, stage=Stage.REFERRED)
    response = post(auth_client, csrf, f"/opportunities/{opportunity.pk}/move/", {"stage": "offer"})
    assert response.status_code == 302
    assert response["Location"] == "/opportunities/"
    opportunity.refresh_from_db()
    assert opportunity.stage == "offer"


def test_moving_from_the_details_page_returns_there(auth_client, csrf, user, make_opportunity):
    opportunity = make_opportunity(user)
    url = f"/opportunities/{opportunity.pk}/"
    response = post(auth_client, csrf, f"{url}move/", {"stage": "networking", "next": url})
    assert response["Location"] == url
    response = post(
        auth_client, csrf, f"{url}move/", {"stage": "applied", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/opportunities/"


def test_a_move_to_the_same_stage_says_so_and_records_nothing(
    auth_client, csrf, user, make_opportunity
):
    opportunity = make_opportunity(user, role_title="SRE", stage=Stage.APPLIED)
    response = post(
        auth_client, csrf, f"/opportunities/{opportunity.pk}/move/", {"stage": "applied"}, **HTMX
    )
    assert "“SRE” is already in Applied." in response.content.decode()
    assert StageChange.objects.filter(opportunity=opportunity).count() == 1


def test_a_move_to_an_unknown_stage_is_a_400_with_a_message(
    auth_client, csrf, user, make_opportunity
):
    opportunity = make_opportunity(user, stage=Stage.APPLIED)
    url = f"/opportunities/{opportunity.pk}/move/"
    response = post(auth_client, csrf, url, {"stage": "hired"}, **HTMX)
    assert response.status_code == 400
    assert "Choose a stage from the list." in response.content.decode()
    response = post(auth_client, csrf, url, {"stage": "hired"})
    assert response.status_code == 400
    assert "Choose a stage from the list." in response.content.decode()
    assert StageChange.objects.filter(opportunity=opportunity).count() == 1


def test_a_move_without_the_csrf_token_is_refused(auth_client, user, make_opportunity):
    opportunity = make_opportunity(user, stage=Stage.REFERRED)
    response = auth_client.post(
        f"/opportunities/{opportunity.pk}/move/", {"stage": "applied"}, **HTMX
    )
    assert response.status_code == 403
    opportunity.refresh_from_db()
    assert opportunity.stage == "referred"


def test_a_move_with_the_csrf_header_like_drag_and_drop_works(
    auth_client, csrf, user, make_opportunity
):
    opportunity = make_opportunity(user, stage=Stage.REFERRED)
    response = auth_client.post(
        f"/opportunities/{opportunity.pk}/move/",
        {"stage": "applied"},
        HTTP_X_CSRFTOKEN=csrf(auth_client),
        **HTMX,
    )
    assert response.status_code == 200
    opportunity.refresh_from_db()
    assert opportunity.stage == "applied"


def test_a_move_is_post_only(auth_client, user, make_opportunity):
    opportunity = make_opportunity(user)
    assert auth_client.get(f"/opportunities/{opportunity.pk}/move/").status_code == 405


# Creating and editing --------------------------------------------------------------------------


def test_it_creates_an_opportunity_with_a_new_organization(auth_client, csrf, user):
    response = post(
        auth_client,
        csrf,
        "/opportunities/new/",
        new_form(new_organization="Globex", stage="networking", next_step="Ask Dana"),
    )
    opportunity = Opportunity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/opportunities/{opportunity.pk}/"
    assert opportunity.owner == user
    assert opportunity.organization.name == "Globex"
    assert opportunity.stage == "networking"
    assert StageChange.objects.filter(opportunity=opportunity).count() == 1


def test_new_with_a_referrer_prefills_and_adds_them_as_referrer(auth_client, csrf, user, contact):
    contact.organization = OrganizationFactory(owner=user, name="Initech")
    contact.save()
    page = auth_client.get(f"/opportunities/new/?referrer={contact.pk}").content.decode()
    assert "Dana Referrer" in page
    assert f'<input type="radio" name="referrer" value="{contact.pk}" checked>' in page
    assert '<option value="referred" selected>' in page
    assert (
        f'<input type="radio" name="organization" value="{contact.organization_id}" checked>'
        in page
    )
    response = post(
        auth_client,
        csrf,
        f"/opportunities/new/?referrer={contact.pk}",
        new_form(referrer=contact.pk, stage="referred", organization=contact.organization_id),
    )
    assert response.status_code == 302
    opportunity = Opportunity.objects.get()
    assert list(opportunity.people.values_list("contact_id", "role")) == [(contact.pk, "referrer")]
    assert opportunity.stage == "referred"


def test_new_refuses_another_users_referrer_in_the_address(auth_client, foreign_contact):
    assert auth_client.get(f"/opportunities/new/?referrer={foreign_contact.pk}").status_code == 404
    assert auth_client.get("/opportunities/new/?referrer=abc").status_code == 404


def test_new_refuses_another_users_contact_in_the_post(auth_client, csrf, foreign_contact):
    response = post(auth_client, csrf, "/opportunities/new/", new_form(referrer=foreign_contact.pk))
    assert response.status_code == 400
    assert "Choose one of your contacts." in response.content.decode()
    assert not Opportunity.objects.exists()


def test_new_refuses_another_users_organization_in_the_post(auth_client, csrf, other_user):
    theirs = OrganizationFactory(owner=other_user)
    response = post(auth_client, csrf, "/opportunities/new/", new_form(organization=theirs.pk))
    assert response.status_code == 400
    assert "Choose one of your organizations." in response.content.decode()
    assert not Opportunity.objects.exists()


def test_an_invalid_form_keeps_what_was_typed(auth_client, csrf):
    response = post(
        auth_client,
        csrf,
        "/opportunities/new/",
        new_form(role_title="", posting_url="not a url", notes="Long story"),
        **HTMX,
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert html.lstrip().startswith('<form id="opportunity-form"')
    assert "This field is required." in html
    assert "Enter a valid URL." in html
    assert "not a url" in html and "Long story" in html


def test_a_valid_htmx_form_redirects_the_browser(auth_client, csrf):
    response = post(auth_client, csrf, "/opportunities/new/", new_form(), **HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/opportunities/{Opportunity.objects.get().pk}/"


def test_choosing_and_typing_two_different_organizations_is_refused(auth_client, csrf, user):
    mine = OrganizationFactory(owner=user, name="Acme")
    response = post(
        auth_client,
        csrf,
        "/opportunities/new/",
        new_form(organization=mine.pk, new_organization="Globex"),
    )
    assert response.status_code == 400
    assert "clear it to add “Globex” instead" in response.content.decode()


def test_editing_saves_fields_but_never_the_stage(auth_client, csrf, user, make_opportunity):
    opportunity = make_opportunity(user, stage=Stage.APPLIED)
    response = post(
        auth_client,
        csrf,
        f"/opportunities/{opportunity.pk}/edit/",
        new_form(
            role_title="Staff engineer",
            new_organization="Hooli",
            stage="offer",
            next_step_due="2026-05-04",
        ),
    )
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.role_title == "Staff engineer"
    assert opportunity.organization.name == "Hooli"
    assert opportunity.next_step_due == dt.date(2026, 5, 4)
    assert opportunity.stage == "applied"


def test_editing_refuses_another_users_organization(
    auth_client, csrf, user, other_user, make_opportunity
):
    opportunity = make_opportunity(user)
    theirs = OrganizationFactory(owner=other_user)
    response = post(
        auth_client,
        csrf,
        f"/opportunities/{opportunity.pk}/edit/",
        new_form(organization=theirs.pk),
    )
    assert response.status_code == 400
    opportunity.refresh_from_db()
    assert opportunity.organization_id != theirs.pk


def test_delete_asks_first_then_deletes(auth_client, csrf, user, make_opportunity):
    opportunity = make_opportunity(user, role_title="To go")
    page = auth_client.get(f"/opportunities/{opportunity.pk}/delete/")
    assert "Delete this opportunity?" in page.content.decode()
    assert Opportunity.objects.filter(pk=opportunity.pk).exists()
    response = post(auth_client, csrf, f"/opportunities/{opportunity.pk}/delete/", {})
    assert response["Location"] == "/opportunities/"
    assert not Opportunity.objects.filter(pk=opportunity.pk).exists()


# Details ---------------------------------------------------------------------------------------


def test_details_show_people_interactions_and_the_timeline_with_days(
    auth_client, user, make_opportunity
):
    t0 = timezone.now() - dt.timedelta(days=12)
    dana = ContactFactory(owner=user, full_name="Dana Referrer")
    opportunity = make_opportunity(
        user, role_title="SRE", stage=Stage.REFERRED, at=t0, people=[(dana, "referrer")]
    )
    services.move_to_stage(
        owner=user, opportunity=opportunity, stage=Stage.APPLIED, at=t0 + dt.timedelta(days=3)
    )
    services.move_to_stage(
        owner=user,
        opportunity=opportunity,
        stage=Stage.INTERVIEWING,
        at=t0 + dt.timedelta(days=10),
    )
    old = InteractionFactory(
        owner=user,
        summary="Coffee with Dana",
        contacts=[dana],
        occurred_at=t0,
        opportunity=opportunity,
    )
    InteractionFactory(
        owner=user,
        summary="Thank-you note",
        opportunity=opportunity,
        occurred_at=t0 + dt.timedelta(days=1),
    )
    InteractionFactory(owner=user, summary="Unrelated chat")
    html = auth_client.get(f"/opportunities/{opportunity.pk}/").content.decode()
    assert "Dana Referrer" in html and "Referrer" in html
    assert html.index("Thank-you note") < html.index(old.summary)
    assert "Unrelated chat" not in html
    timeline = html[html.index('id="timeline"') :]
    assert timeline.index("Referred") < timeline.index("Applied") < timeline.index("Interviewing")
    assert "3 days" in timeline and "7 days" in timeline and "2 days</span> so far" in timeline
    assert 'id="opportunity-followups"' in html


def test_the_timeline_marks_a_revival(auth_client, user, make_opportunity):
    opportunity = make_opportunity(user, stage=Stage.APPLIED)
    services.move_to_stage(owner=user, opportunity=opportunity, stage=Stage.REJECTED)
    services.move_to_stage(owner=user, opportunity=opportunity, stage=Stage.INTERVIEWING)
    html = auth_client.get(f"/opportunities/{opportunity.pk}/").content.decode()
    assert "revived" in html


def test_details_run_a_fixed_number_of_queries(
    auth_client, user, make_opportunity, django_assert_num_queries
):
    def build(n):
        opportunity = make_opportunity(user)
        contacts = [ContactFactory(owner=user) for _ in range(n)]
        for c in contacts:
            services.add_person(owner=user, opportunity=opportunity, contact=c, role="insider")
            InteractionFactory(owner=user, opportunity=opportunity, contacts=[c])
            services.move_to_stage(
                owner=user,
                opportunity=opportunity,
                stage=Stage.APPLIED if opportunity.stage != "applied" else "offer",
            )
        return opportunity

    small, large = build(1), build(8)
    # session, user, nav count, opportunity, people, interactions + their contacts, timeline,
    # the interview rounds section (its interviewer picker searches: no list of contacts), and
    # whatever the follow-ups section needs (the person form searches too)
    with django_assert_num_queries(DETAIL_QUERIES):
        auth_client.get(f"/opportunities/{small.pk}/")
    with django_assert_num_queries(DETAIL_QUERIES):
        auth_client.get(f"/opportunities/{large.pk}/")


DETAIL_QUERIES = 10


# People ----------------------------------------------------------------------------------------


def test_adding_a_person_with_htmx_returns_the_people_section(
    auth_client, csrf, user, contact, make_opportunity
):
    opportunity = make_opportunity(user)
    response = post(
        auth_client,
        csrf,
        f"/opportunities/{opportunity.pk}/people/",
        {"contact": contact.pk, "role": "hiring_manager"},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card" id="people">')
    assert "Dana Referrer" in html and "Hiring manager" in html


def test_adding_the_same_person_twice_in_a_role_shows_a_clear_message(
    auth_client, csrf, user, contact, make_opportunity
):
    opportunity = make_opportunity(user, people=[(contact, "referrer")])
    url = f"/opportunities/{opportunity.pk}/people/"
    response = post(auth_client, csrf, url, {"contact": contact.pk, "role": "referrer"}, **HTMX)
    assert response.status_code == 400
    assert "Dana Referrer is already a referrer on this opportunity." in response.content.decode()
    response = post(auth_client, csrf, url, {"contact": contact.pk, "role": "referrer"})
    assert response.status_code == 400
    assert "already a referrer" in response.content.decode()
    assert opportunity.people.count() == 1
    response = post(auth_client, csrf, url, {"contact": contact.pk, "role": "insider"})
    assert response.status_code == 302
    assert opportunity.people.count() == 2


def test_adding_another_users_contact_is_refused(
    auth_client, csrf, user, foreign_contact, make_opportunity
):
    opportunity = make_opportunity(user)
    response = post(
        auth_client,
        csrf,
        f"/opportunities/{opportunity.pk}/people/",
        {"contact": foreign_contact.pk, "role": "referrer"},
    )
    assert response.status_code == 400
    assert "Choose one of your contacts." in response.content.decode()
    assert not opportunity.people.exists()


def test_removing_a_person(auth_client, csrf, user, contact, make_opportunity):
    opportunity = make_opportunity(user, people=[(contact, "referrer"), (contact, "insider")])
    person = opportunity.people.get(role="referrer")
    response = post(
        auth_client, csrf, f"/opportunities/{opportunity.pk}/people/{person.pk}/remove/", {}, **HTMX
    )
    assert response.status_code == 200
    assert list(opportunity.people.values_list("role", flat=True)) == ["insider"]


def test_a_person_of_another_opportunity_cannot_be_removed_through_mine(
    auth_client, csrf, user, contact, make_opportunity
):
    mine = make_opportunity(user)
    other = make_opportunity(user, people=[(contact, "referrer")])
    person = other.people.get()
    response = post(auth_client, csrf, f"/opportunities/{mine.pk}/people/{person.pk}/remove/", {})
    assert response.status_code == 404
    assert other.people.exists()


# List ------------------------------------------------------------------------------------------


def test_the_list_filters_by_stage_organization_source_status_and_contact(
    auth_client, user, contact, make_opportunity
):
    acme = OrganizationFactory(owner=user, name="Acme")
    make_opportunity(
        user,
        role_title="Alpha",
        organization=acme,
        stage=Stage.APPLIED,
        source_channel="linkedin",
        people=[(contact, "referrer")],
    )
    make_opportunity(user, role_title="Bravo", stage=Stage.REJECTED, source_channel="event")
    make_opportunity(user, role_title="Charlie", stage=Stage.OFFER, source_channel="event")

    def titles(query):
        html = auth_client.get(f"/opportunities/list/?{query}").content.decode()
        return {t for t in ["Alpha", "Bravo", "Charlie"] if f">{t}</a>" in html}

    assert titles("") == {"Alpha", "Bravo", "Charlie"}
    assert titles("stage=applied") == {"Alpha"}
    assert titles(f"organization={acme.pk}") == {"Alpha"}
    assert titles("source_channel=event") == {"Bravo", "Charlie"}
    assert titles("status=closed") == {"Bravo"}
    assert titles("status=open") == {"Alpha", "Charlie"}
    assert titles(f"contact={contact.pk}") == {"Alpha"}
    assert titles("q=char") == {"Charlie"}


def test_the_list_ignores_another_users_ids_in_filters(
    auth_client, user, foreign_contact, make_opportunity
):
    make_opportunity(user, role_title="Alpha")
    html = auth_client.get(f"/opportunities/list/?contact={foreign_contact.pk}").content.decode()
    assert ">Alpha</a>" in html
    assert "Someone Else" not in html


def test_the_list_answers_htmx_with_the_results(auth_client, user, make_opportunity):
    make_opportunity(user, role_title="Alpha")
    html = auth_client.get("/opportunities/list/", **HTMX).content.decode()
    assert html.lstrip().startswith('<section id="results"')


# Linking interactions is done by the interactions app; the reverse accessor is what we read.
def test_deleting_an_opportunity_keeps_its_conversations(auth_client, csrf, user, make_opportunity):
    opportunity = make_opportunity(user)
    interaction = InteractionFactory(owner=user, opportunity=opportunity)
    post(auth_client, csrf, f"/opportunities/{opportunity.pk}/delete/", {})
    interaction.refresh_from_db()
    assert interaction.opportunity is None
    assert Interaction.objects.filter(pk=interaction.pk).exists()


def test_pages_need_a_login(client):
    for url in ["/opportunities/", "/opportunities/list/", "/opportunities/new/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
