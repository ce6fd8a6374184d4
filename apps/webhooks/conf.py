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


def allow_private() -> bool:
    """Whether endpoints may point at loopback and private networks: on a developer's machine
    (DEBUG) and in tests, never by default in production."""
    value = getattr(settings, "WEBHOOKS_ALLOW_PRIVATE", None)
    if value is None:
        value = os.environ.get("WEBHOOKS_ALLOW_PRIVATE", str(settings.DEBUG))
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


def timeout_seconds() -> float:
    # Per socket operation (connect, each read): a receiver should answer 2xx at once and do
    # its work afterwards.
    return _number("WEBHOOK_TIMEOUT_SECONDS", 5)


def lease() -> dt.timedelta:
    # Far longer than a send can take (connect + write + read, each bounded by the timeout).
    return dt.timedelta(seconds=_number("WEBHOOK_LEASE_SECONDS", 60))


def retry_base_seconds() -> float:
    return _number("WEBHOOK_RETRY_BASE_SECONDS", 30)


def retry_max_seconds() -> float:
    return _number("WEBHOOK_RETRY_MAX_SECONDS", 3600)


def countdown_max_seconds() -> float:
    # A retry further away than this waits in the database for the sweep, not as a countdown in
    # a worker's memory.
    return _number("WEBHOOK_COUNTDOWN_MAX_SECONDS", 600)


def max_attempts() -> int:
    return int(_number("WEBHOOK_MAX_ATTEMPTS", 8))


# A receiver's answer is read this far at most (shown as the last error when it is not 2xx).
RESPONSE_PREVIEW_BYTES = 500
# The newest deliveries shown per endpoint on the settings page.
RECENT_PER_ENDPOINT = 5
