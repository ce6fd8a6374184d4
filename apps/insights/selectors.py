"""Shared reads behind the Insights reports: the range as SQL sees it and the opportunity cohort.

- The *opportunity cohort* of a range is the user's opportunities created in it; their stages are
  followed up to now.
- What "reached a stage" means is in `apps.insights.pipeline`.

Every figure is computed by the database, with a fixed number of queries whatever the data size.
"""

from django.db import connection
from django.db.models import Q

from apps.insights.ranges import DateRange
from apps.opportunities.models import Opportunity


def sql_bounds(rng: DateRange) -> dict:
    """The range for raw SQL, in the form the database stores datetimes: on SQLite that is UTC
    text, and a local-midnight datetime passed as is would compare by its local wall time."""
    adapt = connection.ops.adapt_datetimefield_value
    return {"start": adapt(rng.start), "end": adapt(rng.end)}


def in_range(prefix: str, rng: DateRange) -> Q:
    return Q(**{f"{prefix}__gte": rng.start, f"{prefix}__lt": rng.end})


def opportunity_cohort(user, rng: DateRange):
    return Opportunity.objects.owned_by(user).filter(in_range("created_at", rng))


def share(part: int, whole: int) -> float | int | None:
    """A percentage to one decimal, shown as 100 (not 100.0) when it is whole."""
    if not whole:
        return None
    value = round(part * 100 / whole, 1)
    return int(value) if value.is_integer() else value
