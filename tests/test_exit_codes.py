"""Every command's documented exit code, from a real process over each exit path.

In a subprocess, not CliRunner: what is checked is also how the interpreter ends.
A background thread still inside onnxruntime at exit aborted the process (exit
134, "terminate called without an active exception") after it printed its verdict
or wrote its outputs; a warm cache (a kept fused graph) and a command that never
embeds (an exact-tier question, an audit with nothing to check) showed it.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import DATA, ROOT, SAMPLE_KB

pytestmark = pytest.mark.model

KB = str(SAMPLE_KB)
RETURNS = (
    "You can return most items within 28 days of delivery for a full refund, as long as "
    "they are unused and in their original packaging."
)


CLI = [sys.executable, "-c", "from consistency.cli import app; app(prog_name='consistency')"]


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A temporary cache folder, warmed by one check (the fused graph is kept there)."""
    environ = dict(os.environ)
    environ.update(
        CONSISTENCY_CACHE_DIR=str(tmp_path_factory.mktemp("exit-cache")),
        HF_HUB_OFFLINE="1",
        NO_COLOR="1",
        COLUMNS="100",
    )
    first = _run(environ, "check", "--kb", KB, "How long do I have to return an item?", "14 days")
    assert first.returncode == 1, first.stderr
    return environ


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("exit-inputs")
    (folder / "empty.jsonl").write_text("")
    (folder / "blank.jsonl").write_text("\n   \n\n")
    (folder / "all-bad.jsonl").write_text('not json\n{"no": "fields"}\n[1, 2]\n')
    (folder / "not-gzip.jsonl.gz").write_bytes(b"plain text, not gzip\n")
    (folder / "ok.jsonl.gz").write_bytes(gzip.compress(b""))
    (folder / "agrees.csv").write_text(f'id,title,body\nm1,Returns,"{RETURNS}"\n')
    (folder / "contradicts.csv").write_text(
        "id,title,body\nm1,Returns,You can return most items within 14 days of delivery.\n"
    )
    (folder / "no-header.csv").write_text("")
    promise = "I'll call you back next Monday; the refund takes five working days."
    far = [
        {
            "id": f"far-{n}",
            "started_at": started,
            "customer_id": "c1",
            "turns": [
                {"speaker": "customer", "text": "How long do I have to return an item?"},
                {"speaker": "agent", "text": f"14 days, so by next Friday. {promise}"},
            ],
        }
        for n, started in enumerate(["9999-12-31T23:59:59Z", "0001-01-01T00:00:00+05:00"])
    ]
    (folder / "far.jsonl").write_text("".join(json.dumps(t) + "\n" for t in far))
    return folder


CHECK = ["check", "--kb", KB]
CASES = {
    # check: 0 consistent, 1 contradiction, 3 no_match/unverified, 2 usage or input error
    "check exact-tier contradiction": (
        [*CHECK, "How long do I have to return an item?", "You have 14 days."],
        1,
    ),
    "check consistent": ([*CHECK, "How long do I have to return an item?", RETURNS], 0),
    "check no_match": ([*CHECK, "what is the capital of france", "Paris."], 3),
    "check on 9999-12-31": (
        [*CHECK, "--on", "9999-12-31", "How long do I have to return an item?", "Next Monday."],
        3,
    ),
    "check bad date": ([*CHECK, "--on", "2026-13-01", "q", "a"], 2),
    "check bad KB": (["check", "--kb", str(DATA / "kb_bad"), "q", "a"], 2),
    "check missing argument": ([*CHECK, "only a question"], 2),
    # audit: 0 when it ran (findings and bad lines are not failures), 2 bad KB or options
    "audit empty file": (["audit", "{in}/empty.jsonl", "--kb", KB, "--out", "{out}"], 0),
    "audit blank file": (["audit", "{in}/blank.jsonl", "--kb", KB, "--out", "{out}"], 0),
    "audit every line bad": (["audit", "{in}/all-bad.jsonl", "--kb", KB, "--out", "{out}"], 0),
    "audit not gzip": (["audit", "{in}/not-gzip.jsonl.gz", "--kb", KB, "--out", "{out}"], 0),
    "audit since outside the data": (
        ["audit", "{in}/ok.jsonl.gz", "--kb", KB, "--out", "{out}", "--since", "2999-01-01"],
        0,
    ),
    "audit conversations dated 9999-12-31 and 0001-01-01": (
        ["audit", "{in}/far.jsonl", "--kb", KB, "--out", "{out}"],
        0,
    ),
    "audit bad since": (
        ["audit", "{in}/empty.jsonl", "--kb", KB, "--out", "{out}", "--since", "soon"],
        2,
    ),
    "audit bad KB": (
        ["audit", "{in}/empty.jsonl", "--kb", str(DATA / "kb_bad"), "--out", "{out}"],
        2,
    ),
    # kb validate: 0 valid, 2 problems; kb lint: 0 no errors, 1 errors, 2 does not load
    "kb validate ok": (["kb", "validate", KB], 0),
    "kb validate bad": (["kb", "validate", str(DATA / "kb_bad")], 2),
    "kb lint clean": (["kb", "lint", KB], 0),
    "kb lint errors": (["kb", "lint", str(DATA / "kb_lint"), "--no-model"], 1),
    "kb lint does not load": (["kb", "lint", str(DATA / "kb_bad"), "--no-model"], 2),
    # check-macros: 0 none contradicts, 1 some do, 2 usage or input error
    "check-macros none contradicts": (["check-macros", "{in}/agrees.csv", "--kb", KB], 0),
    "check-macros some contradict": (["check-macros", "{in}/contradicts.csv", "--kb", KB], 1),
    "check-macros unreadable": (["check-macros", "{in}/no-header.csv", "--kb", KB], 2),
    "unknown command": (["no-such-command"], 2),
}


@pytest.mark.parametrize("case", list(CASES))
def test_exit_code(case: str, env: dict[str, str], inputs: Path, tmp_path: Path) -> None:
    args, expected = CASES[case]
    args = [a.format(**{"in": inputs, "out": tmp_path / "out"}) for a in args]
    result = _run(env, *args)
    assert "terminate called" not in result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == expected, (result.returncode, result.stdout, result.stderr)
    if case.startswith("audit") and expected == 0:
        assert {"findings.jsonl", "summary.json", "errors.jsonl"} <= {
            p.name for p in (tmp_path / "out").iterdir()
        }
