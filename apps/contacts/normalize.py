"""LinkedIn profile URLs in one canonical form, so the same person is never stored twice.

`linkedin.com/in/Jane-Doe/`, `http://uk.linkedin.com/in/jane-doe?trk=x#top`,
`https://m.linkedin.com/in/jane-doe/en` and `jane-doe` all become
`https://www.linkedin.com/in/jane-doe`.
"""

import re
from urllib.parse import quote, unquote, urlsplit

CANONICAL_PREFIX = "https://www.linkedin.com/in/"
PUB_PREFIX = "https://www.linkedin.com/pub/"

_LINKEDIN_HOST = re.compile(r"^(?:[a-z0-9-]+\.)*linkedin\.com$")
# A bare handle typed on its own: LinkedIn slugs are letters, digits, dashes (and percent-escapes
# or letters from other scripts for non-ASCII names).
_BARE_SLUG = re.compile(r"^[\w%-]{3,100}$")
# Characters kept literally in the stored slug; everything else is percent-encoded again.
_SLUG_SAFE = "-_.~"


def _canonical_slug(raw: str) -> str:
    # Decode first so that "J%C3%B6rg" and "jörg" compare equal, then lowercase and re-encode
    # so the stored value is plain ASCII and stable.
    return quote(unquote(raw).strip().lower(), safe=_SLUG_SAFE)


def normalize_linkedin_url(url: str) -> str:
    """Return the canonical profile URL, "" for blank input, or the trimmed input unchanged when
    it is not a LinkedIn profile address (the form refuses those; see `is_linkedin_url`)."""
    value = (url or "").strip()
    if not value:
        return ""
    if _BARE_SLUG.match(value) and "." not in value:
        return CANONICAL_PREFIX + _canonical_slug(value)
    candidate = value if "://" in value else "https://" + value.lstrip("/")
    try:
        parts = urlsplit(candidate)
        host = (parts.hostname or "").lower()
    except ValueError:
        return value
    if parts.scheme.lower() not in ("http", "https") or not _LINKEDIN_HOST.match(host):
        return value
    segments = [segment for segment in parts.path.split("/") if segment]
    if len(segments) >= 2 and segments[0].lower() == "in":
        # Anything after the slug (a locale like /en, /details/experience) is the same person.
        return CANONICAL_PREFIX + _canonical_slug(segments[1])
    if len(segments) >= 2 and segments[0].lower() == "pub":
        # Older public profiles (/pub/name/1/2/3): same host, lowercased path.
        return PUB_PREFIX + "/".join(_canonical_slug(s) for s in segments[1:])
    return value


def is_linkedin_url(url: str) -> bool:
    """True for a LinkedIn profile address (after normalization)."""
    normalized = normalize_linkedin_url(url)
    return any(
        normalized.startswith(prefix) and len(normalized) > len(prefix)
        for prefix in (CANONICAL_PREFIX, PUB_PREFIX)
    )
