"""Two-factor authentication (allauth's MFA): an authenticator app and one-time recovery codes,
optional per user, turned on and off from Settings."""

import datetime as dt
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.accounts.test_auth_pages import LIBRARY_WORDS, visible_text
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 3, 2, 9, 0, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fresh_limits():
    # Rate limits and used-code markers live in the cache: each test starts from none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def verified_user(**kwargs):
    return UserFactory(**kwargs)  # the factory's users have confirmed their address


def code_for(secret: str, *, at: dt.datetime | None = None) -> str:
    moment = (at or dt.datetime.now(dt.UTC)).timestamp()
    return format_hotp_value(hotp_value(secret, int(moment) // mfa_settings.TOTP_PERIOD))


def token(client: Client, path: str) -> str:
    # Once the cookie is set, no page is fetched again: a new activation page makes a new key.
    for page in (path, reverse("accounts:settings"), reverse("account_login")):
        if "csrftoken" in client.cookies:
            break
        client.get(page)
    return client.cookies["csrftoken"].value


def post(client: Client, path: str, data: dict):
    return client.post(path, {**data, "csrfmiddlewaretoken": token(client, path)})


def reauthenticate(client: Client) -> None:
    response = post(client, reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.content


def turn_on(client: Client) -> str:
    """Turn on the authenticator app for the signed-in user; returns the app's secret."""
    reauthenticate(client)
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    # Typed by hand when the QR code cannot be scanned: in groups of four.
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in page.content.decode()
    response = post(client, reverse("mfa_activate_totp"), {"code": code_for(secret)})
    assert response.status_code == 302, response.content
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    return secret


def log_in(client: Client, user):
    return post(client, reverse("account_login"), {"login": user.email, "password": PASSWORD})


def recovery_codes(client: Client) -> list[str]:
    html = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    return re.findall(r"<li><code>(\w+)</code></li>", html)


def signed_in_as(client: Client):
    return client.session.get(SESSION_KEY)


def test_with_the_app_on_logging_in_asks_for_its_code(client_for, clock):
    user = verified_user()
    secret = turn_on(client_for(user))
    assert Authenticator.objects.filter(user=user, type="totp").exists()
    assert Authenticator.objects.filter(user=user, type="recovery_codes").exists()

    client = Client(enforce_csrf_checks=True)
    clock.shift(dt.timedelta(seconds=31))  # the next code: a code is accepted once only
    response = log_in(client, user)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert signed_in_as(client) is None  # the password alone does not sign in

    page = client.get(reverse("mfa_authenticate"))
    assert b"Enter your code" in page.content
    wrong = f"{(int(code_for(secret)) + 1) % 1_000_000:06d}"
    refused = post(client, reverse("mfa_authenticate"), {"code": wrong})
    assert refused.status_code == 200
    assert b"Incorrect code." in refused.content
    assert signed_in_as(client) is None

    accepted = post(client, reverse("mfa_authenticate"), {"code": code_for(secret)})
    assert accepted.status_code == 302
    assert accepted["Location"] == reverse(settings.LOGIN_REDIRECT_URL)
    assert signed_in_as(client) == str(user.pk)


def test_the_same_app_code_does_not_sign_in_twice(client_for, clock):
    user = verified_user()
    secret = turn_on(client_for(user))
    clock.shift(dt.timedelta(seconds=31))
    first = Client(enforce_csrf_checks=True)
    log_in(first, user)
    assert post(first, reverse("mfa_authenticate"), {"code": code_for(secret)}).status_code == 302
    second = Client(enforce_csrf_checks=True)
    log_in(second, user)
    replay = post(second, reverse("mfa_authenticate"), {"code": code_for(secret)})
    assert replay.status_code == 200
    assert signed_in_as(second) is None


def test_a_recovery_code_signs_in_once_only(client_for, clock):
    user = verified_user()
    owner = client_for(user)
    turn_on(owner)
    codes = recovery_codes(owner)
    assert len(codes) == 10

    client = Client(enforce_csrf_checks=True)
    log_in(client, user)
    assert post(client, reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 302
    assert signed_in_as(client) == str(user.pk)
    left = Authenticator.objects.get(user=user, type="recovery_codes").wrap().get_unused_codes()
    assert codes[0] not in left
    assert len(left) == 9

    again = Client(enforce_csrf_checks=True)
    log_in(again, user)
    refused = post(again, reverse("mfa_authenticate"), {"code": codes[0]})
    assert refused.status_code == 200
    assert b"Incorrect code." in refused.content
    assert signed_in_as(again) is None


def test_turning_it_off_asks_to_confirm_it_is_me_and_leaves_others_alone(client_for, clock):
    user, other = verified_user(), verified_user()
    secret = turn_on(client_for(user))
    turn_on(client_for(other))

    clock.shift(dt.timedelta(minutes=30))  # long after the last confirmation
    client = client_for(user)
    page = client.get(reverse("mfa_deactivate_totp"))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("account_reauthenticate"))
    refused = post(client, reverse("mfa_deactivate_totp"), {})
    assert refused.status_code == 302
    assert Authenticator.objects.filter(user=user, type="totp").exists()

    # Confirming with a code from the app (or the password) opens the page.
    confirmed = post(client, reverse("mfa_reauthenticate"), {"code": code_for(secret)})
    assert confirmed.status_code == 302
    page = client.get(reverse("mfa_deactivate_totp"))
    assert b"Turn off two-factor authentication" in page.content
    response = post(client, reverse("mfa_deactivate_totp"), {})
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=user).exists()  # recovery codes went too
    assert Authenticator.objects.filter(user=other).count() == 2

    # And logging in asks for the password only again.
    fresh = Client(enforce_csrf_checks=True)
    assert log_in(fresh, user)["Location"] == reverse(settings.LOGIN_REDIRECT_URL)


def test_a_wrong_code_does_not_turn_it_on(client_for, clock):
    user = verified_user()
    client = client_for(user)
    reauthenticate(client)
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    wrong = f"{(int(code_for(secret)) + 7) % 1_000_000:06d}"
    response = post(client, reverse("mfa_activate_totp"), {"code": wrong})
    assert response.status_code == 200
    assert b"Incorrect code." in response.content
    assert not Authenticator.objects.filter(user=user).exists()


def test_the_forms_refuse_a_post_without_the_csrf_token(client_for, clock):
    user = verified_user()
    client = client_for(user)
    secret = turn_on(client)
    forms = [
        (reverse("mfa_deactivate_totp"), {}),
        (reverse("mfa_generate_recovery_codes"), {}),
        (reverse("mfa_reauthenticate"), {"code": code_for(secret)}),
    ]
    for path, data in forms:
        assert client.post(path, data).status_code == 403, path
    assert Authenticator.objects.filter(user=user, type="totp").exists()
    stage = Client(enforce_csrf_checks=True)
    clock.shift(dt.timedelta(seconds=31))
    log_in(stage, user)
    assert stage.post(reverse("mfa_authenticate"), {"code": code_for(secret)}).status_code == 403
    assert signed_in_as(stage) is None


def test_the_activation_page_shows_the_qr_code_as_an_image_and_the_key_as_text(client_for):
    user = verified_user()
    client = client_for(user)
    reauthenticate(client)
    html = client.get(reverse("mfa_activate_totp")).content.decode()
    secret = client.session[SECRET_SESSION_KEY]
    # A data: image (allowed by the page's img-src), not an inline script or a remote service.
    assert re.search(r'<img class="mfa-qr" src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"', html)
    shown = re.search(
        r'<code class="select-all mfa-secret" id="authenticator_secret">([A-Z2-7 ]+)<', html
    )
    assert shown.group(1).replace(" ", "") == secret
    assert shown.group(1).split(" ")[0] == secret[:4]
    assert "<script>" not in html


def test_settings_link_to_two_factor_with_its_state(client_for, clock):
    user = verified_user()
    client = client_for(user)
    page = client.get(reverse("accounts:settings")).content.decode()
    assert f'href="{reverse("mfa_index")}"' in page
    assert re.search(r'Two-factor authentication</a> <span class="pill">Off</span>', page)
    turn_on(client)
    page = client.get(reverse("accounts:settings")).content.decode()
    on = r'Two-factor authentication</a> <span class="pill pill-success">On</span>'
    assert re.search(on, page)
    index = client.get(reverse("mfa_index")).content.decode()
    assert "10 of 10 one-time codes left" in index


def test_an_unconfirmed_address_cannot_turn_it_on(client_for):
    # Otherwise someone signing up with another person's address could lock its owner out.
    user = UserFactory(email_confirmed=False)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    client = client_for(user)
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")
    assert not Authenticator.objects.filter(user=user).exists()


def test_the_pages_use_the_product_layout_and_words(client_for, clock):
    user = verified_user()
    client = client_for(user)
    secret = turn_on(client)
    pages = [
        "mfa_index",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_deactivate_totp",
        "mfa_reauthenticate",
    ]
    for name in pages:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        html = visible_text(response.content.decode())
        assert 'class="topbar"' in html and ("manage-card" in html or "auth-card" in html), name
        assert not LIBRARY_WORDS.search(html), (name, LIBRARY_WORDS.search(html))
    stage = Client(enforce_csrf_checks=True)
    clock.shift(dt.timedelta(seconds=31))
    log_in(stage, user)
    html = visible_text(stage.get(reverse("mfa_authenticate")).content.decode())
    assert "auth-card" in html and not LIBRARY_WORDS.search(html)
    assert code_for(secret) not in html


def test_the_codes_download_as_a_text_file_that_says_what_they_are(client_for, clock):
    user = verified_user()
    client = client_for(user)
    turn_on(client)
    codes = recovery_codes(client)
    response = client.get(reverse("mfa_download_recovery_codes"))
    assert response["Content-Type"].startswith("text/plain")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    assert text.startswith(f"Followthrough recovery codes for {user.email}\n")
    assert text.split("\n\n", 1)[1].split() == codes
