"""Every operation the OpenAPI schema lists, walked with each kind of token: a read token reads
everything and changes nothing, a revoked token or none opens nothing. The list comes from the
schema, so a new endpoint is covered the day it is added."""

import pytest
from django.apps import apps

from apps.api import services
from apps.api.models import ApiToken, Scope
from apps.api.v1 import api as ninja_api
from apps.core.models import OwnedModel
from tests.api.conftest import ApiClient, assert_problem

SCHEMA = ninja_api.get_openapi_schema()
OPERATIONS = sorted(
    (method, path.removeprefix("/api/v1"))
    for path, operations in SCHEMA["paths"].items()
    for method in operations
)
READS = [(method, path) for method, path in OPERATIONS if method == "get"]
WRITES = [(method, path) for method, path in OPERATIONS if method != "get"]
# A body each write accepts in shape, so only the token can be what refuses it.
BODY = {
    "full_name": "Ann",
    "name": "Acme",
    "summary": "Coffee",
    "new_contacts": ["Ann"],
    "role_title": "Engineer",
    "stage": "applied",
    "archived": True,
    "days": 1,
}


def _url(path, ids):
    return path.format(**ids)


def _call(client, method, path, ids):
    url = _url(path, ids)
    if method == "get":
        return client.get(url)
    return client._call(method, url, {**BODY, "contact_id": ids["contact_id"]})


def _owned_rows():
    """Every owned row with its values, tokens aside (using one records when it was used)."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_models()
        if issubclass(model, OwnedModel) and model is not ApiToken
    }


@pytest.fixture
def unthrottled(settings):
    settings.API_RATE_LIMIT = "100000/min"


def test_the_walk_covers_every_resource():
    assert len(READS) >= 10 and len(WRITES) >= 9
    assert {path.split("/")[1] for _, path in OPERATIONS} == {
        "contacts",
        "organizations",
        "conversations",
        "followups",
        "opportunities",
    }
    assert ("patch", "/contacts/{contact_id}") in WRITES


def test_a_read_token_reads_every_resource_and_writes_nothing(user, ids, token_for, unthrottled):
    api = ApiClient(token_for(user, Scope.READ)[1])
    for method, path in READS:
        response = _call(api, method, path, ids)
        assert response.status_code == 200, (path, response.content)
    before = _owned_rows()
    for method, path in WRITES:
        body = assert_problem(_call(api, method, path, ids), 403)
        assert "read-only" in body["detail"], (method, path)
    assert _owned_rows() == before


def test_a_write_token_may_call_every_write(user, ids, token_for, unthrottled):
    """The other side of the read token's 403s: the same calls are allowed with write scope
    (answered by the endpoint itself, not refused for the token)."""
    api = ApiClient(token_for(user, Scope.WRITE)[1])
    for method, path in WRITES:
        response = _call(api, method, path, ids)
        assert response.status_code not in (401, 403), (method, path, response.content)


def test_a_revoked_token_or_none_opens_no_operation(user, ids, token_for, unthrottled):
    token, secret = token_for(user, Scope.WRITE)
    services.revoke_token(owner=user, token=token)
    before = _owned_rows()
    for client in (ApiClient(secret), ApiClient(None)):
        for method, path in OPERATIONS:
            response = _call(client, method, path, ids)
            assert_problem(response, 401)
            assert response["WWW-Authenticate"].startswith("Bearer"), (method, path)
    assert _owned_rows() == before
