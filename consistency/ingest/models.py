"""Transcript records as readers produce them, and the record of a bad input line.

Every reader maps its format onto :class:`Transcript` (the JSON Lines contract of
DESIGN.md), so segmentation and the audit see one shape whatever the source.
A malformed line never stops a read: it becomes an :class:`IngestError` that says
where it was and why, in the manner of pydantic's error records.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from consistency.textcheck import EncodableStr, printable

__all__ = ["INGEST_ERROR_TYPES", "IngestError", "IngestErrorType", "Speaker", "Transcript", "Turn"]

Speaker = Literal["customer", "agent"]

IngestErrorType = Literal[
    "unreadable",
    "bad-json",
    "bad-csv",
    "bad-record",
    "missing-field",
    "bad-speaker",
    "bad-timestamp",
    "bad-value",
    "not-contiguous",
]
#: Stable slugs for :attr:`IngestError.type`; the machine reads these, the human reads ``reason``.
INGEST_ERROR_TYPES: tuple[str, ...] = IngestErrorType.__args__  # type: ignore[attr-defined]


def parse_timestamp(value: Any) -> dt.datetime:
    """Parse an ISO 8601 timestamp; a naive one is taken as UTC.

    Only strings (and datetimes) are accepted: a bare number could be seconds or
    milliseconds since the epoch, and guessing would put calls on the wrong day,
    which then decides which KB entry applies. Naive times become UTC so that
    transcripts from different sources sort and compare without a TypeError.
    """
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"not an ISO 8601 timestamp: {value[:50]!r}") from None
    else:
        raise ValueError(f"expected an ISO 8601 timestamp string, got {type(value).__name__}")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed


class Turn(BaseModel):
    """One utterance. ``text`` is kept exactly as given: spans index into it.

    Text that cannot be encoded as UTF-8 (a lone surrogate from a JSON escape) is
    refused here, so a reader reports that line instead of the audit failing later.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    speaker: Speaker
    text: EncodableStr


class Transcript(BaseModel):
    """One conversation, as in DESIGN.md's JSON Lines contract.

    Unknown keys are ignored (the contract says fields may be added). ``agent_id``
    and ``customer_id`` may be missing: Contact Lens files carry neither.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: EncodableStr = Field(min_length=1)
    started_at: dt.datetime
    channel: EncodableStr | None = None
    agent_id: EncodableStr | None = None
    customer_id: EncodableStr | None = None
    turns: tuple[Turn, ...]

    _ts = field_validator("started_at", mode="before")(
        classmethod(lambda cls, v: parse_timestamp(v))
    )

    def to_json_line(self) -> str:
        """The record as one JSON line (no newline); ``None`` fields are left out."""
        return self.model_dump_json(exclude_none=True)


class IngestError(BaseModel):
    """A line or record a reader skipped, and why.

    ``line`` is 1-based (the first line of a CSV row; ``None`` when the format has
    no useful line, e.g. one item of a Contact Lens turn list, which ``loc`` names).
    ``type`` is a stable slug from :data:`INGEST_ERROR_TYPES`; ``reason`` is for people.
    Text that cannot be encoded (a bad record's id, say) is kept backslash-escaped,
    so an error record can always be written.
    """

    model_config = ConfigDict(frozen=True)

    file: str
    line: int | None
    reason: str
    type: IngestErrorType = "bad-value"
    record_id: str | None = None
    loc: tuple[str | int, ...] = ()

    @field_validator("file", "reason", "record_id", mode="before")
    @classmethod
    def _printable(cls, value: Any) -> Any:
        return printable(value) if isinstance(value, str) else value

    @field_validator("loc", mode="before")
    @classmethod
    def _printable_loc(cls, value: Any) -> Any:
        if isinstance(value, tuple | list):
            return tuple(printable(p) if isinstance(p, str) else p for p in value)
        return value

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        record = f" record {self.record_id!r}" if self.record_id else ""
        field = f" {'.'.join(str(p) for p in self.loc)}:" if self.loc else ""
        return f"{where}{record}{field} {self.reason} [type={self.type}]"
