"""Scale-out engines for the nightly audit.

:func:`run_ray` runs the audit's stages (:mod:`consistency.audit.stages`) on Ray
Data: sharded reads, a pool of stateful workers that load the checker once and
analyse batches, then group-bys on the stages' own keys. It writes the same
files as :func:`consistency.audit.audit`; the findings are identical. Needs the
``distributed`` extra (``pip install "consistency[distributed]"``).
"""

from consistency.distributed.ray_engine import Shard, plan_shards, run_ray

__all__ = ["Shard", "plan_shards", "run_ray"]
