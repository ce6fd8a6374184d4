"""How long ago something happened, in words a person would say."""

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

register = template.Library()


@register.filter
def ago(value: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """Says "just now" under a minute, "today" for a moment later today (a conversation logged for
    this evening), "3 hours ago" and so on otherwise; never "0 minutes ago"."""
    if not value:
        return ""
    now = now or timezone.now()
    delta = now - value
    if delta < dt.timedelta(0):
        same_day = timezone.localtime(value).date() == timezone.localtime(now).date()
        return "today" if same_day else timezone.localtime(value).strftime("%-d %b %Y")
    if delta < dt.timedelta(minutes=1):
        return "just now"
    return f"{timesince(value, now)} ago"
