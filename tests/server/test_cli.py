"""``serve_command`` as the lead registers it: ``consistency serve``."""

from __future__ import annotations

from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from consistency.server.cli import serve_command
from tests.server.helpers import BAD_KB, SAMPLE_KB

app = typer.Typer()
app.command("serve")(serve_command)
app.command("other", hidden=True)(lambda: None)  # keeps "serve" a sub-command, as in the CLI


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Capture what would be handed to uvicorn instead of serving."""
    calls: dict[str, Any] = {}

    def fake_run(app: Any, **options: Any) -> None:
        calls["app"] = app
        calls.update(options)

    monkeypatch.setattr("uvicorn.run", fake_run)
    # serve sets torch's thread count for the whole process; keep this test process as it is.
    monkeypatch.setattr("torch.set_num_threads", lambda n: calls.__setitem__("torch_threads", n))
    monkeypatch.delenv("CONSISTENCY_TOKEN", raising=False)
    return calls


def test_serve_binds_loopback_without_access_log_by_default(served: dict[str, Any]) -> None:
    result = CliRunner().invoke(app, ["serve", "--kb", str(SAMPLE_KB)])
    assert result.exit_code == 0, result.output
    assert served["host"] == "127.0.0.1"
    assert served["port"] == 8000
    assert served["access_log"] is False
    # The default encoder is ONNX: serving never imports torch to set its threads.
    assert "torch_threads" not in served
    assert served["app"].title == "consistency"


def test_serve_takes_the_token_from_the_environment(served: dict[str, Any]) -> None:
    from fastapi.testclient import TestClient

    result = CliRunner().invoke(
        app, ["serve", "--kb", str(SAMPLE_KB)], env={"CONSISTENCY_TOKEN": "from-env"}
    )
    assert result.exit_code == 0, result.output
    # Without entering the client the lifespan (model load) does not run; auth comes first.
    response = TestClient(served["app"]).post("/v1/check", json={"question": "q", "answer": "a"})
    assert response.status_code == 401


def test_serve_warns_when_exposed_without_a_token(served: dict[str, Any]) -> None:
    result = CliRunner().invoke(app, ["serve", "--kb", str(SAMPLE_KB), "--host", "0.0.0.0"])
    assert result.exit_code == 0
    assert "without a token" in result.output


def test_serve_refuses_a_bad_kb_before_starting(served: dict[str, Any]) -> None:
    result = CliRunner().invoke(app, ["serve", "--kb", str(BAD_KB)])
    assert result.exit_code == 2
    assert "broken.yaml" in result.output
    assert served == {}


def test_serve_help_names_the_options() -> None:
    result = CliRunner().invoke(app, ["serve", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    options = ("--kb", "--host", "--port", "--token", "--log-texts", "--torch-threads")
    for option in (*options, "CONSISTENCY_TOKEN"):
        assert option in result.output
