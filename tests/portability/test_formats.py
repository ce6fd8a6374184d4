import datetime as dt

import pytest

from apps.portability import formats
from apps.portability.formats import ImportFileError
from tests.portability.conftest import load


@pytest.mark.parametrize(
    ("name", "encoding", "expected"),
    [
        ("linkedin_current.csv", "utf-8", "Jürgen"),
        ("linkedin_semicolon_cp1252.csv", "cp1252", "Ørsted"),
        ("linkedin_latin1_dotted.csv", "cp1252", "Søren"),
        ("linkedin_utf16_tabs.csv", "utf-16", "東京大学"),
    ],
)
def test_it_decodes_each_encoding_without_garbling_names(name, encoding, expected):
    text, found = formats.decode_bytes(load(name))
    assert found == encoding
    assert expected in text


def test_it_drops_a_utf8_byte_order_mark():
    text, encoding = formats.decode_bytes("\ufeffFirst Name,Last Name\nA,B\n".encode())
    assert encoding == "utf-8"
    assert text.startswith("First Name")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "The file is empty."),
        ("image.png", "This is an image"),
        ("binary.bin", "This file is not text"),
        ("prose.txt", "We could not recognize this file"),
    ],
)
def test_it_refuses_files_that_are_not_contacts(name, message):
    with pytest.raises(ImportFileError, match=message):
        text, _ = formats.decode_bytes(load(name))
        formats.detect_kind(text)


def test_it_explains_that_an_excel_file_must_be_saved_as_csv():
    with pytest.raises(ImportFileError, match="save it as CSV"):
        formats.decode_bytes(b"PK\x03\x04" + b"\x00" * 100)


@pytest.mark.parametrize(
    ("name", "kind", "header_line", "delimiter"),
    [
        ("linkedin_current.csv", "linkedin", 3, ","),
        ("linkedin_old.csv", "linkedin", 0, ","),
        ("linkedin_semicolon_cp1252.csv", "linkedin", 3, ";"),
        ("linkedin_latin1_dotted.csv", "linkedin", 3, ","),
        ("linkedin_utf16_tabs.csv", "linkedin", 3, "\t"),
        ("google_contacts.csv", "csv", 0, ","),
        ("outlook_contacts.csv", "csv", 0, ","),
        ("contacts_v21.vcf", "vcard", None, None),
    ],
)
def test_it_detects_the_kind_and_finds_the_header_by_scanning(name, kind, header_line, delimiter):
    text, _ = formats.decode_bytes(load(name))
    found, layout = formats.detect_kind(text)
    assert found == kind
    if header_line is not None:
        assert (layout.header_line, layout.delimiter) == (header_line, delimiter)


def test_it_finds_the_header_after_a_preamble_of_any_length():
    text = (
        "Notes:\nline one\n\nmore notes\n\n\n"
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\nA,B,,,,,\n"
    )
    kind, layout = formats.detect_kind(text)
    assert kind == "linkedin"
    assert layout.header_line == 6


@pytest.mark.parametrize(
    ("name", "wanted", "message"),
    [
        (
            "contacts_v30.vcf",
            "linkedin",
            "This is not LinkedIn's Connections.csv: it looks like a vCard",
        ),
        ("google_contacts.csv", "linkedin", "We looked for LinkedIn's header line"),
        ("linkedin_current.csv", "vcard", "This is not a vCard file"),
        ("contacts_v40.vcf", "csv", "This is not a CSV file"),
    ],
)
def test_it_refuses_a_file_of_the_wrong_kind(name, wanted, message):
    text, _ = formats.decode_bytes(load(name))
    with pytest.raises(ImportFileError, match=message):
        formats.detect_kind(text, wanted)


def test_a_linkedin_file_may_be_imported_as_any_csv():
    text, _ = formats.decode_bytes(load("linkedin_current.csv"))
    kind, layout = formats.detect_kind(text, "csv")
    assert kind == "csv"
    assert layout.header_line == 3


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("09 Oct 2024", dt.date(2024, 10, 9)),
        ("1/8/18, 6:14 PM", dt.date(2018, 1, 8)),
        ("12/24/17, 9:02 AM", dt.date(2017, 12, 24)),
        ("5-Jan-26", dt.date(2026, 1, 5)),
        ("16.09.2021", dt.date(2021, 9, 16)),
        ("2024-05-06", dt.date(2024, 5, 6)),
        ("2024-05-06T10:00:00Z", dt.date(2024, 5, 6)),
        ("", None),
    ],
)
def test_it_reads_every_date_format_linkedin_and_spreadsheets_write(value, expected):
    assert formats.parse_date(value) == expected


def test_it_refuses_a_date_it_does_not_understand():
    with pytest.raises(ValueError, match="“someday” is not a date"):
        formats.parse_date("someday")


def test_it_counts_physical_lines_across_quoted_newlines():
    text = 'Name,Notes\nA,"two\nlines"\nB,x\n'
    _, layout = formats.detect_kind(text)
    records = list(formats.iter_csv_records(text, layout, {"0": "full_name", "1": "notes"}))
    assert [(r.line, r.fields["full_name"]) for r in records] == [(2, "A"), (4, "B")]
    assert records[0].fields["notes"] == ["two\nlines"]


def test_it_refuses_more_rows_than_the_limit(monkeypatch):
    monkeypatch.setattr(formats, "MAX_ROWS", 3)
    text = "Name,Email\n" + "".join(f"P{i},p{i}@example.com\n" for i in range(4))
    _, layout = formats.detect_kind(text)
    with pytest.raises(ImportFileError, match="more than 3 rows"):
        list(formats.iter_csv_records(text, layout, {"0": "full_name"}, max_rows=formats.MAX_ROWS))


def test_vcard_21_quoted_printable_folding_and_photo_are_handled():
    records = list(formats.iter_vcard_records(formats.decode_bytes(load("contacts_v21.vcf"))[0]))
    assert [r.line for r in records] == [1, 29]
    first = records[0].fields
    assert first["full_name"] == "Jürgen Müller"
    assert first["notes"][0] == "Met at the meetup in Berlin\r\nTalked about café culture"
    assert first["phone"] == "+49 170 1234567"
    assert "Other phone: +49 30 9876543" in first["notes"]
    assert first["organization"] == "Acme GmbH"
    assert first["linkedin_url"] == "https://www.linkedin.com/in/Juergen-Mueller/"
    assert not records[0].error


def test_vcard_30_keeps_escaped_commas_and_reads_every_card():
    records = list(formats.iter_vcard_records(load("contacts_v30.vcf").decode()))
    assert [r.fields["full_name"] for r in records] == [
        "Ada Lovelace",
        "Alan Turing",
        "Katherine Johnson",
    ]
    ada = records[0].fields
    assert ada["organization"] == "Analytical Engines, Ltd."
    assert ada["title"] == "Mathematician, Writer"
    assert ada["email"] == "ada@example.com"
    assert ada["tags"] == ["Mentors", "London"]
    assert ada["notes"][0].endswith("long enough to be folded across lines.")
    assert "Other email: ada.home@example.com" in ada["notes"]
    assert records[1].fields["location"] == "Milton Keynes, United Kingdom"


def test_vcard_40_keeps_an_unescaped_comma_in_a_title_and_reads_uri_phones():
    (record,) = formats.iter_vcard_records(load("contacts_v40.vcf").decode())
    assert record.fields["title"] == "VP of Things, Europe"
    assert record.fields["phone"] == "+1-555-555-0100"
    assert record.fields["linkedin_url"] == "https://www.linkedin.com/in/ann-lee-42/"


def test_a_broken_card_is_reported_and_the_others_are_read():
    text = (
        "BEGIN:VCARD\nVERSION:3.0\nFN:Good One\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nthis line is not a property\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:Good Two\nEND:VCARD\n"
    )
    records = list(formats.iter_vcard_records(text))
    assert [r.line for r in records] == [1, 5, 9]
    assert records[1].error.startswith("This card could not be read")
    assert records[2].fields["full_name"] == "Good Two"


def test_it_guesses_google_and_outlook_columns():
    google = formats.guess_mapping(
        [
            "Name",
            "Given Name",
            "Family Name",
            "E-mail 1 - Value",
            "Phone 1 - Value",
            "Organization 1 - Name",
            "Organization 1 - Title",
            "Group Membership",
        ]
    )
    assert google == {
        "0": "full_name",
        "1": "first_name",
        "2": "last_name",
        "3": "email",
        "4": "phone",
        "5": "organization",
        "6": "title",
        "7": "tags",
    }
    outlook = formats.guess_mapping(["First Name", "Last Name", "Title", "Company", "Job Title"])
    # Outlook's "Title" is Mr/Dr: the job title wins.
    assert outlook == {"0": "first_name", "1": "last_name", "3": "organization", "4": "title"}


@pytest.mark.parametrize("value", ["=1+1", "+44 20", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_cells_a_spreadsheet_would_run_are_neutralized_and_restored(value):
    guarded = formats.neutralize(value)
    assert guarded == "'" + value
    assert formats.unneutralize(guarded) == value


def test_ordinary_cells_are_left_alone():
    assert formats.neutralize("Ada") == "Ada"
    assert formats.unneutralize("'quoted'") == "'quoted'"
