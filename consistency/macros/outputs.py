"""Write ``check-macros``' files with the audit's writers: findings, summary, report, errors.

``findings.jsonl`` holds ``macro_contradiction`` findings (the audit's
:class:`~consistency.audit.Finding`, with ``macro_id``), ``summary.json`` a
:class:`~consistency.macros.models.MacroSummary`, ``report.html`` the audit's
renderer with the macro section only, ``errors.jsonl`` the skipped macros and
``results.jsonl`` one line per macro (status, entry, score, the question that
matched), so macros the KB does not cover can be listed too.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from consistency.findings import AuditSummary
from consistency.macros.models import MacroError, MacroReport, MacroSummary
from consistency.report.writers import write_errors, write_findings, write_report, write_summary

__all__ = ["write_macro_outputs"]


def write_macro_outputs(
    out: str | Path, report: MacroReport, errors: Sequence[MacroError] = ()
) -> MacroSummary:
    """Write every file into ``out`` (created if needed); returns the summary written."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    summary = report.summary(errors).model_copy(update={"out": str(out)})
    write_findings(out / "findings.jsonl", report.findings)
    write_errors(out / "errors.jsonl", errors)
    write_summary(out / "summary.json", summary)
    tmp = out / "results.jsonl.tmp"
    tmp.write_text("".join(r.model_dump_json() + "\n" for r in report.results), encoding="utf-8")
    tmp.replace(out / "results.jsonl")
    sources = ", ".join(summary.sources) or "no files"
    version = f"KB versions valid on {summary.on}" if summary.on else "the newest KB versions"
    write_report(
        out / "report.html",
        report.findings,
        _as_audit(summary),
        title="Canned responses checked against the knowledge base",
        subtitle=f"{summary.macros} macros from {sources}, held against {version}",
        kinds=("macro_contradiction",),
        cards=(
            ("macros", summary.macros),
            ("matched a KB entry", summary.matched),
            ("contradict the KB", summary.contradictions),
            ("findings", summary.findings),
            ("unverified", summary.unverified),
            ("no KB entry", summary.no_match),
            ("input errors", summary.errors),
        ),
        agents=False,
    )
    return summary


def _as_audit(summary: MacroSummary) -> AuditSummary:
    """The counts the audit's renderer reads (its tables by topic and entry)."""
    return AuditSummary(
        exchanges=summary.macros,
        matched=summary.matched,
        unmatched=summary.no_match,
        errors=summary.errors,
        findings=summary.findings,
        by_kind={"macro_contradiction": summary.findings},
        by_topic=summary.by_topic,
        by_entry=summary.by_entry,
    )
