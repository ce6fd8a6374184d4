import datetime as dt

from django import forms

from apps.contacts.models import Contact
from apps.core.forms import BoundedDateField, FilterForm
from apps.core.localtime import local_to_utc
from apps.opportunities.models import Opportunity
from apps.reminders.models import FollowUpStatus


class FollowUpForm(forms.Form):
    contact = forms.ModelChoiceField(queryset=None, empty_label="Choose a contact")
    due_date = BoundedDateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    due_time = forms.TimeField(
        label="Time",
        initial=dt.time(9, 0),
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text="Your local time.",
    )
    note = forms.CharField(
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "What to follow up about"}),
    )
    opportunity = forms.ModelChoiceField(queryset=None, required=False, empty_label="None")

    def __init__(self, *args, user, instance=None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            local = instance.due_at.astimezone(user.zone)
            kwargs["initial"] = {
                "contact": instance.contact_id,
                "opportunity": instance.opportunity_id,
                "note": instance.note,
                "due_date": local.date(),
                "due_time": local.time(),
            }
        super().__init__(*args, **kwargs)
        self.user = user
        # Owner-scoped choices: another user's id in the POST body is "not a valid choice".
        self.fields["contact"].queryset = Contact.objects.owned_by(user).filter(archived=False)
        if instance is not None:
            self.fields["contact"].queryset = Contact.objects.owned_by(user)
        self.fields["opportunity"].queryset = Opportunity.objects.owned_by(user).select_related(
            "organization"
        )

    def clean(self):
        data = super().clean()
        if data.get("due_date") and data.get("due_time") is not None:
            data["due_at"] = local_to_utc(data["due_date"], data["due_time"], self.user.zone)
        return data


class SnoozeForm(forms.Form):
    days = forms.TypedChoiceField(
        choices=[(1, "1 day"), (3, "3 days"), (7, "1 week")], coerce=int, required=False
    )
    date = BoundedDateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        data = super().clean()
        if data.get("days") in (None, "") and not data.get("date"):
            if not self.errors:
                raise forms.ValidationError("Choose 1 day, 3 days, a week, or pick a date.")
            return data
        if data.get("date"):
            # Enter in the date box submits with the form's first button (a "1 day" preset):
            # the picked date is what the user meant.
            data["days"] = None
            if data["date"] < self.user.local_now().date():
                self.add_error("date", "Pick today or a later date.")
        return data


STATUS_FILTERS = [("open", "Open"), ("done", "Done"), ("canceled", "Canceled"), ("all", "All")]


class FollowUpFilterForm(FilterForm):
    status = forms.ChoiceField(choices=STATUS_FILTERS, required=False)
    contact = forms.ModelChoiceField(queryset=None, required=False, empty_label="Any contact")
    due_from = BoundedDateField(
        label="Due from", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    due_to = BoundedDateField(
        label="Due to", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = Contact.objects.owned_by(user)


OUTBOX_FILTERS = [("", "All")] + [
    (value, label)
    for value, label in [
        ("pending", "Pending"),
        ("sent", "Sent"),
        ("failed", "Failed"),
        ("skipped", "Skipped"),
    ]
]

__all__ = ["FollowUpForm", "SnoozeForm", "FollowUpFilterForm", "FollowUpStatus"]
