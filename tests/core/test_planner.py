"""The embedded database keeps planner statistics: after migrate, after an import, on the beat."""

import pytest
from django.conf import settings
from django.db import connection

from apps.core import planner
from apps.core.tasks import refresh_planner_statistics
from config.celery import app as celery_app
from tests.factories import ContactFactory
from tests.portability.conftest import import_file

pytestmark = pytest.mark.django_db


def _contact_rows_counted() -> int | None:
    """sqlite_stat1's first figure for an index of contacts: the rows it held when analyzed."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'contacts_contact' LIMIT 1")
        row = cursor.fetchone()
    return int(row[0].split()[0]) if row else None


sqlite_only = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="SQLite only: PostgreSQL's autovacuum gathers its own statistics",
)


@sqlite_only
def test_migrate_leaves_statistics_behind():
    # The test database was made by migrate: its post_migrate hook has analyzed it.
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        assert cursor.fetchone()[0] == 1


@sqlite_only
def test_the_beat_task_counts_the_rows_there_are_now(user):
    ContactFactory.create_batch(7, owner=user)
    assert refresh_planner_statistics.run() is True
    assert _contact_rows_counted() == 7


@sqlite_only
def test_a_finished_import_refreshes_them(user):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM sqlite_stat1")
    assert _contact_rows_counted() is None
    import_file(user, "linkedin_current.csv")
    assert _contact_rows_counted() >= 1


def test_on_postgresql_it_leaves_statistics_to_autovacuum(monkeypatch):
    class Postgres:
        vendor = "postgresql"

        def cursor(self):  # pragma: no cover - must not be reached
            raise AssertionError("nothing runs on PostgreSQL")

    assert planner.refresh_statistics(Postgres()) is False


def test_the_beat_runs_it():
    schedule = celery_app.conf.beat_schedule["refresh-planner-statistics"]
    assert schedule["task"] == "apps.core.tasks.refresh_planner_statistics"
    assert schedule["schedule"] == settings.PLANNER_STATISTICS_SECONDS
