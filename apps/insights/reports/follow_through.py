"""Follow-through: of the follow-ups due in the range, how many were done on time, late, or
missed, and how many are overdue now; promises kept on time; a weekly trend; and the drill-down
listing exactly the rows behind each figure."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate, TruncWeek
from django.utils import timezone

from apps.core.localtime import local_midnight
from apps.insights.ranges import DateRange
from apps.insights.selectors import share
from apps.reminders.models import FollowUp, FollowUpKind, FollowUpStatus

TREND_WEEKS = 12
PROMISE = Q(kind=FollowUpKind.PROMISE)


@dataclass(frozen=True)
class FollowUpRows:
    """The follow-ups the Follow-through figures count, and what each figure counts of them.
    The figures aggregate with these and their drill-downs list with them, so both agree."""

    queryset: QuerySet  # owned, not canceled, annotated with the local due_day and done_day
    in_range: Q  # due in the range, up to the end of today
    outcomes: dict[str, Q]  # on_time, late, missed, pending (today) and overdue (now, any day)
    tomorrow_start: dt.datetime


def follow_up_rows(user, rng: DateRange, now) -> FollowUpRows:
    zone = user.zone
    today = now.astimezone(zone).date()
    today_start = local_midnight(today, zone)
    tomorrow_start = local_midnight(today + dt.timedelta(days=1), zone)
    queryset = (
        FollowUp.objects.owned_by(user)
        .exclude(status=FollowUpStatus.CANCELED)
        .annotate(
            due_day=TruncDate("due_at", tzinfo=zone),
            done_day=TruncDate("completed_at", tzinfo=zone),
        )
    )
    outcomes = {
        "on_time": Q(status=FollowUpStatus.DONE, done_day__lte=F("due_day")),
        "late": Q(status=FollowUpStatus.DONE, done_day__gt=F("due_day")),
        # A follow-up due today is not missed until the day is over.
        "missed": Q(status=FollowUpStatus.OPEN, due_at__lt=today_start),
        "pending": Q(status=FollowUpStatus.OPEN, due_at__gte=today_start),
        "overdue": Q(status=FollowUpStatus.OPEN, due_at__lt=now),
    }
    in_range = Q(due_at__gte=rng.start, due_at__lt=min(rng.end, tomorrow_start))
    return FollowUpRows(queryset, in_range, outcomes, tomorrow_start)


def follow_through(user, rng: DateRange, now=None) -> dict:
    zone = user.zone
    rows = follow_up_rows(user, rng, now or timezone.now())
    window, outcome = rows.in_range, rows.outcomes
    summary = rows.queryset.aggregate(
        on_time=Count("pk", filter=window & outcome["on_time"]),
        late=Count("pk", filter=window & outcome["late"]),
        missed=Count("pk", filter=window & outcome["missed"]),
        pending_today=Count("pk", filter=window & outcome["pending"]),
        overdue_now=Count("pk", filter=outcome["overdue"]),
        # Promises are follow-ups too, counted above; their own line says how many were kept.
        promises_on_time=Count("pk", filter=window & PROMISE & outcome["on_time"]),
        promises_late=Count("pk", filter=window & PROMISE & outcome["late"]),
        promises_missed=Count("pk", filter=window & PROMISE & outcome["missed"]),
    )
    decided = summary["on_time"] + summary["late"] + summary["missed"]
    summary["decided"] = decided
    summary["on_time_share"] = share(summary["on_time"], decided)
    promised = summary["promises_on_time"] + summary["promises_late"] + summary["promises_missed"]
    summary["promises_decided"] = promised
    summary["promises_share"] = share(summary["promises_on_time"], promised)

    # Weekly trend: the last TREND_WEEKS local weeks (Monday first) that overlap the range.
    last_week = rng.last_day - dt.timedelta(days=rng.last_day.weekday())
    first_week = last_week - dt.timedelta(weeks=TREND_WEEKS - 1)
    if rng.first_day is not None:
        first_week = max(first_week, rng.first_day - dt.timedelta(days=rng.first_day.weekday()))
    trend_start = max(rng.start, local_midnight(first_week, zone))
    trend_end = min(rng.end, rows.tomorrow_start)
    weekly = (
        rows.queryset.filter(due_at__gte=trend_start, due_at__lt=trend_end)
        .annotate(week=TruncWeek("due_at", tzinfo=zone))
        .values("week")
        .annotate(
            on_time=Count("pk", filter=outcome["on_time"]),
            late=Count("pk", filter=outcome["late"]),
            missed=Count("pk", filter=outcome["missed"]),
        )
        .order_by("week")
    )
    by_week = {
        row["week"].date() if hasattr(row["week"], "date") else row["week"]: row for row in weekly
    }
    weeks = []
    week = first_week
    while week <= last_week:
        row = by_week.get(week, {})
        counts = {k: row.get(k, 0) for k in ("on_time", "late", "missed")}
        total = sum(counts.values())
        weeks.append(
            {"week": week, **counts, "decided": total, "share": share(counts["on_time"], total)}
        )
        week += dt.timedelta(weeks=1)
    return {**summary, "weeks": weeks}


OUTCOMES = {
    "on_time": "Follow-ups done on or before their due day",
    "late": "Follow-ups done after their due day",
    "missed": "Follow-ups still open after their due day",
    "pending": "Follow-ups due today, not done yet",
    "overdue": "Follow-ups overdue now",
}


def drilldown(user, rng: DateRange, params, *, now) -> dict:
    """The follow-ups behind a figure (`outcome`), promises only with `kind=promise`."""
    rows = follow_up_rows(user, rng, now)
    queryset = rows.queryset.select_related("contact").order_by("due_at", "pk")
    outcome = params.get("outcome")
    title = OUTCOMES.get(outcome, "Follow-ups due in the range")
    if params.get("kind") == FollowUpKind.PROMISE:
        queryset = queryset.filter(PROMISE)
        title = title.replace("Follow-ups", "Promises", 1)
    if outcome != "overdue":
        queryset = queryset.filter(rows.in_range)
    if outcome in OUTCOMES:
        queryset = queryset.filter(rows.outcomes[outcome])
    return {"title": title, "queryset": queryset}
