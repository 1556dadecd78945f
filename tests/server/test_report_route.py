"""``/report`` and ``/report/review``: the latest audit served, decisions recorded in the history."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from consistency.server.report import add_report_routes
from tests.server.report_data import write_audit


def _client(tmp_path: Path, *, history: bool = True) -> tuple[TestClient, Path, list]:
    folder = tmp_path / "audit"
    found = write_audit(folder)
    app = FastAPI()
    db = tmp_path / "history.sqlite"
    add_report_routes(app, folder, db if history else None, protected=[])
    return TestClient(app), db, found


def test_the_report_is_served_with_buttons(tmp_path: Path) -> None:
    client, _, _ = _client(tmp_path)
    page = client.get("/report")
    assert page.status_code == 200
    assert 'data-review-url="/report/review"' in page.text
    assert page.text.count("<article") == 4  # seven occurrences fold into one card


def test_without_a_history_the_report_is_read_only(tmp_path: Path) -> None:
    client, _, _ = _client(tmp_path, history=False)
    page = client.get("/report")
    assert page.status_code == 200 and "<button" not in page.text
    assert client.post("/report/review", json={}).status_code in (404, 405)


def test_a_decision_is_recorded_for_every_folded_occurrence(tmp_path: Path) -> None:
    from consistency.review import load_reviews

    client, db, found = _client(tmp_path)
    ids = [f.id for f in found[:7]]
    answer = client.post(
        "/report/review",
        json={"finding_ids": ids, "decision": "false_alarm", "reviewer": "Priya", "note": "old KB"},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"recorded": 7, "decision": "false_alarm"}
    stored = load_reviews(db)
    assert sorted(stored) == sorted(ids)
    assert {r.decision for r in stored.values()} == {"false_alarm"}
    assert (
        stored[ids[0]].entry_id == "click-and-collect" and stored[ids[0]].kind == "kb_contradiction"
    )
    # the page now shows the state
    page = client.get("/report").text
    assert 'data-review="false_alarm"' in page
    # the reviewed precision counts tonight's decisions: 7 false alarms on this entry
    assert "<tr><td>click-and-collect</td><td>7</td><td>0</td><td>7</td><td>0</td>" in page


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"finding_ids": ["nope"], "decision": "confirmed", "reviewer": "P"}, 404),
        ({"finding_ids": [], "decision": "confirmed", "reviewer": "P"}, 422),
        ({"finding_ids": ["x"], "decision": "maybe", "reviewer": "P"}, 422),
        ({"finding_ids": ["x"], "decision": "confirmed", "reviewer": ""}, 422),
    ],
)
def test_bad_decisions_are_refused(tmp_path: Path, body: dict, status: int) -> None:
    from consistency.review import load_reviews

    client, db, _ = _client(tmp_path)
    assert client.post("/report/review", json=body).status_code == status
    assert load_reviews(db) == {}


def test_a_broken_audit_folder_is_a_503_naming_the_file(tmp_path: Path) -> None:
    client, _, _ = _client(tmp_path)
    (tmp_path / "audit" / "findings.jsonl").write_text('{"kind": 1}\n')
    page = client.get("/report")
    assert page.status_code == 503 and "findings.jsonl, line 1" in page.text


def test_serve_audit_adds_the_report_and_history_needs_audit(tmp_path: Path, monkeypatch) -> None:
    import typer
    from typer.testing import CliRunner

    from consistency.server.cli import serve_command
    from tests.server.helpers import SAMPLE_KB

    cli = typer.Typer()
    cli.command("serve")(serve_command)
    cli.command("other", hidden=True)(lambda: None)
    served: dict = {}
    monkeypatch.setattr("uvicorn.run", lambda app, **options: served.update(app=app))
    monkeypatch.setattr("torch.set_num_threads", lambda n: None)
    monkeypatch.delenv("CONSISTENCY_TOKEN", raising=False)

    alone = CliRunner().invoke(cli, ["serve", "--kb", str(SAMPLE_KB), "--history", "h.sqlite"])
    assert alone.exit_code == 2 and "--history needs --audit" in alone.output
    assert "app" not in served

    write_audit(tmp_path / "audit")
    args = ["serve", "--kb", str(SAMPLE_KB), "--audit", str(tmp_path / "audit")]
    result = CliRunner().invoke(cli, [*args, "--history", str(tmp_path / "h.sqlite")])
    assert result.exit_code == 0, result.output
    paths = {getattr(r, "path", "") for r in served["app"].routes}
    assert {"/", "/report", "/report/review"} <= paths


def test_with_a_token_the_report_and_reviews_need_it(tmp_path: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    from tests.server.helpers import AUTH, TOKEN

    write_audit(tmp_path / "audit")
    app = make_app(token=TOKEN, audit=tmp_path / "audit", history=tmp_path / "h.sqlite")
    client = TestClient(app)
    assert client.get("/report").status_code == 401
    assert client.get("/report", headers=AUTH).status_code == 200
    body = {"finding_ids": ["x"], "decision": "confirmed", "reviewer": "P"}
    assert client.post("/report/review", json=body).status_code == 401
    assert client.get("/").status_code == 200  # the agent page is unchanged
