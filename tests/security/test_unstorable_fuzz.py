"""Characters no database stores, sent to every URL and every form: 0 server errors.

Every route of the product (the admin's login included) is requested with its path filled in
for one user's own objects; each gets query parameters, and each form found on its page gets
every field, holding NUL bytes, other control characters and lone surrogates. Runs on whichever
database the suite runs on (SQLite, and PostgreSQL in CI's second leg).
"""

import re
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.portability.importing import jobs
from tests import factories
from tests.portability.conftest import load

BAD = ["\x00", "\x01", "\x08", "\x1b", "\x7f", "\x85", "\ud800", "\udfff", "\ufffe", "\u202e"]
bad_text = st.builds(
    lambda head, bad, tail: head + bad + tail,
    st.text(max_size=4),
    st.sampled_from(BAD),
    st.text(max_size=4),
)
FIELD_NAME = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"")
SKIP_FIELDS = {"csrfmiddlewaretoken"}


def _routes(patterns, prefix=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route


ROUTES = sorted(
    route
    for route in _routes(get_resolver().url_patterns)
    if not route.startswith("admin/") or route == "admin/login/"
)


def _encode(value: str) -> str:
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def _query(pairs) -> str:
    return "&".join(f"{_encode(k)}={_encode(v)}" for k, v in pairs)


@pytest.fixture
def world(db):
    user = factories.UserFactory()
    contact = factories.ContactFactory(owner=user)
    tag = factories.TagFactory(owner=user)
    contact.tags.add(tag)
    person = factories.OpportunityContactFactory(owner=user, opportunity__owner=user)
    ids = {
        "followups": factories.FollowUpFactory(owner=user, contact=contact).pk,
        "contacts": contact.pk,
        "organizations": contact.organization.pk,
        "interactions": factories.InteractionFactory(owner=user).pk,
        "opportunities": person.opportunity.pk,
        "import": jobs.create_import_job(
            owner=user, data=load("google_contacts.csv"), filename="g.csv", queue=False
        ).pk,
        "outbox": 1,
        "tag_pk": tag.pk,
        "person_pk": person.pk,
    }
    return user, ids


def concrete(route: str, ids: dict) -> str:
    first = route.split("/", 1)[0]
    path = route.replace("<int:pk>", str(ids.get(first, 1)))
    path = path.replace("<int:tag_pk>", str(ids["tag_pk"])).replace(
        "<int:person_pk>", str(ids["person_pk"])
    )
    path = re.sub(r"<str:\w+>", "not-a-token", path)
    path = re.sub(r"\^?([^(]*)\(\?P<\w+>[^)]*\)([^(]*)", r"\1a1-b2\2", path).replace("$", "")
    return "/" + path.lstrip("^")


@pytest.mark.parametrize("route", ROUTES)
def test_no_server_error_on_any_url_or_form(route, world):
    user, ids = world
    path = concrete(route, ids)
    client = Client()
    client.force_login(user)
    page = client.get(path)
    html = b"" if page.streaming else page.content
    names = sorted(set(FIELD_NAME.findall(html.decode(errors="replace"))) - SKIP_FIELDS)
    names = names or ["q"]

    @settings(
        max_examples=2,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(values=st.lists(bad_text, min_size=len(names), max_size=len(names)), key=bad_text)
    def probe(values, key):
        pairs = [*zip(names, values, strict=True), (key, values[0])]
        got = client.get(f"{path}?{_query(pairs)}")
        assert got.status_code < 500, (path, pairs)
        if got.status_code == 400 and any(c in "".join(values + [key]) for c in "\x00"):
            assert "cannot be saved" in got.content.decode()
        posted = client.post(path, _query(pairs), content_type="application/x-www-form-urlencoded")
        assert posted.status_code < 500, (path, pairs)

    probe()


def test_the_routes_cover_the_product():
    # A guard on the guard: the list above is every route, not an empty or partial one.
    assert {"calendar/<str:token>.ics", "contacts/<int:pk>/edit/", "accounts/login/"} <= set(ROUTES)
    assert len(ROUTES) > 60
