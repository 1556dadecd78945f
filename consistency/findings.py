"""The public output contract: findings, their evidence and the audit's summary.

Why here, at the bottom beside :mod:`consistency.models`: the audit writes these,
and the report, DataFrames, redaction and the canned-response check read or write
them too; each depends on the contract, none on the audit. :class:`Finding` and
:class:`Evidence` are the contract of ``findings.jsonl`` (DESIGN.md, "Audit
output"): frozen pydantic models whose field names never change; new fields may be
added. ``consistency.audit.models`` re-exports every name here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "FINDING_KINDS",
    "NOT_AUDIT_KINDS",
    "SCHEMA_VERSION",
    "AuditSummary",
    "Evidence",
    "Finding",
    "FindingKind",
    "PromiseDetail",
    "ValueCount",
    "json_default",
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


def json_default(value: Any) -> Any:
    """JSON for the values facts carry (Decimal, date) and numpy scalars."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    return str(value)


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
