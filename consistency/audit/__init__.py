"""The nightly audit: findings across many conversations, agents and customers.

``audit(paths, kb, out=...)`` checks the settings (:class:`AuditConfig`) and
runs an engine (:mod:`consistency.audit.engines`: local, or Ray Data); the
stages in :mod:`consistency.audit.stages` are plain functions over batches,
which every engine calls. Findings follow DESIGN.md's
"Audit output" contract (:class:`Finding`). Names are imported lazily, so
registering the CLI command does not load the fact engine.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__all__ = [
    "FINDING_KINDS",
    "SCHEMA_VERSION",
    "AuditConfig",
    "AuditOptions",
    "AuditSummary",
    "AuditUsageError",
    "Evidence",
    "ExchangeRecord",
    "FactRecord",
    "Finding",
    "PromiseDetail",
    "ValueCount",
    "audit",
    "find",
    "process",
]

_WHERE = {
    "FINDING_KINDS": "consistency.audit.models",
    "SCHEMA_VERSION": "consistency.audit.models",
    "AuditSummary": "consistency.audit.models",
    "Evidence": "consistency.audit.models",
    "ExchangeRecord": "consistency.audit.models",
    "FactRecord": "consistency.audit.models",
    "Finding": "consistency.audit.models",
    "PromiseDetail": "consistency.audit.models",
    "ValueCount": "consistency.audit.models",
    "AuditConfig": "consistency.audit.config",
    "AuditOptions": "consistency.audit.options",
    "AuditUsageError": "consistency.audit.state",
    "audit": "consistency.audit.pipeline",
    "find": "consistency.audit.engines.local",
    "process": "consistency.audit.engines.local",
}

if TYPE_CHECKING:
    from consistency.audit.config import AuditConfig
    from consistency.audit.engines.local import find, process
    from consistency.audit.models import (
        FINDING_KINDS,
        SCHEMA_VERSION,
        AuditSummary,
        Evidence,
        ExchangeRecord,
        FactRecord,
        Finding,
        PromiseDetail,
        ValueCount,
    )
    from consistency.audit.options import AuditOptions
    from consistency.audit.pipeline import audit
    from consistency.audit.state import AuditUsageError


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'consistency.audit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
