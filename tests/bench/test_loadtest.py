"""Load held at a real job seeker's volume: Locust against gunicorn, PostgreSQL and Redis.

The big account (tests/bench/seeding.py) is served by gunicorn (2 workers, DEBUG off) on
PostgreSQL with a private redis-server as broker and cache. Every simulated user is a signed-in
session of the big account (the worst case: every page at full volume), with its own share of
the account's open follow-ups. The mix: Today, contacts list, contact detail, board, name and
company search, the quick log POST (CSRF), follow-up done and snooze POSTs (htmx, from Today).

First an unloaded pass (one user, going round the same mix) gives each request type's unloaded
p95; then the loaded run (LOADTEST_USERS users, think time 0.5-1.5 s). The table compares the
two; the goal is 0 errors and every p95 ≤ 5x its unloaded p95. Errors fail the test; timings
are reported, not asserted (the machine is shared).

    make loadtest                    # 50 users, 5 minutes, the full account
    DATABASE_URL=postgres://… make bench PYTEST_ARGS=tests/bench/test_loadtest.py   # smoke run

The smoke run's defaults: 5 users for 20 s on a twentieth of the account.
"""

import json
import math
import os
import sys
import threading
import time
import urllib.request

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from apps.contacts.models import Contact, Organization
from apps.core.choices import Channel
from apps.interactions.models import Direction, Kind
from apps.reminders.models import FollowUp, FollowUpStatus
from tests.bench.ports import free_port
from tests.bench.seeding import big_account
from tests.support import processes
from tests.support.redis_server import PrivateRedis

pytestmark = [pytest.mark.bench, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

USERS = int(os.environ.get("LOADTEST_USERS", "5"))
SECONDS = int(os.environ.get("LOADTEST_SECONDS", "20"))
UNLOADED_SECONDS = int(os.environ.get("LOADTEST_UNLOADED_SECONDS", "20"))
SCALE = float(os.environ.get("LOADTEST_SCALE", "0.05"))
# One user at a time needs no think time to stay unloaded; a short one gives more samples.
UNLOADED_THINK = os.environ.get("LOADTEST_UNLOADED_THINK", "0.2,0.4")
THINK = "0.5,1.5"
GOAL_RATIO = 5
REQUEST_TYPES = [
    "Today",
    "contacts list",
    "contact detail",
    "board",
    "name search",
    "company search",
    "quick log POST",
    "done POST",
    "snooze POST",
]


def _session(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _plan(user, sessions: int) -> dict:
    contacts = list(
        Contact.objects.filter(owner=user).order_by("?").values_list("pk", "full_name")[:200]
    )
    companies = list(
        Organization.objects.filter(owner=user).order_by("?").values_list("name", flat=True)[:50]
    )
    open_ids = list(
        FollowUp.objects.filter(owner=user, status=FollowUpStatus.OPEN).values_list("pk", flat=True)
    )
    return {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "pages": {
            "today": reverse("reminders:today"),
            "contacts": reverse("contacts:list"),
            "board": reverse("opportunities:board"),
            "quick_log": reverse("interactions:new"),
        },
        "contact_ids": [pk for pk, _ in contacts],
        "contact_pages": [reverse("contacts:detail", kwargs={"pk": pk}) for pk, _ in contacts],
        "name_searches": [
            f"{reverse('contacts:list')}?q={name.replace(' ', '+')}" for _, name in contacts
        ],
        "company_searches": [
            f"{reverse('contacts:list')}?q={name.replace(' ', '+')}" for name in companies
        ],
        "quick_log": {
            "summary": "Coffee chat about the platform team",
            "kind": Kind.MEETING,
            "channel": Channel.LINKEDIN,
            "direction": Direction.OUTBOUND,
            "minutes": "30",
        },
        # Each session acts on its own follow-ups: two users never mark the same one done.
        "sessions": [
            {
                "session": _session(user),
                "followups": [
                    {
                        "done": reverse("reminders:followup_done", kwargs={"pk": pk}),
                        "snooze": reverse("reminders:followup_snooze", kwargs={"pk": pk}),
                    }
                    for pk in open_ids[i::sessions]
                ],
            }
            for i in range(sessions)
        ],
    }


def _swarm(tmp_path, label, base, plan, users, seconds, think, round_robin=False):
    """One Locust run, headless; returns {request type: (sorted ms samples, failures)}."""
    plan_file, samples_file = tmp_path / f"{label}-plan.json", tmp_path / f"{label}-samples.json"
    plan_file.write_text(json.dumps(plan))
    env = {
        **processes.process_env(),
        "LOADTEST_PLAN": str(plan_file),
        "LOADTEST_SAMPLES": str(samples_file),
        "LOADTEST_THINK": think,
        "LOADTEST_ROUND_ROBIN": "1" if round_robin else "0",
    }
    command = [
        sys.executable, "-m", "locust", "-f", str(processes.ROOT / "tests/bench/locustfile.py"),
        "--headless", f"--users={users}", f"--spawn-rate={max(1, users // 5)}",
        f"--run-time={seconds}s", f"--host={base}", "--only-summary", "--loglevel=WARNING",
        "--stop-timeout=10",
    ]  # fmt: skip
    log = settings.VAR_DIR / "logs" / f"loadtest-locust-{label}.log"
    with processes.running(command, env, log) as locust:
        try:
            locust.wait(timeout=seconds + 120)
        except Exception as exc:
            raise AssertionError(f"Locust ({label}) did not finish: see {log}") from exc
    assert samples_file.exists(), f"Locust ({label}) wrote no samples: see {log}"
    data = json.loads(samples_file.read_text())
    return {
        name: (sorted(data["samples"].get(name, [])), data["failures"].get(name, 0))
        for name in REQUEST_TYPES
    }


def _percentile(samples, fraction):
    return samples[max(0, math.ceil(len(samples) * fraction) - 1)] if samples else float("nan")


class LoadWatch:
    """The 1-minute load average every few seconds while a run goes on."""

    def __init__(self):
        self.values, self.stop = [], threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self):
        while not self.stop.wait(5):
            self.values.append(os.getloadavg()[0])

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *_):
        self.stop.set()
        self.thread.join()


def _alive(url) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback
            return True
    except OSError:
        return False


def _table(unloaded, loaded):
    lines = [
        f"{'request':16} {'count':>6} {'fail':>5} {'p50 ms':>8} {'p95 ms':>8}"
        f" {'unl. p50':>9} {'unl. p95':>9} {'÷ unl.':>7}  goal"
    ]
    met = True
    for name in REQUEST_TYPES:
        samples, failures = loaded[name]
        base_p95 = _percentile(unloaded[name][0], 0.95)
        p95 = _percentile(samples, 0.95)
        ratio = p95 / base_p95 if base_p95 else float("nan")
        ok = failures == 0 and unloaded[name][1] == 0 and ratio <= GOAL_RATIO
        met &= ok
        lines.append(
            f"{name:16} {len(samples):6} {failures:5} {_percentile(samples, 0.5):8.1f}"
            f" {p95:8.1f} {_percentile(unloaded[name][0], 0.5):9.1f} {base_p95:9.1f}"
            f" {ratio:7.1f}  {'ok' if ok else 'MISSED'}"
        )
    everything = sorted(s for samples, _ in loaded.values() for s in samples)
    failures = sum(f for _, f in loaded.values())
    lines.append(
        f"{'all':16} {len(everything):6} {failures:5} {_percentile(everything, 0.5):8.1f}"
        f" {_percentile(everything, 0.95):8.1f}   ({len(everything) / SECONDS:.1f} requests/s)"
    )
    return lines, met


def test_load_held_under_simulated_job_seekers(tmp_path):
    load_before = os.getloadavg()
    started = time.monotonic()
    user, _ = big_account(SCALE)
    seeded = time.monotonic() - started
    unloaded_plan = _plan(user, 1)
    loaded_plan = _plan(user, USERS)
    # The unloaded pass acts on follow-ups of its own, apart from the loaded run's.
    done_first = {f["done"] for f in unloaded_plan["sessions"][0]["followups"][:40]}
    unloaded_plan["sessions"][0]["followups"] = unloaded_plan["sessions"][0]["followups"][:40]
    for session in loaded_plan["sessions"]:
        session["followups"] = [f for f in session["followups"] if f["done"] not in done_first]
    redis = PrivateRedis(tmp_path)
    redis.port = free_port()  # within this benchmark's own range
    redis.start()
    try:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = processes.process_env(
            DEBUG="false",
            LOG_LEVEL="WARNING",
            SECURE_COOKIES="false",
            CELERY_BROKER_URL=redis.url(0),
            CACHE_URL=redis.url(1),
        )
        command = [
            sys.executable, "-m", "gunicorn", "config.wsgi", "--workers=2",
            f"--bind=127.0.0.1:{port}", "--no-control-socket", "--log-level=warning",
            "--timeout=120",
        ]  # fmt: skip
        log = settings.VAR_DIR / "logs" / "loadtest-gunicorn.log"
        with processes.running(command, env, log):
            health = base + reverse("account_login")
            processes.wait_for(lambda: _alive(health), timeout=60, message=f"gunicorn: see {log}")
            unloaded = _swarm(
                tmp_path, "unloaded", base, unloaded_plan, 1, UNLOADED_SECONDS, UNLOADED_THINK,
                round_robin=True,
            )  # fmt: skip
            with LoadWatch() as watch:
                loaded = _swarm(tmp_path, "loaded", base, loaded_plan, USERS, SECONDS, THINK)
            load_during = max(watch.values, default=os.getloadavg()[0])
    finally:
        redis.stop()
    load_after = os.getloadavg()
    lines, met = _table(unloaded, loaded)
    print(
        f"\nLoad test: {USERS} users for {SECONDS} s (think time {THINK} s) after an unloaded pass"
        f" of 1 user for {UNLOADED_SECONDS} s; gunicorn 2 workers, DEBUG off, PostgreSQL, private"
        f" Redis (broker and cache); account scale {SCALE:g} (seeded in {seeded:.0f} s)."
    )
    print("\n".join(lines))
    print(
        f"goal (0 errors, every p95 ≤ {GOAL_RATIO}× unloaded): {'met' if met else 'MISSED'}\n"
        f"load average before {load_before}, during (highest 1-min) {load_during:.2f},"
        f" after {load_after}"
    )
    for name in REQUEST_TYPES:
        assert unloaded[name][0] and loaded[name][0], f"no {name} request was made"
        assert unloaded[name][1] == 0 and loaded[name][1] == 0, f"{name} failed: see the logs"
