"""Queue a Celery task once the current transaction commits.

Services name their own app's tasks by dotted path instead of importing the tasks module: tasks
import services to do their work, so an import the other way would be a cycle. The row a task
works on is always committed first; the broker only delivers it. A publish that fails (the
broker is down, or frozen past the socket timeouts in settings) is logged and never raised into
the request: the row stays queued and the app's beat sweep sends it again.
"""

import logging

from django.db import transaction
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


def send_now(task_path: str, *args) -> bool:
    """Publish `task_path` with `args` at once, within bounded time; False when it failed."""
    try:
        # Publish timeouts and the retry policy come from settings (CELERY_TASK_PUBLISH_RETRY_
        # POLICY, CELERY_BROKER_TRANSPORT_OPTIONS), so every delay() of the app is bounded too.
        import_string(task_path).delay(*args)
    except Exception as exc:  # noqa: BLE001 - the row is the truth; the sweep re-queues it
        logger.warning(
            "could not queue %s%r (%s: %s); the sweep will queue it again",
            task_path,
            args,
            type(exc).__name__,
            exc,
        )
        return False
    return True


def enqueue(task_path: str, *args) -> None:
    """Send `task_path` (e.g. "apps.portability.tasks.run_import") with `args` after commit."""
    transaction.on_commit(lambda: send_now(task_path, *args))
