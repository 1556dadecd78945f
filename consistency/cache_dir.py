"""Where the library keeps what it can rebuild: embeddings, optimised graphs, parsed KBs."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

__all__ = ["default_cache_dir", "keep"]


def default_cache_dir() -> Path:
    """``$CONSISTENCY_CACHE_DIR``, else ``$XDG_CACHE_HOME/consistency``, else ``~/.cache/consistency``."""
    env = os.environ.get("CONSISTENCY_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "consistency"


def keep(path: Path, write: Callable[[BinaryIO], object]) -> bool:
    """Write a cache file: ``write(handle)`` into a temporary file beside it, then rename.

    Why: a crash never leaves a half-written file that a later start would trust, and
    an unwritable or full cache folder is not an error (everything kept here can be
    rebuilt). Returns whether the file was written; the temporary file never stays.
    """
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        os.replace(tmp, path)
        return True
    except BaseException as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        if isinstance(exc, OSError):
            return False
        raise
