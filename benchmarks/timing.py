"""What the benchmark scripts share: timing a reader over documents held in memory."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def best_rate(fn: Callable[[bytes], Any], docs: list[bytes], rounds: int = 3) -> float:
    """Best documents/s over a few rounds (the least disturbed by the rest of the machine)."""
    best = 0.0
    for _ in range(rounds):
        start = time.perf_counter()
        for doc in docs:
            fn(doc)
        best = max(best, len(docs) / (time.perf_counter() - start))
    return best
