"""The file stored on a job, read back as records (formats does the parsing)."""

import itertools

from apps.portability import formats
from apps.portability.models import ImportJob, ImportKind


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
