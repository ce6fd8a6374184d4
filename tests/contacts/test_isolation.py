"""Another user's ids answer 404 everywhere, in paths, query strings and POST bodies; every POST
needs the CSRF token."""

import pytest

from apps.contacts import urls as contact_urls
from apps.contacts.models import Contact, PastEmployment
from tests import factories
from tests.contacts.conftest import post

pytestmark = pytest.mark.django_db

FIELDS = {"full_name": "Hijack", "channel": "other", "warmth": "cold", "name": "Hijack"}


@pytest.fixture
def theirs(other_user):
    contact = factories.ContactFactory(owner=other_user, full_name="Their Contact")
    tag = factories.TagFactory(owner=other_user)
    contact.tags.add(tag)
    second = factories.ContactFactory(owner=other_user, full_name="Their Second")
    past = PastEmployment.objects.create(
        owner=other_user,
        contact=contact,
        organization=factories.OrganizationFactory(owner=other_user),
    )
    return {
        "contact": contact,
        "tag": tag,
        "organization": contact.organization,
        "second": second,
        "past": past,
    }


@pytest.fixture
def mine(user):
    contact = factories.ContactFactory(owner=user, full_name="My Contact")
    tag = factories.TagFactory(owner=user)
    contact.tags.add(tag)
    second = factories.ContactFactory(owner=user, full_name="My Second")
    past = PastEmployment.objects.create(
        owner=user, contact=contact, organization=factories.OrganizationFactory(owner=user)
    )
    return {
        "contact": contact,
        "tag": tag,
        "organization": contact.organization,
        "second": second,
        "past": past,
    }


def _paths(ids):
    c, t, o = ids["contact"].pk, ids["tag"].pk, ids["organization"].pk
    s = ids["second"].pk
    return {
        "duplicate_compare": f"/contacts/duplicates/{c}/{s}/",
        "duplicate_not_same": f"/contacts/duplicates/{c}/{s}/not-same/",
        "detail": f"/contacts/{c}/",
        "edit": f"/contacts/{c}/edit/",
        "archive": f"/contacts/{c}/archive/",
        "delete": f"/contacts/{c}/delete/",
        "merge": f"/contacts/{c}/merge/",
        "tags": f"/contacts/{c}/tags/",
        "tag_remove": f"/contacts/{c}/tags/{t}/remove/",
        "past_add": f"/contacts/{c}/past/",
        "past_remove": f"/contacts/{c}/past/{ids['past'].pk}/remove/",
        "organization_detail": f"/organizations/{o}/",
        "organization_edit": f"/organizations/{o}/edit/",
    }


_PATH_NAMES = [
    "duplicate_compare",
    "duplicate_not_same",
    "detail",
    "edit",
    "archive",
    "delete",
    "merge",
    "tags",
    "tag_remove",
    "past_add",
    "past_remove",
    "organization_detail",
    "organization_edit",
]


@pytest.mark.parametrize("name", _PATH_NAMES)
def test_another_users_ids_answer_404_on_get_and_post(auth_client, csrf, theirs, name):
    url = _paths(theirs)[name]
    token = csrf(auth_client, "/contacts/")
    assert auth_client.get(url).status_code in (404, 405)
    assert post(auth_client, url, FIELDS, token).status_code == 404
    theirs["contact"].refresh_from_db()
    assert theirs["contact"].full_name == "Their Contact"
    assert not theirs["contact"].archived
    assert theirs["contact"].tags.count() == 1


def test_my_tag_on_their_contact_and_their_tag_on_mine_are_both_404(
    auth_client, csrf, mine, theirs
):
    token = csrf(auth_client, "/contacts/")
    mixed = f"/contacts/{mine['contact'].pk}/tags/{theirs['tag'].pk}/remove/"
    assert post(auth_client, mixed, {}, token).status_code == 404
    mixed = f"/contacts/{theirs['contact'].pk}/tags/{mine['tag'].pk}/remove/"
    assert post(auth_client, mixed, {}, token).status_code == 404
    assert mine["contact"].tags.count() == 1
    mixed = f"/contacts/{mine['contact'].pk}/past/{theirs['past'].pk}/remove/"
    assert post(auth_client, mixed, {}, token).status_code == 404
    mixed = f"/contacts/{theirs['contact'].pk}/past/{mine['past'].pk}/remove/"
    assert post(auth_client, mixed, {}, token).status_code == 404
    assert PastEmployment.objects.count() == 2


@pytest.mark.parametrize(
    "query",
    ["tag={tag}", "organization={organization}"],
)
def test_list_filters_with_another_users_ids_answer_404(auth_client, theirs, query):
    url = "/contacts/?" + query.format(tag=theirs["tag"].pk, organization=theirs["organization"].pk)
    assert auth_client.get(url).status_code == 404


def test_new_contact_prefilled_with_another_users_organization_is_404(auth_client, theirs):
    url = f"/contacts/new/?organization={theirs['organization'].pk}"
    assert auth_client.get(url).status_code == 404


def test_another_users_contact_cannot_be_chosen_as_introducer(auth_client, csrf, user, theirs):
    token = csrf(auth_client, "/contacts/new/")
    response = post(
        auth_client,
        "/contacts/new/",
        {**FIELDS, "introduced_by": theirs["contact"].pk},
        token,
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Contact.objects.owned_by(user).exists()


def test_merging_with_another_users_contact_is_404(auth_client, csrf, mine, theirs):
    token = csrf(auth_client, "/contacts/")
    url = f"/contacts/{mine['contact'].pk}/merge/"
    response = post(auth_client, url, {"other": theirs["contact"].pk, "survivor": "this"}, token)
    assert response.status_code == 404
    assert auth_client.get(url + f"?other={theirs['contact'].pk}").status_code == 404
    assert Contact.objects.filter(pk=theirs["contact"].pk).exists()


def test_another_users_contacts_never_appear_in_my_lists(auth_client, theirs):
    assert "Their Contact" not in auth_client.get("/contacts/?q=their").content.decode()
    assert theirs["organization"].name not in auth_client.get("/organizations/").content.decode()
    merge = auth_client.get("/contacts/")
    assert "Their Contact" not in merge.content.decode()


def test_pages_need_a_login(client, mine):
    for url in ["/contacts/", "/organizations/", *_paths(mine).values()]:
        response = client.get(url)
        assert response.status_code in (302, 405), url
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", [*_PATH_NAMES, "create", "organization_create"])
def test_every_post_is_refused_without_the_csrf_token(auth_client, mine, name):
    paths = _paths(mine) | {
        "create": "/contacts/new/",
        "organization_create": "/organizations/new/",
    }
    response = auth_client.post(paths[name], FIELDS)
    assert response.status_code == 403
    mine["contact"].refresh_from_db()
    assert mine["contact"].full_name == "My Contact"
    assert mine["contact"].tags.count() == 1


def test_all_contacts_routes_are_in_the_csrf_and_isolation_lists():
    names = {pattern.name for pattern in contact_urls.urlpatterns}
    assert names - {"list", "organization_list", "pick", "duplicates"} == {
        *_PATH_NAMES,
        "create",
        "organization_create",
    }
