"""A parsed KB kept on disk, so a restart does not parse and validate the YAML again.

Why: a 10k-entry KB takes ~0.9 s to parse and validate (libyaml) and ~4.7 s
without libyaml; the service and the audit restart often against the same
files. The snapshot holds the validated entries (with their source file and
line) and the KB's content hash, keyed by every file's path, size and
modification time and by the code that shapes a snapshot (see ``_version``), so
any edit, added or removed file or upgrade reads the files again. Only a KB that loaded cleanly is kept: a
bad KB is always read, and refused, from its files.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from consistency.cache_dir import keep
from consistency.models import KBEntry

__all__ = ["read_snapshot", "snapshot_path", "write_snapshot"]

#: Bumped when the snapshot's layout changes.
FORMAT = 1


def _version() -> str:
    """The code that shapes a snapshot as installed: the entry model, the loader, the
    KB's checks and this module (size and mtime). Unlike the package version (whose
    lookup costs ~35 ms of a cold start) it also changes when they are edited in place."""
    here = Path(__file__).resolve().parent
    files = (
        here.parent / "models.py",
        here / "loader.py",
        here / "knowledge_base.py",
        here / "snapshot.py",
    )
    return "|".join(f"{f.stat().st_size}:{f.stat().st_mtime_ns}" for f in files)


def snapshot_path(files: Sequence[Path], folder: str | Path) -> Path:
    """The snapshot file for this exact set of KB files as they are now."""
    digest = hashlib.sha256(f"{FORMAT}|{_version()}".encode())
    for file in files:
        stat = file.stat()
        # The path as given too: entries keep it as their source_file.
        digest.update(f"\n{file}|{file.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    return Path(folder) / f"kb-{digest.hexdigest()[:24]}.json"


def read_snapshot(path: Path) -> tuple[list[KBEntry], str] | None:
    """(entries, content hash) from a snapshot, or ``None`` if absent or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = [KBEntry.model_validate(item) for item in data["entries"]]
        content_hash = str(data["content_hash"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return entries, content_hash


def write_snapshot(path: Path, entries: Sequence[KBEntry], content_hash: str) -> None:
    """Keep a loaded KB; an unwritable cache folder is not an error (the cache is optional)."""
    payload: dict[str, Any] = {
        "format": FORMAT,
        "content_hash": content_hash,
        "entries": [e.model_dump(mode="json") for e in entries],
    }
    data = json.dumps(payload, separators=(",", ":")).encode("utf-8")
    keep(path, lambda handle: handle.write(data))
