"""Target companies: is there a warm way in at each company the user wants to work at?

The figure and its link: each flagged organization, its people (warmest first, by the warmer of
hand-set warmth and computed strength), and its open opportunities, listed on the opportunities
drill-down (organization=…&open=1).
"""

from django.db.models import Max, OuterRef, Subquery

from apps.contacts.models import WARM_OR_CLOSE, Contact, Organization, Warmth
from apps.core.subqueries import count_of
from apps.insights.strength import strength_for, stronger
from apps.opportunities.models import OPEN_STAGES, Opportunity

CONTACTS_PER_COMPANY = 6
# Listed at most; those with the fewest warm ways in come first, and the count stays exact.
COMPANIES_SHOWN = 12


def target_companies(user, now=None) -> dict:
    """The target organizations with the fewest warm ways in (COMPANIES_SHOWN of them, with the
    count of all), their people and open opportunities (state as of now).

    A person counts as a warm way in when the warmer of their hand-set warmth and their computed
    strength is warm or close; someone who referred or introduced the user always is.
    """
    contacts_there = Contact.objects.owned_by(user).filter(
        organization=OuterRef("pk"), archived=False
    )
    companies = list(
        Organization.objects.owned_by(user)
        .filter(is_target=True)
        .annotate(
            contacts_n=count_of(contacts_there),
            last_touch=Subquery(
                contacts_there.order_by()
                .values("organization")
                .annotate(last=Max("last_interaction_at"))
                .values("last")[:1]
            ),
            open_opportunities=count_of(
                Opportunity.objects.owned_by(user).filter(
                    organization=OuterRef("pk"), stage__in=OPEN_STAGES
                )
            ),
        )
        .order_by("name")
    )
    people = list(
        Contact.objects.owned_by(user)
        .filter(archived=False, organization__owner=user, organization__is_target=True)
        .only("pk", "full_name", "warmth", "organization_id", "last_interaction_at")
        .order_by("organization_id", "pk")
    )
    strengths = strength_for(user, [p.pk for p in people], now=now)
    warmth_rank = {Warmth.CLOSE: 0, Warmth.WARM: 1, Warmth.COLD: 2}
    by_org: dict[int, list] = {}
    for person in people:
        person.strength = strengths.get(person.pk)
        person.effective_warmth = stronger(person.warmth, person.strength)
        by_org.setdefault(person.organization_id, []).append(person)
    for company in companies:
        everyone = by_org.get(company.pk, [])
        everyone.sort(
            key=lambda p: (
                warmth_rank.get(p.effective_warmth, 3),
                -(p.strength.score if p.strength else 0),
                -(p.last_interaction_at.timestamp() if p.last_interaction_at else 0),
                p.pk,
            )
        )
        company.warm_n = sum(1 for p in everyone if p.effective_warmth in WARM_OR_CLOSE)
        company.people = everyone[:CONTACTS_PER_COMPANY]
        company.more = company.contacts_n - len(company.people)
    companies.sort(key=lambda c: c.warm_n)  # stable: by name within the same count
    return {
        "companies": companies[:COMPANIES_SHOWN],
        "total": len(companies),
        "limit": COMPANIES_SHOWN,
        "without_warm": sum(1 for c in companies if not c.warm_n),
    }
