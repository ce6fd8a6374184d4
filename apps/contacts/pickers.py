"""Search-then-pick fields for contacts and organizations: never a <select> of every row.

A picker renders a text box, a "Find" submit button and, as radio buttons, the chosen row plus
the few rows matching what was typed; a multi-picker shows the chosen rows as ticked checkboxes
and the matches as unticked ones, so a pick survives the next search. Without JavaScript,
"Find" submits the form with `find=<field>`: the page comes back with the matches and nothing is
saved (`PickerFormMixin`).
With htmx, typing or "Find" fetches only the matches from `contacts:pick`.
"""

import json

from django import forms
from django.db.models.functions import Lower
from django.forms.utils import ErrorDict
from django.template.loader import render_to_string
from django.urls import reverse

from apps.contacts.models import Contact, Organization, Tag
from apps.core.forms import FilterForm, IdsChoiceField
from apps.core.params import is_id
from apps.core.text import search_term

PICK_LIMIT = 10
# How many ticked rows a multi-picker carries at most (a request is never a list of everyone).
MULTI_LIMIT = 50
FIND = "find"


def contact_label(contact) -> str:
    organization = contact.organization if contact.organization_id else None
    return f"{contact.full_name} · {organization.name}" if organization else contact.full_name


def _by_name(queryset, term):
    return queryset.filter(name__icontains=term).order_by(Lower("name"), "pk")


KINDS = {
    "contact": {
        "model": Contact,
        "related": ["organization"],
        "search": lambda qs, term: qs.filter(full_name__icontains=term).order_by(
            Lower("full_name"), "pk"
        ),
        "label": contact_label,
        "placeholder": "Type part of a name",
        "scope": lambda qs: qs.filter(archived=False),
    },
    "organization": {
        "model": Organization,
        "related": [],
        "search": _by_name,
        "label": str,
        "placeholder": "Type part of the name",
    },
    "tag": {
        "model": Tag,
        "related": [],
        "search": _by_name,
        "label": str,
        "placeholder": "Type part of a tag",
    },
}


def register(kind: str, spec: dict) -> None:
    """Add a picker kind from an app above contacts (its model, search, label, placeholder,
    related and optionally `scope`: what the htmx matches are drawn from, beside the owner)."""
    KINDS[kind] = spec


def scoped(kind: str, queryset):
    """The rows a kind offers (the owner's, narrowed by the kind's scope)."""
    scope = KINDS[kind].get("scope")
    return scope(queryset) if scope else queryset


def with_related(kind: str, queryset):
    """Join what the label shows; select_related() with no fields would mean every relation."""
    related = KINDS[kind]["related"]
    return queryset.select_related(*related) if related else queryset


def matches(kind: str, queryset, term: str, *, exclude=None) -> list:
    """At most PICK_LIMIT rows of `queryset` matching `term` (one query)."""
    term = search_term(term)
    if not term:
        return []
    spec = KINDS[kind]
    found = spec["search"](with_related(kind, queryset), term)
    if exclude:
        found = found.exclude(pk=exclude)
    return list(found[:PICK_LIMIT])


class PickerWidget(forms.Widget):
    template_name = "contacts/pickers/picker.html"
    multi = False

    def __init__(self, kind: str, attrs=None):
        super().__init__(attrs)
        self.kind = kind
        self.queryset = None
        self.term = ""
        self.empty_label = ""
        self.is_required = False

    def value_from_datadict(self, data, files, name):
        return data.get(name)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        spec = KINDS[self.kind]
        chosen = None
        if self.queryset is not None and value not in (None, "") and is_id(value):
            chosen = with_related(self.kind, self.queryset).filter(pk=value).first()
        found = matches(self.kind, self.queryset, self.term) if self.queryset is not None else []
        context["widget"].update(
            self._find_context(name, context),
            chosen=chosen,
            chosen_label=spec["label"](chosen) if chosen else "",
            matches=[(row.pk, spec["label"](row)) for row in found if row != chosen],
            empty_label=self.empty_label,
            allow_empty=not self.is_required,
        )
        return context

    def _find_context(self, name, context) -> dict:
        """What the one picker template needs beside the options: the search box, its Find
        button and what both send to the pick view to draw the same options."""
        if self.multi:
            search = {"multi": "1"}
        else:
            search = {"empty": self.empty_label, "required": "1" if self.is_required else "0"}
        return {
            "multi": self.multi,
            "options_id": f"{context['widget']['attrs'].get('id', name)}_options",
            "term": self.term,
            "query_name": f"{name}_q",
            "placeholder": KINDS[self.kind]["placeholder"],
            "find": FIND,
            "pick_url": reverse("contacts:pick"),
            "search_vals": json.dumps({"kind": self.kind, "name": name, **search}),
        }

    def render(self, name, value, attrs=None, renderer=None):
        # The project's template folders, not only the form renderer's.
        return render_to_string(self.template_name, self.get_context(name, value, attrs))


class PickField(forms.ModelChoiceField):
    """A ModelChoiceField whose widget searches instead of listing every row."""

    def __init__(self, kind: str, *, empty_label="None", **kwargs):
        kwargs.setdefault("widget", PickerWidget(kind))
        super().__init__(queryset=KINDS[kind]["model"].objects.none(), **kwargs)
        self.widget.empty_label = empty_label

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        self.widget.queryset = self._queryset

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)


def chosen_ids(values) -> list[int]:
    """The well-formed ids among submitted values, in order, each once."""
    return list(dict.fromkeys(int(v) for v in values if is_id(v)))


class MultiPickerWidget(PickerWidget):
    """Ticked checkboxes for the chosen rows, unticked ones for up to PICK_LIMIT matches."""

    multi = True

    def value_from_datadict(self, data, files, name):
        getter = getattr(data, "getlist", None)
        return getter(name) if getter else data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return False  # nothing ticked means none, like a <select multiple>

    def format_value(self, value):
        if value is None:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [str(getattr(v, "pk", v)) for v in values if v not in (None, "")]

    def get_context(self, name, value, attrs):
        context = forms.Widget.get_context(self, name, value, attrs)
        spec = KINDS[self.kind]
        ids = chosen_ids(context["widget"]["value"])[:MULTI_LIMIT]
        chosen = []
        if self.queryset is not None and ids:
            rows = {
                row.pk: row for row in with_related(self.kind, self.queryset).filter(pk__in=ids)
            }
            chosen = [rows[pk] for pk in ids if pk in rows]
        found = matches(self.kind, self.queryset, self.term) if self.queryset is not None else []
        context["widget"].update(
            self._find_context(name, context),
            chosen=[(row.pk, spec["label"](row)) for row in chosen],
            matches=[(row.pk, spec["label"](row)) for row in found if row not in chosen],
        )
        return context


class PickMultipleField(IdsChoiceField):
    """A ModelMultipleChoiceField whose widget searches instead of listing every row."""

    def __init__(self, kind: str, **kwargs):
        kwargs.setdefault("widget", MultiPickerWidget(kind))
        super().__init__(queryset=KINDS[kind]["model"].objects.none(), **kwargs)

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        self.widget.queryset = self._queryset

    queryset = property(IdsChoiceField._get_queryset, _set_queryset)


class PickerFormMixin:
    """Gives each picker what was typed in its box; a "Find" press on a form that saves only
    redraws it (no errors, nothing saved, everything typed kept)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field.widget, PickerWidget) and self.is_bound:
                field.widget.term = self.data.get(f"{self.add_prefix(name)}_q", "")

    @property
    def finding(self) -> bool:
        # Filter forms only read the query string: a find there is just another search.
        return self.is_bound and bool(self.data.get(FIND)) and not isinstance(self, FilterForm)

    def full_clean(self):
        if self.finding:
            self._errors = ErrorDict()
            self.cleaned_data = {}
            return
        super().full_clean()

    def is_valid(self):
        return not self.finding and super().is_valid()
