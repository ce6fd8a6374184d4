"""A real SMTP server (aiosmtpd) in the test process, on a free port, keeping what arrives."""

import asyncio
import logging
import socket
import threading
from collections import Counter
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

# aiosmtpd logs every SMTP command at INFO: thousands of lines per test.
logging.getLogger("mail.log").setLevel(logging.WARNING)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.messages: list[EmailMessage] = []
        self.peers: Counter = Counter()  # messages per client (address, port): per connection
        self.block_at: int | None = None  # hold the Nth message in DATA until released
        self.blocked = threading.Event()
        self.release = asyncio.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        with self.lock:
            number = len(self.messages) + 1
        if self.block_at is not None and number == self.block_at:
            self.blocked.set()
            await self.release.wait()
            transport = getattr(server, "transport", None)
            if transport is None or transport.is_closing():
                # The client died before we answered: a real server discards the message, so a
                # message that was never acknowledged is never counted.
                return "421 Connection lost"
        message = message_from_bytes(
            envelope.original_content or envelope.content, policy=policy.default
        )
        with self.lock:
            self.messages.append(message)
            self.peers[session.peer] += 1
        return "250 OK"

    @property
    def connections(self) -> int:
        """How many client connections the accepted messages came over."""
        with self.lock:
            return len(self.peers)

    @property
    def count(self) -> int:
        with self.lock:
            return len(self.messages)

    def delivery_ids(self) -> Counter:
        with self.lock:
            return Counter(m["X-Followthrough-Delivery"] for m in self.messages)


class Sink:
    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.recorder = Recorder()
        self.controller = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}?timeout=5"

    def start(self):
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        self.recorder.release = asyncio.Event()
        return self

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def release(self):
        loop = self.controller.loop
        loop.call_soon_threadsafe(self.recorder.release.set)


@contextmanager
def smtp_sink(port: int | None = None):
    sink = Sink(port).start()
    try:
        yield sink
    finally:
        sink.stop()
