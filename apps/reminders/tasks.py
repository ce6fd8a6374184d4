"""Celery only delivers: the sweep finds what is due in the database, a send task sends one
delivery row. Tasks take ids, never model instances or datetimes."""

from celery import shared_task
from django.db import transaction

from apps.reminders import services


@shared_task
def sweep_due_reminders() -> int:
    """Insert the delivery rows that are due (once each, whichever beat gets there first) and
    queue a send task per row after the commit."""
    with transaction.atomic():
        ids = services.collect_due()
        for delivery_id in ids:
            send_delivery.delay_on_commit(delivery_id)
    return len(ids)


@shared_task
def send_delivery(delivery_id: int) -> str:
    outcome = services.deliver(delivery_id)
    if outcome.status == "retry":
        # Seconds to minutes, capped in conf: the row's retry_at is the truth, and the sweep
        # re-queues it if this message is lost.
        send_delivery.apply_async((delivery_id,), countdown=outcome.retry_in)
    return outcome.status
