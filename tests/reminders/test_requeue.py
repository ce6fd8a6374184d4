"""The sweep re-queues a row whose send task is gone, never one merely waiting in the queue."""

import pytest
import time_machine

from apps.reminders import services
from apps.reminders.models import Delivery, DeliveryStatus
from tests import factories
from tests.reminders.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _lease(settings):
    settings.REMINDER_LEASE_SECONDS = 60


def due_rows(count):
    owner = factories.UserFactory(weekly_review_enabled=False)
    contact = factories.ContactFactory(owner=owner)
    for _ in range(count):
        factories.FollowUpFactory(owner=owner, contact=contact, due_at=at("UTC", 2026, 5, 4, 9, 0))
    return sweep(9, 0)


def sweep(*minute_second):
    with time_machine.travel(at("UTC", 2026, 5, 4, *minute_second), tick=False):
        return services.collect_due()


def send(ids, *minute_second):
    with time_machine.travel(at("UTC", 2026, 5, 4, *minute_second), tick=False):
        return [outcome.status for outcome in services.deliver_batch(ids)]


def test_a_backlog_still_moving_through_the_queue_is_not_requeued(outbox):
    ids = due_rows(5)
    assert ids == sorted(ids)  # queued in id order, the order the queue is read back in
    assert send(ids[:2], 9, 1, 30) == ["sent", "sent"]  # workers reach the first task late
    # The other three were queued two minutes ago, past the lease, but rows are still being
    # taken off the queue and none queued after them was: they are waiting, not lost.
    assert sweep(9, 2) == []
    # Once nothing has been claimed for a whole lease, no worker is taking the queue: they are.
    assert sweep(9, 2, 31) == ids[2:]
    assert send(ids[2:], 9, 2, 40) == ["sent"] * 3
    assert len(outbox) == 5


def test_a_row_the_queue_passed_by_is_requeued_a_lease_later(outbox):
    first, second, third = due_rows(3)
    # The first row's task was lost (a flushed broker, a worker killed holding it); the queue
    # moved on and sent the next two.
    assert send([second, third], 9, 0, 10) == ["sent", "sent"]
    assert sweep(9, 0, 50) == []  # a task passed by may still be in a worker's hands
    assert sweep(9, 1, 20) == [first]
    assert sweep(9, 1, 30) == []  # queued again: its new task has a lease of its own
    assert send([first], 9, 1, 31) == ["sent"]
    assert sorted(m.extra_headers["X-Followthrough-Delivery"] for m in outbox) == sorted(
        str(pk) for pk in (first, second, third)
    )


def test_rows_no_worker_takes_off_the_queue_are_requeued_after_a_lease(outbox):
    ids = due_rows(2)
    assert sweep(9, 0, 59) == []
    assert sweep(9, 1, 1) == ids
    assert send(ids, 9, 1, 2) == ["sent", "sent"]
    assert len(outbox) == 2


def test_a_claimed_row_is_requeued_once_its_lease_expired_since_the_claim(outbox):
    [pk] = due_rows(1)
    with time_machine.travel(at("UTC", 2026, 5, 4, 9, 5), tick=False):
        # Queued long ago, claimed just now by a worker that then died: the lease counts from
        # the claim.
        assert services.claim(pk, now=at("UTC", 2026, 5, 4, 9, 5))
    assert sweep(9, 5, 59) == []
    assert sweep(9, 6, 1) == [pk]
    assert send([pk], 9, 6, 2) == ["sent"]
    assert Delivery.objects.get().status == DeliveryStatus.SENT
    assert len(outbox) == 1
