"""One against more: "one carer" against "two carers", "once" against "twice" (invented)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.compare import compare_answer
from consistency.compare.single import single_conflicts
from tests.timing import per_char

CARER = "One carer travelling with a Blue Card holder rides free of charge."
SWAP = "Within 30 days you can swap your bike once for a different model, paying any difference."
QUOTES = "If you use your own builder, we'll need two written quotes before any work starts."
PARKING = "Each flat comes with one parking permit. Visitors can buy day passes at £3 each."


@pytest.mark.parametrize(
    ("answer", "kb", "said", "kb_said"),
    [
        ("Yes, up to two carers travelling with a Blue Card holder ride free.", CARER,
         "two carers", "One carer"),
        ("Within the 30 days you can swap your bike twice for another model.", SWAP,
         "twice", "once"),
        ("That's fine, we'll just need one written quote before work starts.", QUOTES,
         "one written quote", "two written quotes"),
        ("Each flat gets two free parking permits.", PARKING,
         "two free parking permits", "one parking permit"),
    ],
)  # fmt: skip
def test_one_against_more_of_the_same_thing_is_a_count_conflict(
    answer: str, kb: str, said: str, kb_said: str
) -> None:
    conflicts = single_conflicts(answer, kb, entry_id="e")
    assert [(c.kind, c.answer_value, c.kb_value) for c in conflicts] == [("count", said, kb_said)]
    c = conflicts[0]
    assert answer[c.answer_span[0] : c.answer_span[1]] == said
    assert kb[c.kb_span[0] : c.kb_span[1]] == kb_said
    assert f'"{said}"' in c.explanation and "(e)" in c.explanation
    assert compare_answer(answer, kb, entry_id="e").status == "contradiction"


@pytest.mark.parametrize(
    ("answer", "kb"),
    [
        ("One carer travelling with a Blue Card holder rides free.", CARER),
        # one on top of others is not one in all
        (
            "You and one other carer ride free with the Blue Card.",
            "Two carers ride free with a Blue Card.",
        ),
        ("You can add one more permit for each flat.", "Each flat can have two permits."),
        # "once" as a time, not a count; "one" as a pronoun
        (
            "Once you've swapped your bike for a different model, you pay any difference.",
            "Within 30 days you can swap your bike twice for a different model.",
        ),
        ("Pick the one you like; you can swap twice for a different model.", "Pick one you like."),
        # a negation before the number
        ("You can't swap your bike twice for a different model.", SWAP),
        # the KB says both numbers, or says the answer's
        ("We'll need two written quotes.", QUOTES + " For small jobs one written quote is enough."),
        ("You'll need one quote.", "You'll need a quote, or two quotes for big jobs."),
        # nothing else in common
        ("Two carers.", CARER),
        # another thing counted
        ("Two visitors ride free.", CARER),
    ],
)
def test_no_single_conflict(answer: str, kb: str) -> None:
    assert single_conflicts(answer, kb, entry_id="e") == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.text(max_size=300))
def test_never_crashes_and_spans_index_the_texts(answer: str, kb: str) -> None:
    for c in single_conflicts(answer, kb):
        assert answer[c.answer_span[0] : c.answer_span[1]] == c.answer_value
        assert kb[c.kb_span[0] : c.kb_span[1]] == c.kb_value


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "one",
                "two",
                "once",
                "twice",
                "carer",
                "carers",
                "a",
                "not",
                "free",
                ",",
                ".",
                "single",
                "other",
            ]
        ),
        max_size=40,
    )
)
def test_never_crashes_on_count_words(words: list[str]) -> None:
    text = " ".join(words)
    for c in single_conflicts(text, CARER) + single_conflicts(CARER, text):
        assert c.kind == "count"


def test_time_is_linear_in_the_answer() -> None:
    answer = "two carers ride free, once a year, one card each, twice for a swap. "
    rate = [per_char(lambda t: single_conflicts(t, CARER + SWAP), answer * n) for n in (100, 2000)]
    assert rate[1] < rate[0] * 4
