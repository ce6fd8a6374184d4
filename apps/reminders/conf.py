"""Delivery tuning, read from Django settings (config/settings.py takes each from the
environment) at each call, so a test's settings override applies at once."""

import datetime as dt

from django.conf import settings


def _number(name: str) -> float:
    return float(getattr(settings, name))


def lease() -> dt.timedelta:
    # Longer than the SMTP timeout, so a slow but alive send is never claimed twice.
    return dt.timedelta(seconds=_number("REMINDER_LEASE_SECONDS"))


def retry_base_seconds() -> float:
    return _number("REMINDER_RETRY_BASE_SECONDS")


def retry_max_seconds() -> float:
    # Backoff is capped at minutes, never hours: a long countdown sits in a worker's memory.
    return _number("REMINDER_RETRY_MAX_SECONDS")


def max_attempts() -> int:
    return int(_number("REMINDER_MAX_ATTEMPTS"))


def catch_up() -> dt.timedelta:
    """How late a reminder may still be sent (after an outage); older ones stay on Today only."""
    return dt.timedelta(hours=_number("REMINDER_CATCH_UP_HOURS"))


def digest_window_hours() -> int:
    """A digest not sent within this many hours after its local hour is skipped for that day."""
    return int(_number("REMINDER_DIGEST_WINDOW_HOURS"))


LINK_MAX_AGE = dt.timedelta(days=30)
CADENCE_HOUR = dt.time(9, 0)
