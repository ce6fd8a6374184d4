import datetime as dt

from django import forms

from apps.contacts.models import Contact
from apps.contacts.pickers import PickerFormMixin, PickField
from apps.core.forms import BoundedDateField, FilterForm, Form, IdsChoiceField
from apps.core.localtime import local_to_utc
from apps.opportunities import pickers as opportunity_pickers  # noqa: F401 - its picker kinds
from apps.opportunities.models import Opportunity
from apps.reminders.models import BacklogAction, FollowUp, FollowUpStatus
from apps.reminders.services import MAX_SPREAD_DAYS


class FollowUpForm(PickerFormMixin, Form):
    contact = PickField("contact")
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
    opportunity = PickField("opportunity", required=False, empty_label="None")

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


class SnoozeForm(Form):
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


class BacklogForm(Form):
    """Clear the overdue backlog in one step: the ticked follow-ups or all of them."""

    scope = forms.ChoiceField(
        label="Which",
        choices=[("all", "All overdue"), ("selected", "The ones I ticked")],
        initial="all",
        widget=forms.RadioSelect,
    )
    action = forms.ChoiceField(
        label="What to do",
        choices=[
            (BacklogAction.SPREAD, "Spread them over the next working days"),
            (BacklogAction.DONE, "Mark them done"),
        ],
        initial=BacklogAction.SPREAD,
        widget=forms.RadioSelect,
    )
    days = forms.IntegerField(
        label="Working days",
        min_value=1,
        max_value=MAX_SPREAD_DAYS,
        initial=5,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    ids = IdsChoiceField(
        queryset=FollowUp.objects.none(),
        required=False,
        widget=forms.MultipleHiddenInput,
        error_messages={"invalid_choice": "One of the ticked follow-ups is not one of yours."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].queryset = FollowUp.objects.owned_by(user)

    def clean(self):
        data = super().clean()
        if data.get("scope") == "selected" and not data.get("ids") and "ids" not in self.errors:
            self.add_error("ids", "Tick the follow-ups to clear, or choose all overdue.")
        spread = data.get("action") == BacklogAction.SPREAD
        if spread and not data.get("days") and "days" not in self.errors:
            self.add_error("days", f"Say over how many working days (1 to {MAX_SPREAD_DAYS}).")
        return data

    def chosen_ids(self):
        """None means every overdue follow-up."""
        if self.cleaned_data["scope"] == "all":
            return None
        return [row.pk for row in self.cleaned_data["ids"]]


STATUS_FILTERS = [
    ("open", "Open"),
    ("overdue", "Overdue"),
    ("done", "Done"),
    ("canceled", "Canceled"),
    ("all", "All"),
]


class FollowUpFilterForm(PickerFormMixin, FilterForm):
    status = forms.ChoiceField(choices=STATUS_FILTERS, required=False)
    contact = PickField("contact", required=False, empty_label="Any contact")
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

__all__ = ["BacklogForm", "FollowUpForm", "SnoozeForm", "FollowUpFilterForm", "FollowUpStatus"]
