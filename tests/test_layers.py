"""The layering in pyproject.toml holds: stages import only downwards, no import cycles.

Run as ``make lint`` does, through import-linter's ``lint-imports`` (in the ``dev`` extra).
The contracts list no ignored imports: an exception would be a layer that is not one.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]

pytest.importorskip("importlinter", reason="import-linter comes with the dev extra")


def test_the_contracts_list_no_exceptions() -> None:
    assert {c["id"] for c in CONFIG["contracts"]} == {"layers", "acyclic"}
    for contract in CONFIG["contracts"]:
        assert not contract.get("ignore_imports"), contract["id"]


def test_lint_imports_passes() -> None:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    code = "from importlinter.cli import lint_imports_command; lint_imports_command()"
    done = subprocess.run(
        [sys.executable, "-c", code, "--no-cache"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 kept, 0 broken" in done.stdout


def _layered() -> set[str]:
    (layers,) = [c["layers"] for c in CONFIG["contracts"] if c["type"] == "layers"]
    names = {n.strip().strip("()") for layer in layers for n in layer.replace(":", "|").split("|")}
    return names


def test_every_part_of_the_package_has_a_layer() -> None:
    """A module left out of the layers would be free to import anything: each one is placed
    (``kb`` by its modules, as KB lint sat in it above the checker)."""
    layered = _layered()
    unplaced = []
    for path in sorted((ROOT / "consistency").iterdir()):
        if path.name.startswith(("_", ".")) or not (path.suffix == ".py" or path.is_dir()):
            continue
        name = f"consistency.{path.stem}"
        if name in layered:
            continue
        if path.is_dir() and (path / "__init__.py").exists():
            inner = [f"{name}.{p.stem}" for p in path.glob("*.py") if p.stem != "__init__"]
            if inner and all(m in layered for m in inner):
                continue
        if path.is_dir() and not (path / "__init__.py").exists():
            continue  # a data folder, not a package
        unplaced.append(name)
    assert not unplaced, f"place these in a layer in pyproject.toml: {unplaced}"
