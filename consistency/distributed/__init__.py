"""Scale-out engines for the nightly audit (moved to :mod:`consistency.audit.engines`).

:func:`run_ray` runs the audit's stages (:mod:`consistency.audit.stages`) on Ray
Data: sharded reads, a pool of stateful workers that load the checker once and
analyse batches, then group-bys on the stages' own keys. It writes the same
files as :func:`consistency.audit.audit`; the findings are identical. Needs the
``distributed`` extra (``pip install "consistency[distributed]"``). This
package keeps the old import path; the engine is
:mod:`consistency.audit.engines.ray`.
"""

from consistency.audit.engines.ray import Shard, plan_shards, run_ray

__all__ = ["Shard", "plan_shards", "run_ray"]
