"""Every docstring example in the package runs, so none can go stale.

Why a test of its own rather than ``--doctest-modules``: that would import every
module as a test module at each collection (the Ray and server ones included),
even for ``pytest tests/facts``. Here each module with examples is one test.
Examples that build a ``Checker`` need the real embedding model: they run with the
session's model (``encoder``), so they carry the ``model`` marker and
``pytest -m "not model"`` stays fast. No example needs the network, so none is
skipped; examples read the shipped sample files, from the repository root.
"""

from __future__ import annotations

import doctest
import importlib
import importlib.util
import pkgutil
from pathlib import Path

import pytest

import consistency

ROOT = Path(__file__).resolve().parents[1]

#: Modules whose examples build a ``Checker`` (the real model).
NEEDS_MODEL = frozenset({"consistency.checker", "consistency.macros.check"})


def _modules_with_examples() -> list[str]:
    """Every module of the package whose source holds a ``>>>`` example (read, not imported)."""
    names = ["consistency"]
    names += [i.name for i in pkgutil.walk_packages(consistency.__path__, "consistency.")]
    out = []
    for name in sorted(names):
        spec = importlib.util.find_spec(name)
        source = spec.origin if spec is not None else None
        if source and source.endswith(".py") and ">>>" in Path(source).read_text("utf-8"):
            out.append(name)
    return out


MODULES = _modules_with_examples()


def _run_examples(name: str) -> None:
    module = importlib.import_module(name)
    tests = [t for t in doctest.DocTestFinder().find(module) if t.examples]
    assert tests, f"{name} mentions '>>>' but has no runnable example"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in tests:
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"


def test_the_examples_are_found() -> None:
    """The collector sees modules known to carry examples (so it cannot silently find none)."""
    known = {"consistency.facts.numbers", "consistency.facts.url", "consistency.compare.answer"}
    assert known | NEEDS_MODEL <= set(MODULES)


@pytest.mark.parametrize("name", [n for n in MODULES if n not in NEEDS_MODEL])
def test_docstring_examples(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    _run_examples(name)


@pytest.mark.parametrize("name", sorted(NEEDS_MODEL))
def test_docstring_examples_with_the_model(
    name: str, checker, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """``Checker(kb)`` in an example gets the session's model and embedding cache (the
    sample KB is embedded there already) rather than loading its own."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("CONSISTENCY_CACHE_DIR", str(checker.index.store.directory))
    monkeypatch.setattr("consistency.checker.make_encoder", lambda *a, **k: checker.encoder)
    _run_examples(name)
