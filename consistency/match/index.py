"""Hybrid question → KB entry matching: exact keys, embeddings and fuzzy scores, fused.

Every phrasing of every entry (and each entry's answer) is embedded once and
cached on disk. A question is answered in tiers: an exact normalised-key hit on a
phrasing needs no embedding, nor does a near-verbatim one that only one entry has
(:mod:`~consistency.match.fuzzy_tier`); otherwise the question is embedded, the nearest
entries by cosine are re-scored with rapidfuzz on their phrasings, and the two
scores are fused with fixed weights into one 0–1 score whose parts are kept.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

import numpy as np

from consistency.kb import KnowledgeBase
from consistency.match.cache import EmbeddingCache, VectorLRU
from consistency.match.encoder import Encoder
from consistency.match.fuzzy import fuzzy_scores
from consistency.match.fuzzy_tier import FuzzyTier
from consistency.match.text import match_key
from consistency.models import Match, MatchComponents

__all__ = ["FusionWeights", "Index", "LeaveOneOut"]


@dataclass(frozen=True)
class FusionWeights:
    """How an entry's score is fused from its parts, each in 0–1.

    The embedding part mixes the question's cosine with the entry's nearest
    phrasing (``phrase``), with the mean of its phrasings (``centroid``) and with
    its canonical answer (``answer``); these three sum to 1. The final score is
    ``(1 - fuzzy) * embedding + fuzzy * rapidfuzz`` on the best phrasing.

    The defaults were fitted by grid search on validation splits only (BANKING77
    held-out training utterances, CLINC150 val, half of the COVID-QA queries),
    maximising mean top-1; see ``benchmarks/RESULTS.md`` ("Matching"). Where a KB
    has no real answers the answer share goes to phrase and centroid. Refit them on
    your own labelled questions with ``Checker.calibrate``.
    """

    phrase: float = 0.3
    centroid: float = 0.2
    answer: float = 0.5
    fuzzy: float = 0.15

    def __post_init__(self) -> None:
        parts = (self.phrase, self.centroid, self.answer, self.fuzzy)
        if min(parts) < 0 or self.fuzzy > 1:
            raise ValueError(f"fusion weights must be in 0–1, got {self}")
        if abs(self.phrase + self.centroid + self.answer - 1) > 1e-6:
            raise ValueError(f"phrase + centroid + answer must sum to 1, got {self}")


@dataclass(frozen=True)
class LeaveOneOut:
    """Scores of the KB's own phrasings with each one held out, for threshold fitting.

    ``positive``: the best fused score of the phrasing's own entry (other phrasings).
    ``negative``: the best fused score of any other entry.
    """

    positive: np.ndarray
    negative: np.ndarray


@functools.cache
def _blas_controller() -> Any:
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # pragma: no cover - a core dependency
        return None
    return ThreadpoolController()


def _one_blas_thread() -> contextlib.AbstractContextManager[Any]:
    """Run a question's mat-vecs on one BLAS thread.

    Why: they are small and memory-bound, and waking BLAS worker threads on a
    few-core host right after an encode (whose own threads are still spinning)
    made them wait: with the torch encoder at 10k entries ``check()`` went from
    p95 ~108 ms to ~15 ms on 2 cores with BLAS held to one thread.
    """
    controller = _blas_controller()
    if controller is None:
        return contextlib.nullcontext()
    return controller.limit(limits=1, user_api="blas")


_HELPER: tuple[int, ThreadPoolExecutor] | None = None


def _helper() -> ThreadPoolExecutor:
    """The helper thread's pool, one per process: a forked child gets its own (the
    parent's thread does not exist there, and work queued for it would never run)."""
    global _HELPER
    if _HELPER is None or _HELPER[0] != os.getpid():
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="consistency-alongside")
        _HELPER = (os.getpid(), pool)
    return _HELPER[1]


def _while(side: Callable[[], object], main: Callable[[], np.ndarray]) -> np.ndarray:
    """``main()`` here while ``side()`` runs on a helper thread; waits for both.

    Why: the encoder releases the GIL and, on 2 cores, leaves room beside it; a
    check's answer facts extracted meanwhile cost ~0.4 ms less (p50, 10k entries).
    An exception in ``side`` is raised after ``main`` finished.
    """
    future = _helper().submit(side)
    try:
        result = main()
    finally:
        wait([future])
    error = future.exception()
    if error is not None:
        raise error
    return result


def _group_sums(rows: np.ndarray, starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Sums of consecutive row groups (``counts[i]`` rows from ``starts[i]``).

    Groups of one size are gathered into one (groups, size, dim) block and summed:
    ~5x faster than ``np.add.reduceat`` over 30k rows, which dominated start-up.
    """
    out = np.empty((len(starts), rows.shape[1]), dtype=rows.dtype)
    for size in sorted(set(counts.tolist())):  # not np.unique: it imports numpy.ma (~20 ms)
        which = np.flatnonzero(counts == size)
        block = rows[starts[which, None] + np.arange(size)]
        out[which] = block.sum(axis=1)
    return out


class Index:
    """The KB's phrasings, their embeddings and the fusion that ranks entries.

    Args:
        kb: the knowledge base; entries are ranked in KB order on ties.
        encoder: any :class:`~consistency.match.encoder.Encoder`.
        cache: where embeddings are cached; ``None`` uses the default folder,
            ``False`` disables the cache.
        weights: fusion weights.
        candidates: how many entries, nearest by embedding, are re-scored with fuzzy.
        lru_size: how many recent question embeddings to keep in memory (0 disables).
        prefilter: in KBs with more entries than this, only the ``prefilter``
            entries nearest by centroid and answer get their phrasings scored; at
            10k entries this reads 15 MB per question instead of 60 MB. Smaller
            KBs (and ``prefilter=0``) score every phrasing, exactly. ``None`` (the
            default) picks by size: exact up to 200 entries, 200 up to 2,000, 100
            above; at 10k entries 100 gave the exhaustive scan's top-5, in order,
            on 600 of 600 questions and took ~0.9 ms off a check (the fewer rows a
            question reads back from memory after an encode, the faster).
        prefilter_dims: principal directions the prefilter's shortlist is scored in
            (see :meth:`_coarse`).
        fuzzy_decisive: a question this close (edit similarity, 0–1) to one entry's
            phrasing, and clearly closer than to any other entry's, is answered by
            the fuzzy tier without embedding; ``None`` turns the tier off.
    """

    def __init__(
        self,
        kb: KnowledgeBase,
        encoder: Encoder,
        *,
        cache: EmbeddingCache | bool | None = None,
        weights: FusionWeights | None = None,
        candidates: int = 20,
        lru_size: int = 10_000,
        prefilter: int | None = None,
        prefilter_dims: int = 64,
        fuzzy_decisive: float | None = 0.95,
    ) -> None:
        self.kb = kb
        self.lru = VectorLRU(lru_size)
        self.encoder = encoder
        self.weights = weights or FusionWeights()
        self.candidates = max(1, candidates)
        n_entries = len(kb.ids)
        if prefilter is None:
            prefilter = 200 if n_entries <= 2000 else 100
        self.prefilter = max(0, prefilter)
        self.prefilter_dims = max(1, prefilter_dims)
        self.entry_ids: tuple[str, ...] = kb.ids
        phrasings: list[str] = []
        keys: list[str] = []
        owners: list[int] = []
        self._exact: dict[str, int] = {}
        for ordinal, entry_id in enumerate(self.entry_ids):
            seen: set[str] = set()
            for version in kb.versions(entry_id):
                for question in version.questions:
                    key = match_key(question)
                    if key in seen:
                        continue
                    seen.add(key)
                    phrasings.append(question)
                    keys.append(key)
                    owners.append(ordinal)
                    self._exact.setdefault(key, len(phrasings) - 1)
        self.phrasings: tuple[str, ...] = tuple(phrasings)
        self._keys: list[str] = keys
        self._owner = np.asarray(owners, dtype=np.int64)
        self.fuzzy_tier = (
            None
            if fuzzy_decisive is None
            else FuzzyTier(self._keys, self._owner, decisive=fuzzy_decisive)
        )
        self._starts = np.flatnonzero(np.r_[True, self._owner[1:] != self._owner[:-1]])
        answers = [kb.versions(i)[-1].answer for i in self.entry_ids]
        store = (
            None
            if cache is False
            else (cache if isinstance(cache, EmbeddingCache) else EmbeddingCache())
        )
        self.store = store
        self.cache_hit = False
        self._store_keys: list[str] = []
        self.phrase_vectors = self._embed(store, "phrasings", phrasings)
        self.answer_vectors = self._embed(store, "answers", answers)
        counts = np.bincount(self._owner, minlength=len(self.entry_ids)).astype(np.float32)
        self._counts = counts
        self._counts_int = counts.astype(np.int64)
        self._coarse_key: tuple[float, float] | None = None
        self._coarse_parts: tuple[np.ndarray, np.ndarray, np.ndarray] = ()  # type: ignore[assignment]
        self.centroids = self._derived(
            "centroids",
            lambda: (
                _group_sums(self.phrase_vectors, self._starts, self._counts_int) / counts[:, None]
            ),
        )
        self._entry_matrix_cache: np.ndarray | None = None

    def _embed(self, store: EmbeddingCache | None, part: str, texts: list[str]) -> np.ndarray:
        if store is None:
            return self.encoder.encode(texts)
        key = store.key(f"{self.encoder.name}|{part}", texts)
        self._store_keys.append(key)
        cached = store.get(key, len(texts))
        if cached is not None:
            self.cache_hit = True
            return cached
        vectors = self.encoder.encode(texts)
        store.put(key, vectors)
        return vectors

    def _derived(self, part: str, compute: Any) -> np.ndarray:
        """A float32 matrix computed from the KB's vectors, kept beside them in the cache.

        Why: a restart at 10k entries spent ~0.1 s re-deriving centroids and the
        prefilter's basis from vectors it had just read. Keyed by the vectors' own
        keys, so other texts or another encoder never meet a stale one.
        """
        if self.store is None:
            return np.ascontiguousarray(compute(), dtype=np.float32)
        # the vectors' keys, and how phrasings group into entries (centroids depend on it)
        grouping = hashlib.sha256(self._counts_int.tobytes()).hexdigest()
        key = self.store.key(f"{self.encoder.name}|{part}", [*self._store_keys, grouping])
        cached = self.store.get(key, -1)
        if cached is not None:
            return cached
        value = np.ascontiguousarray(compute(), dtype=np.float32)
        self.store.put(key, value)
        return value

    # -- matching -----------------------------------------------------------

    def match(
        self, question: str, *, k: int = 5, alongside: Callable[[], object] | None = None
    ) -> list[Match]:
        """The ``k`` best entries for ``question``, best first (ties in KB order).

        A question whose match key equals a KB phrasing's returns that entry alone
        (score 1.0, tier ``exact``) without calling the encoder. ``alongside``: work to
        run on a helper thread while the encoder runs (it releases the GIL), called
        only when the question is embedded; a check extracts the answer's facts so.
        """
        return self.match_many([question], k=k, alongside=alongside)[0]

    def match_many(
        self,
        questions: Sequence[str],
        *,
        k: int = 5,
        alongside: Callable[[], object] | None = None,
    ) -> list[list[Match]]:
        """:meth:`match` for many questions with one encoder call for all that need it."""
        keys = [match_key(q) for q in questions]
        results: list[list[Match] | None] = [None] * len(questions)
        need = []
        for i, key in enumerate(keys):
            tiered = self._tiered(key)
            if tiered is not None:
                results[i] = [tiered]
            else:
                need.append(i)
        if need:
            texts = [questions[i] for i in need]
            if alongside is not None and self.lru.misses_any(texts):
                vectors = _while(alongside, lambda: self.encode(texts))
            else:
                vectors = self.encode(texts)
            for row, i in enumerate(need):
                results[i] = self._rank(keys[i], vectors[row], k)
        return [r if r is not None else [] for r in results]

    def _tiered(self, key: str) -> Match | None:
        """The match the exact or fuzzy tier decides alone, without embedding.

        Tier 1: a question equal to a KB phrasing (after match_key); tier 2: a
        near-verbatim phrasing of one entry only (a typo, an ending).
        """
        if key in self._exact:
            return self._exact_match(key)
        hit = self.fuzzy_tier.find(key) if self.fuzzy_tier is not None else None
        return None if hit is None else self._fuzzy_match(hit.phrase, hit.ratio)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts through the LRU: repeated texts are encoded once."""
        return self.lru.encode(texts, self.encoder.encode)

    def match_vector(self, question: str, vector: np.ndarray, *, k: int = 5) -> list[Match]:
        """Rank with an already computed question embedding (the audit embeds every question).

        The tiers decide the top match as in :meth:`match`, so the audit and the
        pre-reply check agree; the rest of the list is the embedding ranking.
        """
        key = match_key(question)
        ranked = self._rank(key, vector, k)
        if key in self._exact or self.fuzzy_tier is None:
            return ranked
        hit = self.fuzzy_tier.find(key)
        if hit is None:
            return ranked
        top = self._fuzzy_match(hit.phrase, hit.ratio)
        return [top, *(m for m in ranked if m.entry_id != top.entry_id)][:k]

    def _fuzzy_match(self, phrase: int, ratio: float) -> Match:
        return Match(
            entry_id=self.entry_ids[int(self._owner[phrase])],
            score=round(ratio, 6),
            matched_question=self.phrasings[phrase],
            components=MatchComponents(embedding=None, fuzzy=round(ratio, 6), tier="fuzzy"),
        )

    def _exact_match(self, key: str) -> Match:
        phrase = self._exact[key]
        return Match(
            entry_id=self.entry_ids[int(self._owner[phrase])],
            score=1.0,
            matched_question=self.phrasings[phrase],
            components=MatchComponents(embedding=1.0, fuzzy=1.0, tier="exact"),
        )

    def _coarse(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The prefilter's matrices: coarse scores ``centroid·w_c + answer·w_a`` exactly, and
        the same projected onto their top principal directions, with the projection.

        Why: at 10k entries the exact coarse matrix is 15 MB, read from memory on
        every question (the checks in between evict it from cache); its projection
        onto ``prefilter_dims`` directions is a sixth of that. The projected scores
        only shortlist ``4 × prefilter`` entries, which are then scored exactly.
        Rebuilt when the weights change (``Checker.calibrate``).
        """
        w = self.weights
        key = (w.centroid, w.answer)
        if self._coarse_key != key:
            if w.centroid + w.answer == 0:
                matrix = self.centroids
            else:
                matrix = w.centroid * self.centroids + w.answer * self.answer_vectors
            matrix = np.ascontiguousarray(matrix, dtype=np.float32)
            dims = min(self.prefilter_dims, matrix.shape[1])

            def basis() -> np.ndarray:
                _, vectors = np.linalg.eigh((matrix.T @ matrix).astype(np.float64))
                return vectors[:, ::-1][:, :dims]

            projection = self._derived(f"prefilter-basis|{key}|{dims}", basis)
            reduced = np.ascontiguousarray(matrix @ projection)
            self._coarse_parts = (matrix, reduced, projection)
            self._coarse_key = key
        return self._coarse_parts

    def _entry_matrix(self) -> np.ndarray:
        """Centroids over answers: one mat-vec for both per-entry parts (exact scans, and
        leave-one-out); built on first use, the query path at scale does not need it."""
        if self._entry_matrix_cache is None:
            self._entry_matrix_cache = np.ascontiguousarray(
                np.vstack([self.centroids, self.answer_vectors])
            )
        return self._entry_matrix_cache

    def _phrases_of(self, entries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The phrasing rows of ``entries`` (in order) and each entry's offset into them."""
        lengths = self._counts_int[entries]
        offsets = np.zeros(len(entries), dtype=np.int64)
        np.cumsum(lengths[:-1], out=offsets[1:])
        phrases = np.arange(int(lengths.sum()), dtype=np.int64)
        phrases += np.repeat(self._starts[entries] - offsets, lengths)
        return phrases, offsets

    def _entry_embedding(
        self, vector: np.ndarray, exclude_phrase: int | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The entries considered and their embedding mix (see FusionWeights)."""
        w = self.weights
        n_entries = len(self.entry_ids)
        if exclude_phrase is None and self.prefilter and n_entries > self.prefilter:
            # The query path at scale: the projected coarse scores shortlist entries,
            # their exact coarse scores keep ``prefilter`` of them, whose parts are
            # then scored exactly (see _coarse).
            matrix, reduced, projection = self._coarse()
            shortlist = min(4 * self.prefilter, n_entries)
            rough = reduced @ (vector @ projection)
            if shortlist < n_entries:
                rows = np.argpartition(-rough, shortlist - 1)[:shortlist]
            else:
                rows = np.arange(n_entries)
            coarse = matrix[rows] @ vector
            keep = np.argpartition(-coarse, self.prefilter - 1)[: self.prefilter]
            order = np.argsort(rows[keep])
            entries, coarse = rows[keep][order], coarse[keep][order]
            phrases, offsets = self._phrases_of(entries)
            nearest = np.maximum.reduceat(self.phrase_vectors[phrases] @ vector, offsets)
            # The coarse score is the centroid and answer parts of the mix already;
            # reading those rows again after an encode cost ~0.1 ms.
            mix = w.phrase * nearest + (coarse if w.centroid + w.answer else 0.0)
            return entries, np.clip(mix, 0.0, 1.0)
        both = self._entry_matrix() @ vector
        centroid, answer = both[:n_entries], both[n_entries:]
        if exclude_phrase is not None:
            # Hold the phrasing out of its entry's centroid as if it were never in the KB.
            own = int(self._owner[exclude_phrase])
            n = self._counts[own]
            held = float(self.phrase_vectors[exclude_phrase] @ vector)
            centroid[own] = (centroid[own] * n - held) / max(n - 1, 1)
        if self.prefilter and n_entries > self.prefilter:
            coarse = w.centroid * centroid + w.answer * answer
            if w.centroid + w.answer == 0:
                coarse = centroid
            entries = np.sort(np.argpartition(-coarse, self.prefilter - 1)[: self.prefilter])
            phrases, offsets = self._phrases_of(entries)
            sims = self.phrase_vectors[phrases] @ vector
        else:
            entries = np.arange(n_entries)
            phrases = None
            sims = self.phrase_vectors @ vector
            offsets = self._starts
        if exclude_phrase is not None:
            where = exclude_phrase if phrases is None else np.flatnonzero(phrases == exclude_phrase)
            sims[where] = -1.0
        nearest = np.maximum.reduceat(sims, offsets)
        mix = w.phrase * nearest + w.centroid * centroid[entries] + w.answer * answer[entries]
        return entries, np.clip(mix, 0.0, 1.0)

    def _rank(
        self, key: str, vector: np.ndarray, k: int, exclude_phrase: int | None = None
    ) -> list[Match]:
        with _one_blas_thread():
            entries, mix = self._entry_embedding(vector, exclude_phrase)
        n = mix.shape[0]
        c = min(max(self.candidates, k), n)
        local = np.argpartition(-mix, c - 1)[:c] if c < n else np.arange(n)
        top = entries[local]
        mix_of = dict(zip(top.tolist(), mix[local].tolist(), strict=True))
        cand_phrases, _ = self._phrases_of(top)
        if exclude_phrase is not None:
            cand_phrases = cand_phrases[cand_phrases != exclude_phrase]
        fuzzy = fuzzy_scores(key, [self._keys[p] for p in cand_phrases])
        # The best phrasing of each candidate entry: by fuzzy score.
        best: dict[int, int] = {}
        for j, phrase in enumerate(cand_phrases):
            owner = int(self._owner[phrase])
            if owner not in best or fuzzy[j] > fuzzy[best[owner]]:
                best[owner] = j
        exact_owner = -1
        if key in self._exact and self._exact[key] != exclude_phrase:
            exact_owner = int(self._owner[self._exact[key]])
        wf = self.weights.fuzzy
        scored = [
            (owner, j, (1 - wf) * mix_of[owner] + wf * float(fuzzy[j])) for owner, j in best.items()
        ]
        scored.sort(key=lambda item: (item[0] != exact_owner, -item[2], item[0]))
        matches = []
        for owner, j, score in scored[:k]:
            exact = owner == exact_owner
            # model_construct: these values are ours and already valid; validating five
            # models per question cost ~0.15 ms of a check.
            matches.append(
                Match.model_construct(
                    entry_id=self.entry_ids[owner],
                    score=1.0 if exact else round(score, 6),
                    matched_question=self.phrasings[int(cand_phrases[j])],
                    components=MatchComponents.model_construct(
                        embedding=round(mix_of[owner], 6),
                        fuzzy=round(float(fuzzy[j]), 6),
                        tier="exact" if exact else "embedding",
                    ),
                )
            )
        return matches

    # -- threshold fitting --------------------------------------------------

    def leave_one_out(self, *, limit: int = 2000) -> LeaveOneOut:
        """Hold out each phrasing (of entries with two or more) and score it.

        At most ``limit`` phrasings are used, spread evenly over the KB, so the
        cost stays bounded for large KBs.
        """
        counts = np.bincount(self._owner, minlength=len(self.entry_ids))
        eligible = np.flatnonzero(counts[self._owner] >= 2)
        if eligible.size > limit:
            eligible = eligible[np.linspace(0, eligible.size - 1, limit).astype(np.int64)]
        positive, negative = [], []
        for phrase in eligible:
            owner = self.entry_ids[int(self._owner[phrase])]
            ranked = self._rank(
                self._keys[phrase],
                self.phrase_vectors[phrase],
                k=self.candidates,
                exclude_phrase=int(phrase),
            )
            own = [m.score for m in ranked if m.entry_id == owner]
            other = [m.score for m in ranked if m.entry_id != owner]
            positive.append(own[0] if own else 0.0)
            negative.append(other[0] if other else 0.0)
        return LeaveOneOut(np.asarray(positive), np.asarray(negative))
