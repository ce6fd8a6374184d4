"""The browser's time zone: kept at sign-up, offered on Today, set in one click."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests import factories
from tests.accounts.test_accounts import settings_data
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

User = get_user_model()


def sign_up(timezone: str | None) -> User:
    client = Client(enforce_csrf_checks=True)
    page = client.get("/accounts/signup/")
    assert b"data-detect-timezone" in page.content
    data = {
        "email": "tz@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
    }
    if timezone is not None:
        data["timezone"] = timezone
    assert client.post("/accounts/signup/", data).status_code == 302
    return User.objects.get(email="tz@example.com")


def test_sign_up_keeps_the_zone_the_browser_reported():
    assert sign_up("Europe/Berlin").timezone == "Europe/Berlin"


@pytest.mark.parametrize("sent", [None, "", "Mars/Olympus_Mons", "../../etc/passwd", "x" * 64])
def test_sign_up_without_a_known_zone_still_works_and_starts_on_utc(sent):
    assert sign_up(sent).timezone == "UTC"


def test_today_carries_the_offer_with_the_saved_zone(auth_client, user):
    user.timezone = "America/New_York"
    user.save()
    html = auth_client.get("/").content.decode()
    assert 'data-timezone-offer data-saved-zone="America/New_York"' in html
    assert "Keep America/New_York" in html


def test_one_click_sets_the_zone_and_keeps_open_follow_ups_at_their_wall_time(
    auth_client, user, csrf
):
    follow_up = factories.FollowUpFactory(
        owner=user, due_at=dt.datetime(2026, 6, 2, 9, 0, tzinfo=dt.UTC)
    )
    token = csrf(auth_client, "/")
    response = auth_client.post(
        "/settings/timezone/",
        {"timezone": "Europe/Berlin", "next": "/", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302 and response["Location"] == "/"
    user.refresh_from_db()
    follow_up.refresh_from_db()
    assert user.timezone == "Europe/Berlin"
    # 9:00 on the user's clock stays 9:00 on the new clock (07:00 UTC in Berlin's summer).
    assert follow_up.due_at == dt.datetime(2026, 6, 2, 7, 0, tzinfo=dt.UTC)
    assert "Time zone set to Europe/Berlin." in auth_client.get("/").content.decode()


def test_one_click_over_htmx_answers_in_place(auth_client, user, csrf):
    token = csrf(auth_client, "/")
    response = auth_client.post(
        "/settings/timezone/",
        {"timezone": "Asia/Tokyo", "csrfmiddlewaretoken": token},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Time zone set to Asia/Tokyo." in response.content.decode()
    assert "<html" not in response.content.decode()


def test_an_unknown_zone_is_refused_and_nothing_changes(auth_client, user, csrf):
    token = csrf(auth_client, "/")
    response = auth_client.post(
        "/settings/timezone/",
        {"timezone": "Europe/Atlantis", "csrfmiddlewaretoken": token},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert "not a time zone this server knows" in response.content.decode()
    user.refresh_from_db()
    assert user.timezone == "UTC"


def test_setting_the_zone_needs_csrf_and_post(auth_client, user):
    assert auth_client.get("/settings/timezone/").status_code == 405
    assert auth_client.post("/settings/timezone/", {"timezone": "Asia/Tokyo"}).status_code == 403
    user.refresh_from_db()
    assert user.timezone == "UTC"


def test_settings_saved_over_htmx_says_so_in_the_form(auth_client, user, csrf):
    token = csrf(auth_client)
    response = auth_client.post(
        "/settings/", settings_data(token, name="Jo"), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="settings-form"' in html and "Settings saved." in html
    user.refresh_from_db()
    assert user.name == "Jo"
    # The confirmation was shown in place: no flash waits for the next page.
    assert "Settings saved." not in auth_client.get("/settings/").content.decode()


def test_settings_saved_without_javascript_show_the_confirmation_after_the_redirect(
    auth_client, csrf
):
    token = csrf(auth_client)
    response = auth_client.post("/settings/", settings_data(token, name="Jo"), follow=True)
    assert response.redirect_chain == [("/settings/", 302)]
    assert "Settings saved." in response.content.decode()
