from django.contrib import admin

from apps.contacts.models import Contact, NotDuplicate, Organization, PastEmployment, Tag


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "is_target", "created_at"]
    list_filter = ["is_target"]
    search_fields = ["name", "owner__email"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "owner"]
    search_fields = ["name", "owner__email"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = [
        "full_name",
        "owner",
        "organization",
        "channel",
        "warmth",
        "archived",
        "created_at",
    ]
    list_filter = ["channel", "warmth", "archived"]
    search_fields = ["full_name", "email", "organization__name", "owner__email"]
    list_select_related = ["owner", "organization"]
    raw_id_fields = ["owner", "organization", "introduced_by"]
    filter_horizontal = ["tags"]
    readonly_fields = ["created_at", "updated_at", "last_interaction_at"]


@admin.register(NotDuplicate)
class NotDuplicateAdmin(admin.ModelAdmin):
    list_display = ["first", "second", "owner", "created_at"]
    list_select_related = ["owner", "first", "second"]
    raw_id_fields = ["owner", "first", "second"]


@admin.register(PastEmployment)
class PastEmploymentAdmin(admin.ModelAdmin):
    list_display = ["contact", "organization", "until", "owner"]
    search_fields = ["contact__full_name", "organization__name", "owner__email"]
    list_select_related = ["owner", "contact", "organization"]
    raw_id_fields = ["owner", "contact", "organization"]
