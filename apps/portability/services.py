"""Writes: creating import jobs, running them (dry run for the preview, then for real), and
deleting an account."""

import itertools
import logging
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from apps.contacts.models import NOTES_MAX, Contact, Organization, Tag
from apps.contacts.normalize import CANONICAL_PREFIX, PUB_PREFIX, normalize_linkedin_url
from apps.core.choices import Channel
from apps.portability import formats
from apps.portability.formats import ImportFileError, Record
from apps.portability.models import ImportJob, ImportKind, ImportRowError, ImportStatus

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
LINKEDIN_PREFIXES = (CANONICAL_PREFIX, PUB_PREFIX)
SAMPLE_ROWS = 10
PREVIEW_PROBLEMS = 50


class RowError(Exception):
    pass


# --- Creating a job --------------------------------------------------------------------------


def read_upload(upload) -> bytes:
    if upload.size > formats.MAX_BYTES:
        raise ImportFileError(
            f"This file is {upload.size / 1024 / 1024:.1f} MB; the limit is "
            f"{formats.MAX_BYTES // 1024 // 1024} MB. Split it into smaller files."
        )
    data = upload.read(formats.MAX_BYTES + 1)
    if len(data) > formats.MAX_BYTES:
        raise ImportFileError(
            f"This file is over the {formats.MAX_BYTES // 1024 // 1024} MB limit. "
            "Split it into smaller files."
        )
    return data


@transaction.atomic
def create_import_job(
    *, owner, data: bytes, filename: str, kind: str = "", queue: bool = True
) -> ImportJob:
    """Check the file (size, encoding, kind, row count) and store it. LinkedIn and vCard files go
    straight to the preview; any other CSV first needs its columns chosen."""
    if len(data) > formats.MAX_BYTES:
        raise ImportFileError(
            f"This file is over the {formats.MAX_BYTES // 1024 // 1024} MB limit. "
            "Split it into smaller files."
        )
    text, encoding = formats.decode_bytes(data)
    found, layout = formats.detect_kind(text, kind)
    job = ImportJob(
        owner=owner,
        kind=found,
        filename=filename[:255],
        size=len(data),
        data=data,
        encoding=encoding,
    )
    if layout:
        job.delimiter = layout.delimiter
        job.header_line = layout.header_line
        fields = (
            formats.linkedin_mapping(layout.columns)
            if found == ImportKind.LINKEDIN
            else formats.guess_mapping(layout.columns)
        )
        job.mapping = {"columns": layout.columns, "fields": fields}
    job.total_rows = sum(1 for _ in records_for(job, text=text, max_rows=formats.MAX_ROWS))
    if not job.total_rows:
        raise ImportFileError("The file has no rows to import (only a header, or blank lines).")
    job.status = ImportStatus.MAPPING if found == ImportKind.CSV else ImportStatus.ANALYZING
    job.save()
    if queue and job.status == ImportStatus.ANALYZING:
        queue_analysis(job)
    return job


def queue_analysis(job: ImportJob) -> None:
    from apps.portability import tasks

    tasks.analyze_import.delay_on_commit(job.pk)


@transaction.atomic
def set_mapping(*, job: ImportJob, fields: dict[str, str]) -> ImportJob:
    job.mapping = {**job.mapping, "fields": {k: v for k, v in fields.items() if v}}
    job.status = ImportStatus.ANALYZING
    job.processed_rows = 0
    job.save(update_fields=["mapping", "status", "processed_rows"])
    queue_analysis(job)
    return job


@transaction.atomic
def start_import(*, job: ImportJob) -> bool:
    """Claim the previewed job for importing; False when it was already started (a double
    click, a second tab)."""
    from apps.portability import tasks

    won = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.PREVIEW).update(
        status=ImportStatus.IMPORTING, processed_rows=0, started_at=timezone.now()
    )
    if won:
        tasks.run_import.delay_on_commit(job.pk)
    return bool(won)


def records_for(job: ImportJob, *, text: str | None = None, max_rows: int = 0):
    if text is None:
        text = formats.decode_with(bytes(job.data), job.encoding)
    if job.kind == ImportKind.VCARD:
        return formats.iter_vcard_records(text, max_rows=max_rows)
    layout = formats.CsvLayout(job.header_line, job.delimiter or ",", job.mapping["columns"])
    return formats.iter_csv_records(text, layout, job.mapping.get("fields", {}), max_rows=max_rows)


def sample_rows(*, job: ImportJob, limit: int = 5) -> list[list[str]]:
    """The first rows of a CSV as cells under their header, for choosing columns."""
    text = formats.decode_with(bytes(job.data), job.encoding)
    layout = formats.CsvLayout(job.header_line, job.delimiter or ",", job.mapping["columns"])
    width = len(layout.columns)
    every_column = {str(i): f"c{i}" for i in range(width)}
    rows = []
    for record in itertools.islice(formats.iter_csv_records(text, layout, every_column), limit):
        rows.append([record.fields.get(f"c{i}", "") for i in range(width)])
    return rows


# --- Cleaning one row ------------------------------------------------------------------------

LIMITS = {
    "full_name": ("Name", 200),
    "email": ("Email", 254),
    "phone": ("Phone", 50),
    "organization": ("Organization", 200),
    "title": ("Title", 200),
    "linkedin_url": ("LinkedIn URL", 300),
    "twitter_handle": ("X / Twitter handle", 50),
    "location": ("Location", 200),
}


@dataclass(slots=True)
class Row:
    line: int
    label: str
    data: dict = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def record_label(fields: dict) -> str:
    name = fields.get("full_name") or " ".join(
        fields.get(k, "") for k in ("first_name", "last_name") if fields.get(k)
    )
    return (name or fields.get("email") or fields.get("_label") or "")[:200]


def _text(fields: dict, name: str) -> str:
    value = fields.get(name, "")
    if isinstance(value, list):
        value = value[0] if value else ""
    return formats.unneutralize(str(value).strip())


def _twitter(value: str) -> str:
    match = re.search(r"(?:twitter|x)\.com/(?:#!/)?@?([A-Za-z0-9_]+)", value, re.IGNORECASE)
    return match.group(1) if match else value.lstrip("@").strip()


def _split_tags(values: list[str]) -> list[str]:
    tags, seen = [], set()
    for value in values:
        for part in re.split(r":::|[,;]", formats.unneutralize(value)):
            name = part.strip()
            # Google marks its own groups ("* myContacts", "* starred") with a star.
            if name.startswith("*"):
                continue
            if name and name.lower() not in seen:
                seen.add(name.lower())
                tags.append(name)
    return tags


def clean_record(record: Record, *, kind: str) -> Row:
    fields = record.fields
    row = Row(line=record.line, label=record_label(fields))
    if record.error:
        raise RowError(record.error)
    data = row.data
    data["full_name"] = _text(fields, "full_name") or " ".join(
        p for p in (_text(fields, k) for k in ("first_name", "middle_name", "last_name")) if p
    )
    email = _text(fields, "email")
    if email:
        if email.lower().startswith("mailto:"):
            email = email[7:]
        try:
            validate_email(email)
        except ValidationError:
            raise RowError(f"“{email[:100]}” is not a valid email address.") from None
    data["email"] = email
    url = _text(fields, "linkedin_url")
    if url:
        normalized = normalize_linkedin_url(url)
        if not normalized.startswith(LINKEDIN_PREFIXES) or normalized in LINKEDIN_PREFIXES:
            raise RowError(f"“{url[:100]}” is not a LinkedIn profile address.")
        url = normalized
    data["linkedin_url"] = url
    for name in ("phone", "organization", "title", "location"):
        data[name] = re.sub(r"\s+", " ", _text(fields, name))
    data["twitter_handle"] = _twitter(_text(fields, "twitter_handle"))
    try:
        data["connected_on"] = formats.parse_date(_text(fields, "connected_on"))
    except ValueError as exc:
        raise RowError(str(exc)) from None
    if not data["full_name"]:
        data["full_name"] = email or (url.rsplit("/", 1)[-1] if url else "")
        if not data["full_name"]:
            raise RowError("This row has no name, email or LinkedIn URL.")
    row.label = row.label or data["full_name"][:200]
    for name, (label, limit) in LIMITS.items():
        if len(data[name]) > limit:
            raise RowError(f"{label} is longer than {limit} characters.")
    notes = fields.get("notes") or []
    row.notes = [formats.unneutralize(n.strip()).replace("\r\n", "\n") for n in notes if n.strip()]
    if sum(len(n) + 2 for n in row.notes) > NOTES_MAX:
        raise RowError(f"Notes are longer than {NOTES_MAX:,} characters.")
    row.tags = _split_tags(fields.get("tags") or [])
    if any(len(t) > 50 for t in row.tags):
        raise RowError("A tag is longer than 50 characters.")
    data["channel"] = Channel.LINKEDIN if kind == ImportKind.LINKEDIN else ""
    return row


# --- Matching and merging --------------------------------------------------------------------

NEW, UPDATED, UNCHANGED, SKIPPED = "new", "updated", "unchanged", "skipped"
# Descriptive fields follow the file (people change jobs); identity fields are only filled in.
FOLLOW_FILE = ("title", "phone", "location", "twitter_handle", "connected_on")
FILL_ONLY = ("full_name", "email", "linkedin_url")
# Stands for a contact the dry run would have created from an earlier row of the same file.
SEEN_IN_FILE = object()


def _org_key(contact) -> str:
    return contact.organization.name.lower() if contact.organization is not None else ""


class MatchIndex:
    """LinkedIn URL, then email (any case), then name plus organization (any case)."""

    def __init__(self):
        self.by_url: dict = {}
        self.by_email: dict = {}
        self.by_name_org: dict = {}

    def add(self, contact) -> None:
        if contact.linkedin_url:
            self.by_url.setdefault(contact.linkedin_url, contact)
        if contact.email:
            self.by_email.setdefault(contact.email.lower(), contact)
        self.by_name_org.setdefault((contact.full_name.lower(), _org_key(contact)), contact)

    def match(self, data: dict):
        if data["linkedin_url"] and data["linkedin_url"] in self.by_url:
            return self.by_url[data["linkedin_url"]]
        if data["email"] and data["email"].lower() in self.by_email:
            return self.by_email[data["email"].lower()]
        candidate = self.by_name_org.get((data["full_name"].lower(), data["organization"].lower()))
        if candidate is None:
            return None
        # Two people with the same name at the same company are told apart by their addresses.
        for key in ("linkedin_url", "email"):
            theirs, ours = getattr(candidate, key), data[key]
            if theirs and ours and theirs.lower() != ours.lower():
                return None
        return candidate


class SeenKeys:
    """What the dry run would have created in earlier batches: keys only, never rows."""

    def __init__(self):
        self.urls: set[str] = set()
        self.emails: set[str] = set()
        self.names: set[tuple[str, str]] = set()

    def add(self, data: dict) -> None:
        if data["linkedin_url"]:
            self.urls.add(data["linkedin_url"])
        if data["email"]:
            self.emails.add(data["email"].lower())
        self.names.add((data["full_name"].lower(), data["organization"].lower()))

    def __contains__(self, data: dict) -> bool:
        return (
            data["linkedin_url"] in self.urls
            or data["email"].lower() in self.emails
            or (data["full_name"].lower(), data["organization"].lower()) in self.names
        )


@dataclass
class Plan:
    outcomes: list[tuple[Row, str]] = field(default_factory=list)
    new: list = field(default_factory=list)
    changed: dict = field(default_factory=dict)  # contact -> set of field names
    tags: list[tuple[Contact, list[str]]] = field(default_factory=list)
    orgs: dict = field(default_factory=dict)  # lower name -> Organization (maybe unsaved)
    existing_tags: dict = field(default_factory=dict)  # contact pk -> set of lower tag names


def _named(queryset, names):
    """Rows whose name matches any of `names` ignoring case. SQLite's LOWER() folds ASCII only,
    so exact spellings are asked for too; callers key the result by Python's lower()."""
    names = list(names)
    lowered = {n.lower() for n in names}
    return queryset.annotate(name_l=Lower("name")).filter(Q(name_l__in=lowered) | Q(name__in=names))


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
        updates = {"processed_rows": self.processed}
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
        outcomes = self.plan(rows).outcomes if self.dry_run else self.write(rows, errors)
        for row, outcome in outcomes:
            self.counts[outcome] += 1
            self._sample(row.line, row.label, outcome, row.data)
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

    def _sample(self, line, label, outcome, data, reason="") -> None:
        if len(self.samples) >= SAMPLE_ROWS:
            return
        self.samples.append(
            {
                "line": line,
                "name": label,
                "outcome": outcome,
                "reason": reason,
                "organization": data.get("organization", ""),
                "title": data.get("title", ""),
                "email": data.get("email", ""),
            }
        )
        self.samples.sort(key=lambda s: s["line"])

    # Planning -------------------------------------------------------------------------------
    def plan(self, rows: list[Row]) -> Plan:
        plan = Plan()
        index = MatchIndex()
        for contact in self._lookup(rows):
            index.add(contact)
            plan.existing_tags[contact.pk] = {t.name.lower() for t in contact.tags.all()}
        plan.orgs = self._organizations(rows)
        for row in rows:
            contact = index.match(row.data)
            if contact is None and self.dry_run and row.data in self.seen:
                contact = SEEN_IN_FILE
            if contact is SEEN_IN_FILE:
                plan.outcomes.append((row, UNCHANGED))
                continue
            if contact is None:
                contact = self._new_contact(row, plan)
                plan.new.append(contact)
                index.add(contact)
                if self.dry_run:
                    self.seen.add(row.data)
                outcome = NEW
            else:
                changed = self._merge(contact, row, plan, index)
                known = plan.existing_tags.setdefault(contact.pk, set()) if contact.pk else None
                if known is not None and any(t.lower() not in known for t in row.tags):
                    changed.add("tags")
                    known.update(t.lower() for t in row.tags)
                if changed and contact.pk:
                    plan.changed.setdefault(contact, set()).update(changed - {"tags"})
                outcome = UPDATED if changed else UNCHANGED
            if row.tags:
                plan.tags.append((contact, row.tags))
            plan.outcomes.append((row, outcome))
        return plan

    def _lookup(self, rows: list[Row]):
        urls = {r.data["linkedin_url"] for r in rows if r.data["linkedin_url"]}
        emails = {r.data["email"].lower() for r in rows if r.data["email"]}
        names = {r.data["full_name"] for r in rows}
        match = (
            Q(linkedin_url__in=urls)
            | Q(email_l__in=emails)
            | Q(name_l__in={n.lower() for n in names})
        )
        if connection.vendor == "sqlite":
            # SQLite's LOWER() folds ASCII only; PostgreSQL keeps to its indexed expressions.
            match |= Q(email__in={r.data["email"] for r in rows if r.data["email"]})
            match |= Q(full_name__in=names)
        return (
            Contact.objects.owned_by(self.owner)
            .annotate(email_l=Lower("email"), name_l=Lower("full_name"))
            .filter(match)
            .select_related("organization")
            .prefetch_related("tags")
            .order_by("pk")
        )

    def _organizations(self, rows: list[Row]) -> dict:
        wanted = {r.data["organization"].lower(): r.data["organization"] for r in rows}
        wanted.pop("", None)
        if not wanted:
            return {}
        found = {
            org.name.lower(): org
            for org in _named(Organization.objects.owned_by(self.owner), wanted.values())
        }
        for key, name in wanted.items():
            found.setdefault(key, Organization(owner=self.owner, name=name))
        return found

    def _new_contact(self, row: Row, plan: Plan) -> Contact:
        data = row.data
        return Contact(
            owner=self.owner,
            full_name=data["full_name"],
            email=data["email"],
            phone=data["phone"],
            organization=plan.orgs.get(data["organization"].lower()),
            title=data["title"],
            linkedin_url=data["linkedin_url"],
            twitter_handle=data["twitter_handle"],
            location=data["location"],
            channel=data["channel"] or Channel.OTHER,
            notes="\n\n".join(row.notes),
            connected_on=data["connected_on"],
        )

    def _merge(self, contact: Contact, row: Row, plan: Plan, index: MatchIndex) -> set[str]:
        """Apply the row to a matched contact. A blank cell never erases anything."""
        data = row.data
        changed: set[str] = set()
        for name in FILL_ONLY:
            value = data[name]
            if not value or getattr(contact, name):
                continue
            # An address already used by another of the user's contacts stays where it is.
            if name == "email" and index.by_email.get(value.lower(), contact) is not contact:
                continue
            if name == "linkedin_url" and index.by_url.get(value, contact) is not contact:
                continue
            setattr(contact, name, value)
            changed.add(name)
        for name in FOLLOW_FILE:
            value = data[name]
            if value and value != getattr(contact, name):
                setattr(contact, name, value)
                changed.add(name)
        org_name = data["organization"]
        if org_name and org_name.lower() != _org_key(contact):
            contact.organization = plan.orgs[org_name.lower()]
            changed.add("organization")
        if data["channel"] and contact.channel == Channel.OTHER:
            contact.channel = data["channel"]
            changed.add("channel")
        notes = contact.notes
        for note in row.notes:
            if note not in notes:
                candidate = f"{notes}\n\n{note}" if notes else note
                if len(candidate) <= NOTES_MAX:
                    notes = candidate
        if notes != contact.notes:
            contact.notes = notes
            changed.add("notes")
        return changed

    # Writing --------------------------------------------------------------------------------
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
        now = timezone.now()
        unsaved_orgs = [org for org in plan.orgs.values() if org.pk is None]
        if unsaved_orgs:
            # Another import may create the same organization meanwhile: ignore and re-read.
            Organization.objects.bulk_create(unsaved_orgs, ignore_conflicts=True)
            saved = {
                org.name.lower(): org
                for org in _named(
                    Organization.objects.owned_by(self.owner), [o.name for o in unsaved_orgs]
                )
            }
            for contact in itertools.chain(plan.new, plan.changed):
                if contact.organization is not None and contact.organization.pk is None:
                    contact.organization = saved[contact.organization.name.lower()]
        Contact.objects.bulk_create(plan.new, batch_size=BATCH_SIZE)
        by_fields: dict[frozenset, list] = {}
        for contact, names in plan.changed.items():
            if names:
                contact.updated_at = now
                by_fields.setdefault(frozenset(names | {"updated_at"}), []).append(contact)
        for names, contacts in by_fields.items():
            Contact.objects.bulk_update(contacts, list(names), batch_size=BATCH_SIZE)
        if plan.tags:
            self._attach_tags(plan)
        return plan.outcomes

    def _attach_tags(self, plan: Plan) -> None:
        wanted = {t.lower(): t for _, names in plan.tags for t in names}
        existing = {
            tag.name.lower(): tag
            for tag in _named(Tag.objects.owned_by(self.owner), wanted.values())
        }
        missing = [Tag(owner=self.owner, name=n) for k, n in wanted.items() if k not in existing]
        if missing:
            Tag.objects.bulk_create(missing, ignore_conflicts=True)
            existing = {
                tag.name.lower(): tag
                for tag in _named(Tag.objects.owned_by(self.owner), wanted.values())
            }
        through = Contact.tags.through
        links = {
            (contact.pk, existing[t.lower()].pk) for contact, names in plan.tags for t in names
        }
        through.objects.bulk_create(
            [through(contact_id=c, tag_id=t) for c, t in links], ignore_conflicts=True
        )


# --- Running a job ---------------------------------------------------------------------------


def run_job(*, job_id: int, dry_run: bool) -> ImportJob | None:
    """The dry run (preview) or the real import of one job, in batches, reporting progress.

    Safe to run twice (Celery redelivers a task whose worker died): matching makes a second run
    create nothing new, and the counts start again from zero.
    """
    expected = ImportStatus.ANALYZING if dry_run else ImportStatus.IMPORTING
    job = ImportJob.objects.select_related("owner").filter(pk=job_id, status=expected).first()
    if job is None:
        return None
    if not dry_run:
        job.row_errors.all().delete()
    ImportJob.objects.filter(pk=job.pk).update(
        processed_rows=0, started_at=job.started_at or timezone.now()
    )
    importer = Importer(job, dry_run=dry_run)
    try:
        importer.run()
    except ImportFileError as exc:
        _fail(job, str(exc))
        return job
    except Exception:
        logger.exception("import %s failed", job.pk)
        _fail(job, "Something went wrong while reading this file; nothing more was imported.")
        raise
    counts = importer.counts
    if dry_run:
        job.status = ImportStatus.PREVIEW
        job.preview = {
            "new": counts[NEW],
            "updated": counts[UPDATED],
            "unchanged": counts[UNCHANGED],
            "skipped": counts[SKIPPED],
            "samples": importer.samples,
            "problems": importer.problems,
        }
        job.processed_rows = importer.processed
        job.save(update_fields=["status", "preview", "processed_rows"])
    else:
        job.status = ImportStatus.DONE
        job.processed_rows = importer.processed
        job.created_count, job.updated_count = counts[NEW], counts[UPDATED]
        job.unchanged_count, job.skipped_count = counts[UNCHANGED], counts[SKIPPED]
        job.finished_at = timezone.now()
        # The file is not needed any more; keep the user's data in one place only.
        job.data = b""
        job.save()
    return job


def _fail(job: ImportJob, message: str) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.FAILED, error=message, finished_at=timezone.now(), data=b""
    )
    job.status, job.error = ImportStatus.FAILED, message


def import_now(*, owner, data: bytes, filename: str, kind: str = "") -> ImportJob:
    """The whole import in this process, for the command line: check, preview-free, commit."""
    job = create_import_job(owner=owner, data=data, filename=filename, kind=kind, queue=False)
    if job.status == ImportStatus.MAPPING:
        fields = job.mapping.get("fields", {})
        if not {"full_name", "first_name", "last_name", "email"} & set(fields.values()):
            job.delete()
            raise ImportFileError(
                "We could not tell which column holds the names. Import this CSV from the web "
                "page, where you can choose the columns."
            )
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.IMPORTING, started_at=timezone.now()
    )
    run_job(job_id=job.pk, dry_run=False)
    job.refresh_from_db()
    return job


@transaction.atomic
def discard_job(*, job: ImportJob) -> bool:
    if job.status == ImportStatus.IMPORTING:
        return False
    job.delete()
    return True


# --- Deleting an account ---------------------------------------------------------------------


@transaction.atomic
def delete_account(*, user) -> None:
    """Every owned row goes with the user: each owned model's `owner` cascades."""
    user.delete()
