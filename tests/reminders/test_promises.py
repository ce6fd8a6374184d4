"""Promises: made while logging a conversation, listed on Today, emailed once, in the calendar
feed, and kept as a give on the contact."""

import datetime as dt

import pytest
import time_machine
from icalendar import Calendar

from apps.interactions.models import Interaction
from apps.reminders import emails, selectors, services
from apps.reminders.models import Delivery, DeliveryKind, FollowUp, FollowUpKind
from apps.reminders.selectors import SECTION_SHOWN
from tests import factories
from tests.conftest import csrf_token
from tests.reminders.conftest import at

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 5, 4, 12, tzinfo=dt.UTC)


def _log_with_promise(client, contact, *, promise="Send my migration notes", on="2026-05-08"):
    data = {
        "contacts": [contact.pk],
        "summary": "Coffee about their platform team",
        "kind": "meeting",
        "channel": "event",
        "direction": "outbound",
        "promise": promise,
        "promise_date": on,
    }
    if "csrftoken" not in client.cookies:
        csrf_token(client, "/interactions/new/")
    token = client.cookies["csrftoken"].value
    return client.post("/interactions/new/", {"csrfmiddlewaretoken": token, **data})


def _promise(owner, **kwargs):
    return factories.FollowUpFactory(owner=owner, kind=FollowUpKind.PROMISE, **kwargs)


@time_machine.travel(NOW, tick=False)
def test_logging_a_promise_creates_a_promise_follow_up_due_that_day(client_for, user):
    contact = factories.ContactFactory(owner=user, full_name="Ann Lee")
    response = _log_with_promise(client_for(user), contact)
    assert response.status_code == 302
    promise = FollowUp.objects.get(kind=FollowUpKind.PROMISE)
    assert (promise.contact, promise.note) == (contact, "Send my migration notes")
    assert promise.due_at == at("UTC", 2026, 5, 8, 9, 0)
    assert promise.source_interaction == Interaction.objects.get()


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("promise", "on", "message"),
    [
        ("Send notes", "", "By when?"),
        ("", "2026-05-08", "Say what you promised"),
        ("Send notes", "2026-05-01", "That date has passed"),
    ],
)
def test_a_half_given_promise_is_refused_with_a_message_and_nothing_saved(
    client_for, user, promise, on, message
):
    contact = factories.ContactFactory(owner=user)
    response = _log_with_promise(client_for(user), contact, promise=promise, on=on)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert "Coffee about their platform team" in body  # what was typed is kept
    assert not Interaction.objects.exists() and not FollowUp.objects.exists()


def test_a_promise_without_the_csrf_token_is_refused(client_for, user):
    contact = factories.ContactFactory(owner=user)
    response = client_for(user).post(
        "/interactions/new/",
        {"contacts": [contact.pk], "summary": "x", "promise": "y", "promise_date": "2030-01-01"},
    )
    assert response.status_code == 403
    assert not FollowUp.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_today_lists_promises_under_you_promised_and_not_twice(auth_client, user):
    promise = _promise(user, note="Send the deck", due_at=NOW + dt.timedelta(hours=2))
    factories.FollowUpFactory(
        owner=user, note="Plain follow-up", due_at=NOW + dt.timedelta(hours=3)
    )
    body = auth_client.get("/").content.decode()
    assert "You promised" in body
    assert body.count("Send the deck") == 1
    assert f"Mark the promise to {promise.contact} kept" in body
    sections = selectors.today_sections(user, now=NOW)
    assert sections.promised == [promise]
    assert promise not in sections.due_today


@time_machine.travel(NOW, tick=False)
def test_keeping_a_promise_records_one_give_on_that_contact(auth_client, user):
    promise = _promise(user, note="Send the deck", due_at=NOW)
    token = csrf_token(auth_client, "/")
    auth_client.post(f"/followups/{promise.pk}/done/", {"csrfmiddlewaretoken": token})
    auth_client.post(f"/followups/{promise.pk}/done/", {"csrfmiddlewaretoken": token})
    give = Interaction.objects.get()
    assert give.gave == "Send the deck"
    assert list(give.contacts.all()) == [promise.contact]
    assert give.summary == "Kept my promise: Send the deck"
    # A plain follow-up done is not a give.
    plain = factories.FollowUpFactory(owner=user)
    services.complete_follow_up(owner=user, follow_up=plain)
    assert Interaction.objects.count() == 1


def test_another_users_promise_cannot_be_kept(client_for, user, other_user):
    promise = _promise(other_user)
    client = client_for(user)
    token = csrf_token(client, "/")
    response = client.post(f"/followups/{promise.pk}/done/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 404
    assert not Interaction.objects.exists()


def test_a_promise_reminder_is_worded_as_a_promise_and_sent_exactly_once(outbox, user):
    contact = factories.ContactFactory(owner=user, full_name="Ann Lee")
    due = at("UTC", 2026, 5, 4, 9, 0)
    _promise(user, contact=contact, note="Send the deck", due_at=due)
    for minute in range(3):
        with time_machine.travel(due + dt.timedelta(minutes=minute), tick=False):
            ids = services.collect_due()
            # A duplicate send task for the same row loses the claim.
            for pk in ids + ids:
                services.deliver(pk)
    assert len(outbox) == 1
    assert outbox[0].subject == "You promised Ann Lee: Send the deck"
    assert "You promised Ann Lee" in outbox[0].body
    assert Delivery.objects.get().kind == DeliveryKind.REMINDER


def test_the_digest_lists_promises_due_today(user):
    user.reminder_mode = "digest"
    user.save()
    due = at("UTC", 2026, 5, 4, 9, 0)
    _promise(user, note="Send the deck", due_at=due)
    delivery = Delivery.objects.create(
        owner=user, kind=DeliveryKind.DIGEST, due_at=due, local_date=due.date(), created_at=due
    )
    with time_machine.travel(due + dt.timedelta(hours=1), tick=False):
        message = emails.build(delivery)
    assert message is not None
    assert "Promise: " in message.body and "Send the deck" in message.body


def test_the_calendar_feed_names_promises(client, user):
    promise = _promise(user, note="Send the deck")
    response = client.get(f"/calendar/{user.calendar_token}.ics")
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["summary"]) == f"You promised {promise.contact}"


def test_a_crowded_digest_lists_the_first_and_counts_them_all(user):
    user.reminder_mode = "digest"
    user.save()
    due = at("UTC", 2026, 5, 4, 9, 0)
    crowd = SECTION_SHOWN + 7
    for i in range(crowd):
        factories.FollowUpFactory(owner=user, due_at=due + dt.timedelta(minutes=i))
    for i in range(3):
        _promise(user, note=f"Send deck {i}", due_at=due + dt.timedelta(hours=2))
    delivery = Delivery.objects.create(
        owner=user, kind=DeliveryKind.DIGEST, due_at=due, local_date=due.date(), created_at=due
    )
    with time_machine.travel(due + dt.timedelta(minutes=1), tick=False):
        message = emails.build(delivery)
    total = crowd + 3
    assert message.subject.startswith(f"{total} follow-ups for today")
    listed = SECTION_SHOWN + 3  # the first of today's, and the promises due today
    assert f"…and {total - listed} more on Today." in message.body
