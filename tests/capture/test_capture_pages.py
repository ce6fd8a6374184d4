import socket
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from apps.contacts.models import Contact
from apps.opportunities.models import Opportunity
from tests import factories

PAGES = Path(__file__).parent / "pages"
pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(client_for, user):
    client = client_for(user)
    client.csrf = client.get(reverse("capture:start")).context["csrf_token"]
    return client


def capture(client, **data):
    return client.post(reverse("capture:start"), {**data, "csrfmiddlewaretoken": client.csrf})


def test_the_page_offers_a_bookmarklet_for_this_site(browser):
    html = browser.get(reverse("capture:start")).content.decode()
    assert 'href="javascript:' in html
    assert "http://testserver/capture/#" in html


def test_a_linkedin_profile_prefills_a_new_contact_and_saving_opens_the_quick_log(browser, user):
    response = capture(browser, source=(PAGES / "linkedin_profile.html").read_text())
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["full_name"] == "Jane Doe"
    assert form.initial["linkedin_url"] == "https://www.linkedin.com/in/jane-doe-4711"
    assert not Contact.objects.exists()  # a preview writes nothing

    saved = browser.post(
        reverse("capture:save_contact"),
        {
            "full_name": "Jane Doe",
            "title": "Staff Engineer",
            "organization_name": "Acme Robotics",
            "linkedin_url": form.initial["linkedin_url"],
            "channel": "linkedin",
            "warmth": "cold",
            "csrfmiddlewaretoken": browser.csrf,
        },
    )
    contact = Contact.objects.get(owner=user)
    assert contact.organization.name == "Acme Robotics"
    assert saved.status_code == 302
    target = urlsplit(saved["Location"])
    assert target.path == reverse("interactions:new")
    assert parse_qs(target.query)["contact"] == [str(contact.pk)]
    # Once logged, the quick log goes on to the new contact's page.
    assert parse_qs(target.query)["next"] == [contact.get_absolute_url()]


def test_a_known_profile_goes_to_the_existing_contact(browser, user):
    jane = factories.ContactFactory(
        owner=user, full_name="Jane D.", linkedin_url="https://www.linkedin.com/in/jane-doe-4711"
    )
    response = capture(
        browser, url="https://m.linkedin.com/in/Jane-Doe-4711/en", title="(4) Jane Doe | LinkedIn"
    )
    assert response.context["existing"] == jane
    assert f"contact={jane.pk}" in response.context["log_url"]
    assert Contact.objects.count() == 1


def test_a_job_posting_prefills_an_opportunity_with_people_you_know_there(browser, user):
    globex = factories.OrganizationFactory(owner=user, name="globex")
    insider = factories.ContactFactory(owner=user, full_name="Ines Insider", organization=globex)
    factories.ContactFactory(owner=user, full_name="Elsewhere Person")
    response = capture(browser, source=(PAGES / "greenhouse_graph.html").read_text())
    form = response.context["form"]
    assert form.initial["role_title"] == "Senior Backend Engineer"
    assert form.initial["organization"] == globex.pk
    assert form.initial["posting_url"] == "https://boards.greenhouse.example/globex/jobs/4242"
    assert "Berlin" in form.initial["notes"]
    assert response.context["people"] == [insider]
    # Only the people there are listed as possible referrers; the picker can still find anyone.
    referrers = response.content.decode().split('id="possible-referrers"')[1].split("</section>")[0]
    assert "Ines Insider" in referrers and "Elsewhere Person" not in referrers
    assert not Opportunity.objects.exists()

    saved = browser.post(
        reverse("capture:save_opportunity"),
        {
            "role_title": "Senior Backend Engineer",
            "organization": globex.pk,
            "posting_url": form.initial["posting_url"],
            "source_channel": "job_board",
            "stage": "identified",
            "referrer": insider.pk,
            "csrfmiddlewaretoken": browser.csrf,
        },
    )
    opportunity = Opportunity.objects.get(owner=user)
    assert saved.status_code == 302 and saved["Location"] == opportunity.get_absolute_url()
    assert list(opportunity.contacts.all()) == [insider]


def test_a_posting_at_a_new_company_offers_to_create_it(browser, user):
    response = capture(browser, source=(PAGES / "lever_array.html").read_text())
    assert response.context["form"].initial["new_organization"] == "Initech"
    assert response.context["form"].initial["organization"] is None


def test_any_other_page_is_a_quick_log_with_the_link(browser):
    response = capture(browser, url="https://blog.example/post", title="A good read")
    target = urlsplit(response["Location"])
    assert target.path == reverse("interactions:new")
    assert parse_qs(target.query) == {
        "summary": ["A good read"],
        "notes": ["https://blog.example/post"],
    }
    page = browser.get(response["Location"])
    assert page.context["form"].initial["notes"] == "https://blog.example/post"


def test_the_share_target_prefills_with_a_get_and_writes_nothing(browser, user):
    response = browser.get(
        reverse("capture:start"),
        {"title": "Jane Doe | LinkedIn", "text": "Look: https://www.linkedin.com/in/jane-doe"},
    )
    assert response.status_code == 200
    assert (
        response.context["form"].initial["linkedin_url"] == "https://www.linkedin.com/in/jane-doe"
    )
    assert not Contact.objects.exists()


def test_nothing_is_written_without_a_same_site_csrf_token(client_for, user):
    client = client_for(user)
    for name in ("capture:start", "capture:save_contact", "capture:save_opportunity"):
        response = client.post(reverse(name), {"full_name": "Mallory", "role_title": "x"})
        assert response.status_code == 403
    assert not Contact.objects.exists() and not Opportunity.objects.exists()


def test_capture_needs_a_login(client):
    response = client.get(reverse("capture:start"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_hostile_pages_are_shown_as_text(browser):
    response = capture(browser, source=(PAGES / "hostile.html").read_text())
    html = response.content.decode()
    assert "<script>alert" not in html and "onerror=alert" not in html
    assert response.context["form"].initial["posting_url"] == ""


def test_a_huge_paste_gets_a_message(browser):
    response = capture(browser, source="x" * 2_000_001)
    assert response.status_code == 400
    assert "2 MB" in response.content.decode()


def test_an_empty_capture_gets_a_message(browser):
    response = capture(browser)
    assert response.status_code == 400
    assert "Send an address" in response.content.decode()


def test_an_x_profile_prefills_the_handle_or_finds_the_contact(browser, user):
    response = capture(browser, url="https://x.com/Grace_H", title="Grace Hopper (@Grace_H) / X")
    form = response.context["form"]
    assert form.initial["twitter_handle"] == "Grace_H"
    assert form.initial["channel"] == "twitter"
    assert form.initial["full_name"] == "Grace Hopper"
    grace = factories.ContactFactory(owner=user, full_name="Grace", twitter_handle="grace_h")
    again = capture(browser, url="https://twitter.com/GRACE_H?s=20", title="Grace (@GRACE_H) on X")
    assert again.context["existing"] == grace


def test_the_share_sheet_opens_a_preview_of_the_shared_page_and_saves_nothing(browser, user):
    share = browser.get("/manifest.webmanifest").json()["share_target"]
    assert share["method"] == "GET" and share["action"] == reverse("capture:start")
    shared = {
        share["params"]["title"]: "Jane Doe - Staff Engineer - Globex | LinkedIn",
        share["params"]["url"]: "https://www.linkedin.com/in/jane-doe-42/",
    }
    response = browser.get(share["action"], shared)
    assert response.status_code == 200
    assert response.context["form"].initial["full_name"] == "Jane Doe"
    assert not Contact.objects.exists()


def test_the_server_never_fetches_the_captured_address(browser, monkeypatch):
    """Only what the browser sends is read: an address alone, even a posting's, is never
    fetched (so no request to a loopback or private address can be made through capture)."""
    dialled = []

    def refuse(sock, address):
        dialled.append(address)
        raise OSError("capture must not open connections")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    for address in ("http://127.0.0.1:8000/jobs/1", "https://boards.greenhouse.example/jobs/9"):
        response = capture(browser, url=address)
        assert response.status_code == 302
        assert parse_qs(urlsplit(response["Location"]).query)["notes"] == [address]
    assert dialled == []
