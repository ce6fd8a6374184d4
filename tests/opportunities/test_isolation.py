"""Every opportunities URL answers 404 for another user's ids, whatever the method."""

import pytest
from django.urls import URLPattern
from django.utils import timezone

from apps.opportunities import urls
from apps.opportunities.models import InterviewRound, Opportunity, StageChange

pytestmark = pytest.mark.django_db

ID_PATTERNS = [
    p for p in urls.urlpatterns if isinstance(p, URLPattern) and "<int:" in str(p.pattern)
]


@pytest.fixture
def theirs(other_user, make_opportunity):
    from tests.factories import ContactFactory

    contact = ContactFactory(owner=other_user)
    opportunity = make_opportunity(
        other_user, role_title="Their secret role", people=[(contact, "referrer")]
    )
    InterviewRound.objects.create(
        owner=other_user, opportunity=opportunity, title="Their interview", starts_at=timezone.now()
    )
    return opportunity


def url_for(pattern, opportunity):
    kwargs = {"pk": opportunity.pk}
    if "person_pk" in str(pattern.pattern):
        kwargs["person_pk"] = opportunity.people.get().pk
    interview = opportunity.interview_rounds.first()
    return "/" + str(pattern.pattern).replace("<int:pk>", str(kwargs["pk"])).replace(
        "<int:person_pk>", str(kwargs.get("person_pk", ""))
    ).replace("<int:interview_pk>", str(interview.pk if interview else ""))


def test_every_url_with_an_id_is_covered():
    names = {p.name for p in ID_PATTERNS}
    assert names == {
        "detail",
        "edit",
        "delete",
        "move",
        "person_add",
        "person_remove",
        "interview_add",
        "interview_edit",
        "interview_delete",
    }


@pytest.mark.parametrize("pattern", ID_PATTERNS, ids=lambda p: p.name)
def test_another_users_opportunity_is_not_found(pattern, auth_client, csrf, theirs):
    url = url_for(pattern, theirs)
    assert auth_client.get(url).status_code in (404, 405)
    token = csrf(auth_client)
    data = {
        "stage": "offer",
        "role_title": "Hijacked",
        "contact": "",
        "role": "referrer",
        "source_channel": "other",
        "csrfmiddlewaretoken": token,
    }
    assert auth_client.post(url, data).status_code == 404
    assert auth_client.post(url, data, HTTP_HX_REQUEST="true").status_code == 404
    theirs.refresh_from_db()
    assert (theirs.role_title, theirs.stage) == ("Their secret role", "identified")
    assert theirs.people.count() == 1
    assert StageChange.objects.filter(opportunity=theirs).count() == 1
    assert list(theirs.interview_rounds.values_list("title", flat=True)) == ["Their interview"]


def test_their_person_cannot_be_removed_through_my_opportunity(
    auth_client, csrf, user, make_opportunity, theirs
):
    mine = make_opportunity(user)
    person = theirs.people.get()
    response = auth_client.post(
        f"/opportunities/{mine.pk}/people/{person.pk}/remove/",
        {"csrfmiddlewaretoken": csrf(auth_client)},
    )
    assert response.status_code == 404
    assert theirs.people.exists()


@pytest.mark.parametrize("url", ["/opportunities/", "/opportunities/list/"])
def test_their_opportunities_never_show_in_my_pages(url, auth_client, theirs):
    assert "Their secret role" not in auth_client.get(url).content.decode()


def test_their_opportunity_is_still_theirs(theirs, other_user):
    assert Opportunity.objects.owned_by(other_user).get() == theirs
