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
    (problem,) = [p for p in _refused(tmp_path).problems if p.type == "bad-text"]
    assert (problem.loc, problem.entry_index) == ((field,), 1)
    assert "lone surrogate" in problem.msg
    str(problem).encode("utf-8")
    problem.model_dump_json().encode("utf-8")


def _billion_laughs(levels: int = 10) -> str:
    """The classic alias bomb: each level nine aliases of the one before (9**10 values)."""
    lines = ["- id: bomb", "  questions: [how long?]", "  answer: 28 days.", "  x0: &a0 lol"]
    for n in range(1, levels):
        lines.append(f"  x{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]")
    lines.append(f"  tags: *a{levels - 1}")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_with_its_line(tmp_path: Path) -> None:
    import time

    text = _billion_laughs()
    assert len(text.encode()) < 1000
    (tmp_path / "bomb.yaml").write_text(text)
    (tmp_path / "good.yaml").write_text("- id: b\n  questions: [where?]\n  answer: here.\n")
    began = time.perf_counter()
    error = _refused(tmp_path)  # a bad file refuses the whole KB
    assert time.perf_counter() - began < 10  # it took 206 s and a MemoryError
    (problem,) = error.problems
    assert problem.type == "yaml-alias" and problem.file.endswith("bomb.yaml")
    assert problem.line is not None and 5 <= problem.line <= 14  # the anchor that blows up
    assert "alias bomb" in problem.msg


def test_an_alias_that_contains_itself_is_refused(tmp_path: Path) -> None:
    (tmp_path / "kb.yaml").write_text(
        "- id: a\n  questions: [q]\n  answer: 28 days.\n  tags: &t [x, *t]\n"
    )
    (problem,) = _refused(tmp_path).problems
    assert (problem.type, problem.line) == ("yaml-alias", 4)


def test_ordinary_aliases_still_load(tmp_path: Path) -> None:
    (tmp_path / "kb.yaml").write_text(
        "- id: a\n  questions: [q one]\n  answer: 28 days.\n  tags: &shared [returns, policy]\n"
        "- id: b\n  questions: [q two]\n  answer: 14 days.\n  tags: *shared\n"
    )
    kb = KnowledgeBase.load(tmp_path, cache=False)
    assert [e.tags for e in kb.entries] == [("returns", "policy")] * 2


def test_a_large_bad_value_is_described_briefly(tmp_path: Path) -> None:
    nested = [[list(range(1000))] * 50] * 50
    entry = {"id": "a", "questions": ["q"], "answer": "28 days.", "tags": nested}
    (tmp_path / "kb.json").write_text(json.dumps([entry]))
    (problem,) = _refused(tmp_path).problems
    assert problem.loc == ("tags",) and problem.input is not None
    assert len(problem.input) < 1000 and problem.input.startswith("[[[")
