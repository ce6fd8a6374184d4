import datetime as dt
import json
import re

import pytest
import time_machine
from django.utils import timezone

from apps.contacts.models import Contact
from apps.core.localtime import local_to_utc, zone_named
from apps.interactions.models import Interaction
from apps.reminders.models import FollowUp, FollowUpStatus
from tests import factories

pytestmark = pytest.mark.django_db
NEW = "/interactions/new/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def post(client, url, data, csrf, **extra):
    token = csrf(client, NEW)
    return client.post(url, {"csrfmiddlewaretoken": token, **data}, **extra)


def test_the_page_preselects_the_contact_from_the_query(auth_client, contact):
    response = auth_client.get(f"{NEW}?contact={contact.pk}")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'name="contacts" value="{contact.pk}" checked' in html
    assert "Alice Martin" in html
    assert "<noscript>" in html  # the no-JavaScript picker


def test_the_dialog_gets_only_the_form(auth_client, contact):
    response = auth_client.get(f"{NEW}?contact={contact.pk}", **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "hx-post" in html and "data-contact-search" in html
    assert "<noscript>" not in html


def test_it_refuses_to_preselect_another_users_contact_or_follow_up(auth_client, other_user):
    theirs = factories.ContactFactory(owner=other_user)
    their_follow_up = factories.FollowUpFactory(owner=other_user)
    assert auth_client.get(f"{NEW}?contact={theirs.pk}").status_code == 404
    assert auth_client.get(f"{NEW}?followup={their_follow_up.pk}").status_code == 404


@time_machine.travel(dt.datetime(2025, 6, 10, 20, 0, tzinfo=dt.UTC), tick=False)
def test_saving_logs_it_and_plans_the_follow_up(client_for, csrf):
    user = factories.UserFactory(timezone="Asia/Tokyo")
    contact = factories.ContactFactory(owner=user)
    client = client_for(user)
    response = post(
        client,
        NEW,
        {
            "contacts": [contact.pk],
            "summary": "Coffee with the platform lead",
            "kind": "meeting",
            "channel": "in_person",
            "direction": "outbound",
            "minutes": "30",
            "gave": "An article",
            "asked": "Team structure",
            "asked_referral": "on",
            "follow_up": "7",
            "follow_up_note": "Send thanks",
        },
        csrf,
    )
    assert response.status_code == 302
    assert response["Location"] == f"/contacts/{contact.pk}/"
    interaction = Interaction.objects.get()
    assert (interaction.minutes, interaction.kind, interaction.asked_referral) == (
        30,
        "meeting",
        True,
    )
    assert interaction.occurred_at == timezone.now()
    follow_up = FollowUp.objects.get()
    assert follow_up.due_at == dt.datetime(2025, 6, 18, 0, 0, tzinfo=dt.UTC)  # 09:00 Tokyo
    assert follow_up.note == "Send thanks"
    contact.refresh_from_db()
    assert contact.last_interaction_at == interaction.occurred_at


def test_a_typed_when_is_the_users_local_time(client_for, csrf):
    user = factories.UserFactory(timezone="Asia/Tokyo")
    contact = factories.ContactFactory(owner=user)
    post(
        client_for(user),
        NEW,
        {
            "contacts": [contact.pk],
            "summary": "Call",
            "kind": "call",
            "channel": "phone",
            "direction": "mutual",
            "occurred_at": "2025-01-15T09:30",
        },
        csrf,
    )
    assert Interaction.objects.get().occurred_at == dt.datetime(2025, 1, 15, 0, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("typed", "instant"),
    [
        # Skipped by the spring-forward gap: it happened at 03:30 CEST, as a follow-up would.
        ("2026-03-29T02:30", dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC)),
        # Twice at fall-back: its first pass (CEST), once.
        ("2026-10-25T02:30", dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)),
    ],
)
def test_a_typed_when_across_daylight_saving_follows_the_one_clock_rule(
    client_for, csrf, typed, instant
):
    user = factories.UserFactory(timezone="Europe/Berlin")
    contact = factories.ContactFactory(owner=user)
    data = {"contacts": [contact.pk], "summary": "Call", "kind": "call", "channel": "phone"}
    response = post(
        client_for(user), NEW, {**data, "direction": "mutual", "occurred_at": typed}, csrf
    )
    assert response.status_code == 302
    assert Interaction.objects.get().occurred_at == instant
    assert instant == local_to_utc(
        dt.date.fromisoformat(typed[:10]), dt.time(2, 30), zone_named("Europe/Berlin")
    )


def test_a_custom_minutes_value_wins_over_presets(auth_client, contact, csrf):
    post(
        auth_client,
        NEW,
        {
            "contacts": [contact.pk],
            "summary": "Long chat",
            "kind": "call",
            "channel": "phone",
            "direction": "outbound",
            "minutes": "15",
            "minutes_custom": "95",
        },
        csrf,
    )
    assert Interaction.objects.get().minutes == 95


def test_a_new_name_creates_the_contact(auth_client, user, csrf):
    post(
        auth_client,
        NEW,
        {
            "new_contacts": ["Priya Raman"],
            "summary": "Met at the meetup",
            "kind": "event",
            "channel": "event",
            "direction": "mutual",
        },
        csrf,
    )
    priya = Contact.objects.owned_by(user).get(full_name="Priya Raman")
    assert list(Interaction.objects.get().contacts.all()) == [priya]


def test_the_dialog_save_triggers_the_logged_event(auth_client, contact, csrf):
    response = post(
        auth_client,
        NEW,
        {
            "contacts": [contact.pk],
            "summary": "Quick DM",
            "kind": "message",
            "channel": "linkedin",
            "direction": "outbound",
        },
        csrf,
        **HTMX,
    )
    assert response.status_code == 200
    events = json.loads(response["HX-Trigger"])
    assert "followups-changed" in events  # Today's follow-up sections refresh too
    event = events["interactionLogged"]
    assert event["contacts"] == [contact.pk]
    assert "Quick DM" in event["message"]
    assert "Quick DM" in response.content.decode()


def test_saving_completes_the_follow_up_being_answered(auth_client, user, contact, csrf):
    follow_up = factories.FollowUpFactory(owner=user, contact=contact, note="Ask about the role")
    page = auth_client.get(f"{NEW}?contact={contact.pk}&followup={follow_up.pk}")
    assert "Ask about the role" in page.content.decode()
    assert f'name="followup" value="{follow_up.pk}"' in page.content.decode()
    post(
        auth_client,
        NEW,
        {
            "contacts": [contact.pk],
            "summary": "Followed up",
            "kind": "message",
            "channel": "email",
            "direction": "outbound",
            "followup": follow_up.pk,
        },
        csrf,
    )
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.DONE


def test_it_refuses_another_users_follow_up_in_the_post(auth_client, other_user, contact, csrf):
    theirs = factories.FollowUpFactory(owner=other_user)
    response = post(
        auth_client,
        NEW,
        {
            "contacts": [contact.pk],
            "summary": "x",
            "kind": "message",
            "channel": "email",
            "direction": "outbound",
            "followup": theirs.pk,
        },
        csrf,
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == FollowUpStatus.OPEN
    assert not Interaction.objects.exists()


def test_it_refuses_another_users_contact_in_the_post(auth_client, other_user, contact, csrf):
    theirs = factories.ContactFactory(owner=other_user)
    response = post(
        auth_client,
        NEW,
        {
            "contacts": [contact.pk, theirs.pk],
            "summary": "Sneaky",
            "kind": "message",
            "channel": "email",
            "direction": "outbound",
        },
        csrf,
    )
    assert response.status_code == 400
    assert "not in your contacts" in response.content.decode()
    assert not Interaction.objects.exists()
    theirs.refresh_from_db()
    assert theirs.last_interaction_at is None


def test_it_refuses_another_users_opportunity_in_the_post(auth_client, other_user, contact, csrf):
    theirs = factories.OpportunityFactory(owner=other_user)
    response = post(
        auth_client,
        NEW,
        {
            "contacts": [contact.pk],
            "summary": "x",
            "kind": "message",
            "channel": "email",
            "direction": "outbound",
            "opportunity": theirs.pk,
        },
        csrf,
    )
    assert response.status_code == 400
    assert "not one of yours" in response.content.decode()
    assert not Interaction.objects.exists()


def test_only_open_opportunities_of_the_owner_are_offered(auth_client, user, other_user):
    mine = factories.OpportunityFactory(owner=user, role_title="Staff engineer")
    factories.OpportunityFactory(owner=user, role_title="Closed role", stage="rejected")
    factories.OpportunityFactory(owner=other_user, role_title="Their role")
    # The form lists none (its picker searches); what the search offers is the owner's open ones.
    assert "Staff engineer" not in auth_client.get(NEW).content.decode()
    html = (
        auth_client.get(
            "/pick/", {"kind": "open_opportunity", "name": "opportunity", "opportunity_q": "role"}
        ).content.decode()
        + auth_client.get(
            "/pick/", {"kind": "open_opportunity", "name": "opportunity", "opportunity_q": "staff"}
        ).content.decode()
    )
    assert f'value="{mine.pk}"' in html and "Staff engineer" in html
    assert "Closed role" not in html and "Their role" not in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"summary": "Coffee"}, "Pick at least one contact"),
        ({"contacts": "CONTACT", "summary": ""}, "a summary is required"),
        ({"contacts": "CONTACT", "summary": "x", "minutes_custom": "-5"}, "can’t be negative"),
        ({"contacts": "CONTACT", "summary": "x", "minutes_custom": "1441"}, "more than 24 hours"),
        ({"contacts": "CONTACT", "summary": "x", "occurred_at": "2999-01-01T10:00"}, "future"),
        ({"contacts": "CONTACT", "summary": "x", "follow_up": "custom"}, "Pick the date"),
        ({"contacts": "CONTACT", "summary": "x", "follow_up_date": "2001-01-01"}, "has passed"),
    ],
)
def test_bad_input_gets_a_clear_message_and_keeps_what_was_typed(
    auth_client, contact, csrf, data, message
):
    data = {k: (contact.pk if v == "CONTACT" else v) for k, v in data.items()}
    typed = {"kind": "call", "channel": "phone", "direction": "inbound", "gave": "An intro"}
    if "contacts" in data:
        typed["new_contacts"] = ["Sam New"]
    response = post(auth_client, NEW, {**typed, **data}, csrf)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'value="An intro"' in html
    assert re.search(r'name="direction" value="inbound"[^>]*checked', html)
    if "contacts" in data:
        # The chosen chips come back, the existing contact and the new name alike.
        assert f'name="contacts" value="{contact.pk}" checked' in html
        assert 'name="new_contacts" value="Sam New" checked' in html
    assert not Interaction.objects.exists()


def test_the_dialog_redraws_the_form_in_place_on_bad_input(auth_client, contact, csrf):
    response = post(
        auth_client,
        NEW,
        {
            "contacts": [contact.pk],
            "summary": "",
            "kind": "call",
            "channel": "phone",
            "direction": "outbound",
        },
        csrf,
        **HTMX,
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert html.lstrip().startswith("<form") and "a summary is required" in html
    assert "HX-Trigger" not in response


@pytest.mark.parametrize("url", [NEW, "/interactions/{pk}/edit/", "/interactions/{pk}/delete/"])
def test_htmx_posts_without_the_csrf_token_are_refused(user, contact, url):
    from django.test import Client

    interaction = factories.InteractionFactory(owner=user, contacts=[contact])
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(
        url.format(pk=interaction.pk),
        {
            "contacts": [contact.pk],
            "summary": "x",
            "kind": "call",
            "channel": "phone",
            "direction": "outbound",
        },
        **HTMX,
    )
    assert response.status_code == 403
    assert Interaction.objects.get().summary == interaction.summary


def test_editing_changes_the_interaction(auth_client, user, contact, csrf):
    interaction = factories.InteractionFactory(
        owner=user, contacts=[contact], summary="Old", minutes=45
    )
    page = auth_client.get(f"/interactions/{interaction.pk}/edit/")
    html = page.content.decode()
    assert 'value="Old"' in html and 'name="minutes_custom" value="45"' in html
    response = post(
        auth_client,
        f"/interactions/{interaction.pk}/edit/",
        {
            "contacts": [contact.pk],
            "summary": "New",
            "kind": "call",
            "channel": "phone",
            "direction": "outbound",
            "minutes": "15",
        },
        csrf,
    )
    assert response.status_code == 302
    interaction.refresh_from_db()
    assert (interaction.summary, interaction.minutes) == ("New", 15)


def test_editing_with_bad_input_answers_400(auth_client, user, contact, csrf):
    interaction = factories.InteractionFactory(owner=user, contacts=[contact], summary="Old")
    response = post(
        auth_client,
        f"/interactions/{interaction.pk}/edit/",
        {
            "contacts": [],
            "summary": "Changed",
            "kind": "call",
            "channel": "phone",
            "direction": "outbound",
        },
        csrf,
    )
    assert response.status_code == 400
    assert 'value="Changed"' in response.content.decode()
    interaction.refresh_from_db()
    assert interaction.summary == "Old"


def test_deleting_asks_first_then_recomputes(auth_client, user, contact, csrf):
    interaction = factories.InteractionFactory(owner=user, contacts=[contact])
    contact.last_interaction_at = interaction.occurred_at
    contact.save()
    page = auth_client.get(f"/interactions/{interaction.pk}/delete/")
    assert page.status_code == 200 and "Delete this conversation?" in page.content.decode()
    assert Interaction.objects.exists()
    response = post(auth_client, f"/interactions/{interaction.pk}/delete/", {}, csrf)
    assert response.status_code == 302
    assert not Interaction.objects.exists()
    contact.refresh_from_db()
    assert contact.last_interaction_at is None


@pytest.mark.parametrize("action", ["edit", "delete"])
def test_another_users_interaction_answers_404(auth_client, other_user, csrf, action):
    theirs = factories.InteractionFactory(
        owner=other_user, contacts=[factories.ContactFactory(owner=other_user)]
    )
    url = f"/interactions/{theirs.pk}/{action}/"
    assert auth_client.get(url).status_code == 404
    response = post(
        auth_client,
        url,
        {
            "contacts": [],
            "summary": "Hijack",
            "kind": "call",
            "channel": "phone",
            "direction": "outbound",
        },
        csrf,
    )
    assert response.status_code == 404
    assert Interaction.objects.get().summary == theirs.summary


def test_pages_need_a_signed_in_user(client):
    for url in [NEW, "/interactions/", "/interactions/contact-suggestions/?q=a"]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_timeline_lists_the_others_in_a_conversation_with_commas_between(auth_client, user):
    names = ["Ada Byron", "Bea Chen", "Cai Dunn"]
    people = [factories.ContactFactory(owner=user, full_name=name) for name in names]
    factories.InteractionFactory(owner=user, contacts=people)
    for person in people:
        html = auth_client.get(person.get_absolute_url()).content.decode()
        others = re.search(r'<span class="muted">With:</span>(.*?)</p>', html, re.S).group(1)
        text = re.sub(r"<[^>]+>|\{#.*?#\}", "", others).split()
        assert " ".join(text) == ", ".join(name for name in names if name != person.full_name)
