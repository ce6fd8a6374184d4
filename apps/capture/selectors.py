"""What a captured page matches among the user's own records."""

from django.db.models.functions import Lower

from apps.contacts.models import Contact, Organization
from apps.contacts.services import PROFILE_FIELDS

MAX_PEOPLE = 20


def contact_with_profile(*, user, field: str, value: str) -> Contact | None:
    """The contact already holding this profile, compared as the contacts app compares it."""
    if not value or field not in PROFILE_FIELDS:
        return None
    _, lookup = PROFILE_FIELDS[field]
    return (
        Contact.objects.owned_by(user)
        .filter(**{f"{field}__{lookup}": value})
        .select_related("organization")
        .first()
    )


def organization_named(*, user, name: str) -> Organization | None:
    name = " ".join((name or "").split())
    if not name:
        return None
    return Organization.objects.owned_by(user).filter(name__iexact=name).first()


def people_at(*, organization: Organization | None) -> list[Contact]:
    """Who you know there: the possible referrers for a posting."""
    if organization is None:
        return []
    return list(
        Contact.objects.owned_by(organization.owner_id)
        .filter(organization=organization, archived=False)
        .order_by(Lower("full_name"), "pk")[:MAX_PEOPLE]
    )


def contacts_by_email(*, user, emails) -> dict[str, Contact]:
    """The user's contacts with these addresses (any case), by lowercased address."""
    wanted = {e.lower() for e in emails if e}
    if not wanted:
        return {}
    found = {}
    for contact in (
        Contact.objects.owned_by(user)
        .annotate(lower_email=Lower("email"))
        .filter(lower_email__in=wanted)
        .order_by("pk")
    ):
        found.setdefault(contact.lower_email, contact)
    return found
