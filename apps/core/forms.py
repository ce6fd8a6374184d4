import datetime as dt

from django import forms
from django.forms.fields import BaseTemporalField
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from apps.core.localtime import local_to_utc
from apps.core.params import MAX_ID
from apps.core.text import MESSAGE, has_unstorable

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2999, 12, 31)


class StorableInputMixin:
    """Every field of the form refuses characters no database stores (NUL, lone surrogates)
    with a form error, whatever its type: the other fields keep what was typed, and nothing is
    written. Every form of the product includes it (tests/security checks they all do)."""

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return
        for bound in self:
            if bound.name not in self.errors and has_unstorable(bound.data):
                self.add_error(bound.name, forms.ValidationError(MESSAGE, code="unstorable"))


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """Several rows chosen by id, where a number too large for any id is simply not one of
    them (the invalid-choice message), rather than a database error on SQLite."""

    def _check_values(self, value):
        for pk in value:
            text = str(pk)
            if text.isascii() and text.isdigit() and int(text) > MAX_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": text},
                )
        return super()._check_values(value)


class Form(StorableInputMixin, forms.Form):
    pass


class ModelForm(StorableInputMixin, forms.ModelForm):
    pass


class BoundedDateField(forms.DateField):
    """A date a person could mean. Year 1 or 9999 would overflow the datetime arithmetic that
    turns a local day into UTC bounds, so such dates get a message instead."""

    def validate(self, value):
        super().validate(value)
        if value and not EARLIEST <= value <= LATEST:
            raise forms.ValidationError(
                f"Pick a date between {EARLIEST:%Y} and {LATEST:%Y}.", code="out_of_range"
            )


class LocalDateTimeField(forms.DateTimeField):
    """A wall time typed on the user's clock (the zone the middleware activated), made an
    instant by core.localtime's one rule: a time a spring-forward gap skips lands after the gap,
    a time fall-back repeats is its first pass. Django's own field refuses both."""

    def to_python(self, value):
        if not isinstance(value, str) or not value.strip():
            return super().to_python(value)
        try:
            wall = parse_datetime(value.strip())
        except ValueError:
            wall = None
        if wall is None:
            wall = BaseTemporalField.to_python(self, value)  # the other input formats
        if timezone.is_aware(wall):
            return wall
        try:
            return local_to_utc(wall.date(), wall.time(), timezone.get_current_timezone())
        except OverflowError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class FilterForm(Form):
    """The filters of a list page, read from its query string.

    `cleaned_or_empty()` means the same on every list: the fields that are valid and have a value.
    A blank, unticked or "any" field is left out; so is an invalid one (a stale sort, another
    user's id, a bad date), which keeps its message on the form; an unbound form filters nothing.
    """

    def cleaned_or_empty(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}
