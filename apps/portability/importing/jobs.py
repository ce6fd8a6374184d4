"""An import job's life: the upload is checked and stored, its columns chosen (any CSV), a dry
run makes the preview, the user confirms, the import runs; or the job is discarded."""

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.core import planner
from apps.core.queue import enqueue
from apps.core.text import has_unstorable, scrub
from apps.portability import formats
from apps.portability.formats import ImportFileError
from apps.portability.importing.importer import Importer
from apps.portability.importing.planning import NEW, SKIPPED, UNCHANGED, UPDATED
from apps.portability.importing.reading import records_for
from apps.portability.models import RUNNING_STATUSES, ImportJob, ImportKind, ImportStatus

logger = logging.getLogger(__name__)


def read_upload(upload) -> bytes:
    if upload.size > formats.MAX_BYTES:
        raise ImportFileError(
            f"This file is {upload.size / 1024 / 1024:.1f} MB; the limit is "
            f"{formats.MAX_BYTES // 1024 // 1024} MB. Split it into smaller files."
        )
    data = upload.read(formats.MAX_BYTES + 1)
    if len(data) > formats.MAX_BYTES:
        raise ImportFileError(
            f"This file is over the {formats.MAX_BYTES // 1024 // 1024} MB limit. "
            "Split it into smaller files."
        )
    return data


@transaction.atomic
def create_import_job(
    *, owner, data: bytes, filename: str, kind: str = "", queue: bool = True
) -> ImportJob:
    """Check the file (size, encoding, kind, row count) and store it. LinkedIn and vCard files go
    straight to the preview; any other CSV first needs its columns chosen."""
    if len(data) > formats.MAX_BYTES:
        raise ImportFileError(
            f"This file is over the {formats.MAX_BYTES // 1024 // 1024} MB limit. "
            "Split it into smaller files."
        )
    text, encoding = formats.decode_bytes(data)
    found, layout = formats.detect_kind(text, kind)
    job = ImportJob(
        owner=owner,
        kind=found,
        filename=scrub(filename)[:255],
        size=len(data),
        data=data,
        encoding=encoding,
    )
    if layout and has_unstorable(layout.columns):
        raise ImportFileError(
            "The header row contains a character that cannot be saved (a NUL byte); fix the "
            "file's first line and upload it again."
        )
    if layout:
        job.delimiter = layout.delimiter
        job.header_line = layout.header_line
        fields = (
            formats.linkedin_mapping(layout.columns)
            if found == ImportKind.LINKEDIN
            else formats.guess_mapping(layout.columns)
        )
        job.mapping = {"columns": layout.columns, "fields": fields}
    job.total_rows = sum(1 for _ in records_for(job, text=text, max_rows=formats.MAX_ROWS))
    if not job.total_rows:
        raise ImportFileError("The file has no rows to import (only a header, or blank lines).")
    job.status = ImportStatus.MAPPING if found == ImportKind.CSV else ImportStatus.ANALYZING
    if job.status == ImportStatus.ANALYZING:
        job.queued_at = timezone.now()
    job.save()
    if queue and job.status == ImportStatus.ANALYZING:
        queue_analysis(job)
    return job


def queue_analysis(job: ImportJob) -> None:
    enqueue("apps.portability.tasks.analyze_import", job.pk)


@transaction.atomic
def set_mapping(*, job: ImportJob, fields: dict[str, str]) -> ImportJob:
    job.mapping = {**job.mapping, "fields": {k: v for k, v in fields.items() if v}}
    job.status = ImportStatus.ANALYZING
    job.processed_rows = 0
    job.queued_at, job.heartbeat_at = timezone.now(), None
    job.save(update_fields=["mapping", "status", "processed_rows", "queued_at", "heartbeat_at"])
    queue_analysis(job)
    return job


@transaction.atomic
def start_import(*, job: ImportJob) -> bool:
    """Claim the previewed job for importing; False when it was already started (a double
    click, a second tab)."""
    now = timezone.now()
    won = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.PREVIEW).update(
        status=ImportStatus.IMPORTING,
        processed_rows=0,
        started_at=now,
        queued_at=now,
        heartbeat_at=None,
    )
    if won:
        enqueue("apps.portability.tasks.run_import", job.pk)
    return bool(won)


def run_job(*, job_id: int, dry_run: bool) -> ImportJob | None:
    """The dry run (preview) or the real import of one job, in batches, reporting progress.

    Safe to run twice (Celery redelivers a task whose worker died): matching makes a second run
    create nothing new, and the counts start again from zero.
    """
    expected = ImportStatus.ANALYZING if dry_run else ImportStatus.IMPORTING
    if not claim(job_id, status=expected):
        return None  # finished, discarded, or another worker holds a live lease
    job = ImportJob.objects.select_related("owner").filter(pk=job_id, status=expected).first()
    if job is None:
        return None
    if not dry_run:
        job.row_errors.all().delete()
    ImportJob.objects.filter(pk=job.pk).update(
        processed_rows=0, started_at=job.started_at or timezone.now()
    )
    importer = Importer(job, dry_run=dry_run)
    try:
        importer.run()
    except ImportFileError as exc:
        _fail(job, str(exc))
        return job
    except Exception:
        logger.exception("import %s failed", job.pk)
        _fail(job, "Something went wrong while reading this file; nothing more was imported.")
        raise
    counts = importer.counts
    if dry_run:
        job.status = ImportStatus.PREVIEW
        job.preview = {
            "new": counts[NEW],
            "updated": counts[UPDATED],
            "unchanged": counts[UNCHANGED],
            "skipped": counts[SKIPPED],
            "samples": importer.samples,
            "problems": importer.problems,
        }
        job.processed_rows = importer.processed
        job.heartbeat_at = None
        job.save(update_fields=["status", "preview", "processed_rows", "heartbeat_at"])
    else:
        job.status = ImportStatus.DONE
        job.processed_rows = importer.processed
        job.created_count, job.updated_count = counts[NEW], counts[UPDATED]
        job.unchanged_count, job.skipped_count = counts[UNCHANGED], counts[SKIPPED]
        job.finished_at = timezone.now()
        job.heartbeat_at = None
        # The file is not needed any more; keep the user's data in one place only.
        job.data = b""
        job.save()
        # Thousands of new rows at once: the embedded database plans with fresh statistics.
        planner.refresh_statistics()
    return job


def claim(job_id: int, *, status: str) -> bool:
    """Take the job's lease in one atomic UPDATE: it is in `status` and no worker holds a live
    lease. A second delivery of the same task (the sweep, Celery's redelivery) finds it taken."""
    now = timezone.now()
    expired = now - dt.timedelta(seconds=settings.IMPORT_LEASE_SECONDS)
    return bool(
        ImportJob.objects.filter(pk=job_id, status=status)
        .filter(Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=expired))
        .update(heartbeat_at=now)
    )


TASKS = {
    ImportStatus.ANALYZING: "apps.portability.tasks.analyze_import",
    ImportStatus.IMPORTING: "apps.portability.tasks.run_import",
}


def requeue_stuck(*, now=None) -> list[int]:
    """Queue again the running jobs whose task was never picked up (queued a while ago, no
    lease) or whose worker died (lease expired). Runs from beat; returns the job ids."""
    now = now or timezone.now()
    waited = now - dt.timedelta(seconds=settings.IMPORT_REQUEUE_AFTER_SECONDS)
    expired = now - dt.timedelta(seconds=settings.IMPORT_LEASE_SECONDS)
    stuck = list(
        ImportJob.objects.filter(status__in=RUNNING_STATUSES)
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=waited))
        .filter(Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=expired))
        .values_list("pk", "status")
    )
    for pk, status in stuck:
        with transaction.atomic():
            # queued_at=now: the next sweep leaves it alone for another IMPORT_REQUEUE_AFTER.
            ImportJob.objects.filter(pk=pk).update(queued_at=now)
            enqueue(TASKS[status], pk)
        logger.info("import %s was not running (%s): queued again", pk, status)
    return [pk for pk, _ in stuck]


def _fail(job: ImportJob, message: str) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.FAILED,
        error=message,
        finished_at=timezone.now(),
        data=b"",
        heartbeat_at=None,
    )
    job.status, job.error = ImportStatus.FAILED, message


def import_now(*, owner, data: bytes, filename: str, kind: str = "") -> ImportJob:
    """The whole import in this process, for the command line: check, preview-free, commit."""
    job = create_import_job(owner=owner, data=data, filename=filename, kind=kind, queue=False)
    if job.status == ImportStatus.MAPPING:
        fields = job.mapping.get("fields", {})
        if not {"full_name", "first_name", "last_name", "email"} & set(fields.values()):
            job.delete()
            raise ImportFileError(
                "We could not tell which column holds the names. Import this CSV from the web "
                "page, where you can choose the columns."
            )
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.IMPORTING, started_at=timezone.now()
    )
    run_job(job_id=job.pk, dry_run=False)
    job.refresh_from_db()
    return job


@transaction.atomic
def discard_job(*, job: ImportJob) -> bool:
    if job.status == ImportStatus.IMPORTING:
        return False
    job.delete()
    return True
