"""Pydantic models shared by every stage of the data path.

All models are frozen and round-trip through JSON unchanged, so a QA pipeline can
store a verdict or a finding and read it back as the same object. Spans are
half-open ``(start, end)`` character offsets into the *original* text they were
taken from, so ``text[start:end]`` is always the quoted surface form.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, field_validator, model_validator

__all__ = [
    "FACT_KINDS",
    "FACT_VALUE_TYPES",
    "Comparison",
    "Conflict",
    "Exchange",
    "Fact",
    "KBEntry",
    "Match",
    "MatchComponents",
    "Span",
    "Verdict",
    "VerdictStatus",
    "set_fact_renderer",
]

Span = tuple[int, int]
VerdictStatus = Literal["consistent", "contradiction", "no_match", "unverified"]

#: The fact kinds the library ships, as named in ``Fact.kind`` and ``Conflict.kind``.
FACT_KINDS: tuple[str, ...] = (
    "money",
    "percent",
    "duration",
    "date",
    "time",
    "phone",
    "email",
    "url",
    "address",
    "count",
    "polarity",
    "condition",
)

#: The Python type of ``Fact.value`` per kind. JSON turns a ``Decimal`` or a ``date``
#: into a string; this table turns it back, so ``Fact`` round-trips exactly. A user
#: registering a new kind may add its type here; unknown kinds keep the value as is.
FACT_VALUE_TYPES: dict[str, Any] = {
    "money": Decimal,
    "percent": Decimal,
    "duration": Decimal,
    "count": Decimal,
    "date": dt.date,
    "time": str,
    "phone": str,
    "email": str,
    "url": str,
    "address": str,
    "polarity": bool,
    "condition": str,
}

_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def _coerce(kind: str, value: Any) -> Any:
    target = FACT_VALUE_TYPES.get(kind)
    if target is None or value is None:
        return value
    adapter = _ADAPTERS.get(target)
    if adapter is None:
        adapter = _ADAPTERS[target] = TypeAdapter(target)
    return adapter.validate_python(value)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _check_span(span: Span | None) -> Span | None:
    if span is None:
        return span
    start, end = span
    if start < 0 or end < start:
        raise ValueError(f"span must be (start, end) with 0 <= start <= end, got {span}")
    return span


class KBEntry(_Frozen):
    """One canonical answer and the ways customers ask for it.

    Two entries may share an ``id`` when their validity periods do not overlap:
    that is how a policy change is recorded. ``source_file`` and ``source_line``
    say where the entry was read from, for error messages and lint findings.
    """

    id: str = Field(min_length=1)
    topic: str | None = None
    questions: tuple[str, ...] = Field(min_length=1)
    answer: str = Field(min_length=1)
    tags: tuple[str, ...] = ()
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    source_file: str | None = None
    source_line: int | None = None

    def valid_on(self, day: dt.date | None) -> bool:
        """True when the entry applies on ``day`` (``None`` means any day)."""
        if day is None:
            return True
        if self.valid_from is not None and day < self.valid_from:
            return False
        return not (self.valid_to is not None and day > self.valid_to)


class MatchComponents(_Frozen):
    """The parts a match score was fused from, each in 0–1.

    ``embedding`` is ``None`` where the question was never embedded (the fuzzy tier).
    """

    embedding: float | None
    fuzzy: float
    tier: Literal["exact", "fuzzy", "embedding"] = "embedding"


class Match(_Frozen):
    """A KB entry proposed for a question: the fused score and what it came from."""

    entry_id: str
    score: float
    matched_question: str
    components: MatchComponents

    @property
    def embedding_score(self) -> float | None:
        return self.components.embedding

    @property
    def fuzzy_score(self) -> float:
        return self.components.fuzzy


class Fact(_Frozen):
    """A typed, normalised fact found in a text.

    ``value`` is normalised so that equal facts compare equal whatever their
    surface form: ``Decimal`` for money (in ``unit``, an ISO currency code),
    percent, duration (an amount of ``unit``) and count; ``date`` for dates;
    ``bool`` for polarity (``True`` affirmed); canonical strings for time, phone
    (E.164 where possible), email, url and condition.
    ``subject`` names what the fact is about (``"fee"``, ``"refund"``), the role
    used to align an answer's facts with the KB's. ``qualifiers`` are the
    conditions attached to it ("for Premium members", "if unused").
    """

    kind: str = Field(min_length=1)
    value: Any
    unit: str | None = None
    span: Span
    text: str
    qualifiers: tuple[str, ...] = ()
    subject: str | None = None
    upper: Any = None
    """The top of a range ("5 to 7 working days": value 5, upper 7), same type as value."""
    modifier: str | None = None
    """A bound on the value: ``up_to``, ``at_least``, ``about``, ``from``, ``over``, ``under``."""
    extractor: str = ""

    _check = field_validator("span")(classmethod(lambda cls, v: _check_span(v)))

    @model_validator(mode="before")
    @classmethod
    def _typed_value(cls, data: Any) -> Any:
        if isinstance(data, dict) and "kind" in data and "value" in data:
            kind = str(data["kind"])
            data = {**data, "value": _coerce(kind, data["value"])}
            if data.get("upper") is not None:
                data["upper"] = _coerce(kind, data["upper"])
        return data

    @property
    def display(self) -> str:
        """A short human rendering of the normalised value, e.g. ``14 days``.

        Rendering belongs to the facts stage (each kind's extractor knows its
        words); it installs itself with :func:`set_fact_renderer` when loaded. A
        process that has not loaded it yet (a verdict read back from JSON) loads it
        here by name, as a plugin: the contracts never import the stage above them.
        """
        if _RENDERER is None:
            importlib.import_module(_RENDERER_MODULE)
        assert _RENDERER is not None, f"{_RENDERER_MODULE} did not install a renderer"
        return _RENDERER(self)


#: The module that renders facts for people; it calls :func:`set_fact_renderer` on import.
_RENDERER_MODULE = "consistency.facts.render"
_RENDERER: Callable[[Fact], str] | None = None


def set_fact_renderer(render: Callable[[Fact], str]) -> None:
    """Install how :attr:`Fact.display` reads a fact (the facts stage does, on import)."""
    global _RENDERER
    _RENDERER = render


class Conflict(_Frozen):
    """One fact on which an answer and the canonical answer differ.

    ``kind`` is a fact kind, or ``condition`` when the answer drops or changes a
    condition the KB attaches to a fact. A span is ``None`` only when that side
    has no text for it (a dropped condition has no answer span).
    """

    kind: str
    answer_value: str
    kb_value: str
    answer_span: Span | None
    kb_span: Span | None
    answer_text: str
    kb_text: str
    entry_id: str | None = None
    explanation: str = ""

    _check = field_validator("answer_span", "kb_span")(classmethod(lambda cls, v: _check_span(v)))


class Comparison(_Frozen):
    """What the fact engine concluded about one answer against one canonical answer."""

    status: Literal["consistent", "contradiction", "unverified"]
    conflicts: tuple[Conflict, ...] = ()
    supported: tuple[Fact, ...] = ()
    """Facts of the answer that agree with a KB fact."""
    unverified_facts: tuple[Fact, ...] = ()
    """Facts of the answer the KB does not mention (order numbers, extra detail)."""
    missing: tuple[Fact, ...] = ()
    """KB facts the answer does not state (neither confirmed nor contradicted)."""
    reason: str = ""


class Verdict(_Frozen):
    """The pre-reply check's answer for one (question, answer) pair."""

    status: VerdictStatus
    entry_id: str | None = None
    score: float = 0.0
    canonical_answer: str | None = None
    conflicts: tuple[Conflict, ...] = ()
    explanation: str = ""
    matches: tuple[Match, ...] = ()
    supported: tuple[Fact, ...] = ()
    unverified_facts: tuple[Fact, ...] = ()
    on: dt.date | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    #: Why this entry was chosen when it was not the question's first match, or why a
    #: contradiction with a close entry was not raised (empty when the question decided).
    choice: str = ""
    #: How sure the choice of entry is, 0–1: the question's match score mixed with the
    #: answer's likeness to the entry's canonical answer (``score`` is the question's alone).
    confidence: float = 0.0


class Exchange(_Frozen):
    """A customer question and the agent turns that answer it, within one conversation.

    ``answer`` is the agent turns joined with a single space; ``answer_offsets``
    holds where each of ``answer_turns`` starts in it, so a span in ``answer`` maps
    back to a turn and an offset in that turn with :meth:`locate`.
    """

    transcript_id: str
    question: str
    answer: str
    question_turns: tuple[int, ...]
    answer_turns: tuple[int, ...]
    answer_offsets: tuple[int, ...] = ()
    agent_id: str | None = None
    customer_id: str | None = None
    started_at: dt.datetime | None = None
    channel: str | None = None

    def locate(self, offset: int) -> tuple[int, int]:
        """Map an offset in ``answer`` to ``(turn index, offset within that turn)``."""
        if not self.answer_turns:
            raise ValueError("exchange has no answer turns")
        starts = self.answer_offsets or (0,)
        idx = 0
        for i, start in enumerate(starts):
            if start <= offset:
                idx = i
        return self.answer_turns[idx], offset - starts[idx]
