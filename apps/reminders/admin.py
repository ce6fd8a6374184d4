from django.contrib import admin

from apps.reminders.models import (
    BacklogBatch,
    BacklogItem,
    Delivery,
    FollowUp,
    NextStepDismissal,
    UsedToken,
)


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["contact", "kind", "owner", "due_at", "status", "is_cadence", "completed_at"]
    list_filter = ["status", "kind", "is_cadence"]
    search_fields = ["contact__full_name", "owner__email", "note"]
    raw_id_fields = ["owner", "contact", "opportunity", "source_interaction", "interview"]
    date_hierarchy = "due_at"


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "kind",
        "owner",
        "due_at",
        "sent_at",
        "dwell_time",
        "status",
        "attempts",
        "last_error",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["owner__email", "last_error"]
    raw_id_fields = ["owner", "follow_up"]
    readonly_fields = ["dwell_time"]
    date_hierarchy = "due_at"

    @admin.display(description="dwell (due → sent)")
    def dwell_time(self, obj):
        dwell = obj.dwell
        if dwell is None:
            return "—"
        seconds = int(dwell.total_seconds())
        return f"{seconds // 60}m {seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


@admin.register(UsedToken)
class UsedTokenAdmin(admin.ModelAdmin):
    list_display = ["nonce", "action", "user", "used_at"]
    raw_id_fields = ["user"]


class BacklogItemInline(admin.TabularInline):
    model = BacklogItem
    raw_id_fields = ["follow_up"]
    extra = 0


@admin.register(BacklogBatch)
class BacklogBatchAdmin(admin.ModelAdmin):
    list_display = ["pk", "owner", "action", "count", "days", "created_at", "undone_at"]
    list_filter = ["action"]
    raw_id_fields = ["owner"]
    inlines = [BacklogItemInline]


@admin.register(BacklogItem)
class BacklogItemAdmin(admin.ModelAdmin):
    list_display = ["pk", "batch", "follow_up", "due_at", "status"]
    raw_id_fields = ["batch", "follow_up"]


@admin.register(NextStepDismissal)
class NextStepDismissalAdmin(admin.ModelAdmin):
    list_display = ["organization", "owner", "until", "created_at"]
    raw_id_fields = ["owner", "organization"]
