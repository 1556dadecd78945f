"""No response shows where the server keeps its files: KB paths are relative to the KB folder."""

from __future__ import annotations

import json
import os
from pathlib import Path

from fastapi.testclient import TestClient

from tests.server.helpers import BAD_KB, start


def _shown(response) -> str:  # type: ignore[no-untyped-def]
    return json.dumps(response.json())


def test_entries_show_the_file_relative_to_the_kb(make_app, kb_copy: Path) -> None:  # type: ignore[no-untyped-def]
    assert kb_copy.is_absolute()
    client = start(make_app(kb_copy.resolve()))
    try:
        response = client.get("/v1/entries/returns-window")
        assert response.status_code == 200
        body = response.json()
        assert body["entry"]["source_file"] == "returns.yaml"
        assert {v["source_file"] for v in body["versions"]} == {"returns.yaml"}
        for path in ("/readyz", "/healthz", "/v1/entries/returns-window", "/openapi.json"):
            shown = client.get(path).text
            assert str(kb_copy) not in shown and str(kb_copy.resolve()) not in shown, path
    finally:
        client.__exit__(None, None, None)


def test_a_bad_reload_names_files_relative_to_the_kb(make_app, kb_copy: Path) -> None:  # type: ignore[no-untyped-def]
    client = start(make_app(str(kb_copy)))
    try:
        (kb_copy / "zz-broken.yaml").write_text("- id: x\n  questions: [\n", encoding="utf-8")
        response = client.post("/v1/reload")
        assert response.status_code == 422
        shown = _shown(response)
        assert str(kb_copy) not in shown and os.sep + "tmp" not in shown, shown
        assert {p["file"] for p in response.json()["problems"]} == {"zz-broken.yaml"}
        assert "zz-broken.yaml" in response.json()["detail"]
    finally:
        client.__exit__(None, None, None)


def test_a_kb_refused_at_start_up_is_reported_without_its_folder(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(BAD_KB.resolve())
    with TestClient(app) as client:
        assert not app.state.service.wait_ready(30)
        ready = client.get("/readyz")
        refused = client.post("/v1/check", json={"question": "q", "answer": "a"})
        for response in (ready, refused):
            assert response.status_code == 503
            assert str(BAD_KB.resolve()) not in response.text, response.text
        assert "error" in ready.json()["detail"]


def test_kb_relative(tmp_path: Path) -> None:
    from consistency.server.service import CheckService

    service = CheckService(tmp_path)
    assert service.kb_relative(str(tmp_path / "a" / "b.yaml")) == os.path.join("a", "b.yaml")
    assert service.kb_relative("/etc/elsewhere/kb.yaml") == "kb.yaml"
    assert service.kb_relative(None) is None
    assert service.public_text(f"cannot read {tmp_path / 'x.yaml'}") == "cannot read x.yaml"
