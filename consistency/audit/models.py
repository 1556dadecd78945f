"""The audit's records: the compact per-exchange state and the public findings.

Two families, kept apart on purpose:

* :class:`ExchangeRecord` and :class:`FactRecord` are the *state* the pipeline
  keeps per exchange instead of the transcript: ids, the matched entry, the
  facts with their spans and the turns they came from. They are slotted
  dataclasses (cheap to hold by the hundred thousand) that round-trip through
  plain JSON dicts, so an engine can ship them between workers and the audit
  can spill them to ``OUT/state`` and redo the grouping after a crash.
* :class:`Finding` and :class:`Evidence` are the public contract of
  ``findings.jsonl`` (DESIGN.md, "Audit output"): frozen pydantic models whose
  field names never change; new fields may be added.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import sys
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

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
]

#: Bumped when a field of :class:`Finding` changes meaning (never for additions).
SCHEMA_VERSION = 1

FindingKind = Literal[
    "kb_contradiction",
    "agent_disagreement",
    "repeat_contact_conflict",
    "kb_gap",
    "macro_contradiction",
    "broken_promise",
]
#: The finding kinds, in the order reports list them.
FINDING_KINDS: tuple[str, ...] = FindingKind.__args__  # type: ignore[attr-defined]
#: Kinds their own command reports (``check-macros``), never the audit: left out of its summary.
NOT_AUDIT_KINDS: frozenset[str] = frozenset({"macro_contradiction"})


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
    questions, for clustering; ``answer`` only for them too (kb_gap shows what
    agents said). Repeated short strings are interned when records are read
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
            elif name == "vector" and value is not None:
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
        if data.get("vector") is not None:
            data["vector"] = np.frombuffer(base64.b64decode(data["vector"]), dtype=np.float16)
        return cls(**data)


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


def json_default(value: Any) -> Any:
    """JSON for the values facts carry (Decimal, date) and numpy scalars."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    return str(value)


# -- findings ---------------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Evidence(_Model):
    """Where a value was said: a transcript turn, or the KB entry's answer.

    ``turn`` and ``span`` index the transcript turn's text (``span`` is half-open);
    for the KB side ``source`` is ``"kb"``, ``transcript_id`` and ``turn`` are
    ``None`` and ``span`` indexes the canonical answer. ``value`` is the
    normalised machine value, ``display`` the human one. ``snippet`` is the
    surrounding text with ``snippet_span`` locating ``text`` in it, for reports.
    """

    transcript_id: str | None
    turn: int | None
    span: tuple[int, int] | None
    text: str
    value: str
    display: str = ""
    source: Literal["answer", "kb", "question"] = "answer"
    agent_id: str | None = None
    customer_id: str | None = None
    started_at: str | None = None
    entry_id: str | None = None
    snippet: str = ""
    snippet_span: tuple[int, int] | None = None


class ValueCount(_Model):
    """One value in a distribution: how many answers, by which agents, where."""

    value: str
    answers: int
    agents: int
    agent_ids: tuple[str, ...] = ()
    transcript_ids: tuple[str, ...] = ()
    kb: bool = False
    """This value is the one the KB states."""


class PromiseDetail(_Model):
    """broken_promise: what was promised, when it was due and what shows it was broken.

    ``reason`` is ``chased`` (the customer contacted again after the due time
    saying it was not kept), ``kept_late`` or ``not_kept`` (the fulfilment
    file says so). Times are ISO 8601 with their offset; ``due`` is in the
    working calendar's timezone, ``None`` when no term was said and the kind has
    no default (then the grace period after the call was the limit).
    """

    kind: str
    made_at: str
    due: str | None
    due_text: str | None = None
    due_source: str = "none"
    reason: Literal["chased", "kept_late", "not_kept"]
    chased_at: str | None = None
    fulfilled_at: str | None = None


class Finding(_Model):
    """One problem for a QA analyst, with everything needed to agree or disagree.

    The first fields are DESIGN.md's contract. ``id`` is a stable hash of what
    the finding is about (same input, same id; a resumed audit gives the same
    ids). ``distribution`` lists every value given, most frequent first;
    ``minority`` the values against the most common one. ``group`` names the KB
    entry (``entry:<id>@<valid_from>``) or question cluster (``cluster:<hash>``).
    """

    kind: FindingKind
    transcript_ids: tuple[str, ...]
    agent_ids: tuple[str, ...]
    customer_ids: tuple[str, ...]
    entry_id: str | None
    fact_kind: str | None
    values: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    explanation: str
    schema_version: int = SCHEMA_VERSION
    id: str = ""
    severity: Literal["high", "medium", "low"] = "medium"
    topic: str | None = None
    group: str | None = None
    kb_value: str | None = None
    distribution: tuple[ValueCount, ...] = ()
    minority: tuple[str, ...] = ()
    minority_agent_ids: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    """Example customer questions (kb_gap) or the question asked (others)."""
    answers: tuple[Evidence, ...] = ()
    """kb_gap: example answers agents gave."""
    volume: int = 0
    """kb_gap: how many questions the cluster holds; otherwise answers involved."""
    first_seen: str | None = None
    last_seen: str | None = None
    macro_id: str | None = None
    """macro_contradiction: the canned response's id (its ``id``, else its row number)."""
    promise: PromiseDetail | None = None
    """broken_promise: the promise, its due time and how it was found broken."""

    def with_id(self) -> Finding:
        """A copy with ``id`` set from the finding's identity (kind, group, fact, ids, values)."""
        ident = json.dumps(
            [
                self.kind,
                self.entry_id,
                self.group,
                self.fact_kind,
                sorted(self.transcript_ids),
                sorted(self.values),
                *([self.macro_id] if self.macro_id is not None else []),
            ],
            separators=(",", ":"),
        )
        return self.model_copy(update={"id": hashlib.sha1(ident.encode()).hexdigest()[:16]})

    def flagged_agents(self) -> tuple[str, ...]:
        """The agents this finding counts against in per-agent tables and trends.

        A KB contradiction: its agent. A disagreement: the minority. A repeat
        contact: the agents who gave a value other than the KB's (all of them
        when the KB does not say). A KB gap: nobody, the KB is at fault. A
        broken promise: the agent who made it (``agent_ids``).
        """
        if self.kind == "kb_gap":
            return ()
        if self.kind == "agent_disagreement":
            return self.minority_agent_ids
        if self.kind == "repeat_contact_conflict" and self.kb_value is not None:
            wrong = {e.agent_id for e in self.evidence if e.agent_id and e.display != self.kb_value}
            return tuple(sorted(wrong))
        return self.agent_ids

    def sort_key(self) -> tuple[Any, ...]:
        """Stable order: kind; kb_gap by volume; then entry / cluster, fact kind, ids."""
        return (
            FINDING_KINDS.index(self.kind),
            -self.volume if self.kind == "kb_gap" else 0,
            self.entry_id or "~",
            self.group or "",
            self.fact_kind or "",
            self.transcript_ids[:1],
            self.id,
        )


class AuditSummary(_Model):
    """What ``summary.json`` holds; also returned by :func:`consistency.audit.audit`."""

    schema_version: int = SCHEMA_VERSION
    conversations: int = 0
    exchanges: int = 0
    matched: int = 0
    unmatched: int = 0
    errors: int = 0
    findings: int = 0
    by_kind: dict[str, int] = Field(default_factory=dict)
    by_topic: dict[str, int] = Field(default_factory=dict)
    by_agent: dict[str, int] = Field(default_factory=dict)
    by_entry: dict[str, int] = Field(default_factory=dict)
    agents: dict[str, dict[str, int]] = Field(default_factory=dict)
    """Per agent: exchanges handled and findings of each kind that count against them."""
    period: tuple[str | None, str | None] = (None, None)
    since: str | None = None
    until: str | None = None
    resumed: bool = False
    trends: dict[str, Any] = Field(default_factory=dict)
    out: str | None = None
    history: str | None = None
    suppressed: int = 0
    updated: tuple[str, ...] = ()
    reviewed_precision: dict[str, Any] = Field(default_factory=dict)
