"""The fuzzy tier: a near-verbatim KB phrasing answers without embedding.

Why: questions typed from a help-centre page or read off a script often differ
from a KB phrasing by a typo or a word ending ("how long do i have to retrun an
item"). Such a hit is decisive on its own, and skipping the encoder takes ~5 ms
off the check. Scoring every phrasing with rapidfuzz costs about as much as an
encode at 10k entries (30k phrasings, ~2 ms), so candidates come from an inverted
index of words: a phrasing within a few edits of the question, or a rival close
enough to matter, holds all but one or two of its words, so only those are scored.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

__all__ = ["FuzzyHit", "FuzzyTier"]


@dataclass(frozen=True)
class FuzzyHit:
    """The phrasing that decided, its 0–1 ``ratio``, and the best other entry's ratio."""

    phrase: int
    ratio: float
    runner_up: float


class FuzzyTier:
    """Finds a phrasing nearly identical to a question, and only when it is unambiguous.

    Args:
        keys: the KB phrasings' match keys (:func:`~consistency.match.text.match_key`).
        owners: the entry ordinal of each phrasing.
        decisive: the edit-similarity (``rapidfuzz.fuzz.ratio`` / 100) a hit needs.
        margin: how far ahead of every other entry's best phrasing the hit must be.
        min_words: shorter questions are left to the embedding ("cancel order" and
            "cancel orders" are one edit apart and may be different things).
        max_candidates: a question that many phrasings share nearly all words with is
            left to the embedding rather than scored against them all.
    """

    def __init__(
        self,
        keys: Sequence[str],
        owners: Sequence[int] | np.ndarray,
        *,
        decisive: float = 0.95,
        margin: float = 0.05,
        min_words: int = 4,
        max_candidates: int = 400,
    ) -> None:
        if not 0.0 < decisive <= 1.0:
            raise ValueError(f"decisive must be in (0, 1], got {decisive}")
        self.keys = list(keys)
        self.owners = np.asarray(owners, dtype=np.int64)
        self.decisive = decisive
        self.margin = margin
        self.min_words = min_words
        self.max_candidates = max_candidates
        postings: dict[str, list[int]] = defaultdict(list)
        for i, key in enumerate(self.keys):
            for word in set(key.split()):
                postings[word].append(i)
        self._postings = {w: np.asarray(ids, dtype=np.int64) for w, ids in postings.items()}

    def find(self, key: str) -> FuzzyHit | None:
        """The decisive phrasing for the match key ``key``, or ``None`` (then embed)."""
        words = set(key.split())
        if len(words) < self.min_words:
            return None
        known = [self._postings[w] for w in words if w in self._postings]
        if len(known) < self.min_words - 1:
            return None
        # A phrasing a few edits from the question, or a rival close enough to matter,
        # holds all but one or two of the question's known words (a typo'd word is
        # unknown and not counted).
        shared = np.bincount(np.concatenate(known), minlength=len(self.keys))
        candidates = np.flatnonzero(shared >= len(known) - 2)
        if len(candidates) > self.max_candidates:
            return None
        # An Indel ratio >= d is only possible between lengths within (d / (2 - d))x.
        low, high = (
            len(key) * self.decisive / (2 - self.decisive),
            len(key) * (2 - self.decisive) / self.decisive,
        )
        candidates = [int(c) for c in candidates if low <= len(self.keys[c]) <= high]
        if not candidates:
            return None
        ratios = (
            process.cdist(
                [key], [self.keys[c] for c in candidates], scorer=fuzz.ratio, processor=None
            )[0]
            / 100.0
        )
        best = int(np.argmax(ratios))
        if ratios[best] < self.decisive:
            return None
        owner = self.owners[candidates[best]]
        others = [r for c, r in zip(candidates, ratios, strict=True) if self.owners[c] != owner]
        runner_up = float(max(others, default=0.0))
        if ratios[best] - runner_up < self.margin:
            return None
        return FuzzyHit(phrase=candidates[best], ratio=float(ratios[best]), runner_up=runner_up)
