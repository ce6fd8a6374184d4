"""Raw-SQL figures use the same local-day boundaries as the ORM ones, on every database."""

import datetime as dt
import zoneinfo

import pytest

from apps.insights.attribution import attribute
from apps.insights.ranges import build_range
from apps.insights.reports.contacts_led import contacts_led
from apps.insights.reports.funnel import pipeline_funnel
from tests import factories

pytestmark = pytest.mark.django_db
NY = zoneinfo.ZoneInfo("America/New_York")


def test_an_opportunity_late_on_the_last_local_day_counts_in_attribution_and_funnel():
    user = factories.UserFactory(timezone="America/New_York")
    referrer = factories.ContactFactory(owner=user, full_name="Rita Referrer")
    # 22:00 in New York on 31 January is 03:00 UTC on 1 February.
    created = dt.datetime(2026, 1, 31, 22, 0, tzinfo=NY)
    opportunity = factories.OpportunityFactory(owner=user, created_at=created)
    factories.OpportunityContactFactory(opportunity=opportunity, contact=referrer, role="referrer")
    january = build_range(
        preset="custom", zone=NY, first=dt.date(2026, 1, 1), last=dt.date(2026, 1, 31)
    )
    february = build_range(
        preset="custom", zone=NY, first=dt.date(2026, 2, 1), last=dt.date(2026, 2, 28)
    )

    assert pipeline_funnel(user, january)["total"] == 1
    led = contacts_led(user, january, attribute(user, january))
    assert [p.full_name for p in led["people"]] == ["Rita Referrer"]
    assert contacts_led(user, february, attribute(user, february))["people"] == []
