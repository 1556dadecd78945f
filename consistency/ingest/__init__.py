"""Transcript readers and exchange segmentation.

Readers turn JSON Lines (DESIGN.md's contract), CSV (one turn a row) and Amazon
Connect Contact Lens analysis files into :class:`Transcript` records, streaming
and reporting bad lines instead of stopping; :func:`segment` cuts a transcript
into :class:`~consistency.models.Exchange` objects for matching and checking.

Example:
    >>> from consistency.ingest import parse_jsonl_lines, segment
    >>> line = ('{"id": "call-1", "started_at": "2026-03-02T09:00:00Z", "channel": "voice",'
    ...         ' "agent_id": "a1", "customer_id": "c1", "turns": ['
    ...         '{"speaker": "agent", "text": "thanks for calling how can i help"},'
    ...         '{"speaker": "customer", "text": "how long do i have to return a jacket"},'
    ...         '{"speaker": "agent", "text": "you have thirty days from delivery"}]}')
    >>> [ex.answer for t in parse_jsonl_lines([line]) for ex in segment(t)]
    ['you have thirty days from delivery']
"""

from __future__ import annotations

from consistency.ingest.models import (
    INGEST_ERROR_TYPES,
    IngestError,
    IngestErrorType,
    Speaker,
    Transcript,
    Turn,
)
from consistency.ingest.readers import (
    CSV_COLUMNS,
    ErrorSink,
    TranscriptFormat,
    UnsupportedFormatError,
    detect_format,
    parse_jsonl_lines,
    read_contact_lens,
    read_csv,
    read_jsonl,
    read_transcripts,
    write_jsonl,
)
from consistency.ingest.segment import is_question, is_social, segment, segment_many

__all__ = [
    "CSV_COLUMNS",
    "INGEST_ERROR_TYPES",
    "ErrorSink",
    "IngestError",
    "IngestErrorType",
    "Speaker",
    "Transcript",
    "TranscriptFormat",
    "Turn",
    "UnsupportedFormatError",
    "detect_format",
    "is_question",
    "is_social",
    "parse_jsonl_lines",
    "read_contact_lens",
    "read_csv",
    "read_jsonl",
    "read_transcripts",
    "segment",
    "segment_many",
    "write_jsonl",
]
