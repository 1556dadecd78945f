"""Shared constants and helpers for the service tests."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

SAMPLE_KB = Path(__file__).resolve().parents[2] / "knowledge_base"
BAD_KB = Path(__file__).resolve().parents[1] / "data" / "kb_bad"
TOKEN = "test-token-1234"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def start(app: FastAPI) -> TestClient:
    """Enter a TestClient (runs the lifespan) and wait until the KB is served.

    The caller leaves it with ``client.__exit__(None, None, None)``.
    """
    client = TestClient(app)
    client.__enter__()
    assert app.state.service.wait_ready(60), app.state.service.failure
    return client
