"""Signed one-click links for emails: each does one thing, once, for 30 days."""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing

from apps.core.paths import path_with_token
from apps.reminders import conf

SALT = "followthrough.reminders.action"
UNSUBSCRIBE_SALT = "followthrough.reminders.unsubscribe"

ACTIONS = {
    "done": "Mark this follow-up done",
    "snooze3": "Snooze it for 3 days",
    "snooze7": "Snooze it for a week",
}


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def action_url(*, action: str, follow_up) -> str:
    token = signing.dumps(
        {"a": action, "f": follow_up.pk, "u": follow_up.owner_id, "n": secrets.token_hex(12)},
        salt=SALT,
        compress=True,
    )
    return absolute(path_with_token("reminders:action", token))


def unsubscribe_url(*, user, which: str) -> str:
    token = signing.dumps({"u": user.pk, "w": which}, salt=UNSUBSCRIBE_SALT)
    return absolute(path_with_token("reminders:unsubscribe", token))


@dataclass
class Payload:
    action: str
    follow_up_id: int
    user_id: int
    nonce: str


class LinkError(Exception):
    """Why a link does nothing, in words for the person who clicked it."""

    def __init__(self, message: str, status: int = 400, *, heading: str = ""):
        super().__init__(message)
        self.status = status
        # A heading marks a calm answer: the link did its work before, nothing is wrong.
        self.heading = heading


def read_action(token: str) -> Payload:
    try:
        data = signing.loads(token, salt=SALT, max_age=conf.LINK_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise LinkError(
            "This link has expired: email links work for 30 days. Open Followthrough to "
            "update the follow-up.",
            status=410,
        ) from exc
    except signing.BadSignature as exc:
        raise LinkError(
            "This link is not valid: it may have been changed or cut off. Nothing was changed."
        ) from exc
    try:
        payload = Payload(str(data["a"]), int(data["f"]), int(data["u"]), str(data["n"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise LinkError("This link is not valid. Nothing was changed.") from exc
    if payload.action not in ACTIONS:
        raise LinkError("This link is not valid. Nothing was changed.")
    return payload


def read_unsubscribe(token: str) -> tuple[int, str]:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=conf.LINK_MAX_AGE)
        return int(data["u"]), ("weekly" if data.get("w") == "weekly" else "reminders")
    except signing.SignatureExpired as exc:
        raise LinkError(
            "This unsubscribe link has expired. You can turn emails off on the settings page.",
            status=410,
        ) from exc
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise LinkError("This unsubscribe link is not valid. Nothing was changed.") from exc
