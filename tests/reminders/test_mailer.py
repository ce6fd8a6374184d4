"""Reminder sends reuse one SMTP connection per worker process, through a real SMTP server."""

import datetime as dt

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.reminders import mailer, services, tasks
from apps.reminders.models import Delivery, DeliveryStatus, FollowUp
from config.env import mailer_from_url
from tests import factories
from tests.support.smtp import Sink

pytestmark = pytest.mark.django_db


@pytest.fixture
def sink():
    sink = Sink().start()
    mailers = {"default": mailer_from_url(sink.url)}
    with override_settings(MAILERS=mailers):
        yield sink
    mailer.close()
    sink.stop()


def _due(count):
    user = factories.UserFactory(weekly_review_enabled=False)
    contact = factories.ContactFactory(owner=user)
    due = timezone.now() - dt.timedelta(minutes=1)
    FollowUp.objects.bulk_create(
        FollowUp(owner=user, contact=contact, due_at=due) for _ in range(count)
    )
    return services.collect_due()


def test_a_batch_of_reminders_goes_over_one_connection(sink):
    ids = _due(5)
    assert tasks.send_deliveries(ids) == {"sent": 5}
    assert sink.recorder.count == 5 and sink.recorder.connections == 1
    assert sorted(sink.recorder.delivery_ids()) == sorted(str(pk) for pk in ids)


def test_the_connection_stays_open_across_tasks(sink):
    first, second = _due(2)
    tasks.send_delivery(first)
    tasks.send_delivery(second)
    assert sink.recorder.count == 2 and sink.recorder.connections == 1


def test_an_idle_connection_the_server_dropped_is_checked_and_reopened(sink, monkeypatch):
    first, second = _due(2)
    tasks.send_delivery(first)
    sink.stop()  # the server goes away, and with it the kept connection
    sink.start()
    monkeypatch.setattr(mailer, "IDLE_CHECK_SECONDS", 0)
    assert tasks.send_delivery(second) == "sent"  # NOOP failed: a fresh connection
    assert sink.recorder.connections == 2


def test_a_send_that_fails_on_a_dead_connection_retries_through_its_row(sink, monkeypatch):
    first, second, third = _due(3)
    tasks.send_delivery(first)
    sink.stop()
    sink.start()
    monkeypatch.setattr(mailer, "IDLE_CHECK_SECONDS", 3600)  # no NOOP: the send finds out
    queued = []
    monkeypatch.setattr(tasks.send_delivery, "apply_async", lambda *a, **kw: queued.append(a))
    assert tasks.send_deliveries([second, third]) == {"retry": 1, "sent": 1}
    assert Delivery.objects.get(pk=second).status == DeliveryStatus.PENDING
    assert queued == [((second,),)]
    # Never resent blindly: the one that failed waits for its retry; the next one went out.
    assert sink.recorder.delivery_ids() == {str(first): 1, str(third): 1}


def test_the_sweep_queues_one_task_per_hundred_rows(django_capture_on_commit_callbacks, sink):
    user = factories.UserFactory(weekly_review_enabled=False)
    contact = factories.ContactFactory(owner=user)
    FollowUp.objects.bulk_create(
        FollowUp(owner=user, contact=contact, due_at=timezone.now() - dt.timedelta(minutes=1))
        for _ in range(250)
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert tasks.sweep_due_reminders.delay().get() == 250
    assert len(callbacks) == 3
    assert sink.recorder.count == 250 and max(sink.recorder.delivery_ids().values()) == 1
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 250


def test_a_batch_sends_each_row_once_and_leaves_the_rows_another_worker_holds(sink):
    ids = _due(4)
    now = timezone.now()
    services.claim(ids[0], now=now)  # another worker holds the first and the third
    services.claim(ids[2], now=now)
    outcomes = services.deliver_batch(ids)
    assert [o.status for o in outcomes] == ["lost", "sent", "lost", "sent"]
    assert sink.recorder.delivery_ids() == {str(ids[1]): 1, str(ids[3]): 1}
    # The same batch again (a duplicate task) sends nothing.
    assert [o.status for o in services.deliver_batch(ids)] == ["lost"] * 4
    assert sink.recorder.count == 2
    sent = Delivery.objects.filter(status=DeliveryStatus.SENT).values_list("pk", flat=True)
    assert sorted(sent) == [ids[1], ids[3]]


def test_a_batch_skips_a_follow_up_done_since_the_sweep(sink):
    first, second = _due(2)
    FollowUp.objects.filter(deliveries__pk=first).update(status="done")
    assert [o.status for o in services.deliver_batch([first, second])] == ["skipped", "sent"]
    assert sink.recorder.delivery_ids() == {str(second): 1}


def test_a_batch_costs_one_query_per_email_beyond_its_claim_and_reads(sink):
    def queries_for(count):
        ids = _due(count)
        for follow_up in FollowUp.objects.filter(deliveries__pk__in=ids):
            # History to show in every email: read for the whole batch, never per email.
            factories.InteractionFactory(owner=follow_up.owner, contacts=[follow_up.contact])
        with CaptureQueriesContext(connection) as queries:
            assert tasks.send_deliveries(ids) == {"sent": count}
        return len(queries)

    # The claim, the rows, their history: a fixed cost; then each email's own UPDATE.
    assert queries_for(10) + 10 == queries_for(20)
    assert queries_for(5) <= 5 + 4


def test_a_batch_renews_its_lease_and_never_sends_a_row_another_worker_took(sink, monkeypatch):
    first, second, third = _due(3)
    monkeypatch.setattr(services, "RENEW_AFTER", 0)  # renewed before every row
    claimed = {}
    send = mailer.send

    def send_then_lose_the_third(message):
        send(message)
        if not claimed:
            # Meanwhile the third row's lease ran out and another worker took it.
            claimed[first] = Delivery.objects.get(pk=second).claimed_at
            Delivery.objects.filter(pk=third).update(claimed_at=timezone.now())

    monkeypatch.setattr(mailer, "send", send_then_lose_the_third)
    outcomes = services.deliver_batch([first, second, third])
    assert [o.status for o in outcomes] == ["sent", "sent", "lost"]
    assert sink.recorder.delivery_ids() == {str(first): 1, str(second): 1}
    assert Delivery.objects.get(pk=second).claimed_at > claimed[first]  # renewed, then sent
    assert Delivery.objects.get(pk=third).status == DeliveryStatus.PENDING
