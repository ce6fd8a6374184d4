"""Outreach templates: the starters, the merge fields and their safe filling.

User-written text is never given to Django's template engine (that would let a template read
settings or call methods): a single pass replaces `{field}` for the known field names only, so
a value that itself contains `{company}` stays as typed and anything else in braces is left
alone."""

import re
from dataclasses import dataclass
from urllib.parse import quote

from apps.interactions.models import TemplatePurpose

FIELDS = {
    "first_name": "their first name",
    "company": "the company (the opportunity's, else theirs)",
    "introducer": "who introduced you",
    "role": "the role you are after",
    "posting_link": "the link to the posting",
    "what_i_gave": "what you last gave them",
}
FIELD_PATTERN = re.compile(r"\{(" + "|".join(FIELDS) + r")\}")

STARTERS = [
    {
        "name": "Introduction request",
        "purpose": TemplatePurpose.INTRO_REQUEST,
        "subject": "Could you introduce me to someone at {company}?",
        "body": (
            "Hi {first_name},\n\n"
            "I hope you are well. I am exploring a move to {company} and would value a "
            "15-minute chat with someone on the team. Would you be comfortable introducing me? "
            "I am happy to send a short blurb you can forward.\n\n"
            "Thank you either way,"
        ),
        "asks": "An introduction at {company}",
        "gives": "",
        "asks_referral": False,
        "follow_up_days": 5,
    },
    {
        "name": "Referral ask",
        "purpose": TemplatePurpose.REFERRAL_ASK,
        "subject": "Referral for the {role} role at {company}?",
        "body": (
            "Hi {first_name},\n\n"
            "Thanks again for our conversation. {company} has opened a {role} role "
            "({posting_link}) that fits what we discussed. Would you be willing to refer me? "
            "I can send my CV and a two-line summary to make it easy.\n\n"
            "Best,"
        ),
        "asks": "A referral for {role}",
        "gives": "",
        "asks_referral": True,
        "follow_up_days": 5,
    },
    {
        "name": "Thank-you after a referral",
        "purpose": TemplatePurpose.THANK_YOU,
        "subject": "Thank you for the referral",
        "body": (
            "Hi {first_name},\n\n"
            "Thank you for referring me for the {role} role at {company}. I will keep you posted "
            "on how it goes, and if there is anything I can do for you, just say.\n\n"
            "Gratefully,"
        ),
        "asks": "",
        "gives": "Thanks and an update",
        "asks_referral": False,
        "follow_up_days": 14,
    },
    {
        "name": "Check-in that offers something",
        "purpose": TemplatePurpose.CHECK_IN,
        "subject": "Thought of you",
        "body": (
            "Hi {first_name},\n\n"
            "I came across something you might find useful given what you are working on at "
            "{company}: {what_i_gave}. No need to reply; I hope it helps.\n\n"
            "Cheers,"
        ),
        "asks": "",
        "gives": "{what_i_gave}",
        "asks_referral": False,
        "follow_up_days": 30,
    },
]


@dataclass
class Filled:
    text: str
    missing: list[str]


def fill(text: str, values: dict) -> Filled:
    """Replace each known `{field}` once. A field without a value becomes `[field]`, visibly,
    and is reported as missing."""
    missing = []

    def replace(match):
        name = match.group(1)
        value = " ".join(str(values.get(name) or "").split())
        if not value:
            if name not in missing:
                missing.append(name)
            return f"[{name}]"
        return value

    return Filled(FIELD_PATTERN.sub(replace, text or ""), missing)


def merge_values(*, contact, opportunity=None, last_gave: str = "") -> dict:
    organization = (opportunity.organization if opportunity else None) or contact.organization
    return {
        "first_name": (contact.full_name.split() or [""])[0],
        "company": organization.name if organization else "",
        "introducer": contact.introduced_by.full_name if contact.introduced_by_id else "",
        "role": opportunity.role_title if opportunity else "",
        "posting_link": opportunity.posting_url if opportunity else "",
        "what_i_gave": last_gave,
    }


def mailto(*, email: str, subject: str, body: str) -> str:
    # Every character outside the unreserved set is percent-encoded: no header injection.
    address = quote(email or "", safe="@")
    return f"mailto:{address}?subject={quote(subject, safe='')}&body={quote(body, safe='')}"
