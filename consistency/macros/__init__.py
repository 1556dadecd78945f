"""Canned responses (help-desk macros) checked against the KB like agents' answers.

``read_macros`` reads a CSV (id, title, body) or a Zendesk macros export;
``check_macros(macros, checker)`` holds each against the KB and returns a
:class:`MacroReport` whose findings are ``macro_contradiction``
:class:`~consistency.audit.Finding` records. Names are imported lazily, so
registering the CLI command does not load the fact engine.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__all__ = [
    "CSV_COLUMNS",
    "MACRO_ERROR_TYPES",
    "Macro",
    "MacroError",
    "MacroFileError",
    "MacroReport",
    "MacroResult",
    "MacroSummary",
    "check_macros",
    "mask_placeholders",
    "read_macros",
    "read_macros_csv",
    "read_zendesk_macros",
    "strip_html",
]

_WHERE = {
    "CSV_COLUMNS": "consistency.macros.readers",
    "MacroFileError": "consistency.macros.readers",
    "read_macros": "consistency.macros.readers",
    "read_macros_csv": "consistency.macros.readers",
    "read_zendesk_macros": "consistency.macros.readers",
    "strip_html": "consistency.macros.readers",
    "MACRO_ERROR_TYPES": "consistency.macros.models",
    "Macro": "consistency.macros.models",
    "MacroError": "consistency.macros.models",
    "MacroReport": "consistency.macros.models",
    "MacroResult": "consistency.macros.models",
    "MacroSummary": "consistency.macros.models",
    "check_macros": "consistency.macros.check",
    "mask_placeholders": "consistency.macros.check",
}

if TYPE_CHECKING:
    from consistency.macros.check import check_macros, mask_placeholders
    from consistency.macros.models import (
        MACRO_ERROR_TYPES,
        Macro,
        MacroError,
        MacroReport,
        MacroResult,
        MacroSummary,
    )
    from consistency.macros.readers import (
        CSV_COLUMNS,
        MacroFileError,
        read_macros,
        read_macros_csv,
        read_zendesk_macros,
        strip_html,
    )


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'consistency.macros' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
