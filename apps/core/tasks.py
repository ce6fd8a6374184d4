from pathlib import Path

from celery import shared_task
from django.conf import settings

from apps.core import planner


@shared_task
def write_marker(name: str, text: str) -> None:
    """Write a small file under VAR_DIR/markers: proves a real worker consumes the queue (tests
    and operators). Only a bare file name is accepted, so a queued message cannot write
    anywhere else."""
    if Path(name).name != name or name in {"", ".", ".."}:
        raise ValueError("a bare file name is required")
    folder = Path(settings.VAR_DIR) / "markers"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text)


@shared_task
def refresh_planner_statistics() -> bool:
    """Beat: keep the embedded database's planner statistics current as accounts grow."""
    return planner.refresh_statistics()
