"""Opportunities picked by search, with the contacts picker's widget (search-then-pick, never a
<select> of every row): "opportunity" offers all of the owner's, "open_opportunity" the ones
still open (the quick log links a conversation to those)."""

from django.db.models import Q
from django.db.models.functions import Lower

from apps.contacts import pickers
from apps.opportunities.models import OPEN_STAGES, Opportunity


def _search(queryset, term):
    return queryset.filter(
        Q(role_title__icontains=term) | Q(organization__name__icontains=term)
    ).order_by(Lower("role_title"), "pk")


OPPORTUNITY = {
    "model": Opportunity,
    "related": ["organization"],
    "search": _search,
    "label": str,  # "Role at Organization"
    "placeholder": "Type part of the role or organization",
}
pickers.register("opportunity", OPPORTUNITY)
pickers.register(
    "open_opportunity", {**OPPORTUNITY, "scope": lambda qs: qs.filter(stage__in=OPEN_STAGES)}
)
