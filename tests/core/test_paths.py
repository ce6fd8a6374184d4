"""{% path %} gives exactly what reverse() gives, for every route it can serve."""

import pytest
from django.core import signing
from django.template import Context, Template
from django.urls import URLPattern, URLResolver, get_resolver, reverse, set_script_prefix

from apps.core.paths import path_to, path_with_token


def _named_routes(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_routes(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            groups = entry.pattern.regex.groups  # a regex route's groups have no converter
            yield f"{namespace}{entry.name}", entry.pattern.converters, groups


def _routes(kind):
    found = []
    for name, converters, groups in _named_routes(get_resolver().url_patterns):
        types = [type(c).__name__ for c in converters.values()]
        if kind == "id" and types == ["IntConverter"] and groups == 1:
            found.append(name)
        if kind == "token" and types == ["StringConverter"] and groups == 1:
            found.append(name)
        if kind == "plain" and not groups:
            found.append(name)
    return found


@pytest.mark.parametrize("name", _routes("id"))
def test_every_route_with_one_id_matches_reverse(name):
    for pk in (1, 42, 1234567):
        assert path_to(name, pk) == reverse(name, args=[pk])


@pytest.mark.parametrize("name", _routes("plain"))
def test_every_route_without_arguments_matches_reverse(name):
    assert path_to(name) == reverse(name)


@pytest.mark.parametrize("name", _routes("token"))
def test_every_route_with_one_token_matches_reverse(name):
    for payload in ({"u": 1}, {"a": "done", "f": 4000, "n": "ab" * 12}):
        for compress in (False, True):
            token = signing.dumps(payload, salt="test", compress=compress)
            assert path_with_token(name, token) == reverse(name, args=[token])


def test_the_token_routes_cover_the_email_links():
    assert {"reminders:action", "reminders:unsubscribe"} <= set(_routes("token"))


@pytest.mark.parametrize("token", ["a/b", "a b", "a?b=c", "", "ü"])
def test_a_token_reverse_would_quote_is_refused(token):
    with pytest.raises(ValueError):
        path_with_token("reminders:action", token)


def test_the_id_routes_cover_todays_rows():
    # The routes Today's rows link: if one stops taking a single id, this names it.
    assert {
        "contacts:detail",
        "opportunities:detail",
        "reminders:followup_done",
        "reminders:followup_snooze",
        "reminders:followup_cancel",
        "reminders:followup_edit",
    } <= set(_routes("id"))


def test_a_route_with_two_ids_is_refused():
    name = next(
        name
        for name, converters, _ in _named_routes(get_resolver().url_patterns)
        if len(converters) == 2
    )
    with pytest.raises(ValueError, match="exactly one id"):
        path_to(name, 1)


def test_an_id_that_is_not_a_number_is_refused():
    with pytest.raises(ValueError):
        path_to("contacts:detail", "1/../admin")


def test_a_script_prefix_is_followed_per_request():
    try:
        set_script_prefix("/crm/")
        assert (
            path_to("contacts:detail", 7)
            == "/crm/contacts/7/"
            == reverse("contacts:detail", args=[7])
        )
    finally:
        set_script_prefix("/")
    assert path_to("contacts:detail", 7) == "/contacts/7/"


def test_the_template_tag_renders_and_assigns():
    template = Template(
        "{% load paths %}{% path 'contacts:detail' pk %}|"
        "{% path 'reminders:followup_done' pk as done %}{{ done }}|{% path 'interactions:new' %}"
    )
    assert template.render(Context({"pk": 5})) == (
        f"{reverse('contacts:detail', args=[5])}|"
        f"{reverse('reminders:followup_done', args=[5])}|{reverse('interactions:new')}"
    )
