from django import forms
from django.db.models.functions import Lower

from apps.contacts.models import Organization, Tag, Warmth
from apps.contacts.selectors import DEFAULT_SORT
from apps.core.choices import Channel

SORT_CHOICES = [
    ("name", "Name A–Z"),
    ("-name", "Name Z–A"),
    ("-last", "Recently contacted"),
    ("last", "Longest since contact"),
    ("-created", "Newest"),
    ("created", "Oldest"),
]
ARCHIVED_CHOICES = [("", "Active"), ("archived", "Archived"), ("all", "Active and archived")]


class ContactFilterForm(forms.Form):
    """The list page's search, filters and sort (GET). Also used by the CSV export of a list."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": "Search name, company, title, email, tags, notes…  ( / )",
                "data-search": "",
                "autocomplete": "off",
                "aria-label": "Search contacts",
            }
        ),
    )
    tag = forms.ModelChoiceField(queryset=Tag.objects.none(), required=False, empty_label="Any tag")
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(), required=False, empty_label="Any organization"
    )
    channel = forms.ChoiceField(
        label="How we met", choices=[("", "Any channel"), *Channel.choices], required=False
    )
    warmth = forms.ChoiceField(choices=[("", "Any warmth"), *Warmth.choices], required=False)
    target = forms.BooleanField(label="Target companies only", required=False)
    going_cold = forms.BooleanField(label="Going cold", required=False)
    archived = forms.ChoiceField(label="Show", choices=ARCHIVED_CHOICES, required=False)
    sort = forms.ChoiceField(choices=SORT_CHOICES, required=False, initial=DEFAULT_SORT)

    # Fields holding the owner's ids: a value that is not the owner's is a 404, not a filter.
    ID_FIELDS = ("tag", "organization")

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["tag"].queryset = Tag.objects.owned_by(user).order_by(Lower("name"))
        self.fields["organization"].queryset = Organization.objects.owned_by(user).order_by(
            Lower("name")
        )

    def cleaned_or_empty(self) -> dict:
        """The valid filters; an invalid value (say a stale sort name) is simply ignored."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    def has_foreign_ids(self) -> bool:
        self.is_valid()
        return any(name in self.errors for name in self.ID_FIELDS)

    @property
    def is_filtered(self) -> bool:
        filters = self.cleaned_or_empty()
        filters.pop("sort", None)
        return bool(filters)
