"""``lint(kb)``: run the registered checks and sort what they find."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from consistency.kb.knowledge_base import KnowledgeBase
from consistency.lint.models import AMBIGUITY_MARGIN, DUPLICATE_COSINE, LintIssue, LintReport
from consistency.lint.registry import LintContext, LintRegistry, default_checks

if TYPE_CHECKING:
    from consistency.match import Index

__all__ = ["lint"]

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def lint(
    kb: KnowledgeBase,
    *,
    index: Index | None = None,
    today: dt.date | None = None,
    checks: Iterable[str] | None = None,
    ambiguity_margin: float = AMBIGUITY_MARGIN,
    duplicate_cosine: float = DUPLICATE_COSINE,
    registry: LintRegistry | None = None,
) -> LintReport:
    """Check a loaded KB for contradictions, ambiguity, duplicates, stale versions and typos.

    Args:
        kb: the knowledge base (problems that stop it loading are the loader's job).
        index: the matcher's index over ``kb``, for ``ambiguous-question`` and
            ``near-duplicate-answer``. When ``None`` and one of those is checked,
            an index is built with the default offline encoder (seconds).
        today: the day ``expired-entry`` is judged on. ``None`` skips that check:
            the date is passed in, never read from the clock here.
        checks: the codes to look for (:data:`LINT_CODES` and any registered
            check's); all by default.
        ambiguity_margin: how far (0-1 fused score) another entry must beat a
            held-out phrasing's own entry to count as ``ambiguous-question``.
        duplicate_cosine: answer cosine from which two entries are near-duplicates.
        registry: the checks to run (:data:`default_checks` by default).

    Returns:
        A :class:`LintReport`; ``report.ok`` is false when there is an error.

    Raises:
        ValueError: an unknown code in ``checks``, or an ``index`` built over another KB.
    """
    registry = registry if registry is not None else default_checks
    codes = registry.codes
    selected = _select(checks, codes)
    if today is None:
        dated = {code for check in registry for code in check.dated}
        selected = tuple(c for c in selected if c not in dated)
    if index is not None and tuple(index.entry_ids) != kb.ids:
        raise ValueError("the index was built over another KB (its entry ids differ)")
    wanted = set(selected)
    context = LintContext(kb, today, ambiguity_margin, duplicate_cosine, index, registry)
    issues: list[LintIssue] = []
    for check in registry:
        if wanted & set(check.codes):
            issues.extend(i for i in check.run(context) if i.code in wanted)
    issues = [_stamped(i, registry) for i in issues]
    order = {code: n for n, code in enumerate(codes)}
    issues.sort(key=lambda issue: _sort_key(issue, order))
    return LintReport(issues=tuple(issues), checks=selected, entries=len(kb), today=today)


def _select(checks: Iterable[str] | None, codes: tuple[str, ...]) -> tuple[str, ...]:
    if checks is None:
        return codes
    chosen = set(checks)
    unknown = sorted(chosen - set(codes))
    if unknown:
        raise ValueError(
            f"unknown lint code(s) {', '.join(map(repr, unknown))}; known codes: {', '.join(codes)}"
        )
    return tuple(c for c in codes if c in chosen)


def _stamped(issue: LintIssue, registry: LintRegistry) -> LintIssue:
    """The issue with its code's severity in ``registry`` (one severity a code)."""
    severity = registry.severity(issue.code)
    return issue if issue.severity == severity else issue.model_copy(update={"severity": severity})


def _sort_key(issue: LintIssue, order: dict[str, int]) -> tuple[object, ...]:
    first = issue.spans[0] if issue.spans else None
    return (
        _SEVERITY_ORDER[issue.severity],
        order[issue.code],
        issue.entry_ids,
        issue.fields,
        (first.span or (0, 0)) if first else (0, 0),
        issue.message,
    )
