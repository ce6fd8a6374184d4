import datetime as dt
import zoneinfo
from pathlib import Path

import pytest
from django.urls import reverse

from apps.capture.invites import InviteError, read_invite
from apps.contacts.models import Contact
from apps.interactions.models import Interaction
from tests import factories

INVITES = Path(__file__).parent / "invites"
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def invite(name, zone=BERLIN, own=("seeker@example.com",)):
    return read_invite((INVITES / name).read_bytes(), zone=zone, own_emails=own)


def test_google_calendar_invitation_with_a_tzid():
    read = invite("google.ics")
    # 14:00 in New York in November (EST, UTC-5) is 19:00 UTC.
    assert read.starts_at == dt.datetime(2026, 11, 17, 19, 0, tzinfo=dt.UTC)
    assert read.minutes == 45 and not read.all_day
    assert read.video  # Google Meet
    assert read.summary == "Ada / Seeker: platform team chat"
    # The organizer once (also an attendee), the user left out.
    assert [(p.email, p.name) for p in read.people] == [
        ("ada@analytical.example", "Ada Lovelace"),
        ("charles@engines.example", "Charles Babbage"),
    ]


def test_outlook_invitation_with_a_windows_time_zone():
    read = invite("outlook.ics")
    # 09:30 "W. Europe Standard Time" on 20 October is summer time (UTC+2).
    assert read.starts_at == dt.datetime(2026, 10, 20, 7, 30, tzinfo=dt.UTC)
    assert read.minutes == 30
    assert read.video  # Teams
    assert [(p.email, p.name) for p in read.people] == [
        ("grace.hopper@navy.example", "Grace Hopper")
    ]


def test_utc_times_and_a_duration():
    read = invite("utc.ics")
    assert read.starts_at == dt.datetime(2026, 11, 2, 16, 0, tzinfo=dt.UTC)
    assert read.minutes == 90 and read.location == "Cafe Central" and not read.video
    # No CN: a name from the address.
    assert [(p.email, p.name) for p in read.people] == [("linus@kernel.example", "Linus")]


def test_an_all_day_event_keeps_its_day_in_the_users_zone():
    for zone in (
        BERLIN,
        zoneinfo.ZoneInfo("Pacific/Auckland"),
        zoneinfo.ZoneInfo("America/Los_Angeles"),
    ):
        read = invite("allday.ics", zone=zone)
        assert read.all_day and read.minutes == 0
        assert read.starts_at.astimezone(zone).date() == dt.date(2026, 11, 5)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"hello",
        b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        b"x" * 1_000_001,
    ],
)
def test_unreadable_files_get_a_message(data):
    with pytest.raises(InviteError):
        read_invite(data, zone=BERLIN)


@pytest.fixture
def browser(client_for, user):
    client = client_for(user)
    client.csrf = client.get(reverse("capture:invite")).context["csrf_token"]
    return client


def test_upload_preview_then_save_logs_the_meeting(browser, user):
    user.email = "seeker@example.com"
    user.save()
    ada = factories.ContactFactory(
        owner=user, full_name="Ada L.", email="ADA@analytical.example", cadence_days=30
    )
    with open(INVITES / "google.ics", "rb") as upload:
        preview = browser.post(
            reverse("capture:invite"), {"file": upload, "csrfmiddlewaretoken": browser.csrf}
        )
    assert preview.status_code == 200
    assert [row["contact"] for row in preview.context["rows"]] == [ada, None]
    assert not Interaction.objects.exists()  # a preview saves nothing

    form = preview.context["form"]
    saved = browser.post(
        reverse("capture:invite_save"),
        {
            "ics": preview.context["ics"],
            "person": ["ada@analytical.example", "charles@engines.example", "mallory@evil.example"],
            "summary": form.initial["summary"],
            "occurred_at": form.initial["occurred_at"].strftime("%Y-%m-%dT%H:%M"),
            "minutes_custom": form.initial["minutes_custom"],
            "channel": form.initial["channel"],
            "kind": form.initial["kind"],
            "direction": "mutual",
            "csrfmiddlewaretoken": browser.csrf,
        },
    )
    assert saved.status_code == 302, saved.content.decode()[:2000]
    interaction = Interaction.objects.get(owner=user)
    assert interaction.minutes == 45 and interaction.channel == "video"
    assert interaction.occurred_at == dt.datetime(2026, 11, 17, 19, 0, tzinfo=dt.UTC)
    charles = Contact.objects.get(owner=user, email="charles@engines.example")
    assert charles.full_name == "Charles Babbage"
    assert set(interaction.contacts.all()) == {ada, charles}
    # Only the invitation's own attendees can be added.
    assert not Contact.objects.filter(email="mallory@evil.example").exists()
    ada.refresh_from_db()
    # The keep-in-touch clock restarts from the meeting.
    assert ada.last_interaction_at == interaction.occurred_at
    next_touch = ada.followups.get(is_cadence=True, status="open").due_at
    assert next_touch.date() >= (interaction.occurred_at + dt.timedelta(days=30)).date()


def test_a_future_meeting_or_nobody_chosen_is_refused_with_the_quick_logs_words(browser, user):
    ics = (INVITES / "utc.ics").read_text().replace("20261102T160000Z", "29990101T160000Z")
    preview = browser.post(
        reverse("capture:invite"), {"text": ics, "csrfmiddlewaretoken": browser.csrf}
    )
    form = preview.context["form"]
    data = {
        "ics": ics,
        "summary": "x",
        "channel": "in_person",
        "kind": "meeting",
        "direction": "mutual",
        "csrfmiddlewaretoken": browser.csrf,
        "occurred_at": form.initial["occurred_at"].strftime("%Y-%m-%dT%H:%M"),
    }
    refused = browser.post(
        reverse("capture:invite_save"), {**data, "person": ["linus@kernel.example"]}
    )
    assert refused.status_code == 400 and "in the future" in refused.content.decode()
    nobody = browser.post(reverse("capture:invite_save"), {**data, "occurred_at": ""})
    assert nobody.status_code == 400 and "at least one contact" in nobody.content.decode()
    assert not Interaction.objects.exists() and not Contact.objects.exists()


def test_invites_need_csrf(client_for, user):
    client = client_for(user)
    assert client.post(reverse("capture:invite"), {"text": "x"}).status_code == 403
    assert client.post(reverse("capture:invite_save"), {"ics": "x"}).status_code == 403


def test_a_bad_file_gets_a_message_on_the_page(browser):
    response = browser.post(
        reverse("capture:invite"), {"text": "not a calendar", "csrfmiddlewaretoken": browser.csrf}
    )
    assert response.status_code == 400
    assert (
        "not a calendar file" in response.content.decode()
        or "no event" in response.content.decode()
    )
