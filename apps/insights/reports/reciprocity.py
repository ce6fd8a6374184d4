"""Give before you ask: gives and asks per week, and how often a referral ask led to a referral
when a give came first, against when it did not (with the counts, so small numbers look small).

A referral ask is a conversation marked "I asked for a referral", counted once per contact in
it. It was preceded by a give when an earlier conversation with that contact records something
given; it led to a referral when that contact is recorded as a referrer on an opportunity at or
after the ask."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncWeek

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


def referral_rates(user, rng) -> dict[str, Rate]:
    """{"after_give": Rate, "without_give": Rate}: one query."""
    link = Interaction.contacts.through
    gave_before = link.objects.filter(
        contact_id=OuterRef("contact_id"),
        interaction__owner=user,
        interaction__occurred_at__lt=OuterRef("interaction__occurred_at"),
    ).exclude(interaction__gave="")
    referred = OpportunityContact.objects.filter(
        owner=user,
        contact_id=OuterRef("contact_id"),
        role=PersonRole.REFERRER,
        created_at__gte=OuterRef("interaction__occurred_at"),
    )
    rows = (
        link.objects.filter(
            interaction__owner=user,
            interaction__asked_referral=True,
            interaction__occurred_at__gte=rng.start,
            interaction__occurred_at__lt=rng.end,
        )
        .annotate(gave_before=Exists(gave_before), referred=Exists(referred))
        .values("gave_before")
        .annotate(asks=Count("pk"), got=Count("pk", filter=Q(referred=True)))
        .order_by()
    )
    found = {bool(row["gave_before"]): Rate(row["asks"], row["got"]) for row in rows}
    return {
        "after_give": found.get(True, Rate(0, 0)),
        "without_give": found.get(False, Rate(0, 0)),
    }
