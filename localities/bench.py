"""Benchmark helpers: a page's query count and median time, measured through the test client.

Each app adds scenarios in its own `bench.py`; the `bench` command runs them all in a
throwaway database, so benchmarks never touch real or demo data.
"""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext


@dataclass(frozen=True)
class Measurement:
    label: str
    queries: int
    median_ms: float
    status: int

    def line(self) -> str:
        return (
            f"{self.label:<58} {self.queries:>4} queries  {self.median_ms:>8.1f} ms median"
            f"  (HTTP {self.status})"
        )


def measure(
    label: str, request: Callable[[], object], repeat: int = 15, warmup: int = 2
) -> Measurement:
    """Call `request` (which makes one HTTP request) `repeat` times; report the median.

    The query count is that of the last call, after warm-up, so caches are as in use.
    """
    for _ in range(warmup):
        request()
    timings = []
    response = None
    for _ in range(repeat):
        reset_queries()
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = request()
        timings.append((time.perf_counter() - start) * 1000)
    return Measurement(label, len(queries), statistics.median(timings), response.status_code)


def logged_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
