"""Insights on a large account, on PostgreSQL: a report of server time, SQL share and size.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/followthrough_insights make bench \
     PYTEST_ARGS=tests/bench/test_insights_bench.py

It prints, for the all-time and 90-day pages in both attribution views, the median over RUNS
requests, the SQL time inside it, the query count and the HTML size, and the same median for a
signed-in hello-world view measured in the same run, with the machine's load average: a ratio to
hello-world stays comparable on a busy machine. Nothing here is a timed assertion; the target is
a 100 ms median for the all-time page.

Each page is measured twice: *fresh*, computed on every request (as after any write to the
account), and *kept*, served from its snapshot while nothing changed (apps/insights/snapshots.py).
"""

import os
import statistics
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.insights.generate import populate

pytestmark = [pytest.mark.bench, pytest.mark.postgres, pytest.mark.django_db]

RUNS = 15
TARGET_MS = 100
HTML_LIMIT = 150 * 1024


def _measure(client, url, *, fresh):
    client.get(url)  # warm caches and connections
    timings, sql_ms, counts = [], [], set()
    for _ in range(RUNS):
        if fresh:
            cache.clear()  # the bench's own local-memory cache
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, url
        sql_ms.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
        counts.add(len(queries))
    return {
        "median": statistics.median(timings),
        "min": min(timings),
        "max": max(timings),
        "sql": statistics.median(sql_ms),
        "queries": counts,
        "bytes": len(response.content),
        "slowest": sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:6],
    }


@pytest.mark.urls("tests.bench.hello_urls")
def test_insights_report_for_a_large_account(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.INSIGHTS_SNAPSHOT_SECONDS = 300
    user = factories.UserFactory(timezone="Europe/Berlin")
    populate(user, contacts=5_000, interactions=50_000, opportunities=500, seed=42)
    # Someone else's rows share the tables, as in production.
    populate(factories.UserFactory(), contacts=2_000, interactions=20_000, opportunities=200)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client = Client()
    client.force_login(user)
    hello = _measure(client, "/bench-hello/", fresh=False)
    load = ", ".join(f"{n:.2f}" for n in os.getloadavg())
    print(f"\nload average {load}; hello-world median {hello['median']:.1f} ms")
    for url in (
        "/insights/?range=all",
        "/insights/?range=90d",
        "/insights/?range=all&view=first",
        "/insights/?range=90d&view=first",
    ):
        for fresh in (True, False):
            m = _measure(client, url, fresh=fresh)
            print(
                f"{url} {'fresh' if fresh else 'kept '}: median {m['median']:.1f} ms "
                f"(min {m['min']:.1f}, max {m['max']:.1f}) over {RUNS} runs, "
                f"{m['median'] / hello['median']:.1f}× hello-world; "
                f"SQL {m['sql']:.1f} ms ({m['sql'] * 100 / m['median']:.0f}%), "
                f"{sorted(m['queries'])} queries, {m['bytes'] / 1024:.1f} KB"
                f"{'' if m['median'] <= TARGET_MS else f' — over the {TARGET_MS} ms target'}"
            )
            if fresh:
                for query in m["slowest"]:
                    print(f"  {float(query['time']) * 1000:.1f} ms  {query['sql'][:90]!r}")
            # Not timings: the query count is fixed and the page stays small.
            assert len(m["queries"]) == 1, url
            assert m["bytes"] <= HTML_LIMIT, url
