from apps.contacts.models import Contact
from apps.reminders.models import FollowUp, FollowUpKind
from tests import factories
from tests.api.conftest import assert_problem


def test_create_read_update_and_archive_a_contact(api, user):
    created = api.post(
        "/contacts",
        {
            "full_name": "  Jane   Doe ",
            "email": "jane@acme.example",
            "organization": "Acme",
            "linkedin_url": "linkedin.com/in/Jane-Doe/",
            "tags": ["design", "mentor"],
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    # The page's form and service did the work: name tidied, URL normalized, org created.
    assert body["full_name"] == "Jane Doe"
    assert body["linkedin_url"] == "https://www.linkedin.com/in/jane-doe"
    assert body["organization"]["name"] == "Acme"
    assert sorted(body["tags"]) == ["design", "mentor"]

    read = api.get(f"/contacts/{body['id']}")
    assert read.status_code == 200 and read.json()["email"] == "jane@acme.example"

    patched = api.patch(f"/contacts/{body['id']}", {"title": "Design lead"})
    assert patched.status_code == 200, patched.content
    # Fields not sent keep their values.
    assert patched.json()["title"] == "Design lead"
    assert patched.json()["email"] == "jane@acme.example"
    assert sorted(patched.json()["tags"]) == ["design", "mentor"]
    assert patched.json()["organization"]["name"] == "Acme"

    archived = api.post(f"/contacts/{body['id']}/archive", {"archived": True})
    assert archived.status_code == 200 and archived.json()["archived"] is True
    assert Contact.objects.get(pk=body["id"]).archived
    assert api.get("/contacts").json()["count"] == 0
    assert api.get("/contacts", archived="archived").json()["count"] == 1


def test_list_searches_and_filters_like_the_page(api, user):
    acme = factories.OrganizationFactory(owner=user, name="Acme")
    factories.ContactFactory(owner=user, full_name="Ada Lovelace", organization=acme)
    factories.ContactFactory(owner=user, full_name="Grace Hopper")
    assert [c["full_name"] for c in api.get("/contacts", q="ada").json()["items"]] == [
        "Ada Lovelace"
    ]
    by_org = api.get("/contacts", organization=acme.pk).json()
    assert by_org["count"] == 1 and by_org["items"][0]["organization"]["id"] == acme.pk


def test_pages_are_bounded(api, user):
    factories.ContactFactory.create_batch(3, owner=user)
    page = api.get("/contacts", limit=2, offset=0).json()
    assert page["count"] == 3 and len(page["items"]) == 2
    assert len(api.get("/contacts", limit=2, offset=2).json()["items"]) == 1
    assert_problem(api.get("/contacts", limit=10_000), 422)
    assert api.get("/contacts", offset=2**63 - 1).json() == {"items": [], "count": 3}
    body = assert_problem(api.get("/contacts", offset=2**63), 422)
    assert body["errors"][0]["field"] == "offset"


def test_bad_input_is_a_problem_naming_the_field_and_saves_nothing(api, user):
    body = assert_problem(
        api.post("/contacts", {"full_name": "Jo", "linkedin_url": "https://example.com/x"}), 422
    )
    assert [e["field"] for e in body["errors"]] == ["linkedin_url"]
    assert "LinkedIn profile address" in body["errors"][0]["detail"]
    body = assert_problem(api.post("/contacts", {"email": "x@y.example"}), 422)
    assert body["errors"][0]["field"] == "full_name"
    body = assert_problem(api.post("/contacts", {"full_name": "Jo", "channel": "pigeon"}), 422)
    assert body["errors"][0]["field"] == "channel"
    assert not Contact.objects.exists()


def test_a_duplicate_is_a_conflict_pointing_at_the_existing_contact(api, user):
    existing = factories.ContactFactory(owner=user, email="ada@example.com")
    body = assert_problem(
        api.post("/contacts", {"full_name": "A", "email": "ADA@example.com"}), 422
    )
    assert body["errors"][0]["field"] == "email"
    assert str(existing.full_name) in body["errors"][0]["detail"]
    assert "<a" not in body["errors"][0]["detail"]


def test_another_users_contact_is_not_found(api, other_user):
    theirs = factories.ContactFactory(owner=other_user)
    assert_problem(api.get(f"/contacts/{theirs.pk}"), 404)
    assert_problem(api.patch(f"/contacts/{theirs.pk}", {"title": "x"}), 404)
    assert_problem(api.post(f"/contacts/{theirs.pk}/archive", {}), 404)
    assert_problem(api.get("/contacts", organization=theirs.organization_id), 404)
    theirs.refresh_from_db()
    assert theirs.title == "" and not theirs.archived


def test_introduced_by_must_be_ones_own_contact(api, other_user):
    theirs = factories.ContactFactory(owner=other_user)
    body = assert_problem(
        api.post("/contacts", {"full_name": "A", "introduced_by_id": theirs.pk}), 422
    )
    assert body["errors"][0]["field"] == "introduced_by_id"


def test_setting_introduced_by_through_the_api_thanks_the_introducer(api, user, other_user):
    bob = factories.ContactFactory(owner=user, full_name="Bob")
    theirs = factories.ContactFactory(owner=other_user, full_name="Theirs")
    refused = api.post("/contacts", {"full_name": "Eve", "introduced_by_id": theirs.pk})
    assert refused.status_code in (404, 422), refused.content
    created = api.post("/contacts", {"full_name": "Ann", "introduced_by_id": bob.pk})
    assert created.status_code == 201, created.content
    api.patch(f"/contacts/{created.json()['id']}", {"title": "Engineer"})
    [thanks] = FollowUp.objects.filter(kind=FollowUpKind.THANK_YOU)
    assert (thanks.owner, thanks.contact, thanks.introduction.full_name) == (user, bob, "Ann")
