"""Paths of routes reversed once per process, for pages that link every row they list and
reminder emails sent by the thousand.

`reverse()` walks the URL resolver on every call; Today's rows link seven routes each, and
reversing them took about a sixth of the page's time. A route that takes one id is reversed once
with a placeholder id, and each row's path is the placeholder's replaced by its own id: the same
string `reverse()` gives, from the same route, so renaming a route still moves every link.
"""

import re
from functools import cache

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

PLACEHOLDER = "9876543210123"  # digits, so any id converter accepts it

# What a signed token (django.core.signing: URL-safe base64, ":" and ".") is made of: characters
# reverse() leaves as they are, so placing one in the path gives reverse()'s own string.
TOKEN = re.compile(r"[A-Za-z0-9_.:-]+")


@cache
def _split(name: str, script_prefix: str, urlconf) -> tuple[str, str]:
    try:
        path = reverse(name, args=[PLACEHOLDER], urlconf=urlconf)
    except NoReverseMatch:
        path = ""
    if path.count(PLACEHOLDER) != 1:
        raise ValueError(f"{name} does not take exactly one id")
    before, after = path.split(PLACEHOLDER)
    return before, after


@cache
def _plain(name: str, script_prefix: str, urlconf) -> str:
    return reverse(name, urlconf=urlconf)


def path_to(name: str, pk=None) -> str:
    """reverse(name) or reverse(name, args=[pk]) for a route with one id, without the walk."""
    # The script prefix and urlconf are per request or thread: part of the key, never stale.
    prefix, urlconf = get_script_prefix(), get_urlconf()
    if pk is None:
        return _plain(name, prefix, urlconf)
    before, after = _split(name, prefix, urlconf)
    return f"{before}{int(pk)}{after}"


def path_with_token(name: str, token: str) -> str:
    """reverse(name, args=[token]) for a route with one str segment, such as a signed link."""
    if not TOKEN.fullmatch(token):
        raise ValueError("a token is URL-safe base64, ':' and '.' only")
    before, after = _split(name, get_script_prefix(), get_urlconf())
    return f"{before}{token}{after}"
