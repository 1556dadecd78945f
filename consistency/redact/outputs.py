"""Redact output files already written: JSON, JSON Lines, CSV, HTML and plain text.

For commands whose writers know nothing of personal data (``check-macros``):
call :func:`redact_outputs` on the output folder after writing, with the KB so
its own facts stay visible. JSON is parsed and every string masked (KB-side
values kept, see :meth:`Redactor.redact_json`); other text files are masked as
text. Masks keep lengths, so offsets in the files stay valid. Files are
rewritten through a temporary name, so a reader never sees half a file.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from consistency.redact.redactor import Redactor

if TYPE_CHECKING:
    from consistency.kb import KnowledgeBase

__all__ = ["TEXT_SUFFIXES", "redact_file", "redact_outputs"]

#: The files :func:`redact_outputs` rewrites; others (SQLite, images) are left alone.
TEXT_SUFFIXES = (
    ".json",
    ".jsonl",
    ".ndjson",
    ".csv",
    ".tsv",
    ".html",
    ".htm",
    ".txt",
    ".md",
    ".log",
)


_TEXT_NODE = re.compile(r">([^<]+)<")


def _html_text(node: str, redactor: Redactor) -> str:
    """An HTML text node masked as the text it shows ("O&#x27;Brien" is "O'Brien")."""
    shown = html.unescape(node)
    masked = redactor.redact_text(shown)
    return node if masked == shown else html.escape(masked, quote=False)


def redact_file(path: str | os.PathLike[str], redactor: Redactor) -> bool:
    """Mask one file in place; ``True`` when its content changed."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    suffix = path.suffix.lower()
    if suffix == ".json":
        try:
            data = json.loads(text)
        except ValueError:
            new = redactor.redact_text(text)
        else:
            indent = 2 if text.lstrip().startswith(("{\n", "[\n")) else None
            new = json.dumps(redactor.redact_json(data), indent=indent, ensure_ascii=False)
            new += "\n" if text.endswith("\n") else ""
    elif suffix in (".jsonl", ".ndjson"):
        lines = []
        for line in text.splitlines():
            try:
                data = json.loads(line)
            except ValueError:
                lines.append(redactor.redact_text(line))
            else:
                lines.append(json.dumps(redactor.redact_json(data), ensure_ascii=False))
        new = "".join(line + "\n" for line in lines)
    elif suffix in (".html", ".htm"):
        new = _TEXT_NODE.sub(lambda m: ">" + _html_text(m.group(1), redactor) + "<", text)
        new = redactor.redact_text(new)
    else:
        new = redactor.redact_text(text)
    if new == text:
        return False
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(new, encoding="utf-8")
    os.replace(tmp, path)
    return True


def redact_outputs(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    kb: KnowledgeBase | None = None,
    redactor: Redactor | None = None,
) -> list[Path]:
    """Mask personal data in output files (a folder is walked); returns the files changed.

    Args:
        paths: files or folders; in a folder, every file with a suffix of
            :data:`TEXT_SUFFIXES` is rewritten.
        kb: the KB whose facts stay visible (ignored when ``redactor`` is given).
        redactor: a ready :class:`Redactor`, to reuse one across calls.

    Example:
        ``redact_outputs(out_dir, kb=kb)`` after a command wrote ``out_dir``.
    """
    redactor = redactor or Redactor(kb)
    items = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
    files: list[Path] = []
    for item in map(Path, items):
        if item.is_dir():
            files.extend(
                sorted(
                    p for p in item.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES
                )
            )
        elif item.is_file():
            files.append(item)
    return [f for f in files if redact_file(f, redactor)]
