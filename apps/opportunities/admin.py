from django.contrib import admin

from apps.opportunities.models import (
    InterviewRound,
    Opportunity,
    OpportunityContact,
    StageChange,
)


class ReadOnlyStageHistory:
    """Stage history is append-only and written by services.move_to_stage alone."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OpportunityContactInline(admin.TabularInline):
    model = OpportunityContact
    extra = 0
    fields = ["contact", "role", "created_at"]
    readonly_fields = ["created_at"]
    raw_id_fields = ["contact"]


class StageChangeInline(ReadOnlyStageHistory, admin.TabularInline):
    model = StageChange
    extra = 0
    fields = ["from_stage", "to_stage", "changed_at"]
    readonly_fields = fields
    ordering = ["changed_at", "pk"]


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    list_display = ["role_title", "organization", "stage", "source_channel", "owner", "updated_at"]
    list_filter = ["stage", "source_channel"]
    search_fields = ["role_title", "organization__name", "owner__email"]
    list_select_related = ["organization", "owner"]
    raw_id_fields = ["owner", "organization"]
    # The stage moves only through the service, so that its history stays complete.
    readonly_fields = ["stage", "closed_at", "created_at", "updated_at"]
    inlines = [OpportunityContactInline, StageChangeInline]

    def has_add_permission(self, request):
        # Creating here would skip the first stage record; the app's form goes through the service.
        return False

    def save_formset(self, request, form, formset, change):
        for instance in formset.save(commit=False):
            instance.owner_id = form.instance.owner_id
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()


@admin.register(OpportunityContact)
class OpportunityContactAdmin(admin.ModelAdmin):
    list_display = ["contact", "role", "opportunity", "owner", "created_at"]
    list_filter = ["role"]
    search_fields = ["contact__full_name", "opportunity__role_title", "owner__email"]
    list_select_related = ["contact", "opportunity", "owner"]
    raw_id_fields = ["owner", "opportunity", "contact"]


@admin.register(StageChange)
class StageChangeAdmin(ReadOnlyStageHistory, admin.ModelAdmin):
    list_display = ["opportunity", "from_stage", "to_stage", "changed_at", "owner"]
    list_filter = ["to_stage"]
    search_fields = ["opportunity__role_title", "owner__email"]
    list_select_related = ["opportunity", "owner"]
    date_hierarchy = "changed_at"

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff and super().has_view_permission(request, obj)


@admin.register(InterviewRound)
class InterviewRoundAdmin(admin.ModelAdmin):
    list_display = ["title", "opportunity", "owner", "starts_at"]
    search_fields = ["title", "opportunity__role_title", "owner__email"]
    raw_id_fields = ["owner", "opportunity", "interviewers"]
    date_hierarchy = "starts_at"
