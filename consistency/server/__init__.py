"""The pre-reply check as an HTTP service, with a page for agents (the ``server`` extra).

app = create_app("knowledge_base/", token="s3cret")   # then: uvicorn, or `consistency serve`
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__all__ = ["CheckerFactory", "SerialEncoder", "create_app"]

# Lazy: the CLI imports ``consistency.server.cli`` to register ``serve``, and every
# command (even ``--help``) must work without the server extra (fastapi, uvicorn).
_WHERE = {
    "create_app": "consistency.server.app",
    "CheckerFactory": "consistency.server.service",
    "SerialEncoder": "consistency.server.service",
}

if TYPE_CHECKING:
    from consistency.server.app import create_app
    from consistency.server.service import CheckerFactory, SerialEncoder


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
