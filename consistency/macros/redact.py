"""The one place ``check-macros`` masks personal data: every text it prints or writes.

A macro's title and body are one context: what is found in either ("Dear Jane
Smith", "date of birth 14/07/1983") is masked wherever the macro's texts
appear, the title included, in its result (title, the question that matched,
explanations, the conflicting values), in its findings and in the report built
from them. The checker itself sees the macros unmasked, so a wrong number in a
macro is still found; only what leaves the command is masked.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING

from consistency.macros.check import mask_placeholders
from consistency.macros.models import Macro, MacroError, MacroReport, MacroResult
from consistency.redact.spans import mask

if TYPE_CHECKING:
    from consistency.redact import Redactor

__all__ = ["redact_macro_errors", "redact_macro_report"]


def redact_macro_errors(errors: Sequence[MacroError], redactor: Redactor) -> list[MacroError]:
    """Skipped macros with personal data masked in the reason (a quoted value, a title)."""
    return [
        redactor.redact_error(e).model_copy(
            update={"macro_id": redactor.redact_text(e.macro_id) if e.macro_id else e.macro_id}
        )
        for e in errors
    ]


def redact_macro_report(
    report: MacroReport, macros: Sequence[Macro], redactor: Redactor
) -> MacroReport:
    """``report`` with personal data masked in every text, each macro's title and body as context.

    Args:
        report: what :func:`~consistency.macros.check_macros` returned for ``macros``.
        macros: the macros checked (their titles and bodies are where personal
            data is found in full context).
        redactor: the :class:`~consistency.redact.Redactor` for the KB checked
            against (its own facts stay visible).
    """
    by_id = {m.id: m for m in macros}
    records = [
        SimpleNamespace(transcript_id=None, question=m.title, answer=mask_placeholders(m.body))
        for m in macros
    ]
    findings = redactor.redact_findings(report.findings, records=records)
    results = tuple(_result(r, by_id.get(r.macro_id), redactor) for r in report.results)
    return report.model_copy(update={"results": results, "findings": tuple(findings)})


def _result(result: MacroResult, macro: Macro | None, redactor: Redactor) -> MacroResult:
    """One macro's result masked as one conversation: its title, body, question and values."""
    body = mask_placeholders(macro.body) if macro is not None else ""
    title = macro.title if macro is not None else result.title
    # A conflicting value said inside personal data ("born 14/07/1983" read as a date)
    # is masked whole wherever it is shown, even normalised ("1983-07-14").
    pii = redactor.detect(body)
    said: dict[str, str] = {}
    for c in result.conflicts:
        span = c.answer_span
        hit = [s for s in pii if span is not None and s.start < span[1] and span[0] < s.end]
        if hit:
            kind = max(hit, key=lambda s: s.end - s.start).kind
            for value in (c.answer_value, c.answer_text):
                if value:
                    said[value] = kind

    def hide(text: str) -> str:
        for value in sorted(said, key=len, reverse=True):
            text = text.replace(value, mask(said[value], len(value)))
        return text

    texts = [
        result.title,
        result.question,
        result.explanation,
        *(t for c in result.conflicts for t in (c.answer_text, c.answer_value, c.explanation)),
    ]
    masked = redactor.redact_texts([title, body, *map(hide, texts)])[2:]
    it = iter(masked)
    new_title, question, explanation = next(it), next(it), next(it)
    conflicts = tuple(
        c.model_copy(
            update={"answer_text": next(it), "answer_value": next(it), "explanation": next(it)}
        )
        for c in result.conflicts
    )
    source = result.source_file
    return result.model_copy(
        update={
            "title": new_title,
            "question": question,
            "explanation": explanation,
            "conflicts": conflicts,
            "source_file": redactor.redact_text(source) if source else source,
        }
    )
