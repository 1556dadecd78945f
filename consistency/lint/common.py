"""What the lint checks share: building an issue, naming an entry version, cutting text."""

from __future__ import annotations

from collections.abc import Sequence

from consistency.kb.knowledge_base import KnowledgeBase
from consistency.lint.models import SEVERITIES, LintIssue, LintSpan, Severity
from consistency.models import KBEntry, Span

__all__ = [
    "answer_span",
    "cut",
    "cut_left",
    "make_issue",
    "version_label",
    "where",
]


def make_issue(
    code: str,
    spans: Sequence[LintSpan],
    message: str,
    kb: KnowledgeBase,
    entries: Sequence[KBEntry] = (),
    *,
    severity: Severity | None = None,
) -> LintIssue:
    """An issue over ``spans``: their entries and fields in order, each entry's ``file:line``.

    ``entries`` are the versions the spans are from (an id's first version
    otherwise); ``severity`` is needed for a code that is not shipped (a
    check's own, :meth:`LintContext.issue` passes its registered one).
    """
    ids: list[str] = []
    fields: list[str] = []
    for s in spans:
        if s.entry_id not in ids:
            ids.append(s.entry_id)
        if s.field not in fields:
            fields.append(s.field)
    by_id = {e.id: e for e in entries}
    sources = []
    for entry_id in ids:
        entry = by_id.get(entry_id) or kb.versions(entry_id)[0]
        sources.append(where(entry))
    return LintIssue(
        code=code,
        severity=severity or SEVERITIES[code],  # type: ignore[index]
        entry_ids=tuple(ids),
        fields=tuple(fields),
        spans=tuple(spans),
        message=message,
        sources=tuple(sources),
    )


def where(entry: KBEntry) -> str:
    """``file:line`` of an entry version (``<memory>`` for one built in code)."""
    file = entry.source_file or "<memory>"
    return f"{file}:{entry.source_line}" if entry.source_line is not None else file


def version_label(kb: KnowledgeBase, entry: KBEntry) -> str:
    """``'id'``, with the version's start when the id has several."""
    if len(kb.versions(entry.id)) < 2:
        return f"'{entry.id}'"
    return f"'{entry.id}' (from {entry.valid_from or 'the start'})"


def answer_span(entry: KBEntry, span: Span, *, versioned: bool) -> LintSpan:
    """``span`` of ``entry``'s answer (naming the version when ``versioned``)."""
    return LintSpan(
        entry_id=entry.id,
        field="answer",
        span=span,
        text=entry.answer[span[0] : span[1]],
        valid_from=entry.valid_from if versioned else None,
    )


def cut(text: str, n: int = 60) -> str:
    """``text`` cut to ``n`` characters, an ellipsis at the end."""
    return text if len(text) <= n else text[: n - 1] + "…"


def cut_left(text: str, n: int = 50) -> str:
    """``text`` cut to its last ``n`` characters, an ellipsis at the start."""
    return text if len(text) <= n else "…" + text[-(n - 1) :]
