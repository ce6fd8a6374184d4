import json

import pytest
from django.core.cache import cache
from django.test import Client

from apps.api import services
from apps.api.models import Scope
from tests import factories


class ApiClient:
    """A client that speaks JSON with a bearer token and never sends cookies."""

    def __init__(self, secret: str | None):
        self.client = Client(enforce_csrf_checks=True)
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    def _call(self, method, path, body=None, **params):
        kwargs = {"headers": self.headers}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        elif params:
            kwargs["data"] = params
        return getattr(self.client, method)(f"/api/v1{path}", **kwargs)

    def get(self, path, **params):
        return self._call("get", path, **params)

    def post(self, path, body=None):
        return self._call("post", path, body if body is not None else {})

    def patch(self, path, body):
        return self._call("patch", path, body)


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def token_for(db):
    def make(user, scope=Scope.WRITE):
        return services.create_token(owner=user, name="test", scope=scope)

    return make


@pytest.fixture
def api(user, token_for):
    return ApiClient(token_for(user)[1])


@pytest.fixture
def read_api(user, token_for):
    return ApiClient(token_for(user, Scope.READ)[1])


@pytest.fixture
def other_api(other_user, token_for):
    return ApiClient(token_for(other_user)[1])


@pytest.fixture
def ids(user):
    """One of the user's own records for each id an API address takes, by parameter name."""
    contact = factories.ContactFactory(owner=user)
    opportunity = factories.OpportunityFactory(owner=user, organization=contact.organization)
    return {
        "contact_id": contact.pk,
        "organization_id": contact.organization_id,
        "conversation_id": factories.InteractionFactory(owner=user, contacts=[contact]).pk,
        "follow_up_id": factories.FollowUpFactory(owner=user, contact=contact).pk,
        "opportunity_id": opportunity.pk,
    }


def assert_problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["title"] and body["detail"] and body["type"]
    return body
