"""Celery only delivers: a delivery task takes a row's id, the sweep finds rows whose task was
lost or whose retry came. Tasks take ids, never model instances or datetimes."""

from collections import Counter

from celery import shared_task
from django.db import transaction

from apps.webhooks import services


@shared_task
def deliver(delivery_id: int) -> str:
    outcome = services.deliver(delivery_id)
    if outcome.status == "retry" and outcome.retry_in is not None:
        # Seconds to minutes; longer waits stay in the database for the sweep. The row's
        # next_attempt_at is the truth: a copy of this message arriving early loses the claim.
        deliver.apply_async((delivery_id,), countdown=outcome.retry_in)
    return outcome.status


@shared_task
def deliver_many(delivery_ids: list[int]) -> dict[str, int]:
    """A batch of rows one after the other, each claimed as it comes (a row behind a slow
    endpoint waits unclaimed, and the sweep takes it over if this task is lost)."""
    return dict(Counter(deliver(delivery_id) for delivery_id in delivery_ids))


@shared_task
def sweep_webhooks() -> int:
    with transaction.atomic():
        ids = services.collect_due()
        services.queue_deliveries(ids)
    return len(ids)
