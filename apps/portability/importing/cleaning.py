"""One record of a file into the fields of a contact, or the reason it cannot be imported."""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.text import capfirst

from apps.contacts.models import NOTES_MAX, Contact, PastEmployment, Tag
from apps.contacts.normalize import CANONICAL_PREFIX, PUB_PREFIX, normalize_linkedin_url
from apps.core.choices import Channel
from apps.core.text import has_unstorable, scrub
from apps.portability import formats
from apps.portability.formats import Record
from apps.portability.models import ImportKind

LINKEDIN_PREFIXES = (CANONICAL_PREFIX, PUB_PREFIX)


def _limit(name: str) -> tuple[str, int]:
    """A contact field's label (as the contact form shows it) and the longest value it stores."""
    field = Contact._meta.get_field(name)
    # The organization is stored by name, on its own row.
    column = field.related_model._meta.get_field("name") if field.is_relation else field
    return capfirst(field.verbose_name), column.max_length


# A value too long for its column refuses the row rather than being cut short.
LIMITS = {
    name: _limit(name)
    for name in (
        "full_name",
        "email",
        "phone",
        "organization",
        "title",
        "linkedin_url",
        "twitter_handle",
        "location",
    )
}
TAG_MAX = Tag._meta.get_field("name").max_length
# The years a past employment may end in, as its model validates them.
UNTIL_MIN, UNTIL_MAX = (v.limit_value for v in PastEmployment._meta.get_field("until").validators)
# "Initech (2021)", "Initech until 2021", "Initech (until 2021)" or plain "Initech".
PAST_WITH_YEAR = re.compile(
    r"^(?P<name>.+?)\s*(?:\((?:until\s+)?(?P<paren>\d{4})\)|\s+until\s+(?P<until>\d{4}))$",
    re.IGNORECASE,
)


class RowError(Exception):
    pass


@dataclass(slots=True)
class Row:
    line: int
    label: str
    data: dict = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Organizations the contact worked at before: (name, year they left or None).
    past: list[tuple[str, int | None]] = field(default_factory=list)


def record_label(fields: dict) -> str:
    name = fields.get("full_name") or " ".join(
        fields.get(k, "") for k in ("first_name", "last_name") if fields.get(k)
    )
    label = name or fields.get("email") or fields.get("_label") or ""
    return scrub(label if isinstance(label, str) else "")[:200]


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


def _past_organizations(values: list[str], *, current: str) -> list[tuple[str, int | None]]:
    """One or more per cell, split on ";", "|" or a line break (a company name may hold a
    comma: "Acme, Inc."). The current organization is not a past one; each name once."""
    past: dict[str, tuple[str, int | None]] = {}
    for value in values:
        for part in re.split(r"[;|\n]", formats.unneutralize(value)):
            part = re.sub(r"\s+", " ", part).strip()
            if not part:
                continue
            match = PAST_WITH_YEAR.match(part)
            name, until = part, None
            if match:
                name, until = match["name"].strip(), int(match["paren"] or match["until"])
                if not UNTIL_MIN <= until <= UNTIL_MAX:
                    raise RowError(
                        f"“{part[:100]}”: a past organization's year is between {UNTIL_MIN} "
                        f"and {UNTIL_MAX}."
                    )
            limit = LIMITS["organization"][1]
            if len(name) > limit:
                raise RowError(f"A past organization is longer than {limit} characters.")
            if name.lower() != current.lower():
                # Named twice, the one with a year tells more.
                known = past.get(name.lower())
                if known is None or known[1] is None:
                    past[name.lower()] = (name, until)
    return list(past.values())


def clean_record(record: Record, *, kind: str) -> Row:
    fields = record.fields
    row = Row(line=record.line, label=record_label(fields))
    if record.error:
        raise RowError(record.error)
    if has_unstorable(fields):
        raise RowError(
            "This row contains a character that cannot be saved (a NUL byte or a broken "
            "Unicode character); fix the row in the file and import it again."
        )
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
    row.past = _past_organizations(
        fields.get("past_organizations") or [], current=data["organization"]
    )
    row.tags = _split_tags(fields.get("tags") or [])
    if any(len(t) > TAG_MAX for t in row.tags):
        raise RowError(f"A tag is longer than {TAG_MAX} characters.")
    data["channel"] = Channel.LINKEDIN if kind == ImportKind.LINKEDIN else ""
    return row
