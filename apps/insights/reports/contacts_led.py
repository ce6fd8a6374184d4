"""Contacts who led to opportunities: each credited person's results, and the drill-down behind
each of their figures.

The people and their opportunities come from the one attribution model (`attribution.attribute`):
a contact is credited with an opportunity when they are on it with a role (*direct*) or when the
model passed part of its credit up an introduction chain to them (*through introductions*). Their
interviews and offers are the credited opportunities that reached those stages; *credit* is their
share of the opportunities. Introductions count the contacts added in the range that they
introduced, and minutes the time spent with them in the range.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce

from apps.contacts.models import Contact
from apps.insights.attribution import INDIRECT, Attribution
from apps.insights.pipeline import label_of_rank, rank_of
from apps.insights.ranges import DateRange
from apps.insights.reports import TOP_CONTACTS
from apps.insights.strength import strength_for
from apps.interactions.models import Interaction
from apps.opportunities.models import PersonRole, Stage

DETAILS_PER_CONTACT = 8


@dataclass
class Credit:
    opportunity_id: int
    title: str
    organization: str | None
    role: str  # a PersonRole value, or INDIRECT
    path: str | None
    reached: int
    steps: int = 0  # 0 when on the opportunity, else the introductions between them

    @property
    def role_label(self) -> str:
        return "via introductions" if self.role == INDIRECT else PersonRole(self.role).label

    @property
    def reached_label(self) -> str:
        return label_of_rank(self.reached)


@dataclass
class ContactCredit:
    id: int
    full_name: str = ""
    warmth: str = ""
    organization: str | None = None
    referrals: int = 0
    introductions: int = 0
    direct_opportunities: int = 0
    indirect_opportunities: int = 0
    interviews: int = 0
    offers: int = 0
    minutes: int = 0
    credit: float = 0.0  # the contact's share of opportunities
    strength: object = None  # a strength.Strength
    roles: dict = field(default_factory=dict)
    credits: list = field(default_factory=list)

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)

    @property
    def role_summary(self) -> list[tuple[str, int]]:
        return [(PersonRole(r).label, n) for r, n in self.roles.items() if n]

    def rank_key(self):
        return (
            -self.offers,
            -self.interviews,
            -self.referrals,
            -(self.direct_opportunities + self.indirect_opportunities),
            -self.introductions,
            -self.minutes,
            self.full_name,
            self.id,
        )


def _credited(attribution: Attribution) -> dict[int, ContactCredit]:
    people: dict[int, ContactCredit] = {}
    interviewing, offer = rank_of(Stage.INTERVIEWING), rank_of(Stage.OFFER)
    for opp in attribution.opportunities:
        for contact_id, part in opp.people.items():
            person = people.setdefault(contact_id, ContactCredit(id=contact_id))
            person.credit += part
            person.interviews += opp.reached >= interviewing
            person.offers += opp.reached >= offer
            if contact_id in opp.roles:
                person.direct_opportunities += 1
                for role in opp.roles[contact_id]:
                    person.roles[role] = person.roles.get(role, 0) + 1
                    person.credits.append(
                        Credit(opp.id, opp.title, opp.organization, role, None, opp.reached)
                    )
            else:
                person.indirect_opportunities += 1
                steps, path = opp.chains.get(contact_id, (0, None))
                person.credits.append(
                    Credit(opp.id, opp.title, opp.organization, INDIRECT, path, opp.reached, steps)
                )
    for person in people.values():
        person.referrals = person.roles.get(PersonRole.REFERRER, 0)
    return people


def contacts_led(user, rng: DateRange, attribution: Attribution, now=None) -> dict:
    """The contacts who led somewhere, best first, from the attribution already computed: three
    narrow queries (introductions, minutes, names) and two for the strength of those shown."""
    people = _credited(attribution)
    introduced = (
        Contact.objects.owned_by(user)
        .filter(created_at__gte=rng.start, created_at__lt=rng.end, introduced_by__owner=user)
        .values("introduced_by_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in introduced:
        introducer = row["introduced_by_id"]
        people.setdefault(introducer, ContactCredit(id=introducer)).introductions = row["n"]
    if not people:
        return {"people": [], "total": 0}
    ids = list(people)
    invested = (
        Interaction.contacts.through.objects.filter(
            contact_id__in=ids,
            interaction__owner=user,
            interaction__occurred_at__gte=rng.start,
            interaction__occurred_at__lt=rng.end,
        )
        .values("contact_id")
        .annotate(minutes=Coalesce(Sum("interaction__minutes"), 0))
        .order_by()
    )
    for row in invested:
        people[row["contact_id"]].minutes = int(row["minutes"])
    # Names break ties in the ranking, so every credited person's row is read (few columns).
    for row in (
        Contact.objects.owned_by(user)
        .filter(pk__in=ids)
        .values("pk", "full_name", "warmth", "organization__name")
    ):
        person = people[row["pk"]]
        person.full_name, person.warmth = row["full_name"], row["warmth"]
        person.organization = row["organization__name"]
    known = [p for p in people.values() if p.full_name]
    known.sort(key=ContactCredit.rank_key)
    top = known[:TOP_CONTACTS]
    for person in top:
        person.credits.sort(key=lambda c: (-c.reached, c.steps, c.opportunity_id, c.role))
        person.credits = person.credits[:DETAILS_PER_CONTACT]
    strengths = strength_for(user, [p.id for p in top], now=now)
    for person in top:
        person.strength = strengths.get(person.id)
    return {"people": top, "total": len(known)}


def credited_to_contact(attribution: Attribution, contact_id: int) -> dict[int, tuple]:
    """The drill-down behind a contact's figures: opportunity id → (role, chain) for every
    opportunity the model credits to them (direct roles first, then through introductions)."""
    return {
        opp.id: opp.how_credited(contact_id)
        for opp in attribution.opportunities
        if contact_id in opp.people
    }


def filter_opportunities(queryset, params, attribution: Attribution, contact) -> tuple:
    """The drill-down behind a contact's figures (`role` = direct, indirect, a PersonRole, or
    none for every credited one): the rows, their (role, chain) labels and the title's part."""
    credits = credited_to_contact(attribution, contact.pk)
    role = params.get("role")
    if role == "indirect":
        credits = {k: v for k, v in credits.items() if v[0] == INDIRECT}
        part = f"credited to {contact.full_name} through introductions"
    elif role == "direct":
        credits = {k: v for k, v in credits.items() if v[0] != INDIRECT}
        part = f"{contact.full_name} is on"
    elif role in PersonRole.values:
        queryset = queryset.filter(people__contact=contact, people__role=role)
        part = f"with {contact.full_name} as {PersonRole(role).label.lower()}"
    else:
        part = f"credited to {contact.full_name}"
    return queryset.filter(pk__in=list(credits)), credits, part
