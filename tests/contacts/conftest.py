import pytest

from tests import factories


@pytest.fixture
def contact(user):
    return factories.ContactFactory(owner=user, full_name="Ada Lovelace")


@pytest.fixture
def foreign_contact(other_user):
    return factories.ContactFactory(owner=other_user, full_name="Someone Else")


def post(client, url, data=None, csrf_token=None, **extra):
    """POST the way a browser does: with the CSRF token the page gave us."""
    payload = dict(data or {})
    payload["csrfmiddlewaretoken"] = csrf_token
    return client.post(url, payload, **extra)
