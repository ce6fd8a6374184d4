"""Writes for interactions: logging, editing and deleting a conversation, and what follows from
it (contacts' last-interaction time, the next follow-up, the contact's cadence)."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import OuterRef, Subquery

from apps.contacts.models import Contact
from apps.core.choices import Channel
from apps.core.localtime import local_to_utc
from apps.interactions import outreach, selectors
from apps.interactions.models import Interaction, OutreachTemplate
from apps.interactions.signals import interactions_logged
from apps.reminders import services as reminders
from apps.reminders.models import FollowUpKind

FOLLOW_UP_HOUR = 9
EDITABLE_FIELDS = (
    "occurred_at",
    "channel",
    "direction",
    "kind",
    "minutes",
    "gave",
    "asked",
    "asked_referral",
    "summary",
    "notes",
    "opportunity",
)


def follow_up_due(*, user, days: int | None = None, on: dt.date | None = None, at=None):
    """The due time of "follow up in N days" (09:00 local) or on a custom local date/time."""
    if (days is None) == (on is None):
        raise ValueError("Give either days or a date.")
    if on is None:
        on = user.local_now().date() + dt.timedelta(days=days)
    return local_to_utc(on, at or dt.time(FOLLOW_UP_HOUR), user.zone)


def refresh_last_interaction(*, contact_ids: Iterable[int]) -> None:
    """Set each contact's last_interaction_at to its newest interaction, in one UPDATE."""
    ids = set(contact_ids)
    if not ids:
        return
    newest = (
        Interaction.objects.filter(contacts=OuterRef("pk"))
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )
    Contact.objects.filter(pk__in=ids).update(last_interaction_at=Subquery(newest))


def _check_owned(owner, objects, what: str) -> None:
    # The forms already limit choices to the owner; this guards every other caller.
    for obj in objects:
        if obj is not None and obj.owner_id != owner.pk:
            raise PermissionDenied(f"That {what} belongs to someone else.")


def _create_contacts(*, owner, names, channel) -> list[Contact]:
    created = []
    for raw in names:
        name = " ".join(str(raw).split())
        if name:
            created.append(Contact.objects.create(owner=owner, full_name=name, channel=channel))
    return created


def _sync(contact_ids) -> None:
    reminders.sync_cadence(contacts=list(Contact.objects.filter(pk__in=set(contact_ids))))


@transaction.atomic
def log_interaction(
    *,
    owner,
    contacts,
    summary: str,
    follow_up_at: dt.datetime | None = None,
    follow_up_note: str = "",
    promise: str = "",
    promise_at: dt.datetime | None = None,
    complete_follow_up=None,
    new_contact_names: Iterable[str] = (),
    kept_promise=None,
    **fields,
) -> Interaction:
    """Save a conversation with one or more contacts (new names become contacts), keep their
    last-interaction time current, complete the follow-up it answers, plan the next one and
    record what the user promised (a follow-up of kind promise, due `promise_at`)."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown interaction fields: {', '.join(sorted(unknown))}")
    contacts = list(dict.fromkeys(contacts))
    _check_owned(owner, [*contacts, fields.get("opportunity"), complete_follow_up], "record")
    contacts += _create_contacts(
        owner=owner, names=new_contact_names, channel=fields.get("channel") or Channel.OTHER
    )
    if not contacts:
        raise ValueError("An interaction needs at least one contact.")
    if not summary or not summary.strip():
        raise ValueError("An interaction needs a summary.")

    interaction = Interaction(
        owner=owner, summary=summary.strip(), kept_promise=kept_promise, **fields
    )
    interaction.full_clean(exclude=["owner", "contacts"])
    interaction.save()
    interaction.contacts.set(contacts)
    contact_ids = [c.pk for c in contacts]
    refresh_last_interaction(contact_ids=contact_ids)

    if complete_follow_up is not None:
        reminders.complete_follow_up(owner=owner, follow_up=complete_follow_up)
    if follow_up_at is not None:
        for contact in contacts:
            reminders.create_follow_up(
                owner=owner,
                contact=contact,
                due_at=follow_up_at,
                note=follow_up_note,
                opportunity=interaction.opportunity,
                source_interaction=interaction,
            )
    if promise.strip() and promise_at is not None:
        for contact in contacts:
            reminders.create_follow_up(
                owner=owner,
                contact=contact,
                due_at=promise_at,
                note=promise.strip(),
                opportunity=interaction.opportunity,
                source_interaction=interaction,
                kind=FollowUpKind.PROMISE,
            )
    _sync(contact_ids)
    interactions_logged.send(sender=Interaction, interactions=[interaction])
    return interaction


@transaction.atomic
def record_kept_promises(*, follow_ups) -> list[Interaction]:
    """Promises marked done are gives on their contacts: each logged as a conversation entry
    (what I gave = the promise) so the contact's timeline, balance and Insights all count it
    once. Written in bulk: a backlog of promises marked done at once costs the queries of one.
    The rows come from reminders' own writes (owned, locked, done), so they are not checked
    again the way `log_interaction` checks what a form sends."""
    kept = set(
        Interaction.objects.filter(
            owner_id__in={f.owner_id for f in follow_ups}, kept_promise__in=follow_ups
        ).values_list("kept_promise_id", flat=True)
    )
    follow_ups = [f for f in follow_ups if f.pk not in kept]
    if not follow_ups:
        return []
    # Read by id rather than through each row's relation: one query, not one per promise.
    channels = dict(
        Interaction.objects.filter(
            pk__in={f.source_interaction_id for f in follow_ups if f.source_interaction_id}
        ).values_list("pk", "channel")
    )
    gives = []
    for follow_up in follow_ups:
        promise = follow_up.note.strip() or "What I promised"
        gives.append(
            Interaction(
                owner_id=follow_up.owner_id,
                kept_promise=follow_up,
                summary=f"Kept my promise: {promise}"[:300],
                occurred_at=follow_up.completed_at,
                channel=channels.get(follow_up.source_interaction_id, Channel.OTHER),
                gave=promise[:300],
                opportunity_id=follow_up.opportunity_id,
            )
        )
    Interaction.objects.bulk_create(gives, batch_size=500)
    Interaction.contacts.through.objects.bulk_create(
        [
            Interaction.contacts.through(interaction_id=give.pk, contact_id=follow_up.contact_id)
            for give, follow_up in zip(gives, follow_ups, strict=True)
        ],
        batch_size=500,
    )
    contact_ids = {f.contact_id for f in follow_ups}
    refresh_last_interaction(contact_ids=contact_ids)
    _sync(contact_ids)
    interactions_logged.send(sender=Interaction, interactions=gives)
    return gives


@transaction.atomic
def forget_kept_promises(*, follow_ups) -> None:
    """Kept promises reopened: the gives their keeping recorded go, and only those, in a fixed
    number of queries however many were reopened together."""
    gives = Interaction.objects.filter(
        owner_id__in={f.owner_id for f in follow_ups}, kept_promise__in=follow_ups
    )
    contact_ids = set(
        Interaction.contacts.through.objects.filter(interaction__in=gives).values_list(
            "contact_id", flat=True
        )
    )
    gives.delete()
    refresh_last_interaction(contact_ids=contact_ids)
    _sync(contact_ids)


@transaction.atomic
def update_interaction(
    *,
    owner,
    interaction: Interaction,
    contacts=None,
    new_contact_names: Iterable[str] = (),
    **fields,
) -> Interaction:
    """Change an interaction; contacts that left it and those that joined both get their
    last-interaction time recomputed."""
    if interaction.owner_id != owner.pk:
        raise PermissionDenied("That interaction belongs to someone else.")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown interaction fields: {', '.join(sorted(unknown))}")
    before = set(interaction.contacts.values_list("pk", flat=True))
    for name, value in fields.items():
        setattr(interaction, name, value)
    _check_owned(owner, [interaction.opportunity], "opportunity")
    if contacts is not None or new_contact_names:
        contacts = list(dict.fromkeys(contacts if contacts is not None else []))
        _check_owned(owner, contacts, "contact")
        contacts += _create_contacts(
            owner=owner, names=new_contact_names, channel=interaction.channel
        )
        if not contacts:
            raise ValueError("An interaction needs at least one contact.")
    interaction.summary = (interaction.summary or "").strip()
    if not interaction.summary:
        raise ValueError("An interaction needs a summary.")
    interaction.full_clean(exclude=["owner", "contacts"])
    interaction.save()
    after = before
    if contacts is not None:
        interaction.contacts.set(contacts)
        after = {c.pk for c in contacts}
    refresh_last_interaction(contact_ids=before | after)
    _sync(before | after)
    return interaction


@transaction.atomic
def delete_interaction(*, owner, interaction: Interaction) -> None:
    if interaction.owner_id != owner.pk:
        raise PermissionDenied("That interaction belongs to someone else.")
    contact_ids = set(interaction.contacts.values_list("pk", flat=True))
    interaction.delete()
    refresh_last_interaction(contact_ids=contact_ids)
    _sync(contact_ids)


# --- outreach templates -----------------------------------------------------------------------


@transaction.atomic
def seed_starter_templates(*, owner) -> int:
    """Give a user the starter templates the first time they open the page (none yet)."""
    if OutreachTemplate.objects.owned_by(owner).exists():
        return 0
    OutreachTemplate.objects.bulk_create(
        OutreachTemplate(owner=owner, **starter) for starter in outreach.STARTERS
    )
    return len(outreach.STARTERS)


TEMPLATE_FIELDS = (
    "name",
    "purpose",
    "subject",
    "body",
    "gives",
    "asks",
    "asks_referral",
    "follow_up_days",
)


@transaction.atomic
def save_template(*, owner, template: OutreachTemplate | None = None, **fields):
    unknown = set(fields) - set(TEMPLATE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown template fields: {', '.join(sorted(unknown))}")
    if template is not None and template.owner_id != owner.pk:
        raise PermissionDenied("That template belongs to someone else.")
    template = template or OutreachTemplate(owner=owner)
    for name, value in fields.items():
        setattr(template, name, value)
    template.full_clean(exclude=["owner"])
    template.save()
    return template


@transaction.atomic
def delete_template(*, owner, template: OutreachTemplate) -> None:
    if template.owner_id != owner.pk:
        raise PermissionDenied("That template belongs to someone else.")
    template.delete()


@transaction.atomic
def use_template(
    *, owner, template: OutreachTemplate, contact, opportunity=None, channel=Channel.EMAIL
) -> Interaction:
    """Sending a template is a conversation: log it (what it asked or gave, filled in) and
    schedule its follow-up, in one step."""
    _check_owned(owner, [template, contact, opportunity], "record")
    values = outreach.merge_values(
        contact=contact,
        opportunity=opportunity,
        last_gave=selectors.last_gave(user=owner, contact=contact),
    )
    follow_up_at = None
    if template.follow_up_days:
        follow_up_at = follow_up_due(user=owner, days=template.follow_up_days)
    return log_interaction(
        owner=owner,
        contacts=[contact],
        summary=f"Sent “{template.name}”"[:300],
        channel=channel,
        kind="message",
        gave=outreach.fill(template.gives, values).text[:300],
        asked=outreach.fill(template.asks, values).text[:300],
        asked_referral=template.asks_referral,
        opportunity=opportunity,
        follow_up_at=follow_up_at,
        follow_up_note=f"Follow up on “{template.name}”"[:300],
    )
