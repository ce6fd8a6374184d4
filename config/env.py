"""Small readers for environment variables, and the EMAIL_URL → mailer translation."""

import os
from urllib.parse import parse_qs, unquote, urlsplit

TRUE = {"1", "true", "yes", "on"}


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in TRUE


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def mailer_from_url(url: str) -> dict:
    """Build a Django 6.1 `MAILERS` entry from a URL.

    file:///path          messages written as files (the embedded default)
    smtp://user:pass@host:port   plain SMTP; smtp+tls:// for STARTTLS, smtps:// for implicit TLS
    console://, locmem://, dummy://
    A `timeout` query parameter sets the SMTP timeout in seconds (default 10).
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    if scheme == "file":
        return {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": unquote(parts.path) or "var/mail"},
        }
    if scheme in {"smtp", "smtp+tls", "smtps"}:
        options = {
            "host": parts.hostname or "localhost",
            "port": parts.port or {"smtp": 25, "smtp+tls": 587, "smtps": 465}[scheme],
            "use_tls": scheme == "smtp+tls",
            "use_ssl": scheme == "smtps",
            "timeout": float(query.get("timeout", "10")),
        }
        if parts.username:
            options["username"] = unquote(parts.username)
            options["password"] = unquote(parts.password or "")
        return {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}
    backends = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "dummy": "django.core.mail.backends.dummy.EmailBackend",
    }
    if scheme in backends:
        return {"BACKEND": backends[scheme]}
    raise ValueError(f"EMAIL_URL has an unsupported scheme: {scheme!r}")
