"""Importing a 30,000-row Connections.csv on PostgreSQL, next to a plain bulk insert of the same
rows (`make bench`, or `pytest tests/bench/test_import_bench.py -m bench -s`)."""

import datetime as dt
import time

import pytest

from apps.contacts.models import Contact, Organization
from apps.portability.importing import importer, jobs
from apps.portability.models import ImportJob, ImportStatus
from tests import factories

pytestmark = [pytest.mark.bench, pytest.mark.postgres, pytest.mark.django_db]

ROWS = 30_000  # LinkedIn's connection cap


def connections_csv() -> bytes:
    lines = [
        "Notes:",
        '"When exporting your connection data, you may notice that some of the email addresses '
        'are missing."',
        "",
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On",
    ]
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    for i in range(ROWS):
        email = f"person{i}@example.com" if i % 10 == 0 else ""
        lines.append(
            f"Person{i},Surname{i % 997},https://www.linkedin.com/in/person-{i},{email},"
            f"Company {i % 1500},Engineer {i % 7},{1 + i % 28:02d} {months[i % 12]} 20{10 + i % 15}"
        )
    return ("\r\n".join(lines) + "\r\n").encode()


def plain_bulk_create(owner, rows: int) -> float:
    """The floor: the same rows inserted with bulk_create, no parsing, matching or checks."""
    orgs = Organization.objects.bulk_create(
        Organization(owner=owner, name=f"Company {i}") for i in range(1500)
    )
    contacts = [
        Contact(
            owner=owner,
            full_name=f"Person{i} Surname{i % 997}",
            linkedin_url=f"https://www.linkedin.com/in/person-{i}",
            email=f"person{i}@example.com" if i % 10 == 0 else "",
            organization=orgs[i % 1500],
            title=f"Engineer {i % 7}",
            channel="linkedin",
            connected_on=dt.date(2010 + i % 15, 1 + i % 12, 1 + i % 28),
        )
        for i in range(rows)
    ]
    started = time.perf_counter()
    Contact.objects.bulk_create(contacts, batch_size=importer.BATCH_SIZE)
    return time.perf_counter() - started


def test_a_30000_row_linkedin_import_against_a_plain_bulk_create():
    data = connections_csv()
    user = factories.UserFactory()

    started = time.perf_counter()
    job = jobs.create_import_job(owner=user, data=data, filename="Connections.csv", queue=False)
    jobs.run_job(job_id=job.pk, dry_run=True)
    previewed = time.perf_counter()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.IMPORTING)
    jobs.run_job(job_id=job.pk, dry_run=False)
    finished = time.perf_counter()

    job.refresh_from_db()
    assert job.created_count == ROWS
    assert Contact.objects.filter(owner=user).count() == ROWS

    again_started = time.perf_counter()
    again = jobs.import_now(owner=user, data=data, filename="Connections.csv")
    again_seconds = time.perf_counter() - again_started
    assert (again.created_count, again.unchanged_count) == (0, ROWS)

    floor = plain_bulk_create(factories.UserFactory(), ROWS)
    preview_s, import_s, total = previewed - started, finished - previewed, finished - started
    print(
        f"\n{ROWS:,} rows  upload+preview {preview_s:.2f}s  import {import_s:.2f}s  "
        f"total {total:.2f}s ({ROWS / total:,.0f} rows/s)\n"
        f"re-import (all unchanged) {again_seconds:.2f}s ({ROWS / again_seconds:,.0f} rows/s)\n"
        f"plain bulk_create {floor:.2f}s ({ROWS / floor:,.0f} rows/s)  "
        f"import/bulk_create time ratio {import_s / floor:.1f}x"
    )
    # Reported, not asserted: the ratio to a plain bulk_create in the same run is the figure.
