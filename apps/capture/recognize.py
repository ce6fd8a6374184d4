"""What a captured page is: a person's profile, a job posting, or any other link."""

import re
from dataclasses import dataclass

from apps.capture.pages import MAX_DESCRIPTION, Page, clean_text, clean_url, find_type
from apps.contacts.normalize import profile_field
from apps.core.choices import Channel

_COUNT_PREFIX = re.compile(r"^\(\d+\+?\)\s*")
_LINKEDIN_SUFFIX = re.compile(r"\s*[|–—-]\s*LinkedIn\s*$", re.IGNORECASE)
_SEPARATOR = re.compile(r"\s+[-–—|]\s+")


_SITE_SUFFIX = re.compile(
    r"\s*(?:[|/•·–—-]\s*|\bon\s+)(?:X|Twitter|Facebook|Instagram)\b.*$", re.IGNORECASE
)
_HANDLE = re.compile(r"\s*\(@[\w.]+\)\s*")
CHANNELS = {
    "linkedin_url": Channel.LINKEDIN,
    "twitter_handle": Channel.TWITTER,
    "facebook_url": Channel.FACEBOOK,
    "instagram_handle": Channel.INSTAGRAM,
}


@dataclass
class Profile:
    full_name: str
    field: str  # the contact field holding this profile: linkedin_url, twitter_handle, …
    value: str  # its stored, normalized form
    title: str = ""
    company: str = ""
    location: str = ""

    @property
    def channel(self) -> str:
        return CHANNELS[self.field]

    @property
    def channel_label(self) -> str:
        return Channel(self.channel).label


@dataclass
class Posting:
    title: str
    company: str = ""
    location: str = ""
    url: str = ""
    description: str = ""


def split_linkedin_title(title: str) -> tuple[str, str, str]:
    """(name, headline, company) from a profile page's title: "Jane Doe - Staff Engineer -
    Acme | LinkedIn", "(3) Jane Doe | LinkedIn", "Jane Doe – Designer at Acme | LinkedIn"."""
    text = _LINKEDIN_SUFFIX.sub("", _COUNT_PREFIX.sub("", clean_text(title)))
    parts = [part.strip() for part in _SEPARATOR.split(text) if part.strip()]
    if not parts:
        return "", "", ""
    name, rest = parts[0], parts[1:]
    headline, company = "", ""
    if len(rest) >= 2:
        headline, company = rest[0], rest[1]
    elif rest:
        at = re.split(r"\s+(?:at|@)\s+", rest[0], maxsplit=1)
        headline, company = (at[0], at[1]) if len(at) == 2 else ("", rest[0])
    return name, headline, company


def _person_from_jsonld(page: Page) -> dict:
    person = find_type(page, "person") or {}
    works_for = person.get("worksFor")
    if isinstance(works_for, list):
        works_for = works_for[0] if works_for else None
    address = person.get("address")
    return {
        "name": clean_text(person.get("name")),
        "title": clean_text(person.get("jobTitle")),
        "company": clean_text(works_for),
        "location": clean_text(address.get("addressLocality") if isinstance(address, dict) else ""),
    }


def split_social_title(title: str) -> str:
    """The name in "Jane Doe (@jane) / X", "Jane Doe (@jane.doe) • Instagram photos and videos",
    "(2) Jane Doe | Facebook"."""
    text = _SITE_SUFFIX.sub("", _COUNT_PREFIX.sub("", clean_text(title)))
    return _HANDLE.sub(" ", text).strip()


def _profile_of(page: Page) -> tuple[str, str] | None:
    # A saved copy or a paste keeps the profile's own address in its meta tags.
    for candidate in (page.url, page.meta.get("og:url"), page.meta.get("canonical")):
        found = profile_field(candidate or "")
        if found:
            return found
    return None


def profile_from(page: Page) -> Profile | None:
    """A person's profile on LinkedIn, X, Facebook or Instagram, or None."""
    found = _profile_of(page)
    if found is None:
        return None
    field, value = found
    if field == "linkedin_url":
        name, headline, company = split_linkedin_title(page.title)
    else:
        name, headline, company = split_social_title(page.title), "", ""
    person = _person_from_jsonld(page)
    full_name = person["name"] or name
    if not full_name:
        return None
    return Profile(
        full_name=full_name[:200],
        field=field,
        value=value,
        title=(person["title"] or headline)[:200],
        company=(person["company"] or company)[:200],
        location=person["location"][:200],
    )


def _place(location) -> str:
    """jobLocation: a Place, a list of them, a PostalAddress, or text."""
    if isinstance(location, list):
        return "; ".join(filter(None, (_place(item) for item in location[:5])))
    if isinstance(location, dict):
        address = location.get("address", location)
        if isinstance(address, dict):
            parts = [
                address.get(key) for key in ("addressLocality", "addressRegion", "addressCountry")
            ]
            return ", ".join(clean_text(part) for part in parts if part and clean_text(part))
        return clean_text(address)
    return clean_text(location)


def posting_from(page: Page) -> Posting | None:
    """A schema.org JobPosting in the page's JSON-LD, or None."""
    node = find_type(page, "jobposting")
    if node is None:
        return None
    title = clean_text(node.get("title") or node.get("name"), 200)
    if not title:
        return None
    location = _place(node.get("jobLocation"))
    if not location and str(node.get("jobLocationType", "")).upper().endswith("TELECOMMUTE"):
        location = "Remote"
    return Posting(
        title=title,
        company=clean_text(node.get("hiringOrganization"), 200),
        location=location[:200],
        url=clean_url(node.get("url")) or page.url,
        description=clean_text(node.get("description"), MAX_DESCRIPTION),
    )
