"""Hypothesis properties: the JSONL reader never crashes, round trips, spans map back."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.ingest import (
    IngestError,
    Transcript,
    Turn,
    parse_jsonl_lines,
    read_contact_lens,
    segment,
)

_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
_VOCABULARY = (
    "how long do i have to return it thanks please hold is there anything else you're "
    "welcome bye the fee is five dollars ok yes no can i what price match . ? ! , "
    "thirty days 24 hours hi hello"
)
_words = st.lists(
    st.sampled_from(_VOCABULARY.split()),
    max_size=12,
).map(" ".join)
_turns = st.lists(
    st.builds(Turn, speaker=st.sampled_from(["customer", "agent"]), text=_words | _text),
    max_size=10,
).map(tuple)
_transcripts = st.builds(
    Transcript,
    id=st.text(min_size=1, max_size=12),
    started_at=st.datetimes(
        min_value=dt.datetime(1990, 1, 1),
        max_value=dt.datetime(2100, 1, 1),
        timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=-5))]),
    ),
    channel=st.none() | st.sampled_from(["voice", "chat"]),
    agent_id=st.none() | st.text(min_size=1, max_size=6),
    customer_id=st.none() | st.text(min_size=1, max_size=6),
    turns=_turns,
)
_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=10,
)
_records = st.fixed_dictionaries(
    {},
    optional={
        "id": _json_values,
        "started_at": _json_values | st.just("2026-03-02T09:00:00Z"),
        "turns": _json_values
        | st.lists(
            st.fixed_dictionaries(
                {}, optional={"speaker": _json_values | st.just("agent"), "text": _json_values}
            ),
            max_size=3,
        ),
    },
)
_lines = st.lists(
    _text | st.binary(max_size=30) | _records.map(json.dumps) | _json_values.map(json.dumps),
    max_size=6,
)


@settings(max_examples=100, deadline=None)
@given(_lines)
def test_jsonl_reader_never_crashes(lines: list[str | bytes]) -> None:
    errors: list[IngestError] = []
    transcripts = list(parse_jsonl_lines(lines, errors=errors))
    assert all(isinstance(t, Transcript) for t in transcripts)
    assert all(1 <= e.line <= len(lines) for e in errors if e.line is not None)
    blank = sum(
        1
        for line in lines
        if not (line.decode("utf-8", "replace") if isinstance(line, bytes) else line)
        .lstrip("\ufeff")
        .strip()
    )
    assert len(transcripts) + len(errors) + blank == len(lines)


@settings(max_examples=100, deadline=None)
@given(_transcripts)
def test_round_trip(transcript: Transcript) -> None:
    line = transcript.to_json_line()
    assert "\n" not in line
    assert list(parse_jsonl_lines([line], errors=[])) == [transcript]


@settings(max_examples=100, deadline=None)
@given(_transcripts)
def test_segment_spans_map_back(transcript: Transcript) -> None:
    for exchange in segment(transcript):
        assert exchange.answer_turns and exchange.question_turns
        assert len(exchange.answer_offsets) == len(exchange.answer_turns)
        assert max(exchange.question_turns) < min(exchange.answer_turns)
        for index, start in zip(exchange.answer_turns, exchange.answer_offsets, strict=True):
            turn = transcript.turns[index]
            assert turn.speaker == "agent"
            assert exchange.answer[start : start + len(turn.text)] == turn.text
            if turn.text:
                assert exchange.locate(start) == (index, 0)
                assert exchange.locate(start + len(turn.text) - 1) == (index, len(turn.text) - 1)
        for index in exchange.question_turns:
            assert transcript.turns[index].speaker == "customer"


_contact_lens_items = st.lists(
    st.fixed_dictionaries(
        {},
        optional={
            "ParticipantId": _json_values | st.sampled_from(["AGENT", "CUSTOMER", "SYSTEM"]),
            "ParticipantRole": _json_values,
            "Content": _json_values | st.text(max_size=20),
            "BeginOffsetMillis": _json_values | st.integers(0, 10_000),
            "AbsoluteTime": _json_values | st.just("2026-03-02T09:00:00Z"),
        },
    )
    | _json_values,
    max_size=4,
)
_contact_lens_files = _json_values | st.fixed_dictionaries(
    {},
    optional={
        "Channel": _json_values | st.just("VOICE"),
        "CustomerMetadata": _json_values | st.fixed_dictionaries({"ContactId": _json_values}),
        "Participants": _json_values,
        "Transcript": _contact_lens_items,
    },
)


@settings(max_examples=50, deadline=None)
@given(_contact_lens_files)
def test_contact_lens_reader_never_crashes(data: object) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x_analysis_2026-03-02T09:00:00Z.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        errors: list[IngestError] = []
        got = list(read_contact_lens(path, errors=errors))
    assert len(got) <= 1
    assert got or errors
