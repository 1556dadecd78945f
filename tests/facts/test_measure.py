"""Units of measure read as counts of a unit, compared across units of one dimension."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.compare import compare_answer
from consistency.compare.values import relation
from consistency.facts.count import EXTRACTOR
from consistency.facts.measure import canonical_unit


@pytest.mark.parametrize(
    ("text", "value", "unit", "shown"),
    [
        ("systems up to 3.68kW", "3.68", "kw", "up to 3.68kW"),
        ("more than 20cm from the roof", "20", "cm", "over 20cm"),
        ("bags up to 23 kg each", "23", "kg", "up to 23kg"),
        ("twenty three kilos", "23", "kg", "23kg"),
        ("a 100 watt hour power bank", "100", "wh", "100Wh"),
        ("within 2 miles of the store", "2", "mile", "up to 2 miles"),
        ("4.5 metres long", "4.5", "m", "4.5m"),
        ("a 2L bottle", "2", "l", "2L"),
    ],
)
def test_a_measured_amount_is_read_with_its_unit(
    text: str, value: str, unit: str, shown: str
) -> None:
    (fact,) = EXTRACTOR.extract(text)
    assert (fact.value, fact.unit, EXTRACTOR.render(fact)) == (Decimal(value), unit, shown)


@pytest.mark.parametrize("text", ["5G coverage everywhere", "a £5m fund", "we need 5 more"])
def test_not_a_measure(text: str) -> None:
    assert all(f.unit not in ("g", "m") for f in EXTRACTOR.extract(text))


def _one(text: str):  # type: ignore[no-untyped-def]
    (fact,) = EXTRACTOR.extract(text)
    return fact


def test_units_of_one_dimension_convert_and_two_dimensions_never_compare() -> None:
    assert relation(_one("20cm"), _one("200mm")) == "same"
    assert relation(_one("2 kilos"), _one("2000 grams")) == "same"
    assert relation(_one("20cm"), _one("30cm")) == "differ"
    assert relation(_one("20kg"), _one("20cm")) == "incomparable"
    # a plain amount beside a KB bound is the customer's case, on either side of it
    assert relation(_one("your 25kg bag"), _one("bags over 23kg")) == "incomparable"
    assert relation(_one("your 20kg bag"), _one("bags over 23kg")) == "incomparable"


def test_another_limit_is_a_contradiction() -> None:
    kb = "For systems up to 3.68kW we notify the network operator within 28 days."
    bad = compare_answer("Systems up to 5kW just need a notification within 28 days.", kb)
    assert bad.status == "contradiction"
    assert [(c.answer_value, c.kb_value) for c in bad.conflicts] == [("up to 5kW", "up to 3.68kW")]
    good = compare_answer("Anything up to 3.68 kilowatts is notified within 28 days.", kb)
    assert good.status == "consistent"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_canonical_unit_is_idempotent(written: str) -> None:
    once = canonical_unit(written)
    assert canonical_unit(once) == once
