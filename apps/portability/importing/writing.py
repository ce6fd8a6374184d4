"""Saving one batch's plan: new organizations, contacts, tags and past organizations in bulk,
changed fields only."""

import itertools

from django.utils import timezone

from apps.contacts.models import Contact, Organization, PastEmployment, Tag
from apps.portability.importing.cleaning import Row
from apps.portability.importing.matching import named
from apps.portability.importing.planning import Plan


def persist(plan: Plan, *, owner, batch_size: int) -> list[tuple[Row, str]]:
    now = timezone.now()
    unsaved_orgs = [org for org in plan.orgs.values() if org.pk is None]
    if unsaved_orgs:
        # Another import may create the same organization meanwhile: ignore and re-read.
        Organization.objects.bulk_create(unsaved_orgs, ignore_conflicts=True)
        saved = {
            org.name.lower(): org
            for org in named(Organization.objects.owned_by(owner), [o.name for o in unsaved_orgs])
        }
        for row in itertools.chain(plan.new, plan.changed, plan.past):
            if row.organization is not None and row.organization.pk is None:
                row.organization = saved[row.organization.name.lower()]
    Contact.objects.bulk_create(plan.new, batch_size=batch_size)
    by_fields: dict[frozenset, list] = {}
    for contact, names in plan.changed.items():
        if names:
            contact.updated_at = now
            by_fields.setdefault(frozenset(names | {"updated_at"}), []).append(contact)
    for names, contacts in by_fields.items():
        Contact.objects.bulk_update(contacts, list(names), batch_size=batch_size)
    if plan.tags:
        attach_tags(plan, owner=owner)
    if plan.past:
        PastEmployment.objects.bulk_create(plan.past, batch_size=batch_size)
    if plan.past_years:
        PastEmployment.objects.bulk_update(plan.past_years, ["until"], batch_size=batch_size)
    return plan.outcomes


def attach_tags(plan: Plan, *, owner) -> None:
    wanted = {t.lower(): t for _, names in plan.tags for t in names}
    existing = {
        tag.name.lower(): tag for tag in named(Tag.objects.owned_by(owner), wanted.values())
    }
    missing = [Tag(owner=owner, name=n) for k, n in wanted.items() if k not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {
            tag.name.lower(): tag for tag in named(Tag.objects.owned_by(owner), wanted.values())
        }
    through = Contact.tags.through
    links = {(contact.pk, existing[t.lower()].pk) for contact, names in plan.tags for t in names}
    through.objects.bulk_create(
        [through(contact_id=c, tag_id=t) for c, t in links], ignore_conflicts=True
    )
