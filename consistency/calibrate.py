"""Fit the fusion weights and the ``no_match`` threshold on a user's own labelled questions.

Give it questions people really asked, each with the KB entry it should match (or
``None`` where the KB does not cover it and the answer must be ``no_match``). Every
part of the fused score (nearest phrasing, centroid, answer, fuzzy) is computed once
for all questions and entries; each candidate :class:`FusionWeights` of the grid is
then scored with array arithmetic, exactly as :class:`Index` would rank, so a grid of
hundreds of weightings costs about as much as matching the questions once.

The threshold rule: the highest threshold that loses at most ``max_recall_loss`` of
the in-scope questions that top-1 matching gets right (they would turn into
``no_match``). The weights chosen are those with the best share of all labelled
questions handled correctly at their own threshold (matched to the right entry, or
``no_match`` where labelled ``None``); ties go to the higher top-1, then to grid order.

Example::

    result = calibrate(kb, encoder, [("can I send it back?", "returns-window"),
                                     ("do you sell gift cards?", None)])
    print(result.summary())  # weights, threshold, precision, recall, top-1
    checker = Checker(kb, weights=result.weights, no_match_threshold=result.threshold)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel, ConfigDict
from rapidfuzz import fuzz, process

from consistency.kb import KnowledgeBase
from consistency.match.cache import EmbeddingCache
from consistency.match.encoder import Encoder
from consistency.match.index import FusionWeights, Index
from consistency.match.text import match_key

__all__ = [
    "DEFAULT_GRID",
    "CalibrationResult",
    "ScoreParts",
    "calibrate",
    "calibrate_index",
    "fit_labelled_threshold",
    "fuse",
    "rank",
    "score_parts",
    "weight_grid",
]

#: Fused score given to an exact normalised-key hit; above every real score so it ranks first.
_EXACT = 1.0 + 1e-6


def weight_grid(
    *,
    step: float = 0.1,
    fuzzy: Sequence[float] = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3),
    answer: bool = True,
) -> tuple[FusionWeights, ...]:
    """Every ``phrase/centroid/answer`` split on a ``step`` lattice, times each ``fuzzy``.

    Args:
        step: lattice step of the embedding split (phrase + centroid + answer = 1).
        fuzzy: the fuzzy weights to try.
        answer: ``False`` keeps ``answer=0`` (for KBs whose answers carry no signal).
    """
    n = round(1 / step)
    out = []
    for f in fuzzy:
        for p in range(n + 1):
            for a in range(n + 1 - p if answer else 1):
                c = n - p - a
                out.append(
                    FusionWeights(phrase=p / n, centroid=c / n, answer=a / n, fuzzy=float(f))
                )
    return tuple(out)


#: The default calibration grid: 66 embedding splits x 6 fuzzy weights.
DEFAULT_GRID = weight_grid()


@dataclass(frozen=True)
class ScoreParts:
    """The parts of the fused score for every question (rows) and entry (columns), in 0–1.

    ``nearest``: cosine with the entry's nearest phrasing; ``centroid``: with the mean
    of its phrasings; ``answer``: with its canonical answer; ``fuzzy``: rapidfuzz
    ``token_sort_ratio`` with its best phrasing; ``exact``: per question, the entry
    ordinal whose phrasing has the same match key, or -1.
    """

    entry_ids: tuple[str, ...]
    nearest: np.ndarray
    centroid: np.ndarray
    answer: np.ndarray
    fuzzy: np.ndarray
    exact: np.ndarray


def score_parts(
    index: Index,
    questions: Sequence[str],
    vectors: np.ndarray | None = None,
    *,
    chunk: int = 1024,
    workers: int = 1,
) -> ScoreParts:
    """Every score part for ``questions`` against every entry of ``index``.

    Args:
        index: the KB index (its phrasings, centroids and answer vectors are used).
        questions: the questions.
        vectors: their embeddings, if already computed; else the index's encoder is called.
        chunk: questions per block (bounds memory at ``chunk x phrasings`` floats).
        workers: rapidfuzz threads.
    """
    if vectors is None:
        vectors = index.encoder.encode(list(questions))
    keys = [match_key(q) for q in questions]
    phrase_keys = [match_key(p) for p in index.phrasings]
    owners = np.empty(len(index.phrasings), dtype=np.int64)
    exact_keys: dict[str, int] = {}
    ordinal = {entry_id: i for i, entry_id in enumerate(index.entry_ids)}
    # Rebuild the phrase → entry map from the public phrasings (KB order, as Index builds it).
    p = 0
    for entry_id in index.entry_ids:
        seen: set[str] = set()
        for version in index.kb.versions(entry_id):
            for question in version.questions:
                key = match_key(question)
                if key in seen:
                    continue
                seen.add(key)
                owners[p] = ordinal[entry_id]
                exact_keys.setdefault(key, ordinal[entry_id])
                p += 1
    if p != len(index.phrasings):  # pragma: no cover - Index changed how it dedups phrasings
        raise RuntimeError("score_parts is out of step with Index's phrasings")
    starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
    n, e = len(questions), len(index.entry_ids)
    nearest = np.empty((n, e), dtype=np.float32)
    fuzzy = np.empty((n, e), dtype=np.float32)
    for lo in range(0, n, chunk):
        hi = min(n, lo + chunk)
        sims = vectors[lo:hi] @ index.phrase_vectors.T
        nearest[lo:hi] = np.maximum.reduceat(sims, starts, axis=1)
        ratios = process.cdist(
            keys[lo:hi],
            phrase_keys,
            scorer=fuzz.token_sort_ratio,
            processor=None,
            dtype=np.float32,
            workers=workers,
        )
        fuzzy[lo:hi] = np.maximum.reduceat(ratios, starts, axis=1) / np.float32(100.0)
    return ScoreParts(
        entry_ids=index.entry_ids,
        nearest=nearest,
        centroid=(vectors @ index.centroids.T).astype(np.float32),
        answer=(vectors @ index.answer_vectors.T).astype(np.float32),
        fuzzy=fuzzy,
        exact=np.asarray([exact_keys.get(k, -1) for k in keys], dtype=np.int64),
    )


def fuse(parts: ScoreParts, weights: FusionWeights, *, candidates: int = 20) -> np.ndarray:
    """Fused scores as :class:`Index` ranks them (``-inf`` outside the embedding candidates).

    An exact key hit scores just above 1 so that it ranks first; clip to 1 for display.
    """
    w = weights
    mix = w.phrase * parts.nearest + w.centroid * parts.centroid
    if w.answer:
        mix = mix + w.answer * parts.answer
    mix = np.clip(mix, 0.0, 1.0)
    fused = (1 - w.fuzzy) * mix + w.fuzzy * parts.fuzzy
    e = fused.shape[1]
    c = min(max(1, candidates), e)
    if c < e:
        keep = np.argpartition(-mix, c - 1, axis=1)[:, :c]
        masked = np.full_like(fused, -np.inf)
        np.put_along_axis(masked, keep, np.take_along_axis(fused, keep, axis=1), axis=1)
        fused = masked
    rows = np.flatnonzero(parts.exact >= 0)
    hit = rows[np.isfinite(fused[rows, parts.exact[rows]])]
    fused[hit, parts.exact[hit]] = _EXACT
    return fused


def rank(fused: np.ndarray, k: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` best entry ordinals per row (ties in KB order) and each row's best score (≤ 1)."""
    k = min(k, fused.shape[1])
    if k == 1:
        top = np.argmax(fused, axis=1)[:, None]  # the first of equal maxima, as a stable sort
    else:
        top = np.argsort(-fused, axis=1, kind="stable")[:, :k]
    best = np.minimum(np.take_along_axis(fused, top[:, :1], axis=1)[:, 0], 1.0)
    return top, best


def fit_labelled_threshold(
    scores: np.ndarray, correct: np.ndarray, *, max_recall_loss: float = 0.02
) -> float:
    """The highest threshold keeping all but ``max_recall_loss`` of the correct in-scope matches.

    Args:
        scores: best fused score of each in-scope question.
        correct: whether its top-1 entry is the right one.
        max_recall_loss: the share of in-scope questions that may turn into ``no_match``.

    Returns:
        A threshold in 0–1 rounded down to 3 places (``score >= threshold`` matches).
    """
    n = scores.size
    if n == 0 or not correct.any():
        return 0.0
    allowed = math.floor(max_recall_loss * n + 1e-9)  # correct matches we may lose
    good = np.sort(scores[correct])
    threshold = float(good[min(allowed, good.size - 1)])
    return math.floor(min(threshold, 1.0) * 1000) / 1000


class CalibrationResult(BaseModel):
    """Fitted weights and threshold, and what they reach on the labelled questions.

    ``top1``: in-scope questions whose best entry is right (no threshold).
    ``recall``: in-scope questions matched to the right entry at ``threshold``.
    ``precision``: of all questions that get a match at ``threshold``, the right ones
    (a match for a question labelled ``None`` is wrong).
    ``no_match_recall``: questions labelled ``None`` that come back ``no_match``
    (``None`` when there were none).
    """

    model_config = ConfigDict(frozen=True)

    weights: FusionWeights
    threshold: float
    precision: float
    recall: float
    top1: float
    no_match_recall: float | None
    n: int
    n_no_match: int

    def summary(self) -> str:
        """One line for people: weights, threshold and what they reach."""
        w = self.weights
        nm = "" if self.no_match_recall is None else f", no_match recall {self.no_match_recall:.3f}"
        return (
            f"weights phrase={w.phrase:g} centroid={w.centroid:g} answer={w.answer:g} "
            f"fuzzy={w.fuzzy:g}; threshold {self.threshold:.3f}: precision {self.precision:.3f}, "
            f"recall {self.recall:.3f}, top-1 {self.top1:.3f}{nm} "
            f"(n={self.n}, {self.n_no_match} labelled no_match)"
        )


def _measure(
    fused: np.ndarray, gold: np.ndarray, *, max_recall_loss: float, threshold: float | None = None
) -> tuple[float, float, float, float, float | None, float]:
    """(threshold, precision, recall, top1, no_match_recall, accuracy) for one weighting."""
    top, best = rank(fused, k=1)
    inside = gold >= 0
    correct = top[:, 0] == gold
    if threshold is None:
        threshold = fit_labelled_threshold(
            best[inside], correct[inside], max_recall_loss=max_recall_loss
        )
    matched = best >= threshold
    right = matched & correct & inside
    n_in, n_out = int(inside.sum()), int((~inside).sum())
    rejected = int((~matched & ~inside).sum())
    precision = right.sum() / matched.sum() if matched.any() else 1.0
    return (
        threshold,
        float(precision),
        float(right.sum() / n_in),
        float(correct[inside].mean()),
        rejected / n_out if n_out else None,
        float((right.sum() + rejected) / gold.size),
    )


def calibrate_index(
    index: Index,
    labelled: Sequence[tuple[str, str | None]],
    *,
    grid: Sequence[FusionWeights] = DEFAULT_GRID,
    max_recall_loss: float = 0.02,
    vectors: np.ndarray | None = None,
) -> CalibrationResult:
    """:func:`calibrate` on an existing index (its embeddings are reused).

    Args:
        index: the KB index; its ``candidates`` setting is honoured.
        labelled: ``(question, entry_id or None)`` pairs.
        grid: the weightings to try.
        max_recall_loss: see :func:`fit_labelled_threshold`.
        vectors: the questions' embeddings, if already computed.

    Raises:
        ValueError: no labelled in-scope question, an unknown entry id, or an empty grid.
    """
    if not grid:
        raise ValueError("the weight grid is empty")
    ordinal = {entry_id: i for i, entry_id in enumerate(index.entry_ids)}
    unknown = sorted({e for _, e in labelled if e is not None and e not in ordinal})
    if unknown:
        raise ValueError(f"labelled entry ids not in the KB: {', '.join(unknown[:10])}")
    gold = np.asarray([-1 if e is None else ordinal[e] for _, e in labelled], dtype=np.int64)
    if not (gold >= 0).any():
        raise ValueError("calibration needs at least one question labelled with a KB entry")
    parts = score_parts(index, [q for q, _ in labelled], vectors)
    best_key: tuple[float, float] | None = None
    best: tuple[FusionWeights, tuple[float, float, float, float, float | None, float]] | None
    best = None
    for weights in grid:
        measured = _measure(
            fuse(parts, weights, candidates=index.candidates),
            gold,
            max_recall_loss=max_recall_loss,
        )
        key = (round(measured[5], 9), round(measured[3], 9))
        if best_key is None or key > best_key:
            best_key, best = key, (weights, measured)
    assert best is not None
    weights, (threshold, precision, recall, top1, no_match_recall, _) = best
    return CalibrationResult(
        weights=weights,
        threshold=threshold,
        precision=precision,
        recall=recall,
        top1=top1,
        no_match_recall=no_match_recall,
        n=len(labelled),
        n_no_match=int((gold < 0).sum()),
    )


def calibrate(
    kb: KnowledgeBase,
    encoder: Encoder,
    labelled: Sequence[tuple[str, str | None]],
    *,
    grid: Sequence[FusionWeights] = DEFAULT_GRID,
    max_recall_loss: float = 0.02,
    cache: EmbeddingCache | bool | None = None,
    candidates: int = 20,
) -> CalibrationResult:
    """Fit :class:`FusionWeights` and the ``no_match`` threshold on labelled questions.

    Args:
        kb: the knowledge base.
        encoder: the sentence encoder the matcher will use.
        labelled: ``(question, entry_id)`` pairs; ``entry_id=None`` means the question
            is not covered by the KB and should come back ``no_match``.
        grid: the weightings to try (:data:`DEFAULT_GRID`; see :func:`weight_grid`).
        max_recall_loss: the share of in-scope questions the threshold may turn into
            ``no_match`` in exchange for rejecting uncovered ones.
        cache: the embedding cache, as for :class:`Index`.
        candidates: entries re-scored with fuzzy per question, as for :class:`Index`.

    Returns:
        The best weights, their threshold and the precision/recall they reach on
        ``labelled`` (an optimistic estimate: measure on held-out questions too).
    """
    index = Index(kb, encoder, cache=cache, candidates=candidates)
    return calibrate_index(index, labelled, grid=grid, max_recall_loss=max_recall_loss)
