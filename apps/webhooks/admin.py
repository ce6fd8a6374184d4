from django.contrib import admin

from apps.webhooks.models import Endpoint, WebhookDelivery


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    list_display = ["url", "owner", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["url", "owner__email"]
    raw_id_fields = ["owner"]
    # The signing secret is the user's; staff see that one exists, not what it is.
    exclude = ["secret"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "event_type",
        "owner",
        "endpoint",
        "status",
        "attempts",
        "last_status_code",
        "created_at",
        "delivered_at",
    ]
    list_filter = ["status", "event_type"]
    search_fields = ["owner__email", "event_id", "last_error"]
    raw_id_fields = ["owner", "endpoint"]
    date_hierarchy = "created_at"
