"""Outreach templates: merge fields filled safely, starters, editing, and "use" logging the
conversation with its follow-up in one step."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.interactions import outreach, services
from apps.interactions.models import Interaction, OutreachTemplate
from apps.reminders.models import FollowUp
from tests import factories
from tests.conftest import csrf_token

USE_PAGE_QUERIES = 7


def test_fields_are_filled_and_missing_ones_shown_in_brackets():
    filled = outreach.fill(
        "Hi {first_name}, about {role} at {company} ({posting_link})",
        {"first_name": "Ann", "company": "Acme", "role": ""},
    )
    assert filled.text == "Hi Ann, about [role] at Acme ([posting_link])"
    assert filled.missing == ["role", "posting_link"]


@pytest.mark.parametrize(
    "hostile",
    [
        "{{ settings.SECRET_KEY }}",
        "{% load log %}{% get_admin_log 10 as x %}",
        "{first_name.__class__.__mro__}",
        "{0.__globals__}",
        "{company!r}",
        "{unknown_field}",
    ],
)
def test_template_syntax_and_attribute_access_stay_literal_text(hostile):
    assert outreach.fill(hostile, {"first_name": "Ann", "company": "Acme"}).text == hostile


def test_a_value_that_looks_like_a_field_is_not_filled_again():
    filled = outreach.fill("{first_name} at {company}", {"first_name": "{company}", "company": "X"})
    assert filled.text == "{company} at X"


@settings(max_examples=25, deadline=None)
@given(text=st.text(max_size=80), value=st.text(max_size=40))
def test_filling_never_fails_and_never_leaves_a_known_field(text, value):
    filled = outreach.fill(text, {name: value for name in outreach.FIELDS})
    assert isinstance(filled.text, str)
    if value.split():
        assert outreach.FIELD_PATTERN.search(text.replace("{", "").replace("}", "")) is None


def test_mailto_links_encode_everything():
    link = outreach.mailto(email="ann@example.com", subject="Hi & bye\r\nBcc: x", body="a?b=c")
    parts = urlsplit(link)
    assert parts.scheme == "mailto" and parts.path == "ann@example.com"
    query = parse_qs(parts.query)
    assert query["subject"] == ["Hi & bye\r\nBcc: x"] and query["body"] == ["a?b=c"]
    assert "\n" not in link


@pytest.mark.django_db
def test_starters_are_seeded_once_and_listed(auth_client, user):
    body = auth_client.get("/templates/").content.decode()
    auth_client.get("/templates/")
    names = set(OutreachTemplate.objects.owned_by(user).values_list("name", flat=True))
    assert names == {s["name"] for s in outreach.STARTERS}
    assert "Referral ask" in body and "Check-in that offers something" in body


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 5, 4, 12, tzinfo=dt.UTC), tick=False)
def test_using_a_template_logs_the_ask_and_schedules_the_follow_up(client_for, user):
    services.seed_starter_templates(owner=user)
    template = OutreachTemplate.objects.get(owner=user, name="Referral ask")
    acme = factories.OrganizationFactory(owner=user, name="Acme")
    ann = factories.ContactFactory(owner=user, full_name="Ann Lee", email="ann@example.com")
    job = factories.OpportunityFactory(
        owner=user, organization=acme, role_title="SRE", posting_url="https://acme.example/j/1"
    )
    client = client_for(user)
    url = f"/templates/{template.pk}/use/"
    page = client.get(url, {"contact": ann.pk, "opportunity": job.pk}).content.decode()
    assert "Hi Ann," in page and "a SRE role (https://acme.example/j/1)" in page
    assert "mailto:ann@example.com?subject=Referral%20for%20the%20SRE%20role%20at%20Acme" in page
    token = csrf_token(client, url)
    response = client.post(
        url,
        {
            "csrfmiddlewaretoken": token,
            "contact": ann.pk,
            "opportunity": job.pk,
            "channel": "email",
        },
    )
    assert response.status_code == 302
    logged = Interaction.objects.get()
    assert (logged.asked, logged.asked_referral, logged.channel) == (
        "A referral for SRE",
        True,
        "email",
    )
    assert logged.opportunity == job and list(logged.contacts.all()) == [ann]
    follow_up = FollowUp.objects.get()
    assert follow_up.due_at == dt.datetime(2026, 5, 9, 9, tzinfo=dt.UTC)
    assert follow_up.source_interaction == logged


@pytest.mark.django_db
def test_use_refuses_another_users_template_or_contact_and_needs_csrf(client_for, user, other_user):
    services.seed_starter_templates(owner=other_user)
    services.seed_starter_templates(owner=user)
    theirs = OutreachTemplate.objects.filter(owner=other_user).first()
    mine = OutreachTemplate.objects.filter(owner=user).first()
    their_contact = factories.ContactFactory(owner=other_user)
    client = client_for(user)
    assert client.get(f"/templates/{theirs.pk}/use/").status_code == 404
    assert client.get(f"/templates/{theirs.pk}/edit/").status_code == 404
    response = client.get(f"/templates/{mine.pk}/use/", {"contact": their_contact.pk})
    assert "Choose one of your contacts." in response.content.decode()
    assert client.post(f"/templates/{mine.pk}/use/", {"contact": 1}).status_code == 403
    token = csrf_token(client, "/templates/")
    response = client.post(
        f"/templates/{mine.pk}/use/", {"csrfmiddlewaretoken": token, "contact": their_contact.pk}
    )
    assert response.status_code == 400
    assert not Interaction.objects.exists()


@pytest.mark.django_db
def test_a_user_adds_and_edits_a_template_and_names_stay_unique(client_for, user):
    client = client_for(user)
    token = csrf_token(client, "/templates/new/")
    data = {
        "csrfmiddlewaretoken": token,
        "name": "Coffee thanks",
        "purpose": "other",
        "subject": "Thanks, {first_name}",
        "body": "Loved hearing about {company}.",
        "follow_up_days": "7",
    }
    assert client.post("/templates/new/", data).status_code == 302
    again = client.post("/templates/new/", {**data, "name": "coffee THANKS"})
    assert again.status_code == 400
    assert "already have a template with that name" in again.content.decode()
    template = OutreachTemplate.objects.get(owner=user)
    edited = client.post(f"/templates/{template.pk}/edit/", {**data, "body": "New body"})
    assert edited.status_code == 302
    template.refresh_from_db()
    assert template.body == "New body"


@pytest.mark.django_db
@pytest.mark.parametrize("size", [5, 500])
def test_the_use_page_runs_a_fixed_number_of_queries(client_for, user, size):
    services.seed_starter_templates(owner=user)
    template = OutreachTemplate.objects.filter(owner=user).first()
    contacts = factories.ContactFactory.create_batch(size, owner=user)
    factories.InteractionFactory(owner=user, contacts=contacts[:3], gave="An article")
    client = client_for(user)
    url = f"/templates/{template.pk}/use/?contact={contacts[0].pk}"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    # The same count at 5 and 500 contacts: the picked contact is one query, never one per row.
    assert len(queries) == USE_PAGE_QUERIES
    # Search-then-pick: the page names the picked contact, not every other one.
    html = response.content.decode()
    assert contacts[0].full_name in html
    assert not any(other.full_name in html for other in contacts[1:])
    assert "<option" not in html.split('name="channel"')[0]


@pytest.mark.django_db
def test_the_use_page_finds_a_contact_without_javascript(client_for, user, other_user):
    services.seed_starter_templates(owner=user)
    template = OutreachTemplate.objects.filter(owner=user).first()
    dana = factories.ContactFactory(owner=user, full_name="Dana Whitfield")
    factories.ContactFactory(owner=user, full_name="Omar Reyes")
    factories.ContactFactory(owner=other_user, full_name="Dana Other")
    client = client_for(user)
    url = f"/templates/{template.pk}/use/"
    found = client.get(url, {"contact_q": "dana", "find": "contact"}).content.decode()
    assert "Dana Whitfield" in found
    assert "Omar Reyes" not in found and "Dana Other" not in found
    assert "Subject" not in found  # a find only redraws the form
    filled = client.get(url, {"contact": dana.pk}).content.decode()
    assert 'id="use-subject"' in filled
