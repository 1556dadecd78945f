"""JSON Lines reader: the DESIGN.md contract, gzip, and bad lines reported then skipped."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import logging
from pathlib import Path

import pytest

from consistency.ingest import (
    IngestError,
    Transcript,
    Turn,
    parse_jsonl_lines,
    read_jsonl,
    read_transcripts,
    write_jsonl,
)

GOOD = {
    "id": "call-000123",
    "started_at": "2026-03-04T10:15:00Z",
    "channel": "voice",
    "agent_id": "a17",
    "customer_id": "c-991",
    "turns": [
        {"speaker": "customer", "text": "how long do i have to return it"},
        {"speaker": "agent", "text": "you have thirty days from delivery"},
    ],
}


def _line(**changes: object) -> str:
    record = {**GOOD, **changes}
    return json.dumps({k: v for k, v in record.items() if v is not ...})


def test_reads_the_design_example(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text(_line() + "\n" + _line(id="call-2") + "\n", encoding="utf-8")
    errors: list[IngestError] = []
    transcripts = list(read_jsonl(path, errors=errors))
    assert errors == []
    assert [t.id for t in transcripts] == ["call-000123", "call-2"]
    first = transcripts[0]
    assert first.started_at == dt.datetime(2026, 3, 4, 10, 15, tzinfo=dt.UTC)
    assert (first.channel, first.agent_id, first.customer_id) == ("voice", "a17", "c-991")
    assert first.turns[1] == Turn(speaker="agent", text="you have thirty days from delivery")


def test_gzip_is_read_transparently(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(_line() + "\n")
    assert [t.id for t in read_transcripts(path, errors=[])] == ["call-000123"]


# fmt: off
BAD_LINES = [
    # (line, type, loc, reason fragment)
    ('{"id": "x", "started_at": ', "bad-json", (), "invalid JSON"),
    ("[1, 2]", "bad-record", (), "expected a JSON object, got list"),
    (_line(id=...), "missing-field", ("id",), "Field required"),
    (_line(turns=...), "missing-field", ("turns",), "Field required"),
    (_line(turns=[{"speaker": "bot", "text": "hi"}]), "bad-speaker", ("turns", 0, "speaker"),
     "'bot'"),
    (_line(turns=[{"speaker": "agent"}]), "missing-field", ("turns", 0, "text"), "Field required"),
    (_line(started_at="yesterday"), "bad-timestamp", ("started_at",), "not an ISO 8601 timestamp"),
    (_line(started_at=1772618100), "bad-timestamp", ("started_at",), "expected an ISO 8601"),
    (_line(id=""), "bad-value", ("id",), "at least 1 character"),
    (_line(turns="hello"), "bad-value", ("turns",), "tuple"),
]
# fmt: on


@pytest.mark.parametrize(("bad", "err_type", "loc", "fragment"), BAD_LINES)
def test_bad_line_is_reported_and_skipped(
    tmp_path: Path, bad: str, err_type: str, loc: tuple[object, ...], fragment: str
) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text(f"{_line(id='before')}\n{bad}\n\n{_line(id='after')}\n", encoding="utf-8")
    errors: list[IngestError] = []
    assert [t.id for t in read_jsonl(path, errors=errors)] == ["before", "after"]
    assert len(errors) == 1
    err = errors[0]
    assert (err.file, err.line, err.type, err.loc) == (str(path), 2, err_type, loc)
    assert fragment in err.reason
    assert str(err).startswith(f"{path}:2")
    assert str(err).endswith(f"[type={err_type}]")


def test_error_renders_record_and_field() -> None:
    errors: list[IngestError] = []
    bad = _line(turns=[{"speaker": "bot", "text": "hi"}])
    assert list(parse_jsonl_lines([bad], file="day.jsonl", errors=errors)) == []
    assert str(errors[0]) == (
        "day.jsonl:1 record 'call-000123' turns.0.speaker: Input should be 'customer' or "
        "'agent' (got 'bot') [type=bad-speaker]"
    )
    assert errors[0].model_dump() == {
        "file": "day.jsonl",
        "line": 1,
        "reason": "Input should be 'customer' or 'agent' (got 'bot')",
        "type": "bad-speaker",
        "record_id": "call-000123",
        "loc": ("turns", 0, "speaker"),
    }


def test_not_utf8_line_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_bytes(_line().encode() + b"\n\xff\xfe oops\n" + _line(id="b").encode() + b"\n")
    errors: list[IngestError] = []
    assert [t.id for t in read_jsonl(path, errors=errors)] == ["call-000123", "b"]
    assert [(e.line, e.type) for e in errors] == [(2, "unreadable")]


def test_truncated_gzip_keeps_what_was_read(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl.gz"
    data = gzip.compress("".join(_line(id=f"c{i}") + "\n" for i in range(200)).encode())
    path.write_bytes(data[: len(data) // 2])
    errors: list[IngestError] = []
    got = list(read_jsonl(path, errors=errors))
    assert 0 < len(got) < 200
    assert [e.type for e in errors] == ["unreadable"]


def test_missing_file_is_reported(tmp_path: Path) -> None:
    errors: list[IngestError] = []
    assert list(read_jsonl(tmp_path / "nope.jsonl", errors=errors)) == []
    assert errors[0].type == "unreadable" and errors[0].line is None


def test_extra_keys_ignored_bom_and_naive_time(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    line = _line(started_at="2026-03-04T10:15:00", queue="returns")
    path.write_text("\ufeff" + line + "\n", encoding="utf-8")
    (transcript,) = read_jsonl(path, errors=[])
    assert transcript.started_at.tzinfo is dt.UTC


def test_callback_and_default_logging(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    seen: list[IngestError] = []
    list(parse_jsonl_lines(["nope"], errors=seen.append))
    assert seen[0].type == "bad-json"
    with caplog.at_level(logging.WARNING, logger="consistency.ingest"):
        list(parse_jsonl_lines(["nope"]))
    assert "<lines>:1 invalid JSON" in caplog.text


def test_write_then_read_is_equal(tmp_path: Path) -> None:
    original = [
        Transcript.model_validate(GOOD),
        Transcript(id="c2", started_at="2026-03-05T08:00:00+01:00", turns=()),
    ]
    for name in ("out.jsonl", "out.jsonl.gz"):
        assert write_jsonl(original, tmp_path / name) == 2
        assert list(read_transcripts(tmp_path / name, errors=[])) == original
