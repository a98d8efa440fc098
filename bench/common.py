"""Helpers shared by the benches: timing and the one-line report format."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_time(fn: Callable[[], object], *, repeat: int = 7, warmup: int = 1) -> float:
    """Median wall time of `fn()` in seconds over `repeat` runs after `warmup` runs."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def report(name: str, ratio: float, goal: float, extra: str = "") -> None:
    """Print `NAME: RATIOx (goal <= GOALx)`, the format every bench uses."""
    verdict = "ok" if ratio <= goal else "MISSED"
    tail = f" {extra}" if extra else ""
    print(f"{name}: {ratio:.2f}x (goal <= {goal:g}x) {verdict}{tail}", flush=True)
