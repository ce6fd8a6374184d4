"""/healthz answers 503 within 3 s when the broker or the database is stopped or frozen.

A frozen service (SIGSTOP) is the hard case: the kernel still accepts the connection, and only a
read timeout notices that nothing answers.
"""

import socket
import threading
import time
from contextlib import contextmanager
from functools import partial

import pytest
from django.db import connection
from django.test import Client

from apps.core import health
from tests.support.redis_server import private_redis

pytestmark = pytest.mark.django_db
LIMIT = 3.5  # 3 s promised, with room for a loaded machine


def timed_healthz():
    started = time.monotonic()
    response = Client().get("/healthz")
    return response, time.monotonic() - started


def test_broker_up_then_frozen_then_thawed_then_stopped(settings, tmp_path):
    with private_redis(tmp_path) as server:
        settings.CELERY_BROKER_URL = server.url()
        response, _ = timed_healthz()
        assert response.status_code == 200, response.json()

        server.freeze()
        try:
            # Several checks in a row (as a load balancer sends them): each answers in time.
            for _ in range(3):
                response, elapsed = timed_healthz()
                assert response.status_code == 503
                assert response.json()["broker"] in {"TimeoutError", "timeout"}
                assert elapsed < LIMIT
        finally:
            server.thaw()
        deadline = time.monotonic() + 5
        while (response := timed_healthz()[0]).status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert response.status_code == 200

        server.stop()
        response, elapsed = timed_healthz()
        assert response.status_code == 503
        assert response.json()["broker"] == "ConnectionError"
        assert elapsed < LIMIT


@contextmanager
def silent_listener():
    """A port that accepts connections and never says a word: a frozen PostgreSQL, as seen by a
    client (the kernel completes the handshake for a stopped process)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    accepted = []
    stop = threading.Event()

    def accept():
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(sock.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield sock.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        for conn in accepted:
            conn.close()
        sock.close()


def postgres_settings(port: int) -> dict:
    return {
        **connection.settings_dict,
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "followthrough",
        "USER": "postgres",
        "HOST": "127.0.0.1",
        "PORT": port,
        "OPTIONS": {},
    }


def test_a_frozen_database_answers_503_in_time(monkeypatch):
    with silent_listener() as port:
        started = time.monotonic()
        assert health.database_ok(settings_dict=postgres_settings(port))[0] is False
        assert time.monotonic() - started < LIMIT
        monkeypatch.setattr(
            health,
            "database_ok",
            partial(health.database_ok, settings_dict=postgres_settings(port)),
        )
        response, elapsed = timed_healthz()
    assert response.status_code == 503
    assert response.json()["database"] in {"OperationalError", "timeout"}
    assert elapsed < LIMIT


def test_a_stopped_database_answers_503_at_once():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    started = time.monotonic()
    assert health.database_ok(settings_dict=postgres_settings(port)) == (False, "OperationalError")
    assert time.monotonic() - started < LIMIT


def test_a_probe_stuck_past_the_deadline_is_reused_not_piled_up(monkeypatch):
    release = threading.Event()
    calls = []

    def stuck():
        calls.append(1)
        release.wait(10)
        return True, "ok"

    monkeypatch.setattr(health, "database_ok", stuck)
    try:
        for _ in range(3):
            results = health.readiness(deadline=0.2)
            assert results["database"] == (False, "timeout")
        assert len(calls) == 1  # one thread waits on the frozen service, not one per check
    finally:
        release.set()
