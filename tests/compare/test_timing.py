"""Before against after on the same event (invented sentences)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.compare import compare_answer
from consistency.compare.timing import timing_conflicts
from tests.timing import per_char

GRANT = "We apply for the grant after your survey, and the voucher usually takes 2 weeks."
REMINDER = "A boiler service costs £90, and we send you a reminder 30 days before it's due."
STRIKE = (
    "If your ticket is for a strike day, you can use it on the day before the strike or on "
    "any day up to the second day after it."
)
PAYOUT = "Excess cover costs £30 a year. It pays out once your main claim has been settled."


@pytest.mark.parametrize(
    ("answer", "kb", "said", "kb_said"),
    [
        ("We apply for the grant before the survey.", GRANT, "before the survey",
         "after your survey"),
        ("We send a reminder 30 days after the service due date.", REMINDER,
         "after the service due date", "before it's due"),
        # the event said so fully that the step may be said in other words
        ("It refunds your excess before the main claim is settled.", PAYOUT,
         "before the main claim is settled", "once your main claim has been settled"),
    ],
)  # fmt: skip
def test_the_other_side_of_the_same_event_is_an_ordinal_conflict(
    answer: str, kb: str, said: str, kb_said: str
) -> None:
    conflicts = timing_conflicts(answer, kb, entry_id="e")
    assert [(c.kind, c.answer_value, c.kb_value) for c in conflicts] == [("ordinal", said, kb_said)]
    c = conflicts[0]
    assert answer[c.answer_span[0] : c.answer_span[1]] == said
    assert kb[c.kb_span[0] : c.kb_span[1]] == kb_said
    assert compare_answer(answer, kb, entry_id="e").status == "contradiction"


@pytest.mark.parametrize(
    ("answer", "kb"),
    [
        ("We apply for the grant after the survey.", GRANT),
        # the KB says both sides of the event ("after it" is after the strike)
        ("You can use it on the day after the strike instead.", STRIKE),
        # a negation says the KB's side
        ("We can't apply for the grant before your survey.", GRANT),
        # another event, or a step with nothing in common
        ("We apply for the grant after your first call.", GRANT),
        ("Pop the kettle on before the survey.", GRANT),
        # "look after", "once a year", clock times
        ("We look after the survey paperwork for you.", GRANT),
        ("We send a reminder once a year, before 9am.", REMINDER),
    ],
)
def test_no_timing_conflict(answer: str, kb: str) -> None:
    assert timing_conflicts(answer, kb, entry_id="e") == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.text(max_size=300))
def test_never_crashes_and_spans_index_the_texts(answer: str, kb: str) -> None:
    for c in timing_conflicts(answer, kb):
        assert answer[c.answer_span[0] : c.answer_span[1]] == c.answer_value
        assert kb[c.kb_span[0] : c.kb_span[1]] == c.kb_value


def test_time_is_linear_in_the_answer() -> None:
    answer = "we apply before the survey and after the visit, once it's done, "
    per_char(lambda t: timing_conflicts(t, GRANT), answer * 5)
    rate = [per_char(lambda t: timing_conflicts(t, GRANT), answer * n) for n in (100, 2000)]
    assert rate[1] < rate[0] * 4


def test_the_same_step_at_the_other_end_of_one_thing() -> None:
    kb = "You can pay by card or app. We take payment when the class ends."
    (c,) = timing_conflicts("We take payment as soon as you start the class.", kb)
    assert (c.kind, c.answer_value, c.kb_value) == (
        "ordinal",
        "as soon as you start the class",
        "when the class ends",
    )
    assert timing_conflicts("We take payment once the class has finished.", kb) == []
    # another step at the other end is no conflict: "you can rebook when it starts"
    assert timing_conflicts("You get a reminder as soon as the class starts.", kb) == []


def test_a_step_the_kb_denies_in_its_own_clause_is_left_alone() -> None:
    kb = "The deposit is taken when you book and isn't refunded if you don't come."
    (c,) = timing_conflicts("The deposit is taken when you arrive at the centre.", kb)
    assert c.kb_value == "when you book"
    assert timing_conflicts("The deposit isn't taken when you arrive at the centre.", kb) == []
