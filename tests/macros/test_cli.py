"""``consistency check-macros`` from the command line: exit codes, stdout and the files in --out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from consistency.macros.cli import check_macros_command

from ..conftest import DATA, SAMPLE_KB
from .conftest import MACROS_CSV, TRUTH, ZENDESK_JSON


@pytest.fixture
def app(monkeypatch):
    """The command alone; it may not load a model (tests of bad input stop before that)."""
    import consistency.checker
    import consistency.match.encoder

    def no_model(*args, **kw):  # type: ignore[no-untyped-def]
        raise AssertionError("this test should not get as far as loading the model")

    monkeypatch.setattr(consistency.checker, "Checker", no_model)
    monkeypatch.setattr(consistency.match.encoder, "make_encoder", no_model)
    cli = typer.Typer()
    cli.command("check-macros")(check_macros_command)
    cli.command("noop")(lambda: None)  # keep "check-macros" a subcommand, as in the real app
    return cli


@pytest.fixture
def model_app(app, checker, encoder, monkeypatch):
    """The command with the session's model and checker."""
    import consistency.checker
    import consistency.match.encoder

    monkeypatch.setattr(consistency.checker, "Checker", lambda kb, **kw: checker)
    monkeypatch.setattr(consistency.match.encoder, "make_encoder", lambda *a, **k: encoder)
    return app


def _run(app, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["check-macros", *args])


@pytest.mark.model
def test_samples_with_out_write_the_three_files_and_exit_1(model_app, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _run(
        model_app, str(MACROS_CSV), str(ZENDESK_JSON), "--kb", str(SAMPLE_KB), "--out", str(out)
    )
    assert result.exit_code == 1, result.output
    findings = [json.loads(line) for line in (out / "findings.jsonl").read_text().splitlines()]
    assert {f["kind"] for f in findings} == {"macro_contradiction"}
    assert {w["id"] for w in TRUTH["wrong"]} <= {f["macro_id"] for f in findings}
    summary = json.loads((out / "summary.json").read_text())
    assert (summary["macros"], summary["errors"], summary["findings"]) == (35, 1, len(findings))
    assert summary["contradictions"] == len({f["macro_id"] for f in findings})
    assert summary["by_entry"]["returns-window"] == 1
    html = (out / "report.html").read_text()
    assert "<h1>Canned responses checked against the knowledge base</h1>" in html
    assert "macro MAC-022" in html and "<h2>Agents</h2>" not in html
    results = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert len(results) == 35
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    assert [(e["row"], e["type"]) for e in errors] == [(7, "no-text")]
    # stdout: one line per finding; stderr: the skipped macro and the summary line
    assert "MAC-022\treturns-window\tduration\t" in result.stdout
    assert "skipped:" in result.stderr and "35 macros" in result.stderr


@pytest.mark.model
def test_correct_macros_exit_0_and_json_lines(model_app, tmp_path: Path) -> None:
    path = tmp_path / "ok.csv"
    path.write_text(
        "id,title,body\n"
        'a,Returns - window,"You can return most items within 28 days of delivery, as long as '
        'they are unused and in their original packaging."\n'
        "b,Student discount,Students get 5% off orders over £100 with UNiDAYS.\n",
        encoding="utf-8",
    )
    result = _run(model_app, str(path), "--kb", str(SAMPLE_KB), "--json")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "2 macros, 2 matched a KB entry, 0 contradict it" in result.stderr


@pytest.mark.model
def test_json_prints_each_finding_as_a_json_line(model_app, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "title,body\nStudent discount,Students get 15% off orders over £100 with a verified "
        "UNiDAYS account.\n"
    )
    result = _run(model_app, str(path), "--kb", str(SAMPLE_KB), "--json")
    assert result.exit_code == 1, result.output
    (line,) = result.stdout.splitlines()
    finding = json.loads(line)
    assert (finding["macro_id"], finding["fact_kind"], finding["values"]) == (
        "2",
        "percent",
        ["15% off", "5% off"],
    )


def test_missing_columns_exit_2_naming_the_file_and_columns(app, tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("name,text\na,b\n")
    result = _run(app, str(path), "--kb", str(SAMPLE_KB))
    assert result.exit_code == 2
    assert "m.csv" in result.stderr and "expected id, title, body" in result.stderr


def test_missing_file_exits_2(app, tmp_path: Path) -> None:
    result = _run(app, str(tmp_path / "nope.csv"), "--kb", str(SAMPLE_KB))
    assert result.exit_code == 2


def test_bad_kb_exits_2(app) -> None:
    result = _run(app, str(MACROS_CSV), "--kb", str(DATA / "kb_bad"))
    assert result.exit_code == 2


def test_bad_date_exits_2(app) -> None:
    result = _run(app, str(MACROS_CSV), "--kb", str(SAMPLE_KB), "--on", "2026-13-01")
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_registered_on_the_main_app() -> None:
    from consistency.cli import app as main_app

    result = CliRunner().invoke(main_app, ["check-macros", "--help"])
    assert result.exit_code == 0
    assert "--kb" in result.stdout and "--out" in result.stdout
