"""Whatever a client sends, the API answers with a record or a problem document, never a server
error. Every operation of the OpenAPI schema is tried: bodies drawn from its own field names,
query strings from its own parameters, ids in the address either the user's own or any number,
with values of any type."""

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from apps.api.v1 import api as ninja_api

SCHEMA = ninja_api.get_openapi_schema()
ANY_VALUE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=400),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=2)
    ),
    max_leaves=6,
)
# What a query string can carry: text, and numbers of any size written out.
QUERY_VALUE = st.text(max_size=40) | st.integers(min_value=-(2**70), max_value=2**70).map(str)


def _operations():
    for path, operations in SCHEMA["paths"].items():
        for method, operation in operations.items():
            yield method, path.removeprefix("/api/v1"), operation


def _body_fields(operation) -> list[str]:
    request = operation.get("requestBody")
    if request is None:
        return []
    ref = request["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    return sorted(SCHEMA["components"]["schemas"][ref]["properties"])


def _parameters(operation, where) -> list[str]:
    return [p["name"] for p in operation.get("parameters", []) if p["in"] == where]


OPERATIONS = sorted(
    (method, path) for method, path, _ in _operations() if method != "get" or "{" in path
)
LISTS = sorted(path for method, path, _ in _operations() if method == "get" and "{" not in path)
BY_KEY = {(method, path): operation for method, path, operation in _operations()}


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


def test_the_walk_covers_every_operation():
    assert len(OPERATIONS) + len(LISTS) == len(BY_KEY) >= 20
    assert ("patch", "/contacts/{contact_id}") in OPERATIONS
    assert "/followups" in LISTS


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
@PROPERTY
@given(data=st.data())
def test_any_body_and_id_get_a_record_or_a_problem(api, ids, unthrottled, method, path, data):
    operation = BY_KEY[(method, path)]
    address = {
        name: data.draw(st.sampled_from([ids[name], 0]) | st.integers(0, 10**25))
        for name in _parameters(operation, "path")
    }
    url = path.format(**address)
    if method == "get":
        _answered_well(api.get(url))
        return
    fields = _body_fields(operation)
    body = (
        data.draw(st.dictionaries(st.sampled_from(fields), ANY_VALUE, max_size=8)) if fields else {}
    )
    _answered_well(api._call(method, url, body))


@pytest.mark.parametrize("path", LISTS)
@PROPERTY
@given(data=st.data())
def test_any_query_string_gets_a_page_or_a_problem(api, ids, unthrottled, path, data):
    names = _parameters(BY_KEY[("get", path)], "query")
    params = data.draw(st.dictionaries(st.sampled_from(names), QUERY_VALUE, max_size=4))
    _answered_well(api.get(path, **params))
