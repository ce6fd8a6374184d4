"""Readiness checks used by /healthz, each bounded in time.

A broker or database that is stopped refuses quickly, but one that is frozen (SIGSTOP, a hung
host) accepts the connection and never answers: every probe has its own socket timeouts, and
`readiness` answers within `DEADLINE_SECONDS` whatever a probe does. A probe still stuck past the
deadline is left to finish in the background and reused by the next checks instead of starting
another, so a frozen service never ties up more than one thread per probe.
"""

import os
import threading
import time
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout

import redis
from django.conf import settings
from django.db import connection
from django.db.utils import load_backend
from kombu import Connection
from redis.backoff import NoBackoff
from redis.retry import Retry

PROBE_TIMEOUT_SECONDS = 1.0
DEADLINE_SECONDS = 2.5

_pending: dict[str, Future] = {}
_lock = threading.Lock()


def database_ok(timeout: float = PROBE_TIMEOUT_SECONDS, settings_dict=None) -> tuple[bool, str]:
    """`SELECT 1` on a fresh connection (a pooled one could hide a database that went away),
    with connect and statement timeouts of its own. `settings_dict` defaults to the site's."""
    settings_dict = dict(settings_dict or connection.settings_dict)
    wrapper_class = load_backend(settings_dict["ENGINE"]).DatabaseWrapper
    options = dict(settings_dict.get("OPTIONS") or {})
    if wrapper_class.vendor == "postgresql":
        options["connect_timeout"] = max(1, round(timeout))
        options["options"] = f"-c statement_timeout={int(timeout * 1000)}"
    elif wrapper_class.vendor == "sqlite":
        options["timeout"] = timeout
    settings_dict["OPTIONS"] = options
    # Same alias (backends look their settings up by it), its own unregistered connection.
    probe = wrapper_class(settings_dict, alias=connection.alias)
    try:
        with probe.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
        return False, type(exc).__name__
    finally:
        probe.close()
    return True, "ok"


def broker_ok(timeout: float = PROBE_TIMEOUT_SECONDS) -> tuple[bool, str]:
    url = settings.CELERY_BROKER_URL
    if url.startswith("filesystem://"):
        # The filesystem transport never fails to "connect": check its folder instead.
        folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"]
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError as exc:
            return False, type(exc).__name__
        return (True, "ok") if os.access(folder, os.W_OK) else (False, "folder not writable")
    try:
        if url.startswith(("redis://", "rediss://")):
            # Read timeout as well as connect timeout, and no retries: a frozen Redis accepts
            # the connection and then never answers.
            client = redis.Redis.from_url(
                url,
                socket_connect_timeout=timeout,
                socket_timeout=timeout,
                retry=Retry(NoBackoff(), 0),
            )
            try:
                client.ping()
            finally:
                client.close()
        else:
            with Connection(url, connect_timeout=timeout) as conn:
                conn.ensure_connection(max_retries=1, timeout=timeout)
    except Exception as exc:  # noqa: BLE001
        return False, type(exc).__name__
    return True, "ok"


def _started(name: str, probe) -> Future:
    """The probe's running check if one is still in flight, otherwise a new one."""
    with _lock:
        future = _pending.get(name)
        if future is None or future.done():
            future = Future()

            def run():
                try:
                    future.set_result(probe())
                except BaseException as exc:  # noqa: BLE001 - reported, never raised
                    future.set_exception(exc)

            # A daemon thread: one stuck on a frozen service must not hold up a worker's exit.
            threading.Thread(target=run, name=f"healthz-{name}", daemon=True).start()
            _pending[name] = future
    return future


def readiness(deadline: float = DEADLINE_SECONDS) -> dict[str, tuple[bool, str]]:
    """Each probe's (ok, detail), all answered within `deadline` seconds."""
    futures = {
        "database": _started("database", database_ok),
        "broker": _started("broker", broker_ok),
    }
    end = time.monotonic() + deadline
    results = {}
    for name, future in futures.items():
        try:
            results[name] = future.result(timeout=max(0.0, end - time.monotonic()))
        except FutureTimeout:
            results[name] = (False, "timeout")
        except Exception as exc:  # noqa: BLE001
            results[name] = (False, type(exc).__name__)
    return results
