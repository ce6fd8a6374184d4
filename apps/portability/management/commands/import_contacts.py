from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from apps.portability import formats
from apps.portability.importing import jobs
from apps.portability.models import ImportKind


class Command(BaseCommand):
    help = "Import contacts from LinkedIn's Connections.csv, a vCard or a CSV, in the foreground."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--user", required=True, help="the account's email address")
        parser.add_argument(
            "--kind",
            choices=ImportKind.values,
            default="",
            help="the kind of file (detected when omitted)",
        )

    def handle(self, *args, path: Path, user: str, kind: str, **options):
        owner = get_user_model().objects.filter(email__iexact=user).first()
        if owner is None:
            raise CommandError(f"No account with the email address {user}.")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc
        try:
            job = jobs.import_now(owner=owner, data=data, filename=path.name, kind=kind)
        except formats.ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        if job.error:
            raise CommandError(job.error)
        self.stdout.write(
            f"{job.get_kind_display()} {path.name}: {job.processed_rows} rows read, "
            f"{job.created_count} new, {job.updated_count} updated, "
            f"{job.unchanged_count} unchanged, {job.skipped_count} skipped."
        )
        for error in job.row_errors.all():
            self.stdout.write(f"  line {error.line}: {error.label or '(no name)'}: {error.reason}")
