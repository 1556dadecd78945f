"""Moved: KB health is :mod:`consistency.lint`, a stage above the checker.

``consistency.kb`` only loads, validates and versions a KB. This module keeps
``from consistency.kb.lint import lint, LintReport, ...`` working; the names are
looked up in :mod:`consistency.lint` when first used, so ``kb`` does not depend
on the stages above it.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

#: The names that moved, each read from consistency.lint on first use.
_MOVED = (
    "LINT_CODES",
    "MATCHER_CODES",
    "SEVERITIES",
    "LintCode",
    "LintIssue",
    "LintReport",
    "LintSpan",
    "Severity",
    "lint",
)
__all__ = list(_MOVED)  # each defined lazily by __getattr__


def __getattr__(name: str) -> Any:
    if name in _MOVED or name in ("AMBIGUITY_MARGIN", "DUPLICATE_COSINE"):
        return getattr(import_module("consistency.lint"), name)
    raise AttributeError(f"module 'consistency.kb.lint' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
