from django.contrib import admin

from apps.portability.models import ImportJob, ImportRowError


class ImportRowErrorInline(admin.TabularInline):
    model = ImportRowError
    fields = ["line", "label", "reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "owner",
        "kind",
        "status",
        "filename",
        "total_rows",
        "processed_rows",
        "created_count",
        "updated_count",
        "skipped_count",
        "created_at",
        "finished_at",
    ]
    list_filter = ["kind", "status"]
    search_fields = ["owner__email", "filename"]
    list_select_related = ["owner"]
    # The uploaded bytes stay out of the page; staff see what happened, not the file.
    exclude = ["data"]
    readonly_fields = [
        "owner",
        "kind",
        "status",
        "filename",
        "size",
        "encoding",
        "delimiter",
        "header_line",
        "mapping",
        "total_rows",
        "processed_rows",
        "created_count",
        "updated_count",
        "unchanged_count",
        "skipped_count",
        "preview",
        "error",
        "created_at",
        "started_at",
        "finished_at",
    ]
    inlines = [ImportRowErrorInline]

    def has_add_permission(self, request):
        return False


@admin.register(ImportRowError)
class ImportRowErrorAdmin(admin.ModelAdmin):
    list_display = ["job", "line", "label", "reason"]
    search_fields = ["reason", "label"]
    list_select_related = ["job"]
    readonly_fields = ["owner", "job", "line", "label", "reason"]

    def has_add_permission(self, request):
        return False
