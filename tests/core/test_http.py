"""The shared web plumbing: safe `next` redirects, owned lookups, and how a form error answers."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.http import Http404
from django.test import Client, RequestFactory
from django.urls import reverse

from apps.contacts.models import Contact
from apps.core.http import form_status, is_safe_url, next_url, owned_or_404
from apps.insights.ranges import RangeForm
from tests import factories

rf = RequestFactory()

UNSAFE = [
    "https://evil.example/steal",  # another host
    "//evil.example/steal",  # scheme-relative: the browser keeps the scheme, changes the host
    "///evil.example/steal",
    "javascript:alert(1)",
    "http:///evil.example/",
    " /\\evil.example",
]


@pytest.mark.parametrize("target", UNSAFE)
def test_a_next_that_leaves_the_site_falls_back_to_the_default(target):
    post = rf.post("/followups/1/done/", {"next": target})
    get = rf.get("/interactions/new/", {"next": target})
    assert next_url(post, "reminders:followup_list") == reverse("reminders:followup_list")
    assert next_url(get, "contacts:list") == "/contacts/"
    assert next_url(get) == ""
    assert not is_safe_url(get, target)


def test_plain_http_is_refused_from_an_https_page():
    secure = rf.post("/", {"next": "http://testserver/contacts/"}, secure=True)
    assert next_url(secure, "reminders:today") == "/"
    # The same link from an http page stays on the same host, so it is kept.
    plain = rf.post("/", {"next": "http://testserver/contacts/"})
    assert next_url(plain, "reminders:today") == "http://testserver/contacts/"
    upgraded = rf.post("/", {"next": "https://testserver/contacts/"}, secure=True)
    assert next_url(upgraded) == "https://testserver/contacts/"


def test_a_relative_path_on_the_site_is_followed_post_first():
    request = rf.post("/?next=/outbox/", {"next": "/contacts/?q=ada&page=2"})
    assert next_url(request, "reminders:today") == "/contacts/?q=ada&page=2"
    only_query = rf.post("/?next=/outbox/", {})
    assert next_url(only_query, "reminders:today") == "/outbox/"


@pytest.mark.django_db
def test_the_default_may_be_a_model_with_a_page():
    contact = factories.ContactFactory()
    assert next_url(rf.get("/"), contact) == f"/contacts/{contact.pk}/"


@pytest.mark.django_db
def test_owned_or_404_finds_only_the_users_rows(user, other_user):
    mine = factories.ContactFactory(owner=user)
    theirs = factories.ContactFactory(owner=other_user)
    assert owned_or_404(Contact, user, mine.pk) == mine
    assert owned_or_404(Contact, user, str(mine.pk)) == mine
    with pytest.raises(Http404):
        owned_or_404(Contact, user, theirs.pk)
    # A queryset narrows further but never widens past the owner.
    with pytest.raises(Http404):
        owned_or_404(Contact.objects.filter(pk=theirs.pk), user, theirs.pk)
    assert owned_or_404(Contact.objects.select_related("organization"), user, mine.pk) == mine


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["abc", "-1", "1.5", "²", "", None, " 1"])
def test_a_malformed_id_is_a_404_not_an_error(user, raw):
    factories.ContactFactory(owner=user)
    with pytest.raises(Http404):
        owned_or_404(Contact, user, raw)


@pytest.mark.django_db
def test_an_optional_id_may_be_missing_but_not_malformed(user):
    assert owned_or_404(Contact, user, None, optional=True) is None
    assert owned_or_404(Contact, user, "", optional=True) is None
    with pytest.raises(Http404):
        owned_or_404(Contact, user, "x1", optional=True)


def test_form_status_is_400_only_with_errors():
    assert form_status(RangeForm(None)) == 200
    assert form_status(RangeForm({"range": "30d"})) == 200
    assert form_status(RangeForm({"range": "nonsense"})) == 400
    assert form_status(RangeForm({"range": "30d"}), RangeForm({"range": "x"})) == 400


HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "data", "starts"),
    [
        ("/contacts/new/", {"full_name": "", "warmth": "cold"}, '<form id="contact-form"'),
        ("/organizations/new/", {"name": ""}, '<form id="organization-form"'),
        ("/opportunities/new/", {"role_title": ""}, '<form id="opportunity-form"'),
    ],
)
def test_an_htmx_form_error_is_400_with_only_the_form(client, url, data, starts):
    response = client.post(url, data, **HTMX)
    assert response.status_code == 400
    body = response.content.decode()
    assert body.lstrip().startswith(starts)
    assert "This field is required." in body
    assert "<html" not in body
    # Without htmx the same error is the whole page, also 400.
    page = client.post(url, data)
    assert page.status_code == 400
    assert "<html" in page.content.decode()


@pytest.mark.django_db
def test_an_htmx_bad_range_on_insights_is_400_with_the_report(client):
    response = client.get("/insights/?range=custom&from=2025-03-10&to=2025-03-01", **HTMX)
    assert response.status_code == 400
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="report"')
    assert "The “from” day must be on or before the “to” day." in body


def test_base_html_tells_htmx_to_swap_400s_in_place():
    base = Path(settings.BASE_DIR, "templates", "base.html").read_text()
    config = json.loads(re.search(r'name="htmx-config" content=\'([^\']+)\'', base).group(1))
    rules = config["responseHandling"]
    # htmx takes the first rule whose code (a regular expression) matches the status: for 400
    # that must be a swap into the target, not an error.
    first_400 = next(rule for rule in rules if re.search(rule["code"], "400"))
    assert first_400["swap"] is True
    assert first_400.get("error") is False
