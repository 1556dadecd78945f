"""``no-checkable-fact`` (info): an answer with nothing the checker can compare.

Every agent answer matched to such an entry is ``unverified``.
"""

from __future__ import annotations

from consistency.compare import facts_for
from consistency.kb.knowledge_base import KnowledgeBase
from consistency.lint.common import answer_span, make_issue, version_label
from consistency.lint.models import LintIssue, shipped
from consistency.lint.registry import LintCheck, LintContext

__all__ = ["CHECK", "check"]


def _no_checkable_fact(kb: KnowledgeBase) -> list[LintIssue]:
    issues = []
    for entry in kb.entries:
        if any(f.kind != "condition" for f in facts_for(entry.answer)):
            continue
        versioned = len(kb.versions(entry.id)) > 1
        span = answer_span(entry, (0, len(entry.answer)), versioned=versioned)
        message = (
            f"{version_label(kb, entry)}: the answer states no value or claim the checker "
            "can compare, so every answer matched to it is 'unverified'."
        )
        issues.append(make_issue("no-checkable-fact", [span], message, kb, (entry,)))
    return issues


def check(ctx: LintContext) -> list[LintIssue]:
    """The ``no-checkable-fact`` check, as the registry calls it."""
    return _no_checkable_fact(ctx.kb)


CHECK = LintCheck(
    "no-checkable-fact",
    shipped("no-checkable-fact"),
    check,
)
