"""One run over a job's rows, batch by batch: clean, plan, then either count (the dry run behind
the preview) or write, reporting progress after each batch."""

import itertools
import logging

from django.db import DatabaseError, transaction
from django.utils import timezone

from apps.portability.importing import writing
from apps.portability.importing.cleaning import Row, RowError, clean_record, record_label
from apps.portability.importing.matching import SeenKeys
from apps.portability.importing.planning import NEW, SKIPPED, UNCHANGED, UPDATED, Plan, plan_rows
from apps.portability.importing.reading import records_for
from apps.portability.models import ImportJob, ImportRowError

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
SAMPLE_ROWS = 10
PREVIEW_PROBLEMS = 50


class Importer:
    def __init__(self, job: ImportJob, *, dry_run: bool):
        self.job = job
        self.owner = job.owner
        self.dry_run = dry_run
        self.kind = job.kind
        self.counts = {NEW: 0, UPDATED: 0, UNCHANGED: 0, SKIPPED: 0}
        self.samples: list[dict] = []
        self.problems: list[dict] = []
        self.seen = SeenKeys()
        self.processed = 0

    # Reading --------------------------------------------------------------------------------
    def run(self) -> None:
        for batch in itertools.batched(records_for(self.job), BATCH_SIZE):
            self.process_batch(batch)
            self.processed += len(batch)
            self._report_progress()

    def _report_progress(self) -> None:
        # Renewing the lease tells the sweep this worker is alive.
        updates = {"processed_rows": self.processed, "heartbeat_at": timezone.now()}
        if not self.dry_run:
            updates.update(
                created_count=self.counts[NEW],
                updated_count=self.counts[UPDATED],
                unchanged_count=self.counts[UNCHANGED],
                skipped_count=self.counts[SKIPPED],
            )
        ImportJob.objects.filter(pk=self.job.pk).update(**updates)

    def process_batch(self, records) -> None:
        rows: list[Row] = []
        errors: list[tuple[int, str, str]] = []
        for record in records:
            try:
                rows.append(clean_record(record, kind=self.kind))
            except RowError as exc:
                errors.append((record.line, record_label(record.fields), str(exc)))
        changes = {}
        if self.dry_run:
            plan = self.plan(rows)
            outcomes, changes = plan.outcomes, plan.changes
        else:
            outcomes = self.write(rows, errors)
        for row, outcome in outcomes:
            self.counts[outcome] += 1
            self._sample(row.line, row.label, outcome, row.data, changes=changes.get(row.line))
        for line, label, reason in errors:
            self.counts[SKIPPED] += 1
            self._sample(line, label, SKIPPED, {}, reason)
            if len(self.problems) < PREVIEW_PROBLEMS:
                self.problems.append({"line": line, "label": label, "reason": reason})
        if errors and not self.dry_run:
            ImportRowError.objects.bulk_create(
                ImportRowError(
                    owner=self.owner,
                    job=self.job,
                    line=line,
                    label=label[:200],
                    reason=reason[:500],
                )
                for line, label, reason in errors
            )

    def _sample(self, line, label, outcome, data, reason="", changes=None) -> None:
        if len(self.samples) >= SAMPLE_ROWS:
            return
        self.samples.append(
            {
                "line": line,
                "name": label,
                "outcome": outcome,
                "reason": reason,
                "changes": changes or [],
                "organization": data.get("organization", ""),
                "title": data.get("title", ""),
                "email": data.get("email", ""),
            }
        )
        self.samples.sort(key=lambda s: s["line"])

    # Planning and writing -------------------------------------------------------------------
    def plan(self, rows: list[Row]) -> Plan:
        return plan_rows(rows, owner=self.owner, seen=self.seen if self.dry_run else None)

    def write(self, rows: list[Row], errors: list) -> list[tuple[Row, str]]:
        """The batch in one savepoint; if the database refuses it, row by row so that the good
        rows are kept and each bad one is reported on its own."""
        try:
            with transaction.atomic():
                return self._persist(self.plan(rows))
        except DatabaseError:
            logger.info("import %s: batch refused, retrying row by row", self.job.pk)
        outcomes = []
        for row in rows:
            try:
                with transaction.atomic():
                    outcomes.extend(self._persist(self.plan([row])))
            except DatabaseError as exc:
                logger.info("import %s line %s refused: %s", self.job.pk, row.line, exc)
                errors.append(
                    (
                        row.line,
                        row.label,
                        "It could not be saved: it clashes with another of "
                        "your contacts (same email or LinkedIn URL).",
                    )
                )
        return outcomes

    def _persist(self, plan: Plan) -> list[tuple[Row, str]]:
        return writing.persist(plan, owner=self.owner, batch_size=BATCH_SIZE)
