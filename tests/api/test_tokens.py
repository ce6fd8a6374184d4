import hashlib
import re

from django.test import override_settings
from django.urls import reverse

from apps.api import services
from apps.api.models import ApiToken, Scope
from tests.api.conftest import ApiClient, assert_problem


def test_the_settings_page_makes_a_token_shown_once_and_stored_hashed(client_for, user):
    client = client_for(user)
    page = client.get(reverse("api:tokens"))
    csrf = page.context["csrf_token"]
    made = client.post(
        reverse("api:tokens"),
        {"name": "calendar script", "scope": "write", "csrfmiddlewaretoken": csrf},
    )
    assert made.status_code == 200
    secret = re.search(r'id="new-token">([^<]+)<', made.content.decode()).group(1)
    token = ApiToken.objects.get(owner=user)
    assert token.name == "calendar script" and token.scope == Scope.WRITE
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    # Shown once: the list afterwards has only the prefix.
    again = client.get(reverse("api:tokens")).content.decode()
    assert secret not in again and token.prefix in again
    assert ApiClient(secret).get("/contacts").status_code == 200


def test_creating_a_token_needs_csrf_and_a_name(client_for, user):
    client = client_for(user)
    assert client.post(reverse("api:tokens"), {"name": "x", "scope": "read"}).status_code == 403
    csrf = client.get(reverse("api:tokens")).context["csrf_token"]
    blank = client.post(
        reverse("api:tokens"), {"name": "  ", "scope": "read", "csrfmiddlewaretoken": csrf}
    )
    assert blank.status_code == 400 and b"Name the token" in blank.content
    assert not ApiToken.objects.exists()


def test_revoking_closes_the_api_to_that_token(client_for, user):
    token, secret = services.create_token(owner=user, name="x", scope=Scope.READ)
    api = ApiClient(secret)
    assert api.get("/contacts").status_code == 200
    client = client_for(user)
    csrf = client.get(reverse("api:tokens")).context["csrf_token"]
    client.post(reverse("api:revoke", args=[token.pk]), {"csrfmiddlewaretoken": csrf})
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert_problem(api.get("/contacts"), 401)


def test_nobody_revokes_another_users_token(client_for, user, other_user):
    theirs, _ = services.create_token(owner=other_user, name="x")
    client = client_for(user)
    csrf = client.get(reverse("api:tokens")).context["csrf_token"]
    response = client.post(reverse("api:revoke", args=[theirs.pk]), {"csrfmiddlewaretoken": csrf})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_no_token_a_wrong_one_or_a_session_is_401(client_for, user):
    assert_problem(ApiClient(None).get("/contacts"), 401)
    body = assert_problem(ApiClient("ft_not-a-real-token").get("/contacts"), 401)
    assert "Bearer" in body["detail"]
    # A logged-in browser's cookies do not open the API: no session auth, so no CSRF hole.
    response = client_for(user).get("/api/v1/contacts")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_inactive_users_token_stops_working(user):
    _, secret = services.create_token(owner=user, name="x")
    user.is_active = False
    user.save()
    assert_problem(ApiClient(secret).get("/contacts"), 401)


def test_a_read_token_cannot_write(read_api):
    body = assert_problem(read_api.post("/contacts", {"full_name": "Jo"}), 403)
    assert "read-only" in body["detail"]
    assert read_api.get("/contacts").status_code == 200


def test_last_used_is_recorded(user):
    token, secret = services.create_token(owner=user, name="x")
    assert token.last_used_at is None
    ApiClient(secret).get("/contacts")
    token.refresh_from_db()
    assert token.last_used_at is not None


@override_settings(API_RATE_LIMIT="3/min")
def test_each_token_has_its_own_rate_limit(user, other_user):
    _, mine = services.create_token(owner=user, name="a")
    _, theirs = services.create_token(owner=other_user, name="b")
    api = ApiClient(mine)
    for _ in range(3):
        assert api.get("/contacts").status_code == 200
    response = api.get("/contacts")
    assert_problem(response, 429)
    assert int(response["Retry-After"]) >= 1
    assert ApiClient(theirs).get("/contacts").status_code == 200
