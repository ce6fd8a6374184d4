import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from apps.contacts.models import Contact
from apps.interactions import services
from apps.interactions.models import Interaction
from apps.reminders.models import FollowUp, FollowUpStatus
from tests import factories

UTC = dt.UTC
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
pytestmark = pytest.mark.django_db


def at(*args, tz=UTC):
    return dt.datetime(*args, tzinfo=tz)


def test_logging_sets_the_contacts_last_interaction_time(user, contact):
    when = at(2025, 3, 4, 10, 0)
    services.log_interaction(owner=user, contacts=[contact], summary="Coffee", occurred_at=when)
    contact.refresh_from_db()
    assert contact.last_interaction_at == when


def test_an_older_interaction_keeps_the_newer_last_interaction_time(user, contact):
    newer, older = at(2025, 3, 4, 10, 0), at(2025, 1, 2, 9, 0)
    services.log_interaction(owner=user, contacts=[contact], summary="New", occurred_at=newer)
    services.log_interaction(owner=user, contacts=[contact], summary="Old", occurred_at=older)
    contact.refresh_from_db()
    assert contact.last_interaction_at == newer


def test_one_interaction_can_involve_several_contacts(user, contact):
    bob = factories.ContactFactory(owner=user, full_name="Bob")
    when = at(2025, 5, 1, 12, 0)
    interaction = services.log_interaction(
        owner=user, contacts=[contact, bob, contact], summary="Panel", occurred_at=when
    )
    assert set(interaction.contacts.all()) == {contact, bob}
    assert set(Contact.objects.filter(last_interaction_at=when)) == {contact, bob}


def test_typed_new_names_become_contacts_of_the_owner(user):
    interaction = services.log_interaction(
        owner=user,
        contacts=[],
        summary="Met at the meetup",
        new_contact_names=["  Zoë   Kim "],
        channel="event",
    )
    created = Contact.objects.get(full_name="Zoë Kim")
    assert created.owner == user and created.channel == "event"
    assert list(interaction.contacts.all()) == [created]
    assert created.last_interaction_at == interaction.occurred_at


def test_it_needs_a_contact_and_a_summary(user, contact):
    with pytest.raises(ValueError):
        services.log_interaction(owner=user, contacts=[], summary="Nobody")
    with pytest.raises(ValueError):
        services.log_interaction(owner=user, contacts=[contact], summary="   ")
    assert not Interaction.objects.exists()


@time_machine.travel(at(2025, 6, 10, 20, 0), tick=False)  # already 11 June, 05:00 in Tokyo
def test_follow_up_in_a_week_is_due_at_nine_local_time_in_the_users_zone():
    user = factories.UserFactory(timezone="Asia/Tokyo")
    contact = factories.ContactFactory(owner=user)
    due = services.follow_up_due(user=user, days=7)
    assert due == at(2025, 6, 18, 9, 0, tz=TOKYO)
    interaction = services.log_interaction(
        owner=user,
        contacts=[contact],
        summary="Call",
        follow_up_at=due,
        follow_up_note="Send the deck",
    )
    follow_up = FollowUp.objects.get()
    assert follow_up.due_at == at(2025, 6, 18, 0, 0)  # 09:00 in Tokyo is midnight UTC
    assert (follow_up.contact, follow_up.source_interaction) == (contact, interaction)
    assert follow_up.note == "Send the deck" and follow_up.status == FollowUpStatus.OPEN


def test_a_custom_follow_up_takes_the_local_date_and_time():
    user = factories.UserFactory(timezone="Europe/Berlin")
    due = services.follow_up_due(user=user, on=dt.date(2025, 12, 1), at=dt.time(14, 30))
    assert due.astimezone(UTC) == at(2025, 12, 1, 13, 30)


def test_each_contact_gets_the_follow_up(user, contact):
    bob = factories.ContactFactory(owner=user)
    services.log_interaction(
        owner=user, contacts=[contact, bob], summary="Lunch", follow_up_at=at(2030, 1, 1, 9)
    )
    assert set(FollowUp.objects.values_list("contact_id", flat=True)) == {contact.pk, bob.pk}


def test_logging_completes_the_follow_up_it_answers(user, contact):
    follow_up = factories.FollowUpFactory(owner=user, contact=contact)
    services.log_interaction(
        owner=user, contacts=[contact], summary="Caught up", complete_follow_up=follow_up
    )
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.DONE and follow_up.completed_at is not None


def test_it_refuses_another_users_contact(user, other_user):
    theirs = factories.ContactFactory(owner=other_user)
    with pytest.raises(PermissionDenied):
        services.log_interaction(owner=user, contacts=[theirs], summary="Sneaky")
    assert not Interaction.objects.exists()


def test_it_refuses_another_users_opportunity_and_follow_up(user, other_user, contact):
    opportunity = factories.OpportunityFactory(owner=other_user)
    follow_up = factories.FollowUpFactory(owner=other_user)
    with pytest.raises(PermissionDenied):
        services.log_interaction(
            owner=user, contacts=[contact], summary="x", opportunity=opportunity
        )
    with pytest.raises(PermissionDenied):
        services.log_interaction(
            owner=user, contacts=[contact], summary="x", complete_follow_up=follow_up
        )
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.OPEN
    assert not Interaction.objects.exists()


def test_it_keeps_the_contacts_cadence_in_sync(user, contact, monkeypatch):
    seen = []
    monkeypatch.setattr(
        services.reminders, "sync_cadence", lambda *, contacts: seen.append(set(contacts))
    )
    interaction = services.log_interaction(owner=user, contacts=[contact], summary="Hi")
    services.delete_interaction(owner=user, interaction=interaction)
    assert seen == [{contact}, {contact}]


def test_deleting_recomputes_the_last_interaction_time(user, contact):
    first = at(2025, 1, 1, 9)
    services.log_interaction(owner=user, contacts=[contact], summary="One", occurred_at=first)
    latest = services.log_interaction(
        owner=user, contacts=[contact], summary="Two", occurred_at=at(2025, 2, 1, 9)
    )
    services.delete_interaction(owner=user, interaction=latest)
    contact.refresh_from_db()
    assert contact.last_interaction_at == first
    services.delete_interaction(owner=user, interaction=Interaction.objects.get())
    contact.refresh_from_db()
    assert contact.last_interaction_at is None


def test_editing_recomputes_contacts_who_left_and_joined(user, contact):
    bob = factories.ContactFactory(owner=user)
    when = at(2025, 4, 1, 9)
    interaction = services.log_interaction(
        owner=user, contacts=[contact], summary="Chat", occurred_at=when
    )
    later = at(2025, 4, 2, 9)
    services.update_interaction(
        owner=user, interaction=interaction, contacts=[bob], occurred_at=later, minutes=45
    )
    contact.refresh_from_db()
    bob.refresh_from_db()
    assert contact.last_interaction_at is None
    assert bob.last_interaction_at == later
    interaction.refresh_from_db()
    assert interaction.minutes == 45


def test_another_user_cannot_edit_or_delete_an_interaction(user, other_user, contact):
    interaction = services.log_interaction(owner=user, contacts=[contact], summary="Mine")
    with pytest.raises(PermissionDenied):
        services.update_interaction(owner=other_user, interaction=interaction, summary="Theirs")
    with pytest.raises(PermissionDenied):
        services.delete_interaction(owner=other_user, interaction=interaction)
    assert Interaction.objects.get().summary == "Mine"
