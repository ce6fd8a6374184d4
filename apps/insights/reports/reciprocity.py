"""Give before you ask: gives and asks per week, and how often a referral ask led to a referral
when a give came first, against when it did not (with the counts, so small numbers look small).

A referral ask is a conversation marked "I asked for a referral", counted once per contact in
it. It was preceded by a give when an earlier conversation with that contact records something
given; it led to a referral when that contact is recorded as a referrer on an opportunity at or
after the ask."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek

from apps.insights.db import fetch_dicts
from apps.insights.selectors import sql_bounds
from apps.interactions.models import Interaction
from apps.opportunities.models import OpportunityContact, PersonRole

MAX_WEEKS = 26


@dataclass(frozen=True)
class Rate:
    asks: int
    referred: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.referred / self.asks) if self.asks else None


def weekly_gives_and_asks(user, rng) -> list[dict]:
    """[{week (local Monday), gives, asks}] for the range, newest last: one query."""
    rows = (
        Interaction.objects.owned_by(user)
        .filter(occurred_at__gte=rng.start, occurred_at__lt=rng.end)
        .filter(~Q(gave="") | ~Q(asked="") | Q(asked_referral=True))
        .annotate(week=TruncWeek("occurred_at", tzinfo=user.zone))
        .values("week")
        .annotate(
            gives=Count("pk", filter=~Q(gave="")),
            asks=Count("pk", filter=~Q(asked="") | Q(asked_referral=True)),
        )
        .order_by("-week")[:MAX_WEEKS]
    )
    return [
        {"week": row["week"].date(), "gives": row["gives"], "asks": row["asks"]}
        for row in reversed(rows)
    ]


def _referral_rates_sql() -> str:
    link = Interaction.contacts.through._meta.db_table
    interaction = Interaction._meta.db_table
    person = OpportunityContact._meta.db_table
    # Each ask is compared with the contact's first give and last referral, joined once, rather
    # than with two lookups per ask: "a give before the ask" is "the first give came before it",
    # and "a referral at or after it" is "the last referral came at or after it".
    return f"""
    WITH asks AS (
        SELECT l.contact_id, i.occurred_at
          FROM {link} l JOIN {interaction} i ON i.id = l.interaction_id
         WHERE i.owner_id = %(owner)s AND i.asked_referral
           AND i.occurred_at >= %(start)s AND i.occurred_at < %(end)s
    ),
    first_give AS (
        SELECT l.contact_id, MIN(i.occurred_at) AS at
          FROM {link} l JOIN {interaction} i ON i.id = l.interaction_id
         WHERE i.owner_id = %(owner)s AND i.gave <> ''
           AND l.contact_id IN (SELECT contact_id FROM asks)
         GROUP BY l.contact_id
    ),
    last_referral AS (
        SELECT contact_id, MAX(created_at) AS at FROM {person}
         WHERE owner_id = %(owner)s AND role = %(referrer)s
           AND contact_id IN (SELECT contact_id FROM asks)
         GROUP BY contact_id
    )
    SELECT CASE WHEN g.at < a.occurred_at THEN 1 ELSE 0 END AS gave_before,
           COUNT(*) AS asks,
           SUM(CASE WHEN r.at >= a.occurred_at THEN 1 ELSE 0 END) AS got
      FROM asks a
      LEFT JOIN first_give g ON g.contact_id = a.contact_id
      LEFT JOIN last_referral r ON r.contact_id = a.contact_id
     GROUP BY CASE WHEN g.at < a.occurred_at THEN 1 ELSE 0 END
    """  # noqa: S608 - only model table names are interpolated; values are parameters


def referral_rates(user, rng) -> dict[str, Rate]:
    """{"after_give": Rate, "without_give": Rate}: one query. Each ask is one contact in a
    conversation marked "I asked for a referral"."""
    params = {"owner": user.pk, **sql_bounds(rng), "referrer": PersonRole.REFERRER.value}
    found = {
        bool(row["gave_before"]): Rate(int(row["asks"]), int(row["got"] or 0))
        for row in fetch_dicts(_referral_rates_sql(), params)
    }
    return {
        "after_give": found.get(True, Rate(0, 0)),
        "without_give": found.get(False, Rate(0, 0)),
    }
