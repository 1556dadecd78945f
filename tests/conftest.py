"""Shared fixtures: the real offline model once per session, and a fake encoder for logic tests."""

from __future__ import annotations

import hashlib
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
# model was loaded in this process (a subprocess that loads it cannot be seen from here:
# the tests that start one are marked by hand).

#: Fixtures that load the real model (the ONNX MiniLM, or the torch one through
#: sentence-transformers).
MODEL_FIXTURES = frozenset({"encoder", "onnx_enc", "plain_enc", "torch_vectors"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if MODEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.model)


class _ModelLoads:
    """Counts real-model loads: each encoder built in this process, successfully."""

    count = 0

    @classmethod
    def install(cls) -> None:
        from consistency.match import encoder, onnx_encoder

        for owner in (onnx_encoder.OnnxEncoder, encoder.SentenceTransformerEncoder):
            original = owner.__init__

            def counted(self, *args, __original=original, **kwargs):  # type: ignore[no-untyped-def]
                __original(self, *args, **kwargs)
                cls.count += 1

            owner.__init__ = counted  # type: ignore[method-assign]


def pytest_configure(config: pytest.Config) -> None:
    _ModelLoads.install()


_LOADS_BEFORE: dict[str, int] = {}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item):  # type: ignore[no-untyped-def]
    _LOADS_BEFORE[item.nodeid] = _ModelLoads.count
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):  # type: ignore[no-untyped-def]
    result = yield
    loaded = _ModelLoads.count - _LOADS_BEFORE.pop(item.nodeid, _ModelLoads.count)
    if loaded and item.get_closest_marker("model") is None:
        raise AssertionError(
            f"{item.nodeid} loaded the real embedding model but is not marked `model`: "
            "use a fixture named in tests/conftest.py MODEL_FIXTURES, or @pytest.mark.model"
        )
    return result
