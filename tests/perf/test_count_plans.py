"""On PostgreSQL, the conversations list's totals and the contacts list's count read narrow
indexes, never the tables' rows: EXPLAIN of every query those pages run on the two tables shows
no sequential scan, and the figures stay exact."""

import datetime as dt
import random
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.contacts.models import Contact, Organization
from apps.core.choices import Channel
from apps.interactions.models import LOW_WEIGHT_KINDS, Interaction, Kind
from tests import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def _seed(owner, *, contacts, interactions, seed):
    rng = random.Random(seed)
    now = timezone.now()
    orgs = Organization.objects.bulk_create(
        Organization(owner=owner, name=f"Company {i}") for i in range(contacts // 20)
    )
    Contact.objects.bulk_create(
        (
            Contact(
                owner=owner,
                full_name=f"Contact {i}",
                organization=rng.choice(orgs),
                archived=i % 10 == 0,
                notes="Met at the platform meetup; knows the hiring manager." if i % 3 else "",
            )
            for i in range(contacts)
        ),
        batch_size=2000,
    )
    Interaction.objects.bulk_create(
        (
            Interaction(
                owner=owner,
                occurred_at=now - dt.timedelta(hours=rng.random() * 24 * 400),
                channel=rng.choice(Channel.values),
                kind=rng.choice(Kind.values),
                minutes=rng.choice([0, 5, 15, 30, 60]),
                asked_referral=rng.random() < 0.1,
                summary="Coffee chat about the platform team and what they hire for next",
            )
            for _ in range(interactions)
        ),
        batch_size=5000,
    )


def _plans(client, url, table):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200
    plans = {}
    with connection.cursor() as cursor:
        for entry in captured.captured_queries:
            sql = entry["sql"]
            if sql.startswith("SELECT") and f'FROM "{table}"' in sql:
                cursor.execute("EXPLAIN " + sql)
                plans[sql] = "\n".join(row[0] for row in cursor.fetchall())
    return response, plans


def test_totals_and_counts_read_indexes_not_every_row(client_for):
    # The shape: one big account beside another user's smaller one.
    user, other = factories.UserFactory(), factories.UserFactory()
    _seed(user, contacts=10_000, interactions=30_000, seed=1)
    _seed(other, contacts=2_000, interactions=5_000, seed=2)
    # What autovacuum does in production: statistics and the visibility map that lets a count
    # be answered from the index alone.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE contacts_contact, interactions_interaction")
    client = client_for(user)

    response, plans = _plans(client, reverse("interactions:list"), "interactions_interaction")
    totals = [sql for sql in plans if "SUM(" in sql]
    assert len(totals) == 1, plans.keys()
    for sql, plan in plans.items():
        assert not re.search(r"Seq Scan on interactions_interaction\b", plan), (sql, plan)
    assert "Index Only Scan" in plans[totals[0]], plans[totals[0]]
    mine = Interaction.objects.filter(owner=user)
    expected = response.context["totals"]
    assert expected["count"] == mine.count() == 30_000
    assert expected["minutes"] == sum(mine.values_list("minutes", flat=True))
    assert expected["light_touches"] == mine.filter(kind__in=LOW_WEIGHT_KINDS).count()
    assert expected["referral_asks"] == mine.filter(asked_referral=True).count()

    response, plans = _plans(client, reverse("contacts:list"), "contacts_contact")
    counts = [sql for sql in plans if sql.startswith('SELECT COUNT(*) AS "__count"')]
    assert len(counts) == 1, plans.keys()
    for sql, plan in plans.items():
        assert not re.search(r"Seq Scan on contacts_contact\b(?!_)", plan), (sql, plan)
    assert "Index Only Scan" in plans[counts[0]], plans[counts[0]]
    assert response.context["page"].paginator.count == 9_000  # every tenth is archived
