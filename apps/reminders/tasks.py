"""Celery only delivers: the sweep finds what is due in the database, a send task sends a
batch of delivery rows (or one, on a retry). Tasks take ids, never model instances or
datetimes."""

import itertools
from collections import Counter

from celery import shared_task
from django.db import transaction

from apps.reminders import services

# Rows per send task: a batch takes about a second, far inside the claim's lease (renewed
# while the batch runs all the same).
SEND_BATCH = 100


@shared_task
def sweep_due_reminders() -> int:
    """Insert the delivery rows that are due (once each, whichever beat gets there first) and
    queue a send task per batch of rows after the commit."""
    with transaction.atomic():
        ids = services.collect_due()
        # A task per batch, not per row: a backlog of 100,000 is a thousand messages on the
        # broker. A batch's rows are claimed together when its task starts (each row leased),
        # and each is marked sent just after its own send.
        for batch in itertools.batched(ids, SEND_BATCH):
            send_deliveries.delay_on_commit(list(batch))
    return len(ids)


@shared_task
def send_deliveries(delivery_ids: list[int]) -> dict[str, int]:
    """Send a batch of delivery rows one after the other over this worker's kept connection."""
    outcomes = services.deliver_batch(delivery_ids)
    for delivery_id, outcome in zip(delivery_ids, outcomes, strict=True):
        _retry_later(delivery_id, outcome)
    return dict(Counter(outcome.status for outcome in outcomes))


@shared_task
def send_delivery(delivery_id: int) -> str:
    outcome = services.deliver(delivery_id)
    _retry_later(delivery_id, outcome)
    return outcome.status


def _retry_later(delivery_id: int, outcome: services.Outcome) -> None:
    if outcome.status == "retry":
        # Seconds to minutes, capped in conf: the row's retry_at is the truth, and the sweep
        # re-queues it if this message is lost.
        send_delivery.apply_async((delivery_id,), countdown=outcome.retry_in)
