"""People met: when each contact became someone the user actually met.

A contact is met at their first conversation (a like or comment is not one), or when added by
hand if that came first. Imported rows are not people met until a first conversation.
"""

from django.db import connection
from django.db.models import (
    Case,
    DateTimeField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce, Least

from apps.contacts.models import AddedVia, Contact
from apps.insights.ranges import EPOCH
from apps.interactions.models import LOW_WEIGHT_KINDS, Interaction


def _conversations(owner, start, end) -> QuerySet:
    """The contacts with a conversation in [start, end)."""
    return (
        Interaction.contacts.through.objects.filter(
            interaction__owner=owner,
            interaction__occurred_at__gte=start,
            interaction__occurred_at__lt=end,
        )
        .exclude(interaction__kind__in=LOW_WEIGHT_KINDS)
        .values("contact_id")
    )


def _unindexed(expression, output_field):
    """SQLite's documented way to keep a term from choosing an index: a unary plus (a no-op on
    the value)."""
    return Func(expression, template="+%(expressions)s", output_field=output_field)


def _earlier_conversations_of_each(owner, start) -> QuerySet:
    """The conversations before `start`, to be narrowed to one contact (OuterRef) at a time.

    PostgreSQL plans this by its statistics. SQLite, which has statistics only once analyzed
    (apps/core/planner.py), may pick the owner-and-time index instead and walk every earlier
    conversation for each contact: 15 s on a 10,000-contact account. With the time and owner
    terms kept off that index it can only look up each contact's own links: 9 ms, analyzed or
    not (NOT IN over every earlier conversation took 135 ms).
    """
    if connection.vendor != "sqlite":
        return _conversations(owner, EPOCH, start)
    return (
        Interaction.contacts.through.objects.alias(
            at=_unindexed(F("interaction__occurred_at"), DateTimeField()),
            by=_unindexed(F("interaction__owner_id"), IntegerField()),
        )
        .filter(at__gte=EPOCH, at__lt=start, by=getattr(owner, "pk", owner))
        .exclude(interaction__kind__in=LOW_WEIGHT_KINDS)
        .values("contact_id")
    )


def met_between(owner, start, end) -> QuerySet:
    """The owner's contacts met in [start, end).

    Written as set tests the database answers for all contacts at once (each planner in the
    shape it runs fastest): nobody met before `start` had a conversation before it; then a
    contact added by hand is met in the range if added in it (before its end, or talked to in
    the range), an imported one if talked to in the range.
    """
    in_range = _conversations(owner, start, end)
    people = Contact.objects.owned_by(owner).filter(
        Q(added_via=AddedVia.HAND, created_at__gte=start)
        & (Q(created_at__lt=end) | Q(pk__in=in_range))
        | ~Q(added_via=AddedVia.HAND) & Q(pk__in=in_range)
    )
    if start > EPOCH:
        # NOT EXISTS: an anti-join that looks up only the candidates' earlier conversations
        # (NOT IN built the list of every earlier one: 35 ms of a 10,000-contact account's Today
        # on PostgreSQL).
        earlier = _earlier_conversations_of_each(owner, start)
        people = people.exclude(Exists(earlier.filter(contact_id=OuterRef("pk"))))
    return people


def with_met_at(queryset: QuerySet, owner) -> QuerySet:
    """`met_at` on each row, for the lists that show it (a lookup per listed contact)."""
    first_conversation = Subquery(
        Interaction.objects.filter(owner=owner, contacts=OuterRef("pk"))
        .exclude(kind__in=LOW_WEIGHT_KINDS)
        .order_by("occurred_at")
        .values("occurred_at")[:1],
        output_field=DateTimeField(),
    )
    return queryset.annotate(first_conversation_at=first_conversation).annotate(
        met_at=Case(
            When(
                added_via=AddedVia.HAND,
                then=Least(F("created_at"), Coalesce(F("first_conversation_at"), F("created_at"))),
            ),
            default=F("first_conversation_at"),
            output_field=DateTimeField(),
        )
    )
