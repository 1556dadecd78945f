"""The engines stand side by side: neither imports the other, and the local one needs no Ray."""

from __future__ import annotations

import json
import subprocess
import sys


def _loaded(statement: str) -> set[str]:
    code = f"import json, sys; {statement}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout))


def test_the_local_engine_loads_neither_the_ray_engine_nor_ray():
    loaded = _loaded("import consistency.audit.engines.local, consistency.audit.pipeline")
    assert "consistency.audit.engines.common" in loaded
    assert "consistency.audit.engines.ray" not in loaded and "ray" not in loaded


def test_the_ray_engine_does_not_load_the_local_one():
    loaded = _loaded("import consistency.audit.engines.ray")
    assert "consistency.audit.engines.common" in loaded
    assert "consistency.audit.engines.local" not in loaded
    assert "consistency.audit.pipeline" not in loaded


def test_the_old_ray_path_is_the_engine():
    from consistency.audit.engines import ray as engine
    from consistency.distributed import Shard, plan_shards, run_ray

    assert (run_ray, Shard, plan_shards) == (engine.run_ray, engine.Shard, engine.plan_shards)
