"""Write the audit's outputs from finished records: JSONL, JSON and the HTML report.

Writers only serialise what the audit built; they never decide what a finding
is. Every file is written to a temporary name and renamed, so a reader never
sees half a report.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from consistency.audit.models import AuditSummary, Finding, json_default

__all__ = ["write_errors", "write_findings", "write_outputs", "write_report", "write_summary"]


def _atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_findings(path: str | Path, findings: Iterable[Finding]) -> int:
    """One finding a line, in the order given (the audit sorts them stably)."""
    lines = [f.model_dump_json() for f in findings]
    _atomic(Path(path), "".join(line + "\n" for line in lines))
    return len(lines)


def write_summary(path: str | Path, summary: AuditSummary) -> None:
    _atomic(Path(path), summary.model_dump_json(indent=2) + "\n")


def _error_dict(error: Any) -> dict[str, Any]:
    data = error.model_dump(mode="json") if hasattr(error, "model_dump") else dict(error)
    return {
        "file": data.get("file"),
        "line": data.get("line"),
        "reason": data.get("reason"),
        **{k: v for k, v in data.items() if k not in ("file", "line", "reason")},
    }


def write_errors(path: str | Path, errors: Sequence[Any]) -> int:
    """``{"file", "line", "reason", ...}`` per skipped record, in reading order."""
    lines = [json.dumps(_error_dict(e), default=json_default) for e in errors]
    _atomic(Path(path), "".join(line + "\n" for line in lines))
    return len(lines)


def write_report(path: str | Path, findings: Sequence[Finding], summary: AuditSummary) -> None:
    from consistency.report.html import render_report

    _atomic(Path(path), render_report(findings, summary))


def write_outputs(
    out: str | Path, findings: Sequence[Finding], summary: AuditSummary, errors: Sequence[Any]
) -> None:
    """``findings.jsonl``, ``summary.json``, ``errors.jsonl`` and ``report.html`` in ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    write_findings(out / "findings.jsonl", findings)
    write_errors(out / "errors.jsonl", errors)
    write_summary(out / "summary.json", summary)
    write_report(out / "report.html", findings, summary)
