"""The shipped examples parse cleanly, match their ground truth, and are up to date."""

from __future__ import annotations

import collections
import importlib.util
import json
import sys
from pathlib import Path

import pytest

from consistency.ingest import IngestError, Transcript, read_transcripts, segment

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
KINDS = {
    "kb_contradiction",
    "agent_disagreement",
    "repeat_contact_conflict",
    "kb_gap",
    "broken_promise",
}


@pytest.fixture(scope="module")
def transcripts() -> dict[str, Transcript]:
    errors: list[IngestError] = []
    found = list(read_transcripts(EXAMPLES / "transcripts.jsonl", errors=errors))
    assert errors == []
    return {t.id: t for t in found}


@pytest.fixture(scope="module")
def truth() -> dict:
    return json.loads((EXAMPLES / "ground_truth.json").read_text(encoding="utf-8"))


def test_other_formats_parse_without_errors() -> None:
    errors: list[IngestError] = []
    paths = [EXAMPLES / "transcripts.csv", *sorted((EXAMPLES / "contact_lens").glob("*.json"))]
    assert len(paths) >= 2
    found = list(read_transcripts(paths, errors=errors))
    assert errors == []
    assert len(found) >= 4
    assert all(segment(t) for t in found)


def test_shape_of_the_sample(transcripts: dict[str, Transcript]) -> None:
    values = list(transcripts.values())
    assert len(values) >= 220
    assert len({t.started_at.date() for t in values}) == 5
    assert len({t.agent_id for t in values}) >= 12
    assert {t.channel for t in values} == {"voice", "chat"}
    calls = collections.Counter(t.customer_id for t in values)
    assert sum(1 for n in calls.values() if n > 1) >= 10
    sizes = collections.Counter(len(segment(t)) for t in values)
    assert set(sizes) == {1, 2, 3, 4}
    total = sum(p.stat().st_size for p in EXAMPLES.rglob("*") if p.is_file())
    assert total < 1_000_000


def test_ground_truth_points_at_real_conversations(
    transcripts: dict[str, Transcript], truth: dict
) -> None:
    assert {f["kind"] for f in truth["findings"]} == KINDS
    for item in truth["findings"] + truth["decoys"]:
        involved = [transcripts[i] for i in item["transcript_ids"]]
        assert set(item["agent_ids"]) <= {t.agent_id for t in involved}
        assert set(item["customer_ids"]) <= {t.customer_id for t in involved}
        for ev in item.get("evidence", []):
            assert ev["text"] in transcripts[ev["transcript_id"]].turns[ev["turn"]].text
    repeat = [f for f in truth["findings"] if f["kind"] == "repeat_contact_conflict"]
    for finding in repeat:
        assert len({transcripts[i].customer_id for i in finding["transcript_ids"]}) == 1
    gap = next(f for f in truth["findings"] if f["kind"] == "kb_gap")
    assert gap["entry_id"] is None and len(gap["transcript_ids"]) >= 6


def test_generator_is_deterministic_and_shipped_files_are_current(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = importlib.util.spec_from_file_location(
        "make_transcripts", EXAMPLES / "make_transcripts.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "make_transcripts", module)  # dataclasses look it up
    spec.loader.exec_module(module)
    module.main(["--out", str(tmp_path)])
    for name in ("transcripts.jsonl", "ground_truth.json", "transcripts.csv"):
        assert (tmp_path / name).read_bytes() == (EXAMPLES / name).read_bytes(), name
    (made,) = (tmp_path / "contact_lens").glob("*.json")
    assert made.read_bytes() == (EXAMPLES / "contact_lens" / made.name).read_bytes()
