"""Every public model is frozen and survives a JSON round trip unchanged."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from consistency.models import (
    Comparison,
    Conflict,
    Exchange,
    Fact,
    KBEntry,
    Match,
    MatchComponents,
    Verdict,
)

_text = st.text(max_size=30)
_span = st.tuples(st.integers(0, 500), st.integers(0, 500)).map(lambda t: (min(t), max(t)))
_unit = st.floats(0, 1, allow_nan=False)

_value_by_kind = {
    "money": st.decimals(0, 10**6, places=2, allow_nan=False, allow_infinity=False),
    "duration": st.decimals(0, 10**4, places=1, allow_nan=False, allow_infinity=False),
    "date": st.dates(),
    "polarity": st.booleans(),
    "phone": st.from_regex(r"\+44[0-9]{10}", fullmatch=True),
    "time": _text,
}
_facts = st.sampled_from(sorted(_value_by_kind)).flatmap(
    lambda kind: st.builds(
        Fact,
        kind=st.just(kind),
        value=_value_by_kind[kind],
        unit=st.none() | st.sampled_from(["GBP", "day", "business_day"]),
        span=_span,
        text=_text,
        qualifiers=st.lists(_text, max_size=2).map(tuple),
        subject=st.none() | _text,
        upper=st.none() | _value_by_kind[kind],
    )
)
_matches = st.builds(
    Match,
    entry_id=st.text(min_size=1, max_size=10),
    score=_unit,
    matched_question=_text,
    components=st.builds(MatchComponents, embedding=_unit, fuzzy=_unit),
)
_conflicts = st.builds(
    Conflict,
    kind=st.sampled_from(["money", "duration", "condition"]),
    answer_value=_text,
    kb_value=_text,
    answer_span=st.none() | _span,
    kb_span=st.none() | _span,
    answer_text=_text,
    kb_text=_text,
)
_entries = st.builds(
    KBEntry,
    id=st.text(min_size=1, max_size=10),
    questions=st.lists(_text, min_size=1, max_size=3).map(tuple),
    answer=st.text(min_size=1, max_size=40),
    valid_from=st.none() | st.dates(),
)
_verdicts = st.builds(
    Verdict,
    status=st.sampled_from(["consistent", "contradiction", "no_match", "unverified"]),
    entry_id=st.none() | _text,
    score=_unit,
    conflicts=st.lists(_conflicts, max_size=2).map(tuple),
    matches=st.lists(_matches, max_size=2).map(tuple),
    supported=st.lists(_facts, max_size=2).map(tuple),
    on=st.none() | st.dates(),
)
_exchanges = st.builds(
    Exchange,
    transcript_id=_text,
    question=_text,
    answer=_text,
    question_turns=st.lists(st.integers(0, 50), max_size=3).map(tuple),
    answer_turns=st.lists(st.integers(0, 50), max_size=3).map(tuple),
    started_at=st.none() | st.datetimes(timezones=st.just(dt.UTC)),
)
_comparisons = st.builds(
    Comparison,
    status=st.sampled_from(["consistent", "contradiction", "unverified"]),
    conflicts=st.lists(_conflicts, max_size=2).map(tuple),
    unverified_facts=st.lists(_facts, max_size=2).map(tuple),
)


@settings(max_examples=60)
@given(st.one_of(_facts, _matches, _conflicts, _entries, _verdicts, _exchanges, _comparisons))
def test_json_round_trip(model: object) -> None:
    cls = type(model)
    assert cls.model_validate_json(model.model_dump_json()) == model  # type: ignore[attr-defined]


def test_fact_value_is_typed_by_kind() -> None:
    fact = Fact(kind="money", value="5.00", unit="GBP", span=(0, 2), text="£5")
    assert fact.value == Decimal("5.00") and isinstance(fact.value, Decimal)
    day = Fact(kind="date", value="2026-12-23", span=(0, 3), text="x")
    assert day.value == dt.date(2026, 12, 23)


def test_models_are_frozen_and_reject_unknown_fields() -> None:
    fact = Fact(kind="count", value=3, span=(0, 1), text="3")
    with pytest.raises(ValidationError):
        fact.kind = "money"  # type: ignore[misc]
    with pytest.raises(ValidationError, match="extra"):
        Fact(kind="count", value=3, span=(0, 1), text="3", colour="red")  # type: ignore[call-arg]


def test_spans_must_be_ordered() -> None:
    with pytest.raises(ValidationError, match="span"):
        Fact(kind="count", value=3, span=(4, 1), text="3")


def test_exchange_locates_offsets_in_turns() -> None:
    ex = Exchange(
        transcript_id="t",
        question="q",
        answer="hello there it is 30 days",
        question_turns=(0,),
        answer_turns=(1, 3),
        answer_offsets=(0, 12),
    )
    assert ex.locate(3) == (1, 3)
    assert ex.locate(18) == (3, 6)


def test_kb_entry_validity() -> None:
    entry = KBEntry(
        id="x",
        questions=("q",),
        answer="a",
        valid_from=dt.date(2026, 1, 1),
        valid_to=dt.date(2026, 6, 30),
    )
    assert entry.valid_on(dt.date(2026, 6, 30)) and not entry.valid_on(dt.date(2026, 7, 1))
    assert entry.valid_on(None)


def test_fact_display_renders_through_the_facts_stage_without_the_models_importing_it() -> None:
    """The contracts import nothing above them; ``Fact.display`` still words a fact as the
    facts stage does, in a process that has not loaded that stage yet (a verdict from JSON)."""
    import subprocess
    import sys

    code = (
        "import sys; from consistency.models import Fact; "
        "loaded = 'consistency.facts' in sys.modules; "
        "f = Fact(kind='duration', value=14, unit='day', span=(0, 7), text='fourteen days'); "
        "print(loaded, f.display, Fact(kind='x', value=3, unit='u', span=(0, 1), text='3').display)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False 14 days 3 u"
