"""``redact_pii`` on the service: logs hold no personal data; verdicts go back as they were."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from ..conftest import SAMPLE_KB

QUESTION = "How long do I have to return an item? My name is Priya Patel."
ANSWER = "You have 14 days to return it. Priya, your card 4539 1488 0343 6467 is refunded."
FAILURE = "for priya.patel@gmail.com on 07911 123456"
SECRETS = ("Priya", "4539", "priya.patel", "07911", "123456")


def _app(encoder, checker, **options):  # type: ignore[no-untyped-def]
    from consistency.server import create_app

    return create_app(
        SAMPLE_KB, encoder=encoder, checker_factory=lambda kb, enc: checker, **options
    )


@pytest.mark.model
@pytest.mark.parametrize("redact", [False, True])
def test_logs_are_masked(encoder, checker, caplog: pytest.LogCaptureFixture, redact: bool) -> None:  # type: ignore[no-untyped-def]
    app = _app(encoder, checker, log_texts=True, redact_pii=redact)
    with TestClient(app) as client, caplog.at_level(logging.INFO):
        assert app.state.service.wait_ready(60)
        response = client.post("/v1/check", json={"question": QUESTION, "answer": ANSWER})
        assert response.status_code == 200
        client.get("/v1/entries/4539148803436467")
        try:
            raise ValueError(FAILURE)
        except ValueError:
            logging.getLogger("consistency.server").exception("failed: %s", FAILURE)
    served = [r for r in caplog.records if r.name.startswith(("consistency", "uvicorn"))]
    logged = "\n".join(logging.Formatter().format(r) for r in served)
    assert "POST /v1/check 200" in logged and "verdict=contradiction" in logged
    assert "GET /v1/entries/" in logged and "404" in logged
    assert all((s in logged) is not redact for s in SECRETS), logged
    if redact:
        assert "[CARD" in logged and "[EMAIL" in logged and "[PHONE" in logged
        assert "ValueError: for [EMAIL" in logged  # the traceback too
    verdict = response.json()  # the agent gets its own draft's spans back, unmasked
    (conflict,) = verdict["conflicts"]
    assert ANSWER[conflict["answer_span"][0] : conflict["answer_span"][1]] == "14 days"
    assert not any(
        f.__class__.__name__ == "RedactingFilter"
        for f in logging.getLogger("consistency.server").filters
    )


def test_serve_has_the_flag(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import typer
    import uvicorn

    import consistency.server.app as app_module
    from consistency.server.cli import serve_command

    seen = {}

    def fake_create_app(kb, **options):  # type: ignore[no-untyped-def]
        seen.update(options)
        return object()

    monkeypatch.setattr(app_module, "create_app", fake_create_app)
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: None)
    cli = typer.Typer()
    cli.command("serve")(serve_command)
    cli.command("noop")(lambda: None)
    result = CliRunner().invoke(cli, ["serve", "--kb", str(SAMPLE_KB), "--redact-pii"])
    assert result.exit_code == 0, result.output
    assert seen["redact_pii"] is True
