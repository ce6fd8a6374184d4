"""Queue a Celery task once the current transaction commits.

Services name their own app's tasks by dotted path instead of importing the tasks module: tasks
import services to do their work, so an import the other way would be a cycle. The row a task
works on is always committed first; the broker only delivers it.
"""

from django.db import transaction
from django.utils.module_loading import import_string


def enqueue(task_path: str, *args) -> None:
    """Send `task_path` (e.g. "apps.portability.tasks.run_import") with `args` after commit."""

    def send():
        import_string(task_path).delay(*args)

    transaction.on_commit(send)
