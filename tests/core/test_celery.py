import uuid

import pytest
from django.conf import settings
from django.db import transaction

from apps.core.tasks import write_marker
from config.celery import app as celery_app
from tests.support import processes


def test_the_marker_task_writes_only_inside_its_folder():
    for name in ("../escape.txt", "/etc/passwd", ".."):
        with pytest.raises(ValueError):
            write_marker.run(name, "x")


def test_the_app_is_json_only_with_late_acks():
    conf = celery_app.conf
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert "sweep-due-reminders" in conf.beat_schedule
    assert "apps.core.tasks.write_marker" in celery_app.tasks


@pytest.mark.django_db(transaction=True)
def test_a_task_queued_in_a_transaction_that_rolls_back_never_runs(tmp_path, monkeypatch):
    sent = []
    monkeypatch.setattr(write_marker, "apply_async", lambda *a, **kw: sent.append((a, kw)))
    marker = "rollback-marker.txt"

    with pytest.raises(RuntimeError), transaction.atomic():
        write_marker.delay_on_commit(marker, "rolled back")
        raise RuntimeError("the write failed")
    assert sent == []

    with transaction.atomic():
        write_marker.delay_on_commit(marker, "committed")
        assert sent == []  # not before the commit
    assert len(sent) == 1


def run_through_a_real_worker(tmp_path, name: str) -> None:
    text = uuid.uuid4().hex
    marker = settings.VAR_DIR / "markers" / f"{name}-{text}.txt"
    log = settings.VAR_DIR / "logs" / f"{name}.log"
    with processes.running(processes.worker_command(name), processes.process_env(), log):
        write_marker.delay(marker.name, text)
        processes.wait_for(marker.exists, timeout=60, message=f"no worker ran the task: see {log}")
    assert marker.read_text() == text


@pytest.mark.real_worker
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_consumes_the_configured_broker(tmp_path):
    """The filesystem broker by default; Redis when CELERY_BROKER_URL points at it."""
    run_through_a_real_worker(tmp_path, "core-worker")


@pytest.mark.redis
@pytest.mark.real_worker
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_consumes_redis(tmp_path):
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    run_through_a_real_worker(tmp_path, "core-redis-worker")
