"""Knobs of the audit's stages, in one frozen record every engine passes along."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from consistency.promises.calendar import WorkingCalendar

__all__ = ["AuditOptions"]


@dataclass(frozen=True)
class AuditOptions:
    """Knobs of the grouping stages, with the reasons for their defaults.

    Args:
        match_margin: added to the checker's no-match threshold for the audit.
            The pre-reply check may suggest an entry on a weak match; the audit
            scores agents, so it holds an answer against an entry only when the
            match is clearly better than the threshold. Questions in between
            are treated as not covered (clustered, and kb_gap candidates).
            0.15: with 0.1, "can i recycle my broken laptop" (a KB gap) matched
            the repairs entry at threshold + 0.13 and a "free label" was held
            against its £35 diagnostic fee on the shipped sample.
        confidence_margin: or, when the judgement's confidence (the question's
            match mixed with the answer's likeness to the entry, see
            :class:`~consistency.ChoicePolicy`) is this far above its ``no_match``
            bar, the answer is held against the entry too: the answer says which
            entry it is about even when the customer's words match weakly ("I got my
            password wrong a few times" for the locked-account entry). 0.07: on the
            Lumen dev transcripts kb_contradiction recall 0.88 -> 0.98 for precision
            0.83 -> 0.81 (0.05: precision 0.77); the sample week is unchanged.
        dropped_conditions: report an answer that states a KB fact without its
            condition ("free delivery" for "free on orders over £50") as a
            kb_contradiction. Off: leaving a condition out is incomplete, not
            contradictory; a *different* condition is always reported.
        probes: how many nearest KB entries (even below threshold) block an
            unmatched question. A question far from every entry has a noisy
            nearest one; probing a few keeps its paraphrases in a shared block.
        answer_probes: for a weakly matched question, how many entries nearest
            to the *answer* (by embedding, against canonical answers) may cover
            it (0: only the question's nearest entries).
        cluster_threshold: cosine (0–1) at which two unmatched questions are
            linked. With MiniLM, rewordings of one question ("do you recycle
            old batteries" / "can I bring my old electricals for recycling")
            score 0.6–0.75, different questions on one topic under 0.5.
        cluster_k: neighbours each question links to; union-find over these
            keeps clustering near-linear.
        answer_link: cosine (0–1) of two agents' answers at which their questions are
            linked although the questions' own cosine is under ``cluster_threshold``
            (down to ``answer_link_floor``): customers word one question many ways
            ("who do I call about a business account" / "what's the number for the
            business sales team", 0.45) while agents answer it in nearly the same words
            (0.96); without the link the answers fall in two clusters and a minority
            view is split below ``min_minority_answers``. Above 1: questions alone.
        answer_link_floor: the least question cosine for an answer link: two questions
            on different subjects can get the same stock answer ("I'll pass that on").
        max_block: a block larger than this is split by random-hyperplane LSH
            (seeded) so each dense similarity block stays bounded.
        gap_min_questions / gap_min_conversations: the smallest kb_gap cluster.
        max_examples: examples kept per finding (questions, answers, evidence).
        min_minority_answers: answers a value needs to count as a minority view
            in agent_disagreement. One stray answer is a slip (kb_contradiction
            or repeat_contact_conflict catch it); two or more are a habit. (On a
            question the KB does not cover one answer would be worth a flag too, but
            clusters of such questions regroup as nights add questions, so a single
            slip found on one night can vanish from the week's run: the nightly audit
            must report what one run over the same days does.)
        kb_disagreement: also report agent disagreement on facts the KB states
            (agents who consistently give another value than their colleagues).
        calendar: the working calendar promises' terms are resolved on
            (working days, business hours, timezone, holidays); ``None``: the
            default :class:`~consistency.promises.WorkingCalendar` (England,
            Mon-Fri 09:00-17:30, Europe/London).
        promise_grace_hours: a promise with no due time (no term said, no
            default for its kind) counts as due this long after the call, so
            only a chase after that is a broken promise. 24: a customer who
            calls the next day about a visit nobody booked has waited a day.
        promise_terms: working days per promise kind when the agent names no
            term, overriding :data:`~consistency.promises.DEFAULT_TERMS`
            (e.g. ``(("refund", 7),)``; ``None`` for no default).
        statement_model: let the trained statement model take part in the judgement,
            as in the pre-reply check (:class:`~consistency.StatementPolicy`). Off: a
            transcript's answer is several agent turns joined, unlike the single
            answers the model learned from. On the Lumen dev transcripts its flags
            added 33 kb_contradictions, most of them false (kb_contradiction precision
            0.87 -> 0.49), and its doubts held back 3 planted ones (kb_contradiction
            recall 1.0 -> 0.93).
    """

    match_margin: float = 0.15
    confidence_margin: float = 0.07
    dropped_conditions: bool = False
    probes: int = 3
    answer_probes: int = 3
    cluster_threshold: float = 0.6
    cluster_k: int = 10
    answer_link: float = 0.9
    answer_link_floor: float = 0.4
    max_block: int = 2048
    gap_min_questions: int = 3
    gap_min_conversations: int = 2
    max_examples: int = 5
    min_minority_answers: int = 2
    kb_disagreement: bool = True
    calendar: WorkingCalendar | None = None
    promise_grace_hours: float = 24.0
    promise_terms: tuple[tuple[str, int | None], ...] = ()
    statement_model: bool = False

    @property
    def working_calendar(self) -> WorkingCalendar:
        """``calendar``, or the default one."""
        from consistency.promises.calendar import WorkingCalendar

        return self.calendar if self.calendar is not None else WorkingCalendar()

    @property
    def terms(self) -> dict[str, int | None]:
        """Default working days per promise kind, with ``promise_terms`` applied."""
        from consistency.promises.due import DEFAULT_TERMS

        return {**DEFAULT_TERMS, **dict(self.promise_terms)}
