"""The command works from a plain install: without the server extra (fastapi, uvicorn).

Each case runs in a subprocess whose import system refuses fastapi, uvicorn,
starlette and httpx, as if ``pip install consistency`` had not brought them. The
CLI imported the server package eagerly, so even ``--help`` failed.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from .conftest import ROOT, SAMPLE_KB

BLOCK = """
import sys

class _NotInstalled:
    NAMES = ("fastapi", "uvicorn", "starlette", "httpx")

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in self.NAMES:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, _NotInstalled())
"""
RUN_CLI = BLOCK + "from consistency.cli import app\napp(prog_name='consistency')\n"


@pytest.fixture
def env(tmp_path) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        **os.environ,
        "CONSISTENCY_CACHE_DIR": str(tmp_path / "cache"),
        "HF_HUB_OFFLINE": "1",
        "NO_COLOR": "1",
        "COLUMNS": "100",
    }


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", RUN_CLI, *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_blocker_blocks(env: dict[str, str]) -> None:
    code = BLOCK + "import fastapi\n"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "No module named 'fastapi'" in result.stderr


@pytest.mark.parametrize("args", [["--help"], ["kb", "--help"], ["serve", "--help"]])
def test_help_without_the_server_extra(env: dict[str, str], args: list[str]) -> None:
    result = _cli(env, *args)
    assert result.returncode == 0, result.stderr
    assert "Usage: consistency" in result.stdout and "Traceback" not in result.stderr


def test_version_without_the_server_extra(env: dict[str, str]) -> None:
    result = _cli(env, "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("consistency ")


def test_serve_names_the_extra_and_exits_2(env: dict[str, str]) -> None:
    result = _cli(env, "serve", "--kb", str(SAMPLE_KB))
    assert result.returncode == 2
    assert "pip install 'consistency[server]'" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_server_package_imports_lazily(env: dict[str, str]) -> None:
    code = BLOCK + (
        "import consistency.server, consistency.server.cli\n"
        "assert 'fastapi' not in sys.modules\n"
        "try:\n    consistency.server.create_app\n"
        "except ModuleNotFoundError as exc:\n    print('needs', exc.name)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "needs fastapi"


@pytest.mark.model
def test_check_without_the_server_extra(env: dict[str, str]) -> None:
    question = "How long do I have to return an item?"
    result = _cli(env, "check", "--kb", str(SAMPLE_KB), question, "You have 14 days.")
    assert result.returncode == 1, result.stderr  # contradiction, as with every extra
    assert "contradiction" in result.stdout and "returns-window" in result.stdout
