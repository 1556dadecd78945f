"""On-disk cache of KB embeddings, keyed by encoder name and KB text content.

A second start with the same model and KB reads the vectors instead of
re-encoding. Writes are atomic (temp file + rename), so a crash never leaves a
half-written cache that a later start would trust.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

__all__ = ["EmbeddingCache", "default_cache_dir"]


def default_cache_dir() -> Path:
    """``$CONSISTENCY_CACHE_DIR``, else ``$XDG_CACHE_HOME/consistency``, else ``~/.cache/consistency``."""
    env = os.environ.get("CONSISTENCY_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "consistency"


class EmbeddingCache:
    """A folder of ``.npy`` files, one per (encoder, list of texts)."""

    def __init__(self, directory: str | Path | None = None) -> None:
        self.directory = Path(directory) if directory is not None else default_cache_dir()

    def key(self, encoder_name: str, texts: Sequence[str]) -> str:
        digest = hashlib.sha256(encoder_name.encode())
        for text in texts:
            digest.update(b"\x00")
            digest.update(text.encode())
        safe = re.sub(r"[^A-Za-z0-9._-]+", "_", encoder_name)[-60:]
        return f"{safe}-{digest.hexdigest()[:24]}"

    def path(self, key: str) -> Path:
        return self.directory / f"{key}.npy"

    def get(self, key: str, rows: int) -> np.ndarray | None:
        """The cached array, or ``None`` when absent, unreadable or of the wrong shape."""
        path = self.path(key)
        try:
            array = np.load(path, allow_pickle=False)
        except (OSError, ValueError):
            return None
        if array.ndim != 2 or array.shape[0] != rows:
            return None
        return np.ascontiguousarray(array, dtype=np.float32)

    def put(self, key: str, array: np.ndarray) -> None:
        """Store ``array``; an unwritable cache folder is not an error (the cache is optional)."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                np.save(handle, array, allow_pickle=False)
            os.replace(tmp, self.path(key))
        except OSError:
            return
