"""A condition the KB never sets, or one swapped for the KB's own (restricted.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.compare.restricted import restriction_conflicts

COMPENSATION = (
    "If we haven't sorted your fault within 20 working days, we'll pay you £30 compensation."
)
LEAVE = (
    "You can only end a fixed-term contract early if the landlord agrees to release you. "
    "If they do, you pay rent until a new tenant moves in."
)


def test_a_restriction_on_something_the_kb_never_asks_for() -> None:
    a = "We'll pay you £30 compensation, but only if you make a formal written complaint."
    (c,) = restriction_conflicts(a, COMPENSATION)
    assert c.kind == "condition" and c.answer_value.startswith("only if you make")


def test_the_kbs_condition_swapped_for_another() -> None:
    a = "Yes, you can end it early as long as you find a replacement tenant yourself."
    (c,) = restriction_conflicts(a, LEAVE)
    assert c.kind == "condition"
    assert c.answer_value == "as long as you find a replacement tenant yourself"
    assert c.kb_value.startswith("You can only end a fixed-term contract early if")


@pytest.mark.parametrize(
    "answer",
    [
        # the KB's own condition, said again in its words
        "Yes, you can end it early as long as the landlord agrees to release you.",
        # a soft condition where the KB sets none on that claim: helpful detail
        "Pay rent until a new tenant moves in, as long as the flat is being advertised properly.",
        # what the customer wants is no condition the policy sets
        "You can end it early as long as you ask and the landlord agrees to release you.",
    ],
)
def test_no_swap(answer: str) -> None:
    assert restriction_conflicts(answer, LEAVE) == []


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_never_raises_on_any_text(text: str) -> None:
    for c in restriction_conflicts(text, LEAVE) + restriction_conflicts(LEAVE, text):
        assert c.kind == "condition"
