"""The shipped sample: the audit finds what examples/make_transcripts.py planted."""

from __future__ import annotations

import json

import pytest

from .conftest import GROUND_TRUTH, read_findings
from .helpers import KINDS, acceptable, matches, score


@pytest.fixture(scope="module")
def scores(sample_out):
    truth = json.loads(GROUND_TRUTH.read_text())
    return score(read_findings(sample_out), truth)


@pytest.mark.model
@pytest.mark.parametrize("kind", KINDS)
def test_precision_and_recall_per_kind(scores, kind):
    s = scores[kind]
    assert s["precision"] >= 0.9, f"false alarms: {s['false_alarms']}"
    assert s["recall"] >= 0.9, f"missed: {s['missed']}"


@pytest.mark.model
def test_decoys_are_not_flagged(sample_out):
    """No finding that touches a decoy conversation is a false alarm.

    Decoys (a policy change, paraphrases, order numbers, extra detail, greetings)
    share conversations with planted findings, so a finding there is fine only
    when it is one of the planted ones.
    """
    truth = json.loads(GROUND_TRUTH.read_text())
    planted = truth["findings"]
    findings = read_findings(sample_out)
    for decoy in truth["decoys"]:
        ids = set(decoy["transcript_ids"])
        flagged = [
            f["explanation"]
            for f in findings
            if ids & set(f["transcript_ids"])
            and not any(matches(f, p) or acceptable(f, p) for p in planted)
        ]
        assert not flagged, f"{decoy['kind']}: {decoy['note']}: {flagged}"


@pytest.mark.model
def test_findings_follow_the_contract(sample_out):
    findings = read_findings(sample_out)
    assert findings
    contract = {
        "kind", "transcript_ids", "agent_ids", "customer_ids", "entry_id", "fact_kind",
        "values", "evidence", "explanation", "schema_version", "id",
    }  # fmt: skip
    for f in findings:
        assert contract <= set(f)
        for ev in f["evidence"]:
            assert {"transcript_id", "turn", "span", "text", "value"} <= set(ev)
    assert len({f["id"] for f in findings}) == len(findings)


@pytest.mark.model
def test_contradiction_evidence_points_at_the_turn(sample_out):
    """The answer span maps back into the transcript turn: turn text[span] == evidence text."""
    from .conftest import SAMPLE

    turns = {}
    for line in SAMPLE.read_text().splitlines():
        record = json.loads(line)
        turns[record["id"]] = [t["text"] for t in record["turns"]]
    checked = 0
    for f in read_findings(sample_out):
        for ev in f["evidence"]:
            if ev["transcript_id"] and ev["span"] and ev["text"]:
                s, e = ev["span"]
                assert turns[ev["transcript_id"]][ev["turn"]][s:e] == ev["text"]
                checked += 1
    assert checked


@pytest.mark.model
def test_disagreement_reports_the_distribution(sample_out):
    f = next(
        f
        for f in read_findings(sample_out)
        if f["kind"] == "agent_disagreement" and f["entry_id"] == "returns-refund-time"
    )
    assert f["minority_agent_ids"] == ["a05", "a11"]
    assert f["distribution"][0]["kb"] is True
    assert "answers by" in f["explanation"]


@pytest.mark.model
def test_findings_are_sorted_stably(sample_out):
    """Kind order first, then entry; the resume test checks byte-identical reruns."""
    from consistency.audit import FINDING_KINDS, Finding

    findings = [Finding.model_validate(f) for f in read_findings(sample_out)]
    assert findings == sorted(findings, key=lambda f: f.sort_key())
    order = [FINDING_KINDS.index(f.kind) for f in findings]
    assert order == sorted(order)
