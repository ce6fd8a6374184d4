from django.contrib import admin

from apps.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "scope", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["scope"]
    search_fields = ["name", "owner__email", "prefix"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]
    # The fingerprint is the credential's only trace: shown, never edited.
    readonly_fields = ["prefix", "digest", "created_at", "last_used_at"]
