"""How the Insights reports talk to the database."""

from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def report_transaction():
    """One read transaction for a page of reports. On PostgreSQL it turns JIT compilation off
    for it alone: these queries scan many rows once, and compiling them took longer than running
    them (77-103 ms of a 224 ms page). SET LOCAL ends with the transaction."""
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        yield
