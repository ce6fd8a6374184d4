"""Ids that are not plain ASCII numbers, or too large for any row, answer 404, are ignored or
get a form error, never a 500."""

import pytest

pytestmark = pytest.mark.django_db

URLS = [
    "/opportunities/new/?referrer={v}",
    "/insights/opportunities/?contact={v}",
    "/insights/opportunities/?organization={v}",
    "/followups/new/?contact={v}",
    "/interactions/new/?contact={v}",
    "/interactions/contact-suggestions/?q=a&contacts={v}",
    "/contacts/new/?organization={v}",
]


# 2**64 and more: past any 64-bit id (SQLite raised OverflowError on it in an IN list).
TOO_LARGE = "99999999999999999999"


@pytest.mark.parametrize("value", ["%C2%B2", "abc", "-1", "1.5", TOO_LARGE])
@pytest.mark.parametrize("url", URLS)
def test_a_malformed_id_never_breaks_the_page(auth_client, url, value):
    response = auth_client.get(url.format(v=value))
    assert response.status_code in (200, 404)


def test_a_contact_id_too_large_for_any_row_is_a_form_error(auth_client, csrf):
    token = csrf(auth_client)
    response = auth_client.post(
        "/interactions/new/",
        {"contacts": [TOO_LARGE], "summary": "Coffee", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 400
    assert "not in your contacts" in response.content.decode()
