"""Reads that power the contacts and organizations pages (and the CSV export of a list view)."""

import datetime as dt

from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Value
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from apps.contacts.models import Contact, Organization, Tag
from apps.core.pagination import CountedPaginator

PAGE_SIZE = 25
MAX_SEARCH_TERMS = 8

SORTS = {
    "name": (Lower("full_name").asc(), F("pk").asc()),
    "-name": (Lower("full_name").desc(), F("pk").desc()),
    "-last": (F("last_interaction_at").desc(nulls_last=True), F("pk").desc()),
    "last": (F("last_interaction_at").asc(nulls_first=True), F("pk").asc()),
    "-created": (F("created_at").desc(), F("pk").desc()),
    "created": (F("created_at").asc(), F("pk").asc()),
}
DEFAULT_SORT = "name"


class DaysInterval(models.Func):
    """`n` days as a duration, so `timestamp + cadence_days` stays in the database."""

    output_field = models.DurationField()

    def as_sql(self, compiler, connection, **extra):
        # SQLite has no interval type: Django stores durations there as microseconds.
        return super().as_sql(
            compiler, connection, template="(%(expressions)s * 86400000000)", **extra
        )

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, template="make_interval(days => %(expressions)s)", **extra
        )


def with_going_cold(queryset, *, now: dt.datetime | None = None):
    """Annotate `next_touch_at` (last touch, or creation when never touched, plus the cadence)
    and `is_going_cold` (a cadence is set and that moment has passed)."""
    now = now or timezone.now()
    next_touch = Coalesce(F("last_interaction_at"), F("created_at")) + DaysInterval(
        F("cadence_days")
    )
    return queryset.annotate(next_touch_at=next_touch).annotate(
        is_going_cold=models.Case(
            models.When(cadence_days__isnull=False, next_touch_at__lt=now, then=Value(True)),
            default=Value(False),
            output_field=models.BooleanField(),
        )
    )


def _search_terms(query: str) -> list[str]:
    return [term[:100] for term in query.split()][:MAX_SEARCH_TERMS]


SEARCHED_COLUMNS = ("full_name", "title", "email", "notes")


def _term_ids(term: str, *, user):
    """The ids of the owner's contacts matching `term` in any searched column, company or tag.

    A UNION of one SELECT per column: each branch reads its own pg_trgm GIN index (migration
    0002), where ORed ILIKEs across the organization join leave PostgreSQL a sequential scan.
    The branches leave out the owner on purpose, so the trigram index is the plan; the caller's
    queryset is the owner's, which drops anyone else's ids.
    """
    by_column = [
        Contact.objects.filter(**{f"{c}__icontains": term}).values("pk") for c in SEARCHED_COLUMNS
    ]
    companies = Organization.objects.owned_by(user).filter(name__icontains=term).values("pk")
    by_company = Contact.objects.owned_by(user).filter(organization__in=companies).values("pk")
    by_tag = Contact.tags.through.objects.filter(tag__owner=user, tag__name__icontains=term).values(
        "contact_id"
    )
    return by_column[0].union(*by_column[1:], by_company, by_tag)


def _pk(value):
    return getattr(value, "pk", value)


def contact_queryset(*, user, filters: dict):
    """The owner's contacts, filtered and sorted as on the list page.

    `filters` is `ContactFilterForm(...).cleaned_or_empty()`: q, tag, organization, channel,
    warmth, target, going_cold, archived ("" = active, "archived", "all") and sort. Missing or
    empty keys do not filter. Tag and organization may be instances or ids; the owner filter
    applies either way, so another user's id only ever matches nothing.
    """
    qs = with_going_cold(
        Contact.objects.owned_by(user).select_related("organization").prefetch_related("tags")
    )
    archived = filters.get("archived") or ""
    if archived == "archived":
        qs = qs.filter(archived=True)
    elif archived != "all":
        qs = qs.filter(archived=False)
    for term in _search_terms(filters.get("q") or ""):
        qs = qs.filter(pk__in=_term_ids(term, user=user))
    if filters.get("tag"):
        qs = qs.filter(tags=_pk(filters["tag"]))
    if filters.get("organization"):
        qs = qs.filter(organization=_pk(filters["organization"]))
    if filters.get("channel"):
        qs = qs.filter(channel=filters["channel"])
    if filters.get("warmth"):
        qs = qs.filter(warmth=filters["warmth"])
    if filters.get("target"):
        qs = qs.filter(organization__is_target=True)
    if filters.get("going_cold"):
        qs = qs.filter(cadence_days__isnull=False, next_touch_at__lt=timezone.now())
    return qs.order_by(*SORTS.get(filters.get("sort") or DEFAULT_SORT, SORTS[DEFAULT_SORT]))


def with_balance(queryset):
    """Annotate `gave_count` and `asked_count`: the conversations with this contact in which the
    user gave something, or asked for something (a referral ask counts as an ask). Correlated
    subqueries through the conversations' contact table, computed for the fetched rows only."""
    # Through the relation interactions declares on Contact: interactions sit above contacts.
    links = Contact.interactions.through.objects.filter(
        contact_id=OuterRef("pk"), interaction__owner_id=OuterRef("owner_id")
    )

    def count(condition):
        rows = links.filter(condition).values("contact_id").annotate(n=Count("*")).values("n")
        return Coalesce(models.Subquery(rows, output_field=models.IntegerField()), Value(0))

    return queryset.annotate(
        gave_count=count(~Q(interaction__gave="")),
        asked_count=count(~Q(interaction__asked="") | Q(interaction__asked_referral=True)),
    )


def contact_page(*, user, filters: dict, page=None):
    """One page of the list: a count query, the page's rows (with their give/ask balance), and
    their tags. A search's count rides along with its rows instead (one query for both): its
    matches are gathered and sorted whole anyway, where the plain list reads its first rows in
    index order and counts from a narrow index."""
    queryset = with_balance(contact_queryset(user=user, filters=filters))
    searched = _search_terms(filters.get("q") or "")
    return (CountedPaginator if searched else Paginator)(queryset, PAGE_SIZE).get_page(page)


def contact_detail(*, user, pk):
    """The contact with what the profile shows in a fixed number of queries."""
    return (
        with_balance(with_going_cold(Contact.objects.owned_by(user)))
        .select_related("organization", "introduced_by", "introduced_by__organization")
        .prefetch_related(
            "tags",
            models.Prefetch(
                "introduced",
                queryset=Contact.objects.select_related("organization").order_by(
                    Lower("full_name"), "pk"
                ),
            ),
        )
        .filter(pk=pk)
    )


def past_employments(*, contact) -> list:
    """The organizations a contact worked at before, latest first: one query."""
    return list(
        contact.past_employments.filter(owner_id=contact.owner_id)
        .select_related("organization")
        .order_by(models.F("until").desc(nulls_last=True), Lower("organization__name"), "pk")
    )


TAG_SUGGESTIONS = 50


def tag_suggestions(user, limit: int = TAG_SUGGESTIONS) -> list[str]:
    """The names a tag box suggests: the owner's most used tags, at most `limit` (a bounded
    list, whatever the number of tags), alphabetical."""
    names = (
        Tag.objects.owned_by(user)
        .annotate(uses=Count("contacts"))
        .order_by("-uses", Lower("name"))
        .values_list("name", flat=True)[:limit]
    )
    return sorted(names, key=str.casefold)


def owner_organizations(user):
    return Organization.objects.owned_by(user).order_by(Lower("name"))


def organization_queryset(*, user, query: str = "", target_only: bool = False):
    """The owner's organizations with their active contact count, searched by name."""
    qs = Organization.objects.owned_by(user).annotate(
        contact_count=Count("contacts", filter=Q(contacts__archived=False))
    )
    if query:
        qs = qs.filter(name__icontains=query[:100])
    if target_only:
        qs = qs.filter(is_target=True)
    return qs.order_by(Lower("name"), "pk")


def organization_page(*, user, query: str = "", target_only: bool = False, page=None):
    qs = organization_queryset(user=user, query=query, target_only=target_only)
    return Paginator(qs, PAGE_SIZE).get_page(page)


def organization_contacts(*, organization):
    return with_going_cold(
        Contact.objects.owned_by(organization.owner_id)
        .filter(organization=organization)
        .prefetch_related("tags")
        .order_by("archived", Lower("full_name"), "pk")
    )
