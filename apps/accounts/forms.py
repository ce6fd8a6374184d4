import zoneinfo

from django import forms

from apps.accounts.models import User

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
    "target_referral_asks_per_month",
)


def timezone_choices():
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class SettingsForm(forms.ModelForm):
    timezone = forms.ChoiceField(choices=timezone_choices, label="Time zone")

    class Meta:
        model = User
        fields = SETTINGS_FIELDS
        widgets = {"reminder_mode": forms.RadioSelect}
        labels = {
            "target_conversations_per_week": "Conversations per week",
            "target_new_contacts_per_week": "New contacts per week",
            "target_referral_asks_per_month": "Referral asks per month",
        }


class DeleteAccountForm(forms.Form):
    confirmation = forms.CharField(
        label="Type your email address or your password to confirm",
        max_length=254,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}, render_value=False),
    )

    def __init__(self, data=None, *, user):
        super().__init__(data)
        self.user = user

    def clean_confirmation(self):
        value = self.cleaned_data["confirmation"]
        if value.strip().lower() == self.user.email.lower():
            return value
        if self.user.has_usable_password() and self.user.check_password(value):
            return value
        raise forms.ValidationError(
            "That is neither your email address nor your password. Nothing was deleted."
        )
