"""Text UTF-8 cannot encode (a lone surrogate from a JSON escape) is refused where it enters.

A lone surrogate in an agent turn used to be accepted at ingest and then kill the
audit when outputs were written (PydanticSerializationError); in a customer turn it
killed the encoder (TypeError from the tokenizer). Now the line is an input error.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.ingest import IngestError, parse_jsonl_lines, read_contact_lens, read_jsonl
from consistency.textcheck import printable, require_encodable, unencodable_at

# Every code point, lone surrogates included (hypothesis leaves them out by default).
_any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=30)


def _line(customer: str, agent: str, cid: str = "c1", agent_id: str = "a1") -> str:
    return json.dumps(
        {
            "id": cid,
            "started_at": "2026-03-02T09:00:00Z",
            "agent_id": agent_id,
            "turns": [
                {"speaker": "customer", "text": customer},
                {"speaker": "agent", "text": agent},
            ],
        }
    )


def _writable(transcript_or_error) -> None:  # type: ignore[no-untyped-def]
    """What the audit does with it in the end: JSON, encoded as UTF-8."""
    transcript_or_error.model_dump_json().encode("utf-8")


@pytest.mark.parametrize(
    ("customer", "agent", "loc"),
    [
        ("How long do I have to return it?", "You have 14 days \ud800.", ("turns", 1, "text")),
        ("How long \udfff do I have?", "You have 14 days.", ("turns", 0, "text")),
    ],
)
def test_lone_surrogate_in_a_turn_is_an_input_error(customer: str, agent: str, loc) -> None:  # type: ignore[no-untyped-def]
    errors: list[IngestError] = []
    good = _line("How long do I have?", "28 days.", cid="ok")
    got = list(parse_jsonl_lines([_line(customer, agent), good], errors=errors))
    assert [t.id for t in got] == ["ok"]
    (error,) = errors
    assert (error.line, error.type, error.loc, error.record_id) == (1, "bad-value", loc, "c1")
    assert "lone surrogate" in error.reason
    _writable(error)


def test_bad_record_id_is_escaped_in_the_error(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text(_line("q", "a", cid="id-\ud800", agent_id="x") + "\n", errors="surrogatepass")
    errors: list[IngestError] = []
    assert list(read_jsonl(path, errors=errors)) == []
    (error,) = errors
    assert error.record_id == "id-\\ud800" and error.loc == ("id",)
    _writable(error)


def test_contact_lens_turn_with_a_lone_surrogate_is_skipped(tmp_path: Path) -> None:
    data = {
        "CustomerMetadata": {"ContactId": "cl-1"},
        "Transcript": [
            {"ParticipantId": "CUSTOMER", "Content": "Where is my \ud800 order?"},
            {"ParticipantId": "AGENT", "Content": "It ships today.", "BeginOffsetMillis": 5},
        ],
    }
    path = tmp_path / "cl-1_analysis_2026-03-02T09:00:00Z.json"
    path.write_text(json.dumps(data))
    errors: list[IngestError] = []
    (transcript,) = read_contact_lens(path, errors=errors)
    assert [t.text for t in transcript.turns] == ["It ships today."]
    (error,) = errors
    assert error.loc == ("Transcript", 0, "Content") and error.type == "bad-value"


@settings(max_examples=200, deadline=None)
@given(customer=_any_text, agent=_any_text, cid=_any_text.filter(bool))
def test_whatever_the_text_every_result_can_be_written(customer: str, agent: str, cid: str) -> None:
    errors: list[IngestError] = []
    got = list(parse_jsonl_lines([_line(customer, agent, cid=cid)], errors=errors))
    assert len(got) + len(errors) == 1
    bad = any(unencodable_at(s) is not None for s in (customer, agent, cid))
    assert bool(errors) == bad
    for item in [*got, *errors]:
        _writable(item)


@given(_any_text)
def test_require_encodable_agrees_with_utf8(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        with pytest.raises(ValueError, match="lone surrogate"):
            require_encodable(text, "answer")
        printable(text).encode("utf-8")
    else:
        assert require_encodable(text, "answer") is text
        assert printable(text) is text


def _macro(macro_id: object, title: str, text: str) -> dict:
    return {"id": macro_id, "title": title, "actions": [{"field": "comment_value", "value": text}]}


@pytest.mark.parametrize(
    ("macro", "field"),
    [
        (_macro(1, "Returns \ud800", "You have 28 days."), "title"),
        (_macro("m-\udc80", "Returns", "You have 28 days."), "id"),
        (_macro(3, "Returns", "You have 14 days \ud800."), "actions"),
    ],
)
def test_zendesk_macro_with_a_lone_surrogate_is_skipped(tmp_path: Path, macro, field) -> None:  # type: ignore[no-untyped-def]
    from consistency.macros.models import MacroError
    from consistency.macros.readers import read_zendesk_macros

    path = tmp_path / "macros.json"
    path.write_text(json.dumps({"macros": [macro, _macro(9, "Fine", "28 days.")]}))
    errors: list[MacroError] = []
    assert [m.id for m in read_zendesk_macros(path, errors=errors)] == ["9"]
    (error,) = errors
    assert (error.field, error.type, error.row) == (field, "bad-value", 1)
    assert "lone surrogate" in error.reason
    error.model_dump_json().encode("utf-8")
