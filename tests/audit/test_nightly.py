"""The sample week audited one night at a time with a history finds what one run over the week finds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from consistency.audit import audit
from consistency.audit.models import Finding
from consistency.review import Review, answer_key, record_review
from tests.audit.conftest import SAMPLE, read_findings

pytestmark = pytest.mark.model


def _key(f: dict) -> tuple:
    return (f["kind"], tuple(sorted(f["transcript_ids"])), tuple(sorted(f["values"])))


def _days() -> list[str]:
    lines = SAMPLE.read_text().splitlines()
    return sorted({json.loads(x)["started_at"][:10] for x in lines if x.strip()})


def _nightly(checker, work: Path, history, days, before=None):
    """Audit each day alone; returns {night: (findings, summary)}."""
    out = {}
    for day in days:
        if before is not None:
            before(day)
        target = work / day
        summary = audit([SAMPLE], checker.kb, out=target, checker=checker, progress=False,
                        history=history, since=day, until=day)  # fmt: skip
        out[day] = (read_findings(target), summary)
    return out


def test_nightly_with_history_equals_one_run(checker, sample_out, history_db, tmp_path):
    """On SQLite and on a throwaway PostgreSQL server (skipped, saying why, without one)."""
    nights = _nightly(checker, tmp_path, history_db, _days())
    reported: dict[str, dict] = {}
    superseded: set[str] = set()
    for found, summary in nights.values():
        reported.update({f["id"]: f for f in found})
        superseded |= set(summary.updated)
    nightly = sorted(_key(f) for i, f in reported.items() if i not in superseded)
    one_run = sorted(_key(f) for f in read_findings(sample_out))
    assert nightly == one_run
    spanning = [k for k in nightly if k[0] in ("repeat_contact_conflict", "kb_gap")]
    assert spanning, "the sample week has findings that span nights"
    # Never the same finding twice.
    ids = [f["id"] for found, _ in nights.values() for f in found]
    assert len(ids) == len(set(ids))


def test_a_false_alarm_marked_once_is_not_raised_the_next_night(checker, tmp_path):
    days = _days()
    first = _nightly(checker, tmp_path / "a", tmp_path / "a.sqlite", days)
    seen: dict[tuple, list[str]] = {}
    by_id = {}
    for day, (found, _) in first.items():
        for f in found:
            finding = Finding.model_validate(f)
            k = (f["kind"], f["entry_id"], f["fact_kind"], answer_key(finding))
            seen.setdefault(k, []).append(day)
            by_id.setdefault(k, (day, finding))
    repeated = [k for k, d in seen.items() if len(set(d)) > 1]
    assert repeated, "the sample repeats an answer on two nights"
    target = repeated[0]
    day0, finding = by_id[target]
    history = tmp_path / "b.sqlite"

    def judge(day: str) -> None:
        if day == min(d for d in days if d > day0):
            record_review(history, Review(finding_id=finding.id, decision="false_alarm",
                                          reviewer="qa"), finding)  # fmt: skip

    second = _nightly(checker, tmp_path / "b", history, days, before=judge)
    later = [d for d in days if d > day0]
    raised = [
        f for d in later for f in second[d][0]
        if (f["kind"], f["entry_id"], f["fact_kind"], answer_key(Finding.model_validate(f)))
        == target
    ]  # fmt: skip
    assert raised == []
    assert sum(second[d][1].suppressed for d in later) >= 1
    summary = json.loads((tmp_path / "b" / days[-1] / "summary.json").read_text())
    assert summary["reviewed_precision"]["by_kind"][target[0]]["false_alarm"] == 1


def test_redact_pii_stores_nothing_personal_in_the_history(checker, tmp_path):
    """The customer's phone, email and name are masked in every stored record, promise and finding;
    the repeat-contact conflict across the two nights is still found."""
    import zlib

    from sqlalchemy import select

    from consistency.audit.nightly import NIGHT_BATCHES, REPORTED
    from consistency.store import engine
    from tests.audit.test_outputs import RETURNS, _conversation, _write

    personal = ("07700 900123", "jane.doe@example.com", "Jane Doe")
    ask = f"Hi, this is Jane Doe, 07700 900123, jane.doe@example.com. {RETURNS}"
    lines = [
        _conversation("t-1", "2026-03-02", "a1", "Jane Doe",
                      [("customer", ask), ("agent", "You have 14 days to send it back.")]),
        _conversation("t-2", "2026-03-05", "a2", "Jane Doe",
                      [("customer", ask), ("agent", "You have 30 days from delivery.")]),
    ]  # fmt: skip
    src = _write(tmp_path / "t.jsonl", lines)
    history = tmp_path / "h.sqlite"
    kinds = []
    for day in ("2026-03-02", "2026-03-05"):
        audit([src], checker.kb, out=tmp_path / day, checker=checker, progress=False,
              history=history, since=day, until=day, redact_pii=True)  # fmt: skip
        kinds += [f["kind"] for f in read_findings(tmp_path / day)]
    assert "repeat_contact_conflict" in kinds
    with engine(history).connect() as con:
        stored = [
            zlib.decompress(p).decode() for (p,) in con.execute(select(NIGHT_BATCHES.c.payload))
        ]
        stored += [f for (f,) in con.execute(select(REPORTED.c.finding))]
    assert stored
    text = "\n".join(stored)
    assert "send it back" in text  # the agents' answers are kept
    for item in personal:
        assert item not in text, item


def test_review_cli_finds_the_history_from_the_audit_folder(checker, tmp_path):
    from typer.testing import CliRunner

    from consistency.cli import app
    from consistency.review import load_reviews

    day = _days()[0]
    history = tmp_path / "h.sqlite"
    out = tmp_path / "night"
    audit([SAMPLE], checker.kb, out=out, checker=checker, progress=False, history=history,
          since=day, until=day)  # fmt: skip
    finding = read_findings(out)[0]
    res = CliRunner().invoke(app, ["review", str(out), "--finding", finding["id"],
                                   "--decision", "wont_fix", "--reviewer", "qa"])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert load_reviews(history)[finding["id"]].kind == finding["kind"]
