"""``duplicate-question`` (warning): one phrasing (after ``match_key``) in two entries.

The matcher sends such a question to the first entry only.
"""

from __future__ import annotations

from collections import defaultdict

from consistency.kb.knowledge_base import KnowledgeBase
from consistency.lint.common import cut, make_issue
from consistency.lint.models import LintIssue, LintSpan, shipped
from consistency.lint.registry import LintCheck, LintContext
from consistency.match.text import match_key

__all__ = ["CHECK", "check", "duplicate_questions", "question_spans"]


def question_spans(kb: KnowledgeBase) -> dict[str, list[LintSpan]]:
    """``match_key`` -> every (entry version, question) with that key, KB order."""
    found: dict[str, list[LintSpan]] = defaultdict(list)
    for entry in kb.entries:
        versioned = len(kb.versions(entry.id)) > 1
        for i, question in enumerate(entry.questions):
            found[match_key(question)].append(
                LintSpan(
                    entry_id=entry.id,
                    field=f"questions.{i}",
                    span=(0, len(question)),
                    text=question,
                    valid_from=entry.valid_from if versioned else None,
                )
            )
    return found


def duplicate_questions(kb: KnowledgeBase) -> tuple[list[LintIssue], set[str]]:
    """The issues, and the question keys two entries share (``ambiguous-question`` skips them)."""
    issues = []
    keys = set()
    for key, spans in question_spans(kb).items():
        ids = list(dict.fromkeys(s.entry_id for s in spans))
        if len(ids) < 2:
            continue
        keys.add(key)
        firsts = [next(s for s in spans if s.entry_id == i) for i in ids]
        names = ", ".join(f"'{i}'" for i in ids)
        message = (
            f"{names} share the question {cut(firsts[0].text)!r}; "
            "the matcher sends it to the first entry only."
        )
        issues.append(make_issue("duplicate-question", firsts, message, kb))
    return issues, keys


def check(ctx: LintContext) -> list[LintIssue]:
    """The ``duplicate-question`` check, as the registry calls it."""
    return duplicate_questions(ctx.kb)[0]


CHECK = LintCheck(
    "duplicate-question",
    shipped("duplicate-question"),
    check,
)
