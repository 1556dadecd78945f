"""``version-gap`` and ``expired-entry`` (warning): days no version of an id covers.

A gap between two versions leaves questions asked then with no entry; the last
version of an id ending before ``today`` leaves them with none from then on.
"""

from __future__ import annotations

import datetime as dt
import itertools

from consistency.kb.knowledge_base import KnowledgeBase
from consistency.lint.common import make_issue
from consistency.lint.models import LintIssue, LintSpan, shipped
from consistency.lint.registry import LintCheck, LintContext
from consistency.models import KBEntry

__all__ = ["CHECK", "check"]


def _date_span(kb: KnowledgeBase, entry: KBEntry, field: str, day: dt.date) -> LintSpan:
    versioned = len(kb.versions(entry.id)) > 1
    return LintSpan(
        entry_id=entry.id,
        field=field,
        span=None,
        text=day.isoformat(),
        valid_from=entry.valid_from if versioned else None,
    )


def _version_problems(kb: KnowledgeBase, today: dt.date | None) -> list[LintIssue]:
    issues = []
    for entry_id in kb.ids:
        versions = kb.versions(entry_id)
        for before, after in itertools.pairwise(versions):
            if before.valid_to is None or after.valid_from is None:
                continue  # overlapping or open versions are refused by the loader
            first_free = before.valid_to + dt.timedelta(days=1)
            if after.valid_from > first_free:
                last_free = after.valid_from - dt.timedelta(days=1)
                days = (after.valid_from - first_free).days
                spans = [
                    _date_span(kb, before, "valid_to", before.valid_to),
                    _date_span(kb, after, "valid_from", after.valid_from),
                ]
                message = (
                    f"'{entry_id}' has no version from {first_free} to {last_free} "
                    f"({days} day{'s' if days != 1 else ''}): questions asked then get no_match."
                )
                issues.append(make_issue("version-gap", spans, message, kb, (before,)))
        last = versions[-1]
        if today is not None and last.valid_to is not None and last.valid_to < today:
            message = (
                f"'{entry_id}' ended on {last.valid_to} and nothing replaces it; "
                "remove it or add the version that applies now."
            )
            spans = [_date_span(kb, last, "valid_to", last.valid_to)]
            issues.append(make_issue("expired-entry", spans, message, kb, (last,)))
    return issues


def check(ctx: LintContext) -> list[LintIssue]:
    """The ``versions`` check, as the registry calls it."""
    return _version_problems(ctx.kb, ctx.today)


CHECK = LintCheck(
    "versions",
    shipped("version-gap", "expired-entry"),
    check,
    dated=frozenset({"expired-entry"}),
)
