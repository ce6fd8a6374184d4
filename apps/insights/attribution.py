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
from django.db.models import Exists, F, OuterRef

from apps.contacts.models import Contact
from apps.core.choices import Channel
from apps.insights.db import fetch_dicts
from apps.insights.pipeline import rank_of, reached_rank
from apps.insights.ranges import DateRange
from apps.interactions.models import LOW_WEIGHT_KINDS, Interaction
from apps.opportunities.models import Opportunity, OpportunityContact, PersonRole, Stage

DEFAULT_MINUTES = 15
PASS_UP = 0.5
MAX_CHAIN_DEPTH = 6
TIME, FIRST = "time", "first"
VIEWS = {TIME: "Time-weighted", FIRST: "First touch"}
INDIRECT = "indirect"  # the role of a credit that reached someone up an introduction chain


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
    title: str = ""
    organization: str | None = None
    reached: int = 0  # the furthest pipeline stage's rank (apps.insights.pipeline)
    people: dict[int, float] = field(default_factory=dict)  # contact id → share, sums to 1
    channels: dict[str, float] = field(default_factory=dict)  # channel → share, sums to 1
    roles: dict[int, list[str]] = field(default_factory=dict)  # people on it → their roles
    # Credited people up an introduction chain, not on it themselves → (steps, "A → B → C").
    chains: dict[int, tuple[int, str]] = field(default_factory=dict)

    @property
    def no_relationship(self) -> bool:
        return not self.people

    @property
    def interviewed(self) -> bool:
        return self.reached >= rank_of(Stage.INTERVIEWING)

    @property
    def offered(self) -> bool:
        return self.reached >= rank_of(Stage.OFFER)

    def how_credited(self, contact_id: int) -> tuple[str, str | None]:
        """(role, chain): the first of the contact's roles on it, or INDIRECT and the chain."""
        if contact_id in self.roles:
            return min(self.roles[contact_id]), None
        steps_and_path = self.chains.get(contact_id)
        return INDIRECT, steps_and_path[1] if steps_and_path else None


@dataclass
class Attribution:
    view: str
    opportunities: list[OpportunityCredit]


def _ancestry_sql() -> str:
    """The linked contacts and every introducer above them (UNION also stops at a cycle)."""
    c = Contact._meta.db_table
    return f"""
    WITH RECURSIVE tree (id, introduced_by_id, channel, full_name, depth) AS (
        SELECT c.id, c.introduced_by_id, c.channel, c.full_name, 0 FROM {c} c
         WHERE c.owner_id = %(owner)s AND c.id IN (
               SELECT oc.contact_id FROM {OpportunityContact._meta.db_table} oc
                 JOIN {Opportunity._meta.db_table} o ON o.id = oc.opportunity_id
                WHERE oc.owner_id = %(owner)s AND o.owner_id = %(owner)s
                  AND o.created_at >= %(start)s AND o.created_at < %(end)s)
        UNION
        SELECT p.id, p.introduced_by_id, p.channel, p.full_name, t.depth + 1
          FROM tree t JOIN {c} p ON p.id = t.introduced_by_id AND p.owner_id = %(owner)s
         WHERE t.depth < {MAX_CHAIN_DEPTH}
    )
    SELECT DISTINCT id, introduced_by_id, channel, full_name FROM tree
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


def chains_above(
    direct: list[int], introducer: dict[int, int | None], names: dict[int, str]
) -> dict[int, tuple[int, str]]:
    """For each introducer credited through a chain and not on the opportunity themselves: the
    shortest chain, as (steps, "Introducer → … → person on it"); ties go to the first by name.
    It walks the chains exactly as `split_among_people` passes credit up them."""
    found: dict[int, tuple[int, str]] = {}
    for person in direct:
        current, seen, path = person, {person}, names.get(person, "")
        for steps in range(1, MAX_CHAIN_DEPTH + 1):
            parent = introducer.get(current)
            if parent is None or parent in seen or parent not in introducer:
                break
            path = f"{names.get(parent, '')} → {path}"
            if parent not in direct and (parent not in found or (steps, path) < found[parent]):
                found[parent] = (steps, path)
            current = parent
            seen.add(current)
    return found


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
    """Credit for every opportunity created in the range: three queries, four when time-weighted.
    It also keeps what the contacts report shows of each credit (roles, chains, stage reached),
    so that report counts exactly what the channel figures count."""
    cohort = list(
        Opportunity.objects.owned_by(user)
        .filter(created_at__gte=rng.start, created_at__lt=rng.end)
        .annotate(
            referred=Exists(
                OpportunityContact.objects.filter(
                    opportunity=OuterRef("pk"), role=PersonRole.REFERRER
                )
            ),
            reached=reached_rank(),
            title=F("role_title"),
            organization_name=F("organization__name"),
        )
        .values(
            "id",
            "created_at",
            "source_channel",
            "referred",
            "reached",
            "title",
            "organization_name",
        )
        .order_by("created_at", "id")
    )
    roles: dict[int, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for opp_id, contact_id, role in (
        OpportunityContact.objects.owned_by(user)
        .filter(
            contact__owner=user,
            opportunity__owner=user,
            opportunity__created_at__gte=rng.start,
            opportunity__created_at__lt=rng.end,
        )
        .values_list("opportunity_id", "contact_id", "role")
        .distinct()
        .order_by("opportunity_id", "contact_id", "role")
    ):
        roles[opp_id][contact_id].append(role)
    tree = fetch_dicts(_ancestry_sql(), {"owner": user.pk, **_bounds(rng)})
    introducer = {row["id"]: row["introduced_by_id"] for row in tree}
    met_through = {row["id"]: row["channel"] for row in tree}
    names = {row["id"]: row["full_name"] for row in tree}

    credits = []
    for row in cohort:
        organization = row.pop("organization_name")
        opp = OpportunityCredit(**row, organization=organization)
        opp.roles = {contact: found for contact, found in roles.get(opp.id, {}).items()}
        direct = list(opp.roles)
        opp.people = split_among_people(direct, introducer)
        opp.chains = chains_above(direct, introducer, names)
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
