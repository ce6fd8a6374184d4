"""Characters no database stores: PostgreSQL refuses NUL in text, and no database can encode a
lone UTF-16 surrogate. The middleware (query strings and paths), the form mixin (fields) and the
importer (rows) all ask this module, so every database refuses the same input the same way."""

import re

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
MESSAGE = (
    "This contains a character that cannot be saved (a NUL byte or a broken Unicode "
    "character); remove it and try again."
)


def has_unstorable(value) -> bool:
    """True when `value` (a string, or a list/tuple/dict of them, as forms receive) holds one."""
    if isinstance(value, str):
        return UNSTORABLE.search(value) is not None
    if isinstance(value, dict):
        return any(has_unstorable(k) or has_unstorable(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(has_unstorable(item) for item in value)
    return False


def scrub(text: str) -> str:
    """`text` with each unstorable character shown as U+FFFD, for labels and file names that are
    kept to explain a refusal."""
    return UNSTORABLE.sub("\ufffd", text)


def search_term(text, *, limit: int = 100) -> str:
    """What was typed into a search box, ready for a LIKE: runs of whitespace as one space, at
    most `limit` characters, and unstorable characters (which PostgreSQL refuses even in a
    query's parameters) shown as U+FFFD, which matches nothing. Search boxes are only read, never
    saved, so they get no error: a box re-rendered beside an invalid form must not fail."""
    return scrub(" ".join((text or "").split())[:limit])
