"""Shared fixtures: the real offline model once per session, and a fake encoder for logic tests."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_KB = ROOT / "knowledge_base"
DATA = Path(__file__).resolve().parent / "data"


class FakeEncoder:
    """Bag-of-words hashing encoder: deterministic, instant, shares words ⇒ similar."""

    name = "fake-bow"
    dim = 64

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                word = word.strip("?.,!")
                h = int(hashlib.md5(word.encode()).hexdigest(), 16)
                out[row, h % self.dim] += 1.0
            norm = np.linalg.norm(out[row])
            out[row] = out[row] / norm if norm else out[row]
            if not norm:
                out[row, 0] = 1.0
        return out


@pytest.fixture
def fake_encoder() -> FakeEncoder:
    return FakeEncoder()


@pytest.fixture(scope="session")
def encoder():
    """The library's default real offline encoder (int8 ONNX MiniLM), loaded once per run."""
    from consistency.match import make_encoder

    return make_encoder()


@pytest.fixture(scope="session")
def sample_kb():
    from consistency.kb import KnowledgeBase

    return KnowledgeBase.load(SAMPLE_KB)


@pytest.fixture(scope="session")
def checker(encoder, sample_kb, tmp_path_factory):
    from consistency import Checker

    return Checker(sample_kb, encoder=encoder, cache_dir=tmp_path_factory.mktemp("cache"))


# -- the `model` marker: exactly the tests that load the real embedding model --------------
#
# Why: `pytest -m "not model"` is the fast loop, so the marker must be right both ways.
# A test is marked when it uses a fixture below (directly or through another fixture, e.g.
# `checker`, `sample_out`); a test that loads the model some other way carries
# `@pytest.mark.model` itself. `_ModelLoads` fails any unmarked test during which the real
# model was loaded: in this process, or in a subprocess it started (seen through
# tests/model_probe/sitecustomize.py, which the children find on their PYTHONPATH).

#: Fixtures that load the real model (the ONNX MiniLM, or the torch one through
#: sentence-transformers).
MODEL_FIXTURES = frozenset({"encoder", "onnx_enc", "plain_enc", "torch_vectors"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if MODEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.model)


class _ModelLoads:
    """Counts real-model loads: each encoder built successfully, here or in a subprocess."""

    here = 0
    probe: Path | None = None

    @classmethod
    def count(cls) -> int:
        return cls.here + (len(os.listdir(cls.probe)) if cls.probe is not None else 0)

    @classmethod
    def install(cls) -> None:
        cls.probe = Path(tempfile.mkdtemp(prefix="consistency-model-probe-"))
        os.environ["CONSISTENCY_TEST_MODEL_PROBE"] = str(cls.probe)
        paths = [str(Path(__file__).parent / "model_probe"), os.environ.get("PYTHONPATH", "")]
        os.environ["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)

        from consistency.match import encoder, onnx_encoder

        for owner in (onnx_encoder.OnnxEncoder, encoder.SentenceTransformerEncoder):
            original = owner.__init__

            def counted(self, *args, __original=original, **kwargs):  # type: ignore[no-untyped-def]
                __original(self, *args, **kwargs)
                cls.here += 1

            owner.__init__ = counted  # type: ignore[method-assign]


def pytest_configure(config: pytest.Config) -> None:
    _ModelLoads.install()


def pytest_unconfigure(config: pytest.Config) -> None:
    if _ModelLoads.probe is not None:
        shutil.rmtree(_ModelLoads.probe, ignore_errors=True)


_LOADS_BEFORE: dict[str, int] = {}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item):  # type: ignore[no-untyped-def]
    _LOADS_BEFORE[item.nodeid] = _ModelLoads.count()
    return (yield)


_SKIPPED = pytest.StashKey[bool]()
#: Fixtures seen loading the model when set up, as (where defined, name): the tests that use
#: one need the model although only the first of them loads it.
_LOADING_FIXTURES: set[tuple[str, str]] = set()


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef: pytest.FixtureDef[object], request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    before = _ModelLoads.count()
    result = yield
    if _ModelLoads.count() > before:
        _LOADING_FIXTURES.add((fixturedef.baseid, fixturedef.argname))
    return result


def _needs_a_loading_fixture(item: pytest.Item) -> bool:
    names = set(getattr(item, "fixturenames", ()))
    if MODEL_FIXTURES & names:
        return True
    defs = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
    return any((d.baseid, d.argname) in _LOADING_FIXTURES for n in names for d in defs.get(n, ()))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    report = yield
    if report.skipped:
        item.stash[_SKIPPED] = True
    return report


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):  # type: ignore[no-untyped-def]
    result = yield
    now = _ModelLoads.count()
    loaded = now - _LOADS_BEFORE.pop(item.nodeid, now)
    marked = item.get_closest_marker("model") is not None
    if loaded and not marked:
        raise AssertionError(
            f"{item.nodeid} loaded the real embedding model but is not marked `model`: "
            "use a fixture named in tests/conftest.py MODEL_FIXTURES, or @pytest.mark.model"
        )
    skipped = item.stash.get(_SKIPPED, False)
    if marked and not loaded and not skipped and not _needs_a_loading_fixture(item):
        raise AssertionError(
            f"{item.nodeid} is marked `model` but loaded no model: take the mark off, "
            "so that `pytest -m 'not model'` runs it"
        )
    return result


@pytest.fixture(scope="session")
def _postgres_history():
    from tests.pg_server import postgres_url

    with postgres_url() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def history_db(request, tmp_path):
    """A fresh history: a SQLite file, then the same on a throwaway PostgreSQL server."""
    if request.param == "sqlite":
        return str(tmp_path / "history.sqlite")
    url = request.getfixturevalue("_postgres_history")
    from sqlalchemy import text

    from consistency.store import METADATA, engine

    eng = engine(url)
    with eng.begin() as con:
        for table in reversed(METADATA.sorted_tables):
            con.execute(text(f"DELETE FROM {table.name}"))
    return url
