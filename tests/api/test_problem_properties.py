"""Whatever a client sends, the API answers with a saved record or a problem document, never a
server error. Bodies are drawn from the OpenAPI schema's own field names with values of any type."""

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from apps.api.v1 import api as ninja_api

SCHEMA = ninja_api.get_openapi_schema()
ANY_VALUE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63)
    | st.floats(allow_nan=False)
    | st.text(max_size=400),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=2)
    ),
    max_leaves=6,
)


def _body_fields(path: str) -> list[str]:
    request = SCHEMA["paths"][path]["post"]["requestBody"]["content"]["application/json"]
    ref = request["schema"]["$ref"].rsplit("/", 1)[-1]
    return sorted(SCHEMA["components"]["schemas"][ref]["properties"])


def bodies(path):
    return st.dictionaries(st.sampled_from(_body_fields(path)), ANY_VALUE, max_size=8)


def _answered_well(response):
    if response.status_code in (200, 201):
        return
    assert 400 <= response.status_code < 500, response.content
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == response.status_code
    assert isinstance(problem["detail"], str) and problem["detail"]
    for error in problem.get("errors", []):
        assert isinstance(error["detail"], str)


@pytest.fixture
def unthrottled(settings):
    # Every example is a request; a 429 would hide what the endpoint itself answers.
    settings.API_RATE_LIMIT = "100000/min"


PROPERTY = hypothesis_settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.parametrize(
    "path", ["/api/v1/contacts", "/api/v1/conversations", "/api/v1/opportunities"]
)
@PROPERTY
@given(data=st.data())
def test_any_body_gets_a_record_or_a_problem(api, unthrottled, path, data):
    body = data.draw(bodies(path))
    _answered_well(api.post(path.removeprefix("/api/v1"), body))
