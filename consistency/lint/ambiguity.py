"""``ambiguous-question`` (warning): held out of its entry, a phrasing goes elsewhere.

Each phrasing is taken out of its entry, as if a customer asked it in new
words; when another entry then wins by a clear margin the KB misleads the
matcher. Phrasings shared by two entries are ``duplicate-question``'s business.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from consistency.kb.knowledge_base import KnowledgeBase
from consistency.lint.common import cut, make_issue
from consistency.lint.duplicates import duplicate_questions, question_spans
from consistency.lint.models import LintIssue, shipped
from consistency.lint.registry import LintCheck, LintContext
from consistency.match.text import match_key

if TYPE_CHECKING:
    from consistency.match import Index

__all__ = ["CHECK", "check"]


def _ambiguous_questions(
    kb: KnowledgeBase, index: Index, margin: float, skip_keys: set[str]
) -> list[LintIssue]:
    """Hold each phrasing out of its entry, as if a customer asked it in new words.

    Entries with one phrasing are skipped: held out, nothing of them is left to match.
    """
    locations = question_spans(kb)
    phrase_owner = _phrase_owners(kb, index)
    counts: dict[int, int] = defaultdict(int)
    for owner in phrase_owner:
        counts[owner] += 1
    issues = []
    for phrase, owner in enumerate(phrase_owner):
        key = match_key(index.phrasings[phrase])
        if counts[owner] < 2 or key in skip_keys:
            continue
        own_id = index.entry_ids[owner]
        ranked = index._rank(  # the held-out ranking of leave_one_out
            key, index.phrase_vectors[phrase], index.candidates, exclude_phrase=phrase
        )
        own = next((m.score for m in ranked if m.entry_id == own_id), None)
        best = next((m for m in ranked if m.entry_id != own_id), None)
        if best is None or best.score - (own or 0.0) < margin:
            continue
        asked = next(s for s in locations[key] if s.entry_id == own_id)
        own_text = f"{own:.2f}" if own is not None else f"not among the {index.candidates} nearest"
        other = [
            s
            for s in locations.get(match_key(best.matched_question), [])
            if s.entry_id == best.entry_id
        ]
        message = (
            f"Question {cut(asked.text)!r} of '{own_id}' matches '{best.entry_id}' "
            f"better ({best.score:.2f}, via {cut(best.matched_question, 40)!r}) than its "
            f"own entry ({own_text}) once held out: reword it or merge the entries."
        )
        issues.append(make_issue("ambiguous-question", [asked, *other[:1]], message, kb))
    return issues


def _phrase_owners(kb: KnowledgeBase, index: Index) -> list[int]:
    """The entry ordinal of each of ``index.phrasings``, built as ``Index`` builds them."""
    owners: list[int] = []
    for ordinal, entry_id in enumerate(index.entry_ids):
        seen: set[str] = set()
        for version in kb.versions(entry_id):
            for question in version.questions:
                key = match_key(question)
                if key not in seen:
                    seen.add(key)
                    owners.append(ordinal)
    if len(owners) != len(index.phrasings):
        raise ValueError("the index's phrasings do not match the KB's questions")
    return owners


def check(ctx: LintContext) -> list[LintIssue]:
    """The ``ambiguous-question`` check, as the registry calls it."""
    return _ambiguous_questions(
        ctx.kb, ctx.index, ctx.ambiguity_margin, duplicate_questions(ctx.kb)[1]
    )


CHECK = LintCheck(
    "ambiguous-question",
    shipped("ambiguous-question"),
    check,
    needs_index=True,
)
