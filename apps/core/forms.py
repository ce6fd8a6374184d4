import datetime as dt

from django import forms

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2999, 12, 31)


class BoundedDateField(forms.DateField):
    """A date a person could mean. Year 1 or 9999 would overflow the datetime arithmetic that
    turns a local day into UTC bounds, so such dates get a message instead."""

    def validate(self, value):
        super().validate(value)
        if value and not EARLIEST <= value <= LATEST:
            raise forms.ValidationError(
                f"Pick a date between {EARLIEST:%Y} and {LATEST:%Y}.", code="out_of_range"
            )


class FilterForm(forms.Form):
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
