"""Money: symbols, codes, words, spoken prices, "free", ranges and rates."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.facts.money import EXTRACTOR
from consistency.models import Fact


def only(text: str) -> Fact:
    facts = EXTRACTOR.extract(text)
    assert len(facts) == 1, facts
    return facts[0]


# fmt: off
CASES = [
    # text, (start, end), value, unit
    ("Standard delivery costs £3.99.", (24, 29), "3.99", "GBP"),
    ("it's £1,299 all in", (5, 11), "1299.00", "GBP"),
    ("GBP 5.00 please", (0, 8), "5.00", "GBP"),
    ("that's 5.00 GBP", (7, 15), "5.00", "GBP"),
    ("costs $12", (6, 9), "12.00", "USD"),
    ("about €20 or so", (6, 9), "20.00", "EUR"),
    ("five quid", (0, 9), "5.00", "GBP"),
    ("five pounds", (0, 11), "5.00", "GBP"),
    ("um it's three pounds ninety nine", (8, 32), "3.99", "GBP"),
    ("three pounds and fifty pence", (0, 28), "3.50", "GBP"),
    ("99p", (0, 3), "0.99", "GBP"),
    ("fifty pence", (0, 11), "0.50", "GBP"),
    ("twenty dollars", (0, 14), "20.00", "USD"),
    ("ten euros", (0, 9), "10.00", "EUR"),
    ("it costs twenty nine ninety nine", (9, 32), "29.99", "GBP"),
    ("the fee is fifteen fifty", (11, 24), "15.50", "GBP"),
    ("the price is 29.99", (13, 18), "29.99", "GBP"),
    ("a fiver", (2, 7), "5.00", "GBP"),
    ("it's free", (5, 9), "0.00", "GBP"),
    ("we collect it free of charge", (14, 28), "0.00", "GBP"),
    ("at no extra charge", (0, 18), "0.00", "GBP"),
    ("there's no charge", (8, 17), "0.00", "GBP"),
    ("it won't cost you anything", (3, 26), "0.00", "GBP"),
]
# fmt: on


@pytest.mark.parametrize(("text", "span", "value", "unit"), CASES)
def test_table(text: str, span: tuple[int, int], value: str, unit: str) -> None:
    fact = only(text)
    assert fact.kind == "money"
    assert fact.span == span
    assert text[span[0] : span[1]] == fact.text
    assert fact.value == Decimal(value)
    assert fact.unit == unit


@pytest.mark.parametrize(
    "text",
    [
        "twenty nine ninety nine",  # no price cue: two numbers, not a price
        "feel free to call",
        "call our toll-free line",
        "it takes 3 to 5 working days",
        "order number 12345",
    ],
)
def test_not_money(text: str) -> None:
    assert EXTRACTOR.extract(text) == []


def test_pounds_then_duration_is_not_pence() -> None:
    fact = only("five pounds thirty days later")
    assert fact.value == Decimal("5.00")


def test_rates_go_to_subject() -> None:
    year, month = EXTRACTOR.extract("Volt Plus costs £59 a year or £5.99 a month.")
    assert (year.value, year.subject) == (Decimal("59.00"), "per_year")
    assert (month.value, month.subject) == (Decimal("5.99"), "per_month")
    assert EXTRACTOR.render(month) == "£5.99 a month"


def test_ranges_and_modifiers() -> None:
    fact = only("gift cards come in values from £10 to £500")
    assert (fact.value, fact.upper, fact.text) == (
        Decimal("10.00"),
        Decimal("500.00"),
        "£10 to £500",
    )
    assert EXTRACTOR.render(fact) == "£10.00 to £500.00"
    fact = only("ten to fifty pounds")
    assert (fact.value, fact.upper) == (Decimal("10.00"), Decimal("50.00"))
    fact = EXTRACTOR.extract("free on orders over £50")[1]
    assert (fact.value, fact.modifier) == (Decimal("50.00"), "over")


@pytest.mark.parametrize(
    ("value", "shown"),
    [("5", "£5.00"), ("1299.5", "£1,299.50"), ("0", "free")],
)
def test_render(value: str, shown: str) -> None:
    fact = Fact(kind="money", value=Decimal(value), unit="GBP", span=(0, 1), text="x")
    assert EXTRACTOR.render(fact) == shown


_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def spell(n: int) -> str:
    if n < 10:
        return _ONES[n]
    if n < 20:
        return _TEENS[n - 10]
    if n < 100:
        t, o = divmod(n, 10)
        return _TENS[t] + (f" {_ONES[o]}" if o else "")
    h, r = divmod(n, 100)
    return f"{_ONES[h]} hundred" + (f" and {spell(r)}" if r else "")


def surface_forms(pounds: int, pence: int) -> list[str]:
    """One amount, written the ways agents and speech recognition write it."""
    amount = f"{pounds}.{pence:02d}"
    forms = [f"£{amount}", f"GBP {amount}", f"{amount} GBP", f"£{pounds:,}.{pence:02d}"]
    if pence:
        forms += [
            f"{spell(pounds)} pounds {spell(pence)}",
            f"{spell(pounds)} pounds and {spell(pence)} pence",
            f"{pounds} pounds {pence}p",
        ]
        if pence >= 10 and 0 < pounds < 100:
            forms.append(f"it costs {spell(pounds)} {spell(pence)}")
    else:
        forms += [f"£{pounds}", f"{spell(pounds)} pounds", f"{spell(pounds)} quid", f"{pounds} GBP"]
    return forms


@settings(max_examples=150, deadline=None)
@given(pounds=st.integers(1, 999), pence=st.integers(0, 99), prefix=st.sampled_from(["", "um so "]))
def test_surface_forms_extract_to_the_same_value(pounds: int, pence: int, prefix: str) -> None:
    want = Decimal(f"{pounds}.{pence:02d}")
    for form in surface_forms(pounds, pence):
        text = f"{prefix}{form} a time"
        fact = only(text)
        assert (fact.value, fact.unit) == (want, "GBP"), form
        assert text[fact.span[0] : fact.span[1]] == fact.text


@settings(max_examples=150, deadline=None)
@given(pounds=st.integers(0, 10**6), pence=st.integers(0, 99))
def test_render_round_trips(pounds: int, pence: int) -> None:
    text = f"costs £{pounds}.{pence:02d}"
    fact = only(text)
    again = only(EXTRACTOR.render(fact)) if fact.value else fact
    assert again.value == fact.value


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_never_raises_and_spans_slice(text: str) -> None:
    for fact in EXTRACTOR.extract(text):
        s, e = fact.span
        assert 0 <= s < e <= len(text)
        assert text[s:e] == fact.text


# Regressions found by benchmarks/bench_contradiction.py on real bank FAQ answers.
@pytest.mark.parametrize(
    ("text", "span", "value", "unit"),
    [
        ("up to Rs. 50,000 a day", (6, 16), "50000.00", "INR"),
        ("Rs.25,000 max", (0, 9), "25000.00", "INR"),
        ("INR 4,000", (0, 9), "4000.00", "INR"),
        ("a charge of 500 rupees", (12, 22), "500.00", "INR"),
        ("₹1,299 only", (0, 6), "1299.00", "INR"),
    ],
)
def test_rupee_amounts(text: str, span: tuple[int, int], value: str, unit: str) -> None:
    (fact,) = EXTRACTOR.extract(text)
    assert (fact.span, str(fact.value), fact.unit) == (span, value, unit)
    assert text[slice(*fact.span)] == fact.text


def test_decimal_percent_after_a_price_cue_is_not_money() -> None:
    assert EXTRACTOR.extract("a fee of 2.75%") == []
    assert EXTRACTOR.extract("the fee is 2.75% a year") == []


def test_a_run_of_forty_digits_is_no_price_and_no_crash() -> None:
    # found by benchmarks/fuzz_check.py: quantising it to the penny overflowed
    assert EXTRACTOR.extract("€ 9999999999999999999999999999999999999999") == []
    assert [f.value for f in EXTRACTOR.extract("it's £4.99 a month")] == [Decimal("4.99")]


@pytest.mark.parametrize(
    "text",
    [
        "We don't charge for unlocking older phones.",
        "we will not charge you for that",
        "The team will close the account without any cancellation fees.",
    ],
)
def test_a_charge_denied_in_words_is_free(text: str) -> None:
    assert [f.value for f in EXTRACTOR.extract(text)] == [Decimal("0.00")]


def test_a_price_against_we_dont_charge_is_a_contradiction() -> None:
    from consistency.compare import compare_answer

    kb = "We don't charge for unlocking older phones: request a code in the app."
    assert compare_answer("Unlocking is £15: request a code in the app.", kb).status == (
        "contradiction"
    )


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("Banknotes: 5 €, 10 €", "5.00", "EUR"),
        ("20£ please", "20.00", "GBP"),
        ("It costs you 10 us dollars", "10.00", "USD"),
        ("a 12-cent dividend", "0.12", "USD"),
    ],
)
def test_a_unit_or_symbol_after_the_amount(text: str, value: str, unit: str) -> None:
    fact = EXTRACTOR.extract(text)[0]
    assert (str(fact.value), fact.unit) == (value, unit)
