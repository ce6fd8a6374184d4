"""`make run` under another port: the reminder email's links reach the server that sent it."""

import email
import re
import urllib.request

import pytest

from tests.support.devserver import dev_server
from tests.support.processes import wait_for

pytestmark = pytest.mark.slow

DUE_NOW = """
import datetime as dt
from django.utils import timezone
from apps.accounts.models import User
from apps.contacts.models import Contact
from apps.reminders import services
user = User.objects.create_user("port@example.com", "a-long-passphrase-9")
contact = Contact.objects.create(owner=user, full_name="Ada Lovelace")
services.create_follow_up(
    owner=user, contact=contact, due_at=timezone.now() - dt.timedelta(minutes=1), note="Say hi"
)
"""


def test_a_reminder_sent_under_a_non_default_port_links_back_to_that_port(tmp_path):
    with dev_server(tmp_path / "var") as server:
        server.manage("shell", "-c", DUE_NOW)
        [mail] = wait_for(server.mails, timeout=90, message="no reminder email was written")
        message = email.message_from_bytes(mail.read_bytes().split(b"\n-------", 1)[0])
        text = next(
            part.get_payload(decode=True).decode()
            for part in message.walk()
            if part.get_content_type() == "text/plain"
        )
        done_url = re.search(r"Done: (\S+)", text).group(1)
        assert done_url.startswith(f"{server.url}/r/")
        with urllib.request.urlopen(done_url, timeout=10) as response:
            assert response.status == 200
            assert "Mark this follow-up done" in response.read().decode()
