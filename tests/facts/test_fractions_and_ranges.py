"""Discounts said as fractions, count ranges, "only once in any 12 months", "a calendar month"."""

from __future__ import annotations

from decimal import Decimal

import pytest

from consistency.compare.answer import compare_answer
from consistency.facts.pipeline import facts_for


def _kinds(text: str, kind: str) -> list[tuple[Decimal, object]]:
    return [(f.value, f.upper) for f in facts_for(text) if f.kind == kind]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("It gives a quarter off Off-Peak fares", Decimal(25)),
        ("a third off most fares", Decimal("33.33")),
        ("children travel half price", Decimal(50)),
        ("you pay half the fare", Decimal(50)),
        ("two-thirds off", Decimal("66.67")),
    ],
)
def test_a_fraction_off_is_a_percentage(text: str, value: Decimal) -> None:
    assert _kinds(text, "percent") == [(value, None)]


def test_and_a_half_is_no_discount() -> None:
    assert _kinds("it took an hour and a half off the journey", "percent") == []


def test_a_third_and_33_percent_agree_but_a_quarter_does_not() -> None:
    kb = "The railcard gives a third off most fares."
    assert compare_answer("You get 33% off most fares.", kb).status == "consistent"
    c = compare_answer("You get a quarter off most fares.", kb)
    assert c.status == "contradiction"
    assert c.conflicts[0].kb_value == "a third (33%) off"


def test_a_count_range_keeps_its_bottom() -> None:
    assert _kinds("groups of 3 to 9 adults", "count") == [(Decimal(3), Decimal(9))]
    c = compare_answer("It works for groups of 2 to 9 adults.", "Groups of 3 to 9 adults save.")
    assert c.status == "contradiction"


def test_once_in_a_period_is_a_count_but_once_you_is_not() -> None:
    assert _kinds("but only once in any 12-month period", "count") == [(Decimal(1), None)]
    assert _kinds("once you have sent it back we refund you", "count") == []


def test_a_calendar_month_is_a_duration() -> None:
    assert [(f.value, f.unit) for f in facts_for("valid for a calendar month")] == [
        (Decimal(1), "month")
    ]


def test_counts_of_different_things_are_not_one_claim() -> None:
    kb = "A Flexi Season gives you 8 days of travel between two stations."
    c = compare_answer("It has 8 travel days, so you've got 3 left.", kb)
    assert not any(x.kind == "count" for x in c.conflicts)
    # the same thing counted, in other words, still is
    kb = "Each train has space for 4 full-size bikes."
    c = compare_answer("there's space for two full size bikes on each train", kb)
    assert [x.kind for x in c.conflicts] == ["count"]


def test_the_last_one_is_a_position_from_the_end() -> None:
    assert [(f.value, f.unit) for f in facts_for("claim from the final train of your journey")] == [
        (Decimal(-1), "train")
    ]
    assert [f for f in facts_for("see you at the last minute") if f.kind == "ordinal"] == []
    c = compare_answer(
        "The bike area is in the last coach.", "The bike area is in the first coach."
    )
    assert [(x.answer_value, x.kb_value) for x in c.conflicts] == [
        ("the last coach", "the 1st coach")
    ]
