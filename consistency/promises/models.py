"""What the promise stages produce: promises agents make, chases customers send, kept jobs.

All frozen pydantic models, so they round-trip through JSON unchanged (the audit
spills them to its checkpoint and ships them between Ray workers). Spans are
half-open ``(start, end)`` offsets into the text of the turn named by ``turn``:
``turn_text[start:end] == text``.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

__all__ = [
    "DUE_SOURCES",
    "PROMISE_KINDS",
    "Chase",
    "DueSource",
    "Fulfilment",
    "Promise",
    "PromiseKind",
]

PromiseKind = Literal["callback", "refund", "email_or_letter", "visit", "escalation", "other"]
#: The kinds of promise, as named in ``Promise.kind``, ``Chase.kind`` and the fulfilment file.
PROMISE_KINDS: tuple[str, ...] = PromiseKind.__args__  # type: ignore[attr-defined]

DueSource = Literal["stated", "default", "event", "none"]
#: Where ``Promise.due`` came from: a term the agent said ("tomorrow before five"),
#: the kind's default term (nothing said), an event we cannot see ("within 5 working
#: days of it arriving": ``due`` is ``None``), or no term and no default.
DUE_SOURCES: tuple[str, ...] = DueSource.__args__  # type: ignore[attr-defined]

Span = tuple[int, int]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _aware(value: dt.datetime | None, name: str) -> dt.datetime | None:
    if value is not None and value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {value.isoformat()}")
    return value


def _span_ok(span: Span | None) -> Span | None:
    if span is not None and not 0 <= span[0] <= span[1]:
        raise ValueError(f"span must be (start, end) with 0 <= start <= end, got {span}")
    return span


class Promise(_Frozen):
    """A commitment an agent made: "I'll call you back tomorrow before five".

    Attributes:
        kind: what was promised (see :data:`PROMISE_KINDS`).
        due: when it is due, timezone-aware in the calendar's zone; ``None``
            when no term was said and the kind has no default, or the term
            hangs on an event the transcript cannot date.
        due_text / due_span: the term as said and where it is in the turn.
        due_source: see :data:`DUE_SOURCES`.
        text / span: the commitment as said, and where in the turn.
        turn: the index of the agent's turn in the transcript.
        trigger: the words that made it a promise ("i'll call you back").
        snippet / snippet_span: a little of the turn around it, for reports.
        transcript_id, agent_id, customer_id, started_at, channel: the
            conversation's (``None`` when extracted from bare text).
        entry_id: the KB entry of the exchange the promise was made in, once
            the audit has matched it (the promise's topic).
    """

    kind: PromiseKind
    due: dt.datetime | None
    due_text: str | None = None
    due_span: Span | None = None
    due_source: DueSource = "none"
    text: str
    span: Span
    turn: int = 0
    trigger: str = ""
    snippet: str = ""
    snippet_span: Span | None = None
    transcript_id: str | None = None
    agent_id: str | None = None
    customer_id: str | None = None
    started_at: dt.datetime | None = None
    channel: str | None = None
    entry_id: str | None = None

    _due = field_validator("due")(classmethod(lambda cls, v: _aware(v, "due")))
    _start = field_validator("started_at")(classmethod(lambda cls, v: _aware(v, "started_at")))
    _spans = field_validator("span", "due_span", "snippet_span")(
        classmethod(lambda cls, v: _span_ok(v))
    )

    @model_validator(mode="after")
    def _text_fits_span(self) -> Promise:
        if self.span[1] - self.span[0] != len(self.text):
            raise ValueError(f"span {self.span} does not fit text {self.text[:50]!r}")
        return self


class Chase(_Frozen):
    """A customer saying a promise was not kept: "nobody called me back", "still no refund".

    ``kind`` is the promise kind chased (``other`` for "you said you'd sort it",
    which then needs the same topic as the promise to count). ``span`` indexes
    the customer's turn ``turn``; ``text == turn_text[start:end]``. The
    conversation fields are as for :class:`Promise`; ``entry_ids`` are the KB
    entries the chasing conversation was matched to (its topics).
    """

    kind: PromiseKind
    text: str
    span: Span
    turn: int = 0
    pattern: str = ""
    snippet: str = ""
    snippet_span: Span | None = None
    transcript_id: str | None = None
    agent_id: str | None = None
    customer_id: str | None = None
    started_at: dt.datetime | None = None
    channel: str | None = None
    entry_ids: tuple[str, ...] = ()

    _start = field_validator("started_at")(classmethod(lambda cls, v: _aware(v, "started_at")))
    _spans = field_validator("span", "snippet_span")(classmethod(lambda cls, v: _span_ok(v)))

    @model_validator(mode="after")
    def _text_fits_span(self) -> Chase:
        if self.span[1] - self.span[0] != len(self.text):
            raise ValueError(f"span {self.span} does not fit text {self.text[:50]!r}")
        return self


class Fulfilment(_Frozen):
    """One row of a fulfilment file: a job of ``kind`` done for a customer, or still open.

    ``fulfilled_at`` is ``None`` for a job the file lists as not done (an
    empty cell): the promise was never kept as of the file's export.
    ``transcript_id`` (an optional column) pins the row to the conversation
    the promise was made in; without it a row is matched by customer, kind
    and time. ``file`` and ``line`` say where it came from.
    """

    customer_id: str
    kind: PromiseKind
    fulfilled_at: dt.datetime | None
    transcript_id: str | None = None
    file: str = ""
    line: int | None = None

    _when = field_validator("fulfilled_at")(classmethod(lambda cls, v: _aware(v, "fulfilled_at")))
