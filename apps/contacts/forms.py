import datetime as dt

from django import forms
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from apps.contacts.models import Contact, Organization, Tag, Warmth
from apps.contacts.normalize import (
    is_facebook_url,
    is_instagram_handle,
    is_linkedin_url,
    is_x_handle,
    normalize_facebook_url,
    normalize_instagram_handle,
    normalize_linkedin_url,
    normalize_x_handle,
)
from apps.contacts.pickers import PickerFormMixin, PickField
from apps.contacts.selectors import DEFAULT_SORT
from apps.contacts.services import CHOOSABLE_FIELDS, check_introduced_by, find_duplicate
from apps.core.choices import Channel
from apps.core.forms import FilterForm, Form, ModelForm

SORT_CHOICES = [
    ("name", "Name A–Z"),
    ("-name", "Name Z–A"),
    ("-last", "Recently contacted"),
    ("last", "Longest since contact"),
    ("-created", "Newest"),
    ("created", "Oldest"),
]
ARCHIVED_CHOICES = [("", "Active"), ("archived", "Archived"), ("all", "Active and archived")]


class ContactFilterForm(PickerFormMixin, FilterForm):
    """The list page's search, filters and sort (GET). Also used by the CSV export of a list."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": "Name, company, tag, note…",
                "data-search": "",
                "autocomplete": "off",
                "aria-label": "Search contacts",
            }
        ),
    )
    # Searched, never a <select> of every tag: an import can bring hundreds.
    tag = PickField("tag", required=False, empty_label="Any tag")
    organization = PickField("organization", required=False, empty_label="Any organization")
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

    def has_foreign_ids(self) -> bool:
        self.is_valid()
        return any(name in self.errors for name in self.ID_FIELDS)

    @property
    def is_filtered(self) -> bool:
        filters = self.cleaned_or_empty()
        filters.pop("sort", None)
        return bool(filters)


# Fields no two contacts share, and how a message names each.
DUPLICATE_CHECKS = {
    "email": "email address",
    "linkedin_url": "LinkedIn profile",
    "twitter_handle": "X handle",
    "facebook_url": "Facebook profile",
    "instagram_handle": "Instagram handle",
}


def _tag_names(text: str) -> list[str]:
    return [name.strip() for name in text.replace(";", ",").split(",") if name.strip()]


class ContactForm(PickerFormMixin, ModelForm):
    organization_name = forms.CharField(
        label="Organization",
        required=False,
        max_length=Organization._meta.get_field("name").max_length,
        help_text="Pick one of yours or type a new name to create it.",
        # The suggestions arrive as you type (htmx); a typed existing name is reused anyway.
        widget=forms.TextInput(
            attrs={
                "list": "organization-names",
                "autocomplete": "off",
                "hx-get": "",
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#organization-names",
                "hx-vals": (
                    '{"kind": "organization", "name": "organization_name", "as": "datalist"}'
                ),
            }
        ),
    )
    introduced_by = PickField(
        "contact", required=False, empty_label="Nobody", label="Introduced by"
    )
    tags_text = forms.CharField(
        label="Tags",
        required=False,
        max_length=500,
        help_text="Separate tags with commas.",
        widget=forms.TextInput(attrs={"list": "tag-names", "autocomplete": "off"}),
    )

    class Meta:
        model = Contact
        fields = [
            "full_name",
            "email",
            "phone",
            "title",
            "linkedin_url",
            "twitter_handle",
            "facebook_url",
            "instagram_handle",
            "location",
            "channel",
            "introduced_by",
            "warmth",
            "cadence_days",
            "connected_on",
            "notes",
        ]
        labels = {"full_name": "Full name", "connected_on": "Connected on"}
        help_texts = {
            "linkedin_url": "Any form works: a full or mobile link, or just the handle.",
            "facebook_url": "Any form works: a full or mobile link, or just the name in it.",
            "cadence_days": "Leave empty for no keep-in-touch reminder.",
        }
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"type": "tel"}),
            "connected_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 4}),
            "warmth": forms.RadioSelect,
        }

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.duplicate = None
        introducers = Contact.objects.owned_by(owner).select_related("organization")
        if self.instance.pk:
            introducers = introducers.exclude(pk=self.instance.pk)
            if self.instance.organization_id:
                self.initial.setdefault("organization_name", self.instance.organization.name)
            self.initial.setdefault(
                "tags_text", ", ".join(tag.name for tag in self.instance.tags.all())
            )
        self.fields["introduced_by"].queryset = introducers
        self.fields["organization_name"].widget.attrs["hx-get"] = reverse("contacts:pick")
        self.fields["twitter_handle"].widget.attrs["placeholder"] = "@handle"
        self.fields["instagram_handle"].widget.attrs["placeholder"] = "@handle"
        self.fields["facebook_url"].widget.attrs["placeholder"] = (
            "https://www.facebook.com/jane.doe"
        )
        self.fields["linkedin_url"].widget.attrs["placeholder"] = (
            "https://www.linkedin.com/in/jane-doe"
        )

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError("Enter a name.")
        return name

    def clean_connected_on(self):
        day = self.cleaned_data.get("connected_on")
        if day and day > timezone.localdate() + dt.timedelta(days=1):
            raise forms.ValidationError("The connection date can't be in the future.")
        return day

    def clean_email(self):
        return self.cleaned_data["email"].strip()

    def clean_twitter_handle(self):
        handle = normalize_x_handle(self.cleaned_data["twitter_handle"])
        if handle and not is_x_handle(handle):
            raise forms.ValidationError(
                "Enter an X handle (letters, digits and _, up to 15) or its x.com address."
            )
        return handle

    def clean_facebook_url(self):
        url = normalize_facebook_url(self.cleaned_data["facebook_url"])
        if url and not is_facebook_url(url):
            raise forms.ValidationError(
                "Enter a Facebook profile address, like https://www.facebook.com/jane.doe."
            )
        return url

    def clean_instagram_handle(self):
        handle = normalize_instagram_handle(self.cleaned_data["instagram_handle"])
        if handle and not is_instagram_handle(handle):
            raise forms.ValidationError("Enter an Instagram handle or its instagram.com address.")
        return handle

    def clean_linkedin_url(self):
        raw = self.cleaned_data["linkedin_url"]
        url = normalize_linkedin_url(raw)
        if url and not is_linkedin_url(url):
            raise forms.ValidationError(
                "Enter a LinkedIn profile address, like https://www.linkedin.com/in/jane-doe."
            )
        max_length = Contact._meta.get_field("linkedin_url").max_length
        if len(url) > max_length:
            raise forms.ValidationError(
                f"This address is too long: at most {max_length} characters."
            )
        return url

    def clean_tags_text(self):
        names = _tag_names(self.cleaned_data["tags_text"])
        too_long = [name for name in names if len(name) > Tag._meta.get_field("name").max_length]
        if too_long:
            raise forms.ValidationError(
                f"Each tag is at most {Tag._meta.get_field('name').max_length} characters; "
                f"“{too_long[0][:20]}…” is longer."
            )
        return names

    def clean(self):
        cleaned = super().clean()
        for field, what in DUPLICATE_CHECKS.items():
            value = cleaned.get(field)
            if not value:
                continue
            duplicate = find_duplicate(
                owner=self.owner, exclude_pk=self.instance.pk, **{field: value}
            )
            if duplicate:
                self.duplicate = duplicate[1]
                self.add_error(
                    field,
                    format_html(
                        'You already have a contact with this {}: <a href="{}">{}</a>.',
                        what,
                        reverse("contacts:detail", args=[duplicate[1].pk]),
                        duplicate[1].full_name,
                    ),
                )
        introduced_by = cleaned.get("introduced_by")
        if introduced_by is not None:
            try:
                check_introduced_by(
                    owner=self.owner,
                    contact=self.instance if self.instance.pk else None,
                    introduced_by=introduced_by,
                )
            except forms.ValidationError as error:
                self.add_error(None, error)
        return cleaned

    def service_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["organization_name"] = self.cleaned_data.get("organization_name", "")
        data["tag_names"] = self.cleaned_data.get("tags_text", [])
        return data


class OrganizationForm(ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "website", "is_target", "notes"]
        labels = {"is_target": "Target company (I want to work here)"}
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Enter a name.")
        existing = (
            Organization.objects.owned_by(self.owner)
            .filter(name__iexact=name)
            .exclude(pk=self.instance.pk)
            .first()
        )
        if existing:
            raise forms.ValidationError(
                format_html(
                    'You already have this organization: <a href="{}">{}</a>.',
                    reverse("contacts:organization_detail", args=[existing.pk]),
                    existing.name,
                )
            )
        return name


class TagForm(Form):
    name = forms.CharField(
        label="Add a tag",
        max_length=Tag._meta.get_field("name").max_length,
        widget=forms.TextInput(attrs={"list": "tag-names", "autocomplete": "off"}),
    )

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Enter a tag.")
        return name


class MergeForm(Form):
    other = forms.ModelChoiceField(queryset=Contact.objects.none(), widget=forms.HiddenInput)
    survivor = forms.ChoiceField(
        label="Keep", choices=[("this", "this"), ("other", "other")], widget=forms.RadioSelect
    )

    def __init__(self, *args, owner, contact, **kwargs):
        super().__init__(*args, **kwargs)
        self.contact = contact
        self.fields["other"].queryset = (
            Contact.objects.owned_by(owner).exclude(pk=contact.pk).select_related("organization")
        )
        self.fields["other"].error_messages["invalid_choice"] = "Choose one of your contacts."

    def pair(self) -> tuple[Contact, Contact]:
        """(survivor, other)"""
        other = self.cleaned_data["other"]
        if self.cleaned_data["survivor"] == "this":
            return self.contact, other
        return other, self.contact


class FieldMergeForm(Form):
    """Side by side: which record stays, and for each field whose values differ, whose value."""

    keep = forms.ChoiceField(
        choices=[("first", "first"), ("second", "second")],
        initial="first",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, first: Contact, second: Contact, **kwargs):
        super().__init__(*args, **kwargs)
        self.first, self.second = first, second
        self.rows = []
        for name in CHOOSABLE_FIELDS:
            values = [getattr(first, name), getattr(second, name)]
            if values[0] == values[1]:
                continue
            field = Contact._meta.get_field(name)
            shown = [self._display(first, name), self._display(second, name)]
            # Default: a filled value over a blank one, the first record's when both are filled.
            initial = "second" if values[0] in ("", None) else "first"
            self.fields[name] = forms.ChoiceField(
                label=field.verbose_name[:1].upper() + field.verbose_name[1:],
                choices=[("first", shown[0]), ("second", shown[1])],
                initial=initial,
                widget=forms.RadioSelect,
            )
            self.rows.append((self[name], shown))

    @staticmethod
    def _display(contact, name) -> str:
        if name == "organization":
            return contact.organization.name if contact.organization_id else "—"
        method = getattr(contact, f"get_{name}_display", None)
        value = method() if method else getattr(contact, name)
        return str(value) if value not in ("", None) else "—"

    def merge_arguments(self) -> dict:
        """survivor, other and the fields to take from the other, for merge_choosing."""
        keep = self.cleaned_data["keep"]
        survivor, other = (
            (self.first, self.second) if keep == "first" else (self.second, self.first)
        )
        from_other = [
            name
            for name in CHOOSABLE_FIELDS
            if name in self.fields and self.cleaned_data[name] != keep
        ]
        return {"survivor": survivor, "other": other, "from_other": from_other}


class PastEmploymentForm(PickerFormMixin, Form):
    """Add an organization a contact worked at before: picked by search, or typed when new."""

    prefix = "past"

    organization = PickField(
        "organization",
        label="Organization",
        required=False,
        empty_label="None of these: a new one below",
        error_messages={"invalid_choice": "Choose one of your organizations."},
    )
    new_organization = forms.CharField(
        label="…or a new organization",
        required=False,
        max_length=Organization._meta.get_field("name").max_length,
        help_text="Type a name to add it; an existing one with the same name is reused.",
    )
    until = forms.IntegerField(
        label="Until (year)",
        required=False,
        min_value=1950,
        max_value=2100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": "2023"}),
    )

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.owned_by(owner)

    def clean_until(self):
        year = self.cleaned_data.get("until")
        if year and year > timezone.localdate().year:
            raise forms.ValidationError("The year they left can't be in the future.")
        return year

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("organization")
        typed = " ".join((cleaned.get("new_organization") or "").split())
        if chosen is None and not typed and "organization" not in self.errors:
            self.add_error("organization", "Find and choose an organization, or type a new one.")
        elif chosen is not None and typed and chosen.name.lower() != typed.lower():
            self.add_error(
                "new_organization", f"You chose {chosen.name}; clear it to add “{typed}” instead."
            )
        cleaned["new_organization"] = typed
        return cleaned

    def service_fields(self) -> dict:
        return {
            "organization": self.cleaned_data.get("organization"),
            "organization_name": self.cleaned_data["new_organization"],
            "until": self.cleaned_data.get("until"),
        }
