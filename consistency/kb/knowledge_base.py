"""The canonical knowledge base: validated entries, their versions, their hash."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from consistency.kb.errors import KBProblem, KnowledgeBaseError
from consistency.kb.loader import ParsedEntry, find_kb_files, parse_file, validate_entries
from consistency.kb.snapshot import read_snapshot, snapshot_path, write_snapshot
from consistency.models import KBEntry

__all__ = ["KnowledgeBase"]


class KnowledgeBase:
    """A set of KB entries, one or more versions per id, loaded all or nothing.

    Entries keep KB order (files sorted by path, entries in file order); ties in
    matching are broken in this order. Build one with :meth:`load` or
    :meth:`from_entries`.
    """

    def __init__(
        self,
        entries: Iterable[KBEntry],
        *,
        root: str | None = None,
        content_hash: str | None = None,
    ) -> None:
        self.entries: tuple[KBEntry, ...] = tuple(entries)
        self.root = root
        self._versions: dict[str, list[KBEntry]] = {}
        for entry in self.entries:
            self._versions.setdefault(entry.id, []).append(entry)
        for versions in self._versions.values():
            versions.sort(key=lambda e: e.valid_from or dt.date.min)
        self.content_hash = content_hash or _hash_entries(self.entries)

    # -- construction -------------------------------------------------------

    @classmethod
    def load(cls, path: str | Path, *, cache: str | Path | bool | None = None) -> KnowledgeBase:
        """Read a KB directory (every ``*.yaml``/``*.yml``/``*.json``, recursively) or one file.

        Args:
            path: the KB directory or file.
            cache: where a KB that loaded cleanly is kept, parsed, until one of its
                files changes (:mod:`~consistency.kb.snapshot`); ``None``: the
                library's cache folder; ``False``: always parse the files.

        Raises:
            KnowledgeBaseError: with every problem found (file, line, entry, field);
                nothing is half-loaded.
        """
        root = Path(path)
        if not root.exists():
            raise KnowledgeBaseError(
                [KBProblem(file=str(root), type="not-found", msg="no such file or directory")]
            )
        files = find_kb_files(root)
        if not files:
            raise KnowledgeBaseError(
                [KBProblem(file=str(root), type="empty", msg="no *.yaml, *.yml or *.json files")]
            )
        kept = None
        if cache is not False:
            from consistency.cache_dir import default_cache_dir

            folder = default_cache_dir() / "kb" if cache is None or cache is True else Path(cache)
            kept = snapshot_path(files, folder)
            hit = read_snapshot(kept)
            if hit is not None:
                return cls(hit[0], root=str(root), content_hash=hit[1])
        parsed: list[tuple[ParsedEntry, str]] = []
        problems: list[KBProblem] = []
        for file in files:
            display = str(file)
            entries, found = parse_file(file, display)
            parsed.extend((e, display) for e in entries)
            problems.extend(found)
        kb = cls._finish(parsed, problems, root=str(root))
        if kept is not None:
            write_snapshot(kept, kb.entries, kb.content_hash)
        return kb

    @classmethod
    def from_entries(
        cls, entries: Iterable[Mapping[str, Any] | KBEntry], *, source: str = "<memory>"
    ) -> KnowledgeBase:
        """Build a KB from dicts (as in a KB file) or ``KBEntry`` objects.

        Raises:
            KnowledgeBaseError: as :meth:`load`.
        """
        raw = [
            e.model_dump(exclude={"source_file", "source_line"}, mode="python")
            if isinstance(e, KBEntry)
            else e
            for e in entries
        ]
        raw = [_listify(r) if isinstance(r, Mapping) else r for r in raw]
        good, problems = validate_entries(raw, source)
        return cls._finish([(g, source) for g in good], problems, root=None)

    @classmethod
    def _finish(
        cls,
        parsed: list[tuple[ParsedEntry, str]],
        problems: list[KBProblem],
        *,
        root: str | None,
    ) -> KnowledgeBase:
        problems = [*problems, *_version_problems(parsed)]
        if problems:
            raise KnowledgeBaseError(problems)
        if not parsed:
            raise KnowledgeBaseError(
                [KBProblem(file=root or "<memory>", type="empty", msg="the KB has no entries")]
            )
        return cls((entry for (entry, _), _ in parsed), root=root)

    # -- access -------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._versions)

    def __iter__(self) -> Iterator[KBEntry]:
        return iter(self.entries)

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._versions

    @property
    def ids(self) -> tuple[str, ...]:
        """Entry ids in KB order, each once."""
        return tuple(self._versions)

    def versions(self, entry_id: str) -> tuple[KBEntry, ...]:
        """Every version of an entry, oldest first."""
        try:
            return tuple(self._versions[entry_id])
        except KeyError:
            raise KeyError(f"no KB entry {entry_id!r}") from None

    def entry(self, entry_id: str, *, on: dt.date | None = None) -> KBEntry | None:
        """The version of ``entry_id`` valid on ``on``.

        With ``on=None`` the newest version (latest ``valid_from``) is returned.
        Returns ``None`` when the entry exists but no version covers that day.

        Raises:
            KeyError: no entry has this id.
        """
        versions = self.versions(entry_id)
        if on is None:
            return versions[-1]
        for version in reversed(versions):
            if version.valid_on(on):
                return version
        return None


def _listify(raw: Mapping[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in raw.items()}


def _overlap(a: KBEntry, b: KBEntry) -> bool:
    a_start, a_end = a.valid_from or dt.date.min, a.valid_to or dt.date.max
    b_start, b_end = b.valid_from or dt.date.min, b.valid_to or dt.date.max
    return a_start <= b_end and b_start <= a_end


def _version_problems(parsed: list[tuple[ParsedEntry, str]]) -> list[KBProblem]:
    seen: dict[str, list[tuple[KBEntry, int | None, str]]] = {}
    problems: list[KBProblem] = []
    for (entry, index), display in parsed:
        for other, _, other_file in seen.get(entry.id, []):
            if _overlap(entry, other):
                where = f"{other_file}:{other.source_line}" if other.source_line else other_file
                problems.append(
                    KBProblem(
                        file=display,
                        line=entry.source_line,
                        entry_index=index,
                        entry_id=entry.id,
                        loc=("id",),
                        type="duplicate-id",
                        msg=(
                            f"id already used at {where} with an overlapping validity period; "
                            "versions of one id need non-overlapping valid_from/valid_to"
                        ),
                    )
                )
                break
        seen.setdefault(entry.id, []).append((entry, index, display))
    return problems


def _hash_entries(entries: Iterable[KBEntry]) -> str:
    digest = hashlib.sha256()
    for entry in entries:
        payload = entry.model_dump(mode="json", exclude={"source_file", "source_line"})
        digest.update(json.dumps(payload, sort_keys=True).encode())
        digest.update(b"\n")
    return digest.hexdigest()
