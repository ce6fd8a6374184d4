from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from apps.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "timezone", "reminder_mode", "is_staff", "date_joined"]
    search_fields = ["email", "name"]
    fieldsets = [
        (None, {"fields": ["email", "password", "name"]}),
        (
            "Reminders",
            {
                "fields": [
                    "timezone",
                    "reminder_emails_enabled",
                    "reminder_mode",
                    "digest_hour",
                    "weekly_review_enabled",
                    "weekly_review_day",
                ]
            },
        ),
        (
            "Weekly targets",
            {
                "fields": [
                    "target_conversations_per_week",
                    "target_new_contacts_per_week",
                    "target_referral_asks_per_week",
                    "target_given_per_week",
                ]
            },
        ),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
