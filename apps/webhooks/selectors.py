"""Reads for the webhooks settings page."""

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from apps.webhooks import conf
from apps.webhooks.models import Endpoint, WebhookDelivery


def endpoints_with_recent(user) -> list[Endpoint]:
    """The user's endpoints, each with its newest deliveries as `.recent`: two queries whatever
    the number of endpoints or deliveries."""
    endpoints = list(Endpoint.objects.owned_by(user).order_by("created_at", "pk"))
    if not endpoints:
        return []
    ranked = (
        WebhookDelivery.objects.owned_by(user)
        .filter(endpoint__in=endpoints)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("endpoint_id")],
                order_by=[F("created_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank__lte=conf.RECENT_PER_ENDPOINT)
        .defer("payload")
        .order_by("endpoint_id", "rank")
    )
    recent: dict[int, list] = {}
    for delivery in ranked:
        recent.setdefault(delivery.endpoint_id, []).append(delivery)
    for endpoint in endpoints:
        endpoint.recent = recent.get(endpoint.pk, [])
    return endpoints
