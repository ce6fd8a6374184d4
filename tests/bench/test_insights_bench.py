"""Insights on a large account, on PostgreSQL: server time and query count.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/ft_insights \
     .venv/bin/pytest tests/bench/test_insights_bench.py -m bench -s
"""

import statistics
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.insights.generate import populate

pytestmark = [pytest.mark.bench, pytest.mark.postgres, pytest.mark.django_db]

RUNS = 15
BUDGET_MS = 300


def test_insights_renders_under_300_ms_for_a_large_account():
    user = factories.UserFactory(timezone="Europe/Berlin")
    populate(user, contacts=5_000, interactions=50_000, opportunities=500, seed=42)
    # Someone else's rows share the tables, as in production.
    populate(factories.UserFactory(), contacts=2_000, interactions=20_000, opportunities=200)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client = Client()
    client.force_login(user)
    for preset in ("90d", "all"):
        url = f"/insights/?range={preset}"
        client.get(url)  # warm caches and connections
        timings, sql_ms = [], []
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            sql_ms.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
            assert response.status_code == 200
        median = statistics.median(timings)
        print(
            f"\n{url}: median {median:.1f} ms over {RUNS} runs "
            f"(min {min(timings):.1f}, max {max(timings):.1f}), {len(queries)} queries, "
            f"median SQL time {statistics.median(sql_ms):.1f} ms"
        )
        slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:8]
        for query in slowest:
            print(f"  {float(query['time']) * 1000:.1f} ms  {query['sql'][:90]!r}")
        assert median < BUDGET_MS
