"""The ``consistency`` command: output, JSON, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from consistency import __version__
from consistency.cli import app

from .conftest import DATA, SAMPLE_KB

runner = CliRunner()


@pytest.fixture(autouse=True)
def _cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONSISTENCY_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cli-cache"))
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture
def shared_model(encoder, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """Reuse the session's model instead of loading it again in every CLI call."""
    monkeypatch.setattr("consistency.match.encoder.make_encoder", lambda *a, **k: encoder)


def _check(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["check", "--kb", str(SAMPLE_KB), *args])


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"consistency {__version__}"


@pytest.mark.model
def test_contradiction_exits_1_and_shows_both_values() -> None:
    result = _check(
        "can I still send it back after 3 weeks?", "Sure, you have 14 days from delivery."
    )
    assert result.exit_code == 1, result.output
    assert "contradiction" in result.output and "returns-window" in result.output
    assert "14 days" in result.output and "28 days" in result.output


def test_json_output_is_the_verdict(shared_model: None) -> None:
    result = _check("can I still send it back after 3 weeks?", "You have 14 days.", "--json")
    assert result.exit_code == 1
    verdict = json.loads(result.stdout)
    assert verdict["status"] == "contradiction" and verdict["entry_id"] == "returns-window"
    assert verdict["conflicts"][0]["answer_span"] == [9, 16]


def test_consistent_exits_0(shared_model: None) -> None:
    result = _check(
        "how long have I got to return something",
        "You can return most items within 28 days of delivery for a full refund, "
        "as long as they are unused and in their original packaging.",
    )
    assert result.exit_code == 0, result.output


def test_no_match_exits_3(shared_model: None) -> None:
    result = _check("what is the capital of france", "Paris.")
    assert result.exit_code == 3 and "no_match" in result.output


def test_bad_date_is_a_usage_error() -> None:
    result = _check("q", "a", "--on", "2026-13-01")
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_bad_kb_exits_2_with_every_problem() -> None:
    result = runner.invoke(app, ["check", "--kb", str(DATA / "kb_bad"), "q", "a"])
    assert result.exit_code == 2
    assert "7 problems" in result.output and "duplicate-id" in result.output


def test_kb_validate_ok_and_bad(tmp_path: Path) -> None:
    ok = runner.invoke(app, ["kb", "validate", str(SAMPLE_KB)])
    assert ok.exit_code == 0 and "OK" in ok.output
    bad = runner.invoke(app, ["kb", "validate", str(DATA / "kb_bad"), "--json"])
    assert bad.exit_code == 2
    problems = json.loads(bad.stdout)
    assert len(problems) == 7 and {p["type"] for p in problems} >= {"missing", "date-order"}


def test_calibrate_fits_on_labelled_questions(shared_model: None, tmp_path: Path) -> None:
    labelled = tmp_path / "labelled.csv"
    labelled.write_text(
        "question,entry_id\n"
        "can I still send it back after 3 weeks,returns-window\n"
        "how much do you charge to deliver,delivery-standard\n"
        "whats the number to ring you,contact-phone-hours\n"
        "what is the capital of france,\n"
        "can you book me a taxi,\n"
    )
    result = runner.invoke(app, ["calibrate", str(labelled), "--kb", str(SAMPLE_KB), "--json"])
    assert result.exit_code == 0, result.output
    fitted = json.loads(result.stdout)
    assert fitted["n"] == 5 and fitted["n_no_match"] == 2
    assert 0 <= fitted["threshold"] <= 1 and fitted["top1"] == 1.0


def test_calibrate_rejects_a_file_without_the_header(tmp_path: Path) -> None:
    labelled = tmp_path / "labelled.csv"
    labelled.write_text("q,e\nhello,x\n")
    result = runner.invoke(app, ["calibrate", str(labelled), "--kb", str(SAMPLE_KB)])
    assert result.exit_code == 2 and "question,entry_id" in result.output
