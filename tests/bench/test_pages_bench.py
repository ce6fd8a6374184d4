"""Every page at a real job seeker's volume, served by gunicorn beside a hello-world view.

One account with 10,000 contacts, 50,000 conversations, 500 opportunities and about 5,000
follow-ups (about 1,250 overdue), beside another user's 2,000 contacts. gunicorn runs 2 workers
with DEBUG off. For each page: p50 one request at a time and throughput at concurrency 8, both
as ratios to the hello view measured in the same run, and the HTML size. Reported, not asserted:
timings depend on the machine; the ratios are what compares runs.

    DATABASE_URL=postgres://… make bench PYTEST_ARGS=tests/bench/test_pages_bench.py
    make bench PYTEST_ARGS=tests/bench/test_pages_bench.py      # SQLite
"""

import os
import statistics
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from apps.core import planner
from tests.bench.seeding import big_account
from tests.support import processes
from tests.support.smtp import free_port

pytestmark = [pytest.mark.bench, pytest.mark.django_db(transaction=True)]

SEQUENTIAL = int(os.environ.get("BENCH_SEQUENTIAL", "25"))
CONCURRENT = int(os.environ.get("BENCH_CONCURRENT", "64"))
# BENCH_SCALE=0.02 makes a quick smoke run of the whole harness.
SCALE = float(os.environ.get("BENCH_SCALE", "1"))
# BENCH_PAGES="Today,board" measures only those (beside hello).
PAGES = {name for name in os.environ.get("BENCH_PAGES", "").split(",") if name}
GOAL_RATIO = 25
GOAL_HTML_KB = 150


def _get(url, cookie):
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback
        body = response.read()
        assert response.status == 200, url
    return (time.perf_counter() - started) * 1000, len(body)


def _measure(url, cookie):
    _get(url, cookie)  # warm both workers' caches and connections
    _get(url, cookie)
    timings = []
    for _ in range(SEQUENTIAL):
        ms, size = _get(url, cookie)
        timings.append(ms)
    started = time.perf_counter()
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda _: _get(url, cookie), range(CONCURRENT)))
    throughput = CONCURRENT / (time.perf_counter() - started)
    return statistics.median(timings), throughput, size


def test_pages_against_hello_world():
    user, contact = big_account(SCALE)
    # The seed arrives all at once, like an import; an import (and the hourly beat) then gathers
    # SQLite's planner statistics. A no-op on PostgreSQL.
    planner.refresh_statistics()
    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    port = free_port()
    env = processes.process_env(
        DJANGO_SETTINGS_MODULE="tests.bench.bench_settings", DEBUG="false", LOG_LEVEL="WARNING"
    )
    command = [
        sys.executable, "-m", "gunicorn", "config.wsgi", "--workers=2",
        f"--bind=127.0.0.1:{port}", "--no-control-socket", "--log-level=warning",
        "--timeout=300",  # a slow page on a busy machine is a figure, not a killed worker
    ]  # fmt: skip
    log = settings.VAR_DIR / "logs" / "bench-gunicorn.log"
    base = f"http://127.0.0.1:{port}"
    organization = contact.organization.name
    pages = {
        "hello": "/bench/hello/",
        "Today": "/",
        "overdue list": "/followups/?status=overdue",
        "board": "/opportunities/",
        "contacts list": "/contacts/",
        "name search": f"/contacts/?q={contact.full_name.split()[-1]}",
        "company search": f"/contacts/?q={organization.replace(' ', '+')}",
        "interactions": "/interactions/",
        "contact detail": f"/contacts/{contact.pk}/",
        "log (no JS)": "/interactions/new/",
        "Insights": "/insights/",
    }
    if connection.vendor == "sqlite":
        # Insights' speed is its own issue's; on SQLite at full volume it outlasts the client.
        del pages["Insights"]
        print("\nInsights skipped on SQLite: its speed is measured by its own issue's benchmark")
    if PAGES:
        pages = {name: path for name, path in pages.items() if name in PAGES or name == "hello"}
    with processes.running(command, env, log):
        processes.wait_for(lambda: _alive(base), timeout=60, message=f"gunicorn: see {log}")
        results = {}
        for name, path in pages.items():
            results[name] = _measure(base + path, cookie)
            print(f"  measured {name}: p50 {results[name][0]:.1f} ms", flush=True)
    hello_p50, hello_rps, _ = results["hello"]
    print(f"\n{connection.vendor}: gunicorn 2 workers, {SEQUENTIAL} sequential + {CONCURRENT}")
    print(f"requests at concurrency 8 per page; load average {os.getloadavg()}")
    header = ("page", "p50 ms", "× hello", "req/s @8", "hello/page", "HTML KB")
    print("{:16} {:>8} {:>8} {:>9} {:>10} {:>8}".format(*header))
    for name, (p50, rps, size) in results.items():
        goal = (
            ""
            if name in ("hello", "Insights")
            else (
                " ok"
                if p50 / hello_p50 <= GOAL_RATIO and size / 1024 <= GOAL_HTML_KB
                else " MISSED"
            )
        )
        print(
            f"{name:16} {p50:8.1f} {p50 / hello_p50:8.1f} {rps:9.1f} {hello_rps / rps:10.1f}"
            f" {size / 1024:8.1f}{goal}"
        )


def _alive(base) -> bool:
    try:
        with urllib.request.urlopen(base + "/bench/hello/", timeout=2):  # noqa: S310
            return True
    except OSError:
        return False
