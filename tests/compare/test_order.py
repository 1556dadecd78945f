"""Steps in another order: the answer's first step is one the KB puts later."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.compare import compare_answer
from consistency.compare.order import order_conflicts
from tests.timing import per_char

REPAIR = (
    "For faults we try a repair first, usually with a technician visiting your home. "
    "We replace the item only if it can't be repaired."
)
SEARCH = (
    "We run a soft search first to check eligibility, and a hard credit search only once "
    "you accept the offer."
)


@pytest.mark.parametrize(
    ("answer", "kb"),
    [
        ("We'll replace it first, and only try a repair if a replacement isn't available.", REPAIR),
        ("We run a hard credit search first, then a soft search once you accept.", SEARCH),
        (
            "First you'd go to the council, and if you're still unhappy our Head of Customer "
            "Experience can review it.",
            "First ask for a review by our Head of Customer Experience. If you're still unhappy "
            "after that, you can refer the complaint to the council.",
        ),
        # the later step is said in a clause whose negation is its condition's
        (
            "We'll text you first, and if we still haven't had a reading a week later we'll "
            "send a letter.",
            "We send the reminder by letter first, then by text a week later if we still "
            "haven't received a reading.",
        ),
    ],
)
def test_the_other_order_is_a_conflict(answer: str, kb: str) -> None:
    conflicts = order_conflicts(answer, kb, entry_id="e1")
    assert [c.kind for c in conflicts] == ["ordinal"]
    c = conflicts[0]
    assert answer[c.answer_span[0] : c.answer_span[1]] == c.answer_value
    assert kb[c.kb_span[0] : c.kb_span[1]] == c.kb_value
    assert c.explanation.startswith('The KB (e1) says "')


@pytest.mark.parametrize(
    ("answer", "kb"),
    [
        # the same order, reworded
        ("We'll always try to repair it first; a replacement only if that can't be done.", REPAIR),
        ("It's a soft search first, then the hard credit check once you accept.", SEARCH),
        # a first step the KB never names is extra detail, not a reversal
        ("First I'll take some photos from you, then we try a repair at your home.", REPAIR),
        # the KB's first step named later, but not as a later step
        (
            "First of all the council's guidance is on our website; our Head of Customer "
            "Experience reviews every complaint.",
            "First ask for a review by our Head of Customer Experience. If you're still unhappy "
            "after that, you can refer the complaint to the council.",
        ),
        # "first thing" and "first name" are no steps
        ("A technician comes first thing to repair it; we replace it only if it can't be.", REPAIR),
    ],
)
def test_the_same_order_or_a_new_step_is_no_conflict(answer: str, kb: str) -> None:
    assert order_conflicts(answer, kb) == []


def test_compare_answer_reports_the_reversal() -> None:
    c = compare_answer("We'll replace it first and only repair it if we can't.", REPAIR)
    assert c.status == "contradiction"
    assert [x.kind for x in c.conflicts] == ["ordinal"]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.text(max_size=300))
def test_never_crashes_and_spans_index_the_texts(answer: str, kb: str) -> None:
    for c in order_conflicts(answer, kb):
        assert c.answer_span is not None and c.kb_span is not None
        assert answer[c.answer_span[0] : c.answer_span[1]] == c.answer_value
        assert kb[c.kb_span[0] : c.kb_span[1]] == c.kb_value


def test_time_grows_linearly_with_the_text() -> None:
    unit = "We try a repair first, then replace it, and then finally we refund you. "

    def rate(n: int) -> float:
        return per_char(lambda t: order_conflicts(t, REPAIR), unit * n)

    rate(5)
    small, large = rate(20), rate(400)
    assert large < small * 4
