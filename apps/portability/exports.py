"""Writing the user's data out: CSV (guarded against formula injection), JSON, vCard, ZIP."""

import csv
import datetime as dt
import io
import json
import tempfile
import zipfile
from decimal import Decimal

import vobject
from django.utils import timezone

from apps.accounts.forms import SETTINGS_FIELDS
from apps.portability import selectors
from apps.portability.formats import neutralize

CONTACT_LIST_COLUMNS = [
    ("Full name", "full_name"),
    ("Email", "email"),
    ("Phone", "phone"),
    ("Organization", "organization"),
    ("Title", "title"),
    ("LinkedIn URL", "linkedin_url"),
    ("X / Twitter handle", "twitter_handle"),
    ("Facebook profile", "facebook_url"),
    ("Instagram handle", "instagram_handle"),
    ("Location", "location"),
    ("How we met", "channel"),
    ("Warmth", "warmth"),
    ("Keep in touch (days)", "cadence_days"),
    ("Tags", "tags"),
    ("Connected on", "connected_on"),
    ("Last interaction", "last_interaction_at"),
    ("Archived", "archived"),
    ("Notes", "notes"),
]
# The account itself: who it is, since when, and everything the settings page sets.
ACCOUNT_FIELDS = ("email", "date_joined", *SETTINGS_FIELDS)


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return neutralize(str(value))


def jsonable(value):
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return None
    return value


class Echo:
    def write(self, value):
        return value


def contact_list_rows(contacts):
    """The list view as CSV lines, one at a time (for a streaming response)."""
    writer = csv.writer(Echo())
    yield "\ufeff"  # Excel reads UTF-8 only with a BOM.
    yield writer.writerow([header for header, _ in CONTACT_LIST_COLUMNS])
    for contact in contacts:
        values = {
            "organization": contact.organization.name if contact.organization else "",
            "channel": contact.get_channel_display(),
            "warmth": contact.get_warmth_display(),
            "tags": "; ".join(t.name for t in contact.tags.all()),
        }
        yield writer.writerow(
            [
                cell(values[name] if name in values else getattr(contact, name))
                for _, name in CONTACT_LIST_COLUMNS
            ]
        )


def contact_vcard(contact) -> str:
    card = vobject.vCard()
    card.add("fn").value = contact.full_name
    given, _, family = contact.full_name.rpartition(" ")
    card.add("n").value = vobject.vcard.Name(family=family or given, given=given if family else "")
    if contact.email:
        mail = card.add("email")
        mail.value = contact.email
        mail.type_param = "INTERNET"
    if contact.phone:
        card.add("tel").value = contact.phone
    if contact.organization:
        card.add("org").value = [contact.organization.name]
    if contact.title:
        card.add("title").value = contact.title
    if contact.linkedin_url:
        card.add("url").value = contact.linkedin_url
    if contact.twitter_handle:
        card.add("x-socialprofile").value = f"https://x.com/{contact.twitter_handle}"
    if contact.facebook_url:
        card.add("x-socialprofile").value = contact.facebook_url
    if contact.instagram_handle:
        card.add("x-socialprofile").value = f"https://www.instagram.com/{contact.instagram_handle}/"
    if contact.location:
        card.add("x-location").value = contact.location
    if contact.connected_on:
        card.add("x-connected-on").value = contact.connected_on.isoformat()
    if contact.notes:
        card.add("note").value = contact.notes
    tags = [t.name for t in contact.tags.all()]
    if tags:
        card.add("categories").value = tags
    return card.serialize()


def build_account_zip(*, user):
    """The whole account: a CSV per kind of record, account.json with everything linked by id,
    and contacts.vcf. Written to a temporary file so a large account does not sit in memory."""
    # Returned open: the response streams it and closes it.
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    tags_by_contact = selectors.contact_tag_links(user=user)
    contacts_by_interaction = selectors.interaction_contact_links(user=user)
    interviewers_by_round = selectors.interviewer_links(user=user)
    document = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024, mode="w+t")  # noqa: SIM115
    document.write('{"format": "followthrough-export", "version": 1')
    document.write(f', "exported_at": {json.dumps(timezone.now().isoformat())}')
    account = {name: jsonable(getattr(user, name)) for name in ACCOUNT_FIELDS}
    document.write(f', "account": {json.dumps(account)}')
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, columns, rows in selectors.export_sources(user=user):
            extra = []
            if name == "contacts":
                extra = ["tags", "tag_ids"]
            elif name == "interactions":
                extra = ["contact_ids"]
            elif name == "interview_rounds":
                extra = ["interviewer_ids"]
            document.write(f', "{name}": [')
            with archive.open(f"{name}.csv", "w") as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
                writer = csv.writer(text)
                writer.writerow(columns + extra)
                for position, row in enumerate(rows):
                    if name == "contacts":
                        links = tags_by_contact.get(row["id"], [])
                        row["tags"] = "; ".join(n for _, n in links)
                        row["tag_ids"] = [i for i, _ in links]
                    elif name == "interactions":
                        row["contact_ids"] = contacts_by_interaction.get(row["id"], [])
                    elif name == "interview_rounds":
                        row["interviewer_ids"] = interviewers_by_round.get(row["id"], [])
                    writer.writerow(
                        [
                            cell("; ".join(map(str, v)) if isinstance(v, list) else v)
                            for v in (row[c] for c in columns + extra)
                        ]
                    )
                    if position:
                        document.write(", ")
                    document.write(json.dumps({k: jsonable(v) for k, v in row.items()}))
                text.flush()
                text.detach()
            document.write("]")
        document.write("}\n")
        document.seek(0)
        with archive.open("account.json", "w") as raw:
            while chunk := document.read(256 * 1024):
                raw.write(chunk.encode("utf-8"))
        document.close()
        with archive.open("contacts.vcf", "w") as raw:
            for contact in selectors.vcard_contacts(user=user).iterator(chunk_size=1000):
                raw.write(contact_vcard(contact).encode("utf-8"))
        archive.writestr("README.txt", README)
    spool.seek(0)
    return spool


README = """Your Followthrough data

account.json      everything in one document; records link to each other by "id"
                  (e.g. a contact's organization_id, an interaction's contact_ids).
contacts.vcf      your contacts as vCards, for any address book.
*.csv             one table per kind of record, same columns as account.json.

Spreadsheet safety: a cell that starts with = + - @ or a tab is prefixed with an apostrophe
so that spreadsheet apps do not run it as a formula. Followthrough's importer removes it again.
"""
