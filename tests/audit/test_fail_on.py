"""``consistency audit`` exit codes for schedulers: 0 ran, 1 ``--fail-on`` kinds found, 2 bad
usage or unreadable input, 3 failed otherwise."""

from __future__ import annotations

import builtins
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from consistency.audit.cli import EXIT_FAILED, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, audit_command

from ..conftest import ROOT, SAMPLE_KB

RETURNS = "How long do I have to return an item?"


def _conversation(cid: str, answer: str) -> str:
    return json.dumps(
        {
            "id": cid,
            "started_at": "2026-03-02T10:00:00Z",
            "channel": "chat",
            "agent_id": "a1",
            "customer_id": f"c-{cid}",
            "turns": [
                {"speaker": "customer", "text": RETURNS},
                {"speaker": "agent", "text": answer},
            ],
        }
    )


@pytest.fixture
def contradicting(tmp_path: Path) -> Path:
    """One answer against the KB's 28-day returns window, and one bad line (reported, skipped)."""
    src = tmp_path / "t.jsonl"
    src.write_text(_conversation("t-1", "You have 14 days from delivery.") + "\n{not json\n")
    return src


def _cli() -> typer.Typer:
    cli = typer.Typer()
    cli.command("audit")(audit_command)
    cli.command("noop")(lambda: None)  # keep "audit" a subcommand, as in the real app
    return cli


@pytest.fixture
def app(checker, monkeypatch):
    import consistency.checker

    monkeypatch.setattr(consistency.checker, "Checker", lambda kb, **kw: checker)
    return _cli()


def _audit(app: typer.Typer, src: Path, out: Path, *args: str):
    argv = ["audit", str(src), "--kb", str(SAMPLE_KB), "--out", str(out), "--no-progress"]
    return CliRunner().invoke(app, [*argv, *args])


@pytest.mark.model
def test_fail_on_a_kind_found_exits_1_after_writing_everything(app, contradicting, tmp_path):
    out = tmp_path / "out"
    result = _audit(app, contradicting, out, "--fail-on", "kb_gap,kb_contradiction")
    assert result.exit_code == EXIT_FINDINGS, result.output
    found = [json.loads(line) for line in (out / "findings.jsonl").read_text().splitlines()]
    assert [f["kind"] for f in found] == ["kb_contradiction"]
    assert (out / "report.html").exists() and (out / "summary.json").exists()
    assert "--fail-on: found 1 kb_contradiction" in result.stderr
    assert "1 input errors" in result.stdout  # the bad line: reported, not a failure


@pytest.mark.model
def test_fail_on_kinds_not_found_exits_0(app, contradicting, tmp_path):
    result = _audit(
        app, contradicting, tmp_path / "out", "--fail-on", "kb_gap", "--fail-on", "broken_promise"
    )
    assert result.exit_code == EXIT_OK, result.output
    assert "--fail-on" not in result.stderr
    # without --fail-on findings are not failures
    assert _audit(app, contradicting, tmp_path / "out2").exit_code == EXIT_OK


def test_an_unknown_kind_exits_2_before_any_work(contradicting, tmp_path):
    out = tmp_path / "out"
    result = _audit(_cli(), contradicting, out, "--fail-on", "kb_contradiction,contradiction")
    assert result.exit_code == EXIT_USAGE
    assert "unknown finding kind 'contradiction'" in result.output
    assert "broken_promise" in result.output  # the known kinds are listed
    assert not out.exists()
    result = _audit(_cli(), contradicting, out, "--fail-on", "macro_contradiction")
    assert result.exit_code == EXIT_USAGE and "check-macros" in result.output


def test_an_unknown_format_exits_2(contradicting, tmp_path):
    result = _audit(_cli(), contradicting, tmp_path / "out", "--format", "csv,xml")
    assert result.exit_code == EXIT_USAGE
    assert "one of jsonl, parquet, csv, xlsx (got 'xml')" in result.output


def test_an_out_that_is_a_file_exits_2(contradicting, tmp_path):
    (tmp_path / "taken").write_text("not a folder")
    result = _audit(_cli(), contradicting, tmp_path / "taken")
    assert result.exit_code == EXIT_USAGE and "not a folder" in result.output


@pytest.fixture
def unopenable(monkeypatch):
    """Opening the paths added to the returned set fails as a file without read permission does
    (the tests run as root in CI, where chmod 000 does not stop a read)."""
    refused: set[str] = set()
    real_open = builtins.open

    def fake_open(file, *args, **kwargs):
        if str(file) in refused:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("consistency.audit.cli.open", fake_open, raising=False)
    return refused


def test_a_transcript_file_that_cannot_be_opened_exits_2(contradicting, tmp_path, unopenable):
    unopenable.add(str(contradicting))
    out = tmp_path / "out"
    result = _audit(_cli(), contradicting, out)
    assert result.exit_code == EXIT_USAGE
    assert f"cannot read {contradicting}: Permission denied" in result.stderr.replace("\n", "")
    assert not out.exists()


def test_a_file_in_a_folder_that_cannot_be_opened_exits_2(contradicting, tmp_path, unopenable):
    folder = tmp_path / "in"
    (folder / "day").mkdir(parents=True)
    (folder / "day" / "b.jsonl").write_text("")
    (folder / "notes.txt").write_text("")  # not a transcript: never read, never probed
    unopenable.update({str(folder / "day" / "b.jsonl"), str(folder / "notes.txt")})
    result = _audit(_cli(), folder, tmp_path / "out")
    assert result.exit_code == EXIT_USAGE
    assert "b.jsonl: Permission denied" in result.stderr.replace("\n", "")
    assert "notes.txt" not in result.stderr


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_a_real_unreadable_file_exits_2(contradicting, tmp_path):
    contradicting.chmod(0)
    try:
        result = _audit(_cli(), contradicting, tmp_path / "out")
    finally:
        contradicting.chmod(0o644)
    assert result.exit_code == EXIT_USAGE


@pytest.mark.model
def test_a_crash_exits_3_not_1(app, contradicting, tmp_path, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("consistency.audit.engines.run", boom)
    result = _audit(app, contradicting, tmp_path / "out", "--fail-on", "kb_contradiction")
    assert result.exit_code == EXIT_FAILED
    assert "a bug" in result.stderr


def test_an_out_that_cannot_be_written_in_exits_2(contradicting, tmp_path, monkeypatch):
    real_access = os.access

    def access(path, mode, *args, **kwargs):
        if Path(path) == tmp_path and mode & os.W_OK:
            return False
        return real_access(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)
    result = _audit(_cli(), contradicting, tmp_path / "new" / "out")
    assert result.exit_code == EXIT_USAGE
    flat = re.sub(r"[\s│]+", "", result.output)  # the message as one line, unwrapped
    assert re.sub(r"\s+", "", f"cannot write in {tmp_path}") in flat
    assert not (tmp_path / "new").exists()


@pytest.mark.model
def test_a_full_disk_exits_3(app, contradicting, tmp_path, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("consistency.report.writers.write_outputs", full)
    result = _audit(app, contradicting, tmp_path / "out", "--fail-on", "kb_contradiction")
    assert result.exit_code == EXIT_FAILED
    assert "No space left on device" in result.stderr


@pytest.mark.model
def test_the_process_exit_code_is_1(contradicting, tmp_path):
    """What cron and Airflow see: the real process's status, not CliRunner's."""
    env = dict(os.environ, HF_HUB_OFFLINE="1", NO_COLOR="1")
    env["CONSISTENCY_CACHE_DIR"] = str(tmp_path / "cache")
    cli = [sys.executable, "-c", "from consistency.cli import app; app(prog_name='consistency')"]
    args = ["audit", str(contradicting), "--kb", str(SAMPLE_KB), "--no-progress"]

    def run(*more: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*cli, *args, *more], env=env, capture_output=True, text=True, timeout=300, cwd=ROOT
        )

    failed = run("--out", str(tmp_path / "o1"), "--fail-on", "kb_contradiction")
    assert failed.returncode == 1, failed.stderr
    passed = run("--out", str(tmp_path / "o2"), "--fail-on", "broken_promise")
    assert passed.returncode == 0, passed.stderr
