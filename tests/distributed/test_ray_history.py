"""The Ray engine reads and writes the same history as the local engine: night by night,
its findings are the local engine's, and a history one engine wrote, the other continues."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("ray")

from consistency.audit import audit
from tests.distributed.test_ray_engine import SAMPLE, checker, cluster  # noqa: F401


def _days() -> list[str]:
    lines = SAMPLE.read_text().splitlines()
    return sorted({json.loads(x)["started_at"][:10] for x in lines if x.strip()})


def _ids(out) -> list[str]:
    return sorted(json.loads(x)["id"] for x in (out / "findings.jsonl").read_text().splitlines())


def test_ray_nights_match_local_nights_and_share_the_history(cluster, checker, tmp_path):  # noqa: F811
    days = _days()
    half = len(days) // 2
    for name, engines in (
        ("local", ["local"] * len(days)),
        ("mixed", ["local"] * half + ["ray"] * (len(days) - half)),
    ):
        history = tmp_path / f"{name}.sqlite"
        for day, engine in zip(days, engines, strict=True):
            audit([SAMPLE], checker.kb, out=tmp_path / name / day, checker=checker, progress=False,
                  history=history, since=day, until=day, **({"engine": "ray", "workers": 2} if engine == "ray" else {}))  # fmt: skip
    later = days[half:]
    assert any(_ids(tmp_path / "local" / d) for d in later)
    for day in later:  # Ray nights continuing a local history report what local nights did
        assert _ids(tmp_path / "mixed" / day) == _ids(tmp_path / "local" / day), day
