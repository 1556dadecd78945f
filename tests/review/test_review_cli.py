"""``consistency review``: one decision, a CSV of decisions (bad rows named), the labelled export."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from consistency.cli import app
from consistency.review import load_reviews, reviewed_precision
from tests.review.test_review_api import _finding


def _out(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    a = _finding(("t1",)).model_copy(update={"questions": ("how long to return?",)}).with_id()
    b = _finding(("t2",), value="21 days").model_copy(update={"questions": ("return window?",)})
    b = b.with_id()
    (out / "findings.jsonl").write_text(a.model_dump_json() + "\n" + b.model_dump_json() + "\n")
    return out, a, b


def _run(*args):
    return CliRunner().invoke(app, ["review", *map(str, args)])


def test_one_decision_is_recorded_with_what_suppression_needs(tmp_path):
    out, a, _ = _out(tmp_path)
    db = tmp_path / "h.sqlite"
    res = _run(
        out,
        "--history",
        db,
        "--finding",
        a.id,
        "--decision",
        "false_alarm",
        "--reviewer",
        "ana",
        "--note",
        "14 days is the sale period",
    )
    assert res.exit_code == 0, res.output
    got = load_reviews(db)[a.id]
    assert (got.decision, got.reviewer, got.answer_key) == ("false_alarm", "ana", "14 days")


def test_csv_bad_rows_are_named_and_good_rows_kept(tmp_path):
    out, a, b = _out(tmp_path)
    db = tmp_path / "h.sqlite"
    csv = tmp_path / "d.csv"
    csv.write_text(
        "finding_id,decision,reviewer,note\n"
        f"{a.id},confirmed,ana,right\n"
        f"{b.id},maybe,bo,\n"
        "nope,confirmed,bo,\n"
        f"{b.id},wont_fix,,\n"
    )
    res = _run(out, "--history", db, "--from", csv)
    assert res.exit_code == 2
    assert f"{csv}:3: decision: one of confirmed, false_alarm, wont_fix" in res.output
    assert f"{csv}:4: finding_id: no finding 'nope'" in res.output
    assert f"{csv}:5: reviewer:" in res.output
    assert set(load_reviews(db)) == {a.id}
    precision = reviewed_precision(load_reviews(db).values())
    assert precision["by_entry"]["returns-window"]["precision"] == 1.0


def test_export_writes_questions_calibrate_reads(tmp_path):
    from consistency.cli import _read_labelled

    out, a, b = _out(tmp_path)
    db = tmp_path / "h.sqlite"
    assert (
        _run(
            out, "--history", db, "--finding", a.id, "--decision", "confirmed", "--reviewer", "x"
        ).exit_code
        == 0
    )
    assert (
        _run(
            out, "--history", db, "--finding", b.id, "--decision", "false_alarm", "--reviewer", "x"
        ).exit_code
        == 0
    )
    path = tmp_path / "labelled.jsonl"
    res = _run(out, "--history", db, "--export", path)
    assert res.exit_code == 0, res.output
    assert _read_labelled(path) == [("how long to return?", "returns-window")]
    rows = [json.loads(x) for x in path.read_text().splitlines()]
    assert rows[0]["label"] == "confirmed" and rows[0]["finding_id"] == a.id


def test_folder_without_history_is_a_usage_error(tmp_path):
    out, a, _ = _out(tmp_path)
    res = _run(out, "--finding", a.id, "--decision", "confirmed", "--reviewer", "x")
    assert res.exit_code == 2
    assert "kept no history" in res.output


def test_precision_counts_false_alarms_as_wrong():
    from consistency.review import Review

    reviews = [
        Review(finding_id=str(i), decision=d, reviewer="r", kind="kb_gap", fact_kind=None)
        for i, d in enumerate(["confirmed", "false_alarm", "wont_fix", "false_alarm"])
    ]
    row = reviewed_precision(reviews)["by_kind"]["kb_gap"]
    assert (row["reviewed"], row["false_alarm"], row["precision"]) == (4, 2, 0.5)
