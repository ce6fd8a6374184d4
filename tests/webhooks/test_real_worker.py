"""End to end with a real Celery worker on the configured broker: a conversation logged on the
web page reaches a real HTTP receiver as a signed POST; a failing receiver is retried by the
worker until it answers."""

import json

import pytest
from django.conf import settings
from django.test import Client

from apps.webhooks import services, signing
from apps.webhooks.models import Event, WebhookDelivery
from tests.factories import ContactFactory, UserFactory
from tests.support import processes

pytestmark = [pytest.mark.real_worker, pytest.mark.slow]


def status_of(delivery_id):
    return WebhookDelivery.objects.filter(pk=delivery_id).values_list("status", flat=True).first()


@pytest.mark.django_db(transaction=True)
def test_a_logged_conversation_reaches_the_receiver_signed_through_a_real_worker(
    receiver, allow_private
):
    user = UserFactory()
    endpoint = services.create_endpoint(
        owner=user, url=receiver.url, events=[Event.CONVERSATION_LOGGED]
    )
    contact = ContactFactory(owner=user, full_name="Ada Lovelace")
    receiver.answer((500, 0), (200, 0))  # the first attempt fails: the worker retries it
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/interactions/new/")
    env = processes.process_env(
        WEBHOOKS_ALLOW_PRIVATE="true",
        WEBHOOK_RETRY_BASE_SECONDS="1",
        WEBHOOK_TIMEOUT_SECONDS="5",
    )
    log = settings.VAR_DIR / "logs" / "webhooks-worker.log"
    with processes.running(processes.worker_command("webhooks"), env, log):
        response = client.post(
            "/interactions/new/",
            {
                "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
                "contacts": [contact.pk],
                "summary": "Coffee with the platform lead",
                "kind": "meeting",
                "channel": "in_person",
                "direction": "outbound",
                "minutes": "30",
            },
        )
        assert response.status_code == 302
        delivery = WebhookDelivery.objects.get(owner=user)
        processes.wait_for(
            lambda: status_of(delivery.pk) == "delivered",
            timeout=90,
            message=f"the worker did not deliver the webhook (see {log})",
        )
    first, second = receiver.requests
    assert first.body == second.body
    header = second.headers["X-Followthrough-Signature"]
    assert signing.verify(endpoint.secret, second.body, header)
    event = json.loads(second.body)
    assert event["type"] == "conversation.logged"
    assert event["data"]["conversation"]["summary"] == "Coffee with the platform lead"
    assert second.headers["X-Followthrough-Event-Id"] == event["id"] == delivery.event_id
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.last_status_code) == (2, 200)
