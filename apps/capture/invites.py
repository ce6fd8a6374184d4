"""Calendar invitations (.ics, as Google Calendar, Outlook and Apple Calendar send them) read
into what a logged conversation needs: when, how long, with whom (by email), what about."""

import datetime as dt
from dataclasses import dataclass, field

import icalendar

from apps.capture.pages import clean_text
from apps.core.localtime import local_to_utc
from apps.interactions.models import MAX_MINUTES

MAX_INVITE_BYTES = 1_000_000
MAX_ATTENDEES = 50
# An all-day event says which day, not when: noon in the user's zone keeps that day everywhere.
ALL_DAY_HOUR = dt.time(12)
VIDEO_HINTS = ("meet.google.", "zoom.", "teams.microsoft.", "webex.", "whereby.")


class InviteError(ValueError):
    """The file is not an invitation we can read, with a message for the user."""


@dataclass
class Person:
    email: str
    name: str


@dataclass
class Invite:
    summary: str
    starts_at: dt.datetime  # aware, UTC
    minutes: int
    all_day: bool
    location: str = ""
    description: str = ""
    video: bool = False
    people: list[Person] = field(default_factory=list)


def _email(address) -> str:
    text = str(address or "").strip()
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:") :]
    text = text.strip().lower()
    return text if "@" in text and len(text) <= 254 else ""


def _people(event, *, own_emails: set[str]) -> list[Person]:
    found: dict[str, Person] = {}
    attendees = event.get("attendee") or []
    if not isinstance(attendees, list):
        attendees = [attendees]
    for address in [event.get("organizer"), *attendees][: MAX_ATTENDEES + 1]:
        if address is None:
            continue
        email = _email(address)
        if not email or email in own_emails or email in found:
            continue
        name = clean_text(getattr(address, "params", {}).get("CN", ""), 200).strip('"')
        if not name or "@" in name:
            name = email.split("@")[0].replace(".", " ").replace("_", " ").title()
        found[email] = Person(email=email, name=name)
    return list(found.values())


def _start_and_minutes(event, zone) -> tuple[dt.datetime, int, bool]:
    if event.get("dtstart") is None:
        raise InviteError("The event has no start time.")
    start = event.decoded("dtstart")
    if event.get("dtend") is not None:
        end = event.decoded("dtend")
    elif event.get("duration") is not None:
        end = start + event.decoded("duration")
    else:
        end = start
    if not isinstance(start, dt.datetime):  # a DATE: an all-day event
        return local_to_utc(start, ALL_DAY_HOUR, zone), 0, True
    if start.tzinfo is None:  # floating time: the user's wall clock
        start = local_to_utc(start.date(), start.time(), zone)
        end = local_to_utc(end.date(), end.time(), zone) if isinstance(end, dt.datetime) else start
    minutes = int((end - start).total_seconds() // 60) if isinstance(end, dt.datetime) else 0
    return start.astimezone(dt.UTC), max(0, min(minutes, MAX_MINUTES)), False


def read_invite(data: bytes | str, *, zone, own_emails=()) -> Invite:
    """The first event of an invitation. `own_emails` (the user's) are left out of the people."""
    if isinstance(data, str):
        data = data.encode()
    if len(data) > MAX_INVITE_BYTES:
        raise InviteError("That file is larger than 1 MB; an invitation is a few kilobytes.")
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise InviteError("That is not a calendar file (.ics).") from exc
    events = list(calendar.walk("VEVENT"))
    if not events:
        raise InviteError("The file holds no event.")
    event = events[0]
    try:
        starts_at, minutes, all_day = _start_and_minutes(event, zone)
    except (ValueError, TypeError, OverflowError) as exc:
        raise InviteError("The event's times cannot be read.") from exc
    description = clean_text(event.get("description"), 2_000)
    location = clean_text(event.get("location"), 300)
    conference = str(event.get("x-google-conference", ""))
    text = f"{description} {location} {conference}".lower()
    return Invite(
        summary=clean_text(event.get("summary"), 300) or "Meeting",
        starts_at=starts_at,
        minutes=minutes,
        all_day=all_day,
        location=location,
        description=description,
        video=any(hint in text for hint in VIDEO_HINTS),
        people=_people(event, own_emails={e.lower() for e in own_emails}),
    )
