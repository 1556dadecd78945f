"""The shipped sample week's findings, held field by field against a golden file.

Why: refactors (issue 18 moved the contracts, the facts pipeline and the engines)
must not change what the audit finds. The golden keeps what a finding says — kind,
transcripts, agents, entry, values, evidence spans and text, the explanation — and
leaves out only the conversations' timestamps.

When behaviour changes on purpose, regenerate it and review the diff:

    CONSISTENCY_REGEN_GOLDEN=1 pytest tests/audit/test_golden.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from .conftest import read_findings

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "sample_findings.golden.jsonl"

_FINDING = (
    "id", "kind", "transcript_ids", "agent_ids", "customer_ids", "entry_id", "fact_kind",
    "values", "kb_value", "severity", "group", "minority", "minority_agent_ids", "volume",
    "explanation",
)  # fmt: skip
_EVIDENCE = ("source", "transcript_id", "turn", "span", "text", "value", "display", "entry_id")


def _kept(finding: dict[str, Any]) -> dict[str, Any]:
    """The fields that matter, without timestamps (``started_at``, ``first_seen`` ...)."""
    out = {name: finding[name] for name in _FINDING}
    out["evidence"] = [{n: ev[n] for n in _EVIDENCE} for ev in finding["evidence"]]
    out["answers"] = [{n: ev[n] for n in _EVIDENCE} for ev in finding["answers"]]
    promise = finding.get("promise")
    out["promise"] = None if promise is None else {n: promise[n] for n in ("kind", "reason")}
    return out


def test_sample_findings_match_the_golden_file(sample_out: Path) -> None:
    found = [_kept(f) for f in read_findings(sample_out)]
    if os.environ.get("CONSISTENCY_REGEN_GOLDEN"):
        GOLDEN.write_text("".join(json.dumps(f, ensure_ascii=False) + "\n" for f in found))
        pytest.skip(f"rewrote {GOLDEN.name} ({len(found)} findings): review its diff")
    golden = [json.loads(line) for line in GOLDEN.read_text().splitlines()]
    assert [f["id"] for f in found] == [g["id"] for g in golden], "other findings, or another order"
    for got, want in zip(found, golden, strict=True):
        assert got == want, f"finding {want['id']} ({want['kind']}) changed"
