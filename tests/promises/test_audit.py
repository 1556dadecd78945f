"""broken_promise in the audit: the shipped sample, the report, the CLI, the options."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from consistency.audit import AuditUsageError, audit
from consistency.audit.cli import audit_command
from consistency.promises import WorkingCalendar

from ..audit.helpers import acceptable, matches
from ..conftest import ROOT, SAMPLE_KB

SAMPLE = ROOT / "examples" / "transcripts.jsonl"
TRUTH = ROOT / "examples" / "ground_truth.json"
FULFILMENT = ROOT / "examples" / "fulfilment.csv"


def findings_of(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "findings.jsonl").read_text().splitlines()]


def subset(tmp_path: Path, customers: set[str]) -> Path:
    lines = [
        line
        for line in SAMPLE.read_text(encoding="utf-8").splitlines()
        if json.loads(line).get("customer_id") in customers
    ]
    path = tmp_path / "subset.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def promised(checker, tmp_path_factory) -> Path:
    """The shipped sample audited with its fulfilment file."""
    out = tmp_path_factory.mktemp("promises-audit")
    audit([SAMPLE], checker.kb, out=out, checker=checker, progress=False, fulfilment=FULFILMENT)
    return out


@pytest.fixture(scope="module")
def truth() -> dict:
    return json.loads(TRUTH.read_text(encoding="utf-8"))


@pytest.mark.model
def test_broken_promises_found_with_precision_and_recall_at_least_0_9(promised, truth):
    found = [f for f in findings_of(promised) if f["kind"] == "broken_promise"]
    planted = [p for p in truth["findings"] if p["kind"] == "broken_promise"]
    assert len(planted) >= 12
    hits = [f for f in found if any(matches(f, p) for p in planted)]
    recalled = [p for p in planted if any(matches(f, p) for f in found)]
    precision, recall = len(hits) / len(found), len(recalled) / len(planted)
    missed = [p["note"] for p in planted if p not in recalled]
    assert precision >= 0.9, [f["explanation"] for f in found if f not in hits]
    assert recall >= 0.9, missed
    kinds = {p["promise_kind"] for p in planted}
    assert kinds == {"callback", "refund", "email_or_letter", "visit", "escalation", "other"}
    assert {f["promise"]["reason"] for f in found} == {"chased", "kept_late", "not_kept"}


@pytest.mark.model
def test_other_kinds_still_found_and_no_decoy_flagged(promised, truth):
    found = findings_of(promised)
    planted = truth["findings"]
    for kind in ("kb_contradiction", "agent_disagreement", "repeat_contact_conflict", "kb_gap"):
        mine = [f for f in found if f["kind"] == kind]
        assert all(any(matches(f, p) or acceptable(f, p) for p in planted) for f in mine), kind
        theirs = [p for p in planted if p["kind"] == kind]
        assert all(any(matches(f, p) for f in mine) for p in theirs), kind
    for decoy in truth["decoys"]:
        ids = set(decoy["transcript_ids"])
        flagged = [
            f["explanation"]
            for f in found
            if ids & set(f["transcript_ids"])
            and not any(matches(f, p) or acceptable(f, p) for p in planted)
        ]
        assert not flagged, (decoy["kind"], flagged)


@pytest.mark.model
def test_a_promised_term_that_contradicts_the_kb_is_a_duration_contradiction(promised):
    """ "within 2 working days" for a refund, where the KB says 5: kb_contradiction, as ever."""
    found = findings_of(promised)
    (contradiction,) = [
        f for f in found if f["kind"] == "kb_contradiction" and "c-7099" in f["customer_ids"]
    ]
    assert contradiction["fact_kind"] == "duration"
    assert contradiction["values"] == ["2 working days", "5 working days"]
    broken = [f for f in found if f["kind"] == "broken_promise" and "c-7099" in f["customer_ids"]]
    assert [f["promise"]["due"] for f in broken] == ["2026-04-01T17:30+01:00"]


@pytest.mark.model
def test_findings_carry_both_conversations_and_spans(promised):
    turns = {
        t["id"]: [x["text"] for x in t["turns"]]
        for t in map(json.loads, SAMPLE.read_text(encoding="utf-8").splitlines())
    }
    broken = [f for f in findings_of(promised) if f["kind"] == "broken_promise"]
    chased = [f for f in broken if f["promise"]["reason"] == "chased"]
    assert len(chased) >= 10
    for f in broken:
        said = f["evidence"][0]
        assert said["source"] == "answer" and said["agent_id"] == f["agent_ids"][0]
        s, e = said["span"]
        assert turns[said["transcript_id"]][said["turn"]][s:e] == said["text"]
    for f in chased:
        assert len(f["transcript_ids"]) == 2
        ask = f["evidence"][1]
        assert ask["source"] == "question" and ask["transcript_id"] == f["transcript_ids"][1]
        s, e = ask["span"]
        assert turns[ask["transcript_id"]][ask["turn"]][s:e] == ask["text"]
        assert f["promise"]["chased_at"] > f["promise"]["due"][:10]


@pytest.mark.model
def test_summary_and_report_count_them_per_agent(promised):
    found = [f for f in findings_of(promised) if f["kind"] == "broken_promise"]
    summary = json.loads((promised / "summary.json").read_text())
    assert summary["by_kind"]["broken_promise"] == len(found)
    per_agent = sum(a.get("broken_promise", 0) for a in summary["agents"].values())
    assert per_agent == len(found)
    html = (promised / "report.html").read_text()
    assert f"<h2>Broken promises ({len(found)})</h2>" in html
    assert "<th>Broken promise</th>" in html
    assert "<mark>i&#x27;ll call you back tomorrow before five</mark>" in html
    assert "(&ldquo;tomorrow before five&rdquo;)" in html


@pytest.mark.model
def test_without_the_fulfilment_file_only_chases_count(checker, tmp_path):
    """c-7001 chased a callback; c-7011's late callback and c-7012's lost email were not chased."""
    src = subset(tmp_path, {"c-7001", "c-7011", "c-7012"})
    audit([src], checker.kb, out=tmp_path / "out", checker=checker, progress=False)
    found = [f for f in findings_of(tmp_path / "out") if f["kind"] == "broken_promise"]
    assert [(f["customer_ids"], f["promise"]["reason"]) for f in found] == [(["c-7001"], "chased")]


@pytest.mark.model
def test_calendar_and_bad_fulfilment_rows(checker, tmp_path):
    src = subset(tmp_path, {"c-7001", "c-7011"})
    bad = tmp_path / "done.csv"
    bad.write_text("customer_id,kind,fulfilled_at\nc-7011,callback,soon\n", encoding="utf-8")
    ny = WorkingCalendar(timezone="America/New_York", country="US", subdivision=None)
    out = tmp_path / "out"
    summary = audit(
        [src], checker.kb, out=out, checker=checker, progress=False, fulfilment=bad, calendar=ny
    )
    (f,) = [f for f in findings_of(out) if f["kind"] == "broken_promise"]
    assert f["promise"]["due"] == "2026-03-31T17:00-04:00"  # tomorrow before five, in New York
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    assert [(e["line"], e["type"]) for e in errors] == [(2, "bad-timestamp")]
    assert summary.errors == 1
    settings = json.loads((out / "state" / "checkpoint.json").read_text())["settings"]
    assert "America/New_York" in settings["options"]
    with pytest.raises(AuditUsageError, match="fulfilment file not found"):
        audit([src], checker.kb, out=out, checker=checker, fulfilment=tmp_path / "nope.csv")


@pytest.fixture
def app(checker, monkeypatch):
    import consistency.checker

    monkeypatch.setattr(consistency.checker, "Checker", lambda kb, **kw: checker)
    cli = typer.Typer()
    cli.command("audit")(audit_command)
    cli.command("noop")(lambda: None)
    return cli


@pytest.mark.model
def test_cli_fulfilment_option(app, tmp_path):
    src = subset(tmp_path, {"c-7011", "c-7012", "c-7101"})
    out = tmp_path / "out"
    args = ["audit", str(src), "--kb", str(SAMPLE_KB), "--out", str(out), "--no-progress"]
    result = CliRunner().invoke(app, [*args, "--fulfilment", str(FULFILMENT)])
    assert result.exit_code == 0, result.output
    assert "2 broken_promise" in result.output
    reasons = sorted(f["promise"]["reason"] for f in findings_of(out) if f["promise"])
    assert reasons == ["kept_late", "not_kept"]
    missing = CliRunner().invoke(app, [*args, "--fulfilment", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 2


def test_shipped_fulfilment_file_is_current(tmp_path, monkeypatch):
    """examples/make_transcripts.py writes the fulfilment file the examples ship."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location(
        "make_transcripts", ROOT / "examples" / "make_transcripts.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "make_transcripts", module)
    spec.loader.exec_module(module)
    module.main(["--out", str(tmp_path)])
    assert (tmp_path / "fulfilment.csv").read_bytes() == FULFILMENT.read_bytes()
    assert (tmp_path / "transcripts.jsonl").read_bytes() == SAMPLE.read_bytes()
