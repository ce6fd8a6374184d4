"""A real HTTP receiver on loopback: it records every request and answers as the test says."""

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from apps.webhooks import services
from apps.webhooks.models import Event


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes


@dataclass
class Receiver:
    url: str
    requests: list = field(default_factory=list)
    # Each request takes the next (status, delay seconds, extra headers); the last one repeats.
    answers: list = field(default_factory=lambda: [(200, 0, {})])

    def answer(self, *answers):
        self.answers = [a if len(a) == 3 else (*a, {}) for a in answers]

    def wait_for(self, count, timeout=60):
        deadline = time.monotonic() + timeout
        while len(self.requests) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.requests


@pytest.fixture
def receiver():
    state = Receiver(url="")
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with lock:
                state.requests.append(Received(self.path, dict(self.headers), body))
                index = min(len(state.requests), len(state.answers)) - 1
                status, delay, headers = state.answers[index]
            time.sleep(delay)
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")
            except OSError:
                pass  # the client gave up waiting (a timeout test)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/followthrough"
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def allow_private(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    return settings


@pytest.fixture
def endpoint_for(allow_private):
    def make(owner, url="http://127.0.0.1:9/hook", events=tuple(Event.values)):
        return services.create_endpoint(owner=owner, url=url, events=list(events))

    return make
