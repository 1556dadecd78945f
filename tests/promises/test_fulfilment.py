"""The fulfilment file: good rows read, bad rows reported with file, line and field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from consistency.ingest import IngestError
from consistency.promises import read_fulfilment


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "done.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_good_rows(tmp_path):
    path = write(
        tmp_path,
        "\ufeffcustomer_id,kind,fulfilled_at,transcript_id\n"
        "c-1,callback,2026-03-31T10:20:00Z,\n"
        "c-2,Refund,2026-04-01T09:00:00+01:00,call-000007\n"
        "c-3,email_or_letter,,\n"
        "\n"
        "c-4,visit,2026-04-02T11:00:00,\n",
    )
    errors: list[IngestError] = []
    rows = list(read_fulfilment(path, errors=errors))
    assert errors == []
    assert [(r.customer_id, r.kind, r.line, r.transcript_id) for r in rows] == [
        ("c-1", "callback", 2, None),
        ("c-2", "refund", 3, "call-000007"),
        ("c-3", "email_or_letter", 4, None),
        ("c-4", "visit", 6, None),
    ]
    assert rows[0].fulfilled_at == dt.datetime(2026, 3, 31, 10, 20, tzinfo=dt.UTC)
    assert rows[1].fulfilled_at is not None and rows[1].fulfilled_at.utcoffset() == dt.timedelta(
        hours=1
    )
    assert rows[2].fulfilled_at is None  # never done
    assert rows[3].fulfilled_at is not None and rows[3].fulfilled_at.tzinfo == dt.UTC  # naive: UTC


def test_bad_rows_are_reported_and_skipped(tmp_path):
    path = write(
        tmp_path,
        "customer_id,kind,fulfilled_at\n"
        "c-1,callback,2026-03-31T10:20:00Z\n"
        ",callback,2026-03-31T10:20:00Z\n"
        "c-2,parcel,2026-03-31T10:20:00Z\n"
        "c-3,refund,yesterday\n"
        "c-4,refund,2026-03-31T10:20:00Z,extra\n"
        "c-5,visit,2026-04-01T08:00:00Z\n",
    )
    errors: list[IngestError] = []
    rows = list(read_fulfilment(path, errors=errors))
    assert [r.customer_id for r in rows] == ["c-1", "c-5"]
    assert [(e.line, e.type, e.loc) for e in errors] == [
        (3, "missing-field", ("customer_id",)),
        (4, "bad-value", ("kind",)),
        (5, "bad-timestamp", ("fulfilled_at",)),
        (6, "bad-csv", ()),
    ]
    assert str(errors[1]) == (
        f"{path}:4 record 'c-2' kind: kind must be one of callback, refund, email_or_letter, "
        "visit, escalation, other, got 'parcel' [type=bad-value]"
    )
    assert "yesterday" in errors[2].reason


def test_a_missing_column_stops_the_file(tmp_path):
    path = write(tmp_path, "customer,kind,when\nc-1,callback,2026-03-31T10:20:00Z\n")
    errors: list[IngestError] = []
    assert list(read_fulfilment(path, errors=errors)) == []
    (error,) = errors
    assert (error.line, error.type) == (1, "missing-field")
    assert "customer_id, fulfilled_at" in error.reason


def test_unreadable_file_and_raising_mode(tmp_path):
    errors: list[IngestError] = []
    assert list(read_fulfilment(tmp_path / "nope.csv", errors=errors)) == []
    assert errors[0].type == "unreadable"
    path = write(tmp_path, "customer_id,kind,fulfilled_at\nc-1,nope,\n")
    with pytest.raises(ValueError, match="kind must be one of"):
        list(read_fulfilment(path))
    seen: list[IngestError] = []
    assert list(read_fulfilment(path, errors=seen.append)) == []
    assert len(seen) == 1
