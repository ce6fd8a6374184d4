"""The settings page: add an endpoint (errors keep what was typed), see its secret and recent
deliveries, send a test event, pause, rotate, delete, send a failed delivery again; CSRF on
every POST, another user's ids are 404, two queries for the lists whatever their size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.webhooks import services
from apps.webhooks.models import Endpoint, WebhookDelivery

pytestmark = pytest.mark.django_db
PAGE = "/settings/webhooks/"


def post(client, url, data=None):
    client.get(PAGE)
    token = client.cookies["csrftoken"].value
    return client.post(url, {"csrfmiddlewaretoken": token, **(data or {})})


def test_settings_links_to_the_page(auth_client):
    assert PAGE in auth_client.get("/settings/").content.decode()


def test_adding_an_endpoint_shows_it_with_its_secret(auth_client, user, allow_private):
    response = post(
        auth_client, PAGE, {"url": " https://hooks.example.com/in ", "events": ["follow_up.done"]}
    )
    endpoint = Endpoint.objects.get(owner=user)
    assert response.status_code == 302 and response["Location"] == f"{PAGE}#endpoint-{endpoint.pk}"
    assert endpoint.url == "https://hooks.example.com/in"
    assert endpoint.events == ["follow_up.done"] and endpoint.secret.startswith("whsec_")
    html = auth_client.get(PAGE).content.decode()
    assert endpoint.secret in html and "https://hooks.example.com/in" in html
    assert "A follow-up is marked done" in html


def test_a_bad_address_keeps_what_was_typed_and_says_why(auth_client, user, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    response = post(auth_client, PAGE, {"url": "http://127.0.0.1:5432/", "events": ["ping"]})
    html = response.content.decode()
    assert response.status_code == 400
    assert "private or local" in html and 'value="http://127.0.0.1:5432/"' in html
    assert "Select a valid choice" in html  # "ping" is not an event one subscribes to
    response = post(auth_client, PAGE, {"url": "ftp://example.com/", "events": []})
    html = response.content.decode()
    assert "Use an http:// or https:// address." in html
    assert "Choose at least one event to send." in html
    assert not Endpoint.objects.exists()


def test_the_endpoint_actions(auth_client, user, endpoint_for, django_capture_on_commit_callbacks):
    endpoint = endpoint_for(user)
    secret = endpoint.secret
    base = f"{PAGE}{endpoint.pk}"
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert post(auth_client, f"{base}/test/").status_code == 302
    (ping,) = WebhookDelivery.objects.filter(endpoint=endpoint)
    assert ping.event_type == "ping" and len(queued) == 1
    post(auth_client, f"{base}/rotate/")
    endpoint.refresh_from_db()
    assert endpoint.secret != secret and endpoint.secret_rotated_at
    post(auth_client, f"{base}/pause/")
    endpoint.refresh_from_db()
    assert not endpoint.active
    html = auth_client.get(PAGE).content.decode()
    assert "Resume" in html and "paused: events are not sent to it" in html
    post(auth_client, f"{base}/pause/")
    endpoint.refresh_from_db()
    assert endpoint.active
    assert f"{endpoint.url} resumed." in auth_client.get(PAGE).content.decode()
    WebhookDelivery.objects.filter(pk=ping.pk).update(
        status="failed", attempts=8, last_error="HTTP 500"
    )
    html = auth_client.get(PAGE).content.decode()
    assert "Failed" in html and "HTTP 500" in html and "Send again" in html
    with django_capture_on_commit_callbacks(execute=False) as queued:
        post(auth_client, f"{PAGE}deliveries/{ping.pk}/redeliver/")
    ping.refresh_from_db()
    assert (ping.status, ping.attempts, len(queued)) == ("pending", 0, 1)
    post(auth_client, f"{base}/delete/")
    assert not Endpoint.objects.exists() and not WebhookDelivery.objects.exists()


def test_every_post_refuses_a_missing_csrf_token(auth_client, user, endpoint_for):
    endpoint = endpoint_for(user)
    services.send_test(owner=user, endpoint=endpoint)
    delivery = WebhookDelivery.objects.get()
    urls = [PAGE, *(f"{PAGE}{endpoint.pk}/{a}/" for a in ("test", "rotate", "pause", "delete"))]
    urls.append(f"{PAGE}deliveries/{delivery.pk}/redeliver/")
    for url in urls:
        assert (
            auth_client.post(url, {"url": "https://x.example/", "events": ["ping"]}).status_code
            == 403
        ), url
    assert Endpoint.objects.get().secret == endpoint.secret


def test_another_users_endpoint_is_not_found(auth_client, other_user, endpoint_for):
    theirs = endpoint_for(other_user, url="https://theirs.example.com/hook")
    services.send_test(owner=other_user, endpoint=theirs)
    delivery = WebhookDelivery.objects.get()
    for action in ("test", "rotate", "pause", "delete"):
        assert post(auth_client, f"{PAGE}{theirs.pk}/{action}/").status_code == 404
    assert post(auth_client, f"{PAGE}deliveries/{delivery.pk}/redeliver/").status_code == 404
    html = auth_client.get(PAGE).content.decode()
    assert "theirs.example.com" not in html and theirs.secret not in html
    assert Endpoint.objects.get().secret == theirs.secret


def test_the_page_runs_the_same_queries_whatever_the_size(auth_client, user, endpoint_for):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert auth_client.get(PAGE).status_code == 200
        return len(queries)

    first = endpoint_for(user)
    services.send_test(owner=user, endpoint=first)
    small = count()
    for _ in range(4):
        endpoint = endpoint_for(user)
        for _ in range(8):
            services.send_test(owner=user, endpoint=endpoint)
    assert count() == small
    html = auth_client.get(PAGE).content.decode()
    assert html.count('id="delivery-') == 1 + 4 * 5  # the newest five per endpoint
