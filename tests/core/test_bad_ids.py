"""Ids in query strings that are not plain ASCII numbers answer 404 or are ignored, never 500."""

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


@pytest.mark.parametrize("value", ["%C2%B2", "abc", "-1", "1.5"])
@pytest.mark.parametrize("url", URLS)
def test_a_malformed_id_never_breaks_the_page(auth_client, url, value):
    response = auth_client.get(url.format(v=value))
    assert response.status_code in (200, 404)
