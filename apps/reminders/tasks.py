from celery import shared_task


@shared_task
def sweep_due_reminders() -> None:
    """Find due follow-ups and queue their delivery (built by the reminders feature)."""
