"""Every way of logging a conversation, moving a stage or marking a follow-up done writes one
delivery row per subscribed endpoint, in the write's own transaction, queued after commit."""

import math
import re

import pytest
from django.db import transaction
from django.test import Client

from apps.interactions import services as interactions
from apps.opportunities import services as opportunities
from apps.reminders import links
from apps.reminders import services as reminders
from apps.webhooks import services as webhooks
from apps.webhooks.models import Event, WebhookDelivery
from tests import factories
from tests.api.conftest import ApiClient
from tests.api.conftest import token_for as token_for  # noqa: F401 - the fixture, reused

pytestmark = pytest.mark.django_db


def rows(owner, event=None):
    found = WebhookDelivery.objects.filter(owner=owner)
    return list(found.filter(event_type=event) if event else found)


def test_a_conversation_writes_one_row_per_subscribed_active_endpoint(
    user, other_user, endpoint_for, django_capture_on_commit_callbacks
):
    everything = endpoint_for(user)
    conversations = endpoint_for(user, events=[Event.CONVERSATION_LOGGED])
    endpoint_for(user, events=[Event.STAGE_CHANGED])  # not subscribed
    paused = endpoint_for(user)
    paused.active = False
    paused.save()
    endpoint_for(other_user)  # someone else's
    contact = factories.ContactFactory(owner=user, full_name="Ada Lovelace")
    with django_capture_on_commit_callbacks() as callbacks:
        interaction = interactions.log_interaction(
            owner=user, contacts=[contact], summary="Coffee", minutes=30
        )
    found = rows(user)
    assert sorted(r.endpoint_id for r in found) == sorted([everything.pk, conversations.pk])
    assert {r.event_type for r in found} == {"conversation.logged"}
    # One event, one id, whichever endpoint it goes to: receivers drop a copy by it.
    assert len({r.event_id for r in found}) == 1
    data = found[0].payload["data"]["conversation"]
    assert data["id"] == interaction.pk and data["summary"] == "Coffee"
    assert data["contacts"] == [{"id": contact.pk, "name": "Ada Lovelace"}]
    assert data["url"].endswith(f"/interactions/{interaction.pk}/edit/")
    assert rows(other_user) == []
    # Queued once the transaction commits: the event's two rows in one task.
    assert len(callbacks) == 1


def test_many_events_at_once_are_queued_in_batches_and_every_row_is_delivered(
    user, endpoint_for, django_capture_on_commit_callbacks, monkeypatch
):
    # A backlog marked done writes its events together: a task per batch of rows, not per row.
    endpoint_for(user, events=[Event.FOLLOW_UP_DONE])
    endpoint_for(user, events=[Event.FOLLOW_UP_DONE])
    count = webhooks.DELIVER_BATCH + 3  # two endpoints: 2 × count rows
    sent = []
    monkeypatch.setattr(
        webhooks, "deliver", lambda pk: sent.append(pk) or webhooks.Outcome("delivered")
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        written = webhooks.record_events(
            owner_id=user.pk,
            event_type=Event.FOLLOW_UP_DONE,
            data=[{"follow_up": {"id": i}} for i in range(count)],
        )
    assert len(written) == 2 * count
    assert len(callbacks) == math.ceil(2 * count / webhooks.DELIVER_BATCH) == 3
    # Each row delivered once, in the order written.
    assert sent == [row.pk for row in written]


def test_a_rolled_back_write_leaves_no_row_and_queues_nothing(
    user, endpoint_for, django_capture_on_commit_callbacks
):
    endpoint_for(user)
    contact = factories.ContactFactory(owner=user)
    opportunity = factories.OpportunityFactory(owner=user)
    follow_up = factories.FollowUpFactory(owner=user, contact=contact)
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        interactions.log_interaction(owner=user, contacts=[contact], summary="Coffee")
        opportunities.move_to_stage(owner=user, opportunity=opportunity, stage="applied")
        reminders.complete_follow_up(owner=user, follow_up=follow_up)
        assert len(rows(user)) == 3  # written inside the transaction...
        raise RuntimeError("the write fails after the events")
    assert rows(user) == []  # ...and gone with it
    assert callbacks == []


def test_a_stage_move_and_a_follow_up_done_write_their_events(user, endpoint_for):
    endpoint_for(user)
    opportunity = factories.OpportunityFactory(owner=user, role_title="Staff engineer")
    opportunities.move_to_stage(owner=user, opportunity=opportunity, stage="referred")
    opportunities.move_to_stage(owner=user, opportunity=opportunity, stage="referred")  # no move
    (moved,) = rows(user, Event.STAGE_CHANGED)
    data = moved.payload["data"]
    assert (data["from_stage"], data["to_stage"]) == ("identified", "referred")
    assert data["opportunity"]["role_title"] == "Staff engineer"
    follow_up = factories.FollowUpFactory(owner=user, note="Send the deck")
    reminders.complete_follow_up(owner=user, follow_up=follow_up)
    reminders.complete_follow_up(owner=user, follow_up=follow_up)  # already done: no event
    (done,) = rows(user, Event.FOLLOW_UP_DONE)
    assert done.payload["data"]["follow_up"]["note"] == "Send the deck"
    assert done.payload["type"] == "follow_up.done"


def test_an_account_without_endpoints_gets_no_rows(user):
    contact = factories.ContactFactory(owner=user)
    interactions.log_interaction(owner=user, contacts=[contact], summary="Coffee")
    assert WebhookDelivery.objects.count() == 0


# --- every way in -----------------------------------------------------------------------------


def _post(client, url, data):
    client.get("/settings/")
    return client.post(url, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value, **data})


def test_the_web_form_and_the_quick_log_dialog_write_the_event(user, client_for, endpoint_for):
    endpoint_for(user, events=[Event.CONVERSATION_LOGGED])
    contact = factories.ContactFactory(owner=user)
    client = client_for(user)
    data = {"contacts": [contact.pk], "summary": "Coffee", "kind": "meeting", "minutes": "30"}
    data |= {"channel": "in_person", "direction": "outbound"}
    assert _post(client, "/interactions/new/", data).status_code == 302
    dialog = _post(client, "/interactions/new/", data | {"summary": "Call"})
    assert dialog.status_code == 302
    response = client.post(
        "/interactions/new/",
        {
            **data,
            "summary": "From the dialog",
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code in (200, 204)
    summaries = sorted(r.payload["data"]["conversation"]["summary"] for r in rows(user))
    assert summaries == ["Call", "Coffee", "From the dialog"]


def test_the_board_move_today_done_and_bulk_done_write_their_events(user, client_for, endpoint_for):
    endpoint_for(user)
    client = client_for(user)
    opportunity = factories.OpportunityFactory(owner=user)
    _post(client, f"/opportunities/{opportunity.pk}/move/", {"stage": "applied"})
    assert len(rows(user, Event.STAGE_CHANGED)) == 1
    one = factories.FollowUpFactory(owner=user)
    _post(client, f"/followups/{one.pk}/done/", {"next": "/"})
    assert len(rows(user, Event.FOLLOW_UP_DONE)) == 1
    overdue = factories.FollowUpFactory.create_batch(
        3, owner=user, due_at=one.due_at.replace(year=2024)
    )
    response = _post(
        client,
        "/followups/backlog/",
        {"scope": "selected", "action": "done", "ids": [f.pk for f in overdue]},
    )
    assert response.status_code in (200, 302)
    done_ids = {r.payload["data"]["follow_up"]["id"] for r in rows(user, Event.FOLLOW_UP_DONE)}
    assert done_ids == {one.pk, *(f.pk for f in overdue)}


def test_the_one_click_email_done_writes_the_event(user, endpoint_for):
    endpoint_for(user, events=[Event.FOLLOW_UP_DONE])
    follow_up = factories.FollowUpFactory(owner=user)
    url = re.sub(r"^https?://[^/]+", "", links.action_url(action="done", follow_up=follow_up))
    client = Client(enforce_csrf_checks=True)
    client.get(url)
    assert (
        client.post(url, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value}).status_code
        == 200
    )
    (row,) = rows(user)
    assert row.payload["data"]["follow_up"]["id"] == follow_up.pk


def test_the_api_writes_the_same_events(user, endpoint_for, token_for):  # noqa: F811
    endpoint_for(user)
    api = ApiClient(token_for(user)[1])
    contact = factories.ContactFactory(owner=user)
    response = api.post("/conversations", {"contacts": [contact.pk], "summary": "From a script"})
    assert response.status_code == 201, response.content
    opportunity = factories.OpportunityFactory(owner=user)
    assert (
        api.post(f"/opportunities/{opportunity.pk}/stage", {"stage": "applied"}).status_code == 200
    )
    follow_up = factories.FollowUpFactory(owner=user)
    assert api.post(f"/followups/{follow_up.pk}/done").status_code == 200
    assert sorted(r.event_type for r in rows(user)) == [
        "conversation.logged",
        "follow_up.done",
        "opportunity.stage_changed",
    ]
