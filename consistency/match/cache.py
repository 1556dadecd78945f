"""On-disk cache of KB embeddings, keyed by encoder name and KB text content.

A second start with the same model and KB reads the vectors instead of
re-encoding. Writes are atomic (temp file + rename), so a crash never leaves a
half-written cache that a later start would trust.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from consistency.cache_dir import default_cache_dir, keep

__all__ = ["EmbeddingCache", "VectorLRU", "default_cache_dir"]


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
        """The cached array, or ``None`` when absent, unreadable or of the wrong shape.

        ``rows``: the row count expected; ``-1`` takes any.
        """
        path = self.path(key)
        try:
            array = np.load(path, allow_pickle=False)
        except (OSError, ValueError):
            return None
        if array.ndim != 2 or (rows >= 0 and array.shape[0] != rows):
            return None
        return np.ascontiguousarray(array, dtype=np.float32)

    def put(self, key: str, array: np.ndarray) -> None:
        """Store ``array``; an unwritable cache folder is not an error (the cache is optional)."""
        keep(self.path(key), lambda handle: np.save(handle, array, allow_pickle=False))

    def get_json(self, key: str) -> Any:
        """A cached JSON value (e.g. a fitted threshold), or ``None``."""
        try:
            return json.loads((self.directory / f"{key}.json").read_text())
        except (OSError, ValueError):
            return None

    def put_json(self, key: str, value: Any) -> None:
        keep(
            self.directory / f"{key}.json", lambda handle: handle.write(json.dumps(value).encode())
        )


class VectorLRU:
    """A bounded in-memory cache of text → embedding for repeated questions and answers.

    The service sees the same questions again and again; the audit sees the same
    scripted answers. Only texts not in the cache reach the encoder, in one call.
    """

    def __init__(self, maxsize: int = 10_000) -> None:
        self.maxsize = maxsize
        self._data: OrderedDict[str, np.ndarray] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def misses_any(self, texts: Sequence[str]) -> bool:
        """Whether :meth:`encode` would call the encoder for ``texts``."""
        return any(text not in self._data for text in texts)

    def encode(self, texts: Sequence[str], encode: Callable[[list[str]], np.ndarray]) -> np.ndarray:
        """Vectors for ``texts``, calling ``encode`` once for the missing ones (deduplicated)."""
        missing: list[str] = []
        seen: set[str] = set()
        for text in texts:
            if text in self._data:
                self._data.move_to_end(text)
            elif text not in seen:
                seen.add(text)
                missing.append(text)
        self.hits += len(texts) - len(missing)
        self.misses += len(missing)
        fresh: dict[str, np.ndarray] = {}
        if missing:
            vectors = encode(missing)
            fresh = dict(zip(missing, vectors, strict=True))
        rows = [self._data[t] if t in self._data else fresh[t] for t in texts]
        for text, vector in fresh.items():
            if self.maxsize > 0:
                self._data[text] = vector
        while len(self._data) > self.maxsize:
            self._data.popitem(last=False)
        if not rows:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack(rows).astype(np.float32, copy=False)
