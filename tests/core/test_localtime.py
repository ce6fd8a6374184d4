"""The one clock: a user's zone, wall times as instants, local days, across DST."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.test import RequestFactory
from django.utils import timezone

from apps.accounts.middleware import UserTimezoneMiddleware
from apps.core import localtime
from tests import factories

UTC = dt.UTC
NY = zoneinfo.ZoneInfo("America/New_York")
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
# Chile moves its clocks from 00:00 to 01:00: 6 September 2026 has no midnight.
SANTIAGO = zoneinfo.ZoneInfo("America/Santiago")


def test_a_skipped_spring_forward_time_moves_forward_by_the_gap():
    due = localtime.local_to_utc(dt.date(2026, 3, 8), dt.time(2, 30), NY)
    assert due.astimezone(NY).strftime("%H:%M %Z") == "03:30 EDT"


def test_a_wall_time_skipped_in_berlin_lands_at_the_first_real_minute_after_it():
    # 29 March 2026, Berlin clocks jump from 02:00 to 03:00.
    due = localtime.local_to_utc(dt.date(2026, 3, 29), dt.time(2, 30), BERLIN)
    assert due == dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert due.astimezone(BERLIN).hour == 3


def test_a_repeated_fall_back_time_is_its_first_occurrence():
    due = localtime.local_to_utc(dt.date(2026, 11, 1), dt.time(1, 30), NY)
    assert due == dt.datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT, not EST


def test_a_time_marked_as_the_second_pass_still_resolves_to_the_first():
    second = dt.time(1, 30, fold=1)
    assert localtime.local_to_utc(dt.date(2026, 11, 1), second, NY) == dt.datetime(
        2026, 11, 1, 5, 30, tzinfo=UTC
    )


def test_local_to_utc_answers_in_utc_and_ignores_a_tzinfo_on_the_time():
    due = localtime.local_to_utc(dt.date(2026, 1, 5), dt.time(9, 0, tzinfo=UTC), BERLIN)
    assert due.tzinfo is UTC
    assert due == dt.datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


def test_local_midnight_is_the_first_instant_of_the_local_day_in_the_users_zone():
    midnight = localtime.local_midnight(dt.date(2025, 2, 19), NY)
    assert midnight == dt.datetime(2025, 2, 19, 5, 0, tzinfo=UTC)
    assert (midnight.date(), midnight.tzinfo) == (dt.date(2025, 2, 19), NY)


def test_a_midnight_that_does_not_exist_is_the_first_real_minute_of_that_day():
    midnight = localtime.local_midnight(dt.date(2026, 9, 6), SANTIAGO)
    assert midnight == dt.datetime(2026, 9, 6, 4, 0, tzinfo=UTC)
    assert midnight.strftime("%Y-%m-%d %H:%M") == "2026-09-06 01:00"


def test_day_bounds_are_23_and_25_hours_long_across_dst():
    start, end = localtime.local_day_bounds(dt.date(2026, 3, 8), NY)
    assert end - start == dt.timedelta(hours=23)
    start, end = localtime.local_day_bounds(dt.date(2026, 11, 1), NY)
    assert end - start == dt.timedelta(hours=25)
    assert start == dt.datetime(2026, 11, 1, 4, 0, tzinfo=UTC)


def test_an_unknown_zone_name_falls_back_to_utc():
    assert localtime.zone_named("Europe/Berlin") == BERLIN
    assert localtime.zone_named("Nowhere/Land") is UTC
    assert localtime.zone_named("") is UTC


@pytest.mark.django_db
def test_the_user_zone_and_local_now_come_from_the_one_lookup():
    user = factories.UserFactory(timezone="Asia/Tokyo")
    assert user.zone == localtime.user_zone(user) == zoneinfo.ZoneInfo("Asia/Tokyo")
    with time_machine.travel(dt.datetime(2025, 6, 10, 20, 0, tzinfo=UTC), tick=False):
        assert user.local_now().strftime("%Y-%m-%d %H:%M") == "2025-06-11 05:00"
    user.timezone = "Nowhere/Land"  # bad data never breaks a page: it reads as UTC
    assert user.zone is UTC


@pytest.mark.django_db
def test_the_middleware_activates_the_signed_in_users_zone():
    seen = {}

    def view(request):
        seen["zone"] = timezone.get_current_timezone()
        return None

    request = RequestFactory().get("/")
    request.user = factories.UserFactory(timezone="Europe/Berlin")
    UserTimezoneMiddleware(view)(request)
    assert seen["zone"] == BERLIN
    request.user.timezone = "Nowhere/Land"
    UserTimezoneMiddleware(view)(request)
    assert seen["zone"] is UTC
    timezone.deactivate()
