"""Usage and input errors are one clear line and exit 2, never a traceback.

Each case runs the command in a subprocess, as a scheduler would.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import DATA, ROOT, SAMPLE_KB

CLI = [sys.executable, "-c", "from consistency.cli import app; app(prog_name='consistency')"]
KB = str(SAMPLE_KB)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "CONSISTENCY_CACHE_DIR": str(tmp_path / "cache"),
        "HF_HUB_OFFLINE": "1",
        "NO_COLOR": "1",
        "COLUMNS": "200",
        "RAY_ADDRESS": "",
    }


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def _one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture
def transcripts(tmp_path: Path) -> str:
    path = tmp_path / "t.jsonl"
    path.write_text("")
    return str(path)


@pytest.mark.parametrize(
    ("options", "says"),
    [
        (["--engine", "spark"], "unknown engine 'spark'; known: local, ray"),
        (["--workers", "2"], "apply to the Ray engine: add --engine ray"),
        (["--ray-address", "auto"], "apply to the Ray engine: add --engine ray"),
    ],
)
def test_engine_options_are_refused_before_anything_loads(
    env: dict[str, str], transcripts: str, tmp_path: Path, options: list[str], says: str
) -> None:
    result = _run(env, "audit", transcripts, "--kb", KB, "--out", str(tmp_path / "o"), *options)
    assert says in _one_error_line(result)
    assert not (tmp_path / "cache").exists()  # refused before the model was loaded


@pytest.mark.model
def test_no_ray_cluster_at_the_address(
    env: dict[str, str], transcripts: str, tmp_path: Path
) -> None:
    pytest.importorskip("ray")
    out = str(tmp_path / "o")
    args = ["--engine", "ray", "--ray-address", "auto", "--no-progress"]
    result = _run(env, "audit", transcripts, "--kb", KB, "--out", out, *args)
    line = _one_error_line(result)
    assert "cannot connect to a Ray cluster at --ray-address auto" in line


def test_out_that_is_a_file(env: dict[str, str], transcripts: str) -> None:
    result = _run(env, "audit", transcripts, "--kb", KB, "--out", str(ROOT / "README.md"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "README.md exists and is not a folder" in " ".join(result.stderr.split())


def test_a_yaml_mistake_is_reported_on_its_line(env: dict[str, str], tmp_path: Path) -> None:
    lines = [
        "- id: a",
        "  questions: [how long?]",
        "  answer: 28 days.",
        "- id: b",
        '  topic: "Returns',  # line 5: the quote is never closed
        "  questions: [where?]",
        "  answer: here.",
        *[f"- id: c{n}\n  questions: [q{n}]\n  answer: fine." for n in range(3)],
    ]
    (tmp_path / "kb.yaml").write_text("\n".join(lines) + "\n")
    result = _run(env, "kb", "validate", str(tmp_path))
    assert result.returncode == 2
    assert f"{tmp_path / 'kb.yaml'}:5:" in result.stderr and "[type=yaml-syntax]" in result.stderr


@pytest.mark.parametrize("bad_id", ["returns window", "Returns-Window", "returns_window", "a--b"])
def test_an_id_that_is_not_kebab_case_is_refused(
    env: dict[str, str], tmp_path: Path, bad_id: str
) -> None:
    (tmp_path / "kb.yaml").write_text(f"- id: {bad_id}\n  questions: [q]\n  answer: 28 days.\n")
    result = _run(env, "kb", "validate", str(tmp_path))
    assert result.returncode == 2
    assert "[type=id-format" in result.stderr and "kebab-case" in result.stderr


@pytest.mark.parametrize(
    ("command", "codes"),
    [
        (["kb", "validate"], ["Exit 0 when it is valid, 2 when it has any problem"]),
        (["kb", "lint"], ["Exit 0 without errors", "1 when it finds errors", "2 when the KB"]),
    ],
)
def test_kb_commands_document_their_exit_codes(
    env: dict[str, str], command: list[str], codes: list[str]
) -> None:
    result = _run(env, *command, "--help")
    text = " ".join(result.stdout.replace("│", " ").split())
    assert result.returncode == 0 and all(code in text for code in codes), text


def test_lint_exits_1_on_errors_and_validate_2_on_problems(env: dict[str, str]) -> None:
    assert _run(env, "kb", "lint", str(DATA / "kb_lint"), "--no-model").returncode == 1
    assert _run(env, "kb", "validate", str(DATA / "kb_bad")).returncode == 2


@pytest.mark.parametrize("command", [["check"], ["check-macros"], ["kb", "lint"]])
def test_no_cache_is_one_flag(env: dict[str, str], command: list[str]) -> None:
    result = _run(env, *command, "--help")
    assert "--no-cache" in result.stdout and "--no-no-cache" not in result.stdout
