"""On SQLite, "people met" looks up each candidate's own earlier conversations, whether or not
the database has planner statistics: the plan's correlated subquery searches the links by
contact, never the owner-and-time index (which took 15 s on a 10,000-contact account)."""

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from apps.insights.reports.met import met_between

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
        reason="SQLite only: PostgreSQL plans the same query by its statistics",
    ),
]


def _plan(queryset) -> list[str]:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return [row[-1] for row in cursor.fetchall()]


@pytest.mark.parametrize("analyzed", [False, True])
def test_earlier_conversations_are_looked_up_per_contact(user, analyzed):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if analyzed else "DELETE FROM sqlite_stat1")
    end = timezone.now()
    plan = _plan(met_between(user, end - dt.timedelta(days=7), end))
    correlated = plan[next(i for i, line in enumerate(plan) if "CORRELATED" in line) :]
    searches = [line for line in correlated if line.startswith("SEARCH")]
    assert "contact_id=?" in searches[0], plan
    assert not any("occurred_at" in line for line in searches), plan
