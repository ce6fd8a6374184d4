"""Reads that power the opportunity pages. Each runs a fixed number of queries."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Window
from django.db.models.functions import Lead, RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join

from apps.contacts.models import Contact
from apps.opportunities.models import (
    CLOSED_STAGES,
    OPEN_STAGES,
    Opportunity,
    OpportunityContact,
    PersonRole,
    Stage,
    StageChange,
)

LIST_PAGE_SIZE = 50
CLOSED_SHOWN = 20
# An open column shows this many cards, the most pressing first; the rest are in the list.
OPEN_SHOWN = 25


def _first_referrer(field: str) -> Subquery:
    referrers = OpportunityContact.objects.filter(
        opportunity=OuterRef("pk"), role=PersonRole.REFERRER
    ).order_by("created_at", "pk")
    return Subquery(referrers.values(field)[:1])


def with_cards(queryset: QuerySet) -> QuerySet:
    """What a card shows: the organization and the first referrer, in the same query."""
    return queryset.select_related("organization").annotate(
        referrer_id=_first_referrer("contact_id"),
        referrer_name=_first_referrer("contact__full_name"),
    )


@dataclass
class Column:
    stage: Stage
    cards: list
    count: int

    @property
    def hidden(self) -> int:
        return self.count - len(self.cards)


CHOICES = Stage.choices


def stage_options(*, selected: str) -> str:
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if value == selected else "", label) for value, label in CHOICES),
    )


def board(*, user, moved_to: str | None = None) -> dict:
    """One column per stage; one query whatever the number of opportunities.

    Each open column shows its most pressing cards (next step due soonest) and each closed
    one its most recent; the window functions count them all in the same query."""
    pressing = [F("next_step_due").asc(nulls_last=True), F("updated_at").desc(), F("pk").asc()]
    recent = [F("closed_at").desc(nulls_last=True), F("updated_at").desc(), F("pk").desc()]
    rows = (
        with_cards(Opportunity.objects.owned_by(user))
        .annotate(
            stage_total=Window(Count("pk"), partition_by=[F("stage")]),
            open_rank=Window(RowNumber(), partition_by=[F("stage")], order_by=pressing),
            closed_rank=Window(RowNumber(), partition_by=[F("stage")], order_by=recent),
        )
        .filter(
            Q(stage__in=OPEN_STAGES, open_rank__lte=OPEN_SHOWN)
            | Q(stage__in=CLOSED_STAGES, closed_rank__lte=CLOSED_SHOWN)
        )
        .order_by(*pressing)
    )
    by_stage: dict[str, list] = {stage: [] for stage in Stage.values}
    totals: dict[str, int] = dict.fromkeys(Stage.values, 0)
    today = timezone.localdate()
    for opportunity in rows:
        due = opportunity.next_step_due
        opportunity.is_overdue = bool(due and due < today and opportunity.stage in OPEN_STAGES)
        by_stage[opportunity.stage].append(opportunity)
        totals[opportunity.stage] = opportunity.stage_total
    return {
        "total": sum(totals.values()),
        "open_columns": [Column(s, by_stage[s], totals[s]) for s in OPEN_STAGES],
        "closed_columns": [Column(s, by_stage[s], totals[s]) for s in CLOSED_STAGES],
        "closed_count": sum(totals[stage] for stage in CLOSED_STAGES),
        "closed_shown": CLOSED_SHOWN,
        # One move menu for the whole board: each card's Move button submits it.
        "stage_options": stage_options(selected=moved_to or ""),
        "today": today,
        "base_url": reverse("opportunities:board"),
    }


def opportunity_queryset(*, user, filters: dict) -> QuerySet:
    """The owner's opportunities as the list filters them (OpportunityFilterForm's values)."""
    queryset = Opportunity.objects.owned_by(user)
    if filters.get("stage"):
        queryset = queryset.filter(stage=filters["stage"])
    if filters.get("organization"):
        queryset = queryset.filter(organization=filters["organization"])
    if filters.get("source_channel"):
        queryset = queryset.filter(source_channel=filters["source_channel"])
    if filters.get("status") == "open":
        queryset = queryset.filter(stage__in=OPEN_STAGES)
    elif filters.get("status") == "closed":
        queryset = queryset.filter(stage__in=CLOSED_STAGES)
    if filters.get("contact"):
        queryset = queryset.filter(
            pk__in=OpportunityContact.objects.filter(contact=filters["contact"]).values(
                "opportunity_id"
            )
        )
    if filters.get("q"):
        term = filters["q"]
        queryset = queryset.filter(
            Q(role_title__icontains=term) | Q(organization__name__icontains=term)
        )
    return with_cards(queryset).order_by("-updated_at", "pk")


def opportunity_page(*, user, filters: dict, page_number) -> object:
    queryset = opportunity_queryset(user=user, filters=filters)
    return Paginator(queryset, LIST_PAGE_SIZE).get_page(page_number)


@dataclass
class TimelineEntry:
    change: StageChange
    started_at: datetime
    ended_at: datetime | None  # None: the current stage, still running

    @property
    def duration(self) -> timedelta:
        return (self.ended_at or timezone.now()) - self.started_at

    @property
    def days(self) -> int:
        return self.duration.days

    @property
    def is_current(self) -> bool:
        return self.ended_at is None

    @property
    def is_revival(self) -> bool:
        return self.change.from_stage in CLOSED_STAGES and self.change.to_stage in OPEN_STAGES


def stage_timeline(*, opportunity: Opportunity) -> list[TimelineEntry]:
    """Every stage the opportunity went through, with the time spent in it (one query).

    The database pairs each change with the next one; the last stage counts up to now. A closed
    opportunity's final stage is an outcome, not a wait, so it has no running duration."""
    changes = (
        StageChange.objects.filter(opportunity=opportunity)
        .annotate(
            ended_at=Window(Lead("changed_at"), order_by=[F("changed_at").asc(), F("pk").asc()])
        )
        .order_by("changed_at", "pk")
    )
    return [TimelineEntry(c, c.changed_at, c.ended_at) for c in changes]


def people_on(*, opportunity: Opportunity) -> QuerySet:
    return (
        OpportunityContact.objects.filter(opportunity=opportunity)
        .select_related("contact", "contact__organization")
        .order_by("role", "contact__full_name", "pk")
    )


def linked_interactions(*, opportunity: Opportunity) -> QuerySet:
    # Through the relation interactions declares here: interactions sits above opportunities.
    return (
        opportunity.interactions.all()
        .prefetch_related(Prefetch("contacts", queryset=Contact.objects.only("id", "full_name")))
        .order_by("-occurred_at", "-pk")
    )


def contact_opportunity_roles(*, contact: Contact) -> list[dict]:
    """The opportunities a contact is part of, each with all their roles (one query)."""
    roles = (
        OpportunityContact.objects.filter(owner_id=contact.owner_id, contact=contact)
        .select_related("opportunity", "opportunity__organization")
        .order_by("-opportunity__updated_at", "opportunity_id", "role")
    )
    grouped: dict[int, dict] = {}
    for role in roles:
        entry = grouped.setdefault(role.opportunity_id, {"opportunity": role.opportunity})
        entry.setdefault("roles", []).append(role.get_role_display())
    return list(grouped.values())


def organization_opportunities(*, organization) -> QuerySet:
    return with_cards(
        Opportunity.objects.filter(owner_id=organization.owner_id, organization=organization)
    ).order_by(F("closed_at").desc(nulls_first=True), "-updated_at", "pk")


def interviews_on(*, opportunity) -> list:
    """The opportunity's interview rounds with their interviewers: two queries."""
    return list(
        opportunity.interview_rounds.filter(owner_id=opportunity.owner_id)
        .prefetch_related("interviewers")
        .order_by("starts_at", "pk")
    )
