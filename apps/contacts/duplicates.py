"""Suggested duplicates: pairs of the user's contacts that are likely the same person.

Three signs, each cheap to check in one pass over the user's contacts (one query):
the same normalized name at the same organization; the same email local part at a related
domain (jane@acme.com and jane@mail.acme.co.uk); the same handle on another channel (an X handle
that is someone else's Instagram handle or LinkedIn slug). Pairs marked "not the same" are
remembered (NotDuplicate) and never suggested again."""

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from apps.contacts.models import Contact, NotDuplicate
from apps.contacts.normalize import CANONICAL_PREFIX, FACEBOOK_PREFIX

MAX_PAIRS = 100
# A group larger than this (twenty "Alex" at one company) is a common name, not a duplicate.
MAX_GROUP = 12
# Second-level labels under which the name sits one label further left (acme.co.uk).
_SECOND_LEVEL = {"co", "com", "org", "net", "ac", "gov", "edu", "ne", "or"}
_FREE_MAIL = {"gmail", "googlemail", "outlook", "hotmail", "yahoo", "icloud", "proton", "gmx"}


@dataclass
class Pair:
    first: Contact
    second: Contact
    reasons: list[str] = field(default_factory=list)


def normalized_name(name: str) -> str:
    """ "  Jörg  Müller " and "jorg muller" are the same name."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(letters.casefold().replace(".", " ").split())


def domain_core(domain: str) -> str:
    """The organization's name in a mail domain: mail.acme.com, acme.co.uk, acme.de → acme."""
    labels = [label for label in domain.lower().strip(".").split(".") if label]
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        labels = labels[:-2]
    elif len(labels) >= 2:
        labels = labels[:-1]
    return labels[-1] if labels else ""


def _handles(contact) -> dict[str, str]:
    found = {}
    if contact.linkedin_url.startswith(CANONICAL_PREFIX):
        found["LinkedIn"] = contact.linkedin_url[len(CANONICAL_PREFIX) :]
    if contact.facebook_url.startswith(FACEBOOK_PREFIX) and "?" not in contact.facebook_url:
        found["Facebook"] = contact.facebook_url[len(FACEBOOK_PREFIX) :]
    if contact.twitter_handle:
        found["X"] = contact.twitter_handle
    if contact.instagram_handle:
        found["Instagram"] = contact.instagram_handle
    return {channel: handle.lower() for channel, handle in found.items() if len(handle) >= 3}


def suggested_pairs(*, user, limit: int = MAX_PAIRS) -> list[Pair]:
    contacts = list(
        Contact.objects.owned_by(user)
        .select_related("organization")
        .only(
            "full_name", "email", "organization", "organization__name", "linkedin_url",
            "twitter_handle", "facebook_url", "instagram_handle", "archived", "title",
            "created_at",
        )
        .order_by("pk")
    )  # fmt: skip
    refused = set(NotDuplicate.objects.owned_by(user).values_list("first_id", "second_id"))
    pairs: dict[tuple[int, int], Pair] = {}

    def suggest(group, reason):
        if len(group) > MAX_GROUP:
            return
        for a, b in combinations(sorted(group, key=lambda c: c.pk), 2):
            if (a.pk, b.pk) in refused:
                continue
            pair = pairs.setdefault((a.pk, b.pk), Pair(a, b))
            if reason not in pair.reasons:
                pair.reasons.append(reason)

    by_name = defaultdict(list)
    by_local = defaultdict(list)
    by_handle = defaultdict(list)
    for contact in contacts:
        if contact.organization_id:
            by_name[(normalized_name(contact.full_name), contact.organization_id)].append(contact)
        local, _, domain = contact.email.lower().partition("@")
        if local and domain:
            by_local[local.split("+")[0]].append((contact, domain))
        for channel, handle in _handles(contact).items():
            by_handle[handle].append((contact, channel))

    for (_, _), group in by_name.items():
        if len(group) > 1:
            suggest(group, f"Same name at {group[0].organization.name}")
    for local, entries in by_local.items():
        by_core = defaultdict(list)
        for contact, domain in entries:
            core = domain_core(domain)
            if core and core not in _FREE_MAIL:
                by_core[core].append((contact, domain))
        for core, group in by_core.items():
            if len({domain for _, domain in group}) > 1:
                suggest([c for c, _ in group], f"{local}@ at related {core} domains")
    for handle, entries in by_handle.items():
        if len({channel for _, channel in entries}) > 1:
            channels = sorted({channel for _, channel in entries})
            contacts_here = list({c.pk: c for c, _ in entries}.values())
            if len(contacts_here) > 1:
                suggest(contacts_here, f"“{handle}” on {' and '.join(channels)}")
    return sorted(pairs.values(), key=lambda p: (-len(p.reasons), p.first.pk, p.second.pk))[:limit]
