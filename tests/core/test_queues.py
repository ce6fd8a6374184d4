"""Reminder sends have their own queue: a backlog of bulk work never delays a due reminder."""

import datetime as dt
import uuid

import pytest
from django.conf import settings
from django.utils import timezone

from apps.reminders import services, tasks
from config.celery import app as celery_app
from tests import factories
from tests.support import processes
from tests.support.redis_server import celery_broker, private_redis
from tests.support.smtp import smtp_sink


def _queue(task_name: str) -> str:
    return celery_app.amqp.router.route({}, task_name)["queue"].name


def test_reminder_tasks_go_to_the_reminders_queue_and_bulk_work_elsewhere():
    assert _queue("apps.reminders.tasks.send_delivery") == "reminders"
    # The sweep has a queue of its own, which the reminders workers also read.
    assert _queue("apps.reminders.tasks.sweep_due_reminders") == "sweep"
    for bulk in (
        "apps.portability.tasks.run_import",
        "apps.portability.tasks.analyze_import",
        "apps.core.tasks.write_marker",
    ):
        assert _queue(bulk) == "bulk"
    # Every task the app knows is routed to a queue some worker consumes.
    queues = {settings.SWEEP_QUEUE, settings.REMINDER_QUEUE, settings.BULK_QUEUE}
    for name in celery_app.tasks:
        if name.startswith("apps."):
            assert _queue(name) in queues, name


@pytest.mark.real_worker
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_reminders_worker_sends_while_the_bulk_queue_is_backed_up(tmp_path):
    from apps.core.tasks import write_marker

    # A backlog on the bulk queue that no worker is free to take.
    backlog = [f"bulk-{uuid.uuid4().hex}.txt" for _ in range(50)]
    for name in backlog:
        write_marker.delay(name, "bulk")
    user = factories.UserFactory(weekly_review_enabled=False)
    factories.FollowUpFactory(owner=user, due_at=timezone.now() - dt.timedelta(minutes=1))
    with smtp_sink() as sink:
        env = processes.process_env(EMAIL_URL=sink.url)
        log = settings.VAR_DIR / "logs" / "reminders-only.log"
        command = processes.worker_command("reminders-only", queues="reminders")
        with processes.running(command, env, log):
            from apps.reminders.tasks import send_delivery

            for delivery_id in services.collect_due():
                send_delivery.delay(delivery_id)
            processes.wait_for(lambda: sink.recorder.count == 1, timeout=60, message=str(log))
    markers = settings.VAR_DIR / "markers"
    assert not any((markers / name).exists() for name in backlog)
    # The bulk work is still queued for a bulk worker; drop it so the next test starts clean.
    with celery_app.connection_for_write() as connection:
        connection.default_channel.queue_purge(settings.BULK_QUEUE)


@pytest.mark.real_worker
@pytest.mark.redis
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_sweep_runs_before_a_backlog_of_sends_drains(tmp_path):
    """On one queue the sweep would wait for every send queued before it (first in, first out);
    on its own it is taken in turn with them, so what comes due meanwhile is still found."""
    backlog = 400
    with private_redis(tmp_path) as server, celery_broker(server.url()):
        for n in range(backlog):
            tasks.send_deliveries.delay([10_000_000 + n])  # rows that do not exist: no-ops
        tasks.sweep_due_reminders.delay()
        log = tmp_path / "sweep-turn.log"  # this run's own: worker logs are appended to
        env = processes.process_env(CELERY_BROKER_URL=server.url())
        command = processes.worker_command(
            "sweep-turn", queues=f"{settings.SWEEP_QUEUE},{settings.REMINDER_QUEUE}"
        )
        with processes.running(command, env, log):
            processes.wait_for(
                lambda: (
                    "sweep_due_reminders" in log.read_text()
                    and log.read_text().count("send_deliveries") >= backlog
                ),
                timeout=120,
                message=str(log),
            )
        done = [line for line in log.read_text().splitlines() if "succeeded" in line]
    sweep_at = next(i for i, line in enumerate(done) if "sweep_due_reminders" in line)
    assert sweep_at < backlog // 4, f"the sweep ran after {sweep_at} of {backlog} sends"
