"""A private redis-server on a free port, for tests that stop, freeze or restart the broker.

The shared Redis on 6379 is never touched: each of these servers lives only for its test.
"""

import os
import shutil
import signal
import socket
import subprocess
import time
from contextlib import contextmanager, suppress

import redis

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    def __init__(self, folder):
        self.folder = folder
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.proc = subprocess.Popen(  # noqa: S603 - the system redis-server, our arguments
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_timeout=0.5, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return
            except redis.RedisError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            with suppress(ProcessLookupError):
                os.kill(self.proc.pid, signal.SIGCONT)
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)

    def freeze(self) -> None:
        os.kill(self.proc.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        os.kill(self.proc.pid, signal.SIGCONT)


@contextmanager
def private_redis(folder):
    server = PrivateRedis(folder)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def celery_broker(url: str):
    """Point this process's Celery app (what `enqueue` publishes with) at `url` for the block."""
    from django.conf import settings

    from config.celery import app

    saved = app.conf.broker_url, app.conf.broker_transport_options
    saved_env = os.environ.get("CELERY_BROKER_URL")

    def point(broker_url, options):
        app.conf.broker_url, app.conf.broker_transport_options = broker_url, options
        # Celery reads CELERY_BROKER_URL from the environment before its own setting, so a run
        # with the variable set (CI's Redis leg) would otherwise keep publishing to that broker.
        os.environ["CELERY_BROKER_URL"] = broker_url
        # Only forget the pools: kombu keeps one per broker URL for the whole process, and
        # closing the old one would break every later publish to it.
        app._pool = None
        app.amqp._producer_pool = None

    point(url, settings.REDIS_TRANSPORT_OPTIONS)
    try:
        yield
    finally:
        point(*saved)
        if saved_env is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved_env
