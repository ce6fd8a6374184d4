"""One attribution model: how each opportunity's credit flows to people, then to channels.

Every Insights figure that credits results to people or channels, and every drill-down behind
such a figure, reads `attribute()`; the rules below are also stated on the page.

- People: an opportunity's credit (1.0) is split equally among the contacts on it with any role.
  A credited contact who was introduced by someone keeps half of their share and passes the other
  half to their introducer, who does the same, up the introduction chain (at most
  MAX_CHAIN_DEPTH steps; the last person in the chain keeps what reaches them).
- Channels, time-weighted: a contact's share is split over the channels of the interactions with
  that contact before the opportunity was created, in proportion to their minutes; a conversation
  logged without minutes counts DEFAULT_MINUTES, a like or comment only its own minutes. With no
  such time, the share goes to the channel through which the contact was met.
- Channels, first touch: a contact's share goes to the channel through which they were met.
- No relationship: an opportunity with nobody on it goes whole to its own source channel.
"""

import bisect
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Exists, OuterRef

from apps.contacts.models import Contact
from apps.core.choices import Channel
from apps.insights.db import fetch_dicts
from apps.insights.ranges import DateRange
from apps.interactions.models import LOW_WEIGHT_KINDS, Interaction
from apps.opportunities.models import (
    Opportunity,
    OpportunityContact,
    PersonRole,
    Stage,
    StageChange,
)

DEFAULT_MINUTES = 15
PASS_UP = 0.5
MAX_CHAIN_DEPTH = 6
TIME, FIRST = "time", "first"
VIEWS = {TIME: "Time-weighted", FIRST: "First touch"}
PIPELINE_AFTER = {
    # The stages at or after each milestone: having any in history = reached it.
    "interviewed": [Stage.INTERVIEWING, Stage.OFFER, Stage.ACCEPTED],
    "offered": [Stage.OFFER, Stage.ACCEPTED],
}


def fmt_credit(value) -> str:
    rounded = round(float(value or 0), 2)
    return f"{rounded:g}" if rounded else "0"


def view_from(params) -> str:
    value = params.get("view")
    return value if value in VIEWS else TIME


@dataclass
class OpportunityCredit:
    id: int
    created_at: dt.datetime
    source_channel: str
    referred: bool
    interviewed: bool
    offered: bool
    people: dict[int, float] = field(default_factory=dict)  # contact id → share, sums to 1
    channels: dict[str, float] = field(default_factory=dict)  # channel → share, sums to 1

    @property
    def no_relationship(self) -> bool:
        return not self.people


@dataclass
class Attribution:
    view: str
    opportunities: list[OpportunityCredit]

    def by_id(self) -> dict[int, OpportunityCredit]:
        return {o.id: o for o in self.opportunities}

    def contact_totals(self) -> dict[int, float]:
        totals: dict[int, float] = defaultdict(float)
        for opp in self.opportunities:
            for contact_id, part in opp.people.items():
                totals[contact_id] += part
        return dict(totals)


def _reached(milestone: str):
    return Exists(
        StageChange.objects.filter(
            opportunity=OuterRef("pk"), to_stage__in=PIPELINE_AFTER[milestone]
        )
    )


def _ancestry_sql() -> str:
    """The linked contacts and every introducer above them (UNION also stops at a cycle)."""
    c = Contact._meta.db_table
    return f"""
    WITH RECURSIVE tree (id, introduced_by_id, channel, depth) AS (
        SELECT c.id, c.introduced_by_id, c.channel, 0 FROM {c} c
         WHERE c.owner_id = %(owner)s AND c.id IN (
               SELECT oc.contact_id FROM {OpportunityContact._meta.db_table} oc
                 JOIN {Opportunity._meta.db_table} o ON o.id = oc.opportunity_id
                WHERE oc.owner_id = %(owner)s AND o.owner_id = %(owner)s
                  AND o.created_at >= %(start)s AND o.created_at < %(end)s)
        UNION
        SELECT p.id, p.introduced_by_id, p.channel, t.depth + 1
          FROM tree t JOIN {c} p ON p.id = t.introduced_by_id AND p.owner_id = %(owner)s
         WHERE t.depth < {MAX_CHAIN_DEPTH}
    )
    SELECT DISTINCT id, introduced_by_id, channel FROM tree
    """  # noqa: S608 - only model table names are interpolated; values are parameters


def _bounds(rng: DateRange) -> dict:
    adapt = connection.ops.adapt_datetimefield_value
    return {"start": adapt(rng.start), "end": adapt(rng.end)}


def split_among_people(direct: list[int], introducer: dict[int, int | None]) -> dict[int, float]:
    """Equal shares for the people on the opportunity, each passing half up their chain."""
    shares: dict[int, float] = defaultdict(float)
    if not direct:
        return {}
    for person in direct:
        share, current, seen = 1.0 / len(direct), person, {person}
        for _ in range(MAX_CHAIN_DEPTH):
            parent = introducer.get(current)
            # Only the owner's own contacts are in `introducer`: a chain never leaves the account.
            if parent is None or parent in seen or parent not in introducer:
                break
            shares[current] += share * (1 - PASS_UP)
            share *= PASS_UP
            current = parent
            seen.add(current)
        shares[current] += share
    return dict(shares)


class _TimeLine:
    """A contact's interaction weight per channel, summable up to any moment."""

    def __init__(self, rows):
        rows.sort(key=lambda r: r[0])
        self.moments = [r[0] for r in rows]
        self.running = []
        totals: dict[str, float] = defaultdict(float)
        for _, channel, weight in rows:
            totals[channel] += weight
            self.running.append(dict(totals))

    def before(self, moment) -> dict[str, float]:
        n = bisect.bisect_left(self.moments, moment)
        return self.running[n - 1] if n else {}


def _weight(minutes: int, kind: str) -> int:
    if minutes:
        return minutes
    return 0 if kind in LOW_WEIGHT_KINDS else DEFAULT_MINUTES


def attribute(user, rng: DateRange, view: str = TIME) -> Attribution:
    """Credit for every opportunity created in the range: three queries, four when time-weighted."""
    cohort = list(
        Opportunity.objects.owned_by(user)
        .filter(created_at__gte=rng.start, created_at__lt=rng.end)
        .annotate(
            referred=Exists(
                OpportunityContact.objects.filter(
                    opportunity=OuterRef("pk"), role=PersonRole.REFERRER
                )
            ),
            interviewed=_reached("interviewed"),
            offered=_reached("offered"),
        )
        .values("id", "created_at", "source_channel", "referred", "interviewed", "offered")
        .order_by("created_at", "id")
    )
    links: dict[int, list[int]] = defaultdict(list)
    for opp_id, contact_id in (
        OpportunityContact.objects.owned_by(user)
        .filter(
            contact__owner=user,
            opportunity__owner=user,
            opportunity__created_at__gte=rng.start,
            opportunity__created_at__lt=rng.end,
        )
        .values_list("opportunity_id", "contact_id")
        .distinct()
        .order_by("opportunity_id", "contact_id")
    ):
        links[opp_id].append(contact_id)
    tree = fetch_dicts(_ancestry_sql(), {"owner": user.pk, **_bounds(rng)})
    introducer = {row["id"]: row["introduced_by_id"] for row in tree}
    met_through = {row["id"]: row["channel"] for row in tree}

    credits = []
    for row in cohort:
        opp = OpportunityCredit(**row)
        opp.people = split_among_people(links.get(opp.id, []), introducer)
        credits.append(opp)

    timelines: dict[int, _TimeLine] = {}
    if view == TIME and credits:
        latest = max(o.created_at for o in credits)
        rows: dict[int, list] = defaultdict(list)
        link = Interaction.contacts.through
        for contact_id, moment, channel, minutes, kind in (
            link.objects.filter(
                contact_id__in=list(met_through),
                interaction__owner=user,
                interaction__occurred_at__lt=latest,
            )
            .values_list(
                "contact_id",
                "interaction__occurred_at",
                "interaction__channel",
                "interaction__minutes",
                "interaction__kind",
            )
            .order_by()
        ):
            weight = _weight(minutes, kind)
            if weight:
                rows[contact_id].append((moment, channel, weight))
        timelines = {contact_id: _TimeLine(items) for contact_id, items in rows.items()}

    for opp in credits:
        channels: dict[str, float] = defaultdict(float)
        if not opp.people:
            channels[opp.source_channel] = 1.0
        for contact_id, part in opp.people.items():
            spent = timelines[contact_id].before(opp.created_at) if contact_id in timelines else {}
            total = sum(spent.values())
            if view == TIME and total:
                for channel, weight in spent.items():
                    channels[channel] += part * weight / total
            else:
                channels[met_through.get(contact_id, Channel.OTHER)] += part
        opp.channels = dict(channels)
    return Attribution(view=view, opportunities=credits)
