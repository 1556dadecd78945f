"""Format detection and reading several files or a directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from consistency.ingest import UnsupportedFormatError, detect_format, read_transcripts

LINE = '{"id": "%s", "started_at": "2026-03-02T09:00:00Z", "turns": []}\n'


# fmt: off
FORMATS = [
    ("day.jsonl", "jsonl"), ("day.JSONL.GZ", "jsonl"), ("day.ndjson", "jsonl"),
    ("day.csv", "csv"), ("day.csv.gz", "csv"),
    ("x_analysis_2026-03-02T09:00:00Z.json", "contact_lens"), ("x.json.gz", "contact_lens"),
]
# fmt: on


@pytest.mark.parametrize(("name", "fmt"), FORMATS)
def test_detect_format(name: str, fmt: str) -> None:
    assert detect_format(name) == fmt


def test_unknown_extension_names_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFormatError, match=r"known extensions: \.jsonl\[\.gz\]"):
        list(read_transcripts(tmp_path / "calls.txt", errors=[]))
    with pytest.raises(UnsupportedFormatError, match="known formats: jsonl, csv, contact_lens"):
        list(read_transcripts(tmp_path / "calls.txt", errors=[], format="xml"))  # type: ignore[arg-type]


def test_format_override(tmp_path: Path) -> None:
    path = tmp_path / "calls.txt"
    path.write_text(LINE % "a", encoding="utf-8")
    assert [t.id for t in read_transcripts(path, errors=[], format="jsonl")] == ["a"]


def test_directory_is_read_recursively_in_order(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.jsonl").write_text(LINE % "b", encoding="utf-8")
    (tmp_path / "a.jsonl").write_text(LINE % "a", encoding="utf-8")
    (tmp_path / "sub" / "c.jsonl").write_text(LINE % "c", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("ignored", encoding="utf-8")
    (tmp_path / "settings.json").write_text("{}", encoding="utf-8")  # not a Contact Lens name
    assert [t.id for t in read_transcripts(tmp_path, errors=[])] == ["a", "b", "c"]


def test_reading_is_lazy(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_text("".join(LINE % f"c{i}" for i in range(1000)), encoding="utf-8")
    stream = read_transcripts(path, errors=[])
    assert next(stream).id == "c0"
    stream.close()
