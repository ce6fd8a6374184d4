"""Reminder dispatch at scale through a real SMTP server on loopback (aiosmtpd, own process).

N due follow-ups across N/10 users, all due one second before the sweep, go through the
product's path with real processes: the sweep task (run here) inserts the delivery rows and
queues batched send tasks on a private Redis; a Celery worker (prefork, BENCH_DISPATCH_WORKERS
children, the reminders queue) claims, builds and sends each row over its kept SMTP
connection, while a real beat keeps sweeping (requeueing whatever waits past the lease).
Beside it, in the same run, a bare smtplib loop sends N small messages to the same server.

Reported: throughput ratio (goal ≥ 50% of the bare loop), duplicates the server received (goal
0) and the p95 delay from due to sent (goal: one sweep interval + 30 s).

    BENCH_DISPATCH_N=100000 DATABASE_URL=postgres://… make bench \
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


def _bare_loop(port) -> float:
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for i in range(N):
            message = EmailMessage()
            message["From"], message["To"] = "bench@localhost", f"user{i}@example.com"
            message["Subject"] = "Follow up"
            message.set_content("Follow up with your contact.")
            smtp.send_message(message)
    return time.perf_counter() - started


def _percentile(values, fraction):
    return values[max(0, int(len(values) * fraction) - 1)] if values else float("nan")


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
    try:
        assert server.stdout.readline().strip() == b"ready"
        bare = _bare_loop(smtp_port)
        load_bare = os.getloadavg()
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
            "dispatch", concurrency=WORKERS, queues=settings.REMINDER_QUEUE
        )
        beat = processes.celery_command(
            "beat", "--loglevel=WARNING", "-s", str(tmp_path / "beat-schedule")
        )
        due_at = timezone.now() - dt.timedelta(seconds=1)
        _seed(due_at)
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

            def all_sent():
                samples.append(os.getloadavg()[0])
                return not Delivery.objects.filter(sent_at=None).exists()

            with processes.running(beat, env, tmp_path / "beat.log"):
                processes.wait_for(all_sent, timeout=N / 20 + 120, interval=1, message="not sent")
                ours = time.perf_counter() - started
    finally:
        redis.stop()
        server.terminate()
        server.wait(timeout=60)
    load_after = os.getloadavg()
    counts = json.loads(output.read_text())
    times = list(Delivery.objects.values_list("due_at", "sent_at"))
    delays = sorted((sent - due).total_seconds() for due, sent in times)
    after_sweep = sorted((sent - sweep_started).total_seconds() for _, sent in times)
    duplicates = sum(n - 1 for n in counts["deliveries"].values() if n > 1)
    p95 = _percentile(delays, 0.95)
    goal_delay = SWEEP_SECONDS + 30
    ratio = (N / ours) / (N / bare)
    print(
        f"\nreminder dispatch, {N:,} due follow-ups across {N // PER_USER:,} users, loopback SMTP;"
        f" 1 worker x {WORKERS} prefork children, a beat every {SWEEP_SECONDS} s, private Redis:\n"
        f"  bare smtplib loop {N / bare:,.0f} msg/s; ours {N / ours:,.0f} msg/s (sweep of"
        f" {queued:,} rows {sweep:.1f} s, all sent {ours:.1f} s after it began)"
        f" = {ratio:.0%} of bare (goal ≥ 50%)\n"
        f"  server received {counts['messages'] - N:,} of ours, distinct deliveries"
        f" {len(counts['deliveries']):,}, duplicates {duplicates} (goal 0)\n"
        f"  due→sent p95 {p95:.1f} s, median {statistics.median(delays):.1f} s, max"
        f" {delays[-1]:.1f} s (goal ≤ {goal_delay} s: {'met' if p95 <= goal_delay else 'MISSED'});"
        f" sweep→sent p95 {_percentile(after_sweep, 0.95):.1f} s\n"
        f"  load average before {load_before}, after the bare loop {load_bare}, during the"
        f" dispatch (highest 1-min) {max(samples, default=float('nan')):.2f}, after {load_after}"
    )
    assert queued == N and len(counts["deliveries"]) == N and duplicates == 0
