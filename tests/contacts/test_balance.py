"""Give/ask balance per contact: on the profile and in the list, in the list's one query."""

import pytest

from apps.contacts import selectors
from tests import factories

pytestmark = pytest.mark.django_db


def _converse(owner, contact, **fields):
    return factories.InteractionFactory(owner=owner, contacts=[contact], **fields)


def test_balance_counts_gives_and_asks_per_contact(user):
    ann = factories.ContactFactory(owner=user, full_name="Ann")
    bob = factories.ContactFactory(owner=user, full_name="Bob")
    _converse(user, ann, gave="An intro")
    _converse(user, ann, gave="An article", asked="Advice")
    _converse(user, ann, asked_referral=True)
    _converse(user, ann)  # neither
    _converse(user, bob, asked="A referral")
    rows = {
        c.full_name: c
        for c in selectors.with_balance(selectors.contact_queryset(user=user, filters={}))
    }
    assert (rows["Ann"].gave_count, rows["Ann"].asked_count) == (2, 2)
    assert (rows["Bob"].gave_count, rows["Bob"].asked_count) == (0, 1)


def test_the_list_and_profile_show_the_balance(auth_client, user):
    ann = factories.ContactFactory(owner=user, full_name="Ann")
    _converse(user, ann, gave="An intro", asked="Advice")
    _converse(user, ann, gave="Notes")
    assert "gave 2 · asked 1" in auth_client.get("/contacts/").content.decode()
    assert "gave 2 · asked 1" in auth_client.get(f"/contacts/{ann.pk}/").content.decode()


def test_a_profile_never_given_to_says_so(auth_client, user):
    ann = factories.ContactFactory(owner=user)
    _converse(user, ann, asked="A referral")
    body = auth_client.get(f"/contacts/{ann.pk}/").content.decode()
    assert "gave 0 · asked 1" in body and "nothing given yet" in body


def test_another_users_conversations_never_count(user, other_user):
    ann = factories.ContactFactory(owner=user)
    # A row pointing across owners (never made by the app) still does not count.
    stray = factories.InteractionFactory(owner=other_user, gave="x", asked="y")
    stray.contacts.add(ann)
    [row] = selectors.with_balance(selectors.contact_queryset(user=user, filters={}))
    assert (row.gave_count, row.asked_count) == (0, 0)
