"""CSV reader: one turn a row, conversations grouped by contiguous conversation_id."""

from __future__ import annotations

import gzip
from pathlib import Path

from consistency.ingest import CSV_COLUMNS, IngestError, read_csv, read_transcripts

HEADER = ",".join(CSV_COLUMNS)


def _write(path: Path, *rows: str) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


ROWS = [
    "c1,2026-03-02T09:00:00Z,chat,a1,cust-1,customer,Can I return sale items?",
    'c1,2026-03-02T09:00:00Z,chat,a1,cust-1,agent,"No, sale items are final sale."',
    "c2,2026-03-02T10:00:00Z,voice,a2,cust-2,Customer,how much is shipping",
    "c2,2026-03-02T10:00:00Z,voice,a2,cust-2,AGENT,shipping is four ninety nine",
]


def test_reads_conversations(tmp_path: Path) -> None:
    errors: list[IngestError] = []
    got = list(read_csv(_write(tmp_path / "t.csv", *ROWS), errors=errors))
    assert errors == []
    assert [t.id for t in got] == ["c1", "c2"]
    assert got[0].turns[1].text == "No, sale items are final sale."
    assert [turn.speaker for turn in got[1].turns] == ["customer", "agent"]
    assert (got[1].channel, got[1].agent_id, got[1].customer_id) == ("voice", "a2", "cust-2")


def test_gzip(tmp_path: Path) -> None:
    path = tmp_path / "t.csv.gz"
    path.write_bytes(gzip.compress(("\n".join([HEADER, *ROWS]) + "\n").encode()))
    assert [t.id for t in read_transcripts(path, errors=[])] == ["c1", "c2"]


def test_bad_rows_are_reported_with_their_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "t.csv",
        "c1,not-a-time,chat,a1,cust-1,customer,first row has a bad time",
        "c1,2026-03-02T09:00:00Z,chat,a1,cust-1,customer,Can I return sale items?",
        "c1,2026-03-02T09:00:00Z,chat,a1,cust-1,robot,beep",
        '"c1","2026-03-02T09:00:00Z",chat,a1,cust-1,agent,"No,',
        'sale items are final."',
        ",2026-03-02T09:00:00Z,chat,a1,cust-1,agent,orphan",
        "c2,2026-03-02T10:00:00Z,voice,a2,cust-2,customer,hello",
        "c1,2026-03-02T09:00:00Z,chat,a1,cust-1,agent,late row",
    )
    errors: list[IngestError] = []
    got = list(read_csv(path, errors=errors))
    assert [(t.id, len(t.turns)) for t in got] == [("c1", 2), ("c2", 1)]
    assert got[0].turns[1].text == "No,\nsale items are final."
    assert [(e.line, e.type, e.record_id) for e in errors] == [
        (2, "bad-timestamp", "c1"),
        (4, "bad-speaker", "c1"),
        (7, "missing-field", None),
        (9, "not-contiguous", "c1"),
    ]
    assert str(errors[1]) == (
        f"{path}:4 record 'c1' speaker: speaker must be 'customer' or 'agent', got 'robot' "
        "[type=bad-speaker]"
    )


def test_missing_column_refuses_the_file(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("conversation_id,speaker\nc1,agent\n", encoding="utf-8")
    errors: list[IngestError] = []
    assert list(read_csv(path, errors=errors)) == []
    assert (errors[0].line, errors[0].type) == (1, "missing-field")
    assert "started_at, text" in errors[0].reason


def test_optional_columns_may_be_absent(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        "conversation_id,started_at,speaker,text\nc1,2026-03-02T09:00:00Z,agent,hi\n",
        encoding="utf-8",
    )
    (transcript,) = read_csv(path, errors=[])
    assert (transcript.channel, transcript.agent_id, transcript.customer_id) == (None, None, None)
