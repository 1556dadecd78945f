"""cache_dir.keep: atomic cache writes that never fail a caller and never leave a temporary file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from consistency.cache_dir import keep


def test_keep_writes_atomically_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "value.json"
    assert keep(target, lambda h: h.write(json.dumps({"a": 1}).encode()))
    assert json.loads(target.read_text()) == {"a": 1}
    assert sorted(p.name for p in target.parent.iterdir()) == ["value.json"]


def test_an_unwritable_folder_is_not_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert keep(blocker / "value.json", lambda h: h.write(b"x")) is False


def test_a_failed_write_keeps_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "value.bin"
    target.write_bytes(b"old")

    def half_then_disk_full(handle) -> None:  # type: ignore[no-untyped-def]
        handle.write(b"ha")
        raise OSError(28, "No space left on device")

    assert keep(target, half_then_disk_full) is False
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["value.bin"]

    def bug(handle) -> None:  # type: ignore[no-untyped-def]
        raise TypeError("not serialisable")

    with pytest.raises(TypeError, match="not serialisable"):  # a bug is not swallowed
        keep(target, bug)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["value.bin"]
