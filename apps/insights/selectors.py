"""Read-only reports behind the Insights page.

Every figure is computed by the database. Each function runs a fixed number of queries whatever
the data size; Python only reshapes the handful of grouped rows into what the template shows.

Shared definitions (also explained on the page, "How this is counted"):
- The *opportunity cohort* of a range is the user's opportunities created in it; their stages are
  followed up to now.
- An opportunity *reached* a stage when its stage history shows that stage or a later one of the
  pipeline (skipping a step counts as passing through it).
"""

import datetime as dt
import itertools
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncDate, TruncWeek
from django.utils import timezone

from apps.contacts.models import Contact, Organization, Warmth
from apps.core.localtime import local_midnight
from apps.insights.db import fetch_dicts
from apps.insights.ranges import DateRange
from apps.insights.strength import strength_for
from apps.interactions.models import Interaction
from apps.opportunities.models import (
    OPEN_STAGES,
    Opportunity,
    OpportunityContact,
    PersonRole,
    Stage,
    StageChange,
)
from apps.reminders.models import FollowUp, FollowUpStatus

# The funnel: every open stage, then the one good ending.
PIPELINE = [*OPEN_STAGES, Stage.ACCEPTED]
LOST_STAGES = [Stage.REJECTED, Stage.WITHDRAWN]
WARM = [Warmth.WARM, Warmth.CLOSE]
TOP_CONTACTS = 25
DETAILS_PER_CONTACT = 8
TREND_WEEKS = 12


def stages_from(stage: str) -> list[str]:
    """The pipeline stages at or after `stage`: having any of them in history = reached it."""
    return [s.value for s in PIPELINE[PIPELINE.index(stage) :]]


def reached(stage: str):
    return Exists(
        StageChange.objects.filter(opportunity=OuterRef("pk"), to_stage__in=stages_from(stage))
    )


def _sql_bounds(rng: DateRange) -> dict:
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


# ---------------------------------------------------------------------------------------------
# Contacts who led to opportunities (direct links and introduction chains)
# ---------------------------------------------------------------------------------------------

MAX_CHAIN_DEPTH = 6


def _rank_case(column: str) -> str:
    whens = " ".join(f"WHEN '{s.value}' THEN {i}" for i, s in enumerate(PIPELINE, start=1))
    return f"CASE {column} {whens} ELSE 0 END"


def _credits_sql() -> str:
    """CTEs naming every (contact, opportunity) credit in the cohort.

    `links`: a contact is on the opportunity with a role. `chain`: the introduction ancestors of
    each linked contact, walked by a recursive CTE (bounded depth, so a cycle in introduced_by
    cannot loop). `indirect`: an ancestor gets credit for the opportunity through its shortest
    chain, unless it is already linked to that opportunity itself.
    """
    c = Contact._meta.db_table
    o = Opportunity._meta.db_table
    oc = OpportunityContact._meta.db_table
    sc = StageChange._meta.db_table
    # Only model table names and enum values are interpolated; user values go in as parameters.
    return f"""
    cohort AS (
        SELECT o.id, o.role_title, o.organization_id,
               (SELECT MAX({_rank_case("sc.to_stage")}) FROM {sc} sc
                 WHERE sc.opportunity_id = o.id) AS reached
          FROM {o} o
         WHERE o.owner_id = %(owner)s AND o.created_at >= %(start)s AND o.created_at < %(end)s
    ),
    links AS (
        SELECT DISTINCT oc.contact_id, oc.opportunity_id, oc.role
          FROM {oc} oc JOIN cohort ON cohort.id = oc.opportunity_id
         WHERE oc.owner_id = %(owner)s
    ),
    chain (contact_id, ancestor_id, depth, path) AS (
        SELECT c.id, p.id, 1, CAST(p.full_name || ' → ' || c.full_name AS TEXT)
          FROM {c} c JOIN {c} p ON p.id = c.introduced_by_id AND p.owner_id = %(owner)s
         WHERE c.owner_id = %(owner)s AND c.id IN (SELECT contact_id FROM links)
        UNION ALL
        SELECT ch.contact_id, p.id, ch.depth + 1, CAST(p.full_name || ' → ' || ch.path AS TEXT)
          FROM chain ch
          JOIN {c} a ON a.id = ch.ancestor_id
          JOIN {c} p ON p.id = a.introduced_by_id AND p.owner_id = %(owner)s
         WHERE ch.depth < {MAX_CHAIN_DEPTH} AND p.id <> ch.contact_id
    ),
    indirect_all AS (
        SELECT ch.ancestor_id AS contact_id, l.opportunity_id, ch.depth, ch.path,
               ROW_NUMBER() OVER (PARTITION BY ch.ancestor_id, l.opportunity_id
                                  ORDER BY ch.depth, ch.path) AS rn
          FROM links l JOIN chain ch ON ch.contact_id = l.contact_id
         WHERE NOT EXISTS (SELECT 1 FROM links d
                            WHERE d.contact_id = ch.ancestor_id
                              AND d.opportunity_id = l.opportunity_id)
    ),
    credits AS (
        SELECT contact_id, opportunity_id, role, 0 AS depth, CAST(NULL AS TEXT) AS path
          FROM links
        UNION ALL
        SELECT contact_id, opportunity_id, 'indirect', depth, path
          FROM indirect_all WHERE rn = 1
    )"""  # noqa: S608


@dataclass
class Credit:
    opportunity_id: int
    title: str
    organization: str | None
    role: str  # a PersonRole value, or "indirect"
    path: str | None
    reached: int

    @property
    def role_label(self) -> str:
        if self.role == "indirect":
            return "via introductions"
        return PersonRole(self.role).label

    @property
    def reached_label(self) -> str:
        return PIPELINE[self.reached - 1].label if self.reached else "—"


@dataclass
class ContactCredit:
    id: int
    full_name: str
    warmth: str
    organization: str | None
    referrals: int
    introductions: int
    direct_opportunities: int
    indirect_opportunities: int
    interviews: int
    offers: int
    minutes: int
    credit: float = 0.0  # the contact's share of opportunities, by the attribution model
    strength: object = None  # a strength.Strength
    roles: dict = field(default_factory=dict)
    credits: list = field(default_factory=list)

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)

    @property
    def role_summary(self) -> list[tuple[str, int]]:
        return [(PersonRole(r).label, n) for r, n in self.roles.items() if n]


def contact_attribution(
    user, rng: DateRange, credit_totals: dict[int, float] | None = None, now=None
) -> dict:
    """The contacts who led somewhere, best first: one query. `credit_totals` is each contact's
    share of the opportunities, from the attribution model."""
    c = Contact._meta.db_table
    i = Interaction._meta.db_table
    ic = Interaction.contacts.through._meta.db_table
    org = Organization._meta.db_table
    role_columns = ",\n".join(
        f"COUNT(DISTINCT CASE WHEN cr.role = '{r.value}' THEN cr.opportunity_id END)"
        f" AS role_{r.value}"
        for r in PersonRole
    )
    interviewing = PIPELINE.index(Stage.INTERVIEWING) + 1
    offer = PIPELINE.index(Stage.OFFER) + 1
    sql = f"""
    WITH RECURSIVE {_credits_sql()},
    intros AS (
        SELECT introduced_by_id AS contact_id, COUNT(*) AS n FROM {c}
         WHERE owner_id = %(owner)s AND introduced_by_id IS NOT NULL
           AND created_at >= %(start)s AND created_at < %(end)s
         GROUP BY introduced_by_id
    ),
    people AS (SELECT contact_id FROM credits UNION SELECT contact_id FROM intros),
    invested AS (
        SELECT ic.contact_id, SUM(i.minutes) AS minutes
          FROM {ic} ic JOIN {i} i ON i.id = ic.interaction_id
         WHERE i.owner_id = %(owner)s AND i.occurred_at >= %(start)s AND i.occurred_at < %(end)s
           AND ic.contact_id IN (SELECT contact_id FROM people)
         GROUP BY ic.contact_id
    ),
    scores AS (
        SELECT cr.contact_id,
               COUNT(DISTINCT CASE WHEN cr.role <> 'indirect' THEN cr.opportunity_id END)
                   AS direct,
               COUNT(DISTINCT CASE WHEN cr.role = 'indirect' THEN cr.opportunity_id END)
                   AS indirect,
               COUNT(DISTINCT CASE WHEN co.reached >= {interviewing} THEN cr.opportunity_id END)
                   AS interviews,
               COUNT(DISTINCT CASE WHEN co.reached >= {offer} THEN cr.opportunity_id END) AS offers,
               {role_columns}
          FROM credits cr JOIN cohort co ON co.id = cr.opportunity_id
         GROUP BY cr.contact_id
    ),
    ranked AS (
        SELECT c.id, c.full_name, c.warmth, org.name AS organization,
               COALESCE(s.role_referrer, 0) AS referrals, COALESCE(it.n, 0) AS introductions,
               COALESCE(s.direct, 0) AS direct, COALESCE(s.indirect, 0) AS indirect,
               COALESCE(s.interviews, 0) AS interviews, COALESCE(s.offers, 0) AS offers,
               COALESCE(m.minutes, 0) AS minutes,
               {", ".join(f"COALESCE(s.role_{r.value}, 0) AS role_{r.value}" for r in PersonRole)},
               COUNT(*) OVER () AS total
          FROM people p
          JOIN {c} c ON c.id = p.contact_id AND c.owner_id = %(owner)s
          LEFT JOIN {org} org ON org.id = c.organization_id
          LEFT JOIN scores s ON s.contact_id = c.id
          LEFT JOIN intros it ON it.contact_id = c.id
          LEFT JOIN invested m ON m.contact_id = c.id
    ),
    top AS (
        SELECT ranked.*,
               ROW_NUMBER() OVER (ORDER BY offers DESC, interviews DESC, referrals DESC,
                                  direct + indirect DESC, introductions DESC, minutes DESC,
                                  full_name, id) AS position
          FROM ranked
    ),
    details AS (
        SELECT cr.contact_id, cr.opportunity_id, cr.role, cr.path, co.role_title, co.reached,
               dorg.name AS organization,
               ROW_NUMBER() OVER (PARTITION BY cr.contact_id
                                  ORDER BY co.reached DESC, cr.depth, cr.opportunity_id, cr.role)
                   AS rn
          FROM credits cr
          JOIN cohort co ON co.id = cr.opportunity_id
          LEFT JOIN {org} dorg ON dorg.id = co.organization_id
         WHERE cr.contact_id IN (SELECT id FROM top WHERE position <= %(limit)s)
    )
    SELECT top.id, top.full_name, top.warmth, top.organization, top.referrals, top.introductions,
           top.direct, top.indirect, top.interviews, top.offers, top.minutes, top.total,
           {", ".join(f"top.role_{r.value}" for r in PersonRole)},
           d.opportunity_id AS credit_opportunity_id, d.role_title AS credit_title,
           d.organization AS credit_organization, d.role AS credit_role, d.path AS credit_path,
           d.reached AS credit_reached
      FROM top
      LEFT JOIN details d ON d.contact_id = top.id AND d.rn <= %(per_contact)s
     WHERE top.position <= %(limit)s
     ORDER BY top.position, d.rn
    """  # noqa: S608
    params = {
        "owner": user.pk,
        **_sql_bounds(rng),
        "limit": TOP_CONTACTS,
        "per_contact": DETAILS_PER_CONTACT,
    }
    rows = fetch_dicts(sql, params)
    roles = [r.value for r in PersonRole]
    people, total = [], 0
    # One row per (contact, credited opportunity), already ordered: group them for display.
    for _, group in itertools.groupby(rows, key=lambda row: row["id"]):
        group = list(group)
        head = group[0]
        total = head["total"]
        person = ContactCredit(
            id=head["id"],
            full_name=head["full_name"],
            warmth=head["warmth"],
            organization=head["organization"],
            referrals=head["referrals"],
            introductions=head["introductions"],
            direct_opportunities=head["direct"],
            indirect_opportunities=head["indirect"],
            interviews=head["interviews"],
            offers=head["offers"],
            minutes=int(head["minutes"] or 0),
            credit=(credit_totals or {}).get(head["id"], 0.0),
            roles={r: head[f"role_{r}"] for r in roles},
        )
        person.credits = [
            Credit(
                opportunity_id=row["credit_opportunity_id"],
                title=row["credit_title"],
                organization=row["credit_organization"],
                role=row["credit_role"],
                path=row["credit_path"],
                reached=row["credit_reached"] or 0,
            )
            for row in group
            if row["credit_opportunity_id"] is not None
        ]
        people.append(person)
    # Shown beside the hand-set warmth: what the behaviour says (two more queries).
    strengths = strength_for(user, [p.id for p in people], now=now)
    for person in people:
        person.strength = strengths.get(person.id)
    return {"people": people, "total": total}


def credited_opportunity_ids_sql() -> str:
    """The cohort opportunities credited to one contact (%(contact)s), with the shortest chain."""
    return f"""
    WITH RECURSIVE {_credits_sql()}
    SELECT opportunity_id, MIN(role) AS role, MIN(path) AS path FROM credits
     WHERE contact_id = %(contact)s GROUP BY opportunity_id
    """  # noqa: S608


def credited_opportunities(user, rng: DateRange, contact_id: int) -> dict[int, tuple]:
    params = {"owner": user.pk, **_sql_bounds(rng), "contact": contact_id}
    rows = fetch_dicts(credited_opportunity_ids_sql(), params)
    return {row["opportunity_id"]: (row["role"], row["path"]) for row in rows}


def _has_referrer():
    return Exists(
        OpportunityContact.objects.filter(opportunity=OuterRef("pk"), role=PersonRole.REFERRER)
    )


# ---------------------------------------------------------------------------------------------
# Pipeline funnel
# ---------------------------------------------------------------------------------------------


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
    rows = fetch_dicts(_median_days_sql(), {"owner": user.pk, **_sql_bounds(rng)})
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


# ---------------------------------------------------------------------------------------------
# Follow-through
# ---------------------------------------------------------------------------------------------


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
    )
    decided = summary["on_time"] + summary["late"] + summary["missed"]
    summary["decided"] = decided
    summary["on_time_share"] = share(summary["on_time"], decided)

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


# ---------------------------------------------------------------------------------------------
# Give and ask
# ---------------------------------------------------------------------------------------------


def _cadence_lapsed(now):
    """last_interaction_at + cadence_days days < now, in SQL (date arithmetic is per vendor)."""
    table = Contact._meta.db_table
    last, days = f'"{table}"."last_interaction_at"', f'"{table}"."cadence_days"'
    if connection.vendor == "postgresql":
        sql = f"{last} + {days} * INTERVAL '1 day' < %s"
        params = [now]
    else:
        sql = f"julianday({last}) + {days} < julianday(%s)"
        params = [now.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")]
    return RawSQL(sql, params, output_field=BooleanField())  # noqa: S611


def _give_and_ask_sql() -> str:
    link = Interaction.contacts.through._meta.db_table
    interaction = Interaction._meta.db_table
    contact = Contact._meta.db_table
    latest = f"""(SELECT i2.{{column}} FROM {interaction} i2
                   INNER JOIN {link} l2 ON l2.interaction_id = i2.id
                   WHERE l2.contact_id = r.person_id AND i2.owner_id = %(owner)s
                     AND i2.occurred_at >= %(start)s AND i2.occurred_at < %(end)s
                     AND i2.{{column}} <> ''
                   ORDER BY i2.occurred_at DESC, i2.id DESC LIMIT 1)"""  # noqa: S608
    # One aggregation feeds both lists (the balance and "only asks"): window functions rank
    # each list, and the "latest given / asked" lookups run only for the rows shown.
    return f"""
        WITH people AS (
            SELECT l.contact_id AS person_id,
                   COUNT(*) FILTER (WHERE i.gave <> '') AS gives,
                   COUNT(*) FILTER (WHERE i.asked <> '' OR i.asked_referral) AS asks,
                   COUNT(*) FILTER (WHERE i.asked_referral) AS referral_asks
            FROM {link} l INNER JOIN {interaction} i ON i.id = l.interaction_id
            WHERE i.owner_id = %(owner)s AND i.occurred_at >= %(start)s AND i.occurred_at < %(end)s
              AND (i.gave <> '' OR i.asked <> '' OR i.asked_referral)
            GROUP BY l.contact_id
        ),
        ranked AS (
            SELECT p.person_id, c.full_name, c.warmth, p.gives, p.asks, p.referral_asks,
                   ROW_NUMBER() OVER (
                       ORDER BY p.gives DESC, p.asks DESC, c.full_name, p.person_id
                   ) AS balance_rank,
                   ROW_NUMBER() OVER (
                       PARTITION BY p.gives = 0 ORDER BY p.asks DESC, c.full_name, p.person_id
                   ) AS ask_rank,
                   COUNT(*) OVER (PARTITION BY p.gives = 0) AS group_total
            FROM people p INNER JOIN {contact} c ON c.id = p.person_id AND c.owner_id = %(owner)s
        )
        SELECT r.person_id, r.full_name, r.warmth, r.gives, r.asks, r.referral_asks,
               r.balance_rank, r.ask_rank, r.group_total,
               CASE WHEN r.balance_rank <= %(limit)s THEN {latest.format(column="gave")} END
                   AS last_gave,
               CASE WHEN r.balance_rank <= %(limit)s THEN {latest.format(column="asked")} END
                   AS last_asked
        FROM ranked r
        WHERE r.balance_rank <= %(limit)s OR (r.gives = 0 AND r.ask_rank <= %(limit)s)
    """  # noqa: S608 - table names come from model metadata, values are parameters


def give_and_ask(user, rng: DateRange, now=None) -> dict:
    now = now or timezone.now()
    params = {"owner": user.pk, **_sql_bounds(rng), "limit": TOP_CONTACTS}
    rows = fetch_dicts(_give_and_ask_sql(), params)
    balance = sorted(
        (row for row in rows if row["balance_rank"] <= TOP_CONTACTS),
        key=lambda row: row["balance_rank"],
    )
    only_asks = sorted(
        (row for row in rows if row["gives"] == 0 and row["ask_rank"] <= TOP_CONTACTS),
        key=lambda row: row["ask_rank"],
    )
    # Going cold: warm or close, with a cadence, and no touch within it (or never touched).
    going_cold = list(
        Contact.objects.owned_by(user)
        .filter(archived=False, warmth__in=WARM, cadence_days__isnull=False)
        .filter(Q(last_interaction_at__isnull=True) | _cadence_lapsed(now))
        .annotate(total=Window(Count("pk")))
        .order_by(F("last_interaction_at").asc(nulls_first=True), "full_name", "pk")
        .only("pk", "full_name", "warmth", "cadence_days", "last_interaction_at")[:TOP_CONTACTS]
    )
    return {
        "balance": balance,
        "only_asks": only_asks,
        "only_asks_total": only_asks[0]["group_total"] if only_asks else 0,
        "going_cold": going_cold,
        "going_cold_total": going_cold[0].total if going_cold else 0,
    }
