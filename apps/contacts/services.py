"""Writes for contacts, organizations and tags. Keyword-only, one transaction each."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models.functions import Lower

from apps.contacts.models import (
    Contact,
    NotDuplicate,
    Organization,
    PastEmployment,
    Tag,
    Warmth,
)
from apps.contacts.normalize import (
    normalize_facebook_url,
    normalize_instagram_handle,
    normalize_linkedin_url,
    normalize_x_handle,
)
from apps.contacts.signals import cadence_changed, introducer_set, merging
from apps.core.choices import Channel

# Deep enough for any real introduction chain; bounds the recursive walk if bad data ever
# contains a loop.
MAX_INTRODUCTION_DEPTH = 500
TAG_MAX = Tag._meta.get_field("name").max_length
WARMTH_ORDER = [Warmth.COLD, Warmth.WARM, Warmth.CLOSE]
# Blank on the survivor, taken from the other contact when merging.
MERGE_FILL_FIELDS = [
    "email",
    "phone",
    "organization_id",
    "title",
    "linkedin_url",
    "twitter_handle",
    "facebook_url",
    "instagram_handle",
    "location",
    "cadence_days",
    "connected_on",
    "introduced_by_id",
]


class DuplicateContactError(Exception):
    """Another of the owner's contacts already has this email or LinkedIn profile."""

    def __init__(self, field: str, existing: Contact):
        super().__init__(f"duplicate {field}")
        self.field = field
        self.existing = existing


# Each profile field, its canonical form, and how two values are compared.
PROFILE_FIELDS = {
    "linkedin_url": (normalize_linkedin_url, "exact"),
    "twitter_handle": (normalize_x_handle, "iexact"),
    "facebook_url": (normalize_facebook_url, "exact"),
    "instagram_handle": (normalize_instagram_handle, "exact"),
}


def normalize_profiles(contact: Contact) -> None:
    for name, (normalize, _) in PROFILE_FIELDS.items():
        setattr(contact, name, normalize(getattr(contact, name)))


def find_duplicate(*, owner, email: str = "", exclude_pk=None, **profiles):
    """The contact already holding this email (any case) or the same profile on a channel
    (LinkedIn URL, X handle, Facebook URL, Instagram handle, each normalized), as
    (field, contact), or None."""
    unknown = set(profiles) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown profile fields: {', '.join(sorted(unknown))}")
    qs = Contact.objects.owned_by(owner).exclude(pk=exclude_pk)
    if email:
        existing = qs.filter(email__iexact=email.strip()).first()
        if existing:
            return "email", existing
    for name, value in profiles.items():
        normalize, lookup = PROFILE_FIELDS[name]
        value = normalize(value or "")
        if value:
            existing = qs.filter(**{f"{name}__{lookup}": value}).first()
            if existing:
                return name, existing
    return None


def _profiles_of(contact: Contact) -> dict:
    return {name: getattr(contact, name) for name in PROFILE_FIELDS}


def introduction_ancestors(*, owner, contact_id) -> set[int]:
    """Ids of `contact_id` and everyone above it in its introduction chain, in one query."""
    table = connection.ops.quote_name(Contact._meta.db_table)
    sql = f"""
        WITH RECURSIVE chain(id, introduced_by_id, depth) AS (
            SELECT id, introduced_by_id, 1 FROM {table} WHERE id = %s AND owner_id = %s
            UNION ALL
            SELECT c.id, c.introduced_by_id, chain.depth + 1
            FROM {table} c JOIN chain ON c.id = chain.introduced_by_id
            WHERE chain.depth < %s AND c.owner_id = %s
        )
        SELECT id FROM chain
    """  # noqa: S608 - only the table name is interpolated; values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [contact_id, owner.pk, MAX_INTRODUCTION_DEPTH, owner.pk])
        return {row[0] for row in cursor.fetchall()}


def check_introduced_by(*, owner, contact: Contact | None, introduced_by: Contact | None):
    """Refuse another owner's contact, the contact itself, and any loop."""
    if introduced_by is None:
        return
    if introduced_by.owner_id != owner.pk:
        raise ValidationError({"introduced_by": "Choose one of your own contacts."})
    if contact is None or contact.pk is None:
        return
    if introduced_by.pk == contact.pk:
        raise ValidationError({"introduced_by": "A contact cannot introduce themselves."})
    if contact.pk in introduction_ancestors(owner=owner, contact_id=introduced_by.pk):
        raise ValidationError(
            {
                "introduced_by": (
                    f"{introduced_by} was introduced to you through {contact}, directly or "
                    f"through others, so {contact} cannot have been introduced by them."
                )
            }
        )


def resolve_organization(*, owner, name: str) -> Organization | None:
    """The owner's organization with this name (any case), created when new."""
    name = " ".join((name or "").split())
    if not name:
        return None
    existing = Organization.objects.owned_by(owner).filter(name__iexact=name).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Organization.objects.create(owner=owner, name=name)
    except IntegrityError:
        # Created by a concurrent request a moment ago.
        return Organization.objects.owned_by(owner).get(name__iexact=name)


def resolve_tags(*, owner, names) -> list[Tag]:
    """The owner's tags with these names (any case), creating the new ones."""
    wanted = {}
    for name in names:
        name = " ".join(name.split())[:TAG_MAX]
        if name:
            wanted.setdefault(name.lower(), name)
    if not wanted:
        return []
    found = {
        tag.name.lower(): tag
        for tag in Tag.objects.owned_by(owner)
        .annotate(lname=Lower("name"))
        .filter(lname__in=list(wanted))
    }
    for key, name in wanted.items():
        if key not in found:
            try:
                with transaction.atomic():
                    found[key] = Tag.objects.create(owner=owner, name=name)
            except IntegrityError:
                found[key] = Tag.objects.owned_by(owner).get(name__iexact=name)
    return [found[key] for key in wanted]


def _save_checked(contact: Contact, *, owner):
    try:
        with transaction.atomic():
            contact.save()
    except IntegrityError:
        # The form checked first; this is a concurrent write of the same person.
        duplicate = find_duplicate(
            owner=owner, email=contact.email, exclude_pk=contact.pk, **_profiles_of(contact)
        )
        if duplicate:
            raise DuplicateContactError(*duplicate) from None
        raise


@transaction.atomic
def create_contact(
    *, owner, full_name: str, organization_name: str = "", tag_names=(), **fields
) -> Contact:
    """Create a contact. `fields` are Contact fields; `organization_name` finds or creates the
    organization (ignored when `organization` is given)."""
    contact = Contact(owner=owner, full_name=full_name, **fields)
    normalize_profiles(contact)
    if "organization" not in fields and organization_name:
        contact.organization = resolve_organization(owner=owner, name=organization_name)
    check_introduced_by(owner=owner, contact=None, introduced_by=contact.introduced_by)
    duplicate = find_duplicate(owner=owner, email=contact.email, **_profiles_of(contact))
    if duplicate:
        raise DuplicateContactError(*duplicate)
    _save_checked(contact, owner=owner)
    if tag_names:
        contact.tags.set(resolve_tags(owner=owner, names=tag_names))
    if contact.cadence_days:
        cadence_changed.send(sender=Contact, contacts=[contact])
    if contact.introduced_by_id:
        introducer_set.send(sender=Contact, contact=contact, previous_id=None)
    return contact


@transaction.atomic
def update_contact(
    *, owner, contact: Contact, organization_name=None, tag_names=None, **fields
) -> Contact:
    """Change a contact. `organization_name=None` leaves the organization alone, "" clears it;
    `tag_names=None` leaves the tags alone."""
    if contact.owner_id != owner.pk:
        raise Contact.DoesNotExist
    old_cadence, old_introducer = (
        Contact.objects.filter(pk=contact.pk)
        .values_list("cadence_days", "introduced_by_id")
        .first()
    )
    for name, value in fields.items():
        setattr(contact, name, value)
    normalize_profiles(contact)
    if organization_name is not None:
        contact.organization = resolve_organization(owner=owner, name=organization_name)
    check_introduced_by(owner=owner, contact=contact, introduced_by=contact.introduced_by)
    duplicate = find_duplicate(
        owner=owner, email=contact.email, exclude_pk=contact.pk, **_profiles_of(contact)
    )
    if duplicate:
        raise DuplicateContactError(*duplicate)
    _save_checked(contact, owner=owner)
    if tag_names is not None:
        contact.tags.set(resolve_tags(owner=owner, names=tag_names))
    if contact.cadence_days != old_cadence:
        cadence_changed.send(sender=Contact, contacts=[contact])
    if contact.introduced_by_id != old_introducer:
        introducer_set.send(sender=Contact, contact=contact, previous_id=old_introducer)
    return contact


@transaction.atomic
def set_archived(*, owner, contact: Contact, archived: bool) -> Contact:
    Contact.objects.owned_by(owner).filter(pk=contact.pk).update(archived=archived)
    contact.archived = archived
    # An archived contact no longer needs keep-in-touch reminders (and gets them back after).
    if contact.cadence_days:
        cadence_changed.send(sender=Contact, contacts=[contact])
    return contact


@transaction.atomic
def delete_contact(*, owner, contact: Contact) -> None:
    Contact.objects.owned_by(owner).filter(pk=contact.pk).delete()


@transaction.atomic
def add_tag(*, owner, contact: Contact, name: str) -> Tag | None:
    tags = resolve_tags(owner=owner, names=[name])
    if not tags:
        return None
    contact.tags.add(tags[0])
    return tags[0]


@transaction.atomic
def remove_tag(*, owner, contact: Contact, tag: Tag) -> None:
    if tag.owner_id == owner.pk:
        contact.tags.remove(tag)


@transaction.atomic
def save_organization(*, owner, organization: Organization | None = None, **fields):
    organization = organization or Organization(owner=owner)
    if organization.owner_id != owner.pk:
        raise Organization.DoesNotExist
    for name, value in fields.items():
        setattr(organization, name, value)
    organization.name = " ".join(organization.name.split())
    organization.save()
    return organization


@transaction.atomic
def add_past_employment(
    *, owner, contact: Contact, organization=None, organization_name: str = "", until=None
) -> PastEmployment:
    """Record that `contact` worked at an organization before (picked, or found or created by
    name); adding one already there only updates its year."""
    if organization is None:
        organization = resolve_organization(owner=owner, name=organization_name)
    if organization is None:
        raise ValidationError({"organization": "Choose an organization or type its name."})
    if contact.owner_id != owner.pk or organization.owner_id != owner.pk:
        raise ValidationError("Choose your own contact and organization.")
    employment, created = PastEmployment.objects.get_or_create(
        owner=owner, contact=contact, organization=organization, defaults={"until": until}
    )
    if not created and employment.until != until:
        employment.until = until
        employment.save(update_fields=["until"])
    return employment


@transaction.atomic
def remove_past_employment(*, owner, employment: PastEmployment) -> None:
    PastEmployment.objects.owned_by(owner).filter(pk=employment.pk).delete()


def _move_relations(*, survivor: Contact, other: Contact) -> None:
    """Point every row that references `other` at `survivor`, dropping exact duplicates."""
    # The apps that own those rows first clear what would break a unique constraint.
    merging.send(sender=Contact, survivor=survivor, other=other)
    PastEmployment.objects.filter(
        contact=other,
        organization__in=PastEmployment.objects.filter(contact=survivor).values("organization"),
    ).delete()
    if survivor.introduced_by_id == other.pk:
        survivor.introduced_by_id = (
            other.introduced_by_id if other.introduced_by_id != survivor.pk else None
        )
    if other.introduced_by_id == survivor.pk:
        other.introduced_by_id = None

    # Walk every relation, so a reference added later by another app moves too.
    for relation in Contact._meta.related_objects:
        if relation.many_to_many:
            through = relation.through
            if not through._meta.auto_created:
                continue  # an explicit through model is moved by its own foreign key below
            own_side = relation.field.m2m_reverse_field_name()
            far_side = relation.field.m2m_field_name()
            already = through.objects.filter(**{own_side: survivor}).values(far_side)
            rows = through.objects.filter(**{own_side: other})
            rows.filter(**{f"{far_side}__in": already}).delete()
            rows.update(**{own_side: survivor})
        elif relation.one_to_many or relation.one_to_one:
            rows = relation.related_model._base_manager.filter(**{relation.field.name: other})
            if relation.related_model is Contact:
                rows = rows.exclude(pk=survivor.pk)  # never introduced by themselves
            rows.update(**{relation.field.name: survivor})
    for field in Contact._meta.many_to_many:
        through = field.remote_field.through
        own_side, far_side = field.m2m_field_name(), field.m2m_reverse_field_name()
        already = through.objects.filter(**{own_side: survivor}).values(far_side)
        rows = through.objects.filter(**{own_side: other})
        rows.filter(**{f"{far_side}__in": already}).delete()
        rows.update(**{own_side: survivor})


@transaction.atomic
def merge_contacts(*, owner, survivor: Contact, other: Contact) -> Contact:
    """Fold `other` into `survivor`: everything that pointed at `other` now points at the
    survivor, blank fields are filled from `other`, notes are kept, then `other` is deleted."""
    pair = list(
        Contact.objects.owned_by(owner)
        .select_for_update()
        .filter(pk__in=[survivor.pk, other.pk])
        .order_by("pk")
    )
    if len(pair) != 2 or survivor.pk == other.pk:
        raise ValidationError("Choose two different contacts of yours to merge.")
    survivor, other = sorted(pair, key=lambda c: c.pk != survivor.pk)

    _move_relations(survivor=survivor, other=other)
    for name in MERGE_FILL_FIELDS:
        if getattr(survivor, name) in ("", None) and getattr(other, name) not in ("", None):
            setattr(survivor, name, getattr(other, name))
    if survivor.introduced_by_id == survivor.pk:
        survivor.introduced_by_id = None
    if survivor.channel == Channel.OTHER:
        survivor.channel = other.channel
    survivor.warmth = max(survivor.warmth, other.warmth, key=WARMTH_ORDER.index)
    if other.notes.strip():
        header = f"Merged from {other.full_name}:"
        survivor.notes = "\n\n".join(p for p in [survivor.notes.strip(), header, other.notes] if p)
    survivor.created_at = min(survivor.created_at, other.created_at)
    touches = [t for t in (survivor.last_interaction_at, other.last_interaction_at) if t]
    survivor.last_interaction_at = max(touches) if touches else None
    survivor.archived = survivor.archived and other.archived

    # The other row goes first: the survivor may now carry its email or LinkedIn URL, which
    # the unique constraints allow only once.
    Contact.objects.filter(pk=other.pk).delete()
    survivor.save()
    if survivor.introduced_by_id and survivor.pk in introduction_ancestors(
        owner=owner, contact_id=survivor.introduced_by_id
    ):
        # Inheriting the other contact's introducer closed a loop: drop that link.
        Contact.objects.filter(pk=survivor.pk).update(introduced_by=None)
        survivor.introduced_by_id = None
    # Both contacts' keep-in-touch reminders were folded into one: let reminders re-plan it.
    cadence_changed.send(sender=Contact, contacts=[survivor])
    return survivor


# What the side-by-side merge lets the user pick, field by field.
CHOOSABLE_FIELDS = [
    "full_name",
    "email",
    "phone",
    "organization",
    "title",
    "linkedin_url",
    "twitter_handle",
    "facebook_url",
    "instagram_handle",
    "location",
    "channel",
    "warmth",
    "cadence_days",
    "connected_on",
]


@transaction.atomic
def merge_choosing(*, owner, survivor: Contact, other: Contact, from_other=()) -> Contact:
    """Merge `other` into `survivor` (merge_contacts: every relation moves, blanks are filled),
    then take the fields named in `from_other` from the other contact's values."""
    unknown = set(from_other) - set(CHOOSABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not choosable: {', '.join(sorted(unknown))}")
    taken = {name: getattr(other, name) for name in from_other}
    survivor = merge_contacts(owner=owner, survivor=survivor, other=other)
    if taken:
        # The other row is gone, so its email or profiles may now move to the survivor.
        survivor = update_contact(owner=owner, contact=survivor, **taken)
    return survivor


@transaction.atomic
def mark_not_duplicate(*, owner, contacts) -> NotDuplicate:
    """Remember that these two contacts are different people."""
    first, second = sorted(contacts, key=lambda c: c.pk)
    if first.owner_id != owner.pk or second.owner_id != owner.pk or first.pk == second.pk:
        raise ValidationError("Choose two different contacts of yours.")
    pair, _ = NotDuplicate.objects.get_or_create(owner=owner, first=first, second=second)
    return pair
