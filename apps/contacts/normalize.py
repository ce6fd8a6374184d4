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


# --- X / Twitter, Facebook and Instagram: one canonical form each, like LinkedIn's ------------

X_HOSTS = re.compile(r"^(?:(?:www|mobile|m)\.)?(?:twitter|x)\.com$")
FACEBOOK_HOSTS = re.compile(r"^(?:(?:www|m|mobile|web|business)\.)?(?:facebook|fb)\.com$")
INSTAGRAM_HOSTS = re.compile(r"^(?:www\.)?instagram\.com$")
FACEBOOK_PREFIX = "https://www.facebook.com/"
_X_HANDLE = re.compile(r"^[A-Za-z0-9_]{1,15}$")
_INSTAGRAM_HANDLE = re.compile(r"^[a-z0-9._]{1,30}$")
_FACEBOOK_SLUG = re.compile(r"^[a-z0-9.\-]{3,100}$")
# Paths on those sites that are pages of the site, never a person.
_NOT_PEOPLE = {
    "home", "search", "explore", "i", "intent", "share", "settings", "login", "notifications",
    "messages", "hashtag", "p", "reel", "reels", "stories", "groups", "events", "watch",
    "marketplace", "pages", "photo", "photos", "sharer", "tv", "accounts", "direct",
}  # fmt: skip


def _site_path(value: str, hosts: re.Pattern) -> list[str] | None:
    """The path segments of `value` when it is an address on one of `hosts`, else None."""
    candidate = value if "://" in value else "https://" + value.lstrip("/")
    try:
        parts = urlsplit(candidate)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not hosts.match(host):
        return None
    return [segment for segment in parts.path.split("/") if segment] + (
        [f"?{parts.query}"] if parts.query else []
    )


def normalize_x_handle(value: str) -> str:
    """ "@Jane_Doe", "x.com/Jane_Doe", "https://twitter.com/jane_doe?s=20" → "Jane_Doe" (as
    typed; compared without case). Anything else comes back trimmed, for the form to refuse."""
    text = (value or "").strip()
    if not text:
        return ""
    segments = _site_path(text, X_HOSTS) if "." in text or "/" in text else None
    if segments is not None:
        text = segments[0] if segments and not segments[0].startswith("?") else ""
    text = text.lstrip("@").strip("/")
    return "" if text.lower() in _NOT_PEOPLE else text


def is_x_handle(value: str) -> bool:
    return bool(_X_HANDLE.match(value or ""))


def normalize_instagram_handle(value: str) -> str:
    """ "@Jane.Doe", "instagram.com/jane.doe/" → "jane.doe" (Instagram handles are lowercase)."""
    text = (value or "").strip()
    if not text:
        return ""
    segments = _site_path(text, INSTAGRAM_HOSTS) if "instagram." in text.lower() else None
    if segments is not None:
        text = segments[0] if segments and not segments[0].startswith("?") else ""
    text = text.lstrip("@").strip("/").lower()
    return "" if text in _NOT_PEOPLE else text


def is_instagram_handle(value: str) -> bool:
    return bool(_INSTAGRAM_HANDLE.match(value or ""))


def normalize_facebook_url(value: str) -> str:
    """ "fb.com/Jane.Doe", "https://m.facebook.com/jane.doe?ref=x", "jane.doe" →
    "https://www.facebook.com/jane.doe"; numeric profiles keep their id
    ("https://www.facebook.com/profile.php?id=100012345")."""
    text = (value or "").strip()
    if not text:
        return ""
    if "/" not in text and "facebook." not in text.lower() and "fb." not in text.lower():
        segments = [text]
    else:
        segments = _site_path(text, FACEBOOK_HOSTS)
        if segments is None:
            return text
    if segments and segments[0].lower() == "profile.php":
        match = re.search(r"[?&]id=(\d+)", "".join(segments[1:2]))
        return f"{FACEBOOK_PREFIX}profile.php?id={match.group(1)}" if match else text
    if segments and segments[0].lower() == "people" and len(segments) >= 3:
        segments = [segments[2]]  # /people/Jane-Doe/100012345/
        return f"{FACEBOOK_PREFIX}profile.php?id={segments[0]}" if segments[0].isdigit() else text
    slug = segments[0].lower() if segments and not segments[0].startswith("?") else ""
    if not slug or slug in _NOT_PEOPLE:
        return text
    return FACEBOOK_PREFIX + slug


def is_facebook_url(value: str) -> bool:
    normalized = normalize_facebook_url(value)
    if not normalized.startswith(FACEBOOK_PREFIX):
        return False
    rest = normalized[len(FACEBOOK_PREFIX) :]
    return bool(re.fullmatch(r"profile\.php\?id=\d+", rest) or _FACEBOOK_SLUG.match(rest))


def profile_field(url: str) -> tuple[str, str] | None:
    """Which contact field a profile address belongs to, and its stored form:
    ("linkedin_url" | "twitter_handle" | "facebook_url" | "instagram_handle", value)."""
    if is_linkedin_url(url):
        return "linkedin_url", normalize_linkedin_url(url)
    if _site_path(url or "", X_HOSTS) is not None:
        handle = normalize_x_handle(url)
        return ("twitter_handle", handle) if is_x_handle(handle) else None
    if _site_path(url or "", INSTAGRAM_HOSTS) is not None:
        handle = normalize_instagram_handle(url)
        return ("instagram_handle", handle) if is_instagram_handle(handle) else None
    if _site_path(url or "", FACEBOOK_HOSTS) is not None and is_facebook_url(url):
        return "facebook_url", normalize_facebook_url(url)
    return None
