"""Fuzzy question similarity with rapidfuzz, on the 0–1 scale every score here uses."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rapidfuzz import fuzz, process

__all__ = ["fuzzy_scores", "fuzzy_similarity"]


def fuzzy_similarity(a: str, b: str) -> float:
    """``token_sort_ratio`` of two match keys, scaled to 0–1.

    Word order differs freely between customers, so tokens are sorted; a plain
    subset test (``token_set_ratio``) is not used because it scores any short
    question 1.0 against a long one that contains its words.
    """
    return fuzz.token_sort_ratio(a, b, processor=None) / 100.0


def fuzzy_scores(query: str, choices: Sequence[str]) -> np.ndarray:
    """``fuzzy_similarity(query, c)`` for every choice, as a float32 array."""
    if not choices:
        return np.zeros(0, dtype=np.float32)
    scores = process.cdist([query], choices, scorer=fuzz.token_sort_ratio, processor=None)
    return (scores[0] / 100.0).astype(np.float32)
