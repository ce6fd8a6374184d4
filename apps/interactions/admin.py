from django.contrib import admin

from apps.interactions.models import Interaction, OutreachTemplate


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin):
    list_display = ["summary", "owner", "occurred_at", "channel", "kind", "minutes"]
    list_filter = ["channel", "kind", "direction", "asked_referral"]
    search_fields = ["summary", "owner__email", "contacts__full_name"]
    date_hierarchy = "occurred_at"
    list_select_related = ["owner"]
    # Raw ids: an owner may have thousands of contacts; a select would load them all.
    raw_id_fields = ["owner", "contacts", "opportunity"]


@admin.register(OutreachTemplate)
class OutreachTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "purpose", "owner", "follow_up_days", "updated_at"]
    list_filter = ["purpose"]
    search_fields = ["name", "owner__email"]
    raw_id_fields = ["owner"]
