import re

from django.contrib.staticfiles import finders
from django.test import Client
from openapi_spec_validator import validate

from apps.contacts.models import Contact
from tests.api.conftest import assert_problem


def test_the_openapi_schema_is_valid_and_names_every_resource(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    paths = set(schema["paths"])
    assert {
        "/api/v1/contacts",
        "/api/v1/contacts/{contact_id}",
        "/api/v1/contacts/{contact_id}/archive",
        "/api/v1/organizations",
        "/api/v1/conversations",
        "/api/v1/followups",
        "/api/v1/followups/{follow_up_id}/done",
        "/api/v1/followups/{follow_up_id}/snooze",
        "/api/v1/opportunities",
        "/api/v1/opportunities/{opportunity_id}/stage",
        "/api/v1/opportunities/{opportunity_id}/people",
    } <= paths
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    # Every operation needs a token.
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation.get("security"), (method, path)


def test_the_docs_page_uses_only_packaged_assets(db):
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources, html
    for source in sources:
        assert source.startswith("/static/"), source
        assert finders.find(source.removeprefix("/static/")), source
    assert "cdn" not in html.lower()


def test_an_unknown_id_is_a_problem(api):
    assert_problem(api.get("/contacts/999999"), 404)
    assert_problem(api.get("/opportunities/999999"), 404)
    assert_problem(api.get("/followups/999999"), 404)
    assert_problem(api.get("/conversations/999999"), 404)


def test_an_unknown_address_under_the_api_is_a_problem(api, client):
    body = assert_problem(api.get("/no-such-thing"), 404)
    assert "/api/v1/no-such-thing" in body["detail"]
    # Without a token too, and for any method: API clients always get JSON back.
    assert_problem(client.post("/api/v1/contacts/1/nothing/here"), 404)
    # The pages outside the API keep their HTML 404.
    assert client.get("/no-such-page/").headers["Content-Type"].startswith("text/html")


def test_a_body_that_is_not_json_is_a_problem(api):
    response = api.client.post(
        "/api/v1/contacts", data="{not json", content_type="application/json", headers=api.headers
    )
    assert_problem(response, 400)


def test_a_huge_body_is_refused_without_saving(api):
    response = api.post("/contacts", {"full_name": "x", "notes": "a" * 3_000_000})
    assert_problem(response, 413)
    assert not Contact.objects.exists()


def test_an_id_too_large_for_any_row_is_a_problem(api):
    body = assert_problem(api.post("/conversations", {"summary": "x", "contacts": [2**64]}), 422)
    assert body["errors"][0]["field"] == "contacts"
    assert_problem(api.get(f"/contacts/{2**64}"), 404)
    assert_problem(api.get("/followups", contact=2**64), 422)
    assert not Contact.objects.exists()


def test_a_query_string_no_database_stores_is_a_problem(api):
    body = assert_problem(api.get("/contacts", q="a\x00b"), 400)
    assert "cannot be saved" in body["detail"]


def test_a_method_the_address_does_not_take_is_a_problem_naming_the_allowed_ones(api, ids):
    url = f"/api/v1/contacts/{ids['contact_id']}"
    response = api.client.delete(url, headers=api.headers)
    body = assert_problem(response, 405)
    assert set(response["Allow"].split(", ")) == {"GET", "PATCH"}
    assert "DELETE" in body["detail"]
    assert_problem(api.client.put(url, headers=api.headers), 405)
    assert_problem(api.client.get("/api/v1/conversations", headers=api.headers), 405)
    assert Contact.objects.filter(pk=ids["contact_id"]).exists()
