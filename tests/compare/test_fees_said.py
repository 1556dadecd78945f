"""A charge said or denied in words (invented sentences): "isn't free", "free to join",
"a small annual membership fee for ..."."""

from __future__ import annotations

from consistency.compare import compare_answer
from consistency.compare.claims import clauses
from consistency.facts.money import EXTRACTOR as MONEY


def test_free_denied_is_no_price_of_nothing() -> None:
    assert MONEY.extract("Parking isn't free, the fee comes off your deposit.") == []
    assert [f.value for f in MONEY.extract("Parking is free.")] == [0]


def test_free_to_join_is_a_price_free_to_choose_is_not() -> None:
    assert [f.value for f in MONEY.extract("The club is free to join online.")] == [0]
    assert MONEY.extract("You're free to join any class you like.") == []


def test_a_charge_said_against_the_kbs_free_is_a_polarity_conflict() -> None:
    kb = "Parking at the lido is free. Show your ticket at the gate."
    answer = "Parking at the lido isn't free - the fee comes off your refund. Show your ticket at the gate."
    result = compare_answer(answer, kb, entry_id="e")
    assert result.status == "contradiction"
    assert "isn't free" in result.conflicts[0].answer_value
    # the KB's own wording stays consistent
    assert compare_answer("Parking at the lido is free.", kb).status == "consistent"


def test_a_fee_with_words_before_it_is_a_charge_claim() -> None:
    fees = [c for c in clauses("There's a small annual membership fee for the Gold Card.") if c.fee]
    assert fees and {"gold", "card"} <= fees[0].stems and fees[0].negations == 0


def test_not_free_yet_is_the_customers_basket() -> None:
    kb = "Standard delivery costs £3.99. It's free on orders over £40."
    answer = (
        "Your basket is under the limit, so delivery isn't free yet - it's free on orders over £40."
    )
    assert [c.kind for c in compare_answer(answer, kb).conflicts] == []
