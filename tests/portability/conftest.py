from pathlib import Path

import pytest

from apps.portability.importing import jobs
from apps.portability.models import ImportJob, ImportStatus

FIXTURES = Path(__file__).parent / "fixtures"


def load(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def create_job(user, name: str, *, kind: str = "", data: bytes | None = None) -> ImportJob:
    return jobs.create_import_job(
        owner=user,
        data=load(name) if data is None else data,
        filename=name,
        kind=kind,
        queue=False,
    )


def preview(user, name: str, *, kind: str = "", data=None, fields=None) -> ImportJob:
    """Upload and run the dry run, as the web flow does before the user confirms."""
    job = create_job(user, name, kind=kind, data=data)
    if fields is not None:
        job.mapping["fields"] = fields
        job.save(update_fields=["mapping"])
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.ANALYZING)
    jobs.run_job(job_id=job.pk, dry_run=True)
    job.refresh_from_db()
    return job


def commit(job: ImportJob) -> ImportJob:
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.IMPORTING)
    jobs.run_job(job_id=job.pk, dry_run=False)
    job.refresh_from_db()
    return job


def import_file(user, name: str, **kwargs) -> ImportJob:
    return commit(preview(user, name, **kwargs))


@pytest.fixture
def fixture_bytes():
    return load
