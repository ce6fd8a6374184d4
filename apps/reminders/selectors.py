"""Reads that power the reminders pages and emails. The database filters and aggregates."""

import datetime as dt
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone

from apps.contacts.models import WARM_OR_CLOSE, Contact
from apps.core.localtime import local_day_bounds
from apps.core.subqueries import count_of
from apps.opportunities.models import InterviewRound, StageChange
from apps.reminders.models import Delivery, FollowUp, FollowUpKind, FollowUpStatus
from apps.reminders.signals import weekly_review_figures

UPCOMING_DAYS = 7
# Today shows the longest-waiting overdue follow-ups; the rest are a click away, paginated.
OVERDUE_SHOWN = 20
# Every other list on Today can be crowded too (an import with cadences all due one day, a
# backlog marked done at once): each shows its first SECTION_SHOWN, with the count of all.
SECTION_SHOWN = 20
OWED_KINDS = [FollowUpKind.THANK_YOU, FollowUpKind.CLOSE_LOOP, FollowUpKind.INTERVIEW_THANKS]


def nav_due_count(user) -> int:
    """Open follow-ups due by the end of the user's local today: the badge in the navigation."""
    _, end = local_day_bounds(user.local_now().date(), user.zone)
    return (
        FollowUp.objects.owned_by(user).filter(status=FollowUpStatus.OPEN, due_at__lt=end).count()
    )


def _with_context(queryset):
    return queryset.select_related(
        "contact", "contact__organization", "opportunity", "opportunity__organization"
    )


def _as_rows(queryset):
    """What a follow-up row (Today, the follow-ups list) shows, and no more: each row built from
    4 tables' every column was most of the sections' Python time."""
    joins = queryset.select_related(None).select_related("contact__organization", "opportunity")
    return joins.only(
        *(f.name for f in FollowUp._meta.concrete_fields),
        "contact__full_name",
        "contact__organization__name",
        "opportunity__role_title",
    )


@dataclass
class TodaySections:
    today: dt.date
    overdue: list = field(default_factory=list)
    overdue_count: int = 0
    due_today: list = field(default_factory=list)
    upcoming: list = field(default_factory=list)
    done_today: list = field(default_factory=list)
    # Open promises in the same window, listed apart under "You promised".
    promised: list = field(default_factory=list)
    # Thank-yous and loops to close that are due: listed apart under "Next steps".
    owed: list = field(default_factory=list)
    # How many each list holds in all ("done", "promised", "owed", "today", "upcoming").
    counts: dict = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not (
            self.overdue
            or self.due_today
            or self.upcoming
            or self.done_today
            or self.promised
            or self.owed
        )


def today_sections(user, *, now=None, overdue_limit: int = OVERDUE_SHOWN) -> TodaySections:
    """The most urgent overdue follow-ups (at most `overdue_limit`, with the count of all),
    due today and the next 7 days, with "today" taken in the user's own zone. Two queries
    whatever the backlog: each list's count rides along as a window over its capped rows."""
    now = now or timezone.now()
    today = now.astimezone(user.zone).date()
    start, end = local_day_bounds(today, user.zone)
    horizon, _ = local_day_bounds(today + dt.timedelta(days=UPCOMING_DAYS + 1), user.zone)
    owned = FollowUp.objects.owned_by(user)
    sections = TodaySections(today=today)
    overdue = owned.filter(status=FollowUpStatus.OPEN, due_at__lt=start)
    # The count rides along as a scalar subquery the index answers alone: a window over the
    # rows would join every overdue follow-up to its contact first (12 ms at 1,250 overdue).
    sections.overdue = list(
        _as_rows(overdue)
        .annotate(overdue_total=count_of(overdue))
        .order_by("due_at", "pk")[:overdue_limit]
    )
    if sections.overdue:
        sections.overdue_count = sections.overdue[0].overdue_total
    opened = Q(status=FollowUpStatus.OPEN)
    section = Case(
        When(status=FollowUpStatus.DONE, completed_at__gte=start, then=Value("done")),
        # Promises are listed apart under "You promised"; thank-yous and loops to close that
        # are due today under "Next steps" (overdue ones stay in the overdue triage above).
        When(opened & Q(kind=FollowUpKind.PROMISE, due_at__gte=start), then=Value("promised")),
        When(
            opened & Q(kind__in=OWED_KINDS, due_at__gte=start, due_at__lt=end), then=Value("owed")
        ),
        When(opened & Q(due_at__gte=start, due_at__lt=end), then=Value("today")),
        default=Value("upcoming"),
        output_field=CharField(),
    )
    in_section = {"partition_by": [F("section")], "order_by": [F("due_at").asc(), F("pk").asc()]}
    rows = (
        _as_rows(
            owned.filter(
                Q(status=FollowUpStatus.OPEN, due_at__gte=start, due_at__lt=horizon)
                | Q(status=FollowUpStatus.DONE, completed_at__gte=start)
            )
        )
        .annotate(section=section)
        .annotate(
            place=Window(RowNumber(), **in_section),
            section_total=Window(Count("pk"), partition_by=[F("section")]),
        )
        .filter(place__lte=SECTION_SHOWN)
        .order_by("due_at", "pk")
    )
    lists = {
        "done": sections.done_today,
        "promised": sections.promised,
        "owed": sections.owed,
        "today": sections.due_today,
        "upcoming": sections.upcoming,
    }
    for row in rows:
        lists[row.section].append(row)
        sections.counts[row.section] = row.section_total
    return sections


def followup_queryset(user, *, filters: dict):
    """The owner's follow-ups as the list filters them (FollowUpFilterForm's values)."""
    queryset = _with_context(FollowUp.objects.owned_by(user))
    status = filters.get("status") or "open"
    if status == "overdue":
        start, _ = local_day_bounds(user.local_now().date(), user.zone)
        queryset = queryset.filter(status=FollowUpStatus.OPEN, due_at__lt=start)
    elif status != "all":
        queryset = queryset.filter(status=status)
    if filters.get("contact"):
        queryset = queryset.filter(contact=filters["contact"])
    if filters.get("opportunity"):
        queryset = queryset.filter(opportunity=filters["opportunity"])
    if filters.get("due_from"):
        start, _ = local_day_bounds(filters["due_from"], user.zone)
        queryset = queryset.filter(due_at__gte=start)
    if filters.get("due_to"):
        _, end = local_day_bounds(filters["due_to"], user.zone)
        queryset = queryset.filter(due_at__lt=end)
    if status in ("done", "canceled"):
        return queryset.order_by("-completed_at", "-pk")
    return queryset.order_by("due_at", "pk")


def followup_page(user, *, filters: dict, page=None, per_page: int = 50):
    # The page draws the same rows as Today; the API reads the full queryset.
    return Paginator(_as_rows(followup_queryset(user, filters=filters)), per_page).get_page(page)


def contact_followups(contact, *, limit: int = 10) -> list[FollowUp]:
    """Open follow-ups first (soonest first), then the last few closed ones. One query."""
    return list(
        FollowUp.objects.owned_by(contact.owner_id)
        .filter(contact=contact)
        .select_related("contact", "contact__organization", "opportunity")
        # Descending status puts "open" before "done" and "canceled".
        .order_by("-status", "due_at")[:limit]
    )


def opportunity_followups(opportunity, *, limit: int = 10) -> list[FollowUp]:
    return list(
        FollowUp.objects.owned_by(opportunity.owner_id)
        .filter(opportunity=opportunity)
        .select_related("contact", "contact__organization", "opportunity")
        .order_by("-status", "due_at")[:limit]
    )


def outbox_page(user, *, status=None, page=None, per_page: int = 50):
    queryset = (
        Delivery.objects.owned_by(user)
        .select_related("follow_up", "follow_up__contact")
        .order_by("-due_at", "-pk")
    )
    if status:
        queryset = queryset.filter(status=status)
    return Paginator(queryset, per_page).get_page(page)


def outbox_counts(user) -> dict:
    return Delivery.objects.owned_by(user).aggregate(
        pending=Count("pk", filter=Q(status="pending")),
        sent=Count("pk", filter=Q(status="sent")),
        failed=Count("pk", filter=Q(status="failed")),
    )


def calendar_followups(user, *, now=None):
    now = now or timezone.now()
    return _with_context(
        FollowUp.objects.owned_by(user).filter(
            status=FollowUpStatus.OPEN, due_at__gte=now - dt.timedelta(days=30)
        )
    ).order_by("due_at")[:1000]


def calendar_interviews(user, *, now=None):
    """Interview rounds from a month ago on, with their interviewers: two queries."""
    now = now or timezone.now()
    return (
        InterviewRound.objects.owned_by(user)
        .filter(starts_at__gte=now - dt.timedelta(days=30))
        .select_related("opportunity", "opportunity__organization")
        .prefetch_related("interviewers")
        .order_by("starts_at")[:500]
    )


def last_interaction(contact):
    # Through the relation interactions declares on Contact: interactions sit above reminders.
    return (
        contact.interactions.filter(owner_id=contact.owner_id)
        .order_by("-occurred_at", "-pk")
        .first()
    )


def last_interactions(contact_ids) -> dict:
    """`last_interaction` for many contacts in two queries: {contact id: its newest
    conversation}, contacts without one left out. A batch of reminder emails reads its history
    this way rather than one query per email."""
    ids = set(contact_ids)
    if not ids:
        return {}
    # The relation interactions declares on Contact (interactions sit above reminders): its
    # link table and model, never an import.
    links = Contact.interactions.through.objects
    interaction = Contact.interactions.rel.related_model
    newest = (
        links.filter(contact_id=OuterRef("pk"), interaction__owner_id=OuterRef("owner_id"))
        .order_by("-interaction__occurred_at", "-interaction__pk")
        .values("interaction_id")[:1]
    )
    pairs = dict(
        Contact.objects.filter(pk__in=ids)
        .annotate(newest=Subquery(newest))
        .exclude(newest=None)
        .values_list("pk", "newest")
    )
    rows = interaction.objects.in_bulk(set(pairs.values()))
    return {contact_id: rows[pk] for contact_id, pk in pairs.items() if pk in rows}


def digest_followups(user, *, now=None) -> TodaySections:
    """What a daily digest lists: overdue and due today in the user's zone."""
    sections = today_sections(user, now=now)
    start, end = local_day_bounds(sections.today, user.zone)
    # Promises and thank-yous due by tonight are listed with the rest, worded as what they are.
    for promise in sections.promised + sections.owed:
        if promise.due_at < start:
            sections.overdue.append(promise)
        elif promise.due_at < end:
            sections.due_today.append(promise)
    sections.overdue.sort(key=lambda f: (f.due_at, f.pk))
    sections.due_today.sort(key=lambda f: (f.due_at, f.pk))
    sections.upcoming = []
    sections.done_today = []
    sections.promised = []
    sections.owed = []
    return sections


COLD_AFTER_DAYS = 30


def weekly_review(user, *, now=None) -> dict:
    """The week that ended now, counted by the database. Follow-ups, contacts going cold and
    opportunities that moved are read here; the apps above add their figures by signal."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=7)
    done = (
        FollowUp.objects.owned_by(user)
        .filter(status=FollowUpStatus.DONE, completed_at__gte=since, completed_at__lt=now)
        .aggregate(
            total=Count("pk"),
            on_time=Count("pk", filter=Q(completed_at__lte=_on_time_limit())),
        )
    )
    cold_cutoff = now - dt.timedelta(days=COLD_AFTER_DAYS)
    going_cold = list(
        Contact.objects.owned_by(user)
        .filter(archived=False, warmth__in=WARM_OR_CLOSE)
        .filter(Q(last_interaction_at__lt=cold_cutoff) | Q(last_interaction_at=None))
        .select_related("organization")
        .order_by("last_interaction_at", "pk")[:10]
    )
    moved = list(
        StageChange.objects.owned_by(user)
        .filter(changed_at__gte=since, changed_at__lt=now)
        .exclude(from_stage="")
        .select_related("opportunity", "opportunity__organization")
        .order_by("-changed_at")[:20]
    )
    review = {
        "since": since,
        "until": now,
        "done_total": done["total"],
        "done_on_time": done["on_time"],
        "going_cold": going_cold,
        "moved": moved,
    }
    for _receiver, figures in weekly_review_figures.send(
        sender=None, user=user, since=since, until=now
    ):
        review.update(figures)
    return review


def _on_time_limit():
    """Done on time: no later than 24 hours after it was due."""
    return ExpressionWrapper(F("due_at") + dt.timedelta(days=1), output_field=DateTimeField())
