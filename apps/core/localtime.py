"""The user's clock: their time zone, their wall times as instants, their days.

One rule for daylight saving everywhere: a wall time skipped by a spring-forward gap happens
at the first real minute after it, offset by the gap (02:30 → 03:30); a wall time that happens
twice at fall-back is its first occurrence, so it fires once.
"""

import datetime as dt
import zoneinfo

from django.utils import timezone


def zone_named(name: str) -> dt.tzinfo:
    """The zone called `name`; UTC for a name this machine does not know."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def user_zone(user) -> dt.tzinfo:
    return zone_named(user.timezone)


def local_now(user) -> dt.datetime:
    return timezone.now().astimezone(user_zone(user))


def local_to_utc(day: dt.date, at: dt.time, zone: dt.tzinfo) -> dt.datetime:
    """The UTC instant `day` at `at` happens on the wall clocks of `zone`.

    fold=0 is the whole rule: inside a gap it takes the offset from before the jump, which
    lands the length of the gap later; in a repeated hour it picks the first pass.
    """
    local = dt.datetime.combine(day, at.replace(tzinfo=None, fold=0), tzinfo=zone)
    return local.astimezone(dt.UTC)


def local_midnight(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    """The first instant of the local `day`, expressed in `zone` (so `.date()` is `day`)."""
    return local_to_utc(day, dt.time.min, zone).astimezone(zone)


def local_day_bounds(day: dt.date, zone: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of a local calendar day as UTC instants (23 or 25 hours long across DST)."""
    return (
        local_to_utc(day, dt.time.min, zone),
        local_to_utc(day + dt.timedelta(days=1), dt.time.min, zone),
    )


def working_days_after(day: dt.date, count: int) -> list[dt.date]:
    """The `count` working days (Monday to Friday) that follow `day`."""
    days = []
    while len(days) < count:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return days
