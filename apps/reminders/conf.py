"""Delivery tuning. Each value can be set in Django settings or, failing that, the environment
(worker processes started by tests pass them as environment variables)."""

import datetime as dt
import os

from django.conf import settings


def _number(name: str, default: float) -> float:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name) or default
    return float(value)


def lease() -> dt.timedelta:
    # Longer than the SMTP timeout, so a slow but alive send is never claimed twice.
    return dt.timedelta(seconds=_number("REMINDER_LEASE_SECONDS", 120))


def retry_base_seconds() -> float:
    return _number("REMINDER_RETRY_BASE_SECONDS", 30)


def retry_max_seconds() -> float:
    # Backoff is capped at minutes, never hours: a long countdown sits in a worker's memory.
    return _number("REMINDER_RETRY_MAX_SECONDS", 600)


def max_attempts() -> int:
    return int(_number("REMINDER_MAX_ATTEMPTS", 8))


def catch_up() -> dt.timedelta:
    """How late a reminder may still be sent (after an outage); older ones stay on Today only."""
    return dt.timedelta(hours=_number("REMINDER_CATCH_UP_HOURS", 48))


def digest_window_hours() -> int:
    """A digest not sent within this many hours after its local hour is skipped for that day."""
    return int(_number("REMINDER_DIGEST_WINDOW_HOURS", 6))


LINK_MAX_AGE = dt.timedelta(days=30)
CADENCE_HOUR = dt.time(9, 0)
