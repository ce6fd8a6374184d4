"""Opportunities are picked by search on the follow-up form and the quick log: never a <select>
of every opportunity; without JavaScript "Find" redraws the form with the matches and saves
nothing; with htmx the pick view answers with the owner's matches only."""

import re

import pytest

from apps.interactions.models import Interaction
from apps.opportunities.models import Stage
from apps.reminders.models import FollowUp
from tests import factories
from tests.contacts.conftest import post

pytestmark = pytest.mark.django_db


@pytest.fixture
def pipeline(user):
    """Thirty open opportunities and a closed one: a page listing them all would show each."""
    organization = factories.OrganizationFactory(owner=user, name="Globex")
    rows = [
        factories.OpportunityFactory(
            owner=user, role_title=f"Pipeline Role {i:02d}", organization=organization
        )
        for i in range(30)
    ]
    closed = factories.OpportunityFactory(
        owner=user, role_title="Pipeline Role Closed", stage=Stage.REJECTED
    )
    return rows, closed


def _radios(html, name):
    return re.findall(rf'<input type="radio" name="{name}" value="(\d*)"', html)


@pytest.mark.parametrize("url", ["/followups/new/", "/interactions/new/"])
def test_no_form_lists_every_opportunity(auth_client, pipeline, url):
    body = auth_client.get(url).content.decode()
    assert "Pipeline Role" not in body
    assert 'name="opportunity_q"' in body  # the search box instead


def test_the_pick_view_finds_open_opportunities_by_role_or_organization(
    auth_client, pipeline, other_user
):
    factories.OpportunityFactory(owner=other_user, role_title="Pipeline Role Theirs")
    found = auth_client.get(
        "/pick/", {"kind": "open_opportunity", "name": "opportunity", "opportunity_q": "pipeline"}
    ).content.decode()
    assert len(_radios(found, "opportunity")) == 11  # ten matches and "None"
    assert "Theirs" not in found and "Closed" not in found
    by_company = auth_client.get(
        "/pick/", {"kind": "opportunity", "name": "opportunity", "opportunity_q": "globex"}
    ).content.decode()
    assert "Pipeline Role 00 at Globex" in by_company
    every = auth_client.get(
        "/pick/", {"kind": "opportunity", "name": "opportunity", "opportunity_q": "closed"}
    ).content.decode()
    assert "Pipeline Role Closed" in every  # a follow-up may be about a closed one


def test_a_follow_up_finds_its_opportunity_without_javascript_then_saves(
    auth_client, csrf, user, pipeline
):
    rows, _ = pipeline
    contact = factories.ContactFactory(owner=user)
    token = csrf(auth_client, "/followups/new/")
    typed = {"contact": contact.pk, "due_date": "2030-05-04", "due_time": "09:00", "note": "Ask"}
    response = post(
        auth_client,
        "/followups/new/",
        {**typed, "opportunity_q": "role 07", "find": "opportunity"},
        token,
    )
    body = response.content.decode()
    assert response.status_code == 200 and not FollowUp.objects.exists()
    assert _radios(body, "opportunity") == [str(rows[7].pk), ""]
    assert 'value="Ask"' in body  # what was typed is kept
    response = post(auth_client, "/followups/new/", {**typed, "opportunity": rows[7].pk}, token)
    assert response.status_code == 302
    assert FollowUp.objects.get().opportunity == rows[7]
    edit = auth_client.get(f"/followups/{FollowUp.objects.get().pk}/").content.decode()
    assert f'value="{rows[7].pk}" checked' in edit


def test_the_quick_log_links_an_open_opportunity_found_by_search(
    auth_client, csrf, user, pipeline, other_user
):
    rows, closed = pipeline
    contact = factories.ContactFactory(owner=user)
    token = csrf(auth_client, "/interactions/new/")
    typed = {
        "summary": "Coffee",
        "kind": "meeting",
        "channel": "linkedin",
        "direction": "outbound",
        "contacts": [contact.pk],
    }
    response = post(
        auth_client,
        "/interactions/new/",
        {**typed, "opportunity_q": "pipeline role", "find": "opportunity"},
        token,
    )
    body = response.content.decode()
    assert response.status_code == 200 and not Interaction.objects.exists()
    assert str(closed.pk) not in _radios(body, "opportunity")
    for refused in (closed, factories.OpportunityFactory(owner=other_user)):
        response = post(
            auth_client, "/interactions/new/", {**typed, "opportunity": refused.pk}, token
        )
        assert response.status_code == 400
        assert "That opportunity is not one of yours." in response.content.decode()
    response = post(auth_client, "/interactions/new/", {**typed, "opportunity": rows[3].pk}, token)
    assert response.status_code == 302
    assert Interaction.objects.get().opportunity == rows[3]
