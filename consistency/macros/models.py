"""Canned responses as the readers produce them, the record of a skipped one, and the results.

A help desk's macros are answers written once and sent thousands of times, so
one wrong number in one is a wrong answer at scale. :class:`Macro` is the one
shape every reader maps onto; :class:`MacroError` is a skipped row, said where
and why in the manner of :class:`~consistency.ingest.IngestError`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from consistency.findings import SCHEMA_VERSION, Finding
from consistency.models import Conflict, VerdictStatus

__all__ = [
    "MACRO_ERROR_TYPES",
    "Macro",
    "MacroError",
    "MacroErrorType",
    "MacroReport",
    "MacroResult",
    "MacroSummary",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Macro(_Frozen):
    """One canned response.

    ``body`` is the text as the customer receives it (HTML already stripped),
    placeholders such as ``{{ticket.requester.first_name}}`` included; finding
    spans index it. ``id`` is the help desk's id, else the row number as a
    string. ``row`` is where it was: the spreadsheet row of a CSV (the header is
    row 1) or the 1-based position in a Zendesk export's list.
    """

    id: str = Field(min_length=1)
    title: str
    body: str
    source_file: str | None = None
    row: int | None = None


MacroErrorType = Literal[
    "bad-csv",
    "bad-record",
    "missing-field",
    "bad-value",
    "no-text",
    "duplicate-id",
]
#: Stable slugs for :attr:`MacroError.type`; the machine reads these, the human reads ``reason``.
MACRO_ERROR_TYPES: tuple[str, ...] = MacroErrorType.__args__  # type: ignore[attr-defined]


class MacroError(_Frozen):
    """A macro a reader skipped, and why.

    ``row`` is as in :class:`Macro`; ``line`` the file line the CSV record
    starts on (``None`` for JSON, where ``loc`` names the place); ``field`` the
    column or key at fault.
    """

    file: str
    row: int | None
    reason: str
    type: MacroErrorType = "bad-value"
    field: str | None = None
    line: int | None = None
    macro_id: str | None = None
    loc: tuple[str | int, ...] = ()

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file} row {self.row}"
        macro = f" macro {self.macro_id!r}" if self.macro_id else ""
        field = f" {self.field}:" if self.field else ""
        return f"{where}{macro}{field} {self.reason} [type={self.type}]"


class MacroResult(_Frozen):
    """The check of one macro: the checker's verdict, and which question found its entry.

    ``question`` is the probe that matched best (the title, the title with the
    first sentence stating a fact, the title with the body, or the body), so a
    reviewer sees why the macro was held against ``entry_id``.
    """

    macro_id: str
    title: str
    status: VerdictStatus
    entry_id: str | None = None
    score: float = 0.0
    question: str = ""
    conflicts: tuple[Conflict, ...] = ()
    explanation: str = ""
    source_file: str | None = None
    row: int | None = None


class MacroSummary(_Frozen):
    """What ``summary.json`` holds for ``check-macros``.

    ``matched`` counts macros held against a KB entry (consistent, contradiction
    or unverified); ``contradictions`` macros with at least one finding;
    ``findings`` the findings (one per macro and fact kind). ``errors`` counts
    skipped macros, ``errors_by_type`` by :data:`MACRO_ERROR_TYPES` slug.
    """

    schema_version: int = SCHEMA_VERSION
    macros: int = 0
    matched: int = 0
    consistent: int = 0
    contradictions: int = 0
    unverified: int = 0
    no_match: int = 0
    findings: int = 0
    errors: int = 0
    errors_by_type: dict[str, int] = Field(default_factory=dict)
    by_fact_kind: dict[str, int] = Field(default_factory=dict)
    by_entry: dict[str, int] = Field(default_factory=dict)
    by_topic: dict[str, int] = Field(default_factory=dict)
    on: dt.date | None = None
    sources: tuple[str, ...] = ()
    out: str | None = None


class MacroReport(_Frozen):
    """Every macro's result, in input order, and the findings (``macro_contradiction``)."""

    results: tuple[MacroResult, ...]
    findings: tuple[Finding, ...]
    on: dt.date | None = None

    def summary(self, errors: Sequence[MacroError] = ()) -> MacroSummary:
        """The counts for ``summary.json``; ``errors`` are the readers' skipped macros."""
        statuses = [r.status for r in self.results]
        by_type: dict[str, int] = {}
        for e in errors:
            by_type[e.type] = by_type.get(e.type, 0) + 1
        by_kind: dict[str, int] = {}
        by_entry: dict[str, int] = {}
        by_topic: dict[str, int] = {}
        for f in self.findings:
            by_kind[f.fact_kind or "-"] = by_kind.get(f.fact_kind or "-", 0) + 1
            by_entry[f.entry_id or "-"] = by_entry.get(f.entry_id or "-", 0) + 1
            by_topic[f.topic or "-"] = by_topic.get(f.topic or "-", 0) + 1
        return MacroSummary(
            macros=len(self.results),
            matched=sum(s != "no_match" for s in statuses),
            consistent=statuses.count("consistent"),
            contradictions=len({f.macro_id for f in self.findings}),
            unverified=statuses.count("unverified"),
            no_match=statuses.count("no_match"),
            findings=len(self.findings),
            errors=len(errors),
            errors_by_type=by_type,
            by_fact_kind=dict(sorted(by_kind.items())),
            by_entry=dict(sorted(by_entry.items())),
            by_topic=dict(sorted(by_topic.items())),
            on=self.on,
            sources=tuple(dict.fromkeys(r.source_file for r in self.results if r.source_file)),
        )
