"""Main path in Chromium: deleting a webhook endpoint asks first, and only a yes removes it."""

import pytest

from apps.webhooks import services
from apps.webhooks.models import Endpoint, Event

pytestmark = pytest.mark.browser


def test_deleting_an_endpoint_asks_first_and_keeps_it_on_no(logged_in_page, live_server, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    page = logged_in_page
    endpoint = services.create_endpoint(
        owner=page.user, url="http://127.0.0.1:9/hooks/crm", events=Event.values
    )
    page.goto(f"{live_server.url}/settings/webhooks/")
    asked = []

    def answer(dialog, accept):
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    delete = page.get_by_role("button", name="Delete the endpoint http://127.0.0.1:9/hooks/crm")
    page.once("dialog", lambda dialog: answer(dialog, False))
    delete.click()
    assert asked and "http://127.0.0.1:9/hooks/crm" in asked[0] and "history" in asked[0]
    page.wait_for_timeout(300)  # a form sent anyway would have navigated by now
    assert Endpoint.objects.filter(pk=endpoint.pk).exists()

    page.once("dialog", lambda dialog: answer(dialog, True))
    with page.expect_navigation():
        delete.click()
    assert len(asked) == 2
    assert not Endpoint.objects.filter(pk=endpoint.pk).exists()
    assert page.get_by_text("Removed http://127.0.0.1:9/hooks/crm").is_visible()
