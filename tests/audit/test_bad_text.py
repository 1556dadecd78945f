"""A transcript line with text UTF-8 cannot encode is an input error; the audit goes on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from consistency.audit import audit

pytestmark = pytest.mark.model

RETURNS = "How long do I have to return an item?"


def _line(cid: str, customer: str, agent: str) -> str:
    turns = [{"speaker": "customer", "text": customer}, {"speaker": "agent", "text": agent}]
    return json.dumps(
        {"id": cid, "started_at": "2026-03-02T10:00:00Z", "agent_id": "a1", "turns": turns}
    )


def test_lone_surrogates_go_to_errors_jsonl(checker, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "t.jsonl"
    source.write_text(
        "\n".join(
            [
                _line("agent-bad", RETURNS, "You have 14 days \ud800."),
                _line("customer-bad", "How long \ud800 do I have?", "You have 14 days."),
                _line("fine", RETURNS, "You have 14 days."),
            ]
        )
        + "\n"
    )
    out = tmp_path / "out"
    summary = audit([source], checker.kb, out=out, checker=checker, progress=False)
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    assert [(e["line"], e["record_id"], e["loc"]) for e in errors] == [
        (1, "agent-bad", ["turns", 1, "text"]),
        (2, "customer-bad", ["turns", 0, "text"]),
    ]
    assert summary.errors == 2 and summary.conversations == 1
    findings = [json.loads(line) for line in (out / "findings.jsonl").read_text().splitlines()]
    assert any(f["kind"] == "kb_contradiction" for f in findings)
