"""Delivery tuning, read from Django settings (config/settings.py takes each from the
environment) at each call, so a test's settings override applies at once."""

import datetime as dt

from django.conf import settings


def _number(name: str) -> float:
    return float(getattr(settings, name))


def allow_private() -> bool:
    """Whether endpoints may point at loopback and private networks: on a developer's machine
    (DEBUG) and in tests, never by default in production."""
    return bool(settings.WEBHOOKS_ALLOW_PRIVATE)


def timeout_seconds() -> float:
    # Per socket operation (connect, each read): a receiver should answer 2xx at once and do
    # its work afterwards.
    return _number("WEBHOOK_TIMEOUT_SECONDS")


def lease() -> dt.timedelta:
    # Far longer than a send can take (connect + write + read, each bounded by the timeout).
    return dt.timedelta(seconds=_number("WEBHOOK_LEASE_SECONDS"))


def retry_base_seconds() -> float:
    return _number("WEBHOOK_RETRY_BASE_SECONDS")


def retry_max_seconds() -> float:
    return _number("WEBHOOK_RETRY_MAX_SECONDS")


def countdown_max_seconds() -> float:
    # A retry further away than this waits in the database for the sweep, not as a countdown in
    # a worker's memory.
    return _number("WEBHOOK_COUNTDOWN_MAX_SECONDS")


def max_attempts() -> int:
    return int(_number("WEBHOOK_MAX_ATTEMPTS"))


# A receiver's answer is read this far at most (shown as the last error when it is not 2xx).
RESPONSE_PREVIEW_BYTES = 500
# The newest deliveries shown per endpoint on the settings page.
RECENT_PER_ENDPOINT = 5
