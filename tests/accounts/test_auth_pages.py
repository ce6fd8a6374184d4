"""The account pages speak the product's words, and so do the emails they send."""

import re

import pytest

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ANONYMOUS = [
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/password/reset/key/1-bad/",
    "/accounts/confirm-email/bad-key/",
    "/accounts/confirm-email/",
]
SIGNED_IN = [
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/logout/",
    "/accounts/reauthenticate/",
]
LIBRARY_WORDS = re.compile(r"Sign In|Sign Out|Sign Up|Signup|Remember Me|sign in\b|:\s*</label>")


def visible_text(html: str) -> str:
    return re.sub(r"<script.*?</script>", "", html, flags=re.S)


@pytest.mark.parametrize("path", ANONYMOUS)
def test_anonymous_account_pages_use_the_product_layout_and_words(client, path):
    response = client.get(path)
    assert response.status_code == 200
    html = visible_text(response.content.decode())
    assert 'class="topbar"' in html and "auth-card" in html
    assert not LIBRARY_WORDS.search(html), LIBRARY_WORDS.search(html)


@pytest.mark.parametrize("path", SIGNED_IN)
def test_signed_in_account_pages_use_the_product_layout_and_words(auth_client, path):
    response = auth_client.get(path)
    assert response.status_code == 200
    html = visible_text(response.content.decode())
    assert 'class="topbar"' in html and ("manage-card" in html or "auth-card" in html)
    assert not LIBRARY_WORDS.search(html), LIBRARY_WORDS.search(html)


def test_login_says_what_the_product_does_and_labels_remember_me(client):
    html = client.get("/accounts/login/").content.decode()
    assert "<h1>Log in</h1>" in html
    assert "networking CRM for your job search" in html
    assert re.search(
        r'<label for="id_remember"><input type="checkbox" name="remember"[^>]*> '
        r"Remember me</label>",
        html,
    )


def test_signup_email_names_the_product_not_the_host(client, mailoutbox, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
    # An address no other test uses: allauth sends one confirmation per address per 3 minutes.
    client.get("/accounts/signup/")
    client.post(
        "/accounts/signup/",
        {"email": "product-words@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    [message] = mailoutbox
    assert message.subject == "[Followthrough] Confirm your email address"
    assert message.body.startswith("Hello from Followthrough!")
    assert "testserver" not in message.body.split("http://testserver/accounts/confirm-email/")[0]
    assert "http://testserver/accounts/confirm-email/" in message.body


def test_password_reset_email_names_the_product(client, mailoutbox):
    # An address no other test uses: allauth rate-limits reset emails per address.
    UserFactory(email="reset-words@example.com")
    client.post("/accounts/password/reset/", {"email": "reset-words@example.com"})
    [message] = mailoutbox
    assert message.subject == "[Followthrough] Reset your password"
    assert message.body.startswith("Hello from Followthrough!")
    assert "Hello from testserver" not in message.body
