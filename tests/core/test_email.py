import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives
from django.test import Client

from config.env import mailer_from_url
from tests.support.smtp import smtp_sink


def test_email_url_defaults_to_files():
    assert mailer_from_url("file:///srv/var/mail") == {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": "/srv/var/mail"},
    }


def test_email_url_reads_smtp_credentials_and_tls():
    mailer = mailer_from_url("smtp+tls://me%40x.com:p%2Fw@mail.example.com:2525?timeout=3")
    assert mailer["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert mailer["OPTIONS"] == {
        "host": "mail.example.com",
        "port": 2525,
        "use_tls": True,
        "use_ssl": False,
        "timeout": 3.0,
        "username": "me@x.com",
        "password": "p/w",
    }


def test_email_url_plain_smtp_defaults_to_port_25_without_tls():
    assert mailer_from_url("smtp://127.0.0.1") == {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": "127.0.0.1",
            "port": 25,
            "use_tls": False,
            "use_ssl": False,
            "timeout": 10.0,
        },
    }


def test_email_url_smtps_is_implicit_tls_on_port_465():
    mailer = mailer_from_url("smtps://me:pw@mail.example.com?timeout=2.5")
    assert mailer["OPTIONS"] == {
        "host": "mail.example.com",
        "port": 465,
        "use_tls": False,
        "use_ssl": True,
        "timeout": 2.5,
        "username": "me",
        "password": "pw",
    }


def test_email_url_smtp_tls_defaults_to_port_587():
    options = mailer_from_url("SMTP+TLS://mail.example.com")["OPTIONS"]
    assert (options["port"], options["use_tls"], options["use_ssl"]) == (587, True, False)


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("console://", "django.core.mail.backends.console.EmailBackend"),
        ("locmem://", "django.core.mail.backends.locmem.EmailBackend"),
        ("dummy://", "django.core.mail.backends.dummy.EmailBackend"),
    ],
)
def test_email_url_names_the_in_process_backends(url, backend):
    assert mailer_from_url(url) == {"BACKEND": backend}


def test_email_url_file_without_a_path_writes_under_var_mail():
    assert mailer_from_url("file://")["OPTIONS"] == {"file_path": "var/mail"}


@pytest.mark.parametrize("url", ["carrier-pigeon://coop", "smtp+ssl://mail.example.com", "nothing"])
def test_email_url_refuses_an_unknown_scheme(url):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL has an unsupported scheme") as error:
        mailer_from_url(url)
    assert (
        "(use file://, smtp://, smtp+tls://, smtps://, console://, locmem:// or dummy://)"
        in str(error.value)
    )


def test_email_url_smtp_sends_real_smtp(settings):
    with smtp_sink() as sink:
        settings.MAILERS = {"default": mailer_from_url(sink.url)}
        message = EmailMultiAlternatives(
            "Follow up with Ada", "Plain body", "from@example.com", ["to@example.com"]
        )
        message.attach_alternative("<p>HTML body</p>", "text/html")
        assert message.send() == 1
    assert sink.recorder.count == 1
    received = sink.recorder.messages[0]
    assert received["Subject"] == "Follow up with Ada"
    assert received.get_body(("html",)).get_content().strip() == "<p>HTML body</p>"


@pytest.mark.django_db
def test_password_reset_sends_a_link(user):
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/password/reset/")
    response = client.post(
        "/accounts/password/reset/",
        {"email": user.email, "csrfmiddlewaretoken": client.cookies["csrftoken"].value},
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
