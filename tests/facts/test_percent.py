"""Percentages, written and spoken, with what the rate is about."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.facts.percent import EXTRACTOR
from consistency.models import Fact

# fmt: off
CASES = [
    # text, (start, end), value, subject
    ("get 15% off", (4, 7), "15", "discount"),
    ("15 per cent", (0, 11), "15", None),
    ("fifteen percent", (0, 15), "15", None),
    ("12 months at 0% APR on orders", (13, 15), "0", "APR"),
    ("zero percent a p r", (0, 12), "0", "APR"),
    ("nineteen point nine percent apr representative", (0, 27), "19.9", "APR"),
    ("19.9% APR", (0, 5), "19.9", "APR"),
    ("0% interest", (0, 2), "0", "APR"),
    ("it's interest-free", (5, 18), "0", "APR"),
    ("it's interest free credit", (5, 18), "0", "APR"),
    ("ten percent off accessories", (0, 11), "10", "discount"),
    ("5 pc", (0, 4), "5", None),
]
# fmt: on


@pytest.mark.parametrize(("text", "span", "value", "subject"), CASES)
def test_table(text: str, span: tuple[int, int], value: str, subject: str | None) -> None:
    (fact,) = EXTRACTOR.extract(text)
    assert (fact.kind, fact.unit) == ("percent", "percent")
    assert fact.span == span
    assert text[span[0] : span[1]] == fact.text
    assert fact.value == Decimal(value)
    assert fact.subject == subject


@pytest.mark.parametrize("text", ["5 people", "100 stores", "percentage points? no"])
def test_not_percent(text: str) -> None:
    assert EXTRACTOR.extract(text) == []


def test_range_and_modifier() -> None:
    (fact,) = EXTRACTOR.extract("10 to 15%")
    assert (fact.value, fact.upper) == (Decimal(10), Decimal(15))
    (fact,) = EXTRACTOR.extract("up to 20 percent off")
    assert fact.modifier == "up_to"


@pytest.mark.parametrize(
    ("value", "subject", "shown"),
    [
        ("15", None, "15%"),
        ("0", "APR", "0% APR"),
        ("19.90", "APR", "19.9% APR"),
        ("5", "discount", "5% off"),
    ],
)
def test_render(value: str, subject: str | None, shown: str) -> None:
    fact = Fact(
        kind="percent", value=Decimal(value), unit="percent", span=(0, 1), text="x", subject=subject
    )
    assert EXTRACTOR.render(fact) == shown


_WORDS = {
    0: "zero",
    5: "five",
    10: "ten",
    12: "twelve",
    15: "fifteen",
    20: "twenty",
    25: "twenty five",
}


@settings(max_examples=100, deadline=None)
@given(
    n=st.sampled_from(sorted(_WORDS)),
    sign=st.sampled_from(["%", " %", " per cent", " percent", " pc"]),
    spoken=st.booleans(),
)
def test_surface_forms(n: int, sign: str, spoken: bool) -> None:
    number = _WORDS[n] if spoken else str(n)
    text = f"you get {number}{sign} back"
    (fact,) = EXTRACTOR.extract(text)
    assert fact.value == n
    assert text[fact.span[0] : fact.span[1]] == fact.text


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_never_raises_and_spans_slice(text: str) -> None:
    for fact in EXTRACTOR.extract(text):
        s, e = fact.span
        assert 0 <= s < e <= len(text)
        assert text[s:e] == fact.text


@pytest.mark.parametrize(
    "text",
    [
        "go to https://www.test.com/search?q=30%25%2020%",
        "see www.example.com/offer-20%",
        "the link is example.com/a%20b?x=10%",
    ],
)
def test_no_percentage_inside_a_web_address(text: str) -> None:
    assert EXTRACTOR.extract(text) == []


def test_a_percentage_beside_a_web_address_is_still_one() -> None:
    assert [f.value for f in EXTRACTOR.extract("it's 30% off, see www.example.com")] == [30]


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Solar panels are zero-rated for VAT", "zero-rated for VAT"),
        ("so there's no VAT on your quote", "no VAT"),
        ("installs are VAT-free until 2027", "VAT-free"),
    ],
)
def test_no_vat_is_vat_at_zero(text: str, said: str) -> None:
    (fact,) = EXTRACTOR.extract(text)
    assert (fact.text, fact.value, fact.subject, EXTRACTOR.render(fact)) == (
        said,
        Decimal(0),
        "VAT",
        "0% VAT",
    )


def test_a_vat_rate_against_zero_rated() -> None:
    from consistency.compare import compare_answer

    kb = "Heat pumps installed in homes are zero-rated for VAT until 31 March 2027."
    said = compare_answer("Heat pumps have VAT at the reduced rate of 5% until 31 March 2027.", kb)
    assert [(c.answer_value, c.kb_value) for c in said.conflicts] == [("5%", "0% VAT")]
    # the month of the KB's date is that date, said less precisely
    assert compare_answer("They're zero-rated until March 2027.", kb).status == "consistent"
