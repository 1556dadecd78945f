"""An answer that affirms what the KB rules out by name (invented sentences)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.compare import compare_answer
from consistency.compare.ruled_out import ruled_out_conflicts
from tests.timing import per_char

BILL = "The winter rebate is £90 off your water bill each year, not your sewerage bill."
FITTERS = "Every fitting is done by our own trained fitters, never a contractor."
BOOKS = "Loans are issued by the Riverside Library, not by Hollow Lane Books."
TEST = "Run the line check on a laptop plugged into the router with a cable, not over Wi-Fi."
GOODWILL = "Any goodwill payment is made by bank transfer rather than as store credit."


@pytest.mark.parametrize(
    ("answer", "kb", "said", "denied"),
    [
        ("You get £90 off your sewerage bill each year.", BILL, "sewerage bill",
         "not your sewerage bill"),
        ("It'll be one of our approved contractor partners who fits it.", FITTERS, "contractor",
         "never a contractor"),
        ("You can borrow them at any Hollow Lane Books shop.", BOOKS, "Hollow Lane Books",
         "not by Hollow Lane Books"),
        ("Run the line check on your phone next to the router on Wi-Fi.", TEST, "Wi-Fi",
         "not over Wi-Fi"),
        ("We'll add it to your account as store credit.", GOODWILL, "store credit",
         "rather than as store credit"),
        ("Yes, the loyalty card is a store credit account you pay off monthly.",
         "Our loyalty card isn't a credit account; you top it up in store.", "credit account",
         "isn't a credit account"),
        ("Sure, just send the form by fax and we'll book you in.",
         "Send the booking form by post. We can't take bookings by fax.", "fax",
         "can't take bookings by fax"),
    ],
)  # fmt: skip
def test_affirming_what_the_kb_rules_out_is_a_conflict(
    answer: str, kb: str, said: str, denied: str
) -> None:
    conflicts = ruled_out_conflicts(answer, kb, entry_id="e")
    assert [(c.kind, c.answer_value, c.kb_value) for c in conflicts] == [
        ("categorical", said, denied)
    ]
    c = conflicts[0]
    assert answer[c.answer_span[0] : c.answer_span[1]] == said
    assert kb[c.kb_span[0] : c.kb_span[1]] == denied
    assert denied in c.explanation and "(e)" in c.explanation
    assert compare_answer(answer, kb, entry_id="e").status == "contradiction"


@pytest.mark.parametrize(
    ("answer", "kb"),
    [
        # the KB's own alternative
        ("You get £90 off your water bill every year.", BILL),
        # the answer rules it out too, in its own words
        ("A Wi-Fi result can't be used, so run it on a laptop with a cable.", TEST),
        ("It comes off the water bill - the sewerage bill stays the same, no change there.", BILL),
        ("We pay it by bank transfer rather than store credit.", GOODWILL),
        ("It's paid by bank transfer, instead of as store credit.", GOODWILL),
        # words the KB says of itself too: "bill" is the KB's, only "sewerage" is ruled out
        ("It's £90 off your bill.", BILL),
        # a phrase whose every word the KB also affirms is no ruled-out alternative
        ("Loans come from the library.", "Loans come from the library, not the library van."),
        # a verb's denial names a way only after by, over, via or through
        ("A missed payment is shown on your statement.",
         "We don't charge a fee for a missed payment. Your statement lists payments."),
        # nothing ruled out by name
        ("Any contractor can fit it.", "Fittings take two hours."),
    ],
)  # fmt: skip
def test_nothing_ruled_out_is_said(answer: str, kb: str) -> None:
    assert ruled_out_conflicts(answer, kb, entry_id="e") == []


def test_a_span_an_earlier_check_took_is_left_alone() -> None:
    answer = "You get £90 off your sewerage bill each year."
    start = answer.index("sewerage")
    assert ruled_out_conflicts(answer, BILL, taken=[(start, start + 8)]) == []


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200), st.text(max_size=120))
def test_never_crashes_and_spans_index_the_texts(answer: str, kb: str) -> None:
    text = answer + " on your sewerage bill"
    canonical = kb + " " + BILL
    for c in ruled_out_conflicts(text, canonical):
        assert text[c.answer_span[0] : c.answer_span[1]] == c.answer_value
        assert canonical[c.kb_span[0] : c.kb_span[1]] == c.kb_value


def test_time_is_linear_in_the_answer() -> None:
    answer = "You get £90 off your water bill, paid each spring by our fitters. "
    assert ruled_out_conflicts(answer * 3, BILL) == []
    rate = [per_char(lambda t: ruled_out_conflicts(t, BILL), answer * n) for n in (20, 400)]
    assert rate[1] < rate[0] * 4
