"""One SMTP connection per worker process (and thread), kept open across sends.

Opening a connection per message (TCP, EHLO, maybe STARTTLS and AUTH, then QUIT) costs more
than sending the message itself. The connection stays open between tasks; one idle for a while
is checked with NOOP first (servers drop idle clients), and any error closes it, so the next
send opens a fresh one. A failed send is never resent here: the delivery row's retry path
decides, which keeps "at most once" where it is (see services.deliver).

Backends other than SMTP (files, the test outbox, the console) keep Django's behaviour: each
message through a backend of its own.
"""

import functools
import smtplib
import threading
import time
from contextlib import suppress

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.handler import DEFAULT_MAILER_ALIAS

# Seconds without a send after which the connection is checked with NOOP before reuse.
IDLE_CHECK_SECONDS = 5.0

_local = threading.local()


def send(message: EmailMessage) -> None:
    """Send through the kept connection; raise the backend's error (the connection is closed)."""
    try:
        backend = _backend()
        if backend is None:
            message.send()
        else:
            backend.send_messages([message])
    except BaseException:
        close()
        raise
    _local.used_at = time.monotonic()


def close() -> None:
    backend = getattr(_local, "backend", None)
    _local.backend = None
    if backend is not None:
        with suppress(smtplib.SMTPException, OSError):  # already gone: nothing to tidy
            backend.close()


def _backend() -> SMTPBackend | None:
    config = settings.MAILERS.get(DEFAULT_MAILER_ALIAS)
    backend = getattr(_local, "backend", None)
    if backend is not None and getattr(_local, "config", None) != config:
        close()  # the settings changed (tests override them): start over
        backend = None
    if backend is None:
        backend = mailers[DEFAULT_MAILER_ALIAS]
        if not isinstance(backend, SMTPBackend):
            return None  # message.send(): a backend per message, as Django does
        # Django's backend parses the sender's and each recipient's address anew for every
        # message; the answer depends on the address alone (an invalid one raises, and is
        # not kept), and the sender is the same in every reminder.
        backend.prep_address = functools.lru_cache(maxsize=1024)(backend.prep_address)
        _local.backend, _local.config, _local.used_at = backend, config, time.monotonic()
    elif time.monotonic() - _local.used_at > IDLE_CHECK_SECONDS and not _alive(backend):
        close()
        return _backend()
    # open() is a no-op on an open connection, and send_messages then leaves it open.
    backend.open()
    return backend


def _alive(backend) -> bool:
    if backend.connection is None:
        return True  # nothing open yet: open() connects
    try:
        return backend.connection.noop()[0] == 250
    except (smtplib.SMTPException, OSError):
        return False
