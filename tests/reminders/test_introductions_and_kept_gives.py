"""An introduction thanks the introducer once; a promise kept in bulk records its give like a
promise kept alone; reopening a kept promise (by hand or by undoing the bulk step) removes the
give it recorded, and only that one."""

import datetime as dt

import pytest
import time_machine

from apps.contacts import services as contacts
from apps.interactions.models import Interaction
from apps.reminders import services
from apps.reminders.models import BacklogBatch, FollowUp, FollowUpKind, FollowUpStatus
from tests import factories
from tests.conftest import csrf_token
from tests.reminders.conftest import at

pytestmark = pytest.mark.django_db
NOW = at("UTC", 2026, 5, 8, 10, 0)


def _thanks(**filters):
    return list(FollowUp.objects.filter(kind=FollowUpKind.THANK_YOU, **filters).order_by("pk"))


# --- introduced by --------------------------------------------------------------------------


def test_a_new_contact_introduced_by_someone_thanks_the_introducer_once(user):
    bob = factories.ContactFactory(owner=user, full_name="Bob")
    ann = contacts.create_contact(owner=user, full_name="Ann Lee", introduced_by=bob)
    [thanks] = _thanks()
    assert (thanks.contact, thanks.introduction, thanks.status) == (bob, ann, "open")
    assert thanks.note == "Thank them for introducing you to Ann Lee"
    assert thanks.opportunity is None
    # Re-saving, even after the thank-you was done, thanks nobody twice.
    services.complete_follow_up(owner=user, follow_up=thanks)
    contacts.update_contact(owner=user, contact=ann, title="Engineer")
    contacts.update_contact(owner=user, contact=ann, introduced_by=bob)
    assert len(_thanks()) == 1


def test_changing_the_introducer_thanks_the_new_one_and_drops_the_wrong_open_one(user):
    bob = factories.ContactFactory(owner=user, full_name="Bob")
    cy = factories.ContactFactory(owner=user, full_name="Cy")
    ann = contacts.create_contact(owner=user, full_name="Ann", introduced_by=bob)
    contacts.update_contact(owner=user, contact=ann, introduced_by=cy)
    by_person = {f.contact.full_name: f.status for f in _thanks()}
    assert by_person == {"Bob": FollowUpStatus.CANCELED, "Cy": FollowUpStatus.OPEN}
    # Clearing it leaves no open thank-you for this introduction.
    contacts.update_contact(owner=user, contact=ann, introduced_by=None)
    assert _thanks(status=FollowUpStatus.OPEN) == []


def test_one_introducer_of_two_people_gets_a_thank_you_for_each(user):
    bob = factories.ContactFactory(owner=user, full_name="Bob")
    contacts.create_contact(owner=user, full_name="Ann", introduced_by=bob)
    contacts.create_contact(owner=user, full_name="Dee", introduced_by=bob)
    assert [f.note for f in _thanks(status="open")] == [
        "Thank them for introducing you to Ann",
        "Thank them for introducing you to Dee",
    ]


def test_a_contact_without_an_introducer_thanks_nobody(user):
    ann = contacts.create_contact(owner=user, full_name="Ann")
    contacts.update_contact(owner=user, contact=ann, title="Engineer")
    assert _thanks() == []


def test_the_contact_form_thanks_the_introducer_and_stays_with_its_owner(
    client_for, user, other_user
):
    bob = factories.ContactFactory(owner=user, full_name="Bob")
    theirs = factories.ContactFactory(owner=other_user, full_name="Not yours")
    client = client_for(user)
    assert client.post("/contacts/new/", {"full_name": "X"}).status_code == 403
    token = csrf_token(client, "/contacts/new/")
    base = {"csrfmiddlewaretoken": token, "channel": "other", "warmth": "cold"}
    refused = client.post(
        "/contacts/new/", {**base, "full_name": "Eve", "introduced_by": theirs.pk}
    )
    assert refused.status_code == 400 and _thanks() == []
    response = client.post("/contacts/new/", {**base, "full_name": "Ann", "introduced_by": bob.pk})
    assert response.status_code == 302
    [thanks] = _thanks()
    assert thanks.owner == user and thanks.contact == bob
    assert not FollowUp.objects.filter(owner=other_user).exists()
    today = client.get("/").content.decode()
    assert "Thank them for introducing you to Ann" in today


# --- kept promises in bulk, reopened ---------------------------------------------------------


def _overdue_promise(owner, contact, note):
    return factories.FollowUpFactory(
        owner=owner,
        contact=contact,
        kind=FollowUpKind.PROMISE,
        note=note,
        due_at=NOW - dt.timedelta(days=3),
    )


def test_clearing_the_backlog_as_done_records_each_kept_promise_like_keeping_one(client_for, user):
    ann = factories.ContactFactory(owner=user, full_name="Ann")
    bob = factories.ContactFactory(owner=user, full_name="Bob")
    _overdue_promise(user, ann, "Send the deck")
    _overdue_promise(user, bob, "Intro to Dana")
    factories.FollowUpFactory(owner=user, contact=ann, due_at=NOW - dt.timedelta(days=2))
    client = client_for(user)
    with time_machine.travel(NOW, tick=False):
        token = csrf_token(client, "/")
        response = client.post(
            "/followups/backlog/", {"csrfmiddlewaretoken": token, "scope": "all", "action": "done"}
        )
    assert response.status_code == 302
    gives = {g.gave: list(g.contacts.all()) for g in Interaction.objects.all()}
    # Two promises, two gives; the plain follow-up records none.
    assert gives == {"Send the deck": [ann], "Intro to Dana": [bob]}
    assert all(g.summary.startswith("Kept my promise: ") for g in Interaction.objects.all())


def test_reopening_a_kept_promise_removes_its_give_and_only_that_one(client_for, user):
    ann = factories.ContactFactory(owner=user, full_name="Ann")
    kept = _overdue_promise(user, ann, "Send the deck")
    other = _overdue_promise(user, ann, "Read their paper")
    factories.InteractionFactory(owner=user, contacts=[ann], gave="Coffee", summary="Met")
    services.complete_follow_up(owner=user, follow_up=kept)
    services.complete_follow_up(owner=user, follow_up=other)
    assert Interaction.objects.count() == 3
    client = client_for(user)
    token = csrf_token(client, "/")
    assert client.post(f"/followups/{kept.pk}/reopen/").status_code == 403
    assert Interaction.objects.count() == 3
    response = client.post(f"/followups/{kept.pk}/reopen/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert sorted(Interaction.objects.values_list("gave", flat=True)) == [
        "Coffee",
        "Read their paper",
    ]
    ann.refresh_from_db()
    assert ann.last_interaction_at == Interaction.objects.order_by("-occurred_at")[0].occurred_at
    # Kept again: one give again.
    services.complete_follow_up(owner=user, follow_up=kept)
    assert Interaction.objects.filter(gave="Send the deck").count() == 1


def test_another_users_kept_promise_cannot_be_reopened(client_for, user, other_user):
    theirs = _overdue_promise(other_user, factories.ContactFactory(owner=other_user), "Deck")
    services.complete_follow_up(owner=other_user, follow_up=theirs)
    client = client_for(user)
    token = csrf_token(client, "/")
    response = client.post(f"/followups/{theirs.pk}/reopen/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 404
    assert Interaction.objects.filter(kept_promise=theirs).exists()


def test_undoing_a_backlog_marked_done_removes_the_gives_it_recorded(client_for, user):
    ann = factories.ContactFactory(owner=user, full_name="Ann")
    promise = _overdue_promise(user, ann, "Send the deck")
    earlier = _overdue_promise(user, ann, "Old promise")
    with time_machine.travel(NOW - dt.timedelta(days=1), tick=False):
        services.complete_follow_up(owner=user, follow_up=earlier)
    client = client_for(user)
    with time_machine.travel(NOW, tick=False):
        token = csrf_token(client, "/")
        client.post(
            "/followups/backlog/", {"csrfmiddlewaretoken": token, "scope": "all", "action": "done"}
        )
        assert Interaction.objects.filter(kept_promise=promise).exists()
        batch = BacklogBatch.objects.get()
        response = client.post(
            f"/followups/backlog/{batch.pk}/undo/", {"csrfmiddlewaretoken": token}
        )
    assert response.status_code == 302
    promise.refresh_from_db()
    assert promise.status == FollowUpStatus.OPEN
    # The give of the promise kept before the bulk step stays.
    assert list(Interaction.objects.values_list("gave", flat=True)) == ["Old promise"]
