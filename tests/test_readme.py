"""The README: its Python example runs and says what it says; its file map matches the tree."""

from __future__ import annotations

import re

import pytest

from .conftest import ROOT


def test_readme_python_example_runs(encoder, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    text = (ROOT / "README.md").read_text()
    (block,) = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr("consistency.checker.make_encoder", lambda *a, **k: encoder)
    namespace: dict[str, object] = {}
    exec(compile(block, "README.md", "exec"), namespace)
    v = namespace["v"]
    assert (v.status, v.entry_id) == ("contradiction", "returns-window")  # type: ignore[attr-defined]
    c = namespace["c"]
    assert (c.kind, c.answer_value, c.kb_value) == ("duration", "14 days", "28 days")  # type: ignore[attr-defined]
    assert (c.answer_span, c.kb_span) == ((15, 22), (33, 40))  # type: ignore[attr-defined]


def _file_map() -> dict[str, str]:
    """The README's "Where things are" table: each path it names, and its row.

    A row's first path is from the repository root; the others in that row are beside it
    (``consistency/choose.py``, ``checker.py``).
    """
    text = (ROOT / "README.md").read_text()
    table = text.split("## Where things are", 1)[1].split("\n## ", 1)[0]
    paths: dict[str, str] = {}
    for row in table.splitlines():
        if not row.startswith("| `"):
            continue
        named = re.findall(r"`([^`]+)`", row.split(" | ")[0])
        base = named[0].rstrip("/").rpartition("/")[0]
        for i, name in enumerate(named):
            paths[name if i == 0 or not base else f"{base}/{name}"] = row
    return paths


def test_the_file_map_matches_the_tree() -> None:
    """Every path the README's file map names exists, and it names every part of the package."""
    paths = _file_map()
    missing = [p for p in paths if not (ROOT / p).exists()]
    assert not missing, f"the README's file map names what is not there: {missing}"
    package = ROOT / "consistency"
    parts = [
        f"consistency/{p.name}/" if p.is_dir() else f"consistency/{p.name}"
        for p in sorted(package.iterdir())
        if (p.is_dir() and (p / "__init__.py").exists())
        or (p.suffix == ".py" and p.stem != "__init__")
    ]
    unnamed = [p for p in parts if p not in paths]
    assert not unnamed, f"add a line to the README's file map for: {unnamed}"
