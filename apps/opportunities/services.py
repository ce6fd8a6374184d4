"""Writes for opportunities. `move_to_stage` is the only code that changes `Opportunity.stage`,
so the stage history (which reports read as "days spent in each stage") is always complete."""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from apps.contacts.models import Contact, Organization
from apps.contacts.services import resolve_organization
from apps.core.choices import Channel
from apps.opportunities.models import (
    CLOSED_STAGES,
    InterviewRound,
    Opportunity,
    OpportunityContact,
    PersonRole,
    Stage,
    StageChange,
)
from apps.opportunities.signals import interview_saved, person_added, stage_moved

# Fields a user may edit directly; `stage` and `closed_at` only change through move_to_stage.
EDITABLE_FIELDS = (
    "role_title",
    "organization",
    "posting_url",
    "source_channel",
    "next_step",
    "next_step_due",
    "notes",
)


def _check_owner(owner, *objects) -> None:
    for obj in objects:
        if obj is not None and obj.owner_id != owner.pk:
            # Views scope their querysets; this guards callers that forgot to.
            raise PermissionError(f"{obj.__class__.__name__} {obj.pk} belongs to another user.")


def _check_stage(stage: str) -> Stage:
    if stage not in Stage.values:
        raise ValidationError(f"“{stage}” is not a stage.", code="invalid_stage")
    return Stage(stage)


@transaction.atomic
def create_opportunity(
    *,
    owner,
    role_title: str,
    organization: Organization | None = None,
    organization_name: str = "",
    posting_url: str = "",
    source_channel: str = Channel.OTHER,
    stage: str = Stage.IDENTIFIED,
    next_step: str = "",
    next_step_due=None,
    notes: str = "",
    people: Iterable[tuple[Contact, str]] = (),
    at: datetime | None = None,
) -> Opportunity:
    stage = _check_stage(stage)
    if organization is None and organization_name.strip():
        organization = resolve_organization(owner=owner, name=organization_name)
    _check_owner(owner, organization)
    at = at or timezone.now()
    opportunity = Opportunity.objects.create(
        owner=owner,
        role_title=role_title.strip(),
        organization=organization,
        posting_url=posting_url,
        source_channel=source_channel,
        stage=stage,
        next_step=next_step,
        next_step_due=next_step_due,
        notes=notes,
        closed_at=at if stage in CLOSED_STAGES else None,
        created_at=at,
    )
    # The first stage is history too: without it "days in identified" would be unknowable.
    StageChange.objects.create(
        owner=owner, opportunity=opportunity, from_stage="", to_stage=stage, changed_at=at
    )
    for contact, role in people:
        add_person(owner=owner, opportunity=opportunity, contact=contact, role=role)
    return opportunity


@transaction.atomic
def move_to_stage(
    *, owner, opportunity: Opportunity, stage: str, at: datetime | None = None
) -> StageChange | None:
    """Move to `stage` and append the change. Returns None when it was already there."""
    stage = _check_stage(stage)
    # Lock the row: two concurrent moves serialize, so each change's from_stage is the truth.
    locked = Opportunity.objects.owned_by(owner).select_for_update().get(pk=opportunity.pk)
    if locked.stage == stage:
        opportunity.stage, opportunity.closed_at = locked.stage, locked.closed_at
        return None
    at = at or timezone.now()
    change = StageChange.objects.create(
        owner=owner, opportunity=locked, from_stage=locked.stage, to_stage=stage, changed_at=at
    )
    if stage in CLOSED_STAGES:
        # Rejected → withdrawn is a correction, not a second ending: keep when it first closed.
        locked.closed_at = locked.closed_at if locked.is_closed and locked.closed_at else at
    else:
        locked.closed_at = None  # revived
    locked.stage = stage
    locked.save(update_fields=["stage", "closed_at", "updated_at"])
    opportunity.stage, opportunity.closed_at = locked.stage, locked.closed_at
    opportunity.updated_at = locked.updated_at
    stage_moved.send(sender=Opportunity, opportunity=locked, change=change)
    return change


@transaction.atomic
def update_opportunity(
    *, owner, opportunity: Opportunity, organization_name: str = "", **fields
) -> Opportunity:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"update_opportunity cannot change {', '.join(sorted(unknown))}")
    if organization_name.strip() and not fields.get("organization"):
        fields["organization"] = resolve_organization(owner=owner, name=organization_name)
    _check_owner(owner, opportunity, fields.get("organization"))
    for name, value in fields.items():
        setattr(opportunity, name, value)
    opportunity.save(update_fields=[*fields, "updated_at"])
    return opportunity


@transaction.atomic
def delete_opportunity(*, owner, opportunity: Opportunity) -> None:
    _check_owner(owner, opportunity)
    opportunity.delete()


def duplicate_person_message(contact: Contact, role: str) -> str:
    article = "an" if PersonRole(role).label[0].lower() in "aeiou" else "a"
    return f"{contact} is already {article} {PersonRole(role).label.lower()} on this opportunity."


@transaction.atomic
def add_person(
    *, owner, opportunity: Opportunity, contact: Contact, role: str
) -> OpportunityContact:
    if role not in PersonRole.values:
        raise ValidationError(f"“{role}” is not a role.", code="invalid_role")
    _check_owner(owner, opportunity, contact)
    message = duplicate_person_message(contact, role)
    if OpportunityContact.objects.filter(
        opportunity=opportunity, contact=contact, role=role
    ).exists():
        raise ValidationError(message, code="duplicate_person")
    try:
        with transaction.atomic():
            person = OpportunityContact.objects.create(
                owner=owner, opportunity=opportunity, contact=contact, role=role
            )
    except IntegrityError as exc:
        # A double submit can pass the check above; the unique constraint has the last word.
        raise ValidationError(message, code="duplicate_person") from exc
    Opportunity.objects.filter(pk=opportunity.pk).update(updated_at=timezone.now())
    person_added.send(sender=OpportunityContact, person=person)
    return person


@transaction.atomic
def remove_person(*, owner, person: OpportunityContact) -> None:
    _check_owner(owner, person)
    person.delete()
    Opportunity.objects.filter(pk=person.opportunity_id).update(updated_at=timezone.now())


def drop_duplicate_roles(*, survivor: Contact, other: Contact) -> None:
    """Inside a contact merge, before `other`'s rows move to `survivor`: the same person twice
    in one role on one opportunity says nothing new (and the unique constraint forbids it)."""
    OpportunityContact.objects.filter(
        contact=other,
        opportunity_id__in=models.Subquery(
            OpportunityContact.objects.filter(
                contact=survivor, role=models.OuterRef("role")
            ).values("opportunity_id")
        ),
    ).delete()


# --- interview rounds -------------------------------------------------------------------------


@transaction.atomic
def save_interview(
    *,
    owner,
    opportunity: Opportunity,
    title: str,
    starts_at: datetime,
    minutes: int = 60,
    interviewers: Iterable[Contact] = (),
    new_interviewer_names: Iterable[str] = (),
    prep_notes: str = "",
    debrief: str = "",
    interview: InterviewRound | None = None,
) -> InterviewRound:
    """Create or change an interview round. Names typed for new interviewers become contacts
    at the opportunity's organization, and every interviewer joins the opportunity's people."""
    interviewers = list(dict.fromkeys(interviewers))
    _check_owner(owner, opportunity, interview, *interviewers)
    if interview is not None and interview.opportunity_id != opportunity.pk:
        raise ValidationError("That interview belongs to another opportunity.")
    for raw in new_interviewer_names:
        name = " ".join(str(raw).split())[:200]
        if name:
            interviewers.append(
                Contact.objects.create(
                    owner=owner, full_name=name, organization=opportunity.organization
                )
            )
    interview = interview or InterviewRound(owner=owner, opportunity=opportunity)
    interview.title = title.strip() or "Interview"
    interview.starts_at = starts_at
    interview.minutes = minutes
    interview.prep_notes = prep_notes
    interview.debrief = debrief
    interview.full_clean(exclude=["owner", "opportunity", "interviewers"])
    interview.save()
    interview.interviewers.set(interviewers)
    known = set(
        OpportunityContact.objects.filter(
            opportunity=opportunity, role=PersonRole.INTERVIEWER
        ).values_list("contact_id", flat=True)
    )
    OpportunityContact.objects.bulk_create(
        OpportunityContact(
            owner=owner, opportunity=opportunity, contact=c, role=PersonRole.INTERVIEWER
        )
        for c in interviewers
        if c.pk not in known
    )
    interview_saved.send(sender=InterviewRound, interview=interview)
    return interview


@transaction.atomic
def delete_interview(*, owner, interview: InterviewRound) -> None:
    _check_owner(owner, interview)
    interview.delete()
