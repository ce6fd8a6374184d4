"""Channel return: hours in per channel, and the results the attribution model credits to it.

Hours, conversations and light touches are grouped by the interaction's channel; new people met
by the contact's "how we met"; referrals, opportunities, interviews and offers are the credit
`attribution.attribute` gives each channel (fractions of an opportunity, in the chosen view).
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from apps.core.choices import Channel
from apps.insights.attribution import Attribution
from apps.insights.ranges import DateRange
from apps.insights.reports.met import met_between
from apps.interactions.models import LOW_WEIGHT_KINDS, Interaction

RESULTS = ("referrals", "opportunities", "interviews", "offers")
COUNTS = ("minutes", "conversations", "touches", "new_contacts", *RESULTS, "no_relationship")


def per_hour(count: float, minutes: int) -> float | None:
    return round(count * 60 / minutes, 2) if minutes else None


@dataclass
class ChannelRow:
    channel: str
    label: str
    minutes: int = 0
    conversations: int = 0
    touches: int = 0
    new_contacts: int = 0
    referrals: float = 0.0
    opportunities: float = 0.0
    interviews: float = 0.0
    offers: float = 0.0
    no_relationship: float = 0.0  # of `opportunities`: those with nobody on them

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)

    @property
    def opportunities_per_hour(self) -> float | None:
        return per_hour(self.opportunities, self.minutes)

    @property
    def referrals_per_hour(self) -> float | None:
        return per_hour(self.referrals, self.minutes)

    @property
    def active(self) -> bool:
        return any(getattr(self, name) for name in COUNTS)


def credit_by_channel(attribution: Attribution) -> dict[str, dict[str, float]]:
    """Each channel's share of referrals, opportunities, interviews and offers."""
    results: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(COUNTS[4:], 0.0))
    for opp in attribution.opportunities:
        for channel, part in opp.channels.items():
            row = results[channel]
            row["opportunities"] += part
            row["referrals"] += part if opp.referred else 0.0
            row["interviews"] += part if opp.interviewed else 0.0
            row["offers"] += part if opp.offered else 0.0
            row["no_relationship"] += part if opp.no_relationship else 0.0
    return results


def channel_return(user, rng: DateRange, attribution: Attribution) -> dict:
    """Time in and credited results per channel: two grouped queries and the attribution."""
    touches = Q(kind__in=LOW_WEIGHT_KINDS)
    time_in = (
        Interaction.objects.owned_by(user)
        .filter(occurred_at__gte=rng.start, occurred_at__lt=rng.end)
        .values("channel")
        .annotate(
            minutes=Coalesce(Sum("minutes"), 0),
            conversations=Count("pk", filter=~touches),
            touches=Count("pk", filter=touches),
        )
        .order_by()
    )
    met = (
        met_between(user, rng.start, rng.end)
        .values("channel")
        .annotate(new_contacts=Count("pk"))
        .order_by()
    )
    rows = {value: ChannelRow(value, label) for value, label in Channel.choices}
    for item in time_in:
        row = rows[item["channel"]]
        row.minutes, row.conversations = item["minutes"], item["conversations"]
        row.touches = item["touches"]
    for item in met:
        rows[item["channel"]].new_contacts = item["new_contacts"]
    for channel, results in credit_by_channel(attribution).items():
        for name, value in results.items():
            setattr(rows[channel], name, value)
    active = [r for r in rows.values() if r.active]
    active.sort(
        key=lambda r: (-(r.opportunities_per_hour or 0), -r.opportunities, -r.minutes, r.label)
    )
    total = ChannelRow("", "All channels")
    for name in COUNTS:
        setattr(total, name, sum(getattr(r, name) for r in active))
    return {"rows": active, "total": total, "view": attribution.view}


def credited_to_channel(attribution: Attribution, channel: str) -> dict[int, float]:
    """The drill-down behind a channel's results: opportunity id → the channel's share."""
    return {
        opp.id: opp.channels[channel]
        for opp in attribution.opportunities
        if opp.channels.get(channel)
    }
