"""Delivery guarantees against real beat and worker processes, PostgreSQL, Redis and SMTP.

Run: DATABASE_URL=postgres://… CELERY_BROKER_URL=redis://…/N pytest tests/reminders -m slow
"""

import datetime as dt
import os
import signal
import time

import pytest
import redis
from django.conf import settings
from django.utils import timezone

from apps.reminders import tasks
from apps.reminders.models import Delivery, FollowUp
from tests import factories
from tests.support.processes import (
    celery_command,
    process_env,
    running,
    wait_for,
    worker_command,
)
from tests.support.smtp import Sink

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.real_worker,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

LEASE = "3"


@pytest.fixture
def sink():
    sink = Sink().start()
    yield sink
    sink.stop()


@pytest.fixture
def logs(tmp_path):
    return tmp_path


@pytest.fixture(autouse=True)
def _empty_queue():
    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()  # our own db number only
    yield
    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()


def env_for(sink, **extra):
    return process_env(
        EMAIL_URL=sink.url,
        REMINDER_SWEEP_SECONDS="1",
        REMINDER_LEASE_SECONDS=LEASE,
        REMINDER_RETRY_BASE_SECONDS="0.5",
        REMINDER_RETRY_MAX_SECONDS="4",
        REMINDER_MAX_ATTEMPTS="12",
        LOG_LEVEL="WARNING",
        **extra,
    )


def beat(logs, name, env):
    return running(
        celery_command(
            "beat",
            "--loglevel=WARNING",
            "-s",
            str(logs / f"{name}-schedule"),
            "--pidfile",
            str(logs / f"{name}.pid"),
        ),
        env,
        logs / f"{name}.log",
    )


def worker(logs, name, env, concurrency=1):
    return running(worker_command(name, concurrency=concurrency), env, logs / f"{name}.log")


def make_due(count, *, minutes_ago=1):
    user = factories.UserFactory(weekly_review_enabled=False)
    contact = factories.ContactFactory(owner=user)
    due = timezone.now() - dt.timedelta(minutes=minutes_ago)
    FollowUp.objects.bulk_create(
        FollowUp(owner=user, contact=contact, due_at=due) for _ in range(count)
    )
    return user


def assert_exactly_once(sink, count):
    ids = sink.recorder.delivery_ids()
    assert len(ids) == count, f"{len(ids)} distinct deliveries received, expected {count}"
    assert max(ids.values()) == 1, f"duplicates: {[k for k, v in ids.items() if v > 1][:5]}"
    assert Delivery.objects.filter(status="sent").count() == count


def test_two_beats_and_four_workers_send_a_thousand_reminders_exactly_once(sink, logs, capsys):
    make_due(1000)
    env = env_for(sink)
    started = time.monotonic()
    with (
        beat(logs, "beat-a", env),
        beat(logs, "beat-b", env),
        worker(logs, "w1", env),
        worker(logs, "w2", env),
        worker(logs, "w3", env),
        worker(logs, "w4", env),
    ):
        wait_for(
            lambda: sink.recorder.count >= 1000,
            timeout=150,
            interval=0.5,
            message=f"only {sink.recorder.count} of 1000 arrived",
        )
        elapsed = time.monotonic() - started
        time.sleep(3)  # a few more sweeps from both beats: nothing more may arrive
    assert sink.recorder.count == 1000
    assert_exactly_once(sink, 1000)
    with capsys.disabled():
        print(f"\n1,000 reminders delivered in {elapsed:.1f}s (2 beats, 4 workers)")


def test_a_worker_killed_mid_send_is_made_good_after_restart(sink, logs):
    make_due(60)
    env = env_for(sink)
    sink.recorder.block_at = 20  # the 20th message hangs in DATA: the worker is mid-send
    with beat(logs, "beat", env):
        with worker(logs, "victim", env) as victim:
            assert sink.recorder.blocked.wait(60), "the worker never reached message 20"
            os.killpg(victim.pid, signal.SIGKILL)
            victim.wait(10)
        time.sleep(0.5)  # let the server notice the dropped connection before answering
        sink.release()
        time.sleep(1)
        assert sink.recorder.count == 19  # the interrupted message was never acknowledged
        with worker(logs, "restarted", env):
            wait_for(
                lambda: Delivery.objects.filter(status="sent").count() == 60,
                timeout=90,
                message="not everything was delivered after the restart",
            )
            time.sleep(2)
    assert_exactly_once(sink, 60)


def test_smtp_down_then_up_delivers_everything_after_it_returns(logs):
    sink = Sink()  # chosen port, nothing listening yet
    make_due(30)
    env = env_for(sink)
    try:
        with beat(logs, "beat", env), worker(logs, "w1", env), worker(logs, "w2", env):
            wait_for(
                lambda: Delivery.objects.filter(attempts__gte=2).count() == 30,
                timeout=60,
                message="sends were not retried while SMTP was down",
            )
            assert not Delivery.objects.filter(status="sent").exists()
            sink.start()
            wait_for(
                lambda: Delivery.objects.filter(status="sent").count() == 30,
                timeout=90,
                message="not everything arrived after SMTP came back",
            )
        # Every row failed at least once before SMTP came back, then was sent. (A second attempt
        # already claimed when the sink starts may be the one that succeeds, so not ">= 3".)
        assert Delivery.objects.filter(attempts__gte=2).count() == 30
        assert_exactly_once(sink, 30)
    finally:
        sink.stop()


def test_a_flushed_redis_loses_no_reminder(sink, logs):
    make_due(40)
    env = env_for(sink)
    # A sweep (run here, in-process) queues the sends in Redis; Redis then loses them all.
    tasks.sweep_due_reminders.apply()
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    # The 40 rows went out as batched send tasks: one task per SEND_BATCH rows.
    assert client.llen(settings.REMINDER_QUEUE) == -(-40 // tasks.SEND_BATCH)
    client.flushdb()
    assert not Delivery.objects.filter(status="sent").exists()
    with beat(logs, "beat2", env), worker(logs, "w1", env), worker(logs, "w2", env):
        wait_for(
            lambda: Delivery.objects.filter(status="sent").count() == 40,
            timeout=60,
            message="reminders lost with the Redis flush were not re-queued",
        )
        time.sleep(2)
    assert_exactly_once(sink, 40)
