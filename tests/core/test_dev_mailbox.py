"""`make run` writes email to files: the development mailbox shows them, so a newcomer can click
the sign-up confirmation at once. No such page exists anywhere else."""

import pytest
from django.core.mail import EmailMessage
from django.core.mail.backends.filebased import EmailBackend
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db
FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"


@pytest.fixture
def mail_to_files(settings, tmp_path):
    settings.DEBUG = True
    settings.MAILERS = {"default": {"BACKEND": FILE_BACKEND, "OPTIONS": {"file_path": tmp_path}}}
    return tmp_path


def write(folder, subject: str, body: str, to: str = "new@example.com") -> None:
    EmailBackend(file_path=str(folder)).send_messages([EmailMessage(subject, body, to=[to])])


def test_it_shows_the_newest_mail_first_with_its_links(mail_to_files):
    write(mail_to_files, "Older", "first")
    write(mail_to_files, "Confirm your email address", "Open http://testserver/accounts/x/ now")
    html = Client().get(reverse("core:dev_mail")).content.decode()
    assert html.index("Confirm your email address") < html.index("Older")
    assert '<a href="http://testserver/accounts/x/"' in html
    assert "To new@example.com" in html


def test_the_check_your_inbox_page_points_to_it(mail_to_files):
    html = Client().get(reverse("account_email_verification_sent")).content.decode()
    assert f'href="{reverse("core:dev_mail")}"' in html


def test_there_is_no_such_page_outside_debug_or_with_real_email(settings, mail_to_files):
    settings.DEBUG = False
    assert Client().get(reverse("core:dev_mail")).status_code == 404
    html = Client().get(reverse("account_email_verification_sent")).content.decode()
    assert reverse("core:dev_mail") not in html
    settings.DEBUG = True
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend"}}
    assert Client().get(reverse("core:dev_mail")).status_code == 404
