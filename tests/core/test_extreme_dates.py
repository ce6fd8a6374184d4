"""Dates at the ends of the calendar get a message, never a 500."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/insights/?range=custom&from=9999-12-30&to=9999-12-31",
        "/insights/?range=custom&from=0001-01-01&to=0001-01-02",
        "/followups/?due_to=9999-12-31",
        "/followups/?due_from=0001-01-01",
        "/interactions/?date_to=9999-12-31",
        "/interactions/?date_from=0001-01-01",
    ],
)
def test_a_filter_date_at_the_end_of_the_calendar_is_refused_politely(auth_client, url):
    response = auth_client.get(url)
    assert response.status_code in (200, 400)
    assert "Pick a date between 1900 and 2999." in response.content.decode()


def test_a_follow_up_in_the_year_9999_is_refused_politely(auth_client, user, csrf):
    from tests import factories

    contact = factories.ContactFactory(owner=user)
    token = csrf(auth_client, "/followups/new/")
    response = auth_client.post(
        "/followups/new/",
        {
            "contact": contact.pk,
            "due_date": "9999-12-31",
            "due_time": "23:00",
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 400
    assert "Pick a date between 1900 and 2999." in response.content.decode()
