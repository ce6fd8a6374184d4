"""A loopback SMTP server for the dispatch benchmark, in its own process: counts what arrives.

    python -m tests.bench.smtp_counter PORT OUTPUT.json

On SIGTERM it writes {"messages": n, "deliveries": {delivery id: copies}} to OUTPUT.json.
"""

import json
import signal
import sys
import threading
from collections import Counter
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


class Counting:
    def __init__(self):
        self.lock = threading.Lock()
        self.messages = 0
        self.deliveries = Counter()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = message_from_bytes(envelope.content, policy=policy.default)
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
