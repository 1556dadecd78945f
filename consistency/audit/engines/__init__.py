"""The audit's engines: where its stages run, and the one step that picks one.

:func:`run` takes the settings whole (:class:`~consistency.audit.config.AuditConfig`)
and hands them to the local engine (:mod:`.local`, this process, resumable) or
to Ray Data (:mod:`.ray`, the ``distributed`` extra). Both call the same stage
functions (:mod:`consistency.audit.stages`) and begin and end with the same
steps (:mod:`.common`), so their outputs are the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from consistency.audit.config import ENGINES

if TYPE_CHECKING:
    from consistency.audit.config import AuditConfig
    from consistency.audit.engines.common import PathLike
    from consistency.audit.models import AuditSummary
    from consistency.kb import KnowledgeBase

__all__ = ["ENGINES", "run"]


def run(
    paths: PathLike | Iterable[PathLike],
    kb: KnowledgeBase | PathLike,
    config: AuditConfig,
    *,
    checker: Any = None,
    on_batch: Callable[[int], None] | None = None,
) -> AuditSummary:
    """Audit ``paths`` against ``kb`` on the engine ``config.engine`` names.

    ``checker``: a ready :class:`~consistency.checker.Checker` (the Ray engine
    also takes a picklable factory of one); built from ``kb`` when ``None``.
    ``on_batch``: called with the conversations processed so far after each
    batch (in the Ray engine, inside the worker).
    """
    if config.engine == "ray":
        from consistency.audit.engines.ray import run_on_ray

        return run_on_ray(paths, kb, config, checker=checker, on_batch=on_batch)
    from consistency.audit.engines.local import run_local

    return run_local(paths, kb, config, checker=checker, on_batch=on_batch)
