"""Subquery expressions more than one app's reads use."""

from django.db.models import Count, IntegerField, Subquery
from django.db.models.functions import Coalesce


def count_of(queryset):
    """The number of rows of a queryset of owned rows (correlated or not), as a subquery
    annotation (0 when none). Grouped by owner, so the database counts from an owner index."""
    return Coalesce(
        Subquery(queryset.order_by().values("owner").annotate(n=Count("pk")).values("n")[:1]),
        0,
        output_field=IntegerField(),
    )
