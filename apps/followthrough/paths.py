"""Paths to a referral at a target company: the people there, ranked by relationship strength,
and the people who could introduce the user: up to two hops through the introduction graph,
people who worked there before, and people who share an organization (now or in the past) with
someone there.

The graph is every "introduced by" link between two of the owner's contacts, walked in both
directions (Bob introduced you to Ann, or Ann introduced you to Bob: either way Bob knows Ann).
One recursive query on PostgreSQL and SQLite alike; a path never visits a contact twice, so
cycles are refused, and every row it touches is the owner's. Employment history (current
organization plus past ones) is one more query, owner-scoped on every table it reads."""

from collections import Counter
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, F

from apps.contacts.models import WARM_OR_CLOSE, Contact, Organization, PastEmployment
from apps.core.choices import Channel
from apps.insights.strength import Strength, strength_for
from apps.opportunities.models import OpportunityContact, PersonRole

MAX_HOPS = 2
MAX_ROWS = 2000
MAX_INSIDERS = 25
MAX_INTRODUCERS = 25


@dataclass
class Introducer:
    contact: Contact
    hops: int
    # The contacts from the introducer to someone at the company, both ends included.
    chain: list[Contact]
    reason: str
    strength: Strength | None = None


@dataclass
class Paths:
    organization: Organization
    insiders: list[tuple[Contact, Strength | None]] = field(default_factory=list)
    introducers: list[Introducer] = field(default_factory=list)
    # When there is no path: which channels brought the user's warm contacts, most first.
    warm_channels: list[tuple[str, int]] = field(default_factory=list)

    @property
    def has_path(self) -> bool:
        return bool(self.insiders or self.introducers)


def introduction_walk(*, owner, organization_ids) -> list[tuple[int, int, int, str]]:
    """(organization id, reached contact id, hops, path "a,b,c") for every contact within
    MAX_HOPS introductions of a contact at one of the organizations. One query."""
    org_ids = [int(pk) for pk in organization_ids]
    if not org_ids:
        return []
    table = Contact._meta.db_table
    marks = ", ".join(["%s"] * len(org_ids))
    sql = f"""
        WITH RECURSIVE edges(a, b) AS (
            SELECT c.id, c.introduced_by_id FROM {table} c
            JOIN {table} p ON p.id = c.introduced_by_id
            WHERE c.owner_id = %s AND p.owner_id = %s
            UNION ALL
            SELECT c.introduced_by_id, c.id FROM {table} c
            JOIN {table} p ON p.id = c.introduced_by_id
            WHERE c.owner_id = %s AND p.owner_id = %s
        ),
        walk(org_id, contact_id, hops, path) AS (
            SELECT s.organization_id, e.b, 1,
                   ',' || CAST(e.a AS TEXT) || ',' || CAST(e.b AS TEXT) || ','
            FROM edges e JOIN {table} s ON s.id = e.a
            WHERE s.owner_id = %s AND s.archived = %s AND s.organization_id IN ({marks})
            UNION ALL
            SELECT w.org_id, e.b, w.hops + 1, w.path || CAST(e.b AS TEXT) || ','
            FROM walk w JOIN edges e ON e.a = w.contact_id
            WHERE w.hops < %s AND w.path NOT LIKE '%%,' || CAST(e.b AS TEXT) || ',%%'
        )
        SELECT w.org_id, w.contact_id, w.hops, w.path
        FROM walk w JOIN {table} c ON c.id = w.contact_id
        WHERE c.owner_id = %s AND c.archived = %s
          AND (c.organization_id IS NULL OR c.organization_id <> w.org_id)
        ORDER BY w.hops, w.contact_id
        LIMIT %s
    """  # noqa: S608 - the table name comes from model metadata, values are parameters
    params = [owner.pk] * 4 + [owner.pk, False, *org_ids, MAX_HOPS, owner.pk, False, MAX_ROWS]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(row[0], row[1], row[2], row[3].strip(",")) for row in cursor.fetchall()]


# What an organization link is: a past employee of the company, or a colleague (now or before)
# of someone working there now.
WORKED_THERE, SHARED = 1, 2


def organization_links(*, owner, organization_ids) -> list[tuple[int, int, int, int, str, int]]:
    """(organization id, contact id, link, insider id or 0, shared organization's name, until
    year or 0) for the people who worked at one of the organizations before (WORKED_THERE) and those
    who share an organization, current or past, with someone there now (SHARED). One query."""
    org_ids = [int(pk) for pk in organization_ids]
    if not org_ids:
        return []
    contact = Contact._meta.db_table
    past = PastEmployment._meta.db_table
    org = Organization._meta.db_table
    marks = ", ".join(["%s"] * len(org_ids))
    sql = f"""
        WITH jobs(contact_id, org_id, past, until) AS (
            SELECT c.id, c.organization_id, 0, 0 FROM {contact} c
            WHERE c.owner_id = %s AND c.archived = %s AND c.organization_id IS NOT NULL
            UNION ALL
            SELECT e.contact_id, e.organization_id, 1, COALESCE(e.until, 0) FROM {past} e
            JOIN {contact} c ON c.id = e.contact_id
            JOIN {org} o ON o.id = e.organization_id
            WHERE e.owner_id = %s AND c.owner_id = %s AND o.owner_id = %s AND c.archived = %s
        ),
        insiders(org_id, contact_id) AS (
            SELECT c.organization_id, c.id FROM {contact} c
            WHERE c.owner_id = %s AND c.archived = %s AND c.organization_id IN ({marks})
        )
        SELECT j.org_id, j.contact_id, {WORKED_THERE}, 0, '', j.until
        FROM jobs j JOIN {contact} c ON c.id = j.contact_id
        WHERE j.past = 1 AND j.org_id IN ({marks})
          AND (c.organization_id IS NULL OR c.organization_id <> j.org_id)
        UNION ALL
        SELECT i.org_id, theirs.contact_id, {SHARED}, i.contact_id, so.name, 0
        FROM insiders i
        JOIN jobs mine ON mine.contact_id = i.contact_id AND mine.org_id <> i.org_id
        JOIN jobs theirs ON theirs.org_id = mine.org_id AND theirs.contact_id <> i.contact_id
        JOIN {contact} c ON c.id = theirs.contact_id
        JOIN {org} so ON so.id = mine.org_id
        WHERE so.owner_id = %s AND (c.organization_id IS NULL OR c.organization_id <> i.org_id)
        ORDER BY 3, 6 DESC, 2, 4
        LIMIT %s
    """  # noqa: S608 - table names come from model metadata, values are parameters
    params = [owner.pk, False, owner.pk, owner.pk, owner.pk, False, owner.pk, False, *org_ids]
    params += [*org_ids, owner.pk, MAX_ROWS]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(int(a), int(b), int(c), int(d), e, int(f)) for a, b, c, d, e, f in cursor]


def _walk_reason(hops: int, path: list, people: dict) -> str:
    """Why an introducer `hops` introductions from someone at the company knows them."""
    insider = people.get(path[0])
    introducer = people.get(path[-1])
    if insider is None or introducer is None:
        return ""
    if hops > 1:
        return f"{hops} introductions from {insider.full_name}"
    if insider.introduced_by_id == introducer.pk:
        return f"introduced you to {insider.full_name}"
    return f"{insider.full_name} introduced you to them"


def paths_for(*, owner, organizations, with_channels: bool = True) -> dict[int, Paths]:
    """Paths for each organization, in a fixed number of queries whatever their number."""
    organizations = list(organizations)
    result = {org.pk: Paths(organization=org) for org in organizations}
    if not organizations:
        return result
    insiders = list(
        Contact.objects.owned_by(owner)
        .filter(organization__in=result, archived=False)
        .only("pk", "full_name", "organization_id", "email", "title", "warmth")
    )
    walk = introduction_walk(owner=owner, organization_ids=result)
    # The shortest path to each introducer, per organization.
    best: dict[tuple[int, int], tuple[int, list[int]]] = {}
    for org_id, contact_id, hops, path in walk:
        best.setdefault((org_id, contact_id), (hops, [int(i) for i in path.split(",")]))
    links = organization_links(owner=owner, organization_ids=result)
    crew = (
        OpportunityContact.objects.owned_by(owner)
        .filter(opportunity__organization__in=result, contact__archived=False)
        .exclude(contact__organization=F("opportunity__organization"))
        .values_list("opportunity__organization_id", "contact_id", "role")
        .distinct()
    )
    crew = list(crew)
    ids = {c.pk for c in insiders} | {i for _, path in best.values() for i in path}
    ids |= {contact_id for _, contact_id, _ in crew}
    ids |= {row[1] for row in links} | {row[3] for row in links if row[3]}
    people = {
        c.pk: c
        for c in Contact.objects.owned_by(owner)
        .filter(pk__in=ids)
        .select_related("organization")
        .only(
            "pk",
            "full_name",
            "email",
            "title",
            "warmth",
            "introduced_by_id",
            "organization__name",
        )
    }
    strengths = strength_for(owner, people)
    for contact in insiders:
        result[contact.organization_id].insiders.append(
            (people.get(contact.pk, contact), strengths.get(contact.pk))
        )
    for (org_id, contact_id), (hops, path) in best.items():
        chain = [people[i] for i in reversed(path) if i in people]
        result[org_id].introducers.append(
            Introducer(
                people[contact_id],
                hops,
                chain,
                _walk_reason(hops, path, people),
                strengths.get(contact_id),
            )
        )
    seen = {(org_id, i.contact.pk) for org_id, p in result.items() for i in p.introducers}
    # Worked there before ranks above a shared organization: the query returns them first.
    for org_id, contact_id, link, insider_id, shared_name, until in links:
        if (org_id, contact_id) in seen or contact_id not in people:
            continue
        if link == SHARED and insider_id not in people:
            continue
        seen.add((org_id, contact_id))
        if link == WORKED_THERE:
            chain = [people[contact_id]]
            reason = f"worked there until {until}" if until else "worked there before"
        else:
            insider = people[insider_id]
            chain = [people[contact_id], insider]
            reason = f"both at {shared_name} with {insider.full_name}"
        result[org_id].introducers.append(
            Introducer(people[contact_id], 1, chain, reason, strengths.get(contact_id))
        )
    for org_id, contact_id, role in crew:
        if (org_id, contact_id) in seen or contact_id not in people:
            continue
        seen.add((org_id, contact_id))
        role_name = PersonRole(role).label.lower()
        result[org_id].introducers.append(
            Introducer(
                people[contact_id],
                1,
                [people[contact_id]],
                f"worked with {result[org_id].organization.name} (as {role_name})",
                strengths.get(contact_id),
            )
        )
    for paths in result.values():
        paths.insiders.sort(key=lambda pair: (-(pair[1].score if pair[1] else 0), pair[0].pk))
        paths.insiders = paths.insiders[:MAX_INSIDERS]
        paths.introducers.sort(
            key=lambda i: (i.hops, -(i.strength.score if i.strength else 0), i.contact.pk)
        )
        paths.introducers = paths.introducers[:MAX_INTRODUCERS]
    if with_channels and any(not p.has_path for p in result.values()):
        channels = warm_channels(owner=owner)
        for paths in result.values():
            if not paths.has_path:
                paths.warm_channels = channels
    return result


def warm_channels(*, owner) -> list[tuple[str, int]]:
    """Which channels brought the user's warm and close contacts: one query."""
    rows = (
        Contact.objects.owned_by(owner)
        .filter(archived=False, warmth__in=WARM_OR_CLOSE)
        .values("channel")
        .annotate(n=Count("pk"))
        .order_by("-n", "channel")
    )
    counts = Counter({row["channel"]: row["n"] for row in rows})
    return [(Channel(c).label, n) for c, n in counts.most_common()]
