import datetime as dt

import pytest
from django.utils import timezone

from apps.core.templatetags.moments import ago

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (NOW, "just now"),
        (NOW - dt.timedelta(seconds=59), "just now"),
        (NOW - dt.timedelta(minutes=1), "1 minute ago"),
        (NOW - dt.timedelta(hours=3, minutes=5), "3 hours, 5 minutes ago"),
        (NOW - dt.timedelta(days=9), "1 week, 2 days ago"),
        (NOW + dt.timedelta(hours=2), "today"),  # logged for later today
        (NOW + dt.timedelta(days=2), "3 Jun 2026"),
        (None, ""),
    ],
)
def test_ago_never_says_zero_minutes(value, expected):
    with timezone.override(dt.UTC):
        # timesince joins a number to its unit with a no-break space.
        assert ago(value, NOW).replace("\xa0", " ") == expected
