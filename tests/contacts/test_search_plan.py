"""On PostgreSQL, searching contacts by name, company, title or email uses the trigram indexes:
EXPLAIN of every query the list page runs shows no sequential scan of contacts."""

import random
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.contacts.models import Contact, Organization

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

FIRST = [
    "Aiko",
    "Bruno",
    "Chloe",
    "Dmitri",
    "Elena",
    "Farid",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Keiko",
    "Liam",
    "Maya",
    "Nadia",
    "Omar",
    "Priya",
    "Quentin",
    "Rosa",
    "Sami",
    "Tara",
    "Umar",
    "Vera",
    "Wes",
    "Ximena",
    "Yusuf",
    "Zoe",
    "Anders",
    "Beatriz",
    "Chen",
    "Dario",
    "Emeka",
    "Fatima",
    "Goran",
    "Hana",
    "Ivan",
    "Jia",
    "Kofi",
    "Lena",
    "Mateo",
    "Nora",
]
LAST = [
    "Abara",
    "Berg",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ito",
    "Jansen",
    "Kowalski",
    "Lopez",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quinn",
    "Rossi",
    "Silva",
    "Tanaka",
    "Ueda",
    "Varga",
    "Weber",
    "Xu",
    "Yilmaz",
    "Zielinski",
    "Andersson",
    "Brennan",
    "Castillo",
    "Dimitrov",
]
LEVELS = ["Junior", "Senior", "Staff", "Principal", "Lead", "Head", "of", "Director", "of", "VP"]
ROLES = [
    "Engineering",
    "Design",
    "Product",
    "Data",
    "Recruiting",
    "Marketing",
    "Sales",
    "Finance",
    "Security",
    "Research",
    "Operations",
    "Support",
    "Analytics",
    "Platform",
    "Infrastructure",
]
NOTES = [
    "Met at the platform meetup; knows the hiring manager and offered to look at my CV.",
    "Former colleague from the data team, now leading analytics. Prefers email over calls.",
    "Spoke after the conference talk about observability; follow up with the article I promised.",
]


def _word(rng) -> str:
    syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "qui", "bra", "dor"]
    return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).title()


def _seed(owner, count, *, seed, orgs=150):
    """Realistic spread: varied names, titles (teams vary by company), domains and notes. The
    seed is fixed, not the owner's id, so the data (and so the plan) is the same in any run."""
    rng = random.Random(seed)
    companies = Organization.objects.bulk_create(
        Organization(owner=owner, name=f"{_word(rng)} {rng.choice(ROLES)} {i}") for i in range(orgs)
    )
    teams = [_word(rng) for _ in range(300)]
    rows = []
    for i in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        company = companies[i % orgs]
        domain = company.name.split()[0].lower()
        rows.append(
            Contact(
                owner=owner,
                full_name=f"{first} {last}",
                title=f"{rng.choice(LEVELS)} {rng.choice(ROLES)}, {rng.choice(teams)}",
                email=f"{first[0]}{last}{rng.randint(1, 999)}@{domain}.example".lower(),
                organization=company,
                notes=NOTES[i % len(NOTES)] if i % 3 else "",
            )
        )
    Contact.objects.bulk_create(rows, batch_size=1000)


def _plans(client, query):
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/contacts/", {"q": query}).status_code == 200
    plans = []
    with connection.cursor() as cursor:
        for entry in captured.captured_queries:
            sql = entry["sql"]
            if sql.startswith("SELECT") and "contacts_contact" in sql:
                cursor.execute("EXPLAIN " + sql)
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


# What people type: part of a name, a company, a title or an address, each matching a few rows.
QUERIES = {"quillfeather": 1, "quill labs": 1, "wrangler": 1, "zq@rare": 1}


def test_contact_search_uses_indexes_not_a_sequential_scan(client_for, user, other_user):
    # The volume: one account with 10,000 contacts beside another user's 2,000.
    _seed(user, 10_000, seed=1, orgs=500)
    _seed(other_user, 2000, seed=2)
    rare = Organization.objects.create(owner=user, name="Quill Labs")
    Contact.objects.create(owner=user, full_name="Zanzibar Quillfeather", organization=rare)
    Contact.objects.create(owner=user, full_name="Mo Rare", title="Chief wrangler")
    Contact.objects.create(owner=user, full_name="Zed Q", email="zq@rare.example")
    # What autovacuum does in production: statistics, and the GIN indexes' pending entries merged
    # (bulk inserts wait in a pending list that makes every index scan look expensive).
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM ANALYZE contacts_contact, contacts_organization, contacts_tag,"
            " contacts_contact_tags"
        )
    client = client_for(user)
    for query, found in QUERIES.items():
        plans = _plans(client, query)
        assert len(plans) >= 2  # the count and the page of rows
        for plan in plans:
            assert not re.search(r"Seq Scan on contacts_contact\b(?!_)", plan), (query, plan)
        body = client.get("/contacts/", {"q": query}).content.decode()
        assert f"{found} contact{'s' if found > 1 else ''} found" in body
