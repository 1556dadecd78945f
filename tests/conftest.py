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
