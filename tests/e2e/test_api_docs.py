"""The API's readable docs in Chromium: everything they load comes from this server, the
Content-Security-Policy lets them run (no violation), and they list the API's operations."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_docs_render_from_this_server_alone(page, live_server):
    requests, violations, errors = [], [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_default_timeout(10_000)

    page.goto(f"{live_server.url}/api/v1/docs")
    # Swagger UI has fetched the schema and drawn every resource with its operations.
    for tag in ("contacts", "organizations", "conversations", "follow-ups", "opportunities"):
        expect(page.locator(f"#operations-tag-{tag}")).to_be_visible()
    expect(page.get_by_text("/api/v1/contacts/{contact_id}/archive")).to_be_visible()
    page.locator("#operations-tag-contacts").click()  # folding works: the script runs
    expect(page.get_by_text("/api/v1/contacts/{contact_id}/archive")).to_be_hidden()
    page.wait_for_load_state("networkidle")

    assert f"{live_server.url}/api/v1/openapi.json" in requests
    foreign = [url for url in requests if not url.startswith((live_server.url, "data:", "blob:"))]
    assert foreign == []
    assert violations == [] and errors == []
