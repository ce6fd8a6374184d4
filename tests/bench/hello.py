"""The in-process ceiling: a hello-world view through the same middleware, timed the same way."""

import statistics
import time

from django.test import override_settings


def hello_ms(client, runs: int = 15) -> float:
    """Median milliseconds of a hello-world request with `client` (its session included)."""
    with override_settings(ROOT_URLCONF="tests.bench.bench_urls"):
        client.get("/bench/hello/")
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            assert client.get("/bench/hello/").status_code == 200
            timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)
