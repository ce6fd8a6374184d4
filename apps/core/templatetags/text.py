"""Long addresses that wrap where a reader expects: before @ and dots, after slashes."""

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

BEFORE = re.compile(r"(?<=[^/])(?=[@.?#&])")
AFTER = re.compile(r"(?<=[/_-])(?=[^/])")


@register.filter
def breakable(value) -> str:
    """`value` escaped, with <wbr> at the points an email address or URL may wrap, so a narrow
    card breaks "ada.lovelace@example.org" at the dot or the @, never inside a word."""
    escaped = str(conditional_escape(value or ""))
    # Entities (&amp;) must stay whole: mark break points on the raw text, then escape pieces.
    raw = str(value or "")
    marked = AFTER.sub("\0", BEFORE.sub("\0", raw))
    if "\0" not in marked:
        return mark_safe(escaped)  # noqa: S308 - escaped above
    return mark_safe("<wbr>".join(conditional_escape(part) for part in marked.split("\0")))  # noqa: S308 - each part escaped


@register.filter
def in_fours(value) -> str:
    """A key to type by hand in groups of four ("ABCD EFGH …"); authenticator apps ignore the
    spaces."""
    raw = str(value or "")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))
