"""Reads for the import and export pages, and the data an export is made of."""

from django.core.paginator import Paginator
from django.db.models import F, Value
from django.db.models.functions import Coalesce

from apps.contacts.models import Contact, NotDuplicate, Organization, PastEmployment, Tag
from apps.interactions.models import Interaction, OutreachTemplate
from apps.opportunities.models import (
    InterviewRound,
    Opportunity,
    OpportunityContact,
    StageChange,
)
from apps.portability.models import ImportJob
from apps.reminders.models import FollowUp, NextStepDismissal

ERRORS_PAGE_SIZE = 100


def recent_jobs(*, user, limit: int = 10):
    return list(ImportJob.objects.owned_by(user).defer("data")[:limit])


def error_page(*, job, page=None):
    return Paginator(job.row_errors.order_by("line", "pk"), ERRORS_PAGE_SIZE).get_page(page)


def job_errors(*, job):
    return job.row_errors.order_by("line", "pk").values_list("line", "label", "reason")


# --- Export ---------------------------------------------------------------------------------


def _columns(model, *extra) -> list[str]:
    """Every stored column but the owner: whatever the apps add later is exported too."""
    return [f.attname for f in model._meta.concrete_fields if f.name != "owner"] + list(extra)


def export_sources(*, user) -> list[tuple[str, list[str], object]]:
    """(name, columns, rows as dicts) for each kind of record, in dependency order. Each is one
    query, streamed."""
    contacts = (
        Contact.objects.owned_by(user)
        .annotate(organization_name=Coalesce(F("organization__name"), Value("")))
        .order_by("pk")
    )
    interactions = Interaction.objects.owned_by(user).order_by("pk")
    opportunities = (
        Opportunity.objects.owned_by(user)
        .annotate(organization_name=Coalesce(F("organization__name"), Value("")))
        .order_by("pk")
    )
    people = (
        OpportunityContact.objects.owned_by(user)
        .annotate(contact_name=F("contact__full_name"), role_title=F("opportunity__role_title"))
        .order_by("pk")
    )
    followups = (
        FollowUp.objects.owned_by(user)
        .annotate(contact_name=F("contact__full_name"))
        .order_by("pk")
    )
    sources = [
        (
            "organizations",
            Organization.objects.owned_by(user).order_by("pk"),
            _columns(Organization),
        ),
        ("tags", Tag.objects.owned_by(user).order_by("pk"), _columns(Tag)),
        ("contacts", contacts, _columns(Contact, "organization_name")),
        (
            "past_employments",
            PastEmployment.objects.owned_by(user).order_by("pk"),
            _columns(PastEmployment),
        ),
        ("interactions", interactions, _columns(Interaction)),
        ("opportunities", opportunities, _columns(Opportunity, "organization_name")),
        ("opportunity_people", people, _columns(OpportunityContact, "contact_name", "role_title")),
        ("stage_changes", StageChange.objects.owned_by(user).order_by("pk"), _columns(StageChange)),
        ("follow_ups", followups, _columns(FollowUp, "contact_name")),
        (
            "interview_rounds",
            InterviewRound.objects.owned_by(user).order_by("pk"),
            _columns(InterviewRound),
        ),
        (
            "outreach_templates",
            OutreachTemplate.objects.owned_by(user).order_by("pk"),
            _columns(OutreachTemplate),
        ),
        (
            "next_step_dismissals",
            NextStepDismissal.objects.owned_by(user).order_by("pk"),
            _columns(NextStepDismissal),
        ),
        (
            "not_duplicates",
            NotDuplicate.objects.owned_by(user).order_by("pk"),
            _columns(NotDuplicate),
        ),
    ]
    return [
        (name, columns, qs.values(*columns).iterator(chunk_size=2000))
        for name, qs, columns in sources
    ]


def contact_tag_links(*, user) -> dict[int, list[tuple[int, str]]]:
    links: dict[int, list[tuple[int, str]]] = {}
    rows = (
        Contact.tags.through.objects.filter(contact__owner=user)
        .order_by("tag__name", "tag_id")
        .values_list("contact_id", "tag_id", "tag__name")
    )
    for contact_id, tag_id, name in rows.iterator(chunk_size=5000):
        links.setdefault(contact_id, []).append((tag_id, name))
    return links


def interviewer_links(*, user) -> dict[int, list[int]]:
    links: dict[int, list[int]] = {}
    rows = (
        InterviewRound.interviewers.through.objects.filter(interviewround__owner=user)
        .order_by("interviewround_id", "contact_id")
        .values_list("interviewround_id", "contact_id")
    )
    for round_id, contact_id in rows.iterator(chunk_size=5000):
        links.setdefault(round_id, []).append(contact_id)
    return links


def interaction_contact_links(*, user) -> dict[int, list[int]]:
    links: dict[int, list[int]] = {}
    rows = (
        Interaction.contacts.through.objects.filter(interaction__owner=user)
        .order_by("interaction_id", "contact_id")
        .values_list("interaction_id", "contact_id")
    )
    for interaction_id, contact_id in rows.iterator(chunk_size=5000):
        links.setdefault(interaction_id, []).append(contact_id)
    return links


def vcard_contacts(*, user):
    return (
        Contact.objects.owned_by(user)
        .select_related("organization")
        .prefetch_related("tags")
        .order_by("pk")
    )
