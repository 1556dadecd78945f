"""Only a part of what the KB gives (invented sentences)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.compare import compare_answer
from consistency.compare.narrowed import narrowed_conflicts
from tests.timing import per_char

BREAKDOWN = "Key cover is included with Standard and Standard Plus and pays up to £800 a claim."
LOCKERS = "Every Fernway station has a parcel locker, and every branch has a free water fountain."
REFUNDS = "Refunds can go back to your bank card or a gift card."
VOUCHERS = "Vouchers can be used online and in any branch, but not for delivery charges."
POSTAGE = "If your parcel or letter goes missing, we refund the postage in full."


@pytest.mark.parametrize(
    ("answer", "kb", "said"),
    [
        ("Key cover only comes with Standard Plus, so it isn't included on Standard.", BREAKDOWN,
         "only comes with Standard Plus"),
        ("Only our bigger stations have a parcel locker at the moment.", LOCKERS,
         "Only our bigger stations"),
        ("Refunds go back to your bank card only.", REFUNDS,
         "to your bank card only"),
        # "only be used ..." narrows as "only used ..." does
        ("Vouchers can only be used online, not in branches.", VOUCHERS,
         "only be used online"),
        # a KB condition that names the options gives the claim to each of them
        ("The postage refund only applies to parcels, not letters.", POSTAGE,
         "only applies to parcels"),
    ],
)  # fmt: skip
def test_only_a_part_of_what_the_kb_gives_is_a_scope_conflict(
    answer: str, kb: str, said: str
) -> None:
    conflicts = narrowed_conflicts(answer, kb, entry_id="e")
    assert [(c.kind, c.answer_value) for c in conflicts] == [("scope", said)]
    c = conflicts[0]
    assert answer[c.answer_span[0] : c.answer_span[1]] == said
    assert kb[c.kb_span[0] : c.kb_span[1]] == c.kb_text
    assert "(e)" in c.explanation
    assert compare_answer(answer, kb, entry_id="e").status == "contradiction"


@pytest.mark.parametrize(
    ("answer", "kb"),
    [
        # every option the KB gives, named
        ("Key cover only comes with Standard and Standard Plus.", BREAKDOWN),
        # the option left out is talked about, affirmed
        ("Refunds go to your bank card only, or a gift card if you'd rather.", REFUNDS),
        # amounts, times, conditions and requirements are not scopes
        ("Key cover is only £800 a claim on Standard.", BREAKDOWN),
        ("The locker is only open for an hour.", LOCKERS),
        ("Refunds only go back once we've checked the item.", REFUNDS),
        # the KB restricts the claim itself
        ("Refunds only go to the card you paid with.",
         "Refunds go to the card you paid with or a gift card, if you paid in store."),
        # nothing in common with the KB's claim
        ("Only our bigger stations sell coffee.", LOCKERS),
    ],
)  # fmt: skip
def test_no_narrowing(answer: str, kb: str) -> None:
    assert narrowed_conflicts(answer, kb, entry_id="e") == []


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_never_crashes_and_spans_index_the_texts(answer: str) -> None:
    text = answer + " only for Standard"
    for c in narrowed_conflicts(text, BREAKDOWN):
        assert text[c.answer_span[0] : c.answer_span[1]] == c.answer_value


def test_time_is_linear_in_the_answer() -> None:
    answer = "Key cover only comes with the best plans, and lockers only at big stations. "
    assert narrowed_conflicts(answer * 3, REFUNDS) == []
    rate = [per_char(lambda t: narrowed_conflicts(t, REFUNDS), answer * n) for n in (20, 400)]
    assert rate[1] < rate[0] * 4
