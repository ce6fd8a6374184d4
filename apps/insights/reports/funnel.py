"""Pipeline funnel: how many of the range's opportunities reached each stage, the conversion
from step to step, the median days spent in each stage, and where opportunities were lost; with
the drill-down filters behind those figures."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q

from apps.insights.db import fetch_dicts
from apps.insights.pipeline import LOST_STAGES, PIPELINE, reached
from apps.insights.ranges import DateRange
from apps.insights.selectors import opportunity_cohort, share, sql_bounds
from apps.opportunities.models import OPEN_STAGES, Opportunity, Stage, StageChange

PIPELINE_VALUES = [s.value for s in PIPELINE]
LOST_VALUES = [s.value for s in LOST_STAGES]


def _days_between_sql(later: str, earlier: str) -> str:
    if connection.vendor == "postgresql":
        return f"EXTRACT(EPOCH FROM ({later} - {earlier})) / 86400.0"
    return f"(julianday({later}) - julianday({earlier}))"


def _median_days_sql() -> str:
    """Median length of each completed stay in a stage, by window functions (portable SQL).

    A stay starts at a stage change and ends at the next one of the same opportunity; the
    current stage of an opportunity is still running, so it is not counted.
    """
    o = Opportunity._meta.db_table
    sc = StageChange._meta.db_table
    return f"""
    WITH stays AS (
        SELECT sc.to_stage AS stage, sc.changed_at AS entered_at,
               LEAD(sc.changed_at) OVER (PARTITION BY sc.opportunity_id
                                         ORDER BY sc.changed_at, sc.id) AS left_at
          FROM {sc} sc JOIN {o} o ON o.id = sc.opportunity_id
         WHERE o.owner_id = %(owner)s AND sc.owner_id = %(owner)s
           AND o.created_at >= %(start)s AND o.created_at < %(end)s
    ),
    durations AS (
        SELECT stage, {_days_between_sql("left_at", "entered_at")} AS days
          FROM stays WHERE left_at IS NOT NULL
    ),
    ordered AS (
        SELECT stage, days,
               ROW_NUMBER() OVER (PARTITION BY stage ORDER BY days) AS rn,
               COUNT(*) OVER (PARTITION BY stage) AS n
          FROM durations
    )
    SELECT stage, AVG(days) AS days, MAX(n) AS stays FROM ordered
     WHERE rn IN ((n + 1) / 2, (n + 2) / 2)
     GROUP BY stage
    """  # noqa: S608


@dataclass
class FunnelStep:
    stage: str
    label: str
    reached: int
    conversion: float | None = None  # share of the previous step's opportunities that got here
    median_days: float | None = None
    stays: int = 0


def pipeline_funnel(user, rng: DateRange) -> dict:
    """Reached each stage, conversion, median days in stage, and where opportunities were lost."""
    cohort = opportunity_cohort(user, rng)
    counts = cohort.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(stage__in=OPEN_STAGES)),
        **{f"reached_{s.value}": Count("pk", filter=reached(s)) for s in PIPELINE},
    )
    lost_rows = (
        StageChange.objects.owned_by(user)
        .filter(opportunity__in=cohort, to_stage__in=LOST_STAGES)
        .values("to_stage", "from_stage")
        .annotate(n=Count("opportunity", distinct=True))
        .order_by("to_stage", "from_stage")
    )
    rows = fetch_dicts(_median_days_sql(), {"owner": user.pk, **sql_bounds(rng)})
    medians = {row["stage"]: (row["days"], row["stays"]) for row in rows}
    steps, previous = [], None
    for stage in PIPELINE:
        days, stays = medians.get(stage.value, (None, 0))
        step = FunnelStep(
            stage=stage.value,
            label=stage.label,
            reached=counts[f"reached_{stage.value}"],
            median_days=None if days is None else round(float(days), 1),
            stays=stays,
        )
        if previous is not None:
            step.conversion = share(step.reached, previous.reached)
        steps.append(step)
        previous = step
    order = {s.value: i for i, s in enumerate(PIPELINE)}
    lost = sorted(
        (
            {
                "outcome": row["to_stage"],
                "outcome_label": Stage(row["to_stage"]).label,
                "from_stage": row["from_stage"],
                "from_label": Stage(row["from_stage"]).label if row["from_stage"] else "Start",
                "count": row["n"],
            }
            for row in lost_rows
        ),
        key=lambda r: (r["outcome"], order.get(r["from_stage"], -1)),
    )
    return {
        "total": counts["total"],
        "open": counts["open"],
        "steps": steps,
        "lost": lost,
        "lost_total": sum(r["count"] for r in lost),
    }


def filter_opportunities(queryset, params) -> tuple:
    """The funnel's drill-down: the cohort rows behind a step (`reached`), a loss (`lost`, with
    `lost_from`) or the open count (`open=1`). Returns the filtered rows and the title's parts."""
    parts = []
    stage = params.get("reached")
    if stage in PIPELINE_VALUES:
        queryset = queryset.filter(reached(Stage(stage)))
        parts.append(f"reached {Stage(stage).label.lower()}")
    lost = params.get("lost")
    if lost in LOST_VALUES or lost == "any":
        changes = StageChange.objects.filter(
            opportunity=OuterRef("pk"),
            to_stage__in=LOST_VALUES if lost == "any" else [lost],
        )
        lost_from = params.get("lost_from")
        if lost_from is not None and (lost_from in PIPELINE_VALUES or lost_from == ""):
            changes = changes.filter(from_stage=lost_from)
            where = Stage(lost_from).label.lower() if lost_from else "the start"
            parts.append(f"{'lost' if lost == 'any' else lost} from {where}")
        else:
            parts.append("lost" if lost == "any" else lost)
        queryset = queryset.filter(Exists(changes))
    if params.get("open") == "1":
        queryset = queryset.filter(stage__in=OPEN_STAGES)
        parts.append("still open")
    return queryset, parts
