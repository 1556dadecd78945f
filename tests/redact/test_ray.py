"""``redact_pii`` on the Ray engine: the same masked files as the local engine, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from consistency.audit import audit

from .test_audit import _leaks, _transcripts

pytest.importorskip("ray.data", reason="ray[data] is not installed")


@pytest.mark.model
def test_ray_engine_masks_like_the_local_one(checker, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = _transcripts(tmp_path / "t.jsonl")
    runs = {}
    for engine in ("local", "ray"):
        out = tmp_path / engine
        audit(
            [src],
            checker.kb,
            out=out,
            checker=checker,
            progress=False,
            redact_pii=True,
            engine=engine,
            workers=2 if engine == "ray" else None,
            history=tmp_path / f"{engine}.sqlite",
        )
        assert _leaks(out, tmp_path / f"{engine}.sqlite") == []
        runs[engine] = out
    for name in ("findings.jsonl", "errors.jsonl"):
        assert (runs["ray"] / name).read_bytes() == (runs["local"] / name).read_bytes(), name
