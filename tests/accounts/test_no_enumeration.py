"""No page tells whether an address already has an account, in any verification mode: sign-up,
login, password reset and adding an address answer a known and an unknown address alike."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
MODES = ["none", "optional", "mandatory"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"|nonce="[^"]+"')


@pytest.fixture(autouse=True)
def _fresh_limits():
    # allauth limits sign-ups and emails per address and per client in the cache.
    cache.clear()
    yield
    cache.clear()


def browser() -> Client:
    return Client(enforce_csrf_checks=True)


def token(client: Client) -> str:
    for page in ("account_login", "accounts:settings"):  # signed out, signed in
        if "csrftoken" not in client.cookies:
            client.get(reverse(page))
    return client.cookies["csrftoken"].value


def post(client: Client, name: str, data: dict):
    return client.post(reverse(name), {**data, "csrfmiddlewaretoken": token(client)})


def sign_up(client: Client, email: str):
    data = {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    return post(client, "account_signup", data)


def page_text(response, *addresses: str) -> str:
    """The page as a visitor sees it, with the CSRF token and the address they typed blanked."""
    html = CSRF.sub("CSRF", response.content.decode())
    for address in addresses:
        html = html.replace(address, "ADDRESS")
    return html


def known_user(email: str):
    return UserFactory(email=email)  # with its address confirmed


def mails_to(mailoutbox, address: str) -> list:
    return [m for m in mailoutbox if address in m.to]


@pytest.mark.parametrize("mode", MODES)
def test_signing_up_answers_a_new_and_a_known_address_alike(mode, settings, mailoutbox):
    settings.ACCOUNT_EMAIL_VERIFICATION = mode
    fresh, taken = f"fresh-{mode}@example.com", f"taken-{mode}@example.com"
    owner = known_user(taken)
    new_browser, known_browser = browser(), browser()

    new = sign_up(new_browser, fresh)
    known = sign_up(known_browser, taken)

    assert new.status_code == known.status_code == 302
    assert new["Location"] == known["Location"]
    expected = reverse("account_login" if mode == "none" else "account_email_verification_sent")
    assert new["Location"] == expected
    new_page, known_page = new_browser.get(new["Location"]), known_browser.get(known["Location"])
    assert new_page.status_code == known_page.status_code == 200
    assert page_text(new_page, fresh) == page_text(known_page, taken)
    assert SESSION_KEY not in new_browser.session and SESSION_KEY not in known_browser.session

    # Nothing made or changed for the known address; its owner is told someone tried.
    assert User.objects.filter(email__iexact=taken).count() == 1
    assert User.objects.get(email__iexact=taken) == owner
    assert owner.check_password(PASSWORD)
    [warning] = mails_to(mailoutbox, taken)
    assert warning.subject == "[Followthrough] Someone tried to sign up with your address"
    assert "already has an account" in warning.body
    assert "/accounts/password/reset/" in warning.body

    # The new address can finish.
    created = User.objects.get(email__iexact=fresh)
    if mode == "none":
        assert mails_to(mailoutbox, fresh) == []
        logged_in = post(new_browser, "account_login", {"login": fresh, "password": PASSWORD})
        assert logged_in["Location"] == reverse("reminders:today")
    else:
        [confirmation] = mails_to(mailoutbox, fresh)
        assert confirmation.subject == "[Followthrough] Confirm your email address"
        link = re.search(r"http://testserver(/accounts/confirm-email/\S+)", confirmation.body)
        assert new_browser.get(link.group(1)).status_code == 200  # a page with one button
        confirmed = new_browser.post(link.group(1), {"csrfmiddlewaretoken": token(new_browser)})
        assert confirmed.status_code == 302
        assert EmailAddress.objects.get(email__iexact=fresh).verified
    assert new_browser.session[SESSION_KEY] == str(created.pk)
    assert SESSION_KEY not in known_browser.session


def test_under_optional_an_unconfirmed_account_may_still_log_in(settings, mailoutbox):
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
    sign_up(browser(), "later@example.com")
    client = browser()
    response = post(client, "account_login", {"login": "later@example.com", "password": PASSWORD})
    assert response["Location"] == reverse("reminders:today")
    assert SESSION_KEY in client.session


def test_under_mandatory_an_unconfirmed_account_is_asked_to_confirm_first(settings, mailoutbox):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    sign_up(browser(), "unconfirmed@example.com")
    client = browser()
    data = {"login": "unconfirmed@example.com", "password": PASSWORD}
    response = post(client, "account_login", data)
    assert response["Location"] == reverse("account_email_verification_sent")
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize("mode", MODES)
def test_a_wrong_password_reads_the_same_for_a_known_and_an_unknown_address(mode, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = mode
    known_user("member@example.com")
    answers = []
    for address in ("member@example.com", "stranger@example.com"):
        response = post(browser(), "account_login", {"login": address, "password": "wrong horse"})
        answers.append((response.status_code, page_text(response, address)))
    assert answers[0] == answers[1]
    assert answers[0][0] == 200
    assert "not correct" in answers[0][1]


@pytest.mark.parametrize("mode", MODES)
def test_password_reset_answers_a_known_and_an_unknown_address_alike(mode, settings, mailoutbox):
    settings.ACCOUNT_EMAIL_VERIFICATION = mode
    known, unknown = f"reset-known-{mode}@example.com", f"reset-unknown-{mode}@example.com"
    known_user(known)
    answers = []
    for address in (known, unknown):
        client = browser()
        response = post(client, "account_reset_password", {"email": address})
        done = client.get(response["Location"])
        answers.append((response.status_code, response["Location"], page_text(done, address)))
    assert answers[0] == answers[1]
    [reset] = mails_to(mailoutbox, known)
    assert reset.subject == "[Followthrough] Reset your password"
    [note] = mails_to(mailoutbox, unknown)
    assert note.subject == "[Followthrough] No Followthrough account for this address"
    assert "/accounts/password/reset/key/" not in note.body


@pytest.mark.parametrize("mode", MODES)
def test_adding_an_address_answers_alike_whether_another_account_has_it(mode, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = mode
    other = known_user(f"other-{mode}@example.com")
    me = known_user(f"me-{mode}@example.com")
    client = browser()
    client.force_login(me)
    assert post(client, "account_reauthenticate", {"password": PASSWORD}).status_code == 302
    answers = []
    for address in (f"other-{mode}@example.com", f"spare-{mode}@example.com"):
        response = post(client, "account_email", {"email": address, "action_add": ""})
        page = client.get(response["Location"]) if response.status_code == 302 else response
        answers.append((response.status_code, response.get("Location"), page_text(page, address)))
    assert answers[0][:2] == answers[1][:2]
    assert answers[0][0] == 302
    # The list shows the address just added as unconfirmed in both cases: blank both out.
    first = answers[0][2].replace("ADDRESS", "X")
    second = answers[1][2].replace(f"other-{mode}@example.com", "X").replace("ADDRESS", "X")
    assert first == second
    # The other account keeps its address, confirmed, and nobody signs in as it.
    assert EmailAddress.objects.get(user=other, email=f"other-{mode}@example.com").verified
    taken = EmailAddress.objects.filter(email=f"other-{mode}@example.com", verified=True)
    assert list(taken.values_list("user", flat=True)) == [other.pk]
