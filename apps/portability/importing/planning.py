"""What each row of a batch does to the user's contacts (new, updated, unchanged), worked out on
unsaved objects so that the dry run and the real import decide alike."""

from dataclasses import dataclass, field

from apps.contacts.models import NOTES_MAX, AddedVia, Contact, PastEmployment
from apps.core.choices import Channel
from apps.portability.importing.cleaning import Row
from apps.portability.importing.matching import (
    SEEN_IN_FILE,
    MatchIndex,
    SeenKeys,
    existing_contacts,
    org_key,
    organizations_for,
)

NEW, UPDATED, UNCHANGED, SKIPPED = "new", "updated", "unchanged", "skipped"
# Descriptive fields follow the file (people change jobs); identity fields are only filled in.
FOLLOW_FILE = ("title", "phone", "location", "twitter_handle", "connected_on")
FILL_ONLY = ("full_name", "email", "linkedin_url")
# How the preview names a changed field.
FIELD_WORDS = {
    "full_name": "name",
    "email": "email",
    "linkedin_url": "LinkedIn URL",
    "title": "title",
    "phone": "phone",
    "location": "location",
    "twitter_handle": "X handle",
    "connected_on": "connected-on date",
    "organization": "organization",
    "channel": "how we met",
    "notes": "notes",
    "tags": "tags",
    "past_organizations": "past organizations",
}


@dataclass
class Plan:
    outcomes: list[tuple[Row, str]] = field(default_factory=list)
    new: list = field(default_factory=list)
    changed: dict = field(default_factory=dict)  # contact -> set of field names
    tags: list[tuple[Contact, list[str]]] = field(default_factory=list)
    orgs: dict = field(default_factory=dict)  # lower name -> Organization (maybe unsaved)
    existing_tags: dict = field(default_factory=dict)  # contact pk -> set of lower tag names
    # Past organizations: new PastEmployment rows (contact and organization maybe unsaved), and
    # saved ones whose year the file fills in; per contact, lower organization name -> row.
    past: list = field(default_factory=list)
    past_years: list = field(default_factory=list)
    existing_past: dict = field(default_factory=dict)
    changes: dict = field(default_factory=dict)  # line of an updated row -> words for its fields


def plan_rows(rows: list[Row], *, owner, seen: SeenKeys | None) -> Plan:
    """`seen` is given on a dry run only: it remembers the rows earlier batches would create."""
    plan = Plan()
    index = MatchIndex()
    for contact in existing_contacts(owner=owner, rows=rows):
        index.add(contact)
        plan.existing_tags[contact.pk] = {t.name.lower() for t in contact.tags.all()}
        plan.existing_past[contact.pk] = {
            e.organization.name.lower(): e for e in contact.past_employments.all()
        }
    plan.orgs = organizations_for(owner=owner, rows=rows)
    for row in rows:
        contact = index.match(row.data)
        if contact is None and seen is not None and row.data in seen:
            contact = SEEN_IN_FILE
        if contact is SEEN_IN_FILE:
            plan.outcomes.append((row, UNCHANGED))
            continue
        if contact is None:
            contact = new_contact(row, plan, owner=owner)
            plan.new.append(contact)
            add_past(contact, row, plan)
            index.add(contact)
            if seen is not None:
                seen.add(row.data)
            outcome = NEW
        else:
            changed = merge(contact, row, plan, index)
            known = plan.existing_tags.setdefault(contact.pk, set()) if contact.pk else None
            if known is not None and any(t.lower() not in known for t in row.tags):
                changed.add("tags")
                known.update(t.lower() for t in row.tags)
            if add_past(contact, row, plan):
                changed.add("past_organizations")
            if changed and contact.pk:
                plan.changed.setdefault(contact, set()).update(
                    changed - {"tags", "past_organizations"}
                )
            outcome = UPDATED if changed else UNCHANGED
            if changed:
                plan.changes[row.line] = [w for f, w in FIELD_WORDS.items() if f in changed]
        if row.tags:
            plan.tags.append((contact, row.tags))
        plan.outcomes.append((row, outcome))
    return plan


def new_contact(row: Row, plan: Plan, *, owner) -> Contact:
    data = row.data
    return Contact(
        owner=owner,
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
        added_via=AddedVia.IMPORT,
    )


def add_past(contact: Contact, row: Row, plan: Plan) -> bool:
    """Plan the row's past organizations for the contact: the ones it does not have yet, and a
    year where it had none (a blank never erases one). True when anything changes."""
    # A contact this batch creates has no id yet (and an unsaved model cannot be a key).
    known = plan.existing_past.setdefault(contact.pk or ("unsaved", id(contact)), {})
    changed = False
    for name, until in row.past:
        employment = known.get(name.lower())
        if employment is None:
            employment = PastEmployment(
                owner=contact.owner,
                contact=contact,
                organization=plan.orgs[name.lower()],
                until=until,
            )
            known[name.lower()] = employment
            plan.past.append(employment)
            changed = True
        elif until is not None and employment.until is None:
            employment.until = until
            if employment.pk is not None:
                plan.past_years.append(employment)
            changed = True
    return changed


def merge(contact: Contact, row: Row, plan: Plan, index: MatchIndex) -> set[str]:
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
    if org_name and org_name.lower() != org_key(contact):
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
