import datetime as dt

from django import forms
from django.db.models.functions import Lower
from django.utils import timezone

from apps.contacts.models import NOTES_MAX, Contact
from apps.contacts.pickers import PickerFormMixin, PickField
from apps.core.choices import Channel
from apps.core.forms import (
    BoundedDateField,
    FilterForm,
    Form,
    IdsChoiceField,
    LocalDateTimeField,
    ModelForm,
)
from apps.core.params import is_id
from apps.interactions import selectors
from apps.interactions.models import MAX_MINUTES, Direction, Interaction, Kind, OutreachTemplate
from apps.interactions.outreach import FIELDS
from apps.interactions.services import follow_up_due
from apps.opportunities import pickers as opportunity_pickers  # noqa: F401 - its picker kinds

MINUTE_PRESETS = [
    ("", "Not tracked"),
    ("5", "5 min"),
    ("15", "15 min"),
    ("30", "30 min"),
    ("60", "1 h"),
]
FOLLOW_UP_CHOICES = [
    ("", "No follow-up"),
    ("3", "In 3 days"),
    ("7", "In 1 week"),
    ("14", "In 2 weeks"),
    ("custom", "On a date…"),
]
# How far ahead "when" may be: a little slack for time zones and clock drift, no more.
FUTURE_SLACK = dt.timedelta(days=1)
NAME_MAX = Contact._meta.get_field("full_name").max_length


class NameListField(forms.Field):
    """Names typed for contacts that do not exist yet (one value per new contact)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        names, seen = [], set()
        for raw in value or []:
            name = " ".join(str(raw).split())
            if name and name.casefold() not in seen:
                seen.add(name.casefold())
                names.append(name)
        return names

    def validate(self, value):
        super().validate(value)
        for name in value:
            if len(name) > NAME_MAX:
                raise forms.ValidationError(f"A name can have at most {NAME_MAX} characters.")


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class InteractionForm(PickerFormMixin, Form):
    contacts = IdsChoiceField(
        queryset=Contact.objects.none(),
        required=False,
        widget=forms.MultipleHiddenInput,
        error_messages={
            "invalid_choice": "One of the chosen contacts is not in your contacts.",
            "invalid_pk_value": "One of the chosen contacts is not in your contacts.",
        },
    )
    new_contacts = NameListField(required=False)
    summary = forms.CharField(
        max_length=300,
        label="What happened?",
        error_messages={"required": "Say in a few words what happened (a summary is required)."},
        widget=forms.TextInput(attrs={"placeholder": "Coffee chat about the platform team"}),
    )
    kind = forms.ChoiceField(choices=Kind.choices, initial=Kind.MESSAGE, widget=forms.RadioSelect)
    channel = forms.ChoiceField(choices=Channel.choices, initial=Channel.LINKEDIN)
    direction = forms.ChoiceField(
        choices=Direction.choices, initial=Direction.OUTBOUND, widget=forms.RadioSelect
    )
    occurred_at = LocalDateTimeField(
        label="When",
        required=False,
        widget=LocalDateTimeInput(),
        help_text="Leave empty for now.",
    )
    minutes = forms.ChoiceField(
        label="Time spent", choices=MINUTE_PRESETS, required=False, widget=forms.RadioSelect
    )
    minutes_custom = forms.IntegerField(
        label="Other (minutes)",
        required=False,
        widget=forms.NumberInput(attrs={"min": 0, "max": MAX_MINUTES, "inputmode": "numeric"}),
    )
    gave = forms.CharField(
        label="What I gave",
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "An intro, advice, an article…"}),
    )
    asked = forms.CharField(
        label="What I asked",
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Advice on the team, an intro to…"}),
    )
    asked_referral = forms.BooleanField(label="I asked for a referral", required=False)
    opportunity = PickField(
        "open_opportunity",
        required=False,
        empty_label="None",
        error_messages={"invalid_choice": "That opportunity is not one of yours."},
    )
    notes = forms.CharField(
        required=False, max_length=NOTES_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    follow_up = forms.ChoiceField(
        label="Follow up", choices=FOLLOW_UP_CHOICES, required=False, widget=forms.RadioSelect
    )
    follow_up_date = BoundedDateField(
        label="Date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    follow_up_time = forms.TimeField(
        label="Time",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text="Optional; 09:00 if empty.",
    )
    follow_up_note = forms.CharField(
        label="Follow-up note",
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Send the article I promised"}),
    )

    promise = forms.CharField(
        label="I promised to…",
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Send my notes on their migration"}),
    )
    promise_date = BoundedDateField(
        label="By", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, user, instance: Interaction | None = None, **kwargs):
        self.user = user
        self.instance = instance
        super().__init__(*args, **kwargs)
        self.fields["contacts"].queryset = Contact.objects.owned_by(user)
        opportunities = selectors.open_opportunities(user=user)
        if instance is not None and instance.opportunity_id:
            # A closed opportunity stays selectable on the interaction already linked to it.
            opportunities = selectors.Opportunity.objects.owned_by(user).filter(
                pk__in=opportunities.values("pk")
            ) | selectors.Opportunity.objects.owned_by(user).filter(pk=instance.opportunity_id)
            opportunities = opportunities.select_related("organization").order_by(
                Lower("role_title"), "pk"
            )
        self.fields["opportunity"].queryset = opportunities
        if instance is not None:
            for name in (
                "follow_up",
                "follow_up_date",
                "follow_up_time",
                "follow_up_note",
                "promise",
                "promise_date",
            ):
                del self.fields[name]

    @classmethod
    def for_instance(cls, *, user, instance: Interaction, data=None):
        preset = {value for value, _ in MINUTE_PRESETS if value}
        minutes, custom = str(instance.minutes), None
        if minutes not in preset:
            minutes, custom = "", (instance.minutes or None)
        initial = {
            "contacts": list(instance.contacts.all()),
            "summary": instance.summary,
            "kind": instance.kind,
            "channel": instance.channel,
            "direction": instance.direction,
            "occurred_at": instance.occurred_at,
            "minutes": minutes,
            "minutes_custom": custom,
            "gave": instance.gave,
            "asked": instance.asked,
            "asked_referral": instance.asked_referral,
            "opportunity": instance.opportunity,
            "notes": instance.notes,
        }
        return cls(data, user=user, instance=instance, initial=initial)

    def full_clean(self):
        # A typed "when" means the user's wall clock, whatever zone the request runs in.
        with timezone.override(self.user.zone):
            super().full_clean()

    def clean_minutes_custom(self):
        value = self.cleaned_data.get("minutes_custom")
        if value is None:
            return None
        if value < 0:
            raise forms.ValidationError("Time spent can’t be negative.")
        if value > MAX_MINUTES:
            raise forms.ValidationError(
                f"That is more than 24 hours; enter the minutes spent (at most {MAX_MINUTES})."
            )
        return value

    def clean_occurred_at(self):
        value = self.cleaned_data.get("occurred_at")
        if value is None:
            return timezone.now()
        if value > timezone.now() + FUTURE_SLACK:
            raise forms.ValidationError(
                "That date is in the future; log conversations that already happened "
                "(plan future ones with a follow-up)."
            )
        if value.year < 1970:
            raise forms.ValidationError("That date is too far in the past.")
        return value

    def clean(self):
        data = super().clean()
        if "contacts" in data and not data.get("contacts") and not data.get("new_contacts"):
            self.add_error("contacts", "Pick at least one contact, or type a new name.")
        # A typed number wins over a preset: it is the more specific answer.
        if data.get("minutes_custom") is not None:
            data["minutes_value"] = data["minutes_custom"]
        else:
            data["minutes_value"] = int(data.get("minutes") or 0)
        if "follow_up" in self.fields:
            data["follow_up_at"] = self._follow_up_at(data)
        if "promise" in self.fields:
            data["promise_at"] = self._promise_at(data)
        return data

    def _promise_at(self, data):
        promise, on = (data.get("promise") or "").strip(), data.get("promise_date")
        if not promise and not on:
            return None
        if not promise:
            self.add_error("promise", "Say what you promised, or clear the date.")
            return None
        if on is None:
            if "promise_date" not in self.errors:
                self.add_error("promise_date", "By when? Pick the date you promised it for.")
            return None
        if on < self.user.local_now().date():
            self.add_error("promise_date", "That date has passed; pick today or later.")
            return None
        return follow_up_due(user=self.user, on=on)

    def _follow_up_at(self, data):
        choice = data.get("follow_up") or ""
        on, at = data.get("follow_up_date"), data.get("follow_up_time")
        if choice in {"3", "7", "14"}:
            return follow_up_due(user=self.user, days=int(choice))
        if choice == "custom" or on:
            if on is None:
                if "follow_up_date" not in self.errors:
                    self.add_error("follow_up_date", "Pick the date to follow up on.")
                return None
            if on < self.user.local_now().date():
                self.add_error("follow_up_date", "That date has passed; pick today or later.")
                return None
            return follow_up_due(user=self.user, on=on, at=at)
        return None

    # Used by the template to redraw the chosen contacts as chips, typed input kept.
    def selected_contacts(self):
        if self.is_bound:
            ids = [v for v in self.data.getlist("contacts") if is_id(v)]
            if not ids:
                return []
            chosen = {c.pk: c for c in self.fields["contacts"].queryset.filter(pk__in=ids)}
            return [chosen[int(i)] for i in dict.fromkeys(ids) if int(i) in chosen]
        return list(self.initial.get("contacts") or [])

    def selected_new_names(self):
        if self.is_bound:
            return NameListField().to_python(self.data.getlist("new_contacts"))
        return []

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "occurred_at": data["occurred_at"],
            "channel": data["channel"],
            "direction": data["direction"],
            "kind": data["kind"],
            "minutes": data["minutes_value"],
            "gave": data["gave"],
            "asked": data["asked"],
            "asked_referral": data["asked_referral"],
            "notes": data["notes"],
            "opportunity": data["opportunity"],
        }


class InteractionFilterForm(FilterForm):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Summary or contact"}),
    )
    channel = forms.ChoiceField(choices=[("", "Any channel"), *Channel.choices], required=False)
    kind = forms.ChoiceField(choices=[("", "Any kind"), *Kind.choices], required=False)
    date_from = BoundedDateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = BoundedDateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    contact = forms.ModelChoiceField(
        queryset=Contact.objects.none(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = Contact.objects.owned_by(user)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date.")
        return data


class OutreachTemplateForm(ModelForm):
    class Meta:
        model = OutreachTemplate
        fields = [
            "name",
            "purpose",
            "subject",
            "body",
            "gives",
            "asks",
            "asks_referral",
            "follow_up_days",
        ]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "body": "Merge fields: "
            + ", ".join(f"{{{name}}} ({label})" for name, label in FIELDS.items()),
            "follow_up_days": "Using it schedules a follow-up this many days later; empty: none.",
        }

    def __init__(self, *args, owner, **kwargs):
        self.owner = owner
        super().__init__(*args, **kwargs)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        taken = OutreachTemplate.objects.owned_by(self.owner).filter(name__iexact=name)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError("You already have a template with that name.")
        return name

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class UseTemplateForm(PickerFormMixin, Form):
    # Search-then-pick, never a <select> of every contact or opportunity.
    contact = PickField(
        "contact",
        empty_label="Choose a contact",
        error_messages={
            "required": "Choose a contact: type part of a name and press Find.",
            "invalid_choice": "Choose one of your contacts.",
        },
    )
    opportunity = PickField(
        "open_opportunity",
        required=False,
        empty_label="None",
        error_messages={"invalid_choice": "That opportunity is not one of yours."},
    )
    channel = forms.ChoiceField(choices=Channel.choices, initial=Channel.EMAIL, required=False)

    def clean_channel(self):
        return self.cleaned_data.get("channel") or Channel.EMAIL

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = (
            Contact.objects.owned_by(user)
            .filter(archived=False)
            .select_related("organization", "introduced_by")
            .order_by(Lower("full_name"), "pk")
        )
        self.fields["opportunity"].queryset = selectors.open_opportunities(user=user)
