"""The quick log's gentle note when asking someone the user has never given to."""

import pytest

from apps.interactions.selectors import never_given
from tests import factories

pytestmark = pytest.mark.django_db
NOTE = "/interactions/give-note/"


def test_the_note_names_contacts_never_given_to_while_asking(auth_client, user):
    fresh = factories.ContactFactory(owner=user, full_name="Fresh Face")
    helped = factories.ContactFactory(owner=user, full_name="Helped Before")
    factories.InteractionFactory(owner=user, gave="An intro", contacts=[helped])
    body = auth_client.get(
        NOTE, {"contacts": [fresh.pk, helped.pk], "asked": "A referral"}
    ).content.decode()
    assert "You are asking <strong>Fresh Face</strong>" in body
    assert "Helped Before" not in body


def test_no_note_when_everyone_chosen_was_given_to(auth_client, user):
    helped = factories.ContactFactory(owner=user)
    factories.InteractionFactory(owner=user, gave="An article", contacts=[helped])
    body = auth_client.get(NOTE, {"contacts": [helped.pk], "asked": "Advice"}).content.decode()
    assert "Networking is give and take" not in body


def test_the_note_never_names_another_users_contact(auth_client, other_user, user):
    theirs = factories.ContactFactory(owner=other_user, full_name="Not Yours")
    body = auth_client.get(NOTE, {"contacts": [theirs.pk], "asked": "x"}).content.decode()
    assert "Not Yours" not in body
    assert never_given(user=user, contact_ids=[theirs.pk]) == []


def test_the_form_opened_for_a_contact_shows_the_note_without_javascript(auth_client, user):
    fresh = factories.ContactFactory(owner=user, full_name="Fresh Face")
    body = auth_client.get(f"/interactions/new/?contact={fresh.pk}").content.decode()
    assert "You have not yet given <strong>Fresh Face</strong> anything" in body


@pytest.mark.parametrize("chosen", [1, 5, 40])
def test_the_note_costs_a_fixed_number_of_queries(
    auth_client, user, django_assert_num_queries, chosen
):
    contacts = [factories.ContactFactory(owner=user) for _ in range(chosen)]
    auth_client.get(NOTE, {"contacts": [contacts[0].pk]})
    # Session, user, its settings row and the never-given contacts: the same for any number.
    with django_assert_num_queries(4):
        auth_client.get(NOTE, {"contacts": [c.pk for c in contacts], "asked": "x"})
