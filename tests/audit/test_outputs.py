"""Outputs: errors.jsonl, summary counts, the period filter, history trends, the HTML report."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from consistency.audit import audit

from .conftest import read_findings


def _conversation(cid, day, agent, customer, turns):
    return json.dumps(
        {
            "id": cid,
            "started_at": f"{day}T10:00:00Z",
            "channel": "chat",
            "agent_id": agent,
            "customer_id": customer,
            "turns": [{"speaker": s, "text": t} for s, t in turns],
        }
    )


RETURNS = "How long do I have to return an item?"


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def small(tmp_path) -> Path:
    def returns(cid, day, agent, answer):
        return _conversation(cid, day, agent, "c1" if agent == "a1" else "c2",
                             [("customer", RETURNS), ("agent", answer)])  # fmt: skip

    lines = [
        returns("t-1", "2026-03-02", "a1", "You have 30 days from delivery."),
        "{not json",
        returns("t-2", "2026-03-03", "a2", "You have 14 days to send it back."),
        json.dumps({"id": "t-x", "turns": []}),
        returns("t-3", "2026-03-04", "a1", "It's 30 days."),
        returns("t-1", "2026-03-05", "a1", "A second conversation with the same id."),
    ]
    return _write(tmp_path / "small.jsonl", lines)


@pytest.mark.model
def test_bad_lines_are_reported_and_skipped(small, checker, tmp_path):
    out = tmp_path / "out"
    summary = audit([small], checker.kb, out=out, checker=checker, progress=False)
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    assert [(e["file"], e["line"]) for e in errors[:2]] == [(str(small), 2), (str(small), 4)]
    assert "duplicate conversation id 't-1'" in errors[2]["reason"]
    assert all(e["reason"] for e in errors)
    assert summary.errors == 3
    assert summary.conversations == 3
    kinds = Counter(f["kind"] for f in read_findings(out))
    assert kinds["kb_contradiction"] == 1


@pytest.mark.model
def test_summary_counts_agree_with_findings(sample_out):
    summary = json.loads((sample_out / "summary.json").read_text())
    findings = read_findings(sample_out)
    assert summary["findings"] == len(findings)
    assert {"kb_contradiction", "kb_gap", "broken_promise"} <= set(summary["by_kind"])
    assert {f["kind"] for f in findings} <= set(summary["by_kind"])
    assert summary["by_kind"] == {
        k: sum(1 for f in findings if f["kind"] == k) for k in summary["by_kind"]
    }
    assert summary["conversations"] == 294
    assert summary["exchanges"] == summary["matched"] + summary["unmatched"] > 294
    assert sum(summary["by_topic"].values()) == len(findings)
    assert summary["by_entry"]["returns-refund-time"] >= 2
    assert sum(a["exchanges"] for a in summary["agents"].values()) == summary["exchanges"]


@pytest.mark.model
def test_period_filter(small, checker, tmp_path):
    summary = audit([small], checker.kb, out=tmp_path / "o", checker=checker, progress=False,
                    since="2026-03-03", until="2026-03-03")  # fmt: skip
    assert summary.conversations == 1
    assert summary.period == ("2026-03-03", "2026-03-03")


@pytest.mark.model
def test_history_adds_runs_and_trends(small, checker, tmp_path):
    db = tmp_path / "history.sqlite"
    audit([small], checker.kb, out=tmp_path / "o1", checker=checker, progress=False,
          until="2026-03-03", history=db)  # fmt: skip
    second = audit([small], checker.kb, out=tmp_path / "o2", checker=checker, progress=False,
                   history=db)  # fmt: skip
    trends = second.trends
    assert trends["runs"] == ["2026-03-02..2026-03-03", "2026-03-02..2026-03-04"]
    assert trends["by_agent"]["a2"] == {"2026-03-02..2026-03-03": 1, "2026-03-02..2026-03-04": 1}
    assert trends["exchanges_by_agent"]["a1"]["2026-03-02..2026-03-04"] == 2
    # the same period again replaces its run instead of adding one
    again = audit([small], checker.kb, out=tmp_path / "o3", checker=checker, progress=False,
                  history=db)  # fmt: skip
    assert again.trends["runs"] == trends["runs"]


@pytest.mark.model
def test_report_escapes_transcript_text(checker, tmp_path):
    evil = "<script>alert('x')</script>"
    turns = [
        ("customer", RETURNS),
        ("agent", f"You have 14 days {evil} to send it back."),
    ]
    lines = [_conversation("t-<b>1", "2026-03-02", "a<i>", "c1", turns)]
    src = _write(tmp_path / "evil.jsonl", lines)
    audit([src], checker.kb, out=tmp_path / "o", checker=checker, progress=False)
    html = (tmp_path / "o" / "report.html").read_text()
    # one script only: the report's own filters, inline; the customer's is text
    assert html.lower().count("<script") == 1 and "alert('x')" not in html
    assert "&lt;script&gt;" in html
    assert "t-&lt;b&gt;1" in html and "a&lt;i&gt;" in html
    assert "<mark>14 days</mark>" in html
    assert "<link" not in html and "src=" not in html and "@import" not in html


def test_highlight_escapes_each_part():
    from consistency.report import highlight

    assert (
        highlight("a <b> 14 days & more", (6, 13)) == "a &lt;b&gt; <mark>14 days</mark> &amp; more"
    )
    assert highlight("<x>", (0, 99)) == "&lt;x&gt;"
    assert highlight("<x>", None) == "&lt;x&gt;"


@pytest.mark.model
def test_report_starts_with_the_summary_and_groups_by_kind(sample_out):
    html = (sample_out / "report.html").read_text()
    first_finding = html.index('class="finding')
    assert html.index("conversations") < first_finding
    order = [html.index(title) for title in (
        "Contradictions of the knowledge base", "Agents disagreeing with each other",
        "Customers told different things", "Questions the knowledge base does not answer",
        "<h2>Agents</h2>",
    )]  # fmt: skip
    assert order == sorted(order)


@pytest.mark.model
def test_progress_bar_goes_to_stderr_and_leaves_nothing(small, checker, tmp_path, capsys):
    audit([small], checker.kb, out=tmp_path / "o", checker=checker, progress=True)
    captured = capsys.readouterr()
    assert captured.out == ""
