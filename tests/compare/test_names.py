"""Another name in the KB's sentence: a courier, a body, an office swapped for another."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.compare import compare_answer
from consistency.compare.names import name_conflicts
from tests.timing import per_char

KB = (
    "Your Hub comes by Parcelway tracked delivery 1 to 2 working days before your go-live, "
    "and someone needs to sign for it."
)


def test_a_swapped_name_is_a_categorical_conflict_with_both_names() -> None:
    a = "It comes with Swiftdrop tracked delivery 1 to 2 working days before go-live."
    conflicts = name_conflicts(a, KB, entry_id="hub-delivery")
    assert [(c.kind, c.answer_value, c.kb_value) for c in conflicts] == [
        ("categorical", "Swiftdrop", "Parcelway")
    ]
    c = conflicts[0]
    assert a[c.answer_span[0] : c.answer_span[1]] == "Swiftdrop"
    assert c.explanation.endswith("the answer names Swiftdrop instead of Parcelway.")
    assert compare_answer(a, KB).status == "contradiction"


@pytest.mark.parametrize(
    ("answer", "question"),
    [
        # the same name, or part of it
        ("It comes by Parcelway tracked delivery 1 to 2 working days before go-live.", ""),
        # the customer's own name for a place
        (
            "Your Hub comes by tracked delivery to your Harrogate flat before go-live.",
            "I'm in Harrogate",
        ),
        # a day, a reference number, a sentence's first word
        ("Tracked delivery comes on Tuesday, reference PW 7731 0048 2291, before go-live.", ""),
        # a name in a sentence that says something else
        ("Our Leeds team can also help with Wi-Fi Boosters.", ""),
        # ruled out: the claim checks read negations
        ("It doesn't come by Swiftdrop tracked delivery before your go-live.", ""),
    ],
)
def test_no_swap(answer: str, question: str) -> None:
    assert name_conflicts(answer, KB, question=question) == []


OMBUDSMAN = (
    "If you're unhappy with our final response, you can refer your complaint to the Retail "
    "Ombudsman Service free of charge. Complaints are handled at our Exeter office, not by "
    "the installer."
)


@pytest.mark.parametrize(
    ("answer", "said", "kb_said"),
    [
        # one word in common of three is another body
        (
            "You can refer your complaint to the Retail Conduct Authority free of charge.",
            "Retail Conduct Authority",
            "Retail Ombudsman Service",
        ),
        # a negation elsewhere in either sentence does not hide the swap
        (
            "Complaints are handled at our Leeds office, not by the installer.",
            "Leeds",
            "Exeter",
        ),
    ],
)
def test_a_name_sharing_a_word_or_beside_a_negation_is_still_a_swap(
    answer: str, said: str, kb_said: str
) -> None:
    conflicts = name_conflicts(answer, OMBUDSMAN, entry_id="e")
    assert [(c.answer_value, c.kb_value) for c in conflicts] == [(said, kb_said)]


@pytest.mark.parametrize(
    "answer",
    [
        # most of the KB's name is the KB's name
        "You can refer your complaint to the Retail Ombudsman free of charge.",
        # a name right after a negation is ruled out, not offered
        "Complaints are handled at our Exeter office, not by Brightfix.",
    ],
)
def test_most_of_a_name_or_a_name_ruled_out_is_no_swap(answer: str) -> None:
    assert name_conflicts(answer, OMBUDSMAN, entry_id="e") == []


def test_speech_without_capitals_is_not_read() -> None:
    assert name_conflicts("it comes by swiftdrop tracked delivery before go live", KB) == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.text(max_size=300))
def test_never_crashes_and_spans_index_the_texts(answer: str, kb: str) -> None:
    for c in name_conflicts(answer, kb):
        assert c.answer_span is not None and c.kb_span is not None
        assert answer[c.answer_span[0] : c.answer_span[1]] == c.answer_value
        assert kb[c.kb_span[0] : c.kb_span[1]] == c.kb_value


def test_time_grows_linearly_with_the_text() -> None:
    unit = "Your Leeds Hub comes by Royal Mail tracked delivery before go-live. "

    def rate(n: int) -> float:
        return per_char(lambda t: name_conflicts(t, KB), unit * n)

    rate(5)
    small, large = rate(20), rate(400)
    assert large < small * 4


def test_a_reference_and_a_name_spelt_out_are_no_other_name() -> None:
    kb = "If you're unhappy after our Stage 2 response, you can refer it to the Ombudsman."
    a = "If you're unhappy after our response, you can refer it to the Ombudsman, CMP-28104."
    assert compare_answer(a, kb).conflicts == ()
    kb = "We carry out an electrical safety inspection (EICR) in every home every 5 years."
    a = "We carry out an Electrical Installation Condition Report in every home every 5 years."
    assert compare_answer(a, kb).conflicts == ()
