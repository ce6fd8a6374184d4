"""The development mailbox: on `make run` every email is written as a file under var/mail/, and
this reads the newest back so that a newcomer can follow a confirmation link at once. Only with
DEBUG on and the file mailer: a production server has no such page."""

import email
import email.policy
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

# Django's file mailer ends every message with a line of 79 dashes.
SEPARATOR = b"\n" + b"-" * 79 + b"\n"
FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    date: str
    text: str


def folder() -> Path | None:
    """Where the mail files are, when this server writes mail to files in DEBUG; else None."""
    mailer = settings.MAILERS.get("default", {})
    if not settings.DEBUG or mailer.get("BACKEND") != FILE_BACKEND:
        return None
    return Path(mailer.get("OPTIONS", {}).get("file_path", "var/mail"))


def newest(limit: int = 20) -> list[Mail]:
    where = folder()
    if where is None or not where.is_dir():
        return []
    found = []
    files = sorted(where.glob("*.log"), key=lambda path: path.stat().st_mtime, reverse=True)
    for path in files:
        for raw in reversed(path.read_bytes().split(SEPARATOR)):
            if raw.strip():
                found.append(parse(raw.strip()))
            if len(found) == limit:
                return found
    return found


def parse(raw: bytes) -> Mail:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    body = message.get_body(preferencelist=("plain",))
    return Mail(
        to=str(message["To"] or ""),
        subject=str(message["Subject"] or ""),
        date=str(message["Date"] or ""),
        text=body.get_content() if body else "",
    )
