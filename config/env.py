"""The environment, read with django-environ, and the EMAIL_URL → Django 6.1 mailer mapping."""

import os
from collections.abc import Mapping

import environ
from django.core.exceptions import ImproperlyConfigured


def read_environment(variables: Mapping[str, str] = os.environ) -> environ.Env:
    """An `environ.Env` over `variables` in which an empty variable counts as unset (compose
    passes `${NAME:-}` through as "") and every value is literal."""
    env = environ.Env()
    # django-environ takes a leading "$" for a reference to another variable, and Django's
    # generated keys may start with one: escape every "$", which escape_proxy turns back.
    env.escape_proxy = True
    env.ENVIRON = {name: value.replace("$", r"\$") for name, value in variables.items() if value}
    return env


# Our schemes, as django-environ spells them. Its "smtps" means STARTTLS; ours means implicit
# TLS on port 465, which it calls "smtp+ssl".
EMAIL_SCHEMES = {
    "file": "filemail",
    "smtp": "smtp",
    "smtp+tls": "smtp+tls",
    "smtps": "smtp+ssl",
    "console": "consolemail",
    "locmem": "memorymail",
    "dummy": "dummymail",
}
SMTP_PORTS = {"smtp": 25, "smtp+tls": 587, "smtps": 465}


def mailer_from_url(url: str) -> dict:
    """Build a Django 6.1 `MAILERS` entry from a URL.

    file:///path          messages written as files (the embedded default)
    smtp://user:pass@host:port   plain SMTP; smtp+tls:// for STARTTLS, smtps:// for implicit TLS
    console://, locmem://, dummy://
    A `timeout` query parameter sets the SMTP timeout in seconds (default 10).
    """
    scheme, _, rest = url.partition("://")
    scheme = scheme.lower()
    if scheme not in EMAIL_SCHEMES:
        known = ", ".join(f"{name}://" for name in EMAIL_SCHEMES)
        known = " or ".join(known.rsplit(", ", 1))
        raise ImproperlyConfigured(f"EMAIL_URL has an unsupported scheme: {scheme!r} (use {known})")
    config = environ.Env.email_url_config(f"{EMAIL_SCHEMES[scheme]}://{rest}")
    mailer = {"BACKEND": config["EMAIL_BACKEND"]}
    if scheme == "file":
        # django-environ drops the path's leading "/" (right for a database name, not here).
        path = config["EMAIL_FILE_PATH"]
        mailer["OPTIONS"] = {"file_path": f"/{path}" if path else "var/mail"}
    elif scheme in SMTP_PORTS:
        options = {
            "host": config["EMAIL_HOST"] or "localhost",
            "port": config["EMAIL_PORT"] or SMTP_PORTS[scheme],
            "use_tls": bool(config.get("EMAIL_USE_TLS")),
            "use_ssl": bool(config.get("EMAIL_USE_SSL")),
            "timeout": float(config.get("OPTIONS", {}).get("TIMEOUT", 10)),
        }
        if config["EMAIL_HOST_USER"]:
            options["username"] = config["EMAIL_HOST_USER"]
            options["password"] = config["EMAIL_HOST_PASSWORD"] or ""
        mailer["OPTIONS"] = options
    return mailer
