"""The audit's records: the compact per-exchange state (and, re-exported, the findings).

Two families, kept apart on purpose:

* :class:`ExchangeRecord` and :class:`FactRecord` are the *state* the pipeline
  keeps per exchange instead of the transcript: ids, the matched entry, the
  facts with their spans and the turns they came from. They are slotted
  dataclasses (cheap to hold by the hundred thousand) that round-trip through
  plain JSON dicts, so an engine can ship them between workers and the audit
  can spill them to ``OUT/state`` and redo the grouping after a crash.
* :class:`Finding` and :class:`Evidence` are the public contract of
  ``findings.jsonl``; they live in :mod:`consistency.findings` (the contracts at
  the bottom, which the report and exports read without importing the audit) and
  are re-exported here so old imports keep working.
"""

from __future__ import annotations

import base64
import datetime as dt
import sys
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from consistency.findings import (
    FINDING_KINDS,
    NOT_AUDIT_KINDS,
    SCHEMA_VERSION,
    AuditSummary,
    Evidence,
    Finding,
    FindingKind,
    PromiseDetail,
    ValueCount,
    json_default,
)
from consistency.models import Fact

__all__ = [
    "FINDING_KINDS",
    "NOT_AUDIT_KINDS",
    "SCHEMA_VERSION",
    "AuditSummary",
    "Evidence",
    "ExchangeRecord",
    "FactRecord",
    "Finding",
    "FindingKind",
    "PromiseDetail",
    "ValueCount",
    "json_default",
]

# -- state ------------------------------------------------------------------------------


@dataclass(slots=True)
class FactRecord:
    """One fact of an answer, with where it was said and what it is about.

    ``span`` indexes the exchange's joined answer; ``turn`` and ``turn_span`` the
    transcript turn it came from (``Exchange.locate``). ``roles`` / ``near`` /
    ``extra`` are the fact engine's role words (``compare.roles_for``), kept so
    answers can be aligned with each other later without the text.
    ``kb_index`` is the KB fact this one was aligned with (``None``: the KB does
    not state it), ``kb_relation`` whether it agreed (``same``) or not (``differ``).
    ``snippet`` is a little context for the report, ``snippet_span`` the fact in it.
    """

    kind: str
    value: Any
    unit: str | None
    upper: Any
    modifier: str | None
    subject: str | None
    display: str
    key: str
    span: tuple[int, int]
    text: str
    turn: int
    turn_span: tuple[int, int]
    roles: tuple[str, ...] = ()
    near: tuple[str, ...] = ()
    extra: bool = False
    kb_index: int | None = None
    kb_relation: str | None = None
    sole: bool = True
    snippet: str = ""
    snippet_span: tuple[int, int] = (0, 0)

    def fact(self) -> Fact:
        """The :class:`Fact` again (typed value), for the fact engine's comparisons."""
        return Fact(
            kind=self.kind,
            value=self.value,
            unit=self.unit,
            upper=self.upper,
            modifier=self.modifier,
            subject=self.subject,
            span=self.span,
            text=self.text,
        )

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}  # type: ignore[attr-defined]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FactRecord:
        data = dict(data)
        for name in ("span", "turn_span", "snippet_span"):
            data[name] = tuple(data[name])
        for name in ("roles", "near"):
            data[name] = tuple(_intern(w) for w in data[name])
        for name in ("kind", "unit", "modifier", "subject", "display", "key", "kb_relation"):
            data[name] = _intern(data.get(name))
        return cls(**data)


@dataclass(slots=True)
class ExchangeRecord:
    """What the audit keeps of one exchange (never the whole transcript).

    ``entry_id`` is set when the question matched a KB entry above the audit's
    threshold (or its answer showed which entry it was); ``nearest`` is the best
    entry even below it and ``near`` the few best (the blocks unmatched
    questions are clustered in). ``version`` is the matched entry's
    ``valid_from`` (policy changes are different questions as far as agents'
    agreement goes). ``conflicts`` are the checker's, as JSON dicts, with the
    answer side mapped to transcript turns. ``vector`` (float16: half the
    memory, ample for a cosine threshold) is kept only for unmatched
    questions, for clustering, as is ``answer_vector`` (agents who answer in the
    same words were asked the same question); ``answer`` only for them too (kb_gap
    shows what agents said). Repeated short strings are interned when records are read
    back, so memory per record stays a few kilobytes.
    """

    transcript_id: str
    index: int
    started_at: str
    agent_id: str | None
    customer_id: str | None
    channel: str | None
    question: str
    question_turn: int
    status: str
    score: float
    nearest: str | None
    near: tuple[str, ...] = ()
    entry_id: str | None = None
    version: str | None = None
    topic: str | None = None
    facts: list[FactRecord] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    answer: str | None = None
    answer_turn: int | None = None
    vector: np.ndarray | None = None
    answer_vector: np.ndarray | None = None
    group: str | None = None

    @property
    def day(self) -> dt.date:
        return dt.datetime.fromisoformat(self.started_at).date()

    @property
    def ref(self) -> str:
        """A stable id for the exchange: ``transcript_id#index``."""
        return f"{self.transcript_id}#{self.index}"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in self.__slots__:  # type: ignore[attr-defined]
            value = getattr(self, name)
            if name == "facts":
                value = [f.to_dict() for f in value]
            elif name in _VECTORS and value is not None:
                value = base64.b64encode(np.asarray(value, dtype=np.float16).tobytes()).decode()
            out[name] = value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ExchangeRecord:
        data = dict(data)
        for name in _SHARED:
            data[name] = _intern(data.get(name))
        data["facts"] = [FactRecord.from_dict(f) for f in data.get("facts", [])]
        data["near"] = tuple(_intern(e) for e in data.get("near", ()))
        for name in _VECTORS:
            if data.get(name) is not None:
                data[name] = np.frombuffer(base64.b64decode(data[name]), dtype=np.float16)
        return cls(**data)


#: Record fields kept as float16 embeddings (base64 in the resumable state).
_VECTORS = ("vector", "answer_vector")

#: Record fields whose values repeat across records (ids, entries, kinds):
#: interned when records are read back, so 100k records share one copy of each.
_SHARED = (
    "agent_id",
    "customer_id",
    "channel",
    "status",
    "nearest",
    "entry_id",
    "version",
    "topic",
)


def _intern(value: Any) -> Any:
    return sys.intern(value) if isinstance(value, str) and len(value) <= 64 else value
