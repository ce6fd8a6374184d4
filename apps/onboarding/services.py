"""Fill an empty account with the sample job search, and take exactly it out again."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from apps.contacts import services as contacts
from apps.contacts.models import Contact, Organization, PastEmployment, Tag
from apps.core.localtime import local_now, local_to_utc
from apps.interactions import services as interactions
from apps.interactions.models import Interaction
from apps.onboarding import sample, selectors
from apps.onboarding.models import SampleRecord
from apps.opportunities import services as opportunities
from apps.opportunities.models import Opportunity, OpportunityContact
from apps.reminders import services as reminders
from apps.reminders.models import FollowUp, FollowUpKind, FollowUpStatus

# Deleted in this order: what points at a contact goes before the contact.
MODELS = [FollowUp, Interaction, Opportunity, PastEmployment, Contact, Tag, Organization]


class SampleDataError(Exception):
    pass


def _label(model) -> str:
    return model._meta.label_lower


@transaction.atomic
def load_sample_data(*, owner) -> int:
    """The sample story through the real services; returns how many rows it made."""
    if not selectors.is_empty(owner):
        raise SampleDataError("Sample data goes into an empty account only: this one has contacts.")
    if selectors.has_sample(owner):
        raise SampleDataError("The sample data is already here.")
    now = timezone.now()
    today = local_now(owner).date()
    zone = owner.zone

    def at(days: int, hour: int) -> dt.datetime:
        return min(local_to_utc(today + dt.timedelta(days=days), dt.time(hour), zone), now)

    made: list = []
    tags_before = set(Tag.objects.owned_by(owner).values_list("pk", flat=True))
    organizations = {}
    for name, is_target in sample.ORGANIZATIONS:
        existing = Organization.objects.owned_by(owner).filter(name__iexact=name).first()
        if existing is None:
            existing = contacts.save_organization(owner=owner, name=name, is_target=is_target)
            made.append(existing)
        organizations[name] = existing

    people: dict[str, Contact] = {}
    for key, name, title, org, channel, warmth, introducer, met, tags in sample.CONTACTS:
        people[key] = contacts.create_contact(
            owner=owner,
            full_name=name,
            title=title,
            organization=organizations.get(org),
            channel=channel,
            warmth=warmth,
            introduced_by=people.get(introducer),
            connected_on=today + dt.timedelta(days=met),
            email=sample.EMAILS.get(key, ""),
            cadence_days=sample.CADENCE.get(key),
            tag_names=tags,
        )
        # Added on the day the sample says they were met, not today: otherwise loading the
        # sample would count ten people "met this week" in the weekly targets and Insights.
        Contact.objects.filter(pk=people[key].pk).update(created_at=at(met, 9))
        made.append(people[key])

    for who, org, until in sample.PAST_EMPLOYMENT:
        made.append(
            contacts.add_past_employment(
                owner=owner, contact=people[who], organization=organizations[org], until=until
            )
        )

    jobs: dict[str, Opportunity] = {}
    for key, role, org, source, stages, referrer, others, step, step_due in sample.OPPORTUNITIES:
        (first, first_day), *moves = stages
        crew = [(people[who], role_name) for who, role_name in others]
        if referrer:
            crew.append((people[referrer], "referrer"))
        job = opportunities.create_opportunity(
            owner=owner,
            role_title=role,
            organization=organizations[org],
            source_channel=source,
            stage=first,
            next_step=step,
            next_step_due=None if step_due is None else today + dt.timedelta(days=step_due),
            people=crew,
            at=at(first_day, 9),
        )
        for stage, day in moves:
            opportunities.move_to_stage(owner=owner, opportunity=job, stage=stage, at=at(day, 10))
        jobs[key] = job
        made.append(job)

    for (
        who,
        day,
        hour,
        channel,
        kind,
        minutes,
        direction,
        summary,
        gave,
        asked,
        referral,
        job,
    ) in sample.CONVERSATIONS:
        made.append(
            interactions.log_interaction(
                owner=owner,
                contacts=[people[key] for key in who],
                summary=summary,
                occurred_at=at(day, hour),
                channel=channel,
                kind=kind,
                minutes=minutes,
                direction=direction,
                gave=gave,
                asked=asked,
                asked_referral=referral,
                opportunity=jobs.get(job),
            )
        )

    for who, day, hour, note, done in sample.FOLLOW_UPS:
        due = local_to_utc(today + dt.timedelta(days=day), dt.time(hour), zone)
        follow_up = reminders.create_follow_up(
            owner=owner, contact=people[who], due_at=due, note=note
        )
        if done:
            reminders.complete_follow_up(owner=owner, follow_up=follow_up)
            # Done on the day the story says, not while loading: "done today" and
            # follow-through count it where it happened.
            FollowUp.objects.filter(pk=follow_up.pk).update(
                completed_at=min(due + dt.timedelta(hours=2), now)
            )
    for who, job, day in sample.THANKED:
        thank_you = FollowUp.objects.owned_by(owner).get(
            kind=FollowUpKind.THANK_YOU,
            status=FollowUpStatus.OPEN,
            contact=people[who],
            opportunity=jobs.get(job),
            introduction__isnull=job is not None,
        )
        reminders.complete_follow_up(owner=owner, follow_up=thank_you)
        FollowUp.objects.filter(pk=thank_you.pk).update(due_at=at(day, 9), completed_at=at(day, 18))
    # Cadences plan follow-ups of their own: they belong to the sample too.
    made += FollowUp.objects.owned_by(owner).filter(contact__in=people.values())
    made += Tag.objects.owned_by(owner).exclude(pk__in=tags_before)

    SampleRecord.objects.bulk_create(
        [SampleRecord(owner=owner, model=_label(type(row)), object_pk=row.pk) for row in made],
        ignore_conflicts=True,
    )
    return len(made)


@dataclass
class Removal:
    removed: int
    kept: list[str]  # sample contacts kept because the user's own records point at them


def _sample_ids(owner) -> dict[str, set[int]]:
    ids: dict[str, set[int]] = {_label(model): set() for model in MODELS}
    for model, pk in SampleRecord.objects.owned_by(owner).values_list("model", "object_pk"):
        ids.setdefault(model, set()).add(pk)
    return ids


def _contacts_in_use(owner, ids) -> set[int]:
    """Sample contacts the user has since made their own: deleting them would take the user's
    conversations, follow-ups, opportunity roles or introductions with them."""
    sample_contacts = ids[_label(Contact)]
    used = set(
        Interaction.objects.owned_by(owner)
        .exclude(pk__in=ids[_label(Interaction)])
        .filter(contacts__in=sample_contacts)
        .values_list("contacts", flat=True)
    )
    used |= set(
        FollowUp.objects.owned_by(owner)
        .exclude(pk__in=ids[_label(FollowUp)])
        .filter(contact__in=sample_contacts)
        .values_list("contact", flat=True)
    )
    used |= set(
        OpportunityContact.objects.filter(opportunity__owner=owner, contact__in=sample_contacts)
        .exclude(opportunity__in=ids[_label(Opportunity)])
        .values_list("contact", flat=True)
    )
    used |= set(
        Contact.objects.owned_by(owner)
        .exclude(pk__in=sample_contacts)
        .filter(introduced_by__in=sample_contacts)
        .values_list("introduced_by", flat=True)
    )
    return used & sample_contacts


@transaction.atomic
def remove_sample_data(*, owner) -> Removal:
    ids = _sample_ids(owner)
    kept_ids = _contacts_in_use(owner, ids)
    ids[_label(Contact)] -= kept_ids
    kept = list(
        Contact.objects.owned_by(owner).filter(pk__in=kept_ids).values_list("full_name", flat=True)
    )
    # Organizations and tags the user's own contacts or opportunities use stay as well.
    org_ids = ids[_label(Organization)]
    ids[_label(Organization)] = (
        org_ids
        - set(
            Contact.objects.owned_by(owner)
            .exclude(pk__in=ids[_label(Contact)])
            .filter(organization__in=org_ids)
            .values_list("organization", flat=True)
        )
        - set(
            Opportunity.objects.owned_by(owner)
            .exclude(pk__in=ids[_label(Opportunity)])
            .filter(organization__in=org_ids)
            .values_list("organization", flat=True)
        )
        # A past organization the user recorded themselves keeps it too.
        - set(
            PastEmployment.objects.owned_by(owner)
            .exclude(pk__in=ids[_label(PastEmployment)])
            .filter(organization__in=org_ids)
            .values_list("organization", flat=True)
        )
    )
    tag_ids = ids[_label(Tag)]
    ids[_label(Tag)] = tag_ids - set(
        Contact.objects.owned_by(owner)
        .exclude(pk__in=ids[_label(Contact)])
        .filter(tags__in=tag_ids)
        .values_list("tags", flat=True)
    )
    removed = 0
    for model in MODELS:
        _, per_model = model.objects.owned_by(owner).filter(pk__in=ids[_label(model)]).delete()
        removed += per_model.get(model._meta.label, 0)
    interactions.refresh_last_interaction(contact_ids=kept_ids)
    SampleRecord.objects.owned_by(owner).delete()
    return Removal(removed=removed, kept=kept)
