from django import forms

from apps.contacts.models import NOTES_MAX, Contact, Organization
from apps.contacts.pickers import PickerFormMixin, PickField, PickMultipleField
from apps.core.choices import Channel
from apps.core.forms import BoundedDateField, FilterForm, Form, ModelForm
from apps.core.localtime import local_to_utc
from apps.opportunities.models import Opportunity, PersonRole, Stage
from apps.opportunities.services import EDITABLE_FIELDS

NEW_ORGANIZATION_MAX = 200


class OpportunityForm(PickerFormMixin, ModelForm):
    """Create and edit. Every id the browser sends is looked up among the owner's own rows."""

    new_organization = forms.CharField(
        label="…or a new organization",
        max_length=NEW_ORGANIZATION_MAX,
        required=False,
        help_text="Type a name to add it; an existing one with the same name is reused.",
    )

    organization = PickField(
        "organization",
        required=False,
        empty_label="— none —",
        error_messages={"invalid_choice": "Choose one of your organizations."},
    )

    class Meta:
        model = Opportunity
        # Exactly what update_opportunity may change: stage moves only through move_to_stage.
        fields = list(EDITABLE_FIELDS)
        labels = {"role_title": "Role", "next_step_due": "Next step due"}
        widgets = {
            "next_step_due": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 4}),
            "role_title": forms.TextInput(attrs={"autofocus": True}),
            "posting_url": forms.URLInput(attrs={"placeholder": "https://"}),
            "next_step": forms.TextInput(attrs={"placeholder": "e.g. Send my CV to Dana"}),
        }

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.fields["organization"].queryset = Organization.objects.owned_by(owner)

    def clean(self):
        cleaned = super().clean()
        chosen, typed = cleaned.get("organization"), cleaned.get("new_organization", "").strip()
        if chosen and typed and chosen.name.lower() != " ".join(typed.split()).lower():
            self.add_error(
                "new_organization",
                f"You chose {chosen.name} above; clear it to add “{typed}” instead.",
            )
        return cleaned

    def service_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        typed = self.cleaned_data.get("new_organization", "").strip()
        if typed and not data["organization"]:
            data["organization_name"] = typed
        return data


class NewOpportunityForm(OpportunityForm):
    stage = forms.ChoiceField(label="Stage now", choices=Stage.choices, initial=Stage.IDENTIFIED)
    referrer = PickField(
        "contact",
        label="Referred by",
        required=False,
        empty_label="— nobody yet —",
        error_messages={"invalid_choice": "Choose one of your contacts."},
    )

    field_order = ["role_title", "organization", "new_organization", "stage", "referrer"]

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, owner=owner, **kwargs)
        self.fields["referrer"].queryset = Contact.objects.owned_by(owner).filter(archived=False)

    def service_fields(self) -> dict:
        data = super().service_fields()
        data["stage"] = self.cleaned_data["stage"]
        referrer = self.cleaned_data.get("referrer")
        data["people"] = [(referrer, PersonRole.REFERRER)] if referrer else []
        return data


class MoveForm(Form):
    stage = forms.ChoiceField(
        choices=Stage.choices, error_messages={"invalid_choice": "Choose a stage from the list."}
    )


class PersonForm(PickerFormMixin, Form):
    contact = PickField(
        "contact",
        error_messages={
            "invalid_choice": "Choose one of your contacts.",
            "required": "Choose a contact.",
        },
    )
    role = forms.ChoiceField(choices=PersonRole.choices, initial=PersonRole.REFERRER)

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = Contact.objects.owned_by(owner).filter(archived=False)


STATUS_CHOICES = [("", "Open and closed"), ("open", "Open"), ("closed", "Closed")]


class OpportunityFilterForm(PickerFormMixin, FilterForm):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"data-search": True, "placeholder": "Role, organization"}),
    )
    status = forms.ChoiceField(choices=STATUS_CHOICES, required=False)
    stage = forms.ChoiceField(choices=[("", "Any stage"), *Stage.choices], required=False)
    organization = PickField("organization", required=False, empty_label="Any organization")
    source_channel = forms.ChoiceField(
        label="Source", choices=[("", "Any source"), *Channel.choices], required=False
    )
    contact = PickField("contact", label="Person", required=False, empty_label="Anyone")

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.owned_by(owner)
        self.fields["contact"].queryset = Contact.objects.owned_by(owner)


class InterviewForm(PickerFormMixin, Form):
    """An interview round; the date and time are the user's wall clock. Interviewers are found
    by search and ticked, never listed all at once."""

    title = forms.CharField(
        max_length=200, widget=forms.TextInput(attrs={"placeholder": "Technical screen"})
    )
    date = BoundedDateField(widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}))
    minutes = forms.IntegerField(
        label="Length (minutes)", min_value=5, max_value=600, initial=60, required=False
    )
    interviewers = PickMultipleField(
        "contact",
        required=False,
        error_messages={"invalid_choice": "Choose interviewers among your contacts."},
    )
    new_interviewers = forms.CharField(
        label="…or new interviewers",
        required=False,
        max_length=600,
        help_text="Names separated by commas; each becomes a contact at this organization.",
    )
    prep_notes = forms.CharField(
        label="Prep notes",
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    debrief = forms.CharField(
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="How it went, what they asked, what to improve.",
    )

    def __init__(self, *args, owner, opportunity, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.fields["interviewers"].queryset = Contact.objects.owned_by(owner).filter(
            archived=False
        )

    @classmethod
    def for_interview(cls, *, owner, interview, data=None):
        local = interview.starts_at.astimezone(owner.zone)
        initial = {
            "title": interview.title,
            "date": local.date(),
            "time": local.time().replace(second=0, microsecond=0),
            "minutes": interview.minutes,
            "interviewers": list(interview.interviewers.all()),
            "prep_notes": interview.prep_notes,
            "debrief": interview.debrief,
        }
        return cls(data, owner=owner, opportunity=interview.opportunity, initial=initial)

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("time"):
            data["starts_at"] = local_to_utc(data["date"], data["time"], self.owner.zone)
        names = [n.strip() for n in (data.get("new_interviewers") or "").split(",")]
        data["new_interviewer_names"] = [n for n in names if n][:10]
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "starts_at": data["starts_at"],
            "minutes": data.get("minutes") or 60,
            "interviewers": list(data["interviewers"]),
            "new_interviewer_names": data["new_interviewer_names"],
            "prep_notes": data["prep_notes"],
            "debrief": data["debrief"],
        }
