"""findings.csv and findings.xlsx: one readable row per finding, safe to open in a spreadsheet."""

from __future__ import annotations

import csv

import pytest
from openpyxl import load_workbook

from consistency.report.table import (
    COLUMNS,
    XLSX_CELL_LIMIT,
    finding_row,
    read_findings_csv,
    write_findings_csv,
    write_findings_xlsx,
)
from consistency.report.writers import check_formats, write_outputs

from .helpers import broken_promise, contradiction, gap, summary_of


def test_a_row_flattens_the_evidence_into_readable_columns() -> None:
    row = finding_row(contradiction())
    assert list(row) == list(COLUMNS)
    assert row["Kind"] == "KB contradiction" and row["Kind code"] == "kb_contradiction"
    assert row["KB entry"] == "click-and-collect" and row["Fact kind"] == "duration"
    assert row["Values"] == "14 days / 7 days" and row["KB says"] == "7 days"
    assert (row["Agents"], row["Customers"], row["Conversations"]) == ("a1", "c1", "chat-1")
    assert row["Days"] == "2026-03-30"
    agent, kb = row["Quotes"].split("\n")
    assert agent.startswith("chat-1 turn 3, agent a1, 2026-03-30: “…and it is actually ready")
    assert agent.endswith("refund to your…”") and "14 days" in agent
    assert kb.startswith("KB click-and-collect: “…ready within 2 hours") and "7 days" in kb
    assert row["Questions"] == "How long will you keep my click and collect order?"


def test_promise_and_gap_rows() -> None:
    row = finding_row(broken_promise())
    assert row["Kind"] == "Broken promise"
    assert row["Days"] == "2026-03-30, 2026-04-01"  # made, chased
    assert row["Promise"] == (
        'callback promised 2026-03-30 12:03:23+00:00; due 2026-03-31 17:00+01:00 ("tomorrow '
        'before five"); chased 2026-04-01 17:12:29+00:00'
    )
    row = finding_row(gap())
    assert row["Kind"] == "Question the KB does not answer"
    assert row["Quotes"] == "call-3 turn 2, agent a3, 2026-04-01: “yes we take them back for free”"
    assert row["Questions"].startswith("hello there I wanted") and row["Volume"] == 1
    assert row["Explanation"].count("…") == 1  # the question cut at a word, saying so


def test_csv_has_a_header_and_a_row_per_finding(tmp_path) -> None:
    findings = [contradiction(), broken_promise(), gap()]
    assert write_findings_csv(tmp_path / "f.csv", findings) == 3
    with open(tmp_path / "f.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == list(COLUMNS) and len(rows) == 4
    assert [r[0] for r in rows[1:]] == [f.id for f in findings]
    assert read_findings_csv(tmp_path / "f.csv") == [
        {k: str(v) for k, v in finding_row(f).items()} for f in findings
    ]


EVIL = '=HYPERLINK("http://x.example","click")'


def _evil():
    return contradiction(agent_ids=(EVIL,), values=("-£5.00", "@home"), explanation="+1 day")


def test_csv_cells_a_spreadsheet_would_run_are_guarded(tmp_path) -> None:
    write_findings_csv(tmp_path / "f.csv", [_evil()])
    with open(tmp_path / "f.csv", encoding="utf-8", newline="") as handle:
        row = dict(zip(COLUMNS, list(csv.reader(handle))[1], strict=True))
    assert row["Agents"] == "'" + EVIL
    assert row["Values"] == "'-£5.00 / @home" and row["Explanation"] == "'+1 day"
    back = read_findings_csv(tmp_path / "f.csv")[0]
    assert (back["Agents"], back["Values"], back["Explanation"]) == (
        EVIL,
        "-£5.00 / @home",
        "+1 day",
    )


def test_xlsx_holds_text_as_text(tmp_path) -> None:
    findings = [_evil(), broken_promise(), gap()]
    assert write_findings_xlsx(tmp_path / "f.xlsx", findings) == 3
    sheet = load_workbook(tmp_path / "f.xlsx").active
    assert sheet.title == "Findings" and sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows())
    assert [c.value for c in rows[0]] == list(COLUMNS)
    agents = rows[1][COLUMNS.index("Agents")]
    assert agents.value == EVIL and agents.data_type == "s"  # a string, never a formula
    assert all(c.data_type != "f" for row in rows for c in row)
    assert rows[3][COLUMNS.index("Volume")].value == 1
    want = [finding_row(f) for f in findings]
    got = [dict(zip(COLUMNS, [c.value for c in row], strict=True)) for row in rows[1:]]
    assert got == [{k: (v if v != "" else None) for k, v in w.items()} for w in want]


def test_xlsx_cells_stay_within_excel_limits(tmp_path) -> None:
    bell = "the bell \x07 rang"
    many = tuple(f"chat-{n:07d}" for n in range(4000))  # 4000 ids: > 32,767 characters
    f = contradiction(transcript_ids=many, explanation=bell)
    write_findings_xlsx(tmp_path / "f.xlsx", [f])
    row = list(load_workbook(tmp_path / "f.xlsx").active.iter_rows(values_only=True))[1]
    cell = row[COLUMNS.index("Conversations")]
    assert len(cell) <= XLSX_CELL_LIMIT and cell.endswith(
        "[cut: the whole text is in findings.jsonl]"
    )
    assert cell.startswith("chat-0000000, chat-0000001")
    assert row[COLUMNS.index("Explanation")] == "the bell \ufffd rang"


def test_formats_are_comma_separated_and_checked() -> None:
    assert check_formats(["jsonl", "csv,xlsx"]) == ("jsonl", "csv", "xlsx")
    assert check_formats("CSV, xlsx,csv") == ("csv", "xlsx")
    with pytest.raises(
        ValueError, match=r"unknown findings format 'xml'; known: jsonl, parquet, csv, xlsx"
    ):
        check_formats(["csv,xml"])


def test_outputs_write_the_chosen_exports_and_drop_stale_ones(tmp_path) -> None:
    findings = [contradiction(), gap()]
    summary = summary_of(findings)
    write_outputs(tmp_path, findings, summary, [], formats=("jsonl", "csv", "xlsx"))
    assert (tmp_path / "findings.csv").exists() and (tmp_path / "findings.xlsx").exists()
    write_outputs(tmp_path, findings, summary, [], formats=("jsonl", "csv"))
    assert (tmp_path / "findings.csv").exists() and not (tmp_path / "findings.xlsx").exists()
    write_outputs(tmp_path, findings, summary, [])
    assert not (tmp_path / "findings.csv").exists()
    assert not list(tmp_path.glob("*.tmp"))
