"""Write the audit's outputs from finished records: JSONL, JSON, the HTML report and exports.

Writers only serialise what the audit built; they never decide what a finding
is. Every file is written to a temporary name and renamed, so a reader never
sees half a report.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from consistency.findings import AuditSummary, Finding, json_default

__all__ = [
    "FINDINGS_FORMATS",
    "check_formats",
    "write_errors",
    "write_findings",
    "write_outputs",
    "write_report",
    "write_summary",
]

#: Findings file formats. ``findings.jsonl`` (the contract) is always written;
#: ``parquet`` adds ``findings.parquet`` (the ``frames`` extra, see :mod:`consistency.frames`);
#: ``csv`` and ``xlsx`` add ``findings.csv`` / ``findings.xlsx``, one readable row per
#: finding for spreadsheets (:mod:`consistency.report.table`).
FINDINGS_FORMATS: tuple[str, ...] = ("jsonl", "parquet", "csv", "xlsx")

#: The extra files a format adds beside ``findings.jsonl``.
_EXTRA_FILES = {"parquet": "findings.parquet", "csv": "findings.csv", "xlsx": "findings.xlsx"}


def check_formats(formats: Sequence[str] | str) -> tuple[str, ...]:
    """The formats, checked before any work: unknown ones and a missing library fail fast.

    Each item may hold several, comma-separated (``"csv,xlsx"``); case and
    spaces around names do not matter; repeats count once.

    Raises:
        ValueError: an unknown format (the message lists the known ones).
        ImportError: ``parquet`` without pyarrow (the message names the extra), or
            ``xlsx`` without openpyxl.
    """
    if isinstance(formats, str):
        formats = (formats,)
    names = [n.strip().lower() for item in formats for n in str(item).split(",")]
    names = [n for n in names if n]
    unknown = [f for f in names if f not in FINDINGS_FORMATS]
    if unknown:
        raise ValueError(
            f"unknown findings format {unknown[0]!r}; known: {', '.join(FINDINGS_FORMATS)}"
        )
    if "parquet" in names:
        from consistency.frames import require

        require("pyarrow.parquet")
    if "xlsx" in names:
        import importlib.util

        if importlib.util.find_spec("openpyxl") is None:
            raise ImportError("the xlsx format needs openpyxl: pip install openpyxl")
    return tuple(dict.fromkeys(names))


def _atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_findings(path: str | Path, findings: Iterable[Finding]) -> int:
    """One finding a line, in the order given (the audit sorts them stably)."""
    lines = [f.model_dump_json() for f in findings]
    _atomic(Path(path), "".join(line + "\n" for line in lines))
    return len(lines)


def write_summary(path: str | Path, summary: AuditSummary | BaseModel) -> None:
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


def write_report(
    path: str | Path,
    findings: Sequence[Finding],
    summary: AuditSummary,
    *,
    title: str = "Consistency audit",
    subtitle: str | None = None,
    kinds: Sequence[str] | None = None,
    cards: Sequence[tuple[str, int]] | None = None,
    agents: bool = True,
    reviews: Mapping[str, Any] | None = None,
) -> None:
    """``report.html``; the options are :func:`~consistency.report.html.render_report`'s.

    ``reviews`` (:func:`consistency.review.load_reviews`) shows each finding's
    decision, read-only: a file report has no server to record one.
    """
    from consistency.report.html import render_report

    html = render_report(
        findings,
        summary,
        title=title,
        subtitle=subtitle,
        kinds=kinds,
        cards=cards,
        agents=agents,
        reviews=reviews,
    )
    _atomic(Path(path), html)


def write_outputs(
    out: str | Path,
    findings: Sequence[Finding],
    summary: AuditSummary,
    errors: Sequence[Any],
    *,
    formats: Sequence[str] = ("jsonl",),
    reviews: Mapping[str, Any] | None = None,
) -> None:
    """``findings.jsonl``, ``summary.json``, ``errors.jsonl`` and ``report.html`` in ``out``.

    ``formats`` including ``"parquet"``, ``"csv"`` or ``"xlsx"`` adds
    ``findings.parquet``, ``findings.csv`` or ``findings.xlsx`` (same findings,
    same order); a format not asked for has its file from an earlier run
    removed, so the folder never holds two different sets of findings.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    chosen = check_formats(formats)
    write_findings(out / "findings.jsonl", findings)
    for fmt, name in _EXTRA_FILES.items():
        if fmt not in chosen:
            (out / name).unlink(missing_ok=True)
        elif fmt == "parquet":
            from consistency.frames import write_findings_parquet

            write_findings_parquet(out / name, findings)
        elif fmt == "csv":
            from consistency.report.table import write_findings_csv

            write_findings_csv(out / name, findings)
        else:
            from consistency.report.table import write_findings_xlsx

            write_findings_xlsx(out / name, findings)
    write_errors(out / "errors.jsonl", errors)
    write_summary(out / "summary.json", summary)
    write_report(out / "report.html", findings, summary, reviews=reviews)
