"""Upload LinkedIn's Connections.csv in Chromium, watch the progress bar finish, see the contacts.

A real Celery worker runs the import, so the bar really moves while the page polls it.
"""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.support import processes

pytestmark = [pytest.mark.browser, pytest.mark.real_worker, pytest.mark.slow]

ROWS = 3000


def connections_csv(tmp_path):
    lines = [
        "Notes:",
        '"When exporting your connection data, you may notice that some of the email addresses '
        'are missing."',
        "",
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On",
        "Ada,Lovelace,https://www.linkedin.com/in/ada-lovelace,,Analytical Engines,"
        "Mathematician,09 Oct 2024",
    ]
    lines += [
        f"Person,Number{i:05d},https://www.linkedin.com/in/person-{i},,Company {i % 40},"
        f"Engineer,0{1 + i % 9} Mar 2023"
        for i in range(ROWS - 1)
    ]
    path = tmp_path / "Connections.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def test_uploading_linkedin_connections_shows_progress_then_the_contacts(
    logged_in_page, live_server, tmp_path
):
    page = logged_in_page
    page.set_default_timeout(60_000)
    log = settings.VAR_DIR / "logs" / "portability-e2e-worker.log"
    with processes.running(
        processes.worker_command("portability-e2e"), processes.process_env(), log
    ):
        page.goto(f"{live_server.url}/")
        page.get_by_role("link", name="Import").click()
        expect(page).to_have_url(f"{live_server.url}/import/")
        page.locator("input[type=file]").set_input_files(connections_csv(tmp_path))
        page.get_by_role("button", name="Upload and preview").click()

        # The dry run reads every row first: on a busy machine that takes more than expect's 5 s.
        preview = page.get_by_text("Preview: nothing has been saved yet")
        expect(preview).to_be_visible(timeout=60_000)
        expect(page.locator('[data-count="new"]')).to_have_text(str(ROWS))
        expect(page.get_by_role("cell", name="Ada Lovelace")).to_be_visible()

        page.get_by_role("button", name=f"Import {ROWS} contacts").click()
        bar = page.get_by_role("progressbar")
        expect(bar).to_be_visible()
        # A quick worker may claim and finish the job before the first poll: the page can go from
        # "Queued…" straight to the results, so no in-between wording is required here.
        # htmx polls every second, then the finished import replaces the page with its results.
        expect(page.get_by_role("heading", name="Done")).to_be_visible(timeout=90_000)
        expect(page.locator('[data-count="new"]')).to_have_text(str(ROWS))

    page.get_by_role("link", name="See your contacts").click()
    expect(page).to_have_url(re.compile(r"/contacts/"))
    expect(page.get_by_text("Ada Lovelace").first).to_be_visible()
