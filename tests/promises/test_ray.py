"""The Ray engine finds the local engine's broken promises, fulfilment file included."""

from __future__ import annotations

import json
import sys

import pytest

ray = pytest.importorskip("ray", reason="ray is not installed (the 'distributed' extra)")
pytest.importorskip("ray.data", reason="ray[data] is not installed")

from ..conftest import ROOT  # noqa: E402

SAMPLE = ROOT / "examples" / "transcripts.jsonl"
FULFILMENT = ROOT / "examples" / "fulfilment.csv"


def test_ray_and_local_agree_on_promises(sample_kb, tmp_path):
    from consistency import Checker
    from consistency.audit import audit
    from consistency.distributed import run_ray

    from .. import conftest

    lines = [
        line
        for line in SAMPLE.read_text(encoding="utf-8").splitlines()
        if str(json.loads(line).get("customer_id", "")).startswith(("c-70", "c-71"))
    ]
    lines.insert(5, lines[1])  # a repeated conversation id: its promises go with it
    src = tmp_path / "promises.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = tmp_path / "done.csv"
    done.write_text(FULFILMENT.read_text() + "c-7001,visit,not-a-time,\n", encoding="utf-8")
    checker = Checker(sample_kb, encoder=conftest.FakeEncoder(), cache_dir=tmp_path / "cache")

    local = tmp_path / "local"
    audit([src], checker.kb, out=local, checker=checker, progress=False, fulfilment=done)
    broken = [
        json.loads(line)
        for line in (local / "findings.jsonl").read_text().splitlines()
        if '"broken_promise"' in line
    ]
    assert len(broken) >= 12

    ray.cloudpickle.register_pickle_by_value(sys.modules[conftest.__name__])
    started = not ray.is_initialized()
    if started:
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        remote = tmp_path / "ray"
        run_ray([src], checker.kb, out=remote, checker=checker, workers=2, fulfilment=done)
    finally:
        if started:
            ray.shutdown()
    for name in ("findings.jsonl", "errors.jsonl"):
        assert (remote / name).read_bytes() == (local / name).read_bytes(), name
    errors = (local / "errors.jsonl").read_text()
    assert "duplicate conversation id" in errors and "not-a-time" in errors
