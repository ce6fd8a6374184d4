"""An import uploaded while the broker is down (or frozen) is saved, says it is queued, and
completes once the broker is back and the beat sweep has queued it again."""

import datetime as dt
import time

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from apps.contacts.models import Contact
from apps.portability import tasks
from apps.portability.models import ImportJob, ImportStatus
from tests.factories import UserFactory
from tests.portability.conftest import load
from tests.support import processes
from tests.support.redis_server import celery_broker, private_redis

pytestmark = [pytest.mark.real_worker, pytest.mark.slow]


def status_of(job_id):
    return ImportJob.objects.filter(pk=job_id).values_list("status", flat=True).first()


def upload(client, token, name):
    started = time.monotonic()
    response = client.post(
        "/import/",
        {
            "file": SimpleUploadedFile(name, load("linkedin_with_errors.csv")),
            "csrfmiddlewaretoken": token,
        },
    )
    return response, time.monotonic() - started


@pytest.mark.django_db(transaction=True)
def test_an_upload_during_a_broker_outage_completes_after_it(tmp_path):
    user = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/import/")
    token = client.cookies["csrftoken"].value
    log = settings.VAR_DIR / "logs" / "broker-outage-worker.log"

    with private_redis(tmp_path) as server, celery_broker(server.url()):
        # Frozen: the publish gives up within its socket timeouts; the request still answers.
        server.freeze()
        try:
            frozen, elapsed = upload(client, token, "Frozen.csv")
        finally:
            server.thaw()
        assert frozen.status_code == 302
        assert elapsed < 15

        # Stopped: the same, at once.
        server.stop()
        response, elapsed = upload(client, token, "Connections.csv")
        assert response.status_code == 302
        assert elapsed < 10
        job = ImportJob.objects.get(owner=user, filename="Connections.csv")
        assert response["Location"] == f"/import/{job.pk}/"
        assert job.status == ImportStatus.ANALYZING and job.heartbeat_at is None

        # A minute later the page says what is going on.
        ImportJob.objects.filter(owner=user).update(
            queued_at=timezone.now()
            - dt.timedelta(seconds=settings.IMPORT_REQUEUE_AFTER_SECONDS + 1)
        )
        page = client.get(f"/import/{job.pk}/")
        assert page.status_code == 200
        assert "Queued, starts when the worker is back." in page.content.decode()

        server.start()
        env = processes.process_env(CELERY_BROKER_URL=server.url())
        with processes.running(processes.worker_command("outage"), env, log):
            # The beat sweep: both jobs were queued over a minute ago and no worker took them.
            assert tasks.requeue_stuck_imports.apply().get() == 2
            processes.wait_for(
                lambda: status_of(job.pk) == ImportStatus.PREVIEW,
                timeout=90,
                message=f"the re-queued job was not previewed (see {log})",
            )
            client.post(f"/import/{job.pk}/confirm/", {"csrfmiddlewaretoken": token})
            processes.wait_for(
                lambda: status_of(job.pk) == ImportStatus.DONE,
                timeout=90,
                message=f"the import did not complete (see {log})",
            )
            frozen_job = ImportJob.objects.get(owner=user, filename="Frozen.csv")
            processes.wait_for(
                lambda: status_of(frozen_job.pk) == ImportStatus.PREVIEW,
                timeout=90,
                message=f"the job uploaded while Redis was frozen was not previewed (see {log})",
            )
    job.refresh_from_db()
    assert (job.created_count, job.skipped_count) == (2, 4)
    assert Contact.objects.filter(owner=user).count() == 2
