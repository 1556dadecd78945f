"""Two steps in the other order, however each text says the order (invented sentences)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.compare import compare_answer
from consistency.compare.sequence import sequence_conflicts
from tests.timing import per_char

GRANT = "We apply for the grant after your survey, and we only book the fitting once the voucher is issued."
THEFT = "If your bike is stolen, report it to the police straight away, then call our claims line."
SURVEY = "We'll carry out a survey of your garden before booking the landscaping."
TEST = "You'll need a hearing test less than a year old before the fitting."


@pytest.mark.parametrize(
    ("answer", "kb"),
    [
        # "A first and then B" against "B once A"
        ("No, we book the fitting first and then get the voucher afterwards.", GRANT),
        # "A first, then B" against "B, then A"
        ("Call our claims line first so we can start, then report it to the police.", THEFT),
        # "A first, and B" against "B before A"
        ("We'll book the landscaping first, and our designer surveys the garden on the day.",
         SURVEY),
        # "A first ... B afterwards" against "B before A"
        ("We can do the fitting first and you can get your hearing test done afterwards.", TEST),
    ],
)  # fmt: skip
def test_steps_in_the_other_order_are_an_ordinal_conflict(answer: str, kb: str) -> None:
    conflicts = sequence_conflicts(answer, kb, entry_id="e")
    assert [c.kind for c in conflicts] == ["ordinal"]
    c = conflicts[0]
    assert answer[c.answer_span[0] : c.answer_span[1]] == c.answer_value
    assert kb[c.kb_span[0] : c.kb_span[1]] == c.kb_value
    assert c.explanation.startswith('The KB (e) says "')
    assert compare_answer(answer, kb, entry_id="e").status == "contradiction"


@pytest.mark.parametrize(
    ("answer", "kb"),
    [
        # the same order in other words
        ("Report it to the police first, and then ring our claims line.", THEFT),
        ("Once the voucher is issued, we book the fitting.", GRANT),
        # "after that" is the previous sentence, "the day before" a day
        ("Call the police. After that, call our claims line.", THEFT),
        ("You can use it the day before the survey.", SURVEY),
        # "after the first" is a position, "the first" no step marker
        ("Every extra SIM after the first is 20% off.",
         "Every extra SIM after the first gets 20% off."),
        # a negated step orders nothing
        ("We don't book the fitting before the voucher is issued.", GRANT),
        # steps the KB never orders
        ("Pay the deposit first, then choose your tiles.", SURVEY),
    ],
)  # fmt: skip
def test_no_steps_reversed(answer: str, kb: str) -> None:
    assert sequence_conflicts(answer, kb, entry_id="e") == []


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_never_crashes_and_spans_index_the_texts(text: str) -> None:
    answer = text + " We book the fitting first, then get the voucher."
    for c in sequence_conflicts(answer, GRANT):
        assert answer[c.answer_span[0] : c.answer_span[1]] == c.answer_value


def test_time_is_linear_in_the_answer() -> None:
    answer = "Pay the deposit first, then choose your tiles, and after that we call you. "
    assert sequence_conflicts(answer * 3, GRANT) == []
    rate = [per_char(lambda t: sequence_conflicts(t, GRANT), answer * n) for n in (20, 400)]
    assert rate[1] < rate[0] * 4


def test_first_after_a_possessive_is_no_step() -> None:
    kb = "You get £10 of account credit, which is added once their order has been delivered."
    a = "Your £10 credit is added once her first order has been delivered, so it's on now."
    assert sequence_conflicts(a, kb) == []


def test_a_condition_before_the_first_step_is_not_part_of_it() -> None:
    kb = "If the code hasn't come, check your spam folder first, then look under My Orders."
    a = "First look under My Orders to see if it's there, then check your spam folder."
    (c,) = sequence_conflicts(a, kb)
    assert c.kind == "ordinal" and "spam folder first" in c.kb_value


def test_steps_said_as_sentences_of_their_own() -> None:
    kb = "First, book a survey at example.co.uk/survey. Then send us your deposit by card."
    a = "Send us your deposit by card first, and once it's in we'll book a survey for you."
    (c,) = sequence_conflicts(a, kb)
    assert c.kind == "ordinal"
    same = "Book a survey at example.co.uk/survey first, then send us your deposit by card."
    assert sequence_conflicts(same, kb) == []
