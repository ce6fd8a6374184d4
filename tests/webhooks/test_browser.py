"""The page's main path in Chromium at 1280×800 and 390×844: add an endpoint, copy its secret,
send a test event that a real receiver gets signed, see it delivered; axe finds nothing serious
and nothing scrolls sideways."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from apps.webhooks import signing
from apps.webhooks.models import Endpoint
from tests.support.a11y import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": (1280, 800), "phone": (390, 844)}


@pytest.mark.parametrize("size", SIZES)
def test_add_an_endpoint_and_send_it_a_test_event(
    logged_in_page, live_server, receiver, allow_private, size
):
    width, height = SIZES[size]
    page = logged_in_page
    page.set_viewport_size({"width": width, "height": height})
    page.goto(live_server.url + "/settings/")
    page.get_by_role("link", name="Webhooks").click()
    expect(page.get_by_role("heading", name="Webhooks", exact=True)).to_be_visible()

    # A bad address: the message is beside the field and the choices stay as they were.
    page.get_by_label("Address (URL)").fill("ftp://example.com/in")
    page.get_by_label("A follow-up is marked done").uncheck()
    page.get_by_role("button", name="Add endpoint").click()
    expect(page.get_by_text("Use an http:// or https:// address.")).to_be_visible()
    expect(page.get_by_label("Address (URL)")).to_have_value("ftp://example.com/in")
    expect(page.get_by_label("A follow-up is marked done")).not_to_be_checked()

    page.get_by_label("Address (URL)").fill(receiver.url)
    page.get_by_role("button", name="Add endpoint").click()
    endpoint = Endpoint.objects.get(owner=page.user)
    assert endpoint.events == ["conversation.logged", "opportunity.stage_changed"]
    card = page.locator(f"#endpoint-{endpoint.pk}")
    expect(card.get_by_text("Active")).to_be_visible()
    card.get_by_text("Signing secret").click()
    expect(card.locator(f"#secret-{endpoint.pk}")).to_have_text(endpoint.secret)

    card.get_by_role("button", name="Send test event").click()
    expect(page.get_by_role("status").first).to_contain_text("A test event is on its way")
    (request,) = receiver.wait_for(1, timeout=10)
    assert signing.verify(endpoint.secret, request.body, request.headers[signing.HEADER])
    page.reload()
    expect(page.locator(f"#endpoint-{endpoint.pk} .list li").first).to_contain_text("Delivered")

    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    folder = Path(os.environ.get("SCREENSHOT_DIR") or settings.VAR_DIR / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    card.get_by_text("Signing secret").click()  # open it for the picture
    page.screenshot(path=folder / f"webhooks-{size}.png", full_page=True)

    page.once("dialog", lambda dialog: dialog.accept())  # deleting asks first
    card.get_by_role("button", name=f"Delete the endpoint {receiver.url}").click()
    expect(page.get_by_text("No endpoints yet")).to_be_visible()
    assert not Endpoint.objects.exists()
