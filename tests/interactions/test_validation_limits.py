import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_overlong_notes_get_a_message_and_keep_the_input(auth_client, user, csrf):
    contact = factories.ContactFactory(owner=user)
    token = csrf(auth_client, "/interactions/new/")
    response = auth_client.post(
        "/interactions/new/",
        {
            "contacts": [contact.pk],
            "summary": "Coffee",
            "notes": "n" * 20_001,
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 400
    assert "at most 20000 characters" in response.content.decode()
    assert "Coffee" in response.content.decode()
    assert not contact.interactions.exists()
