import datetime as dt

import pytest
import time_machine
from django.db import transaction

from apps.reminders import services, tasks
from apps.reminders.models import Delivery, FollowUp, FollowUpStatus
from tests import factories
from tests.reminders.conftest import at

pytestmark = pytest.mark.django_db


def _cadence_contact(owner, days=14):
    return factories.ContactFactory(owner=owner, cadence_days=days)


def test_a_cadence_contact_gets_one_open_cadence_follow_up_at_nine_local():
    owner = factories.UserFactory(timezone="Europe/Berlin")
    with time_machine.travel(at("Europe/Berlin", 2026, 3, 20, 15, 0), tick=False):
        contact = _cadence_contact(owner)
        services.sync_cadence(contacts=[contact])
        services.sync_cadence(contacts=[contact])
    [follow_up] = FollowUp.objects.filter(contact=contact, status="open")
    assert follow_up.is_cadence
    # 14 days later crosses Berlin's spring-forward; still 09:00 on the wall clock.
    assert follow_up.due_at == at("Europe/Berlin", 2026, 4, 3, 9, 0)


def test_logging_an_interaction_moves_the_cadence_follow_up():
    owner = factories.UserFactory(timezone="America/New_York")
    with time_machine.travel(at("America/New_York", 2026, 1, 5, 12, 0), tick=False):
        contact = _cadence_contact(owner, days=30)
        services.sync_cadence(contacts=[contact])
    with time_machine.travel(at("America/New_York", 2026, 1, 20, 18, 0), tick=False):
        factories.InteractionFactory(owner=owner, contacts=[contact])
        services.sync_cadence(contacts=[contact])
    [follow_up] = FollowUp.objects.filter(contact=contact, status="open")
    assert follow_up.due_at == at("America/New_York", 2026, 2, 19, 9, 0)


def test_the_cadence_counts_from_a_past_conversation_logged_for_a_new_contact():
    owner = factories.UserFactory(timezone="America/New_York")
    with time_machine.travel(at("America/New_York", 2026, 1, 20, 18, 0), tick=False):
        contact = _cadence_contact(owner, days=30)
        factories.InteractionFactory(
            owner=owner, contacts=[contact], occurred_at=at("America/New_York", 2026, 1, 10, 9, 0)
        )
        services.sync_cadence(contacts=[contact])
    [follow_up] = FollowUp.objects.filter(contact=contact, status="open")
    assert follow_up.due_at == at("America/New_York", 2026, 2, 9, 9, 0)


def test_completing_a_cadence_follow_up_schedules_the_next():
    owner = factories.UserFactory()
    contact = _cadence_contact(owner, days=7)
    services.sync_cadence(contacts=[contact])
    first = FollowUp.objects.get(contact=contact, status="open")
    services.complete_follow_up(owner=owner, follow_up=first)
    assert FollowUp.objects.filter(contact=contact, status="open", is_cadence=True).count() == 1
    assert FollowUp.objects.get(pk=first.pk).status == FollowUpStatus.DONE


def test_removing_the_cadence_cancels_its_follow_up():
    owner = factories.UserFactory()
    contact = _cadence_contact(owner)
    services.sync_cadence(contacts=[contact])
    contact.cadence_days = None
    contact.save()
    services.sync_cadence(contacts=[contact])
    assert not FollowUp.objects.filter(contact=contact, status="open").exists()
    assert FollowUp.objects.filter(contact=contact, status="canceled").count() == 1


def test_snoozing_keeps_the_local_wall_time_across_dst():
    owner = factories.UserFactory(timezone="America/New_York")
    follow_up = factories.FollowUpFactory(
        owner=owner, due_at=at("America/New_York", 2026, 3, 6, 9, 0)
    )
    with time_machine.travel(at("America/New_York", 2026, 3, 6, 10, 0), tick=False):
        services.snooze_follow_up(owner=owner, follow_up=follow_up, days=3)
    follow_up.refresh_from_db()
    assert follow_up.due_at == at("America/New_York", 2026, 3, 9, 9, 0)


def test_snoozing_to_a_past_date_is_refused():
    owner = factories.UserFactory()
    follow_up = factories.FollowUpFactory(owner=owner)
    with pytest.raises(services.FollowUpError):
        services.snooze_follow_up(
            owner=owner, follow_up=follow_up, until=dt.date.today() - dt.timedelta(days=2)
        )


def test_it_refuses_another_users_contact():
    owner, other = factories.UserFactory(), factories.UserFactory()
    with pytest.raises(services.FollowUpError):
        services.create_follow_up(
            owner=owner,
            contact=factories.ContactFactory(owner=other),
            due_at=dt.datetime.now(dt.UTC),
        )


def test_completing_someone_elses_follow_up_is_not_found():
    owner, other = factories.UserFactory(), factories.UserFactory()
    follow_up = factories.FollowUpFactory(owner=other)
    with pytest.raises(FollowUp.DoesNotExist):
        services.complete_follow_up(owner=owner, follow_up=follow_up)


def test_trying_a_failed_email_again_queues_its_send_only_once_the_change_commits(
    monkeypatch, django_capture_on_commit_callbacks
):
    owner = factories.UserFactory()
    follow_up = factories.FollowUpFactory(owner=owner)
    delivery = Delivery.objects.create(
        owner=owner,
        kind="reminder",
        follow_up=follow_up,
        due_at=follow_up.due_at,
        created_at=follow_up.due_at,
        status="failed",
    )
    queued = []
    monkeypatch.setattr(tasks.send_delivery, "delay", queued.append)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.retry_failed(owner=owner, delivery=delivery)
        raise RuntimeError("the request failed after the retry")
    assert (callbacks, queued) == ([], [])
    delivery.refresh_from_db()
    assert delivery.status == "failed"

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.retry_failed(owner=owner, delivery=delivery)
        assert queued == []  # not before the commit
    assert len(callbacks) == 1
    assert queued == [delivery.pk]
    assert delivery.status == "pending"
