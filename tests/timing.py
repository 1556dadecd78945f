"""Time per character, for the tests that check a parser stays linear in its input.

Speed itself is measured in ``benchmarks/``; these tests only compare a run with a
longer one of the same shape, as a ratio within one run.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable


def per_char(run: Callable[[str], object], text: str) -> float:
    """The best of a few timings of ``run(text)``, per character (repeated while short)."""
    best = float("inf")
    for _ in range(2):
        gc.collect()
        rounds, began = 0, time.perf_counter()
        while True:
            run(text)
            rounds += 1
            spent = time.perf_counter() - began
            if spent > 0.02 or rounds >= 50:
                break
        best = min(best, spent / rounds)
    return best / len(text)
