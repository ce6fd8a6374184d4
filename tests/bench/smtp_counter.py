"""A loopback SMTP server for the dispatch benchmark, in its own process: counts what arrives.

    python -m tests.bench.smtp_counter PORT OUTPUT.json

On SIGTERM it writes {"messages": n, "deliveries": {delivery id: copies}} to OUTPUT.json.
"""

import json
import signal
import sys
import threading
from collections import Counter
from email import policy
from email.parser import BytesHeaderParser

from aiosmtpd.controller import Controller


class Counting:
    def __init__(self):
        self.lock = threading.Lock()
        self.messages = 0
        self.deliveries = Counter()
        self.parser = BytesHeaderParser(policy=policy.default)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        # The headers only: counting is all this server does, and parsing each body's MIME
        # parts would make it, not the senders, the bottleneck being measured.
        message = self.parser.parsebytes(envelope.content)
        with self.lock:
            self.messages += 1
            delivery = message["X-Followthrough-Delivery"]
            if delivery:
                self.deliveries[delivery] += 1
        return "250 OK"


def main(port: int, output: str) -> None:
    handler = Counting()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    print("ready", flush=True)
    done.wait()
    controller.stop()
    with open(output, "w") as out:
        json.dump({"messages": handler.messages, "deliveries": handler.deliveries}, out)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
