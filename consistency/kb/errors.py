"""Errors for bad knowledge-base data: every problem, located, in one exception.

Modelled on pydantic's ``ValidationError``: each problem is a record with a stable
``type`` slug for machines and a ``msg`` for people, plus the file, the line (where
YAML gives one), the entry (index and id) and the field path.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

__all__ = ["KBProblem", "KnowledgeBaseError"]

_INPUT_CUT = 50


class KBProblem(BaseModel):
    """One thing wrong with a KB: where it is and what was expected."""

    model_config = ConfigDict(frozen=True)

    file: str
    line: int | None = None
    entry_index: int | None = None
    entry_id: str | None = None
    loc: tuple[str | int, ...] = ()
    type: str
    msg: str
    input: str | None = None

    def render(self) -> str:
        where = self.file + (f":{self.line}" if self.line is not None else "")
        parts = [where]
        if self.entry_index is not None or self.entry_id is not None:
            ident = f"entry {self.entry_index}" if self.entry_index is not None else "entry"
            if self.entry_id:
                ident += f" '{self.entry_id}'"
            parts.append(ident)
        field = ".".join(str(p) for p in self.loc)
        head = " ".join(parts) + (f" {field}:" if field else ":")
        tail = f" [type={self.type}"
        if self.input is not None:
            cut = self.input if len(self.input) <= _INPUT_CUT else self.input[:_INPUT_CUT] + "…"
            tail += f", input={cut!r}"
        return f"{head} {self.msg}{tail}]"


class KnowledgeBaseError(ValueError):
    """A KB that cannot be loaded; holds every problem found, not just the first.

    Nothing of a bad KB is loaded: the caller keeps whatever KB it had.
    """

    def __init__(self, problems: Sequence[KBProblem]) -> None:
        self.problems: tuple[KBProblem, ...] = tuple(problems)
        super().__init__(self._message())

    def errors(self) -> list[dict[str, object]]:
        """The problems as plain dicts (file, line, entry_index, entry_id, loc, type, msg)."""
        return [p.model_dump() for p in self.problems]

    def _message(self) -> str:
        n = len(self.problems)
        files = Counter(p.file for p in self.problems)
        where = next(iter(files)) if len(files) == 1 else f"{len(files)} files"
        title = f"{n} error{'s' if n != 1 else ''} in {where}"
        return "\n".join([title, *(p.render() for p in self.problems)])
