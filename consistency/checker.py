"""The pre-reply check: match the question, pick the entry valid that day, compare facts."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from consistency.choose import (
    ANSWER_CHARS,
    Candidate,
    ChoicePolicy,
    answer_proposed,
    rank_candidates,
)
from consistency.compare import compare_answer
from consistency.compare.answer import AnswerFacts, answer_facts, prepare_canonical
from consistency.compare.claims import taken_by
from consistency.facts import FactRegistry, default_registry
from consistency.facts.polarity import stem
from consistency.facts.words import FILLER_WORDS
from consistency.kb import KnowledgeBase
from consistency.match import EmbeddingCache, FusionWeights, Index, fit_threshold
from consistency.match.encoder import Encoder, make_encoder
from consistency.models import Comparison, KBEntry, Match, Verdict
from consistency.statements import StatementModel, StatementPolicy, default_statement_model
from consistency.statements.judge import review
from consistency.textcheck import require_encodable

if TYPE_CHECKING:
    from consistency.calibrate import CalibrationResult

__all__ = ["Checker"]

Pair = tuple[str, str] | tuple[str, str, dt.date | None]


_WORDS = re.compile(r"[a-z][a-z'-]+")


def _content(text: str) -> set[str]:
    """Content word stems of a text (fillers and short words left out)."""
    return {stem(w) for w in _WORDS.findall(text.lower()) if len(w) > 2 and w not in FILLER_WORDS}


#: A word counts as rare in a KB when at most this share of its entries' answers use it.
RARE_SHARE = 0.05
#: Rare words an answer must share with an entry's canonical answer to show it is about it.
SHARED_RARE_WORDS = 3


def _rare_words(answers: Iterable[str]) -> list[set[str]]:
    """Each answer's content stems that few of the answers use (see ``RARE_SHARE``)."""
    stems = [_content(text) for text in answers]
    counts = Counter(w for words in stems for w in words)
    most = max(1, int(len(stems) * RARE_SHARE))
    return [{w for w in words if counts[w] <= most} for words in stems]


def _names_the_first(question: str, answer: str, first: KBEntry, other: KBEntry) -> bool:
    """The question and answer name something the first entry says and the other does
    not ("is next day free?" / "next day delivery is free over £50" against the
    standard-delivery entry): the answer is about the first, however well the other's
    values fit. The question's words count where the first entry's own questions use
    them too ("what does the senior railcard cost"), not the customer's story ("Sent my
    complaint on Monday" names no entry that says "we send a final response")."""
    asked = _content(question) & _content(" ".join(first.questions))
    said = _content(answer) | asked
    return bool((said & _content(first.answer)) - _content(other.answer))


def _explains(conflicting: Comparison, agreeing: Comparison, answer: str, question: str) -> bool:
    """The other entry states the very values the answer gave against this one.

    "Next day delivery is £6.99" contradicts the standard-delivery entry and states
    the next-day entry's price: the answer is about the next-day entry. An entry
    that merely shares a yes/no claim with the answer explains nothing. A figure the
    customer gave and the answer repeats ("I pay £36 a month" - "£36 for each remaining
    month") is explained by an entry that reads it as no claim of its own.
    """
    values = [f.span for f in agreeing.supported if f.kind != "polarity"]
    if not values:
        return False
    extra = [f.span for f in agreeing.unverified_facts]
    asked = set(_NUMBER.findall(question))

    def customers(span: tuple[int, int]) -> bool:
        numbers = set(_NUMBER.findall(answer[span[0] : span[1]]))
        return bool(numbers) and numbers <= asked and taken_by(*span, extra)

    return all(
        taken_by(*c.answer_span, values) or customers(c.answer_span)
        for c in conflicting.conflicts
        if c.answer_span is not None
    )


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


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
        policy: how the agent's answer takes part in choosing the entry and in
            deciding ``no_match`` (:class:`~consistency.choose.ChoicePolicy`).
        statements: when the trained statement model's reading changes a verdict
            (:class:`~consistency.statements.judge.StatementPolicy`).
        statement_model: the model itself; by default the one shipped in the package.

    Example (run from the repository root, with the shipped sample KB):
        >>> from consistency import KnowledgeBase
        >>> checker = Checker(KnowledgeBase.load("knowledge_base/"))
        >>> checker.check("how long do I have to send it back?", "You have 14 days.").status
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
        policy: ChoicePolicy | None = None,
        statements: StatementPolicy | None = None,
        statement_model: StatementModel | None = None,
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
        self.policy = policy or ChoicePolicy()
        self.statements = statements or StatementPolicy()
        self.statement_model = (
            statement_model if statement_model is not None else default_statement_model()
        )
        self._position = {entry_id: i for i, entry_id in enumerate(self.index.entry_ids)}
        self._first_questions: dict[str, str] | None = None
        self._wording: dict[str, set[str]] | None = None
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
        require_encodable(question, "question")  # ValueError here, not a tokenizer's TypeError
        require_encodable(answer, "answer")
        # The answer's facts do not depend on the match: when the question must be
        # embedded they are extracted on a helper thread meanwhile (see Index.match).
        prepared: list[AnswerFacts] = []

        def extract() -> None:
            prepared.append(answer_facts(answer, on, registry=self.registry))

        matches = self.index.match(question, k=10, alongside=extract)
        vector = self._answer_vectors([answer])[0] if self._needs_answer(matches) else None
        return self._verdict(
            question, answer, matches, on, prepared[0] if prepared else None, vector
        )

    def _needs_answer(self, matches: Sequence[Match]) -> bool:
        """Whether the question leaves the entry open: a weak or a close call.

        Why: embedding the answer costs more than the question (answers are longer), so
        a sure, clear question match is judged without it; should its verdict be a
        contradiction, the answer is embedded then (see :meth:`_verdict`).
        """
        if not matches or matches[0].components.tier != "embedding":
            return False
        top = matches[0].score
        sure = top >= self.policy.sure_above(self.no_match_threshold)
        close = any(m.score >= top - self.policy.close for m in matches[1:])
        return not sure or close

    def _answer_vectors(self, answers: Sequence[str]) -> np.ndarray:
        return self.index.encode([a[:ANSWER_CHARS] for a in answers])

    def check_many(self, pairs: Iterable[Pair], *, on: dt.date | None = None) -> list[Verdict]:
        """:meth:`check` for many pairs with one encoder call; same verdicts as one by one.

        A pair may carry its own date as a third item, which overrides ``on``.
        """
        items = [tuple(p) for p in pairs]
        for item in items:
            if len(item) not in (2, 3):
                raise ValueError("each pair is (question, answer) or (question, answer, on)")
            require_encodable(str(item[0]), "question")
            require_encodable(str(item[1]), "answer")
        questions = [str(item[0]) for item in items]
        ranked = self.index.match_many(questions, k=10)
        # Answers are embedded, in one call, only where the question leaves the entry open.
        embedded = [i for i, m in enumerate(ranked) if self._needs_answer(m)]
        vectors = self._answer_vectors([str(items[i][1]) for i in embedded]) if embedded else None
        answer_vectors: dict[int, np.ndarray] = (
            {i: vectors[row] for row, i in enumerate(embedded)} if vectors is not None else {}
        )
        return [
            self._verdict(
                str(item[0]),
                str(item[1]),
                matches,
                item[2] if len(item) == 3 else on,  # type: ignore[misc]
                None,
                answer_vectors.get(n),
            )
            for n, (item, matches) in enumerate(zip(items, ranked, strict=True))
        ]

    def _compare(
        self,
        answer: str,
        entry_id: str,
        on: dt.date | None,
        prepared: AnswerFacts | None,
        question: str | None = None,
    ) -> tuple[KBEntry, Comparison] | None:
        entry = self.kb.entry(entry_id, on=on)
        if entry is None:
            return None
        comparison = compare_answer(
            answer,
            entry.answer,
            entry_id=entry.id,
            reference=on,
            registry=self.registry,
            prepared=prepared,
            question=question,
        )
        return entry, comparison

    def _choose(
        self,
        question: str,
        answer: str,
        candidates: list[Candidate],
        on: dt.date | None,
        prepared: AnswerFacts | None,
    ) -> tuple[Candidate, tuple[KBEntry, Comparison] | None, str]:
        """The candidate the answer is judged against, its comparison, and why it was chosen.

        Close candidates are compared fact by fact: the one whose facts the answer
        states wins; a contradiction is not held against an entry when another close
        candidate is consistent with the answer.
        """
        policy = self.policy
        top = candidates[0]
        close = [c for c in candidates if c.combined >= top.combined - policy.close][:3]
        judged = [(c, self._compare(answer, c.entry_id, on, prepared, question)) for c in close]

        def key(item: tuple[Candidate, tuple[KBEntry, Comparison] | None]) -> float:
            cand, result = item
            support = len(result[1].supported) if result is not None else 0
            return cand.combined + policy.support_bonus * min(support, 2)

        judged.sort(key=lambda item: -key(item))
        chosen, result = judged[0]
        why = ""
        if result is not None and result[1].status == "contradiction":
            # Before an answer is held against an entry, the other near candidates are
            # heard: one the answer agrees with means the match was not sure.
            best = key(judged[0])
            seen = {c.entry_id for c, _ in judged}
            near = [
                (c, self._compare(answer, c.entry_id, on, prepared, question))
                for c in candidates[:5]
                # the bonus it may earn counts, as it does in ``key`` below
                if c.entry_id not in seen
                and c.combined + 2 * policy.support_bonus >= best - policy.consistent_margin
            ]
            for alt, alt_result in [*judged[1:], *near]:
                if (
                    alt_result is not None
                    and alt_result[1].status == "consistent"
                    and key((alt, alt_result)) >= best - policy.consistent_margin
                    and _explains(result[1], alt_result[1], answer, question)
                    and not _names_the_first(question, answer, result[0], alt_result[0])
                ):
                    why = (
                        f"{chosen.entry_id} was close, but the answer contradicts it and "
                        f"agrees with {alt.entry_id}, so no contradiction is raised."
                    )
                    chosen, result = alt, alt_result
                    break
        if not why and chosen is not top and chosen.answer_similarity is not None:
            why = (
                f"Chosen over {top.entry_id} because the answer speaks about "
                f"{chosen.entry_id} (answer likeness {chosen.answer_similarity:.2f} against "
                f"{top.answer_similarity or 0:.2f})."
            )
        return chosen, result, why

    def judge(
        self,
        question: str,
        answer: str,
        matches: Sequence[Match],
        *,
        on: dt.date | None = None,
        answer_vector: np.ndarray | None = None,
        statements: StatementPolicy | None = None,
    ) -> Verdict:
        """The verdict for an answer whose question is already matched (the audit's path).

        The same judgement as :meth:`check`: the answer's embedding (``answer_vector``,
        as :meth:`Index.encode` gives it) takes part in choosing the entry and in
        ``no_match``; without it the question decides alone. ``statements`` replaces
        the checker's :class:`StatementPolicy` for this call (the audit's own).
        """
        return self._verdict(question, answer, matches, on, None, answer_vector, statements)

    def _verdict(
        self,
        question: str,
        answer: str,
        matches: Sequence[Match],
        on: dt.date | None,
        prepared: AnswerFacts | None = None,
        answer_vector: np.ndarray | None = None,
        statements: StatementPolicy | None = None,
    ) -> Verdict:
        candidates = rank_candidates(
            matches, answer_vector, self.index.answer_vectors, self._position, self.policy
        )
        best = candidates[0] if candidates else None
        if best is None or best.match.score < self.no_match_threshold:
            return self._no_match(matches, best, on)
        if (
            best.combined < self.policy.no_match_below
            and not self._question_sure(matches)
            and not self._states_entry_facts(question, answer, candidates, on, prepared)
            and not self._shares_wording(answer, candidates)
        ):
            return self._no_match(matches, best, on)
        if answer_vector is not None:
            candidates = sorted(
                [*candidates, *self._answer_proposed(matches, answer_vector)],
                key=lambda c: -c.combined,
            )
        chosen, result, why = self._choose(question, answer, candidates, on, prepared)
        if chosen.by_answer and (result is None or result[1].status == "contradiction"):
            # The answer alone proposed it: good enough to agree with, never to hold a
            # contradiction against (the question may be about something else).
            candidates = [c for c in candidates if not c.by_answer]
            chosen, result, why = self._choose(question, answer, candidates, on, prepared)
        if answer_vector is None and result is not None and result[1].status == "contradiction":
            # The question alone chose the entry, and the answer contradicts it. A sure
            # question can fit a neighbour too ("how much is delivery?" answered with the
            # next-day price): before a contradiction stands, the answer takes part, as
            # for any open question. A question that equals a KB phrasing was never
            # embedded, so its other candidates are found first.
            answer_vector = self._answer_vectors([answer])[0]
            if len(matches) == 1 and matches[0].components.tier != "embedding":
                question_vector = self.index.encode([question])[0]
                matches = self.index.match_vector(question, question_vector, k=10)
            return self._verdict(question, answer, matches, on, prepared, answer_vector, statements)
        ordered = (chosen.match, *(c.match for c in candidates if c is not chosen))
        if result is None:
            return Verdict(
                status="unverified",
                entry_id=chosen.entry_id,
                score=chosen.match.score,
                matches=ordered,
                on=on,
                explanation=f"The KB entry {chosen.entry_id} has no version valid on {on}.",
                choice=why,
                confidence=chosen.combined,
            )
        entry, comparison = result
        if (
            comparison.status == "unverified"
            and chosen.combined < self.policy.unverified_no_match_below
            and not self._question_sure(matches)
        ):
            # a weak match the answer says nothing of: the KB does not cover the question
            return self._no_match(matches, chosen, on, weak=True)
        if self.statement_model is not None:
            policy = statements or self.statements
            comparison = review(
                self.statement_model, policy, answer, entry, comparison, chosen.combined
            )
        return Verdict(
            status=comparison.status,
            entry_id=entry.id,
            score=chosen.match.score,
            canonical_answer=entry.answer,
            conflicts=comparison.conflicts,
            explanation=comparison.reason,
            matches=ordered,
            supported=comparison.supported,
            unverified_facts=comparison.unverified_facts,
            on=on,
            valid_from=entry.valid_from,
            valid_to=entry.valid_to,
            choice=why,
            confidence=chosen.combined,
        )

    def _states_entry_facts(
        self,
        question: str,
        answer: str,
        candidates: Sequence[Candidate],
        on: dt.date | None,
        prepared: AnswerFacts | None,
    ) -> bool:
        """The answer repeats a figure of a close candidate's entry: evidence the question
        is covered that its wording and the answer's likeness missed ("it's £15" for the
        joining fee). Close: within ``policy.close`` of the best, as when choosing."""
        top = candidates[0].combined
        for cand in candidates[:3]:
            if cand.combined < top - self.policy.close:
                break
            _, result, _ = self._choose(question, answer, [cand], on, prepared)
            if result is not None and any(f.kind != "polarity" for f in result[1].supported):
                return True
        return False

    def _shares_wording(self, answer: str, candidates: Sequence[Candidate]) -> bool:
        """The answer repeats words of a close candidate's canonical answer that few other
        entries use ("the SignBridge video relay link on our website"): evidence the
        question is covered that the embeddings' likeness missed, as a wrong figure in an
        otherwise word-for-word answer lowers it. Close: as in :meth:`_states_entry_facts`."""
        if self._wording is None:
            entries = self.kb.entries
            rare = _rare_words(e.answer for e in entries)
            self._wording = {e.id: words for e, words in zip(entries, rare, strict=True)}
        own = self._wording
        said = _content(answer)
        top = candidates[0].combined
        for cand in candidates[:3]:
            if cand.combined < top - self.policy.close:
                break
            if len(said & own.get(cand.entry_id, set())) >= SHARED_RARE_WORDS:
                return True
        return False

    def _answer_proposed(
        self, matches: Sequence[Match], answer_vector: np.ndarray
    ) -> list[Candidate]:
        if self._first_questions is None:
            self._first_questions = {e.id: e.questions[0] for e in self.kb.entries}
        return answer_proposed(
            matches,
            answer_vector,
            self.index.answer_vectors,
            self.index.entry_ids,
            self.policy,
            self._first_questions,
        )

    def _question_sure(self, matches: Sequence[Match]) -> bool:
        """The question alone is matched surely enough to be covered, whatever the answer."""
        return max(m.score for m in matches) >= self.policy.sure_above(self.no_match_threshold)

    def _no_match(
        self,
        matches: Sequence[Match],
        best: Candidate | None,
        on: dt.date | None,
        *,
        weak: bool = False,
    ) -> Verdict:
        score = best.match.score if best else 0.0
        if best is None:
            why = ""
        elif weak:
            why = (
                f" (closest: {best.entry_id}, a weak match at {best.combined:.2f}, and the "
                f"answer states none of its facts)"
            )
        elif best.answer_similarity is None or best.match.score < self.no_match_threshold:
            why = (
                f" (best: {best.entry_id}, question match {score:.2f}; "
                f"the threshold is {self.no_match_threshold:.2f})"
            )
        else:
            why = (
                f" (best: {best.entry_id}, question match {score:.2f}, answer likeness "
                f"{best.answer_similarity:.2f}: together {best.combined:.2f}, under "
                f"{self.policy.no_match_below:.2f})"
            )
        return Verdict(
            status="no_match",
            score=score,
            matches=tuple(matches),
            on=on,
            explanation=f"No KB entry answers this question{why}.",
            confidence=best.combined if best else 0.0,
        )
