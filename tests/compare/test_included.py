"""An answer that names as included what the KB leaves out (invented sentences)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.compare import compare_answer
from consistency.compare.included import included_conflicts
from tests.timing import per_char

ROUTER = "On Fibre Max you can bring your own modem, but not on Copper Basic."
ROLLING = "A monthly rolling contract is only offered on Copper Basic."
GRANT = "The boiler grant covers houses and flats. Park homes can't get it."


@pytest.mark.parametrize(
    ("answer", "kb", "said"),
    [
        ("Yes, you can bring your own modem on any plan, Copper Basic included.", ROUTER,
         "Copper Basic included"),
        ("A monthly rolling contract is offered on every plan, including Fibre Max.", ROLLING,
         "including Fibre Max"),
        ("The boiler grant covers every home, even park homes.", GRANT, "even park homes"),
    ],
)  # fmt: skip
def test_including_what_the_kb_leaves_out_is_a_scope_conflict(
    answer: str, kb: str, said: str
) -> None:
    conflicts = included_conflicts(answer, kb, entry_id="e")
    assert [(c.kind, c.answer_value) for c in conflicts] == [("scope", said)]
    c = conflicts[0]
    assert answer[c.answer_span[0] : c.answer_span[1]] == said
    assert kb[c.kb_span[0] : c.kb_span[1]] == c.kb_text
    assert compare_answer(answer, kb, entry_id="e").status == "contradiction"


@pytest.mark.parametrize(
    ("answer", "kb"),
    [
        # what the KB gives, included
        ("You can bring your own modem on Fibre Max, router included.", ROUTER),
        ("A monthly rolling contract is offered on Copper Basic, including the modem.",
         "A monthly rolling contract on Copper Basic includes the modem, and only costs £5."),
        ("The grant covers houses, including flats.", GRANT),
        # the answer's own negation
        ("It covers homes, not including park homes.", GRANT),
        # nothing in common with the KB's claim
        ("Our shop sells kettles, even park homes buy them.", "Park homes are lovely."),
    ],
)  # fmt: skip
def test_nothing_included_against_the_kb(answer: str, kb: str) -> None:
    assert included_conflicts(answer, kb, entry_id="e") == []


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_never_crashes_and_spans_index_the_texts(answer: str) -> None:
    text = answer + ", Copper Basic included"
    for c in included_conflicts(text, ROUTER):
        assert text[c.answer_span[0] : c.answer_span[1]] == c.answer_value


def test_time_is_linear_in_the_answer() -> None:
    answer = "You can bring kettles on any plan, toasters included, even lamps. "
    assert included_conflicts(answer * 3, ROUTER) == []
    rate = [per_char(lambda t: included_conflicts(t, ROUTER), answer * n) for n in (20, 400)]
    assert rate[1] < rate[0] * 4


def test_even_adds_to_the_negated_clause_before_it() -> None:
    kb = "By law, whitening can only be done by a dentist, and not for anyone under 18."
    a = "The law doesn't allow whitening for anyone under 18, even privately."
    assert included_conflicts(a, kb) == []


def test_a_thing_said_to_be_included_is_a_claim_not_an_inclusion() -> None:
    kb = "Parking isn't included at city hotels. Parking is included free at our country hotels."
    a = "City hotels don't include parking. If you're at a country hotel, parking is included free."
    assert included_conflicts(a, kb) == []
