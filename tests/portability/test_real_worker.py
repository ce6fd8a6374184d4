import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from apps.contacts.models import Contact
from apps.portability.models import ImportJob, ImportStatus
from tests.factories import UserFactory
from tests.portability.conftest import load
from tests.support import processes

pytestmark = [pytest.mark.real_worker, pytest.mark.slow]


def status_of(job_id):
    return ImportJob.objects.filter(pk=job_id).values_list("status", flat=True).first()


@pytest.mark.django_db(transaction=True)
def test_an_upload_is_previewed_and_imported_by_a_real_worker():
    user = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/import/")
    token = client.cookies["csrftoken"].value
    log = settings.VAR_DIR / "logs" / "portability-worker.log"
    with processes.running(processes.worker_command("portability"), processes.process_env(), log):
        response = client.post(
            "/import/",
            {
                "file": SimpleUploadedFile("Connections.csv", load("linkedin_with_errors.csv")),
                "csrfmiddlewaretoken": token,
            },
        )
        job = ImportJob.objects.get(owner=user)
        assert response["Location"] == f"/import/{job.pk}/"
        processes.wait_for(
            lambda: status_of(job.pk) == ImportStatus.PREVIEW,
            timeout=90,
            message=f"the worker did not preview the file (see {log})",
        )
        assert not Contact.objects.filter(owner=user).exists()
        client.post(f"/import/{job.pk}/confirm/", {"csrfmiddlewaretoken": token})
        processes.wait_for(
            lambda: status_of(job.pk) == ImportStatus.DONE,
            timeout=90,
            message=f"the worker did not import the file (see {log})",
        )
    job.refresh_from_db()
    assert (job.created_count, job.skipped_count) == (2, 4)
    assert [e.line for e in job.row_errors.all()] == [6, 7, 8, 10]
    assert Contact.objects.filter(owner=user).count() == 2
    assert bytes(job.data) == b""
