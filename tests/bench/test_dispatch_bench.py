"""Reminder dispatch at scale through a real SMTP server on loopback (aiosmtpd, own process).

N due follow-ups across N/10 users go through the product's path (one sweep inserts the
delivery rows, then each row is claimed, built and sent, as `send_due_reminders` does) beside a
bare smtplib loop sending N small messages to the same server in the same run. Reported:
throughput ratio (goal ≥ 50%), duplicates (goal 0) and p95 due → sent delay.

    BENCH_DISPATCH_N=100000 make bench PYTEST_ARGS=tests/bench/test_dispatch_bench.py
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
from django.db.models import F
from django.test import override_settings
from django.utils import timezone

from apps.accounts.models import User
from apps.contacts.models import Contact
from apps.reminders import services
from apps.reminders.models import Delivery, FollowUp
from config.env import mailer_from_url
from tests.support import processes
from tests.support.smtp import free_port

pytestmark = [pytest.mark.bench, pytest.mark.django_db(transaction=True)]

N = int(os.environ.get("BENCH_DISPATCH_N", "5000"))
PER_USER = 10


def _seed(due_at):
    users = User.objects.bulk_create(
        User(email=f"dispatch{i}@example.com", weekly_review_enabled=False)
        for i in range(N // PER_USER)
    )
    contacts = Contact.objects.bulk_create(
        Contact(owner=user, full_name=f"Contact of {user.email}") for user in users
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


def test_dispatch_throughput_against_a_bare_smtplib_loop(tmp_path):
    port = free_port()
    output = tmp_path / "smtp.json"
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "tests.bench.smtp_counter", str(port), str(output)],
        cwd=processes.ROOT,
        stdout=subprocess.PIPE,
    )
    try:
        assert server.stdout.readline().strip() == b"ready"
        bare = _bare_loop(port)
        due_at = timezone.now() - dt.timedelta(seconds=1)
        _seed(due_at)
        mailer = {"default": mailer_from_url(f"smtp://127.0.0.1:{port}?timeout=10")}
        with override_settings(MAILERS=mailer):
            started = time.perf_counter()
            ids = services.collect_due()
            outcomes = [services.deliver(delivery_id).status for delivery_id in ids]
            ours = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    counts = json.loads(output.read_text())
    delays = sorted(
        d.total_seconds() for d in Delivery.objects.annotate(delay=F("sent_at") - F("due_at"))
         .values_list("delay", flat=True) if d is not None
    )  # fmt: skip
    duplicates = sum(n - 1 for n in counts["deliveries"].values() if n > 1)
    p95 = delays[int(len(delays) * 0.95) - 1] if delays else float("nan")
    print(
        f"\nreminder dispatch, {N:,} due follow-ups across {N // PER_USER:,} users, loopback SMTP"
        f" (load average {os.getloadavg()}):\n"
        f"  bare smtplib loop {N / bare:,.0f} msg/s; ours {len(ids) / ours:,.0f} msg/s"
        f" = {(len(ids) / ours) / (N / bare):.0%} of bare (goal ≥ 50%)\n"
        f"  sent {outcomes.count('sent'):,}, server received {counts['messages'] - N:,} of ours,"
        f" duplicates {duplicates}; p95 due→sent {p95:.1f} s, median"
        f" {statistics.median(delays) if delays else float('nan'):.1f} s"
    )
    assert outcomes.count("sent") == N and duplicates == 0
