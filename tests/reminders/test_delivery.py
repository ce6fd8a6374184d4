"""The sweep and the send task, in-process: rows once, claims, retries, digests and DST."""

import datetime as dt
import email.policy
import email.utils
import re
import smtplib

import pytest
import time_machine
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.utils import timezone

from apps.reminders import emails, services, tasks
from apps.reminders.models import Delivery, DeliveryKind, DeliveryStatus, FollowUp
from tests import factories
from tests.reminders.conftest import at

pytestmark = pytest.mark.django_db


def sweep_and_send(now):
    with time_machine.travel(now, tick=False):
        ids = services.collect_due()
        return [services.deliver(pk).status for pk in ids]


def test_a_due_follow_up_is_delivered_once_however_often_the_sweep_runs(outbox):
    follow_up = factories.FollowUpFactory(due_at=at("UTC", 2026, 5, 4, 9, 0))
    for minute in range(5):
        sweep_and_send(at("UTC", 2026, 5, 4, 9, minute))
    assert len(outbox) == 1
    assert Delivery.objects.get().status == DeliveryStatus.SENT
    assert str(follow_up.contact) in outbox[0].subject


def test_a_follow_up_is_not_sent_before_its_time(outbox):
    factories.FollowUpFactory(due_at=at("UTC", 2026, 5, 4, 9, 0))
    sweep_and_send(at("UTC", 2026, 5, 4, 8, 59))
    assert outbox == []


def test_a_snoozed_follow_up_is_sent_again_at_its_new_time(outbox):
    follow_up = factories.FollowUpFactory(due_at=at("UTC", 2026, 5, 4, 9, 0))
    sweep_and_send(at("UTC", 2026, 5, 4, 9, 0))
    with time_machine.travel(at("UTC", 2026, 5, 4, 10, 0), tick=False):
        services.snooze_follow_up(owner=follow_up.owner, follow_up=follow_up, days=1)
    sweep_and_send(at("UTC", 2026, 5, 5, 9, 0))
    sweep_and_send(at("UTC", 2026, 5, 5, 9, 1))
    assert len(outbox) == 2


def test_a_second_claim_loses():
    factories.FollowUpFactory(due_at=at("UTC", 2026, 5, 4, 9, 0))
    now = at("UTC", 2026, 5, 4, 9, 0)
    with time_machine.travel(now, tick=False):
        [pk] = services.collect_due()
        assert services.claim(pk, now=now) is True
        assert services.claim(pk, now=now) is False


def test_an_expired_lease_is_requeued_and_delivered(outbox, settings):
    settings.REMINDER_LEASE_SECONDS = 60
    factories.FollowUpFactory(due_at=at("UTC", 2026, 5, 4, 9, 0))
    with time_machine.travel(at("UTC", 2026, 5, 4, 9, 0), tick=False):
        [pk] = services.collect_due()
        services.claim(pk, now=at("UTC", 2026, 5, 4, 9, 0))  # a worker that then died
    assert sweep_and_send(at("UTC", 2026, 5, 4, 9, 0, 30)) == []
    assert sweep_and_send(at("UTC", 2026, 5, 4, 9, 2)) == ["sent"]
    assert len(outbox) == 1


def test_smtp_errors_retry_with_backoff_then_fail_visibly(settings, monkeypatch):
    settings.REMINDER_MAX_ATTEMPTS = 3
    settings.REMINDER_RETRY_BASE_SECONDS = 60

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("connection refused")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    factories.FollowUpFactory(due_at=at("UTC", 2026, 5, 4, 9, 0))
    assert sweep_and_send(at("UTC", 2026, 5, 4, 9, 0)) == ["retry"]
    row = Delivery.objects.get()
    assert row.retry_at == at("UTC", 2026, 5, 4, 9, 1)
    assert sweep_and_send(at("UTC", 2026, 5, 4, 9, 0, 30)) == []  # backing off
    assert sweep_and_send(at("UTC", 2026, 5, 4, 9, 1)) == ["retry"]
    assert Delivery.objects.get().retry_at == at("UTC", 2026, 5, 4, 9, 3)  # doubled
    assert sweep_and_send(at("UTC", 2026, 5, 4, 9, 3)) == ["failed"]
    row = Delivery.objects.get()
    assert row.status == DeliveryStatus.FAILED and "refused" in row.last_error
    assert sweep_and_send(at("UTC", 2026, 5, 4, 10, 0)) == []


def test_users_who_turned_emails_off_get_none(outbox):
    user = factories.UserFactory(reminder_emails_enabled=False)
    factories.FollowUpFactory(owner=user, due_at=at("UTC", 2026, 5, 4, 9, 0))
    sweep_and_send(at("UTC", 2026, 5, 4, 9, 5))
    assert outbox == [] and not Delivery.objects.exists()


def test_the_email_has_context_actions_and_one_click_unsubscribe(outbox, settings):
    settings.SITE_URL = "https://ft.example"
    user = factories.UserFactory()
    opportunity = factories.OpportunityFactory(owner=user, next_step="Send portfolio")
    follow_up = factories.FollowUpFactory(
        owner=user,
        opportunity=opportunity,
        note="Ask about the team",
        due_at=at("UTC", 2026, 5, 4, 9, 0),
    )
    factories.InteractionFactory(
        owner=user,
        contacts=[follow_up.contact],
        summary="Coffee about data roles",
        occurred_at=at("UTC", 2026, 5, 1, 9, 0),
    )
    sweep_and_send(at("UTC", 2026, 5, 4, 9, 0))
    [message] = outbox
    html = message.alternatives[0].content
    for body in (message.body, html):
        assert "Coffee about data roles" in body
        assert "Send portfolio" in body
        assert "https://ft.example/r/" in body
        assert (
            f"https://ft.example/interactions/new/?contact={follow_up.contact_id}"
            in body.replace("&amp;", "&")
        )
    assert message.extra_headers["List-Unsubscribe"].startswith("<https://ft.example/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_reminder_subjects_are_plain_text_not_html_escaped():
    owner = factories.UserFactory()
    contact = factories.ContactFactory(owner=owner, full_name="Dan O'Brien")
    follow_up = factories.FollowUpFactory(owner=owner, contact=contact, note="AT&T <intro>")
    delivery = Delivery.objects.create(
        owner=owner,
        kind="reminder",
        follow_up=follow_up,
        due_at=follow_up.due_at,
        created_at=follow_up.due_at,
    )
    message = emails.build(delivery)
    assert message.subject == "Follow up with Dan O'Brien: AT&T <intro>"


def test_the_sweep_task_queues_sends_after_commit(outbox, django_capture_on_commit_callbacks):
    factories.FollowUpFactory(due_at=at("UTC", 2026, 5, 4, 9, 0))
    with time_machine.travel(at("UTC", 2026, 5, 4, 9, 0), tick=False):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            tasks.sweep_due_reminders.delay()
        assert outbox == [] and len(callbacks) == 1  # nothing is queued before the commit
        callbacks[0]()
    assert len(outbox) == 1


def test_the_command_runs_one_sweep_in_the_foreground(outbox, capsys):
    factories.FollowUpFactory(due_at=at("UTC", 2026, 5, 4, 9, 0))
    with time_machine.travel(at("UTC", 2026, 5, 4, 9, 0), tick=False):
        call_command("send_due_reminders")
    assert len(outbox) == 1
    assert "1 sent" in capsys.readouterr().out


# --- daylight saving -------------------------------------------------------------------------

TRANSITIONS = {
    # zone: (spring-forward day, fall-back day) in 2026
    "America/New_York": (dt.date(2026, 3, 8), dt.date(2026, 11, 1)),
    "Europe/Berlin": (dt.date(2026, 3, 29), dt.date(2026, 10, 25)),
    "Australia/Sydney": (dt.date(2026, 10, 4), dt.date(2026, 4, 5)),
}


def _sent_times():
    return sorted(Delivery.objects.filter(status="sent").values_list("sent_at", flat=True))


@pytest.mark.parametrize("zone", TRANSITIONS)
def test_nine_oclock_follow_ups_fire_at_nine_local_across_both_transitions(zone, outbox):
    user = factories.UserFactory(timezone=zone, weekly_review_enabled=False)
    days = []
    for transition in TRANSITIONS[zone]:
        days += [transition - dt.timedelta(days=1), transition, transition + dt.timedelta(days=1)]
    for day in days:
        due = at(zone, day.year, day.month, day.day, 9, 0)
        factories.FollowUpFactory(owner=user, due_at=due)
        sweep_and_send(due - dt.timedelta(minutes=1))
        sweep_and_send(due)
        sweep_and_send(due + dt.timedelta(minutes=1))
    local_times = {t.astimezone(user.zone).strftime("%H:%M") for t in _sent_times()}
    assert len(outbox) == len(days) and local_times == {"09:00"}


@pytest.mark.parametrize("zone", TRANSITIONS)
def test_daily_digests_arrive_at_the_digest_hour_across_both_transitions(zone, outbox):
    user = factories.UserFactory(
        timezone=zone, reminder_mode="digest", digest_hour=9, weekly_review_enabled=False
    )
    for transition in TRANSITIONS[zone]:
        for offset in (-1, 0, 1):
            day = transition + dt.timedelta(days=offset)
            factories.FollowUpFactory(owner=user, due_at=at(zone, day.year, day.month, day.day, 12))
            nine = at(zone, day.year, day.month, day.day, 9, 0)
            for minutes in (-1, 0, 1, 30):
                sweep_and_send(nine + dt.timedelta(minutes=minutes))
    local_times = [t.astimezone(user.zone).strftime("%H:%M") for t in _sent_times()]
    assert local_times == ["09:00"] * 6 and len(outbox) == 6


def test_a_spring_forward_gap_time_fires_once_at_0330(outbox):
    user = factories.UserFactory(timezone="America/New_York", weekly_review_enabled=False)
    due = local_to_utc_ny(2026, 3, 8, 2, 30)
    factories.FollowUpFactory(owner=user, due_at=due)
    start = at("UTC", 2026, 3, 8, 6, 0)  # 01:00 EST
    for minute in range(0, 180):
        sweep_and_send(start + dt.timedelta(minutes=minute))
    [sent] = _sent_times()
    assert sent.astimezone(user.zone).strftime("%H:%M %Z") == "03:30 EDT"
    assert len(outbox) == 1


def test_a_fall_back_repeated_time_fires_once(outbox):
    user = factories.UserFactory(
        timezone="America/New_York",
        reminder_mode="digest",
        digest_hour=1,
        weekly_review_enabled=False,
    )
    factories.FollowUpFactory(owner=user, due_at=local_to_utc_ny(2026, 11, 1, 1, 30))
    start = at("UTC", 2026, 11, 1, 4, 0)  # 00:00 EDT; 01:xx happens twice after this
    for minute in range(0, 240, 5):
        sweep_and_send(start + dt.timedelta(minutes=minute))
    # The 01:30 reminder is for a digest user: one digest at the first 01:00, nothing at the
    # second one.
    [sent] = _sent_times()
    assert sent == at("UTC", 2026, 11, 1, 5, 0)
    assert len(outbox) == 1


def test_a_fall_back_follow_up_at_0130_fires_once(outbox):
    user = factories.UserFactory(timezone="America/New_York", weekly_review_enabled=False)
    factories.FollowUpFactory(owner=user, due_at=local_to_utc_ny(2026, 11, 1, 1, 30))
    start = at("UTC", 2026, 11, 1, 4, 0)
    for minute in range(0, 240, 5):
        sweep_and_send(start + dt.timedelta(minutes=minute))
    assert _sent_times() == [at("UTC", 2026, 11, 1, 5, 30)]
    assert len(outbox) == 1


def local_to_utc_ny(*args):
    return at("America/New_York", *args)


@pytest.mark.slow
def test_stepping_the_clock_minute_by_minute_over_48_hours_sends_one_digest_a_day(outbox):
    user = factories.UserFactory(
        timezone="Europe/Berlin",
        reminder_mode="digest",
        digest_hour=8,
        weekly_review_enabled=False,
    )
    factories.FollowUpFactory(owner=user, due_at=at("Europe/Berlin", 2026, 3, 28, 7, 0))
    factories.FollowUpFactory(owner=user, due_at=at("Europe/Berlin", 2026, 3, 29, 7, 0))
    start = at("Europe/Berlin", 2026, 3, 28, 0, 0)  # across Berlin's spring-forward
    with time_machine.travel(start, tick=False) as traveller:
        for _ in range(48 * 60):
            for pk in services.collect_due():
                services.deliver(pk)
            traveller.shift(dt.timedelta(minutes=1))
    digests = Delivery.objects.filter(kind=DeliveryKind.DIGEST, status="sent")
    assert sorted(digests.values_list("local_date", flat=True)) == [
        dt.date(2026, 3, 28),
        dt.date(2026, 3, 29),
    ]
    assert len(outbox) == 2
    assert all(t.astimezone(user.zone).strftime("%H:%M") == "08:00" for t in _sent_times())


def test_the_weekly_review_goes_out_once_on_the_chosen_day(outbox):
    user = factories.UserFactory(
        timezone="Asia/Tokyo", weekly_review_day=6, digest_hour=18, reminder_emails_enabled=False
    )
    contact = factories.ContactFactory(owner=user)
    factories.InteractionFactory(
        owner=user,
        contacts=[contact],
        channel="linkedin",
        minutes=25,
        occurred_at=at("Asia/Tokyo", 2026, 6, 3, 12, 0),
    )
    for hour in (17, 18, 19, 20):
        sweep_and_send(at("Asia/Tokyo", 2026, 6, 7, hour, 0))  # a Sunday
    sweep_and_send(at("Asia/Tokyo", 2026, 6, 8, 18, 0))
    [message] = outbox
    assert "1 conversation" in message.subject
    assert "LinkedIn: 25 min" in message.body


def test_list_unsubscribe_is_a_plain_uri_in_the_raw_message(outbox, settings):
    settings.SITE_URL = "https://followthrough.example.com"
    factories.FollowUpFactory(due_at=at("UTC", 2026, 5, 4, 9, 0))
    sweep_and_send(at("UTC", 2026, 5, 4, 9, 0))
    [message] = outbox
    for policy in (email.policy.SMTP, email.policy.default):
        raw = message.message(policy=policy).as_bytes()
        [line] = [line for line in raw.splitlines() if line.startswith(b"List-Unsubscribe:")]
        assert re.fullmatch(
            rb"List-Unsubscribe: <https://followthrough\.example\.com/unsubscribe/[^\s<>]+>", line
        ), line
        assert b"=?utf-8?" not in line
        # Read back by a mail library, it is the same URI.
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        assert parsed["List-Unsubscribe"] == message.extra_headers["List-Unsubscribe"]


def test_the_raw_reminder_reads_back_with_its_headers_and_both_parts(outbox, settings):
    settings.SITE_URL = "https://followthrough.example.com"
    contact = factories.ContactFactory(full_name="Zoë Ångström")
    factories.FollowUpFactory(
        owner=contact.owner, contact=contact, due_at=at("UTC", 2026, 5, 4, 9, 0)
    )
    sweep_and_send(at("UTC", 2026, 5, 4, 9, 0))
    [message] = outbox
    delivery = Delivery.objects.get()
    raw = message.message(policy=email.policy.SMTP).as_bytes()
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["Message-ID"] == f"<delivery-{delivery.pk}@followthrough.example.com>"
    assert parsed["X-Followthrough-Delivery"] == str(delivery.pk)
    assert parsed["Auto-Submitted"] == "auto-generated"
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert parsed["Subject"] == "Follow up with Zoë Ångström"
    assert parsed["To"] == delivery.owner.email
    text, html = parsed.iter_parts()
    assert text.get_content_type() == "text/plain" and html.get_content_type() == "text/html"
    assert "Zoë Ångström" in text.get_content() and "Zoë Ångström" in html.get_content()
    # Each message has a boundary of its own.
    assert parsed.get_boundary() != message.message().get_boundary()


def _plain_django_copy(message):
    """The same email made by Django's own class, none of the reminder's shortcuts."""
    copy = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body,
        from_email=message.from_email,
        to=message.to,
        headers=dict(message.extra_headers),  # the raw headers are what we mean to send
    )
    for alternative in message.alternatives:
        copy.attach_alternative(alternative.content, alternative.mimetype)
    return copy


def _without_boundary_and_date(raw: bytes, boundary: str) -> bytes:
    raw = raw.replace(boundary.encode(), b"BOUNDARY")
    return re.sub(rb"^Date: [^\r\n]+", b"Date: -", raw, flags=re.MULTILINE)


def test_the_reminder_is_djangos_email_byte_for_byte_but_for_its_boundary(outbox, settings):
    # Shared headers, folded once, classes made once, dates to the second: none of it may
    # change a byte of what Django itself would send, in any recipient's message.
    settings.SITE_URL = "https://followthrough.example.com"
    for name in ("Zoë Ångström", "Sam Lee", "A name long enough to fold the subject " * 3):
        contact = factories.ContactFactory(full_name=name)
        factories.FollowUpFactory(
            owner=contact.owner, contact=contact, due_at=at("UTC", 2026, 5, 4, 9, 0)
        )
    sweep_and_send(at("UTC", 2026, 5, 4, 9, 0))
    assert len(outbox) == 3
    seen_to = set()
    for message in outbox:
        for policy in (email.policy.SMTP, email.policy.default):
            ours = message.message(policy=policy)
            raw = ours.as_bytes()
            theirs = _plain_django_copy(message).message(policy=policy)
            theirs.set_boundary(ours.get_boundary())
            assert _without_boundary_and_date(raw, ours.get_boundary()) == (
                _without_boundary_and_date(theirs.as_bytes(), ours.get_boundary())
            )
            # The date is whole seconds, as RFC 5322 writes it.
            [date] = re.findall(rb"^Date: ([^\r\n]+)", raw, flags=re.MULTILINE)
            assert email.utils.parsedate_to_datetime(date.decode()).microsecond == 0
        seen_to.add(email.message_from_bytes(raw, policy=email.policy.default)["To"])
    assert seen_to == {message.to[0] for message in outbox} and len(seen_to) == 3


def test_messages_made_in_the_same_second_share_one_date_and_keep_their_own_recipient(settings):
    first, second = factories.FollowUpFactory(), factories.FollowUpFactory()
    due = timezone.now() - dt.timedelta(minutes=1)
    FollowUp.objects.filter(pk__in=[first.pk, second.pk]).update(due_at=due)
    services.collect_due()
    deliveries = Delivery.objects.select_related("owner", "follow_up__contact").order_by("pk")
    built = [emails.build(delivery).message() for delivery in deliveries]
    same = timezone.now().replace(microsecond=0)
    with time_machine.travel(same + dt.timedelta(microseconds=1), tick=False):
        a = emails.build(deliveries[0]).message()
    with time_machine.travel(same + dt.timedelta(microseconds=999_000), tick=False):
        b = emails.build(deliveries[1]).message()
    assert a["Date"] == b["Date"] and str(a["Date"]) == email.utils.format_datetime(same)
    assert [m["To"] for m in built] == [d.owner.email for d in deliveries]
    assert (a["To"], b["To"]) == (deliveries[0].owner.email, deliveries[1].owner.email)
