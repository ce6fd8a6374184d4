import datetime as dt

from django import forms

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
