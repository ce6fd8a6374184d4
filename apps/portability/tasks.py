from celery import shared_task

from apps.portability.importing import jobs


@shared_task
def analyze_import(job_id: int) -> None:
    """The dry run behind the preview: counts what the import would do, writes no contact."""
    jobs.run_job(job_id=job_id, dry_run=True)


@shared_task
def run_import(job_id: int) -> None:
    jobs.run_job(job_id=job_id, dry_run=False)


@shared_task
def requeue_stuck_imports() -> int:
    """Beat: import jobs never picked up, or whose worker died, are queued again."""
    return len(jobs.requeue_stuck())
