"""Findings as a table for spreadsheets: ``findings.csv`` and ``findings.xlsx``.

One row per finding, in ``findings.jsonl``'s order, with the evidence
flattened into columns a QA analyst can read and filter: the kind in plain
words (and its code), the KB entry, the fact kind, the values, who said them
in which conversations on which days, and the quotes. Lists are joined with
", " (ids, days), " / " (values) or one per line (quotes, questions).

``findings.jsonl`` stays the contract; these files are for people. Text from
transcripts can start with ``=``, ``+``, ``-`` or ``@``, which a spreadsheet
would run as a formula: in the CSV such a cell gets a leading ``'`` (the usual
guard); in the XLSX every text cell is stored as text, so nothing is evaluated.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from consistency.findings import Evidence, Finding
from consistency.report.labels import kind_label, quote, tidy_quotes

__all__ = [
    "COLUMNS",
    "XLSX_CELL_LIMIT",
    "finding_row",
    "finding_rows",
    "read_findings_csv",
    "write_findings_csv",
    "write_findings_xlsx",
]

#: The table's columns, in order.
COLUMNS: tuple[str, ...] = (
    "Finding id",
    "Kind",
    "Kind code",
    "Severity",
    "Topic",
    "KB entry",
    "Fact kind",
    "Values",
    "KB says",
    "Agents",
    "Customers",
    "Conversations",
    "Days",
    "Quotes",
    "Questions",
    "Promise",
    "Volume",
    "Explanation",
)

#: Excel keeps at most this many characters in a cell.
XLSX_CELL_LIMIT = 32_767

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _day(stamp: str | None) -> str | None:
    return stamp[:10] if stamp and re.match(r"\d{4}-\d{2}-\d{2}", stamp) else None


def _days(f: Finding) -> list[str]:
    stamps = [ev.started_at for ev in (*f.evidence, *f.answers)]
    stamps += [f.first_seen, f.last_seen]
    if f.promise is not None:
        stamps += [f.promise.made_at, f.promise.chased_at]
    return sorted({d for d in map(_day, stamps) if d})


def _where(ev: Evidence, macro_id: str | None) -> str:
    if ev.source == "kb":
        return f"KB {ev.entry_id or ''}".rstrip()
    if macro_id is not None and ev.transcript_id is None:
        return f"macro {macro_id}"
    parts = [ev.transcript_id or "-"]
    if ev.turn is not None:
        parts[0] += f" turn {ev.turn}"
    if ev.source == "question":
        parts.append(f"customer {ev.customer_id or '-'}")
    else:
        parts.append(f"agent {ev.agent_id or '-'}")
    if _day(ev.started_at):
        parts.append(_day(ev.started_at) or "")
    return ", ".join(parts)


def _quote_line(ev: Evidence, macro_id: str | None) -> str:
    if ev.snippet:
        said = quote(ev.snippet, ev.snippet_span, whole=ev.snippet == ev.text)
    else:
        said = ev.text
    return f"{_where(ev, macro_id)}: \u201c{said}\u201d"


def _promise(f: Finding) -> str:
    p = f.promise
    if p is None:
        return ""
    parts = [f"{p.kind.replace('_', ' ')} promised {p.made_at.replace('T', ' ')}"]
    parts.append(f"due {p.due.replace('T', ' ')}" if p.due else "no due time")
    if p.due_text:
        parts[-1] += f' ("{p.due_text}")'
    if p.chased_at:
        parts.append(f"chased {p.chased_at.replace('T', ' ')}")
    if p.fulfilled_at:
        parts.append(f"done {p.fulfilled_at.replace('T', ' ')} (fulfilment file)")
    elif p.reason == "not_kept":
        parts.append("never done (fulfilment file)")
    return "; ".join(parts)


def finding_row(f: Finding) -> dict[str, Any]:
    """One finding as ``{column: value}``: text everywhere, ``Volume`` an int."""
    quoted = f.answers if f.kind == "kb_gap" else f.evidence
    sources = [*f.questions, *(ev.text for ev in f.evidence), *(ev.text for ev in f.answers)]
    return {
        "Finding id": f.id,
        "Kind": kind_label(f.kind),
        "Kind code": f.kind,
        "Severity": f.severity,
        "Topic": f.topic or "",
        "KB entry": f.entry_id or "",
        "Fact kind": f.fact_kind or "",
        "Values": " / ".join(f.values),
        "KB says": f.kb_value or "",
        "Agents": ", ".join(f.agent_ids),
        "Customers": ", ".join(f.customer_ids),
        "Conversations": ", ".join(f.transcript_ids),
        "Days": ", ".join(_days(f)),
        "Quotes": "\n".join(_quote_line(ev, f.macro_id) for ev in quoted),
        "Questions": "\n".join(f.questions),
        "Promise": _promise(f),
        "Volume": f.volume,
        "Explanation": tidy_quotes(f.explanation, sources),
    }


def finding_rows(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """:func:`finding_row` of each finding, in the order given."""
    return [finding_row(f) for f in findings]


def _csv_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_findings_csv(path: str | os.PathLike[str], findings: Iterable[Finding]) -> int:
    """``findings.csv``: UTF-8, a header row, then one row per finding; returns the count."""
    path = Path(path)
    rows = finding_rows(findings)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([_csv_cell(row[c]) for c in COLUMNS])
    os.replace(tmp, path)
    return len(rows)


#: Column widths in the XLSX (characters); the rest get 14.
_WIDTHS = {
    "Finding id": 18,
    "Kind": 30,
    "Kind code": 22,
    "Topic": 14,
    "KB entry": 22,
    "Values": 24,
    "Agents": 16,
    "Customers": 16,
    "Conversations": 28,
    "Days": 12,
    "Quotes": 80,
    "Questions": 50,
    "Promise": 40,
    "Explanation": 80,
}
_WRAPPED = frozenset({"Quotes", "Questions", "Promise", "Explanation"})
_CUT = " … [cut: the whole text is in findings.jsonl]"


def _fit(text: str, limit: int = XLSX_CELL_LIMIT) -> str:
    """``text`` short enough for one Excel cell, cut at a space, saying so."""
    if len(text) <= limit:
        return text
    room = limit - len(_CUT)
    gap = text.rfind(" ", 0, room)
    return text[: gap if gap > room // 2 else room].rstrip() + _CUT


def write_findings_xlsx(path: str | os.PathLike[str], findings: Iterable[Finding]) -> int:
    """``findings.xlsx``: one sheet, "Findings", a bold frozen header with filters; returns the count.

    Raises:
        ImportError: openpyxl is not installed.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    path = Path(path)
    rows = finding_rows(findings)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Findings")
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS.get(column, 14)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(rows) + 1}"
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")

    def cell(value: Any, column: str, *, header: bool = False) -> Any:
        if isinstance(value, str):
            value = _fit(ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))
        item = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            item.data_type = "s"  # text, even when it starts with "=": never a formula
        if header:
            item.font = bold
        else:
            item.alignment = wrap if column in _WRAPPED else top
        return item

    sheet.append([cell(c, c, header=True) for c in COLUMNS])
    for row in rows:
        sheet.append([cell(row[c], c) for c in COLUMNS])
    tmp = path.with_name(path.name + ".tmp")
    book.save(tmp)
    os.replace(tmp, path)
    return len(rows)


def read_findings_csv(path: str | os.PathLike[str]) -> Sequence[dict[str, str]]:
    """``findings.csv`` read back as ``{column: text}`` rows (the formula guard undone)."""
    with open(path, encoding="utf-8", newline="") as handle:
        out = []
        for row in csv.DictReader(handle):
            out.append(
                {
                    k: v[1:] if v.startswith("'") and v[1:].startswith(_FORMULA_START) else v
                    for k, v in row.items()
                }
            )
        return out
