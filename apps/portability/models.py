import datetime as dt

from django.db import models
from django.urls import reverse
from django.utils import timezone

from apps.core.models import OwnedModel


class ImportKind(models.TextChoices):
    LINKEDIN = "linkedin", "LinkedIn connections"
    VCARD = "vcard", "vCard"
    CSV = "csv", "CSV file"


class ImportStatus(models.TextChoices):
    MAPPING = "mapping", "Choose columns"
    ANALYZING = "analyzing", "Preparing the preview"
    PREVIEW = "preview", "Ready to import"
    IMPORTING = "importing", "Importing"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


RUNNING_STATUSES = (ImportStatus.ANALYZING, ImportStatus.IMPORTING)


class ImportJob(OwnedModel):
    """One uploaded file and what became of it.

    The file's bytes live in the database so the web and worker containers share no disk; they are
    dropped once the import is done.
    """

    # A record of an import, not the user's data: the account's delete page does not count it.
    shown_in_account_counts = False

    kind = models.CharField(max_length=10, choices=ImportKind.choices)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.ANALYZING
    )
    filename = models.CharField(max_length=255, blank=True)
    size = models.PositiveIntegerField(default=0)
    data = models.BinaryField(editable=False, default=bytes)
    encoding = models.CharField(max_length=40, blank=True)
    delimiter = models.CharField(max_length=1, blank=True)
    # 0-based index of the header line, found by scanning (CSV kinds only).
    header_line = models.PositiveIntegerField(default=0)
    # {"columns": [header cells], "fields": {"<column index>": "<field>"}}
    mapping = models.JSONField(default=dict, blank=True)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    # The dry run's counts, sample rows and first problems.
    preview = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The database is the truth, the broker only delivers: when the task was last queued, and
    # the lease of the worker running it (null until one picks it up; renewed every batch).
    queued_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    @property
    def has_something_to_import(self) -> bool:
        """Waiting on the user: columns to choose, or a preview with rows to bring in."""
        if self.status == ImportStatus.PREVIEW:
            return bool(self.preview.get("new") or self.preview.get("updated"))
        return self.status == ImportStatus.MAPPING

    @property
    def status_label(self) -> str:
        if self.status == ImportStatus.PREVIEW and not self.has_something_to_import:
            return "Nothing to import"
        return self.get_status_display()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} import {self.filename}"

    def get_absolute_url(self):
        return reverse("portability:import_detail", kwargs={"pk": self.pk})

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING_STATUSES

    @property
    def is_queued(self) -> bool:
        """Running as far as the user is concerned, but no worker has picked it up yet."""
        return self.is_running and self.heartbeat_at is None

    @property
    def waiting_for_worker(self) -> bool:
        """Queued for longer than a free worker would take: the workers are busy or down."""
        if not self.is_queued or self.queued_at is None:
            return self.is_queued
        return timezone.now() - self.queued_at > dt.timedelta(seconds=5)

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 0 if self.is_running else 100
        return min(100, round(100 * self.processed_rows / self.total_rows))


class ImportRowError(OwnedModel):
    """A row that was not imported, with where it is in the file and why."""

    shown_in_account_counts = False

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="row_errors")
    line = models.PositiveIntegerField()
    label = models.CharField(max_length=200, blank=True)
    reason = models.CharField(max_length=500)

    class Meta:
        ordering = ["line", "pk"]
        indexes = [models.Index(fields=["job", "line"])]

    def __str__(self):
        return f"line {self.line}: {self.reason}"
