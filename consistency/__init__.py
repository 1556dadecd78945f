"""consistency: find "same company, different information" in contact-centre answers.

Every answer an agent gives is held against the canonical knowledge base, and the
fact that differs is named with both spans. The names below are the public API;
nothing else needs importing from deep paths.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__all__ = [
    "Checker",
    "ChoicePolicy",
    "Comparison",
    "Conflict",
    "Exchange",
    "Fact",
    "Finding",
    "KBEntry",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "Match",
    "Redactor",
    "StatementPolicy",
    "Verdict",
    "WorkingCalendar",
    "__version__",
    "findings_to_arrow",
    "findings_to_frame",
    "read_findings",
    "verdicts_to_frame",
]

# Lazy: `import consistency` must stay cheap (no torch, no sentence-transformers).
_WHERE = {
    "Checker": "consistency.checker",
    "ChoicePolicy": "consistency.choose",
    "Finding": "consistency.findings",
    "KnowledgeBase": "consistency.kb",
    "KnowledgeBaseError": "consistency.kb",
    "Comparison": "consistency.models",
    "Conflict": "consistency.models",
    "Exchange": "consistency.models",
    "Fact": "consistency.models",
    "KBEntry": "consistency.models",
    "Match": "consistency.models",
    "Verdict": "consistency.models",
    "Redactor": "consistency.redact",
    "StatementPolicy": "consistency.statements",
    "WorkingCalendar": "consistency.promises",
    # DataFrames / Parquet: pandas, polars and pyarrow load only when these are called.
    "findings_to_arrow": "consistency.frames",
    "findings_to_frame": "consistency.frames",
    "read_findings": "consistency.frames",
    "verdicts_to_frame": "consistency.frames",
}

if TYPE_CHECKING:
    from consistency.checker import Checker
    from consistency.choose import ChoicePolicy
    from consistency.findings import Finding
    from consistency.frames import (
        findings_to_arrow,
        findings_to_frame,
        read_findings,
        verdicts_to_frame,
    )
    from consistency.kb import KnowledgeBase, KnowledgeBaseError
    from consistency.models import Comparison, Conflict, Exchange, Fact, KBEntry, Match, Verdict
    from consistency.promises import WorkingCalendar
    from consistency.redact import Redactor
    from consistency.statements import StatementPolicy


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(_WHERE[name]), name)
    if name == "__version__":  # lazy too: importlib.metadata costs ~35 ms of a cold start
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("consistency")
        except PackageNotFoundError:  # pragma: no cover - running from a source tree
            return "0.0.0"
    raise AttributeError(f"module 'consistency' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
