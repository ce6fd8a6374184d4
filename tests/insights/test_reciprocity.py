"""Gives and asks per week, and the referral rate of asks preceded by a give against asks that
were not, counted by the database."""

import datetime as dt

import pytest

from apps.insights.ranges import build_range
from apps.insights.reports import reciprocity
from tests import factories

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 5, 20, 12, tzinfo=dt.UTC)


def _rng(user):
    return build_range(preset="90d", zone=user.zone, now=NOW)


def _ask(user, contact, when, referred=False):
    factories.InteractionFactory(
        owner=user, contacts=[contact], occurred_at=when, asked_referral=True
    )
    if referred:
        person = factories.OpportunityContactFactory(
            opportunity=factories.OpportunityFactory(owner=user), contact=contact, role="referrer"
        )
        type(person).objects.filter(pk=person.pk).update(created_at=when + dt.timedelta(days=2))


def test_referral_rates_split_asks_by_a_give_first(user, other_user):
    day = NOW - dt.timedelta(days=20)
    given = [factories.ContactFactory(owner=user) for _ in range(3)]
    cold = [factories.ContactFactory(owner=user) for _ in range(2)]
    for contact in given:
        factories.InteractionFactory(
            owner=user, contacts=[contact], gave="Notes", occurred_at=day - dt.timedelta(days=5)
        )
    _ask(user, given[0], day, referred=True)
    _ask(user, given[1], day, referred=True)
    _ask(user, given[2], day)
    _ask(user, cold[0], day, referred=True)
    _ask(user, cold[1], day)
    # A give after the ask does not count as before it.
    factories.InteractionFactory(
        owner=user, contacts=[cold[1]], gave="Late", occurred_at=day + dt.timedelta(days=1)
    )
    # Another user's rows never count.
    theirs = factories.ContactFactory(owner=other_user)
    _ask(other_user, theirs, day, referred=True)
    rates = reciprocity.referral_rates(user, _rng(user))
    assert rates["after_give"] == reciprocity.Rate(asks=3, referred=2)
    assert rates["without_give"] == reciprocity.Rate(asks=2, referred=1)
    assert rates["after_give"].percent == 67


def test_no_asks_means_no_rate_rather_than_zero(user):
    rates = reciprocity.referral_rates(user, _rng(user))
    assert rates["after_give"].asks == 0 and rates["after_give"].percent is None


def test_gives_and_asks_are_counted_per_local_week(user):
    contact = factories.ContactFactory(owner=user)
    monday = dt.datetime(2026, 5, 11, 10, tzinfo=dt.UTC)
    factories.InteractionFactory(owner=user, contacts=[contact], gave="A", occurred_at=monday)
    factories.InteractionFactory(
        owner=user, contacts=[contact], asked="B", occurred_at=monday + dt.timedelta(days=2)
    )
    factories.InteractionFactory(
        owner=user,
        contacts=[contact],
        gave="C",
        asked="D",
        occurred_at=monday + dt.timedelta(days=7),
    )
    weeks = reciprocity.weekly_gives_and_asks(user, _rng(user))
    assert weeks == [
        {"week": dt.date(2026, 5, 11), "gives": 1, "asks": 1},
        {"week": dt.date(2026, 5, 18), "gives": 1, "asks": 1},
    ]


def test_the_insights_page_shows_the_counts(auth_client, user):
    contact = factories.ContactFactory(owner=user)
    factories.InteractionFactory(owner=user, contacts=[contact], gave="Notes")
    body = auth_client.get("/insights/").content.decode()
    assert "Give before you ask" in body and 'data-figure="after_give"' in body
