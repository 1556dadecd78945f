"""Whatever the price against a KB that draws a line on the price (invented sentences)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.compare import compare_answer
from consistency.compare.threshold import threshold_conflicts
from tests.timing import per_char

GUARD = (
    "Screen guard cover is included free with phones costing £300 or more and lasts a year; "
    "for cheaper phones you can add it for £20."
)
FRIDGE = (
    "We replace a fridge that stops working, up to £400. We don't replace fridges that are "
    "more than 8 years old."
)
CREDIT = "When your balance falls below £2, you can add £5 of emergency credit in the app."
SCOOTER = "Scooters up to 25kg can be carried on board, folded."


@pytest.mark.parametrize(
    ("answer", "kb", "said", "kb_said"),
    [
        ("Screen guard cover is included free with every phone, whatever the price.", GUARD,
         "whatever the price", "costing £300 or more"),
        ("We'll replace a fridge that stops working, however old it is.", FRIDGE,
         "however old", "more than 8 years old"),
        ("You can add £5 of emergency credit in the app whatever your balance.", CREDIT,
         "whatever your balance", "below £2"),
        ("Scooters of any size can be carried on board as long as they fold.", SCOOTER,
         "of any size", "up to 25kg"),
    ],
)  # fmt: skip
def test_whatever_the_value_drops_the_kbs_line(
    answer: str, kb: str, said: str, kb_said: str
) -> None:
    conflicts = threshold_conflicts(answer, kb, entry_id="e")
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
        # the answer draws its own line, or says no
        ("Fridges of any age up to 8 years are replaced.", FRIDGE),
        ("It's not free whatever the price, only from £300.", GUARD),
        ("If it's any size over 25kg it can't come on board.", SCOOTER),
        # the KB says it too
        ("Delivery is free whatever the price.", "Delivery is free whatever the price of the order."),
        # the KB draws no line on that dimension
        ("We replace fridges whatever the price.", FRIDGE.replace("up to £400", "in full")),
        ("You can add credit however old the meter is.", CREDIT),
        # nothing else in common with the KB's line
        ("Our stores are open to customers of any age.", FRIDGE),
    ],
)  # fmt: skip
def test_no_threshold_conflict(answer: str, kb: str) -> None:
    assert threshold_conflicts(answer, kb, entry_id="e") == []


def test_no_before_a_comma_answers_the_question_and_negates_nothing() -> None:
    kb = "Kerbside delivery costs £25, and it's free when your order is over £500."
    conflicts = threshold_conflicts("No, kerbside delivery is free on all orders.", kb)
    assert [(c.answer_value, c.kb_value) for c in conflicts] == [("on all orders", "over £500")]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.sampled_from([GUARD, FRIDGE, CREDIT, SCOOTER]))
def test_never_crashes_and_spans_index_the_texts(answer: str, kb: str) -> None:
    for c in threshold_conflicts(answer + " whatever the price, however old", kb):
        text = answer + " whatever the price, however old"
        assert text[c.answer_span[0] : c.answer_span[1]] == c.answer_value
        assert kb[c.kb_span[0] : c.kb_span[1]] == c.kb_value


def test_time_is_linear_in_the_answer() -> None:
    # nothing in common with the KB's line: every phrase is read, none is reported
    answer = "kettles are sold whatever the price, and toasters of any age, here. "
    assert threshold_conflicts(answer * 3, GUARD) == []
    rate = [per_char(lambda t: threshold_conflicts(t, GUARD), answer * n) for n in (100, 2000)]
    assert rate[1] < rate[0] * 4
