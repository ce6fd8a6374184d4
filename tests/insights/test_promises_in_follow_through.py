"""Promises kept on time count in follow-through: as follow-ups in its figures, and on their own
line, by the same rules, with drill-downs listing exactly the promises each number counts."""

import datetime as dt
import re

import pytest
import time_machine

from apps.reminders.models import FollowUpKind, FollowUpStatus
from tests import factories
from tests.insights.conftest import read_figures

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 5, 20, 12, 0, tzinfo=dt.UTC)
DUE = dt.datetime(2026, 5, 11, 9, 0, tzinfo=dt.UTC)


def _followup(user, *, kind, status=FollowUpStatus.OPEN, done_after=None):
    return factories.FollowUpFactory(
        owner=user,
        kind=kind,
        due_at=DUE,
        status=status,
        completed_at=DUE + done_after if done_after is not None else None,
    )


@pytest.fixture
def promises(user, other_user):
    kept = _followup(user, kind=FollowUpKind.PROMISE, status="done", done_after=dt.timedelta(0))
    late = _followup(user, kind=FollowUpKind.PROMISE, status="done", done_after=dt.timedelta(2))
    broken = _followup(user, kind=FollowUpKind.PROMISE)
    plain = _followup(user, kind=FollowUpKind.FOLLOW_UP, status="done", done_after=dt.timedelta(0))
    # Neither a canceled promise nor another user's promise counts.
    _followup(user, kind=FollowUpKind.PROMISE, status=FollowUpStatus.CANCELED)
    _followup(other_user, kind=FollowUpKind.PROMISE, status="done", done_after=dt.timedelta(0))
    return {"kept": kept, "late": late, "broken": broken, "plain": plain}


def _figure(html, name):
    return int(read_figures(html)[("follow-through", None, name)])


def _listed(client, query):
    html = client.get(f"/insights/follow-ups/?range=30d&{query}").content.decode()
    return set(map(int, re.findall(r'data-followup="(\d+)"', html)))


def test_promises_are_follow_ups_and_have_their_own_line(client_for, user, promises):
    client = client_for(user)
    with time_machine.travel(NOW, tick=False):
        html = client.get("/insights/?range=30d").content.decode()
        assert _figure(html, "on_time") == 2  # the kept promise and the plain follow-up
        assert _figure(html, "late") == 1
        assert _figure(html, "missed") == 1
        assert (_figure(html, "promises_on_time"), _figure(html, "promises_late")) == (1, 1)
        assert _figure(html, "promises_missed") == 1
        assert "of 3 (33.3%)" in html
        assert _listed(client, "outcome=on_time&kind=promise") == {promises["kept"].pk}
        assert _listed(client, "outcome=late&kind=promise") == {promises["late"].pk}
        assert _listed(client, "outcome=missed&kind=promise") == {promises["broken"].pk}
        assert _listed(client, "outcome=on_time") == {promises["kept"].pk, promises["plain"].pk}


def test_no_promise_due_says_so(client_for, user):
    with time_machine.travel(NOW, tick=False):
        html = client_for(user).get("/insights/?range=30d").content.decode()
    assert "No promise was due in the range." in html
