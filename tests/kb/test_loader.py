"""Loading and validating the canonical KB: all or nothing, every problem located."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consistency.kb import KnowledgeBase, KnowledgeBaseError

from ..conftest import DATA, SAMPLE_KB

BROKEN = DATA / "kb_bad" / "broken.yaml"


def _write(tmp_path: Path, text: str, name: str = "kb.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_sample_kb_loads_with_policy_versions(sample_kb: KnowledgeBase) -> None:
    assert len(sample_kb) >= 40
    topics = {e.source_file for e in sample_kb.entries}
    assert len(topics) >= 6
    versioned = [i for i in sample_kb.ids if len(sample_kb.versions(i)) > 1]
    assert len(versioned) >= 2
    assert all(len(e.questions) >= 3 for e in sample_kb.entries)


def test_entry_on_date_picks_the_version_valid_that_day(sample_kb: KnowledgeBase) -> None:
    entry_id = next(i for i in sample_kb.ids if len(sample_kb.versions(i)) > 1)
    old, new = sample_kb.versions(entry_id)[:2]
    assert old.valid_to is not None and new.valid_from is not None
    assert sample_kb.entry(entry_id, on=old.valid_to) == old
    assert sample_kb.entry(entry_id, on=new.valid_from) == new
    assert sample_kb.entry(entry_id) == sample_kb.versions(entry_id)[-1]


def test_unknown_id_raises_key_error(sample_kb: KnowledgeBase) -> None:
    with pytest.raises(KeyError, match="no KB entry 'nope'"):
        sample_kb.entry("nope")


def test_every_problem_is_reported_with_file_line_entry_and_field() -> None:
    with pytest.raises(KnowledgeBaseError) as info:
        KnowledgeBase.load(BROKEN)
    found = {(p["entry_id"], p["loc"], p["type"], p["line"]) for p in info.value.errors()}
    assert ("delivery-fee", ("questions",), "empty", 13) in found
    assert ("delivery-fee", ("answer",), "missing", 12) in found
    assert ("delivery-fee", ("answr",), "unknown-field", 14) in found
    assert ("delivery-fee", ("valid_from",), "date", 15) in found
    assert ("bad-order", ("valid_to",), "date-order", 21) in found
    assert ("returns-window", ("id",), "duplicate-id", 7) in found
    assert any(p["type"] == "not-a-mapping" and p["entry_index"] == 4 for p in info.value.errors())
    text = str(info.value)
    assert text.splitlines()[0] == f"7 errors in {BROKEN}"
    assert f"{BROKEN}:15 entry 2 'delivery-fee' valid_from: must be a date YYYY-MM-DD" in text
    assert "[type=date, input='2026-13-01']" in text


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "- id: a\n  questions: [unclosed\n  answer: x\n")
    with pytest.raises(KnowledgeBaseError) as info:
        KnowledgeBase.load(path)
    (problem,) = info.value.problems
    assert problem.type == "yaml-syntax" and problem.line is not None


def test_a_bad_file_refuses_the_whole_kb(tmp_path: Path) -> None:
    _write(tmp_path, "- id: a\n  questions: [q]\n  answer: fine\n", "a.yaml")
    _write(tmp_path, "- id: b\n  answer: no questions\n", "b.yaml")
    with pytest.raises(KnowledgeBaseError) as info:
        KnowledgeBase.load(tmp_path)
    assert [p.file for p in info.value.problems] == [str(tmp_path / "b.yaml")]


def test_non_overlapping_versions_are_a_policy_change(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "- id: fee\n  questions: ['fee?']\n  answer: £3.99\n  valid_to: 2026-06-30\n"
        "- id: fee\n  questions: ['fee?']\n  answer: £4.99\n  valid_from: 2026-07-01\n",
    )
    kb = KnowledgeBase.load(path)
    assert len(kb) == 1
    assert kb.entry("fee", on=dt.date(2026, 6, 30)).answer == "£3.99"
    assert kb.entry("fee", on=dt.date(2026, 7, 1)).answer == "£4.99"


def test_day_not_covered_by_any_version_gives_none(tmp_path: Path) -> None:
    kb = KnowledgeBase.from_entries(
        [{"id": "x", "questions": ["q"], "answer": "a", "valid_from": "2026-02-01"}]
    )
    assert kb.entry("x", on=dt.date(2026, 1, 1)) is None


def test_from_entries_validates_like_files() -> None:
    with pytest.raises(KnowledgeBaseError) as info:
        KnowledgeBase.from_entries([{"id": "x", "questions": "not a list", "answer": "a"}])
    (problem,) = info.value.problems
    assert (problem.file, problem.loc, problem.type) == ("<memory>", ("questions",), "type")


def test_json_kb_files_are_read(tmp_path: Path) -> None:
    _write(tmp_path, '[{"id": "j", "questions": ["q"], "answer": "a"}]', "kb.json")
    assert KnowledgeBase.load(tmp_path).ids == ("j",)


def test_missing_path_and_empty_dir(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match="no such file"):
        KnowledgeBase.load(tmp_path / "nope")
    with pytest.raises(KnowledgeBaseError, match=r"no \*\.yaml"):
        KnowledgeBase.load(tmp_path)


def test_content_hash_changes_with_content_only(tmp_path: Path) -> None:
    entry = {"id": "x", "questions": ["q"], "answer": "a"}
    a = KnowledgeBase.from_entries([entry])
    b = KnowledgeBase.from_entries([entry], source="elsewhere")
    c = KnowledgeBase.from_entries([{**entry, "answer": "b"}])
    assert a.content_hash == b.content_hash != c.content_hash


def test_sample_kb_is_its_own_format_reference() -> None:
    texts = [p.read_text() for p in SAMPLE_KB.glob("*.yaml")]
    assert any(t.lstrip().startswith("#") and "valid_from" in t.split("- id")[0] for t in texts)


_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=20), st.dates().map(str)
)
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
_entries = st.fixed_dictionaries(
    {},
    optional={
        "id": _values,
        "questions": _values,
        "answer": _values,
        "topic": _values,
        "tags": _values,
        "valid_from": _values,
        "valid_to": _values,
    },
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_entries | _values, max_size=4))
def test_loader_never_crashes_on_yaml_like_input(tmp_path: Path, data: object) -> None:
    path = _write(tmp_path, yaml.safe_dump(data, allow_unicode=True))
    try:
        kb = KnowledgeBase.load(path)
    except KnowledgeBaseError as exc:
        assert exc.problems and all(p.msg for p in exc.problems)
    else:
        assert len(kb) >= 1


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=200))
def test_loader_never_crashes_on_arbitrary_text(tmp_path: Path, text: str) -> None:
    path = _write(tmp_path, text)
    try:
        KnowledgeBase.load(path)
    except KnowledgeBaseError as exc:
        assert exc.problems
