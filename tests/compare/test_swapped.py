"""Two outcomes with their conditions swapped (invented sentences)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.compare import compare_answer
from consistency.compare.swapped import swapped_conflicts
from tests.timing import per_char

SURVEY = (
    "The damp survey is free if we find damp; if the walls turn out to be dry, there's a "
    "charge of £80."
)
REPAIR = (
    "If your boiler has stopped heating completely, an engineer visits within 2 days; for "
    "partial faults it's within 7 days."
)


@pytest.mark.parametrize(
    ("answer", "kb", "said", "kb_said"),
    [
        ("The damp survey is free if the walls turn out to be dry; if we find damp, it's £80.",
         SURVEY, "if the walls turn out to be dry", "if we find damp"),
        ("For partial faults an engineer visits within 2 days.", REPAIR,
         "For partial faults", "If your boiler has stopped heating completely"),
    ],
)  # fmt: skip
def test_a_value_under_another_values_condition_is_a_condition_conflict(
    answer: str, kb: str, said: str, kb_said: str
) -> None:
    conflicts = swapped_conflicts(answer, kb, entry_id="e")
    assert [(c.kind, c.answer_value, c.kb_value) for c in conflicts] == [
        ("condition", said, kb_said)
    ]
    c = conflicts[0]
    assert answer[c.answer_span[0] : c.answer_span[1]] == said
    assert kb[c.kb_span[0] : c.kb_span[1]] == kb_said
    assert "(e)" in c.explanation and f'"{said}"' in c.explanation
    assert compare_answer(answer, kb, entry_id="e").status == "contradiction"


@pytest.mark.parametrize(
    ("answer", "kb"),
    [
        # the KB's own pairing, in other words
        ("If we find damp the survey costs nothing; if the walls are dry it's £80.", SURVEY),
        ("For partial faults it's within 7 days, and 2 days if the boiler has stopped.", REPAIR),
        # a negated condition, and a condition the KB does not set apart
        ("The survey is free if the walls aren't dry.", SURVEY),
        ("The damp survey is free if you book online.", SURVEY),
        # one value only in the KB
        ("It's free if the walls are dry.", "The damp survey is free if the walls are dry."),
    ],
)
def test_no_swapped_conditions(answer: str, kb: str) -> None:
    assert swapped_conflicts(answer, kb, entry_id="e") == []


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_never_crashes_and_spans_index_the_texts(answer: str) -> None:
    for c in swapped_conflicts(answer, SURVEY):
        assert answer[c.answer_span[0] : c.answer_span[1]] == c.answer_value
        assert SURVEY[c.kb_span[0] : c.kb_span[1]] == c.kb_value


def test_time_is_linear_in_the_answer() -> None:
    answer = "It is free if we find damp; if the walls are dry there's a charge of £80. "
    assert swapped_conflicts(answer * 3, SURVEY) == []
    rate = [per_char(lambda t: swapped_conflicts(t, SURVEY), answer * n) for n in (20, 400)]
    assert rate[1] < rate[0] * 4
