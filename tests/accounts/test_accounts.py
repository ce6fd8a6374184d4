import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


def csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


def token_from(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return client.cookies["csrftoken"].value


def settings_data(token: str, **changes) -> dict:
    """A complete settings form as the page posts it, with `changes` applied."""
    return {
        "timezone": "UTC",
        "reminder_mode": "each",
        "digest_hour": 8,
        "weekly_review_day": 6,
        "target_conversations_per_week": 4,
        "target_new_contacts_per_week": 2,
        "target_referral_asks_per_week": 1,
        "target_given_per_week": 2,
        "csrfmiddlewaretoken": token,
        **changes,
    }


def test_it_signs_up_with_email_only_and_its_confirmation_link_lands_on_today(mailoutbox):
    client = csrf_client()
    token = token_from(client, "/accounts/signup/")
    response = client.post(
        "/accounts/signup/",
        {
            "email": "New@Example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"  # check your inbox
    user = User.objects.get()
    assert user.email.lower() == "new@example.com"
    assert not hasattr(user, "username")
    assert client.get("/").status_code == 302  # not signed in yet
    [message] = mailoutbox
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+)", message.body).group(1)
    confirmed = client.post(link, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value})
    assert confirmed["Location"] == "/"
    assert client.get("/").status_code == 200


def test_it_refuses_a_signup_without_the_csrf_token():
    response = csrf_client().post(
        "/accounts/signup/",
        {"email": "x@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 403
    assert not User.objects.exists()


def test_it_logs_in_and_out():
    user = UserFactory(email="jo@example.com")
    client = csrf_client()
    token = token_from(client, "/accounts/login/")
    response = client.post(
        "/accounts/login/",
        {"login": "JO@example.com", "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk
    token = client.cookies["csrftoken"].value
    response = client.post("/accounts/logout/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_is_refused_with_a_message():
    UserFactory(email="jo@example.com")
    client = csrf_client()
    token = token_from(client, "/accounts/login/")
    response = client.post(
        "/accounts/login/",
        {"login": "jo@example.com", "password": "nope", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 200
    assert b"not correct" in response.content
    assert "_auth_user_id" not in client.session


def test_today_sends_anonymous_visitors_to_log_in():
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_changes_the_time_zone_and_reminder_preferences(user, client_for):
    client = client_for(user)
    token = token_from(client, "/settings/")
    response = client.post(
        "/settings/",
        settings_data(
            token,
            timezone="Asia/Tokyo",
            reminder_mode="digest",
            digest_hour=7,
            weekly_review_day=0,
            reminder_emails_enabled="on",
        ),
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.timezone, user.reminder_mode, user.digest_hour) == ("Asia/Tokyo", "digest", 7)
    assert user.weekly_review_enabled is False


def test_settings_refuse_an_unknown_time_zone_and_keep_the_input(user, client_for):
    client = client_for(user)
    token = token_from(client, "/settings/")
    response = client.post(
        "/settings/",
        settings_data(
            token,
            timezone="Mars/Olympus",
            reminder_mode="each",
            digest_hour=30,
            weekly_review_day=6,
        ),
    )
    assert response.status_code == 400
    assert b"Mars/Olympus is not one of the available choices" in response.content
    assert b"less than or equal to 23" in response.content
    user.refresh_from_db()
    assert user.timezone == "UTC"


def test_settings_post_without_csrf_is_refused(user, client_for):
    response = client_for(user).post("/settings/", {"timezone": "Asia/Tokyo"})
    assert response.status_code == 403


def test_the_calendar_address_can_be_regenerated(user, client_for):
    client = client_for(user)
    old = user.calendar_token
    token = token_from(client, "/settings/")
    client.post("/settings/calendar/regenerate/", {"csrfmiddlewaretoken": token})
    user.refresh_from_db()
    assert user.calendar_token != old
    assert len(user.calendar_token) >= 24


def test_settings_show_the_calendar_address_that_serves_the_feed(user, client_for):
    client = client_for(user)
    html = client.get("/settings/").content.decode()
    address = f"http://testserver/calendar/{user.calendar_token}.ics"
    assert f'<code class="select-all">{address}</code>' in html
    feed = client.get(address)
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("text/calendar")


def test_emails_are_unique_whatever_their_case():
    UserFactory(email="same@example.com")
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        UserFactory(email="SAME@example.com")


def test_an_htmx_settings_error_answers_the_form_partial_only(user, client_for):
    client = client_for(user)
    token = token_from(client, "/settings/")
    response = client.post(
        "/settings/",
        settings_data(
            token, timezone="Nowhere/Land", reminder_mode="each", digest_hour=8, weekly_review_day=6
        ),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert body.lstrip().startswith('<form id="settings-form"')
    assert "Nowhere/Land is not one of the available choices" in body
    assert "<html" not in body


def test_moving_time_zone_keeps_open_follow_ups_at_their_local_time(user, client_for):
    import datetime as dt
    import zoneinfo

    from tests.factories import FollowUpFactory

    berlin, new_york = zoneinfo.ZoneInfo("Europe/Berlin"), zoneinfo.ZoneInfo("America/New_York")
    user.timezone = "Europe/Berlin"
    user.save()
    open_one = FollowUpFactory(owner=user, due_at=dt.datetime(2026, 12, 1, 9, 0, tzinfo=berlin))
    done = FollowUpFactory(
        owner=user, due_at=dt.datetime(2026, 12, 2, 9, 0, tzinfo=berlin), status="done"
    )
    client = client_for(user)
    token = token_from(client, "/settings/")
    response = client.post(
        "/settings/",
        settings_data(
            token,
            timezone="America/New_York",
            reminder_mode="each",
            digest_hour=8,
            weekly_review_day=6,
        ),
    )
    assert response.status_code == 302
    open_one.refresh_from_db()
    done.refresh_from_db()
    assert open_one.due_at == dt.datetime(2026, 12, 1, 9, 0, tzinfo=new_york)
    assert done.due_at == dt.datetime(2026, 12, 2, 9, 0, tzinfo=berlin)


def test_a_superuser_made_by_hand_confirms_the_address_at_first_login(mailoutbox):
    # createsuperuser makes no confirmed address; under the default (mandatory) the first login
    # sends the link instead of signing in, and the link signs in.
    User.objects.create_superuser("boss@example.com", PASSWORD)
    client = csrf_client()
    token = token_from(client, "/accounts/login/")
    response = client.post(
        "/accounts/login/",
        {"login": "boss@example.com", "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session
    [message] = mailoutbox
    assert message.to == ["boss@example.com"]
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+)", message.body).group(1)
    client.post(link, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value})
    assert client.get("/admin/").status_code == 200
