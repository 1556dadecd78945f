"""A cleanly loaded KB is kept parsed until one of its files changes; a bad KB never is."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import consistency.kb.knowledge_base as kb_module
from consistency.kb import KnowledgeBase, KnowledgeBaseError

SAMPLE = Path(__file__).resolve().parents[2] / "knowledge_base"


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SAMPLE, tmp_path / "kb"))


def _no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the KB files were parsed again")

    monkeypatch.setattr(kb_module, "parse_file", refuse)


def test_second_load_reads_the_snapshot(
    kb_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    first = KnowledgeBase.load(kb_dir, cache=cache)
    assert len(list(cache.glob("kb-*.json"))) == 1
    _no_parsing(monkeypatch)
    again = KnowledgeBase.load(kb_dir, cache=cache)
    assert again.entries == first.entries
    assert again.content_hash == first.content_hash
    assert again.ids == first.ids
    assert again.entries[0].source_line == first.entries[0].source_line


def test_an_edit_is_read(kb_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    before = KnowledgeBase.load(kb_dir, cache=cache)
    returns = kb_dir / "returns.yaml"
    text = returns.read_text(encoding="utf-8")
    assert "28 days" in text
    returns.write_text(text.replace("28 days", "35 days"), encoding="utf-8")
    stat = returns.stat()
    os.utime(returns, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    after = KnowledgeBase.load(kb_dir, cache=cache)
    assert after.content_hash != before.content_hash
    assert "35 days" in after.entry("returns-window").answer  # type: ignore[union-attr]


def test_a_bad_kb_is_never_kept(kb_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    (kb_dir / "broken.yaml").write_text("- id: x\n  answer: no questions\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(KnowledgeBaseError):
            KnowledgeBase.load(kb_dir, cache=cache)
    assert not cache.exists() or not list(cache.glob("kb-*.json"))


def test_a_corrupt_snapshot_is_ignored(kb_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = KnowledgeBase.load(kb_dir, cache=cache)
    (snapshot,) = cache.glob("kb-*.json")
    snapshot.write_text('{"entries": [{"id": 1', encoding="utf-8")
    assert KnowledgeBase.load(kb_dir, cache=cache).entries == first.entries


def test_cache_off_writes_nothing(
    kb_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONSISTENCY_CACHE_DIR", str(tmp_path / "default"))
    KnowledgeBase.load(kb_dir, cache=False)
    assert not (tmp_path / "default").exists()
    KnowledgeBase.load(kb_dir)
    assert list((tmp_path / "default" / "kb").glob("kb-*.json"))
