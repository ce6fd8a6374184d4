"""Wall-clock time in the user's zone ↔ UTC instants."""

import datetime as dt
import zoneinfo


def local_to_utc(day: dt.date, at: dt.time, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """The instant `day at` happens on the wall clocks of `zone`.

    fold=0 settles both DST edge cases the way people expect: a time skipped by a
    spring-forward gap takes the offset from before the gap, which lands it the length of the
    gap later (02:30 → 03:30); a time that happens twice at fall-back is its first occurrence.
    """
    local = dt.datetime.combine(day, at.replace(tzinfo=None, fold=0), tzinfo=zone)
    return local.astimezone(dt.UTC)


def local_day_bounds(day: dt.date, zone) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of a local calendar day as UTC instants (23 or 25 hours long across DST)."""
    return (
        local_to_utc(day, dt.time.min, zone),
        local_to_utc(day + dt.timedelta(days=1), dt.time.min, zone),
    )
