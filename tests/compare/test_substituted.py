"""The KB's clause said again with one noun phrase swapped."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.compare.answer import compare_answer
from consistency.compare.substituted import substitution_conflicts
from tests.timing import per_char

# invented: a bereavement policy and a lost-property one
DEATH = (
    "If someone with an account has died, call our bereavement team. We'll pause bills "
    "for 60 days, and we'll need a copy of the death certificate or a letter from the "
    "solicitor dealing with the estate."
)
LOST = "Items left on a coach are kept for a month at the depot and then given away."


def test_a_swapped_noun_phrase_in_the_kbs_own_frame_is_categorical() -> None:
    answer = (
        "I'm sorry for your loss. We'll need a copy of the will or a letter from the "
        "solicitor dealing with the estate, and we'll pause bills for 60 days."
    )
    (c,) = substitution_conflicts(answer, DEATH)
    assert (c.kind, c.answer_value, c.kb_value) == (
        "categorical",
        "the will",
        "the death certificate",
    )
    assert 'says "the will" where the KB says "the death certificate"' in c.explanation
    assert answer[c.answer_span[0] : c.answer_span[1]] == "the will"
    assert DEATH[c.kb_span[0] : c.kb_span[1]] == "the death certificate"
    assert compare_answer(answer, DEATH).status == "contradiction"


def test_the_kbs_member_said_more_specifically_is_no_swap() -> None:
    # "a certified copy of the death certificate": the KB's words are all there
    answer = "We'll need a copy of the full death certificate or a letter from the solicitor."
    assert substitution_conflicts(answer, DEATH) == []


@pytest.mark.parametrize(
    "answer",
    [
        # a word said elsewhere in the KB entry is no other member
        "We'll need a copy of the bills or a letter from the solicitor dealing with the estate.",
        # a modifier of a shared head, mostly said another way
        "We'll need a copy of the original certificate or a letter from the solicitor.",
        # a pronoun standing for the KB's phrase
        "We'll need a copy of it or a letter from the solicitor dealing with the estate.",
        # a contraction is no swap: "bill's" is "bill is"
        "If someone with an account has died, call our bereavement team.",
        # a negated answer sentence is polarity's business
        "We won't need a copy of the will or a letter from the solicitor dealing with the estate.",
        # numbers are the facts' business
        "Items left on a coach are kept for 2 months at the depot and then given away.",
    ],
)
def test_paraphrases_and_other_checks_business_are_left_alone(answer: str) -> None:
    assert substitution_conflicts(answer, DEATH + " " + LOST) == []


def test_the_customers_own_words_are_not_a_swap() -> None:
    answer = "Items left on a coach are kept for a month at the Leeds office and then given away."
    assert substitution_conflicts(answer, LOST)  # a swap without the question ...
    question = "I left my bag on a coach, is it at the Leeds office?"
    assert substitution_conflicts(answer, LOST, question=question) == []  # ... not with it


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_never_crashes_on_arbitrary_text(text: str) -> None:
    for c in substitution_conflicts(text, DEATH):
        assert c.answer_span is not None and 0 <= c.answer_span[0] < c.answer_span[1] <= len(text)


def test_long_unpunctuated_speech_stays_linear() -> None:
    words = "we will need a copy of the will or a letter from the solicitor "

    def rate(n: int) -> float:
        return per_char(lambda text: substitution_conflicts(text, DEATH), words * n)

    rate(5)
    assert rate(400) < rate(20) * 4
