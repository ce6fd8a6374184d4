"""One delivery: claimed, signed, POSTed to a real HTTP server on loopback, its outcome written;
retried with backoff, given up after the last attempt; the address guard at delivery time."""

import datetime as dt
import hashlib
import hmac
import json

import pytest
from django.utils import timezone

from apps.core import netguard
from apps.webhooks import services, signing, tasks
from apps.webhooks.models import WebhookDelivery
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def ping(user, receiver, endpoint_for, django_capture_on_commit_callbacks):
    """A test event written for an endpoint at the receiver, its task not yet run."""
    endpoint = endpoint_for(user, url=receiver.url)
    with django_capture_on_commit_callbacks(execute=False):
        delivery = services.send_test(owner=user, endpoint=endpoint)
    return delivery


def due_now(delivery):
    """Skip the backoff wait: the row's retry time is now."""
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())


def test_the_post_is_signed_and_carries_the_event_id(ping, receiver):
    assert services.deliver(ping.pk).status == "delivered"
    (request,) = receiver.requests
    assert request.path == "/hooks/followthrough"
    headers = {k.lower(): v for k, v in request.headers.items()}
    assert headers["content-type"] == "application/json"
    assert headers["x-followthrough-event-id"] == ping.event_id
    assert headers["x-followthrough-event"] == "ping"
    assert json.loads(request.body)["id"] == ping.event_id
    # What a receiver does, by hand: HMAC-SHA256 of "t.body" with the endpoint's secret.
    fields = dict(part.split("=", 1) for part in headers["x-followthrough-signature"].split(","))
    secret = ping.endpoint.secret.encode()
    expected = hmac.new(secret, fields["t"].encode() + b"." + request.body, hashlib.sha256)
    assert hmac.compare_digest(fields["v1"], expected.hexdigest())
    assert signing.verify(ping.endpoint.secret, request.body, headers["x-followthrough-signature"])
    assert not signing.verify("whsec_other", request.body, headers["x-followthrough-signature"])
    assert not signing.verify(
        ping.endpoint.secret, request.body + b" ", headers["x-followthrough-signature"]
    )
    ping.refresh_from_db()
    assert (ping.status, ping.attempts, ping.last_status_code) == ("delivered", 1, 200)
    assert ping.delivered_at is not None


def test_an_old_signature_is_refused_by_verify():
    header = signing.sign("whsec_x", b"{}", timestamp=1_000_000)
    assert signing.verify("whsec_x", b"{}", header, now=1_000_000 + 60)
    assert not signing.verify("whsec_x", b"{}", header, now=1_000_000 + 3600)
    assert not signing.verify("whsec_x", b"{}", "v1=abc")


def test_a_500_is_retried_with_backoff_then_delivered(ping, receiver, settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    receiver.answer((500, 0), (503, 0), (204, 0))
    before = timezone.now()
    first = services.deliver(ping.pk)
    assert (first.status, first.retry_in) == ("retry", 30)
    ping.refresh_from_db()
    assert ping.status == "pending" and ping.last_status_code == 500
    assert ping.last_error.startswith("HTTP 500")
    assert ping.next_attempt_at >= before + dt.timedelta(seconds=30)
    # Not due yet: a copy of the task arriving early loses the claim and sends nothing.
    assert services.deliver(ping.pk).status == "lost"
    due_now(ping)
    assert services.deliver(ping.pk).retry_in == 60  # doubled
    due_now(ping)
    assert services.deliver(ping.pk).status == "delivered"
    ping.refresh_from_db()
    assert (ping.status, ping.attempts, ping.last_status_code) == ("delivered", 3, 204)
    assert len(receiver.requests) == 3
    # The same event each time: one id, so the receiver can tell a retry from a new event.
    assert len({r.headers["X-Followthrough-Event-Id"] for r in receiver.requests}) == 1


def test_a_receiver_that_does_not_answer_in_time_is_retried(ping, receiver, settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.5
    receiver.answer((200, 3))
    started = timezone.now()
    outcome = services.deliver(ping.pk)
    assert outcome.status == "retry"
    assert timezone.now() - started < dt.timedelta(seconds=2.5)
    ping.refresh_from_db()
    assert "timed out" in ping.last_error.lower() or "timeout" in ping.last_error.lower()


def test_it_gives_up_after_the_last_attempt(ping, receiver, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    receiver.answer((400, 0))
    outcomes = []
    for _ in range(3):
        outcomes.append(services.deliver(ping.pk).status)
        due_now(ping)
    assert outcomes == ["retry", "retry", "failed"]
    ping.refresh_from_db()
    assert (ping.status, ping.attempts) == ("failed", 3)
    assert services.deliver(ping.pk).status == "lost"  # failed rows are never sent again
    assert services.collect_due(now=timezone.now() + dt.timedelta(days=1)) == []
    assert len(receiver.requests) == 3


def test_a_redirect_is_not_followed(ping, receiver):
    receiver.answer((302, 0, {"Location": "http://169.254.169.254/latest/meta-data/"}))
    assert services.deliver(ping.pk).status == "retry"
    ping.refresh_from_db()
    assert ping.last_status_code == 302 and len(receiver.requests) == 1


def test_a_long_backoff_waits_in_the_database_for_the_sweep(ping, receiver, settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 3000  # past the countdown cap
    receiver.answer((500, 0), (200, 0))
    assert services.deliver(ping.pk).retry_in is None
    ping.refresh_from_db()
    assert services.collect_due(now=timezone.now()) == []  # not due yet
    later = ping.next_attempt_at + dt.timedelta(seconds=1)
    assert services.collect_due(now=later) == [ping.pk]
    assert services.collect_due(now=later) == []  # queued: not twice


def test_the_sweep_requeues_a_lost_task_and_a_dead_workers_row_only(
    user, receiver, endpoint_for, settings
):
    settings.WEBHOOK_LEASE_SECONDS = 60
    endpoint = endpoint_for(user, url=receiver.url)
    fresh = services.send_test(owner=user, endpoint=endpoint)  # just queued
    lost = services.send_test(owner=user, endpoint=endpoint)
    dead = services.send_test(owner=user, endpoint=endpoint)
    now = timezone.now()
    WebhookDelivery.objects.filter(pk__in=[fresh.pk, lost.pk, dead.pk]).update(
        status="pending", delivered_at=None, attempts=0, claimed_at=None, queued_at=now
    )
    WebhookDelivery.objects.filter(pk=lost.pk).update(queued_at=now - dt.timedelta(minutes=5))
    WebhookDelivery.objects.filter(pk=dead.pk).update(
        queued_at=now - dt.timedelta(minutes=5), claimed_at=now - dt.timedelta(minutes=2)
    )
    assert services.collect_due(now=now) == [lost.pk, dead.pk]


def test_two_tasks_for_one_row_post_it_once(ping, receiver):
    assert services.deliver(ping.pk).status == "delivered"
    assert services.deliver(ping.pk).status == "lost"
    assert len(receiver.requests) == 1


def test_the_task_retries_by_countdown_and_sends_once(ping, receiver, settings):
    # Eager in unit tests: the countdown retry runs at once and loses the claim (not due yet),
    # so the row waits for its retry time as it would on a real worker.
    receiver.answer((500, 0), (200, 0))
    assert tasks.deliver.delay(ping.pk).get() == "retry"
    ping.refresh_from_db()
    assert (ping.status, ping.attempts) == ("pending", 1)
    due_now(ping)
    assert tasks.deliver.delay(ping.pk).get() == "delivered"


def test_a_paused_endpoint_skips_its_events_but_a_test_event_still_goes(
    user, receiver, endpoint_for, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(user, url=receiver.url)
    contact = factories.ContactFactory(owner=user)
    with django_capture_on_commit_callbacks(execute=False):
        from_event = services.record_event(
            owner_id=user.pk, event_type="conversation.logged", data={"contact": contact.pk}
        )[0]
    services.update_endpoint(owner=user, endpoint=endpoint, active=False)
    assert services.deliver(from_event.pk).status == "skipped"
    with django_capture_on_commit_callbacks(execute=False):
        ping = services.send_test(owner=user, endpoint=endpoint)
    assert services.deliver(ping.pk).status == "delivered"
    assert len(receiver.requests) == 1


# --- the address guard ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
        "224.0.0.1",
    ],
)
def test_private_and_local_addresses_are_not_public(address):
    assert not netguard.is_public(address)


def test_public_addresses_are_public():
    assert netguard.is_public("93.184.216.34") and netguard.is_public("2606:4700::1111")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "https://10.0.0.5/x",
        "http://[::1]/x",
        "http://169.254.169.254/latest/meta-data/",
    ],
)
def test_registering_a_private_address_is_refused_unless_allowed(user, settings, url):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    with pytest.raises(services.WebhookError, match="private or local"):
        services.create_endpoint(owner=user, url=url, events=["follow_up.done"])
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    assert services.create_endpoint(owner=user, url=url, events=["follow_up.done"]).pk


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.com/x", "http://"),
        ("file:///etc/passwd", "http://"),
        ("http://user:pw@example.com/", "passwords"),
        ("http:///nohost", "host"),
    ],
)
def test_only_plain_http_and_https_urls_are_taken(user, allow_private, url, message):
    with pytest.raises(services.WebhookError, match=message):
        services.create_endpoint(owner=user, url=url, events=["follow_up.done"])


def test_the_guard_is_checked_again_at_delivery(ping, receiver, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False  # allowed when it was registered, not any more
    assert services.deliver(ping.pk).status == "retry"
    ping.refresh_from_db()
    assert "private or local" in ping.last_error
    assert receiver.requests == []


def test_a_claim_held_past_its_lease_can_be_taken_over(ping, settings):
    settings.WEBHOOK_LEASE_SECONDS = 60
    now = timezone.now()
    assert services.claim(ping.pk, now=now)
    assert not services.claim(ping.pk, now=now + dt.timedelta(seconds=30))  # still held
    assert services.claim(ping.pk, now=now + dt.timedelta(seconds=61))  # its worker died
    ping.refresh_from_db()
    assert ping.attempts == 2
