from pathlib import Path

from celery import shared_task


@shared_task
def write_marker(path: str, text: str) -> None:
    """Write a file: lets tests and operators prove a real worker consumes the queue."""
    Path(path).write_text(text)
