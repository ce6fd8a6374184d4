"""Reminder dispatch at scale through a real SMTP server on loopback (aiosmtpd, own process).

Two phases through the product's path with real processes: the sweep task inserts delivery rows
and queues batched send tasks on a private Redis; a Celery worker (prefork,
BENCH_DISPATCH_WORKERS children, the reminders queue) claims, builds and sends each row over its
kept SMTP connection, while a real beat keeps sweeping (re-queueing only rows whose task is gone).

1. All at once, for throughput: N due follow-ups across N/10 users, all due one second before
   the sweep. Beside it, in the same run, a bare smtplib loop sends small messages to the same
   server, once before and once after (the machine is shared: the slower of the two is not
   taken; each sends N, at most BENCH_DISPATCH_BARE_N, 20,000, by which its rate is steady).
   Reported: throughput ratio against the faster bare loop (goal ≥ 50%), duplicates the
   server received (goal 0), rows the beat re-queued, and the p95 delay from due to sent, which
   for a backlog sent all at once is the time to send 95% of it.
2. Due over a window, for the delay: BENCH_DISPATCH_SPREAD_SECONDS (300; 0 skips it) of
   follow-ups for the same users coming due evenly at BENCH_DISPATCH_SPREAD_RATE a second (by
   default a quarter of the throughput phase 1 measured), so that the p95 delay from due to sent
   (goal: one sweep interval + 30 s) measures the sweep, not a backlog.

    BENCH_DISPATCH_N=100000 BENCH_DISPATCH_WORKERS=4 DATABASE_URL=postgres://… make bench \
        PYTEST_ARGS=tests/bench/test_dispatch_bench.py
"""

import datetime as dt
import json
import os
import smtplib
import statistics
import subprocess
import sys
import time
from email.message import EmailMessage

import pytest
from django.conf import settings
from django.utils import timezone

from apps.accounts.models import User
from apps.contacts.models import Contact
from apps.reminders import tasks
from apps.reminders.models import Delivery, FollowUp
from tests.bench.ports import free_port
from tests.support import processes
from tests.support.redis_server import PrivateRedis, celery_broker

pytestmark = [
    pytest.mark.bench,
    pytest.mark.postgres,
    pytest.mark.real_worker,
    pytest.mark.django_db(transaction=True),
]

N = int(os.environ.get("BENCH_DISPATCH_N", "5000"))
WORKERS = int(os.environ.get("BENCH_DISPATCH_WORKERS", "2"))
SPREAD_SECONDS = int(os.environ.get("BENCH_DISPATCH_SPREAD_SECONDS", "300"))
SPREAD_RATE = float(os.environ.get("BENCH_DISPATCH_SPREAD_RATE", "0"))  # 0: phase 1's / 4
# The bare loop's rate is steady long before 100,000 sends: it sends at most this many.
BARE_N = min(N, int(os.environ.get("BENCH_DISPATCH_BARE_N", "20000")))
PER_USER = 10
SWEEP_SECONDS = 60


def _seed(due_at):
    users = User.objects.bulk_create(
        (
            User(email=f"dispatch{i}@example.com", weekly_review_enabled=False)
            for i in range(N // PER_USER)
        ),
        batch_size=5000,
    )
    contacts = Contact.objects.bulk_create(
        (Contact(owner=user, full_name=f"Contact of {user.email}") for user in users),
        batch_size=5000,
    )
    FollowUp.objects.bulk_create(
        (
            FollowUp(owner_id=contact.owner_id, contact=contact, due_at=due_at, note="Follow up")
            for contact in contacts
            for _ in range(PER_USER)
        ),
        batch_size=5000,
    )
    return contacts


def _seed_spread(contacts, count, start, seconds):
    """`count` more follow-ups for the same contacts, due evenly from `start` over `seconds`."""
    step = dt.timedelta(seconds=seconds / count)
    FollowUp.objects.bulk_create(
        (
            FollowUp(
                owner_id=contacts[i % len(contacts)].owner_id,
                contact=contacts[i % len(contacts)],
                due_at=start + i * step,
                note="Follow up",
            )
            for i in range(count)
        ),
        batch_size=5000,
    )


def _bare_loop(port) -> tuple[float, float]:
    """Messages a second of a bare smtplib loop, and the 1-minute load average after it."""
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for i in range(BARE_N):
            message = EmailMessage()
            message["From"], message["To"] = "bench@localhost", f"user{i}@example.com"
            message["Subject"] = "Follow up"
            message.set_content("Follow up with your contact.")
            smtp.send_message(message)
    return BARE_N / (time.perf_counter() - started), os.getloadavg()[0]


def _percentile(values, fraction):
    return values[max(0, int(len(values) * fraction) - 1)] if values else float("nan")


def _delays(rows):
    times = rows.values_list("due_at", "sent_at")
    return sorted((sent - due).total_seconds() for due, sent in times)


def _wait_until_sent(rows, timeout, samples):
    def all_sent():
        samples.append(os.getloadavg()[0])
        return not rows.filter(sent_at=None).exists()

    processes.wait_for(all_sent, timeout=timeout, interval=1, message="not sent")


def test_dispatch_throughput_against_a_bare_smtplib_loop(tmp_path):
    load_before = os.getloadavg()
    smtp_port = free_port()
    output = tmp_path / "smtp.json"
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "tests.bench.smtp_counter", str(smtp_port), str(output)],
        cwd=processes.ROOT,
        stdout=subprocess.PIPE,
    )
    redis = PrivateRedis(tmp_path)
    spread = None
    try:
        assert server.stdout.readline().strip() == b"ready"
        bare_before = _bare_loop(smtp_port)
        redis.port = free_port()
        redis.start()
        env = processes.process_env(
            CELERY_BROKER_URL=redis.url(0),
            EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}?timeout=10",
            REMINDER_SWEEP_SECONDS=str(SWEEP_SECONDS),
            LOG_LEVEL="WARNING",
        )
        worker_log = tmp_path / "worker.log"
        worker = processes.worker_command(
            "dispatch",
            concurrency=WORKERS,
            queues=f"{settings.SWEEP_QUEUE},{settings.REMINDER_QUEUE}",
        )
        beat = processes.celery_command(
            "beat", "--loglevel=WARNING", "-s", str(tmp_path / "beat-schedule")
        )
        contacts = _seed(timezone.now() - dt.timedelta(seconds=1))
        with processes.running(worker, env, worker_log):
            processes.wait_for(
                lambda: b"ready" in worker_log.read_bytes(), timeout=60, message="worker"
            )
            due_at = timezone.now() - dt.timedelta(seconds=1)
            FollowUp.objects.update(due_at=due_at)  # due just now, whatever seeding took
            started = time.perf_counter()
            sweep_started = timezone.now()
            with celery_broker(redis.url(0)):
                queued = tasks.sweep_due_reminders.apply().get()
            sweep = time.perf_counter() - started
            samples = []
            with processes.running(beat, env, tmp_path / "beat.log"):
                phase1 = Delivery.objects.all()
                _wait_until_sent(phase1, N / 20 + 120, samples)
                ours = time.perf_counter() - started
                # Rows the beat queued again after the sweep (their task taken for lost).
                requeued = phase1.filter(queued_at__gt=sweep_started + dt.timedelta(seconds=5))
                requeued = requeued.count()
                delays = _delays(phase1)
                phase1_ids = set(phase1.values_list("pk", flat=True))
                bare_after = _bare_loop(smtp_port)
                if SPREAD_SECONDS:
                    rate = SPREAD_RATE or round(N / ours / 4, 1)
                    count = max(1, int(rate * SPREAD_SECONDS))
                    start = timezone.now() + dt.timedelta(seconds=5)
                    _seed_spread(contacts, count, start, SPREAD_SECONDS)
                    time.sleep(SPREAD_SECONDS)
                    phase2 = Delivery.objects.exclude(pk__in=phase1_ids)
                    processes.wait_for(
                        lambda: phase2.filter(sent_at__isnull=False).count() >= count,
                        timeout=SWEEP_SECONDS * 3 + count / 10,
                        interval=1,
                        message="phase 2 not sent",
                    )
                    spread = (rate, count, _delays(phase2), os.getloadavg()[0])
    finally:
        redis.stop()
        server.terminate()
        server.wait(timeout=60)
    load_after = os.getloadavg()
    counts = json.loads(output.read_text())
    ours_phase1 = {pk: n for pk, n in counts["deliveries"].items() if int(pk) in phase1_ids}
    duplicates = sum(n - 1 for n in counts["deliveries"].values() if n > 1)
    goal_delay = SWEEP_SECONDS + 30
    rate = N / ours
    bare = max(bare_before[0], bare_after[0])
    ratio = rate / bare
    p95 = _percentile(delays, 0.95)
    lines = [
        f"\nreminder dispatch, {N:,} due follow-ups across {N // PER_USER:,} users, loopback SMTP;"
        f" 1 worker x {WORKERS} prefork children, a beat every {SWEEP_SECONDS} s, private Redis",
        f"  1. all due at once: ours {rate:,.0f} msg/s (sweep of {queued:,} rows {sweep:.1f} s, all"
        f" sent {ours:.1f} s after it began); bare smtplib loop of {BARE_N:,}"
        f" {bare_before[0]:,.0f} msg/s"
        f" before (load {bare_before[1]:.2f}), {bare_after[0]:,.0f} after (load"
        f" {bare_after[1]:.2f}): {ratio:.0%} of the faster (goal ≥ 50%:"
        f" {'met' if ratio >= 0.5 else 'MISSED'})",
        f"     server received {len(ours_phase1):,} distinct of {N:,}, duplicates in the run"
        f" {duplicates} (goal 0); rows the beat re-queued {requeued:,}",
        f"     due→sent p95 {p95:.1f} s, median {statistics.median(delays):.1f} s, max"
        f" {delays[-1]:.1f} s: the backlog's own drain time (goal ≤ {goal_delay} s:"
        f" {'met' if p95 <= goal_delay else 'missed'} for a backlog of {N:,} at once)",
        f"     load average before {_load(load_before)}, highest 1-min during the dispatch"
        f" {max(samples, default=float('nan')):.2f}",
    ]
    if spread is not None:
        rate2, count, delays2, load2 = spread
        p95_2 = _percentile(delays2, 0.95)
        lines.append(
            f"  2. due over a window: {count:,} follow-ups due evenly over {SPREAD_SECONDS} s"
            f" ({rate2:g}/s{'' if SPREAD_RATE else ', a quarter of phase 1'}): due→sent p95"
            f" {p95_2:.1f} s, median {statistics.median(delays2):.1f} s, max {delays2[-1]:.1f} s"
            f" (goal ≤ {goal_delay} s: {'met' if p95_2 <= goal_delay else 'MISSED'}); load"
            f" {load2:.2f} at its end"
        )
    lines.append(f"  load average after {_load(load_after)}")
    print("\n".join(lines))
    assert queued == N and len(ours_phase1) == N and duplicates == 0
    if spread is not None:
        assert len(counts["deliveries"]) == N + spread[1]


def _load(load):
    return " ".join(f"{value:.2f}" for value in load)
