"""The pre-reply check: match the question, pick the entry valid that day, compare facts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from consistency.compare import compare_answer
from consistency.compare.answer import AnswerFacts, answer_facts, prepare_canonical
from consistency.facts import FactRegistry, default_registry
from consistency.kb import KnowledgeBase
from consistency.match import EmbeddingCache, FusionWeights, Index, fit_threshold
from consistency.match.encoder import Encoder, make_encoder
from consistency.models import Match, Verdict

if TYPE_CHECKING:
    from consistency.calibrate import CalibrationResult

__all__ = ["Checker"]

Pair = tuple[str, str] | tuple[str, str, dt.date | None]


class Checker:
    """Checks draft answers against the KB.

    Args:
        kb: the knowledge base.
        encoder: an :class:`~consistency.match.encoder.Encoder`; by default
            ``make_encoder()``: the offline int8 ONNX MiniLM (torch if ONNX is missing).
        cache_dir: where KB embeddings are cached; ``False`` disables the cache.
        weights: fusion weights for matching (defaults fitted on public data).
        no_match_threshold: fused score under which a question is ``no_match``;
            by default derived from the KB by leave-one-out over its phrasings.
        registry: the fact extractors to use.

    Example:
        >>> checker = Checker(kb)  # doctest: +SKIP
        >>> checker.check("how long do I have to send it back?", "You have 14 days.").status  # doctest: +SKIP
        'contradiction'
    """

    def __init__(
        self,
        kb: KnowledgeBase,
        *,
        encoder: Encoder | None = None,
        cache_dir: str | Path | bool | None = None,
        weights: FusionWeights | None = None,
        no_match_threshold: float | None = None,
        registry: FactRegistry | None = None,
    ) -> None:
        if no_match_threshold is not None and not 0.0 <= no_match_threshold <= 1.0:
            raise ValueError(f"no_match_threshold must be in 0–1, got {no_match_threshold}")
        self.kb = kb
        self.encoder = encoder if encoder is not None else make_encoder()
        if cache_dir is False:
            cache: EmbeddingCache | bool | None = False
        elif cache_dir is None or cache_dir is True:
            cache = EmbeddingCache()
        else:
            cache = EmbeddingCache(cache_dir)
        self.index = Index(kb, self.encoder, cache=cache, weights=weights)
        self.registry = registry or default_registry
        if no_match_threshold is None:
            self.no_match_threshold = self._fitted_threshold()
            self.threshold_source = "kb-leave-one-out"
        else:
            self.no_match_threshold = float(no_match_threshold)
            self.threshold_source = "caller"

    def _fitted_threshold(self) -> float:
        """The KB's leave-one-out threshold, cached beside the embeddings (it costs seconds at 10k)."""
        store = self.index.store
        key = None
        if store is not None:
            key = store.key(
                f"{self.encoder.name}|threshold|{self.index.weights}", [self.kb.content_hash]
            )
            cached = store.get_json(key)
            if isinstance(cached, float):
                return cached
        threshold = fit_threshold(self.index.leave_one_out())
        if store is not None and key is not None:
            store.put_json(key, threshold)
        return threshold

    def calibrate(
        self, labelled: Sequence[tuple[str, str | None]], *, max_recall_loss: float = 0.02
    ) -> CalibrationResult:
        """Fit fusion weights and the ``no_match`` threshold on your own labelled questions.

        Args:
            labelled: ``(question, entry_id)`` pairs; ``None`` marks a question the
                KB does not cover (it should come back ``no_match``).
            max_recall_loss: the share of covered questions the threshold may lose.

        Returns:
            The fitted weights and threshold, now in use by this checker, with the
            precision and recall they reach on ``labelled``.
        """
        from consistency.calibrate import calibrate_index

        result = calibrate_index(self.index, labelled, max_recall_loss=max_recall_loss)
        self.index.weights = result.weights
        self.no_match_threshold = result.threshold
        self.threshold_source = "calibrated"
        return result

    def warm_up(self) -> int:
        """Extract the facts of every KB answer now, not at each entry's first check.

        Why: that extraction is ~0.5-0.8 ms of a check that meets an entry for the
        first time; a service pays it once, for all entries, after it starts serving
        (about 5 s for 10k entries on one core). Returns how many distinct answers
        (all versions) were prepared.
        """
        return prepare_canonical((e.answer for e in self.kb.entries), registry=self.registry)

    def check(self, question: str, answer: str, *, on: dt.date | None = None) -> Verdict:
        """Judge one draft ``answer`` to a customer's ``question``.

        Args:
            question: what the customer asked.
            answer: what the agent says (or is about to say).
            on: the day the answer is given; the KB entry valid that day is used.
                ``None`` uses each entry's newest version.
        """
        # The answer's facts do not depend on the match: when the question must be
        # embedded they are extracted on a helper thread meanwhile (see Index.match).
        prepared: list[AnswerFacts] = []

        def extract() -> None:
            prepared.append(answer_facts(answer, on, registry=self.registry))

        matches = self.index.match(question, k=5, alongside=extract)
        return self._verdict(question, answer, matches, on, prepared[0] if prepared else None)

    def check_many(self, pairs: Iterable[Pair], *, on: dt.date | None = None) -> list[Verdict]:
        """:meth:`check` for many pairs with one encoder call; same verdicts as one by one.

        A pair may carry its own date as a third item, which overrides ``on``.
        """
        items = [tuple(p) for p in pairs]
        for item in items:
            if len(item) not in (2, 3):
                raise ValueError("each pair is (question, answer) or (question, answer, on)")
        questions = [str(item[0]) for item in items]
        ranked = self.index.match_many(questions, k=5)
        return [
            self._verdict(
                str(item[0]),
                str(item[1]),
                matches,
                item[2] if len(item) == 3 else on,  # type: ignore[misc]
            )
            for item, matches in zip(items, ranked, strict=True)
        ]

    def _verdict(
        self,
        question: str,
        answer: str,
        matches: Sequence[Match],
        on: dt.date | None,
        prepared: AnswerFacts | None = None,
    ) -> Verdict:
        matches = tuple(matches)
        best = matches[0] if matches else None
        if best is None or best.score < self.no_match_threshold:
            score = best.score if best else 0.0
            hint = f" (best: {best.entry_id} at {score:.2f})" if best else ""
            return Verdict(
                status="no_match",
                score=score,
                matches=matches,
                on=on,
                explanation=(
                    f"No KB entry answers this question{hint}; "
                    f"the match threshold is {self.no_match_threshold:.2f}."
                ),
            )
        entry = self.kb.entry(best.entry_id, on=on)
        if entry is None:
            return Verdict(
                status="unverified",
                entry_id=best.entry_id,
                score=best.score,
                matches=matches,
                on=on,
                explanation=f"The KB entry {best.entry_id} has no version valid on {on}.",
            )
        comparison = compare_answer(
            answer,
            entry.answer,
            entry_id=entry.id,
            reference=on,
            registry=self.registry,
            prepared=prepared,
        )
        return Verdict(
            status=comparison.status,
            entry_id=entry.id,
            score=best.score,
            canonical_answer=entry.answer,
            conflicts=comparison.conflicts,
            explanation=comparison.reason,
            matches=matches,
            supported=comparison.supported,
            unverified_facts=comparison.unverified_facts,
            on=on,
            valid_from=entry.valid_from,
            valid_to=entry.valid_to,
        )
