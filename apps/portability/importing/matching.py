"""Which of the user's contacts and organizations the rows of a batch already are."""

from django.db import connection
from django.db.models import Q
from django.db.models.functions import Lower

from apps.contacts.models import Contact, Organization

# Stands for a contact the dry run would have created from an earlier row of the same file.
SEEN_IN_FILE = object()


def org_key(contact) -> str:
    return contact.organization.name.lower() if contact.organization is not None else ""


def named(queryset, names):
    """Rows whose name matches any of `names` ignoring case. SQLite's LOWER() folds ASCII only,
    so exact spellings are asked for too; callers key the result by Python's lower()."""
    names = list(names)
    lowered = {n.lower() for n in names}
    return queryset.annotate(name_l=Lower("name")).filter(Q(name_l__in=lowered) | Q(name__in=names))


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
        self.by_name_org.setdefault((contact.full_name.lower(), org_key(contact)), contact)

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


def existing_contacts(*, owner, rows):
    """The owner's contacts any of `rows` could match, with their organization, tags and past
    organizations."""
    urls = {r.data["linkedin_url"] for r in rows if r.data["linkedin_url"]}
    emails = {r.data["email"].lower() for r in rows if r.data["email"]}
    names = {r.data["full_name"] for r in rows}
    match = (
        Q(linkedin_url__in=urls) | Q(email_l__in=emails) | Q(name_l__in={n.lower() for n in names})
    )
    if connection.vendor == "sqlite":
        # SQLite's LOWER() folds ASCII only; PostgreSQL keeps to its indexed expressions.
        match |= Q(email__in={r.data["email"] for r in rows if r.data["email"]})
        match |= Q(full_name__in=names)
    return (
        Contact.objects.owned_by(owner)
        .annotate(email_l=Lower("email"), name_l=Lower("full_name"))
        .filter(match)
        .select_related("organization")
        .prefetch_related("tags", "past_employments__organization")
        .order_by("pk")
    )


def organizations_for(*, owner, rows) -> dict:
    """Lower name -> Organization for every organization the rows name: the owner's own, or a new
    unsaved one."""
    wanted = {r.data["organization"].lower(): r.data["organization"] for r in rows}
    for row in rows:
        for name, _until in row.past:
            wanted.setdefault(name.lower(), name)
    wanted.pop("", None)
    if not wanted:
        return {}
    found = {
        org.name.lower(): org
        for org in named(Organization.objects.owned_by(owner), wanted.values())
    }
    for key, name in wanted.items():
        found.setdefault(key, Organization(owner=owner, name=name))
    return found
