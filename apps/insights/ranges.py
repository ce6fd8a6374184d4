"""The date range every Insights figure is computed over, in the user's own time zone."""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.utils import timezone

from apps.core.forms import BoundedDateField, Form
from apps.core.localtime import local_midnight

PRESETS = [
    ("30d", "Last 30 days"),
    ("90d", "Last 90 days"),
    ("year", "This year"),
    ("all", "All time"),
    ("custom", "Custom"),
]
DEFAULT_PRESET = "90d"
# "All time" still needs a lower bound for SQL; nothing in the product predates it.
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class DateRange:
    preset: str
    first_day: dt.date | None  # None for all time
    last_day: dt.date
    start: dt.datetime  # aware: local midnight of first_day (inclusive)
    end: dt.datetime  # aware: local midnight after last_day (exclusive)

    @property
    def label(self) -> str:
        if self.first_day is None:
            return f"All time, up to {self.last_day:%-d %b %Y}"
        return f"{self.first_day:%-d %b %Y} – {self.last_day:%-d %b %Y}"

    @property
    def query(self) -> str:
        """The query string that reproduces this range on a drill-down link."""
        params = {"range": self.preset}
        if self.preset == "custom":
            params |= {"from": self.first_day.isoformat(), "to": self.last_day.isoformat()}
        return urlencode(params)


def build_range(*, preset: str, zone, first=None, last=None, now=None) -> DateRange:
    today = (now or timezone.now()).astimezone(zone).date()
    if preset == "custom":
        first_day, last_day = first, last
    elif preset == "30d":
        first_day, last_day = today - dt.timedelta(days=29), today
    elif preset == "year":
        first_day, last_day = today.replace(month=1, day=1), today
    elif preset == "all":
        first_day, last_day = None, today
    else:
        first_day, last_day = today - dt.timedelta(days=89), today
    start = EPOCH if first_day is None else local_midnight(first_day, zone)
    end = local_midnight(last_day + dt.timedelta(days=1), zone)
    return DateRange(preset, first_day, last_day, start, end)


class RangeForm(Form):
    range = forms.ChoiceField(choices=PRESETS, required=False)
    # "from" is a Python keyword: the form reads it from the data by hand (see __init__).
    start = BoundedDateField(label="From", required=False)
    end = BoundedDateField(label="To", required=False)

    def __init__(self, data=None, **kwargs):
        if data is not None:
            data = {
                "range": data.get("range") or "",
                "start": data.get("from") or "",
                "end": data.get("to") or "",
            }
        super().__init__(data, **kwargs)

    def clean(self):
        cleaned = super().clean()
        preset = cleaned.get("range") or ""
        start, end = cleaned.get("start"), cleaned.get("end")
        if not preset and (start or end):
            preset = cleaned["range"] = "custom"
        if preset == "custom":
            if not start or not end:
                raise forms.ValidationError("A custom range needs both a “from” and a “to” day.")
            if start > end:
                raise forms.ValidationError("The “from” day must be on or before the “to” day.")
            if (end - start).days > 366 * 20:
                raise forms.ValidationError("That range is too long; choose “All time” instead.")
        return cleaned

    def date_range(self, zone, now=None) -> DateRange:
        """The valid range asked for, or the default one when the input was invalid."""
        if self.is_bound and self.is_valid() and self.cleaned_data.get("range"):
            data = self.cleaned_data
            return build_range(
                preset=data["range"],
                zone=zone,
                first=data.get("start"),
                last=data.get("end"),
                now=now,
            )
        return build_range(preset=DEFAULT_PRESET, zone=zone, now=now)
