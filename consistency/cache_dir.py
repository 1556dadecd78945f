"""Where the library keeps what it can rebuild: embeddings, optimised graphs, parsed KBs."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["default_cache_dir"]


def default_cache_dir() -> Path:
    """``$CONSISTENCY_CACHE_DIR``, else ``$XDG_CACHE_HOME/consistency``, else ``~/.cache/consistency``."""
    env = os.environ.get("CONSISTENCY_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "consistency"
