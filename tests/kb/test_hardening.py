"""The KB loader refuses what would fail later: unencodable text, alias bombs, bad ids."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from consistency.kb import KnowledgeBase, KnowledgeBaseError


def _refused(path: Path) -> KnowledgeBaseError:
    with pytest.raises(KnowledgeBaseError) as info:
        KnowledgeBase.load(path, cache=False)
    return info.value


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        ({"id": "a", "questions": ["how long \ud800?"], "answer": "28 days."}, "questions"),
        ({"id": "a", "questions": ["how long?"], "answer": "28 days \udfff."}, "answer"),
        ({"id": "a-\ud800", "questions": ["how long?"], "answer": "28 days."}, "id"),
    ],
)
def test_json_kb_with_a_lone_surrogate_is_refused(tmp_path: Path, entry: dict, field: str) -> None:
    good = {"id": "b", "questions": ["where is my order?"], "answer": "2 days."}
    (tmp_path / "kb.json").write_text(json.dumps([good, entry]))
    (problem,) = _refused(tmp_path).problems
    assert (problem.type, problem.loc, problem.entry_index) == ("bad-text", (field,), 1)
    assert "lone surrogate" in problem.msg
    str(problem).encode("utf-8")
    problem.model_dump_json().encode("utf-8")
