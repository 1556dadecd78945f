"""Fixtures for the audit: the shipped sample audited once per session."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "transcripts.jsonl"
GROUND_TRUTH = ROOT / "examples" / "ground_truth.json"


def read_findings(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "findings.jsonl").read_text().splitlines()]


@pytest.fixture(scope="session")
def sample_out(checker, tmp_path_factory) -> Path:
    """The shipped sample audited once (the real model, the sample KB)."""
    from consistency.audit import audit

    if not SAMPLE.exists():
        pytest.skip("examples/transcripts.jsonl is not there")
    out = tmp_path_factory.mktemp("sample-audit")
    audit([SAMPLE], checker.kb, out=out, checker=checker, progress=False)
    return out
