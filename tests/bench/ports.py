"""Ports for the benchmarks' own servers: a private range, so no other run on the machine
collides with them."""

import socket

PORTS = range(18300, 18400)


def free_port() -> int:
    """A port of the range that is free now (bind the server before asking for the next)."""
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise AssertionError(f"no free port in {PORTS}")
