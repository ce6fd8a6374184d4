"""Today triages a backlog: the most urgent overdue follow-ups, and one step to clear the rest."""

import datetime as dt
from collections import Counter

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.interactions.models import Interaction
from apps.reminders import services
from apps.reminders.models import BacklogBatch, FollowUp, FollowUpKind, FollowUpStatus
from apps.reminders.selectors import OVERDUE_SHOWN, SECTION_SHOWN
from apps.webhooks import services as webhooks
from apps.webhooks.models import Event, WebhookDelivery
from tests import factories
from tests.reminders.conftest import at

pytestmark = pytest.mark.django_db

ZONE = "America/New_York"
# Friday 8 May 2026, 10:00 in New York: the next working days are Mon 11, Tue 12, Wed 13.
NOW = at(ZONE, 2026, 5, 8, 10, 0)


@pytest.fixture
def seeker(db):
    return factories.UserFactory(timezone=ZONE)


def _overdue(owner, count, *, hour=14, **kwargs):
    return [
        factories.FollowUpFactory(
            owner=owner, due_at=at(ZONE, 2026, 4, 1 + i % 28, hour, 30), **kwargs
        )
        for i in range(count)
    ]


def _post_backlog(client, csrf, data):
    token = csrf(client, "/")
    return client.post("/followups/backlog/", {**data, "csrfmiddlewaretoken": token})


def test_today_shows_the_most_urgent_overdue_with_the_count_and_a_link(client_for, seeker):
    rows = _overdue(seeker, OVERDUE_SHOWN + 5)
    with time_machine.travel(NOW, tick=False):
        body = client_for(seeker).get("/").content.decode()
    overdue = body.split('id="h-overdue"')[1].split("</section>")[0]
    assert f'<span class="pill pill-danger">{OVERDUE_SHOWN + 5}</span>' in overdue
    assert overdue.count('class="followup"') == OVERDUE_SHOWN
    oldest = min(rows, key=lambda f: (f.due_at, f.pk))
    assert f'id="followup-{oldest.pk}"' in overdue
    assert f"See all {OVERDUE_SHOWN + 5} overdue" in overdue
    assert "/followups/?status=overdue" in overdue


def test_today_queries_do_not_grow_with_the_backlog(client_for, seeker):
    client = client_for(seeker)
    _overdue(seeker, 3)

    def count():
        with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return len(queries)

    small = count()
    _overdue(seeker, 60)
    assert count() == small


def test_the_full_overdue_list_is_paginated(client_for, seeker):
    _overdue(seeker, 55)
    factories.FollowUpFactory(owner=seeker, due_at=NOW + dt.timedelta(hours=3), note="not late")
    with time_machine.travel(NOW, tick=False):
        body = client_for(seeker).get("/followups/?status=overdue").content.decode()
    assert "55 follow-ups" in body and "Page 1 of 2" in body and "not late" not in body
    assert body.count('form="backlog-form"') == 50


def test_spreading_all_overdue_keeps_local_times_on_the_next_working_days(
    client_for, seeker, other_user, csrf
):
    rows = _overdue(seeker, 6)
    theirs = factories.FollowUpFactory(owner=other_user, due_at=NOW - dt.timedelta(days=9))
    client = client_for(seeker)
    with time_machine.travel(NOW, tick=False):
        response = _post_backlog(client, csrf, {"scope": "all", "action": "spread", "days": "3"})
        assert response.status_code == 302 and response["Location"] == "/"
        page = client.get("/").content.decode()
    assert "Spread 6 follow-ups over the next 3 working days." in page and ">Undo</button>" in page
    days = []
    for row in rows:
        row.refresh_from_db()
        local = row.due_at.astimezone(seeker.zone)
        assert (local.hour, local.minute) == (14, 30)
        days.append(local.date())
    assert sorted(days) == [dt.date(2026, 5, d) for d in (11, 11, 12, 12, 13, 13)]
    theirs.refresh_from_db()
    assert theirs.due_at == NOW - dt.timedelta(days=9)


def test_spreading_only_the_ticked_ones(client_for, seeker, csrf):
    first, second, third = _overdue(seeker, 3)
    with time_machine.travel(NOW, tick=False):
        response = _post_backlog(
            client_for(seeker),
            csrf,
            {"scope": "selected", "ids": [first.pk, third.pk], "action": "spread", "days": "1"},
        )
    assert response.status_code == 302
    moved = {f.pk: f.due_at.astimezone(seeker.zone).date() for f in FollowUp.objects.all()}
    assert moved[first.pk] == moved[third.pk] == dt.date(2026, 5, 11)
    assert moved[second.pk] < dt.date(2026, 5, 8)


def test_another_users_id_is_refused_and_nothing_changes(client_for, seeker, other_user, csrf):
    mine = _overdue(seeker, 1)[0]
    theirs = factories.FollowUpFactory(owner=other_user, due_at=NOW - dt.timedelta(days=3))
    with time_machine.travel(NOW, tick=False):
        response = _post_backlog(
            client_for(seeker),
            csrf,
            {"scope": "selected", "ids": [mine.pk, theirs.pk], "action": "done"},
        )
    assert response.status_code == 400
    assert "not one of yours" in response.content.decode()
    assert set(FollowUp.objects.values_list("status", flat=True)) == {"open"}
    assert not BacklogBatch.objects.exists()


def test_ticking_nothing_says_so_and_keeps_the_choices(client_for, seeker, csrf):
    _overdue(seeker, 2)
    with time_machine.travel(NOW, tick=False):
        response = _post_backlog(
            client_for(seeker), csrf, {"scope": "selected", "action": "spread", "days": "4"}
        )
    body = response.content.decode()
    assert response.status_code == 400 and "Tick the follow-ups to clear" in body
    assert 'value="4"' in body


def test_marking_done_then_undo_puts_everything_back_including_cadence(client_for, seeker, csrf):
    contact = factories.ContactFactory(owner=seeker, cadence_days=30)
    cadence = factories.FollowUpFactory(
        owner=seeker, contact=contact, is_cadence=True, due_at=NOW - dt.timedelta(days=2)
    )
    plain = _overdue(seeker, 2)
    client = client_for(seeker)
    with time_machine.travel(NOW, tick=False):
        assert _post_backlog(client, csrf, {"scope": "all", "action": "done"}).status_code == 302
        assert FollowUp.objects.filter(status="done").count() == 3
        # Closing the keep-in-touch one planned the next round.
        assert FollowUp.objects.filter(contact=contact, status="open").count() == 1
        batch = BacklogBatch.objects.get()
        token = csrf(client, "/")
        response = client.post(
            f"/followups/backlog/{batch.pk}/undo/", {"csrfmiddlewaretoken": token}
        )
    assert response.status_code == 302
    assert list(FollowUp.objects.filter(contact=contact).values_list("pk", "status")) == [
        (cadence.pk, "open")
    ]
    for row in plain:
        before = row.due_at
        row.refresh_from_db()
        assert (row.status, row.completed_at, row.due_at) == ("open", None, before)


def test_undo_expires_after_a_minute_and_works_once(seeker):
    rows = _overdue(seeker, 2)
    with time_machine.travel(NOW, tick=False):
        batch = services.clear_backlog(owner=seeker, action="spread", days=2)
    with time_machine.travel(NOW + dt.timedelta(seconds=61), tick=False):
        assert services.undoable_batch(seeker) is None
        with pytest.raises(services.FollowUpError, match="too late"):
            services.undo_backlog(owner=seeker, batch_id=batch.pk)
    with time_machine.travel(NOW + dt.timedelta(seconds=30), tick=False):
        services.undo_backlog(owner=seeker, batch_id=batch.pk)
        with pytest.raises(services.FollowUpError, match="already undone"):
            services.undo_backlog(owner=seeker, batch_id=batch.pk)
    assert sorted(f.due_at for f in FollowUp.objects.all()) == sorted(r.due_at for r in rows)


def test_undo_leaves_a_follow_up_changed_since_alone(seeker):
    first, second = _overdue(seeker, 2)
    with time_machine.travel(NOW, tick=False):
        batch = services.clear_backlog(owner=seeker, action="spread", days=2)
    with time_machine.travel(NOW + dt.timedelta(seconds=10), tick=False):
        services.complete_follow_up(owner=seeker, follow_up=first)
        services.undo_backlog(owner=seeker, batch_id=batch.pk)
    first.refresh_from_db()
    second_before = second.due_at
    second.refresh_from_db()
    assert first.status == "done" and second.due_at == second_before


def test_another_user_cannot_undo_my_batch(client_for, seeker, other_user, csrf):
    _overdue(seeker, 1)
    with time_machine.travel(NOW, tick=False):
        batch = services.clear_backlog(owner=seeker, action="done")
        client = client_for(other_user)
        token = csrf(client, "/")
        response = client.post(
            f"/followups/backlog/{batch.pk}/undo/", {"csrfmiddlewaretoken": token}
        )
    assert response.status_code == 404
    assert FollowUp.objects.get().status == "done"


def test_clearing_refuses_a_post_without_csrf(client_for, seeker):
    _overdue(seeker, 1)
    response = client_for(seeker).post("/followups/backlog/", {"scope": "all", "action": "done"})
    assert response.status_code == 403
    assert FollowUp.objects.get().status == "open"


def test_a_crowded_week_shows_the_soonest_with_the_count(client_for, seeker):
    for i in range(25):
        factories.FollowUpFactory(owner=seeker, due_at=NOW + dt.timedelta(days=2, minutes=i))
    with time_machine.travel(NOW, tick=False):
        body = client_for(seeker).get("/").content.decode()
    upcoming = body.split('id="h-upcoming"')[1].split("</section>")[0]
    assert '<span class="pill">25</span>' in upcoming
    assert upcoming.count('class="followup"') == 20 and "The 20 soonest." in upcoming


def _section(body, heading_id):
    return body.split(f'id="{heading_id}"')[1].split("</section>")[0]


def test_every_list_on_today_is_capped_with_its_exact_count(client_for, seeker):
    # An import's cadences all due today, a backlog marked done at once, many promises and
    # thank-yous: each list shows its first SECTION_SHOWN, its pill the count of all.
    many = SECTION_SHOWN + 4
    later_today = NOW + dt.timedelta(hours=2)
    for i in range(many):
        factories.FollowUpFactory(owner=seeker, due_at=later_today + dt.timedelta(minutes=i))
        factories.FollowUpFactory(owner=seeker, due_at=NOW + dt.timedelta(days=2, minutes=i))
        factories.FollowUpFactory(
            owner=seeker, due_at=NOW + dt.timedelta(days=1, minutes=i), kind=FollowUpKind.PROMISE
        )
        factories.FollowUpFactory(owner=seeker, due_at=later_today, kind=FollowUpKind.THANK_YOU)
        factories.FollowUpFactory(
            owner=seeker,
            due_at=NOW - dt.timedelta(hours=1),
            status=FollowUpStatus.DONE,
            completed_at=NOW - dt.timedelta(minutes=i),
        )
    with time_machine.travel(NOW, tick=False):
        body = client_for(seeker).get("/").content.decode()
    for heading, pill in (
        ("h-today", f'<span class="pill">{many}</span>'),
        ("h-upcoming", f'<span class="pill">{many}</span>'),
        ("h-promised", f'<span class="pill">{many}</span>'),
        ("h-done", f'<span class="pill pill-success">{many}</span>'),
    ):
        section = _section(body, heading)
        assert section.count('<li class="followup') == SECTION_SHOWN, heading
        assert pill in section, heading
    assert f"See all {many} due today" in _section(body, "h-today")
    assert f"of {many} due today" in _section(body, "h-next-steps")
    assert _section(body, "h-next-steps").count('<li class="followup') == SECTION_SHOWN


# --- what marking a backlog done costs -------------------------------------------------------


def _backlog_with_promises(owner, count):
    """`count` overdue follow-ups, two in five of them promises (each kept one becomes a give,
    and moves its contact's keep-in-touch follow-up), for an owner whose webhook endpoint
    takes every event."""
    webhooks.create_endpoint(owner=owner, url="http://127.0.0.1:9/hook", events=Event.values)
    for i in range(count):
        kind = FollowUpKind.PROMISE if i % 5 < 2 else FollowUpKind.FOLLOW_UP
        contact = factories.ContactFactory(owner=owner, cadence_days=30)
        factories.FollowUpFactory(
            owner=owner,
            contact=contact,
            is_cadence=True,
            due_at=at(ZONE, 2026, 9, 1, 9, 0),  # not overdue: the give moves it sooner
        )
        factories.FollowUpFactory(
            owner=owner,
            contact=contact,
            kind=kind,
            note=f"Promise {i}",
            due_at=at(ZONE, 2026, 4, 1 + i % 28, 14, 30),
        )


def _mark_done_then_undo(client, csrf, budget):
    """Mark every overdue follow-up done, then undo it, each POST within `budget(name)`."""
    token = csrf(client, "/")
    done = {"csrfmiddlewaretoken": token, "scope": "all", "action": "done"}
    with budget("marking") as marking:
        assert client.post("/followups/backlog/", done).status_code == 302
    batch = BacklogBatch.objects.latest("pk")
    with budget("undoing") as undoing:
        response = client.post(
            f"/followups/backlog/{batch.pk}/undo/", {"csrfmiddlewaretoken": token}
        )
        assert response.status_code == 302
    return {"marking": len(marking), "undoing": len(undoing)}


def test_marking_a_backlog_done_and_undoing_it_cost_the_same_queries_for_5_or_50(
    client_for, csrf, settings, django_assert_max_num_queries
):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    small, large = factories.UserFactory(timezone=ZONE), factories.UserFactory(timezone=ZONE)
    _backlog_with_promises(small, 5)
    _backlog_with_promises(large, 50)
    with time_machine.travel(NOW, tick=False):
        costs = _mark_done_then_undo(
            client_for(small), csrf, lambda name: CaptureQueriesContext(connection)
        )
        _mark_done_then_undo(
            client_for(large), csrf, lambda name: django_assert_max_num_queries(costs[name])
        )
    # Each follow-up announced its event, each kept promise its give (and the give's event);
    # the undo took every give back.
    events = WebhookDelivery.objects.filter(owner=large).values_list("event_type", flat=True)
    assert sorted(Counter(events).items()) == [
        (Event.CONVERSATION_LOGGED, 20),
        (Event.FOLLOW_UP_DONE, 50),
    ]
    assert not Interaction.objects.filter(owner=large).exists()
    assert set(FollowUp.objects.filter(owner=large).values_list("status", flat=True)) == {"open"}
