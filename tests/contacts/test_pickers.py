"""Every picker of contacts or organizations searches, then picks: never a <select> of all rows,
and the no-JavaScript path (a "Find" submit) works and saves nothing until the real submit."""

import datetime as dt
import re

import pytest

from apps.contacts.models import Contact
from apps.interactions.models import Interaction
from apps.opportunities.models import OpportunityContact
from apps.opportunities.services import save_interview
from apps.reminders.models import FollowUp
from tests import factories
from tests.contacts.conftest import post

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowd(user):
    """Thirty organizations and contacts: a page listing them all would show every name."""
    return [
        factories.ContactFactory(
            owner=user,
            full_name=f"Crowd Person {i:02d}",
            organization=factories.OrganizationFactory(owner=user, name=f"Crowd Org {i:02d}"),
        )
        for i in range(30)
    ]


def _radios(html, name):
    return re.findall(rf'<input type="radio" name="{name}" value="(\d*)"', html)


@pytest.mark.parametrize(
    "url",
    [
        "/contacts/",
        "/contacts/new/",
        "/opportunities/new/",
        "/opportunities/list/",
        "/followups/new/",
        "/followups/",
        "/interactions/new/",
    ],
)
def test_no_page_lists_every_contact_or_organization(auth_client, crowd, url):
    body = auth_client.get(url).content.decode()
    assert not re.search(r"<option[^>]*>[^<]*Crowd", body)
    # The contacts list shows its first page (00–24); no page carries the whole crowd.
    assert "Crowd Person 29" not in body and "Crowd Org 29" not in body


def test_the_contacts_filter_finds_then_filters_by_organization(auth_client, crowd):
    body = auth_client.get("/contacts/?organization_q=org+0&find=organization").content.decode()
    found = _radios(body, "organization")
    # Ten matches at most (Crowd Org 00–09), plus "Any organization".
    assert len(found) == 11 and found[-1] == ""
    target = crowd[3].organization
    body = auth_client.get(f"/contacts/?organization={target.pk}").content.decode()
    assert "1 contact found" in body
    assert f'value="{target.pk}" checked' in body


def test_the_contacts_filter_finds_then_filters_by_tag(auth_client, user, crowd):
    tags = [factories.TagFactory(owner=user, name=f"crowd tag {i:02d}") for i in range(30)]
    crowd[5].tags.add(tags[12])
    body = auth_client.get("/contacts/").content.decode()
    assert not re.search(r"<option[^>]*>[^<]*crowd tag", body)  # no <select> of every tag
    assert "crowd tag 29" not in body
    body = auth_client.get("/contacts/?tag_q=tag+1&find=tag").content.decode()
    found = _radios(body, "tag")
    # Ten matches at most (crowd tag 10–19), plus "Any tag".
    assert len(found) == 11 and found[-1] == ""
    body = auth_client.get(f"/contacts/?tag={tags[12].pk}").content.decode()
    assert "1 contact found" in body and crowd[5].full_name in body
    assert f'value="{tags[12].pk}" checked' in body


def test_the_pick_endpoint_only_finds_my_rows(auth_client, user, other_user):
    factories.ContactFactory(owner=user, full_name="Dana Mine")
    factories.ContactFactory(owner=other_user, full_name="Dana Theirs")
    body = auth_client.get(
        "/pick/", {"kind": "contact", "name": "contact", "contact_q": "dana"}
    ).content.decode()
    assert "Dana Mine" in body and "Dana Theirs" not in body
    assert auth_client.get("/pick/", {"kind": "user"}).status_code == 404


def test_the_name_box_suggests_matching_organizations(auth_client, crowd):
    body = auth_client.get(
        "/pick/",
        {
            "kind": "organization",
            "name": "organization_name",
            "as": "datalist",
            "organization_name": "org 1",
        },
    ).content.decode()
    assert body.count("<option") == 10 and "Crowd Org 10" in body


def test_introduced_by_without_javascript_finds_without_saving_then_saves(auth_client, csrf, crowd):
    token = csrf(auth_client, "/contacts/new/")
    typed = {"full_name": "New Person", "channel": "other", "warmth": "cold"}
    response = post(
        auth_client,
        "/contacts/new/",
        {**typed, "introduced_by_q": "person 07", "find": "introduced_by"},
        token,
    )
    body = response.content.decode()
    assert response.status_code == 200 and 'value="New Person"' in body
    assert _radios(body, "introduced_by") == [str(crowd[7].pk), ""]
    assert not Contact.objects.filter(full_name="New Person").exists()
    response = post(auth_client, "/contacts/new/", {**typed, "introduced_by": crowd[7].pk}, token)
    assert response.status_code == 302
    assert Contact.objects.get(full_name="New Person").introduced_by == crowd[7]


def test_a_picker_refuses_another_users_row(auth_client, csrf, user, other_user):
    theirs = factories.ContactFactory(owner=other_user)
    opportunity = factories.OpportunityFactory(owner=user)
    token = csrf(auth_client, "/contacts/")
    response = post(
        auth_client,
        f"/opportunities/{opportunity.pk}/people/",
        {"contact": theirs.pk, "role": "referrer"},
        token,
    )
    assert (
        response.status_code == 400 and "Choose one of your contacts." in response.content.decode()
    )
    assert not OpportunityContact.objects.exists()


def test_opportunity_people_find_then_add_without_javascript(auth_client, csrf, user, crowd):
    opportunity = factories.OpportunityFactory(owner=user)
    token = csrf(auth_client, "/contacts/")
    url = f"/opportunities/{opportunity.pk}/people/"
    response = post(
        auth_client, url, {"contact_q": "person 2", "find": "contact", "role": "referrer"}, token
    )
    assert response.status_code == 200
    assert len(_radios(response.content.decode(), "contact")) == 10
    assert not OpportunityContact.objects.exists()
    response = post(auth_client, url, {"contact": crowd[21].pk, "role": "referrer"}, token)
    assert response.status_code == 302
    assert OpportunityContact.objects.get().contact == crowd[21]


def test_a_follow_up_contact_is_found_then_kept_when_the_form_has_errors(auth_client, csrf, crowd):
    token = csrf(auth_client, "/followups/new/")
    response = post(
        auth_client,
        "/followups/new/",
        {"contact": crowd[5].pk, "due_date": "", "due_time": "09:00", "note": "call back"},
        token,
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert f'value="{crowd[5].pk}" checked' in body and "Crowd Person 05" in body
    assert not FollowUp.objects.exists()


def test_quick_log_without_javascript_finds_contacts_to_tick_then_saves(auth_client, csrf, crowd):
    token = csrf(auth_client, "/interactions/new/")
    typed = {"summary": "Coffee", "kind": "meeting", "channel": "linkedin", "direction": "outbound"}
    response = post(
        auth_client,
        "/interactions/new/",
        {**typed, "find_contacts": "person 1", "find": "contacts"},
        token,
    )
    body = response.content.decode()
    assert response.status_code == 200 and not Interaction.objects.exists()
    ticks = re.findall(r'<input type="checkbox" name="contacts" value="(\d+)">', body)
    assert len(ticks) == 8 and str(crowd[10].pk) in ticks
    response = post(auth_client, "/interactions/new/", {**typed, "contacts": [crowd[10].pk]}, token)
    assert response.status_code == 302
    assert list(Interaction.objects.get().contacts.all()) == [crowd[10]]


# --- the multi-picker: interviewers -----------------------------------------------------------


def _checkboxes(html, name):
    """(id, ticked) for each checkbox of the multi-picker `name`."""
    return [
        (int(pk), bool(ticked))
        for pk, ticked in re.findall(
            rf'<input type="checkbox" name="{name}" value="(\d+)"( checked)?', html
        )
    ]


def test_the_opportunity_and_interview_pages_never_list_every_contact(auth_client, user, crowd):
    opportunity = factories.OpportunityFactory(owner=user)
    interview = save_interview(
        owner=user,
        opportunity=opportunity,
        title="Screen",
        starts_at=dt.datetime(2026, 7, 1, 10, tzinfo=dt.UTC),
    )
    for url in (
        opportunity.get_absolute_url(),
        f"/opportunities/{opportunity.pk}/interviews/{interview.pk}/",
    ):
        body = auth_client.get(url).content.decode()
        assert not re.search(r"<option[^>]*>[^<]*Crowd", body), url
        assert "Crowd Person 29" not in body, url
        assert _checkboxes(body, "interviewers") == []


def test_finding_interviewers_without_javascript_keeps_the_ticked_and_saves_nothing(
    auth_client, csrf, user, crowd
):
    opportunity = factories.OpportunityFactory(owner=user)
    token = csrf(auth_client, opportunity.get_absolute_url())
    ticked = crowd[25]
    response = post(
        auth_client,
        f"/opportunities/{opportunity.pk}/interviews/",
        {
            "title": "Panel",
            "date": "2026-07-01",
            "time": "10:00",
            "interviewers": [ticked.pk],
            "interviewers_q": "person 0",
            "find": "interviewers",
        },
        token,
    )
    assert response.status_code == 200
    body = response.content.decode()
    boxes = _checkboxes(body, "interviewers")
    # The ticked one first and still ticked, then ten matches (Crowd Person 00–09), unticked.
    assert boxes[0] == (ticked.pk, True)
    assert [pk for pk, on in boxes[1:] if not on] == [c.pk for c in crowd[:10]]
    assert 'value="Panel"' in body and '<details class="add-interview" open' in body
    assert not opportunity.interview_rounds.exists()
    # Then the real submit saves the ticked ones.
    response = post(
        auth_client,
        f"/opportunities/{opportunity.pk}/interviews/",
        {
            "title": "Panel",
            "date": "2026-07-01",
            "time": "10:00",
            "interviewers": [ticked.pk, crowd[2].pk],
        },
        token,
    )
    assert response.status_code == 302
    interview = opportunity.interview_rounds.get()
    assert set(interview.interviewers.all()) == {ticked, crowd[2]}
    edit = auth_client.get(f"/opportunities/{opportunity.pk}/interviews/{interview.pk}/")
    assert {pk for pk, on in _checkboxes(edit.content.decode(), "interviewers") if on} == {
        ticked.pk,
        crowd[2].pk,
    }


def test_the_htmx_multi_pick_returns_the_ticked_and_the_matches_of_the_owner_only(
    auth_client, user, other_user, crowd
):
    theirs = factories.ContactFactory(owner=other_user, full_name="Crowd Person Theirs")
    response = auth_client.get(
        "/pick/",
        {
            "kind": "contact",
            "name": "interviewers",
            "multi": "1",
            "interviewers": [crowd[20].pk, theirs.pk, "x"],
            "interviewers_q": "crowd",
        },
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    boxes = _checkboxes(body, "interviewers")
    assert boxes[0] == (crowd[20].pk, True)
    assert len(boxes) == 11 and all(not on for _, on in boxes[1:])
    assert "Theirs" not in body


def test_another_users_contact_cannot_be_an_interviewer(auth_client, csrf, user, other_user):
    opportunity = factories.OpportunityFactory(owner=user)
    theirs = factories.ContactFactory(owner=other_user)
    token = csrf(auth_client, opportunity.get_absolute_url())
    response = post(
        auth_client,
        f"/opportunities/{opportunity.pk}/interviews/",
        {"title": "Panel", "date": "2026-07-01", "time": "10:00", "interviewers": [theirs.pk]},
        token,
    )
    assert response.status_code == 400
    assert "Choose interviewers among your contacts" in response.content.decode()
    assert not opportunity.interview_rounds.exists()
