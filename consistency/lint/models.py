"""The lint's records (issues, spans, the report) and the shipped codes with their severities.

Records are frozen pydantic models, like pydantic's own errors: a stable
``code`` for machines, the entries, fields and spans involved, a sentence for
people.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict

from consistency.models import Span

__all__ = [
    "AMBIGUITY_MARGIN",
    "DUPLICATE_COSINE",
    "LINT_CODES",
    "MATCHER_CODES",
    "SEVERITIES",
    "LintCode",
    "LintIssue",
    "LintReport",
    "LintSpan",
    "Severity",
    "shipped",
]

LintCode = Literal[
    "conflicting-facts",
    "broken-url",
    "broken-email",
    "ambiguous-question",
    "duplicate-question",
    "near-duplicate-answer",
    "version-gap",
    "expired-entry",
    "no-checkable-fact",
]
Severity = Literal["error", "warning", "info"]

#: Every shipped lint code, in the order of :data:`LintCode` (registered checks add theirs after).
LINT_CODES: tuple[LintCode, ...] = get_args(LintCode)
#: The one severity of each shipped code.
SEVERITIES: dict[LintCode, Severity] = {
    "conflicting-facts": "error",
    "broken-url": "error",
    "broken-email": "error",
    "ambiguous-question": "warning",
    "duplicate-question": "warning",
    "near-duplicate-answer": "warning",
    "version-gap": "warning",
    "expired-entry": "warning",
    "no-checkable-fact": "info",
}


def shipped(*codes: LintCode) -> dict[str, Severity]:
    """``codes`` with their shipped severities, for a shipped check's registration."""
    return {code: SEVERITIES[code] for code in codes}


#: Codes that need embeddings (an :class:`~consistency.match.Index`).
MATCHER_CODES: frozenset[LintCode] = frozenset({"ambiguous-question", "near-duplicate-answer"})

#: Held out, a phrasing is ambiguous when another entry beats its own by this much (0-1).
AMBIGUITY_MARGIN = 0.15
#: Answer-embedding cosine at which two entries are near-duplicates.
DUPLICATE_COSINE = 0.95


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LintSpan(_Frozen):
    """Where an issue lies: a field of one entry (version) and the text in it.

    ``field`` is ``answer``, ``questions.<i>``, ``valid_from`` or ``valid_to``.
    ``span`` is half-open into that field's text as loaded (answers have their
    whitespace collapsed), so ``entry.answer[start:end] == text``; it is ``None``
    for date fields, whose ``text`` is the ISO date. ``valid_from`` names the
    version when an id has several.
    """

    entry_id: str
    field: str
    span: Span | None
    text: str
    valid_from: dt.date | None = None


class LintIssue(_Frozen):
    """One thing to fix in the KB: a stable ``code`` for machines, ``message`` for people."""

    code: str
    """A shipped :data:`LintCode`, or the code of a check registered with :func:`register_check`."""

    severity: Severity
    entry_ids: tuple[str, ...]
    fields: tuple[str, ...]
    spans: tuple[LintSpan, ...]
    message: str
    sources: tuple[str, ...] = ()
    """``file:line`` of each entry involved, in ``entry_ids`` order."""


class LintReport(_Frozen):
    """Every issue found, sorted by severity, then code, then entries."""

    issues: tuple[LintIssue, ...]
    checks: tuple[str, ...]
    """The codes that were checked (a code not here was not looked for)."""
    entries: int
    today: dt.date | None = None

    def count(self, severity: Severity) -> int:
        return sum(1 for i in self.issues if i.severity == severity)

    @property
    def errors(self) -> int:
        return self.count("error")

    @property
    def warnings(self) -> int:
        return self.count("warning")

    @property
    def infos(self) -> int:
        return self.count("info")

    @property
    def ok(self) -> bool:
        """No errors (warnings and infos allowed)."""
        return self.errors == 0

    def by_code(self, code: str) -> list[LintIssue]:
        return [i for i in self.issues if i.code == code]
