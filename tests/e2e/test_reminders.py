"""Main path in Chromium: log a conversation with a follow-up, get the reminder by SMTP, click
"done" in the email, confirm, and see it done on Today."""

import datetime as dt
import email
import re

import pytest
from django.utils import timezone

from apps.reminders import services
from apps.reminders.models import FollowUp
from tests import factories
from tests.support.smtp import Sink

pytestmark = pytest.mark.browser


@pytest.fixture
def sink():
    sink = Sink().start()
    yield sink
    sink.stop()


def test_a_reminder_email_done_link_completes_the_follow_up(
    logged_in_page, live_server, sink, settings
):
    page = logged_in_page
    contact = factories.ContactFactory(owner=page.user, full_name="Grace Hopper")
    page.goto(f"{live_server.url}/interactions/new/?contact={contact.pk}")
    page.get_by_label("What happened?").fill("Coffee about compilers")
    page.get_by_label("In 3 days").check()
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state("networkidle")
    follow_up = FollowUp.objects.get(contact=contact, status="open")
    local_due = follow_up.due_at.astimezone(page.user.zone)
    assert (local_due.date() - page.user.local_now().date()).days == 3

    # Move the due time into the past instead of waiting three days, then sweep.
    FollowUp.objects.filter(pk=follow_up.pk).update(due_at=timezone.now() - dt.timedelta(minutes=1))
    settings.SITE_URL = live_server.url
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": sink.port, "timeout": 5},
        }
    }
    for delivery_id in services.collect_due():
        services.deliver(delivery_id)
    [raw] = sink.recorder.messages
    message = email.message_from_string(raw.as_string())
    text = next(
        part.get_payload(decode=True).decode()
        for part in message.walk()
        if part.get_content_type() == "text/plain"
    )
    assert "Coffee about compilers" in text
    done_url = re.search(r"Done: (\S+)", text).group(1)

    page.goto(done_url)
    assert FollowUp.objects.get(pk=follow_up.pk).status == "open"  # the GET changed nothing
    page.get_by_role("button", name="Mark this follow-up done").click()
    page.get_by_text("Marked done").wait_for()

    page.goto(f"{live_server.url}/")
    done = page.locator("#h-done").locator("xpath=..")
    done.get_by_text("Grace Hopper").wait_for()
    assert FollowUp.objects.get(pk=follow_up.pk).status == "done"
