import zoneinfo

from django import forms

from apps.accounts.models import User
from apps.core.forms import Form, ModelForm

# What the user sets on the settings page; the data export writes the same fields out.
SETTINGS_FIELDS = (
    "name",
    "timezone",
    "reminder_emails_enabled",
    "reminder_mode",
    "digest_hour",
    "weekly_review_enabled",
    "weekly_review_day",
    "target_conversations_per_week",
    "target_new_contacts_per_week",
    "target_referral_asks_per_week",
    "target_given_per_week",
)


def timezone_choices():
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class SettingsForm(ModelForm):
    timezone = forms.ChoiceField(choices=timezone_choices, label="Time zone")

    class Meta:
        model = User
        fields = SETTINGS_FIELDS
        widgets = {"reminder_mode": forms.RadioSelect}
        labels = {
            "target_conversations_per_week": "Conversations per week",
            "target_new_contacts_per_week": "New people met per week",
            "target_referral_asks_per_week": "Referral asks per week",
            "target_given_per_week": "Things given per week",
        }


def known_zone(value: str) -> str:
    """`value` when this machine's zoneinfo knows it, else "" (the browser may send anything)."""
    value = (value or "").strip()
    return value if value in zoneinfo.available_timezones() else ""


class SignupTimezoneForm(Form):
    """Added to allauth's sign-up form: the browser's zone, filled in by js/timezone.js, so that
    "tomorrow 9:00" means 9:00 where the user is from the first follow-up on. Without JavaScript
    (or with a zone this machine does not know) the account starts on UTC, changed in Settings."""

    timezone = forms.CharField(
        required=False,
        max_length=64,
        widget=forms.HiddenInput(attrs={"data-detect-timezone": ""}),
    )

    def clean_timezone(self):
        return known_zone(self.cleaned_data.get("timezone", ""))

    def signup(self, request, user):
        if self.cleaned_data.get("timezone"):
            user.timezone = self.cleaned_data["timezone"]
            user.save(update_fields=["timezone"])


class TimezoneForm(Form):
    """The one-click "Use Europe/Berlin" offered on Today."""

    timezone = forms.CharField(max_length=64)

    def clean_timezone(self):
        value = known_zone(self.cleaned_data["timezone"])
        if not value:
            raise forms.ValidationError("That is not a time zone this server knows.")
        return value


class DeleteAccountForm(Form):
    """Deleting asks for the password: the email shown in the top bar proves nothing about who
    sits at an unlocked computer."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        help_text="The one you log in with: it proves it is you at this computer.",
        error_messages={
            "required": "Enter your password to delete the account. Nothing was deleted."
        },
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, data=None, *, user):
        super().__init__(data)
        self.user = user

    def clean_password(self):
        value = self.cleaned_data["password"]
        if self.user.has_usable_password() and self.user.check_password(value):
            return value
        raise forms.ValidationError("That is not your password. Nothing was deleted.")
