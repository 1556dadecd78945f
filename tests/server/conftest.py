"""Fixtures for the HTTP service: the real model and KB, served in-process."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.server.helpers import SAMPLE_KB, TOKEN, start

AppMaker = Callable[..., FastAPI]


@pytest.fixture(scope="session")
def checker_factory(checker, tmp_path_factory):  # type: ignore[no-untyped-def]
    """Reuse the session checker for the sample KB; build real ones for edited copies."""
    from consistency import Checker

    cache = tmp_path_factory.mktemp("server-cache")

    def factory(kb, encoder):  # type: ignore[no-untyped-def]
        if kb.content_hash == checker.kb.content_hash:
            return checker
        return Checker(kb, encoder=encoder, cache_dir=cache)

    return factory


@pytest.fixture(scope="session")
def make_app(encoder, checker_factory) -> AppMaker:  # type: ignore[no-untyped-def]
    from consistency.server import create_app

    def make(kb_path: Path = SAMPLE_KB, **options: object) -> FastAPI:
        return create_app(kb_path, encoder=encoder, checker_factory=checker_factory, **options)

    return make


@pytest.fixture(scope="module")
def client(make_app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    """The sample KB behind a token, shared by the tests of a module."""
    test_client = start(make_app(token=TOKEN, max_text_chars=200, max_body_bytes=4000))
    yield test_client
    test_client.__exit__(None, None, None)


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    """A writable copy of the sample KB's returns file, for reload tests.

    One file, not the whole KB: every edit is a new KB whose index is built from
    scratch, and a small one builds in a fraction of a second.
    """
    target = tmp_path / "kb"
    target.mkdir()
    shutil.copy(SAMPLE_KB / "returns.yaml", target / "returns.yaml")
    return target
