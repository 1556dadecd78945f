"""An answer that says a KB requirement is not needed (invented sentences)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.compare import compare_answer
from consistency.compare.required import requirement_conflicts
from tests.timing import per_char

PAUSE = "You can pause your membership for up to 3 months with a note from your doctor."
REFUND = "We refund tickets for a cancelled show as long as you bring the original receipt."
SENIOR = "Riders aged 70 or over travel free once they have registered for a Gold Pass."
ESCORT = "You must come with a friend who can drive you home, and you mustn't cycle for a day."


@pytest.mark.parametrize(
    ("answer", "kb", "said"),
    [
        ("No note needed, just tell us and we'll pause it for up to 3 months.", PAUSE,
         "No note needed"),
        ("We refund tickets for a cancelled show; you don't need the receipt.", REFUND,
         "don't need the receipt"),
        ("Riders over 70 travel free, there's no need to register for anything.", SENIOR,
         "no need to register for anything"),
        ("Riders over 70 travel free; the Gold Pass isn't required.", SENIOR,
         "the Gold Pass isn't required"),
        # the answer's own case, where the KB has none
        ("If you take a taxi you don't need a friend with you, but you mustn't cycle for a day.",
         ESCORT, "don't need a friend with you"),
    ],
)  # fmt: skip
def test_a_requirement_said_not_needed_is_a_condition_conflict(
    answer: str, kb: str, said: str
) -> None:
    conflicts = requirement_conflicts(answer, kb, entry_id="e")
    assert [(c.kind, c.answer_value) for c in conflicts] == [("condition", said)]
    c = conflicts[0]
    assert answer[c.answer_span[0] : c.answer_span[1]] == said
    assert kb[c.kb_span[0] : c.kb_span[1]] == c.kb_text
    assert "requirement" in c.explanation and "(e)" in c.explanation
    assert compare_answer(answer, kb, entry_id="e").status == "contradiction"


@pytest.mark.parametrize(
    ("answer", "kb"),
    [
        # the KB says it is not needed either
        ("You don't need a receipt for a cancelled show.",
         "We refund tickets for a cancelled show without a receipt."),
        ("No booking needed, just come along to the pool.",
         "You don't need to book, just come along to the pool."),
        # the KB gives it as one way of several
        ("You don't need a receipt, we refund tickets for a cancelled show with a bank "
         "statement.",
         "We refund tickets for a cancelled show with a receipt or a bank statement."),
        # the answer's own case, which the KB has cases for
        ("As you're over 70, you don't need a Gold Pass to travel free.",
         "Riders need a Gold Pass to travel free unless they are over 70."),
        # only asked about
        ("Ask the driver whether you need a Gold Pass to travel free.", SENIOR),
        # nothing to do with what the KB requires
        ("You don't need to worry about anything.", PAUSE),
        # a requirement for another claim
        ("You don't need a note to come to the café.", PAUSE),
    ],
)  # fmt: skip
def test_no_requirement_conflict(answer: str, kb: str) -> None:
    assert requirement_conflicts(answer, kb, entry_id="e") == []


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_never_crashes_and_spans_index_the_texts(answer: str) -> None:
    text = answer + " no note needed to pause your membership"
    for c in requirement_conflicts(text, PAUSE):
        assert text[c.answer_span[0] : c.answer_span[1]] == c.answer_value


def test_time_is_linear_in_the_answer() -> None:
    answer = "You don't need to worry, no fuss needed, the kettle isn't required. "
    assert requirement_conflicts(answer * 3, PAUSE) == []
    rate = [per_char(lambda t: requirement_conflicts(t, PAUSE), answer * n) for n in (20, 400)]
    assert rate[1] < rate[0] * 4
