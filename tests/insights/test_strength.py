"""Relationship strength: computed from behaviour, in a fixed number of queries, owner-scoped."""

import datetime as dt

import pytest

from apps.insights.strength import Strength, strength_for, stronger
from tests import factories

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 3, 20, 14, 0, tzinfo=dt.UTC)


def days_ago(n, hours=0):
    return NOW - dt.timedelta(days=n, hours=hours)


def test_a_fresh_contact_with_nothing_logged_is_cold(user):
    quiet = factories.ContactFactory(owner=user)
    result = strength_for(user, [quiet.pk], now=NOW)
    assert result[quiet.pk] == Strength(score=0, label="cold", why="nothing logged yet")


def test_dana_met_and_referred_is_warm_with_a_why(user):
    dana = factories.ContactFactory(owner=user, full_name="Dana")
    factories.InteractionFactory(
        owner=user, contacts=[dana], occurred_at=days_ago(10), kind="meeting", minutes=45
    )
    factories.OpportunityContactFactory(
        opportunity=factories.OpportunityFactory(owner=user), contact=dana, role="referrer"
    )
    s = strength_for(user, [dana.pk], now=NOW)[dana.pk]
    # recency 25 + one conversation 20 * 1/4 = 5 + 45 min 15 * 45/300 = 2.25 + referral 20.
    assert s.score == 52
    assert s.label == "warm"
    assert s.why == "met once in 60 days, referred you"
    assert s.led_somewhere


def test_a_referrer_long_ago_is_still_at_least_warm(user):
    old = factories.ContactFactory(owner=user)
    factories.OpportunityContactFactory(
        opportunity=factories.OpportunityFactory(owner=user), contact=old, role="referrer"
    )
    s = strength_for(user, [old.pk], now=NOW)[old.pk]
    assert s.score == 20
    assert s.label == "warm"
    assert stronger("cold", s) == "warm"


def test_an_introducer_counts_introduced_contacts(user):
    pat = factories.ContactFactory(owner=user)
    factories.ContactFactory(owner=user, introduced_by=pat)
    factories.ContactFactory(owner=user, introduced_by=pat)
    s = strength_for(user, [pat.pk], now=NOW)[pat.pk]
    assert s.introductions == 2
    # 20 for the first, 5 for the second.
    assert s.score == 25
    assert s.why == "nothing logged yet, introduced you to 2 people"


def test_frequent_long_and_reciprocal_contact_is_close(user):
    sam = factories.ContactFactory(owner=user)
    for n in range(5):
        factories.InteractionFactory(
            owner=user,
            contacts=[sam],
            occurred_at=days_ago(3 + 7 * n),
            kind="call",
            minutes=60,
            gave="an intro" if n < 3 else "",
            asked="advice" if n == 4 else "",
        )
    s = strength_for(user, [sam.pk], now=NOW)[sam.pk]
    # 25 + 20 (5 ≥ 4 conversations) + 15 (300 min) + 15 * 3/4 = 71.25.
    assert s.score == 71
    assert s.label == "close"
    assert s.why == "met 5 times in 60 days, 5 h together this year, gave 3, asked 1"


def test_recency_fades_over_a_year_and_light_touches_weigh_a_quarter(user):
    old, liker = factories.ContactFactory(owner=user), factories.ContactFactory(owner=user)
    factories.InteractionFactory(
        owner=user, contacts=[old], occurred_at=days_ago(400), kind="meeting", minutes=0
    )
    for n in range(4):
        factories.InteractionFactory(
            owner=user, contacts=[liker], occurred_at=days_ago(1 + n), kind="like", minutes=0
        )
    result = strength_for(user, [old.pk, liker.pk], now=NOW)
    assert result[old.pk].score == 0
    assert result[old.pk].why == "last touch 400 days ago"
    # 25 recency + four likes = one conversation: 5.
    assert result[liker.pk].score == 30
    assert result[liker.pk].label == "cold"  # warm from 35


def test_only_asking_and_future_rows_do_not_help(user):
    taker = factories.ContactFactory(owner=user)
    factories.InteractionFactory(
        owner=user, contacts=[taker], occurred_at=days_ago(100), minutes=0, asked_referral=True
    )
    # Scheduled for tomorrow: not behaviour yet.
    factories.InteractionFactory(
        owner=user, contacts=[taker], occurred_at=NOW + dt.timedelta(days=1), minutes=600
    )
    s = strength_for(user, [taker.pk], now=NOW)[taker.pk]
    assert s.why == "last touch 100 days ago, you only asked"
    assert s.score == round(25 * (365 - 100) / 335)


def test_other_users_rows_and_ids_are_ignored(user, other_user):
    mine = factories.ContactFactory(owner=user)
    theirs = factories.ContactFactory(owner=other_user)
    before = strength_for(user, [mine.pk], now=NOW)[mine.pk]
    # Another user's interaction naming my contact's id and a referral on their side.
    factories.InteractionFactory(owner=other_user, contacts=[theirs], occurred_at=days_ago(1))
    factories.OpportunityContactFactory(
        opportunity=factories.OpportunityFactory(owner=other_user), contact=theirs
    )
    result = strength_for(user, [mine.pk, theirs.pk], now=NOW)
    assert set(result) == {mine.pk}
    assert result[mine.pk] == before


@pytest.mark.parametrize("size", [1, 8])
def test_two_queries_whatever_the_number_of_contacts(user, django_assert_num_queries, size):
    people = [factories.ContactFactory(owner=user) for _ in range(size)]
    for person in people:
        factories.InteractionFactory(owner=user, contacts=people[:2] + [person])
    with django_assert_num_queries(2):
        result = strength_for(user, [p.pk for p in people], now=NOW)
    assert len(result) == size


def test_no_ids_no_query(user, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert strength_for(user, []) == {}
