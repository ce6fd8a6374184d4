"""The ICS feed of open follow-ups and interview rounds (icalendar library: real escaping and
line folding)."""

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event


def build(user, follow_ups, interviews=()) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Followthrough//Follow-ups//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Followthrough follow-ups")
    cal.add("x-wr-timezone", user.timezone)
    stamp = timezone.now()
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0]
    for follow_up in follow_ups:
        event = Event()
        event.add("uid", f"followup-{follow_up.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", follow_up.due_at.astimezone(dt.UTC))
        event.add("dtend", follow_up.due_at.astimezone(dt.UTC) + dt.timedelta(minutes=15))
        event.add("summary", follow_up.headline)
        lines = [follow_up.note] if follow_up.note else []
        if follow_up.opportunity_id:
            lines.append(f"Opportunity: {follow_up.opportunity}")
        url = f"{settings.SITE_URL}{reverse('reminders:followup_edit', args=[follow_up.pk])}"
        lines.append(url)
        event.add("description", "\n".join(lines))
        event.add("url", url)
        cal.add_component(event)
    for interview in interviews:
        event = Event()
        event.add("uid", f"interview-{interview.pk}@{host}")
        event.add("dtstamp", stamp)
        start = interview.starts_at.astimezone(dt.UTC)
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(minutes=interview.minutes))
        event.add("summary", f"Interview: {interview.title} ({interview.opportunity})")
        names = ", ".join(c.full_name for c in interview.interviewers.all())
        lines = [f"With {names}"] if names else []
        if interview.prep_notes:
            lines.append(f"Prep: {interview.prep_notes}")
        url = f"{settings.SITE_URL}{interview.get_absolute_url()}"
        lines.append(url)
        event.add("description", "\n".join(lines))
        event.add("url", url)
        cal.add_component(event)
    return cal.to_ical()
