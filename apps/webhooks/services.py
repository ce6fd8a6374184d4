"""Writes for webhooks: endpoints, the outbox rows an event leaves, and their delivery.

The outbox rule is the reminders' one: the row is written in the event's own transaction, a
task carries its id after the commit, the task sends only if it wins the row's claim, and a
beat sweep re-queues rows whose task was lost or whose retry time came.
"""

import datetime as dt
import http.client
import itertools
import json
import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from apps.core import netguard
from apps.core.queue import enqueue
from apps.webhooks import conf, signing, transport
from apps.webhooks.models import PING, DeliveryStatus, Endpoint, Event, WebhookDelivery, new_secret

log = logging.getLogger(__name__)

DELIVER_TASK = "apps.webhooks.tasks.deliver"
DELIVER_MANY_TASK = "apps.webhooks.tasks.deliver_many"
# Rows per task: a backlog of 1,203 follow-ups marked done is 61 publishes in the request, not
# 1,203. A batch behind an endpoint at its timeout can outlast a lease: the sweep then queues
# its waiting rows again and whichever task comes first claims each one (never two POSTs).
DELIVER_BATCH = 20
USER_AGENT = "Followthrough-Webhooks/1"


class WebhookError(ValueError):
    """A change that cannot be made, with a message for the user."""


# --- endpoints --------------------------------------------------------------------------------


def check_url(url: str) -> str:
    """The URL as it will be stored, or WebhookError with the reason: http(s) only and, unless
    WEBHOOKS_ALLOW_PRIVATE, a host that resolves to public addresses only."""
    url = url.strip()
    try:
        if conf.allow_private():
            netguard.parse_url(url)
        else:
            netguard.resolve(url, allow_private=False)
    except netguard.UnsafeAddress as exc:
        raise WebhookError(str(exc)) from exc
    return url


def _check_events(events) -> list[str]:
    chosen = [value for value in Event.values if value in set(events)]
    if not chosen:
        raise WebhookError("Choose at least one event to send.")
    return chosen


@transaction.atomic
def create_endpoint(*, owner, url: str, events) -> Endpoint:
    return Endpoint.objects.create(owner=owner, url=check_url(url), events=_check_events(events))


@transaction.atomic
def update_endpoint(*, owner, endpoint: Endpoint, events=None, active=None) -> Endpoint:
    locked = Endpoint.objects.owned_by(owner).select_for_update().get(pk=endpoint.pk)
    if events is not None:
        locked.events = _check_events(events)
    if active is not None:
        locked.active = active
    locked.save(update_fields=["events", "active"])
    return locked


@transaction.atomic
def rotate_secret(*, owner, endpoint: Endpoint) -> Endpoint:
    """A new secret at once: deliveries sent from now on (retries included) are signed with it."""
    locked = Endpoint.objects.owned_by(owner).select_for_update().get(pk=endpoint.pk)
    locked.secret = new_secret()
    locked.secret_rotated_at = timezone.now()
    locked.save(update_fields=["secret", "secret_rotated_at"])
    return locked


@transaction.atomic
def delete_endpoint(*, owner, endpoint: Endpoint) -> None:
    # Its pending deliveries go with it (cascade): a task that still holds an id finds no row.
    Endpoint.objects.owned_by(owner).filter(pk=endpoint.pk).delete()


@transaction.atomic
def send_test(*, owner, endpoint: Endpoint) -> WebhookDelivery:
    """A ping to this one endpoint, whatever it subscribes to (paused or not)."""
    endpoint = Endpoint.objects.owned_by(owner).get(pk=endpoint.pk)
    data = {"message": "A test event from Followthrough's webhook settings."}
    return _write([endpoint], PING, [data], now=timezone.now())[0]


@transaction.atomic
def redeliver(*, owner, delivery: WebhookDelivery) -> bool:
    """Try a failed (or skipped) delivery again from its first attempt; False if it was not."""
    updated = (
        WebhookDelivery.objects.owned_by(owner)
        .filter(pk=delivery.pk, status__in=[DeliveryStatus.FAILED, DeliveryStatus.SKIPPED])
        .update(
            status=DeliveryStatus.PENDING,
            attempts=0,
            claimed_at=None,
            next_attempt_at=timezone.now(),
            queued_at=timezone.now(),
        )
    )
    if updated:
        enqueue(DELIVER_TASK, delivery.pk)
    return bool(updated)


# --- events: the outbox rows ------------------------------------------------------------------


def subscribed(*, owner_id: int, event_type: str) -> list[Endpoint]:
    """The owner's active endpoints that take `event_type`: one small query (an account has a
    few endpoints; their event lists are read here rather than by a JSON lookup SQLite lacks)."""
    return [
        endpoint
        for endpoint in Endpoint.objects.filter(owner_id=owner_id, active=True)
        if event_type in endpoint.events
    ]


def record_event(
    *, owner_id: int, event_type: str, data: dict, endpoints=None
) -> list[WebhookDelivery]:
    """Inside the event's transaction: one delivery row per active endpoint of the owner that
    subscribes to `event_type` (`endpoints`, when the caller already asked `subscribed`), each
    queued for delivery once the transaction commits. A rolled-back write leaves no row and
    sends nothing."""
    return record_events(owner_id=owner_id, event_type=event_type, data=[data], endpoints=endpoints)


def record_events(
    *, owner_id: int, event_type: str, data: list[dict], endpoints=None
) -> list[WebhookDelivery]:
    """`record_event` for many events of one type at once (a backlog marked done): one event
    per item of `data`, each with its own id, all their rows written by one INSERT."""
    if endpoints is None:
        endpoints = subscribed(owner_id=owner_id, event_type=event_type)
    if not endpoints or not data:
        return []
    return _write(endpoints, event_type, data, now=timezone.now())


def _write(endpoints, event_type: str, data: list[dict], *, now) -> list[WebhookDelivery]:
    created = now.isoformat().replace("+00:00", "Z")
    rows = []
    for item in data:
        event_id = f"evt_{uuid.uuid4().hex}"
        payload = {"id": event_id, "type": event_type, "created": created, "data": item}
        rows += [
            WebhookDelivery(
                owner_id=endpoint.owner_id,
                endpoint=endpoint,
                event_type=event_type,
                event_id=event_id,
                payload=payload,
                created_at=now,
                next_attempt_at=now,
                queued_at=now,
            )
            for endpoint in endpoints
        ]
    rows = WebhookDelivery.objects.bulk_create(rows, batch_size=500)
    queue_deliveries([row.pk for row in rows])
    return rows


def queue_deliveries(ids) -> None:
    """After the commit, a task per batch of rows: one row alone, or DELIVER_BATCH at a time."""
    if len(ids) == 1:
        enqueue(DELIVER_TASK, ids[0])
        return
    for batch in itertools.batched(ids, DELIVER_BATCH):
        enqueue(DELIVER_MANY_TASK, list(batch))


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


# --- delivery ---------------------------------------------------------------------------------


@dataclass
class Outcome:
    status: str  # "delivered", "retry", "failed", "skipped", "lost" (not this worker's to send)
    retry_in: float | None = None


def claim(delivery_id: int, *, now: dt.datetime) -> bool:
    """One atomic UPDATE: whoever changes the row sends it (pending, its time come, and not
    held by another worker, or held past its lease by one that died)."""
    won = (
        WebhookDelivery.objects.filter(
            pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
        )
        .filter(Q(claimed_at=None) | Q(claimed_at__lt=now - conf.lease()))
        .update(claimed_at=now, attempts=F("attempts") + 1)
    )
    return bool(won)


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()


def headers_for(delivery: WebhookDelivery, body: bytes, *, secret: str) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        signing.HEADER: signing.sign(secret, body),
        signing.EVENT_ID_HEADER: delivery.event_id,
        signing.EVENT_TYPE_HEADER: delivery.event_type,
        signing.DELIVERY_HEADER: str(delivery.pk),
    }


def deliver(delivery_id: int) -> Outcome:
    """Claim the row, POST it, write what happened. 2xx is delivered; anything else (3xx, 4xx,
    5xx, a timeout, a refused connection, an address the guard refuses) is retried with
    backoff until WEBHOOK_MAX_ATTEMPTS, then failed."""
    if not claim(delivery_id, now=timezone.now()):
        return Outcome("lost")
    row = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if row is None:
        return Outcome("skipped")  # its endpoint was deleted since the claim
    if not row.endpoint.active and row.event_type != PING:
        _write_outcome(row, status=DeliveryStatus.SKIPPED, error="The endpoint is paused.")
        return Outcome("skipped")
    body = body_of(row)
    try:
        answer = transport.post(
            row.endpoint.url,
            body,
            headers_for(row, body, secret=row.endpoint.secret),
            timeout=conf.timeout_seconds(),
            allow_private=conf.allow_private(),
        )
    except netguard.UnsafeAddress as exc:
        return _record_failure(row, error=str(exc))
    except (OSError, http.client.HTTPException) as exc:
        return _record_failure(
            row, error=f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        )
    if 200 <= answer.status < 300:
        _write_outcome(row, status=DeliveryStatus.DELIVERED, code=answer.status)
        return Outcome("delivered")
    error = f"HTTP {answer.status}" + (f": {answer.preview}" if answer.preview.strip() else "")
    return _record_failure(row, error=error, code=answer.status)


def _write_outcome(row, *, status, code=None, error="") -> None:
    now = timezone.now()
    WebhookDelivery.objects.filter(pk=row.pk).update(
        status=status,
        delivered_at=now if status == DeliveryStatus.DELIVERED else None,
        last_status_code=code,
        last_error=error[:500],
        claimed_at=None,
    )


def _record_failure(row, *, error: str, code=None) -> Outcome:
    now = timezone.now()
    error = error[: conf.RESPONSE_PREVIEW_BYTES]
    if row.attempts >= conf.max_attempts():
        log.warning("webhook delivery %s failed after %s attempts: %s", row.pk, row.attempts, error)
        _write_outcome(row, status=DeliveryStatus.FAILED, code=code, error=error)
        return Outcome("failed")
    delay = min(conf.retry_base_seconds() * 2 ** (row.attempts - 1), conf.retry_max_seconds())
    countdown = delay if delay <= conf.countdown_max_seconds() else None
    retry_at = now + dt.timedelta(seconds=delay)
    log.info("webhook delivery %s attempt %s: %s; retry in %ss", row.pk, row.attempts, error, delay)
    WebhookDelivery.objects.filter(pk=row.pk).update(
        claimed_at=None,
        next_attempt_at=retry_at,
        # With a countdown the message is due at retry_at: the sweep leaves it a lease past
        # that. Without one the row waits in the database and the sweep queues it when due.
        queued_at=retry_at if countdown is not None else None,
        last_status_code=code,
        last_error=error,
    )
    return Outcome("retry", retry_in=countdown)


# At most this many rows re-queued per sweep: the next sweep takes the rest.
REQUEUE_LIMIT = 5000


def collect_due(*, now: dt.datetime | None = None) -> list[int]:
    """Pending rows whose time has come and whose task is gone (never queued, lost a lease
    after it was due, or its worker died holding the claim): marked queued now, their ids
    returned to be queued again. A duplicate task loses the claim, so a row still waiting
    behind a backlog costs one extra message, never a second POST."""
    now = now or timezone.now()
    stale = now - conf.lease()
    with transaction.atomic():
        due = (
            WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            .filter(Q(claimed_at=None) | Q(claimed_at__lt=stale))
            .filter(Q(queued_at=None) | Q(queued_at__lt=stale))
        )
        ids = list(
            due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:REQUEUE_LIMIT]
        )
        if ids:
            WebhookDelivery.objects.filter(pk__in=ids).update(queued_at=now)
    return ids
