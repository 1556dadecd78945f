"""CheckService: the default encoder, and the KB answers' facts prepared after start-up."""

from __future__ import annotations

import logging
import time

import pytest

from consistency.server.service import CheckService
from tests.server.helpers import SAMPLE_KB


def test_default_encoder_is_the_librarys_and_facts_are_prepared(
    encoder,  # type: ignore[no-untyped-def]
    checker_factory,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from consistency.compare.answer import _canonical_facts
    from consistency.match import encoder as encoder_module

    made: list[object] = []

    def make_encoder(*args: object, **kwargs: object) -> object:
        made.append(args)
        return encoder  # the session's default encoder, already loaded

    monkeypatch.setattr(encoder_module, "make_encoder", make_encoder)
    _canonical_facts.cache_clear()
    caplog.set_level(logging.INFO, logger="consistency.server")
    service = CheckService(SAMPLE_KB, checker_factory=checker_factory)
    service.start()
    try:
        assert service.wait_ready(60), service.failure
        assert made == [()]  # make_encoder() with no arguments: auto, i.e. ONNX by default
        deadline = time.monotonic() + 30
        while "KB answers prepared" not in caplog.text and time.monotonic() < deadline:
            time.sleep(0.05)
        answers = {e.answer for e in service.current.kb.entries}  # type: ignore[union-attr]
        assert f"facts of {len(answers)} KB answers prepared" in caplog.text
        assert _canonical_facts.cache_info().currsize >= len(answers)
    finally:
        service.stop()
