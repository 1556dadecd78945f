"""The CLI from a core-only install (``make core-cli``): each main command, its exit code.

Not a pytest module (it runs in a venv without pytest): a script that prints each
command's result and exits 1 if any exit code is not the documented one.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    cli = sys.argv[1]
    out = Path(tempfile.mkdtemp(prefix="core-cli-"))
    q = "How long do I have to return an item?"
    commands = [
        ([cli, "--help"], 0),
        ([cli, "--version"], 0),
        ([cli, "kb", "validate", "knowledge_base"], 0),
        (
            [
                cli,
                "check",
                "--kb",
                "knowledge_base",
                q,
                "You have 14 days.",
            ],
            1,
        ),
        (
            [
                cli,
                "check",
                "--kb",
                "knowledge_base",
                q,
                "You have 28 days from delivery, as long as it is unused and in its original packaging.",
            ],
            0,
        ),
        (
            [
                cli,
                "audit",
                "examples/transcripts.jsonl",
                "--kb",
                "knowledge_base",
                "--out",
                str(out / "a"),
            ],
            0,
        ),
        ([cli, "serve", "--kb", "knowledge_base"], 2),
    ]
    failed = 0
    for args, expected in commands:
        env = {**os.environ, "CONSISTENCY_CACHE_DIR": str(out / "cache"), "HF_HUB_OFFLINE": "1"}
        done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
        ok = done.returncode == expected and "Traceback" not in done.stderr
        failed += not ok
        print(
            f"{'ok  ' if ok else 'FAIL'} exit {done.returncode} (expected {expected}): {' '.join(args[1:3])}"
        )
        if not ok:
            print(done.stdout[-2000:], done.stderr[-2000:], sep="\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
