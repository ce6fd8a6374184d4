"""Reads behind the interaction pages; each runs a fixed number of queries."""

import datetime as dt

from django.core.paginator import Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower

from apps.contacts.models import Contact
from apps.core.choices import Channel
from apps.core.localtime import local_midnight
from apps.core.text import search_term
from apps.interactions.models import LOW_WEIGHT_KINDS, Interaction, OutreachTemplate
from apps.opportunities.models import OPEN_STAGES, Opportunity

TIMELINE_PAGE_SIZE = 10
LIST_PAGE_SIZE = 25
SUGGESTION_LIMIT = 8


def _with_people(qs):
    # One extra query for every page of results, however many contacts each interaction has.
    people = Prefetch(
        "contacts",
        queryset=Contact.objects.only("pk", "full_name", "owner_id").order_by(
            Lower("full_name"), "pk"
        ),
    )
    return qs.select_related("opportunity", "opportunity__organization").prefetch_related(people)


def contact_timeline(*, owner, contact, page=None):
    """The contact's interactions, newest first, one page at a time (`owner`: a user or its id;
    the contact page already proved the contact is theirs)."""
    qs = _with_people(Interaction.objects.owned_by(owner).filter(contacts=contact))
    return Paginator(qs, TIMELINE_PAGE_SIZE).get_page(page)


def interactions_filtered(*, user, filters: dict):
    qs = Interaction.objects.owned_by(user)
    if filters.get("channel"):
        qs = qs.filter(channel=filters["channel"])
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("contact"):
        qs = qs.filter(contacts=filters["contact"])
    if filters.get("opportunity"):
        qs = qs.filter(opportunity=filters["opportunity"])
    # Date bounds are the user's local days, whole days included.
    if filters.get("date_from"):
        qs = qs.filter(occurred_at__gte=local_midnight(filters["date_from"], user.zone))
    if filters.get("date_to"):
        next_day = filters["date_to"] + dt.timedelta(days=1)
        qs = qs.filter(occurred_at__lt=local_midnight(next_day, user.zone))
    if filters.get("q"):
        term = filters["q"]
        # A subquery, not a join, so an interaction with two matching contacts counts once.
        by_contact = Interaction.contacts.through.objects.filter(
            contact__full_name__icontains=term
        ).values("interaction_id")
        qs = qs.filter(
            Q(summary__icontains=term)
            | Q(gave__icontains=term)
            | Q(asked__icontains=term)
            | Q(notes__icontains=term)
            | Q(pk__in=by_contact)
        )
    return qs


def interaction_totals(qs) -> dict:
    """Count, minutes and the kinds of touch of a filtered set: one aggregate query."""
    # Counted by a column of the covering index interactions_totals_idx (kind is never null),
    # not by id, so the database answers from the index alone.
    return qs.aggregate(
        count=Count("*"),
        minutes=Coalesce(Sum("minutes"), Value(0)),
        conversations=Count("kind", filter=~Q(kind__in=LOW_WEIGHT_KINDS)),
        light_touches=Count("kind", filter=Q(kind__in=LOW_WEIGHT_KINDS)),
        referral_asks=Count("kind", filter=Q(asked_referral=True)),
    )


def interaction_page(*, user, filters: dict, page=None):
    """A page of the filtered interactions and the totals of the whole filtered set."""
    qs = interactions_filtered(user=user, filters=filters)
    totals = interaction_totals(qs)
    results = Paginator(_with_people(qs).order_by("-occurred_at", "-pk"), LIST_PAGE_SIZE)
    return results.get_page(page), totals


def contact_suggestions(*, user, query: str, exclude_ids=(), limit=SUGGESTION_LIMIT):
    """Contacts whose name contains the query, names starting with it first."""
    query = search_term(query)
    if not query:
        return []
    rank = Case(
        When(full_name__istartswith=query, then=Value(0)),
        When(full_name__icontains=f" {query}", then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return list(
        Contact.objects.owned_by(user)
        .filter(full_name__icontains=query, archived=False)
        .exclude(pk__in=[i for i in exclude_ids if i])
        .select_related("organization")
        .annotate(rank=rank)
        .order_by("rank", Lower("full_name"), "pk")[:limit]
    )


def name_taken(*, user, name: str) -> bool:
    wanted = search_term(name, limit=200)
    return Contact.objects.owned_by(user).filter(full_name__iexact=wanted).exists()


def open_opportunities(*, user):
    return (
        Opportunity.objects.owned_by(user)
        .filter(stage__in=OPEN_STAGES)
        .select_related("organization")
        .order_by(Lower("role_title"), "pk")
    )


def weekly_figures(*, user, since, until) -> dict:
    """The weekly review's conversations (likes and comments apart) and minutes by channel."""
    interactions = Interaction.objects.owned_by(user).filter(
        occurred_at__gte=since, occurred_at__lt=until
    )
    conversations = interactions.exclude(kind__in=LOW_WEIGHT_KINDS).count()
    minutes_by_channel = list(
        interactions.values("channel")
        .annotate(minutes=Sum("minutes"), count=Count("pk"))
        .order_by("-minutes", "channel")
    )
    labels = dict(Channel.choices)
    for row in minutes_by_channel:
        row["label"] = labels.get(row["channel"], row["channel"])
    return {
        "conversations": conversations,
        "minutes_by_channel": minutes_by_channel,
        "minutes_total": sum(row["minutes"] or 0 for row in minutes_by_channel),
    }


def never_given(*, user, contact_ids) -> list:
    """Of these contacts, the ones the user has never recorded giving anything to: asking them
    first is worth a second thought. One query."""
    ids = [i for i in contact_ids if i]
    if not ids:
        return []
    given = Interaction.objects.owned_by(user).filter(contacts=OuterRef("pk")).exclude(gave="")
    return list(
        Contact.objects.owned_by(user)
        .filter(pk__in=ids)
        .exclude(Exists(given))
        .only("pk", "full_name")
        .order_by("full_name")
    )


def last_gave(*, user, contact) -> str:
    """What the user last gave this contact (the {what_i_gave} merge field)."""
    return (
        Interaction.objects.owned_by(user)
        .filter(contacts=contact)
        .exclude(gave="")
        .order_by("-occurred_at", "-pk")
        .values_list("gave", flat=True)
        .first()
        or ""
    )


def owner_templates(*, user):
    return OutreachTemplate.objects.owned_by(user).order_by("purpose", Lower("name"), "pk")
