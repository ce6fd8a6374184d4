"""Give and ask: per contact, what the user gave and asked in the range (the balance, and who
was only asked), the warm contacts going cold, and the drill-down filters behind them."""

import datetime as dt

from django.db import connection
from django.db.models import BooleanField, Count, F, Q, Window
from django.db.models.expressions import RawSQL
from django.utils import timezone

from apps.contacts.models import WARM_OR_CLOSE, Contact
from apps.insights.db import fetch_dicts
from apps.insights.ranges import DateRange
from apps.insights.reports import TOP_CONTACTS
from apps.insights.selectors import sql_bounds
from apps.interactions.models import Interaction


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
    params = {"owner": user.pk, **sql_bounds(rng), "limit": TOP_CONTACTS}
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
        .filter(archived=False, warmth__in=WARM_OR_CLOSE, cadence_days__isnull=False)
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
