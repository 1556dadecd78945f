"""The README's Python example runs and says what the README says it says."""

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
