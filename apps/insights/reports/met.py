"""People met: when each contact became someone the user actually met.

A contact is met at their first conversation (a like or comment is not one), or when added by
hand if that came first. Imported rows are not people met until a first conversation.
"""

from django.db.models import Case, DateTimeField, F, OuterRef, QuerySet, Subquery, When
from django.db.models.functions import Coalesce, Least

from apps.contacts.models import AddedVia, Contact
from apps.interactions.models import LOW_WEIGHT_KINDS, Interaction


def with_met_at(queryset: QuerySet, owner) -> QuerySet:
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


def met_between(owner, start, end) -> QuerySet:
    """The owner's contacts met in [start, end)."""
    return with_met_at(Contact.objects.owned_by(owner), owner).filter(
        met_at__gte=start, met_at__lt=end
    )
