"""``near-duplicate-answer`` (warning): two answers whose embeddings almost coincide."""

from __future__ import annotations

from typing import TYPE_CHECKING

from consistency.kb.knowledge_base import KnowledgeBase
from consistency.lint.common import answer_span, make_issue
from consistency.lint.models import LintIssue, shipped
from consistency.lint.registry import LintCheck, LintContext

if TYPE_CHECKING:
    from consistency.match import Index

__all__ = ["CHECK", "check"]


def _near_duplicate_answers(kb: KnowledgeBase, index: Index, threshold: float) -> list[LintIssue]:
    """Answer pairs at or above ``threshold`` cosine, compared a block of rows at a time."""
    import numpy as np

    vectors = np.asarray(index.answer_vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1)
    norms[norms == 0] = 1.0
    unit = vectors / norms[:, None]
    ids = index.entry_ids
    issues = []
    block = 1024
    for top in range(0, len(ids), block):
        sims = unit[top : top + block] @ unit.T
        for row, j in zip(*np.nonzero(sims >= threshold), strict=True):
            i = top + int(row)
            if j <= i:
                continue
            a, b = kb.versions(ids[i])[-1], kb.versions(ids[j])[-1]
            spans = [
                answer_span(a, (0, len(a.answer)), versioned=len(kb.versions(a.id)) > 1),
                answer_span(b, (0, len(b.answer)), versioned=len(kb.versions(b.id)) > 1),
            ]
            message = (
                f"'{a.id}' and '{b.id}' give almost the same answer "
                f"(cosine {float(sims[row, j]):.2f}); keep one, or make each say what sets "
                "it apart."
            )
            issues.append(make_issue("near-duplicate-answer", spans, message, kb, (a, b)))
    return issues


def check(ctx: LintContext) -> list[LintIssue]:
    """The ``near-duplicate-answer`` check, as the registry calls it."""
    return _near_duplicate_answers(ctx.kb, ctx.index, ctx.duplicate_cosine)


CHECK = LintCheck(
    "near-duplicate-answer",
    shipped("near-duplicate-answer"),
    check,
    needs_index=True,
)
