"""Reading uploaded files: encodings, kinds, LinkedIn's Connections.csv, vCards and any CSV.

Everything here is pure (no database): it turns bytes into a lazy stream of `Record`s, each with
the physical line it starts on, so a 30,000-row file is never held as parsed rows at once.
"""

import csv
import datetime as dt
import io
import quopri
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import charset_normalizer
from vobject.base import ParseError, getLogicalLines, parseLine

from apps.portability.models import ImportKind

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
HEADER_SCAN_LINES = 50
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

csv.field_size_limit(1_000_000)


class ImportFileError(Exception):
    """The whole file cannot be imported; the message is shown to the user as is."""


@dataclass(slots=True)
class Record:
    line: int
    fields: dict = field(default_factory=dict)
    error: str = ""


# --- Bytes to text ---------------------------------------------------------------------------

_MAGIC = [
    (
        b"PK\x03\x04",
        "This is a ZIP or Excel (.xlsx) file. Open it in your spreadsheet app and "
        "save it as CSV, then upload the CSV.",
    ),
    (b"\xd0\xcf\x11\xe0", "This is an old Excel (.xls) file. Save it as CSV, then upload the CSV."),
    (b"%PDF", "This is a PDF, not a contacts file."),
    (b"\x89PNG", "This is an image, not a contacts file."),
    (b"\xff\xd8\xff", "This is an image, not a contacts file."),
    (b"GIF8", "This is an image, not a contacts file."),
    (b"\x1f\x8b", "This is a compressed (.gz) file. Unpack it first."),
]
BINARY_MESSAGE = (
    "This file is not text (it looks binary). Upload LinkedIn's Connections.csv, a vCard (.vcf) "
    "or a CSV file."
)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name). UTF-8 (with or without BOM) first, then UTF-16 by its BOM,
    then whatever charset-normalizer finds most plausible (cp1252, latin-1, ...)."""
    if not data or not data.strip():
        raise ImportFileError("The file is empty.")
    for magic, message in _MAGIC:
        if data.startswith(magic):
            raise ImportFileError(message)
    text = encoding = None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text, encoding = data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            text = None
    if text is None:
        try:
            text, encoding = data.decode("utf-8-sig"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = _detect_legacy(data)
    if _looks_binary(text):
        raise ImportFileError(BINARY_MESSAGE)
    if not text.strip():
        raise ImportFileError("The file is empty.")
    return text, encoding


def _detect_legacy(data: bytes) -> tuple[str, str]:
    results = charset_normalizer.from_bytes(data)
    best = results.best()
    if best is None:
        raise ImportFileError(BINARY_MESSAGE)
    # Short files fit several code pages equally well; Excel on Windows in Western locales
    # (cp1252) is by far the likeliest author of a re-saved export, so it wins ties.
    for match in results:
        if match.chaos <= best.chaos + 0.001 and "cp1252" in match.could_be_from_charset:
            try:
                return data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:
                break
    return str(best), best.encoding


def decode_with(data: bytes, encoding: str) -> str:
    if encoding == "utf-8":
        return data.decode("utf-8-sig")
    return data.decode(encoding)


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    if "\x00" in sample:
        return True
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t\f\v")
    return controls > max(4, len(sample) // 100)


# --- Kinds -----------------------------------------------------------------------------------

LINKEDIN_COLUMNS = {
    "first name": "first_name",
    "last name": "last_name",
    "url": "linkedin_url",
    "profile url": "linkedin_url",
    "email address": "email",
    "company": "organization",
    "position": "title",
    "connected on": "connected_on",
}


@dataclass(slots=True)
class CsvLayout:
    header_line: int  # 0-based
    delimiter: str
    columns: list[str]


def normalize_header(cell: str) -> str:
    cell = cell.replace("\ufeff", "").strip().strip('"').replace("_", " ").lower()
    return re.sub(r"\s+", " ", cell)


def _split_line(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return []


def _guess_delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in (",", ";", "\t", "|")}
    return max(counts, key=counts.get) if any(counts.values()) else ","


def _head_lines(text: str) -> Iterator[tuple[int, str]]:
    stream = io.StringIO(text)
    for index in range(HEADER_SCAN_LINES):
        line = stream.readline()
        if not line:
            return
        yield index, line.rstrip("\r\n")


def find_linkedin_header(text: str) -> CsvLayout | None:
    """Scan the first lines for LinkedIn's header, whatever preamble precedes it."""
    for index, line in _head_lines(text):
        delimiter = _guess_delimiter(line)
        cells = [normalize_header(c) for c in _split_line(line, delimiter)]
        if {"first name", "last name"} <= set(cells) and (
            "connected on" in cells or {"company", "position"} <= set(cells)
        ):
            return CsvLayout(index, delimiter, _trim_trailing_blank(cells))
    return None


def find_csv_header(text: str) -> CsvLayout | None:
    """The first line with at least two non-empty cells is the header (a preamble line like
    `Notes:,,,` has one)."""
    for index, line in _head_lines(text):
        if not line.strip():
            continue
        delimiter = _guess_delimiter(line)
        cells = _split_line(line, delimiter)
        if sum(1 for c in cells if c.strip()) >= 2:
            return CsvLayout(index, delimiter, _trim_trailing_blank([c.strip() for c in cells]))
    return None


def _trim_trailing_blank(cells: list[str]) -> list[str]:
    while cells and not cells[-1].strip():
        cells.pop()
    return cells


def is_vcard(text: str) -> bool:
    return bool(re.match(r"\s*BEGIN:VCARD\b", text[:1000], re.IGNORECASE))


KIND_NAMES = {
    ImportKind.LINKEDIN: "LinkedIn's Connections.csv",
    ImportKind.VCARD: "a vCard file",
    ImportKind.CSV: "a CSV file",
}
UNRECOGNIZED = (
    "We could not recognize this file. Upload LinkedIn's Connections.csv, a vCard (.vcf) or a "
    "CSV file whose first line names its columns."
)


def detect_kind(text: str, wanted: str = "") -> tuple[str, CsvLayout | None]:
    """Which kind of file this is, checked against the kind the user chose (if any)."""
    if is_vcard(text):
        found, layout = ImportKind.VCARD, None
    elif layout := find_linkedin_header(text):
        found = ImportKind.LINKEDIN
    elif layout := find_csv_header(text):
        found = ImportKind.CSV
    else:
        found, layout = "", None
    if wanted and found != wanted:
        # A LinkedIn export is also a CSV: importing it with chosen columns is legitimate.
        if wanted == ImportKind.CSV and found == ImportKind.LINKEDIN:
            return ImportKind.CSV, layout
        what = f"{KIND_NAMES[found]}" if found else "none of the kinds we import"
        hint = {
            ImportKind.LINKEDIN: "We looked for LinkedIn's header line (First Name, Last Name, "
            "… Connected On) and did not find it.",
            ImportKind.VCARD: "A vCard file starts with BEGIN:VCARD.",
            ImportKind.CSV: "A CSV file has a first line naming at least two columns.",
        }[wanted]
        raise ImportFileError(
            f"This is not {KIND_NAMES[wanted]}: it looks like {what}. {hint} "
            "Choose “Detect automatically” or upload another file."
        )
    if not found:
        raise ImportFileError(UNRECOGNIZED)
    return found, layout


def linkedin_mapping(columns: list[str]) -> dict[str, str]:
    return {
        str(i): LINKEDIN_COLUMNS[normalize_header(c)]
        for i, c in enumerate(columns)
        if normalize_header(c) in LINKEDIN_COLUMNS
    }


# --- Any CSV: guessing which column is what ------------------------------------------------

FIELD_CHOICES = [
    ("", "— Ignore this column —"),
    ("full_name", "Full name"),
    ("first_name", "First name"),
    ("middle_name", "Middle name"),
    ("last_name", "Last name"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("organization", "Organization"),
    ("past_organizations", "Past organizations"),
    ("title", "Title"),
    ("linkedin_url", "LinkedIn URL"),
    ("twitter_handle", "X / Twitter handle"),
    ("location", "Location"),
    ("connected_on", "Connected on (date)"),
    ("tags", "Tags"),
    ("notes", "Notes"),
]
FIELD_LABELS = dict(FIELD_CHOICES)

_ALIASES = {
    "full_name": {"name", "full name", "display name", "contact name", "contact", "fn"},
    "first_name": {"first name", "given name", "first", "firstname", "forename"},
    "middle_name": {"middle name", "additional name"},
    "last_name": {"last name", "family name", "surname", "last", "lastname"},
    "email": {
        "email",
        "e-mail",
        "email address",
        "e-mail address",
        "mail",
        "primary email",
        "work email",
        "personal email",
        "email 1",
        "e-mail 1",
    },
    "phone": {
        "phone",
        "mobile",
        "mobile phone",
        "phone number",
        "telephone",
        "cell",
        "business phone",
        "home phone",
        "primary phone",
        "tel",
        "work phone",
    },
    "organization": {
        "company",
        "organization",
        "organisation",
        "organization name",
        "company name",
        "employer",
        "org",
        "organization 1 - name",
    },
    # Where they worked before: "Initech; Hooli (2019)", one or more per cell.
    "past_organizations": {
        "past organizations",
        "past organization",
        "past companies",
        "past company",
        "past employers",
        "previous organizations",
        "previous companies",
        "previous company",
        "previous employers",
        "previous employer",
        "former organizations",
        "former companies",
        "former company",
        "former employers",
        "former employer",
        "worked before at",
    },
    "title": {
        "title",
        "job title",
        "position",
        "role",
        "organization title",
        "organization 1 - title",
        "job",
    },
    "linkedin_url": {
        "linkedin",
        "linkedin url",
        "linkedin profile",
        "profile url",
        "url",
        "linkedin profile url",
    },
    "twitter_handle": {"twitter", "x", "twitter handle", "x / twitter handle", "x handle"},
    "location": {"location", "city", "address", "home city"},
    "connected_on": {"connected on", "connected", "date connected", "date added"},
    "tags": {"tags", "labels", "groups", "categories", "group membership"},
    "notes": {"notes", "note", "comments", "comment", "description"},
}
_ALIAS_TO_FIELD = {alias: name for name, aliases in _ALIASES.items() for alias in aliases}
_NUMBERED = [
    (re.compile(r"^e-?mail( address)? ?\d* - value$|^e-?mail ?\d+$"), "email"),
    (re.compile(r"^phone ?\d* - value$|^(mobile|other|home|business) phone ?\d*$"), "phone"),
    (re.compile(r"^organi[sz]ation ?\d* - name$"), "organization"),
    (re.compile(r"^organi[sz]ation ?\d* - title$"), "title"),
]


# Ambiguous headers: Outlook's "Title" is "Mr"/"Dr" next to "Job Title"; "URL" may be a website.
_WEAK = {"title", "url", "name", "contact", "address", "role"}
_REPEATABLE = {"email", "phone", "notes", "tags", "past_organizations"}


def guess_mapping(columns: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    weak: list[tuple[str, str]] = []
    for index, column in enumerate(columns):
        name = normalize_header(column)
        guess = _ALIAS_TO_FIELD.get(name)
        if guess is None:
            guess = next((f for pattern, f in _NUMBERED if pattern.match(name)), "")
        if not guess:
            continue
        if name in _WEAK:
            weak.append((str(index), guess))
        elif guess in _REPEATABLE or guess not in mapping.values():
            mapping[str(index)] = guess
    for index, guess in weak:
        if guess not in mapping.values():
            mapping[index] = guess
    return dict(sorted(mapping.items(), key=lambda item: int(item[0])))


# --- Rows ------------------------------------------------------------------------------------

MULTI_VALUE = {"notes", "tags", "past_organizations"}


def iter_csv_records(
    text: str, layout: CsvLayout, mapping: dict[str, str], *, max_rows: int = 0
) -> Iterator[Record]:
    stream = io.StringIO(text)
    for _ in range(layout.header_line + 1):
        stream.readline()
    reader = csv.reader(stream, delimiter=layout.delimiter)
    width = len(layout.columns)
    previous_end = 0
    columns = {int(i): f for i, f in mapping.items() if f}
    count = 0
    try:
        for cells in reader:
            line = layout.header_line + 1 + previous_end + 1
            previous_end = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            count += 1
            if max_rows and count > max_rows:
                raise ImportFileError(too_many_rows())
            extra = [c for c in cells[width:] if c.strip()]
            if extra:
                yield Record(
                    line,
                    {"_label": " ".join(c.strip() for c in cells[:2])},
                    f"This row has {len(cells)} cells but the header has {width}: is a comma "
                    "inside a value missing its quotes?",
                )
                continue
            fields: dict = {}
            for index, name in columns.items():
                value = cells[index].strip() if index < len(cells) else ""
                if not value:
                    continue
                if name in MULTI_VALUE:
                    fields.setdefault(name, []).append(value)
                else:
                    fields.setdefault(name, value)
            if not fields:
                fields["_label"] = " ".join(c.strip() for c in cells[:2])
            yield Record(line, fields)
    except csv.Error as exc:
        raise ImportFileError(
            f"Line {layout.header_line + 2 + previous_end}: this CSV is malformed ({exc})."
        ) from exc


def too_many_rows() -> str:
    return (
        f"This file has more than {MAX_ROWS:,} rows. Split it into smaller files and import "
        "them one after the other."
    )


# vCard ----------------------------------------------------------------------------------------

_PROPERTY = re.compile(r"^(?:[A-Za-z0-9-]+\.)?([A-Za-z0-9-]+)[;:]")
_BINARY_PROPERTIES = {"PHOTO", "LOGO", "SOUND", "KEY"}


def iter_vcard_chunks(text: str) -> Iterator[tuple[int, str]]:
    """Split into single cards (start line, text), dropping photos and joining quoted-printable
    soft line breaks, which vobject's line reader does not understand."""
    lines: list[str] = []
    start = 0
    depth = 0
    skipping = False
    pending_qp = ""
    for number, raw in enumerate(io.StringIO(text), start=1):
        line = raw.rstrip("\r\n")
        if pending_qp:
            line = pending_qp + line
            pending_qp = ""
        upper = line.upper()
        if skipping:
            # Inline photos continue on folded lines or, in vCard 2.1, on unindented base64
            # lines up to a blank line; the next property ends them.
            if not line.strip() or line[:1] in " \t" or not _PROPERTY.match(line):
                continue
            skipping = False
        if upper.startswith("BEGIN:VCARD"):
            depth += 1
            if depth == 1:
                start, lines = number, []
        if depth == 0:
            continue
        match = _PROPERTY.match(line)
        if match and match.group(1).upper() in _BINARY_PROPERTIES:
            skipping = True
            continue
        if "QUOTED-PRINTABLE" in upper.split(":", 1)[0] and line.endswith("="):
            pending_qp = line[:-1]
            continue
        lines.append(line)
        if upper.startswith("END:VCARD"):
            depth -= 1
            if depth == 0:
                yield start, "\r\n".join(lines) + "\r\n"
                lines = []
    if depth > 0 and lines:
        yield start, "\r\n".join(lines) + "\r\n"


def _unescape(value: str) -> str:
    return re.sub(
        r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value, flags=re.DOTALL
    )


def _split_unescaped(value: str, separator: str) -> list[str]:
    parts = re.split(rf"(?<!\\){re.escape(separator)}", value)
    return [_unescape(p) for p in parts]


def _params(params: list) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for entry in params:
        name, *values = entry
        if not values:
            # vCard 2.1 bare parameters: "TEL;CELL" or "NOTE;QUOTED-PRINTABLE".
            upper = name.upper()
            key = "ENCODING" if upper in ("QUOTED-PRINTABLE", "BASE64", "B") else "TYPE"
            result.setdefault(key, []).append(upper)
        else:
            result.setdefault(name.upper(), []).extend(v.upper() for v in values)
    return result


def _decode_value(value: str, params: dict[str, list[str]]) -> str:
    if "QUOTED-PRINTABLE" in params.get("ENCODING", []):
        charset = (params.get("CHARSET") or ["UTF-8"])[0]
        raw = quopri.decodestring(value.encode("latin-1", "replace"))
        try:
            return raw.decode(charset)
        except (LookupError, UnicodeDecodeError):
            return raw.decode("utf-8", "replace")
    return value


def parse_vcard(chunk: str) -> dict:
    """One card's fields. Text values are unescaped here rather than by vobject's behaviours,
    which cut TITLE and NOTE at their first comma."""
    fields: dict = {}
    emails, phones, urls, notes, tags = [], [], [], [], []
    for line, number in getLogicalLines(io.StringIO(chunk)):
        name, params, value, _group = parseLine(line, number)
        name = name.upper()
        params = _params(params)
        value = _decode_value(value, params)
        if name == "FN":
            fields["full_name"] = _unescape(value).strip()
        elif name == "N":
            parts = [p.strip() for p in _split_unescaped(value, ";")] + [""] * 5
            family, given, additional, prefix, suffix = parts[:5]
            fields["_n"] = " ".join(p for p in (prefix, given, additional, family, suffix) if p)
        elif name == "EMAIL":
            emails.append(_unescape(value).strip())
        elif name == "TEL":
            phones.append(re.sub(r"^tel:", "", _unescape(value).strip(), flags=re.IGNORECASE))
        elif name == "ORG":
            fields["organization"] = _split_unescaped(value, ";")[0].strip()
        elif name == "TITLE":
            fields["title"] = _unescape(value).strip()
        elif name in ("URL", "X-SOCIALPROFILE"):
            urls.append(_unescape(value).strip())
        elif name == "NOTE":
            notes.append(_unescape(value).strip())
        elif name == "CATEGORIES":
            tags.extend(t.strip() for t in _split_unescaped(value, ",") if t.strip())
        elif name == "ADR":
            parts = [p.strip() for p in _split_unescaped(value, ";")] + [""] * 7
            city, region, country = parts[3], parts[4], parts[6]
            place = ", ".join(p for p in (city, region, country) if p)
            if place:
                fields.setdefault("location", place)
        elif name == "X-LOCATION":
            fields["location"] = _unescape(value).strip()
        elif name == "X-CONNECTED-ON":
            fields["connected_on"] = value.strip()
    fields.setdefault("full_name", fields.get("_n", ""))
    fields.pop("_n", None)
    emails = [e for e in emails if e]
    phones = [p for p in phones if p]
    if emails:
        fields["email"] = emails[0]
    if phones:
        fields["phone"] = phones[0]
    others = [f"Other email: {e}" for e in emails[1:]] + [f"Other phone: {p}" for p in phones[1:]]
    for url in urls:
        if "linkedin.com/" in url.lower() and "linkedin_url" not in fields:
            fields["linkedin_url"] = url
        elif re.search(r"(twitter|x)\.com/", url, re.IGNORECASE) and "twitter_handle" not in fields:
            fields["twitter_handle"] = url
        elif url:
            others.append(f"Website: {url}")
    notes = [n for n in notes if n]
    if notes or others:
        fields["notes"] = notes + others
    if tags:
        fields["tags"] = tags
    return {k: v for k, v in fields.items() if v}


def iter_vcard_records(text: str, *, max_rows: int = 0) -> Iterator[Record]:
    for count, (line, chunk) in enumerate(iter_vcard_chunks(text), start=1):
        if max_rows and count > max_rows:
            raise ImportFileError(too_many_rows())
        try:
            yield Record(line, parse_vcard(chunk))
        except (ParseError, ValueError, IndexError) as exc:
            yield Record(line, {}, f"This card could not be read: {exc}")


# --- Values ----------------------------------------------------------------------------------

DATE_FORMATS = (
    "%d %b %Y",  # 09 Oct 2024 (LinkedIn today)
    "%m/%d/%y",  # 1/8/18 (LinkedIn before 2019, time part removed)
    "%m/%d/%Y",
    "%Y-%m-%d",
    "%d-%b-%y",  # 5-Jan-26 (spreadsheet re-save)
    "%d-%b-%Y",
    "%d.%m.%Y",  # 16.09.2021 (European spreadsheet)
    "%d.%m.%y",
    "%d %B %Y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%d/%m/%Y",
    "%Y/%m/%d",
    "%Y%m%d",
)


def parse_date(value: str) -> dt.date | None:
    """None for blank; ValueError for something that is not a date we understand."""
    value = value.strip()
    if not value:
        return None
    # Old LinkedIn exports add a time ("1/8/18, 6:14 PM"); ISO timestamps have a "T".
    candidate = re.split(r",\s*\d{1,2}:\d{2}|T\d{2}:|\s+\d{1,2}:\d{2}", value)[0].strip()
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(candidate, fmt).date()  # noqa: DTZ007 - a plain date
        except ValueError:
            continue
    raise ValueError(f"“{value}” is not a date we recognize (try 2024-10-09 or 09 Oct 2024).")


def unneutralize(value: str) -> str:
    """Undo our own export's guard against formula injection ('=1+1 → =1+1)."""
    if value.startswith("'") and value[1:2] in FORMULA_TRIGGERS and value[1:2]:
        return value[1:]
    return value


def neutralize(value):
    """Prefix cells a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
