"""``consistency audit`` from the command line: exit codes and outputs."""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from consistency.audit.cli import audit_command

from ..conftest import DATA, SAMPLE_KB
from .conftest import SAMPLE


@pytest.fixture
def app(checker, monkeypatch):
    import consistency.checker

    monkeypatch.setattr(consistency.checker, "Checker", lambda kb, **kw: checker)
    cli = typer.Typer()
    cli.command("audit")(audit_command)
    cli.command("noop")(lambda: None)  # keep "audit" a subcommand, as in the real app
    return cli


@pytest.mark.model
def test_audit_exits_0_with_findings(app, tmp_path):
    src = tmp_path / "t.jsonl"
    src.write_text("\n".join(SAMPLE.read_text().splitlines()[:30]) + "\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["audit", str(src), "--kb", str(SAMPLE_KB), "--out", str(out), "--no-progress"]
    )
    assert result.exit_code == 0, result.output
    assert "30 conversations" in result.output
    for name in ("findings.jsonl", "summary.json", "errors.jsonl", "report.html"):
        assert (out / name).exists()


def test_bad_kb_exits_2(app, tmp_path):
    src = tmp_path / "t.jsonl"
    src.write_text("")
    result = CliRunner().invoke(
        app, ["audit", str(src), "--kb", str(DATA / "kb_bad"), "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 2


def test_bad_date_exits_2(app, tmp_path):
    src = tmp_path / "t.jsonl"
    src.write_text("")
    result = CliRunner().invoke(
        app,
        [
            "audit",
            str(src),
            "--kb",
            str(SAMPLE_KB),
            "--out",
            str(tmp_path / "o"),
            "--since",
            "yesterday",
        ],
    )
    assert result.exit_code == 2


def test_unknown_backend_exits_2(app, tmp_path):
    src = tmp_path / "t.jsonl"
    src.write_text("")
    args = ["audit", str(src), "--kb", str(SAMPLE_KB), "--out", str(tmp_path / "o")]
    result = CliRunner().invoke(app, [*args, "--backend", "nope"])
    assert result.exit_code == 2
