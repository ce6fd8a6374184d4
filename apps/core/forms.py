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
