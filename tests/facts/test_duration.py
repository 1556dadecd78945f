"""Durations: calendar vs working days, ranges, lists, spoken forms."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.facts.duration import EXTRACTOR, render_amount
from consistency.models import Fact

# fmt: off
CASES = [
    # text, (start, end), value, unit
    ("within 30 days of delivery", (7, 14), "30", "day"),
    ("um you've got fourteen days", (14, 27), "14", "day"),
    ("two weeks", (0, 9), "14", "day"),
    ("a fortnight", (0, 11), "14", "day"),
    ("it takes a week", (9, 15), "7", "day"),
    ("24 months", (0, 9), "24", "month"),
    ("two years", (0, 9), "24", "month"),
    ("a 2-year guarantee", (2, 8), "24", "month"),
    ("a 12-month guarantee", (2, 10), "12", "month"),
    ("5 working days", (0, 14), "5", "business_day"),
    ("five business days", (0, 18), "5", "business_day"),
    ("five weekdays", (0, 13), "5", "business_day"),
    ("up to 2 extra working days", (6, 26), "2", "business_day"),
    ("within 48 hours", (7, 15), "48", "hour"),
    ("48hrs", (0, 5), "48", "hour"),
    ("expires after 30 minutes", (14, 24), "30", "minute"),
    ("half an hour", (0, 12), "30", "minute"),
    ("an hour and a half", (0, 18), "90", "minute"),
    ("one and a half hours", (0, 20), "1.5", "hour"),
    ("locked for 1 hour", (11, 17), "1", "hour"),
    ("try it free for one month", (16, 25), "1", "month"),
    ("you have a month to return it", (9, 16), "1", "month"),
]
# fmt: on


@pytest.mark.parametrize(("text", "span", "value", "unit"), CASES)
def test_table(text: str, span: tuple[int, int], value: str, unit: str) -> None:
    (fact,) = EXTRACTOR.extract(text)
    assert fact.kind == "duration"
    assert fact.span == span
    assert text[span[0] : span[1]] == fact.text
    assert fact.value == Decimal(value)
    assert fact.unit == unit


@pytest.mark.parametrize(
    ("text", "value", "upper"),
    [
        ("takes 3 to 5 working days", 3, 5),
        ("3-5 working days", 3, 5),
        ("between three and five days", 3, 5),
        ("three to five working days", 3, 5),
    ],
)
def test_ranges(text: str, value: int, upper: int) -> None:
    (fact,) = EXTRACTOR.extract(text)
    assert (fact.value, fact.upper) == (value, upper)
    assert text[fact.span[0] : fact.span[1]] == fact.text


def test_list_gives_one_fact_each() -> None:
    facts = EXTRACTOR.extract("pay over 24, 36 or 48 months")
    assert [(f.value, f.unit, f.text) for f in facts] == [
        (24, "month", "24"),
        (36, "month", "36"),
        (48, "month", "48 months"),
    ]


def test_modifier() -> None:
    (fact,) = EXTRACTOR.extract("within fourteen days")
    assert fact.modifier == "up_to"


@pytest.mark.parametrize(
    "text",
    ["£5.99 a month", "twice a year", "next day delivery", "order 12345", "same day"],
)
def test_not_durations(text: str) -> None:
    assert EXTRACTOR.extract(text) == []


@pytest.mark.parametrize(
    ("value", "unit", "upper", "shown"),
    [
        ("14", "day", None, "14 days"),
        ("1", "day", None, "1 day"),
        ("5", "business_day", None, "5 working days"),
        ("3", "business_day", "5", "3 to 5 working days"),
        ("24", "month", None, "24 months"),
        ("72", "month", None, "6 years"),
        ("48", "hour", None, "48 hours"),
        ("1.5", "hour", None, "1.5 hours"),
    ],
)
def test_render(value: str, unit: str, upper: str | None, shown: str) -> None:
    fact = Fact(kind="duration", value=Decimal(value), unit=unit, span=(0, 1), text="x",
                upper=Decimal(upper) if upper else None)  # fmt: skip
    assert EXTRACTOR.render(fact) == shown
    assert render_amount(Decimal(value), unit, Decimal(upper) if upper else None) == shown


_SPOKEN = {
    1: "one",
    2: "two",
    3: "three",
    7: "seven",
    14: "fourteen",
    30: "thirty",
    48: "forty eight",
}
_FORMS = {
    # surface unit -> (normalised unit, multiplier)
    "days": ("day", 1),
    "calendar days": ("day", 1),
    "weeks": ("day", 7),
    "working days": ("business_day", 1),
    "business days": ("business_day", 1),
    "months": ("month", 1),
    "years": ("month", 12),
    "hours": ("hour", 1),
    "hrs": ("hour", 1),
    "minutes": ("minute", 1),
}


@settings(max_examples=150, deadline=None)
@given(
    n=st.sampled_from(sorted(_SPOKEN)),
    word=st.sampled_from(sorted(_FORMS)),
    spoken=st.booleans(),
    lead=st.sampled_from(["", "within ", "um so it's ", "yeah "]),
)
def test_surface_forms(n: int, word: str, spoken: bool, lead: str) -> None:
    number = _SPOKEN[n] if spoken else str(n)
    text = f"{lead}{number} {word} ok"
    (fact,) = EXTRACTOR.extract(text)
    unit, mult = _FORMS[word]
    assert (fact.value, fact.unit) == (n * mult, unit)
    assert text[fact.span[0] : fact.span[1]] == fact.text


@settings(max_examples=100, deadline=None)
@given(n=st.integers(1, 500), word=st.sampled_from(sorted(_FORMS)))
def test_render_round_trips(n: int, word: str) -> None:
    (fact,) = EXTRACTOR.extract(f"{n} {word}")
    (again,) = EXTRACTOR.extract(EXTRACTOR.render(fact))
    assert (again.value, again.unit) == (fact.value, fact.unit)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_never_raises_and_spans_slice(text: str) -> None:
    for fact in EXTRACTOR.extract(text):
        s, e = fact.span
        assert 0 <= s < e <= len(text)
        assert text[s:e] == fact.text


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("for a year and a half", "18", "month"),
        ("a month and a half", "1.5", "month"),
        ("a day and a half", "1.5", "day"),
    ],
)
def test_a_unit_and_a_half(text: str, value: str, unit: str) -> None:
    [fact] = EXTRACTOR.extract(text)
    assert (fact.value, fact.unit) == (Decimal(value), unit)
    assert text[fact.span[0] : fact.span[1]] == fact.text


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("you'll wait about half hour", 30, "minute"),
        ("it takes an hour and half", 90, "minute"),
        ("we keep records for two decades", 240, "month"),
    ],
)
def test_half_hours_and_decades(text: str, value: int, unit: str) -> None:
    facts = [f for f in EXTRACTOR.extract(text)]
    assert [(f.value, f.unit) for f in facts] == [(value, unit)]


def test_seconds_are_a_duration() -> None:
    facts = EXTRACTOR.extract("the code expires in 60 seconds, or hold for 3.5 secs")
    assert [(f.value, f.unit) for f in facts] == [(60, "second"), (Decimal("3.5"), "second")]


@pytest.mark.parametrize(
    ("text", "said", "value", "modifier"),
    [
        (
            "once you have five or more years without a claim",
            "five or more years",
            "60",
            "at_least",
        ),
        ("at nine years or more", "nine years", "108", "at_least"),
        ("cover for 2 years or less", "2 years", "24", "up_to"),
        ("three years or longer", "three years", "36", "at_least"),
    ],
)
def test_or_more_is_a_bound(text: str, said: str, value: str, modifier: str) -> None:
    (fact,) = EXTRACTOR.extract(text)
    assert (fact.text, fact.value, fact.modifier) == (said, Decimal(value), modifier)


def test_a_different_floor_is_a_different_period() -> None:
    from consistency.compare import compare_answer

    kb = "The discount reaches its maximum of 70% at nine years or more."
    assert compare_answer("It's 70% once you have nine or more years.", kb).status == "consistent"
    assert compare_answer("It's 70% once you have five or more years.", kb).status == (
        "contradiction"
    )


def test_a_single_day_is_one_day() -> None:
    (fact,) = EXTRACTOR.extract("they'll normally have it done in a single day")
    assert (fact.value, fact.unit) == (Decimal(1), "day")


def test_a_period_named_by_what_it_is_free_of() -> None:
    from consistency.facts.pipeline import facts_for

    facts = facts_for("You have 4 rent-free weeks, and the fortnight covering Christmas.")
    assert [(f.kind, str(f.value), f.unit) for f in facts if f.kind != "polarity"] == [
        ("duration", "28", "day"),
        ("duration", "14", "day"),
    ]


def test_a_range_with_a_hanging_hyphen_is_one_range() -> None:
    """ "for 11- to 15-year-olds" is the range the answer's "11 to 15-year-olds" repeats."""
    (f,) = EXTRACTOR.extract("Youth tickets are for 11- to 15-year-olds.")
    assert (f.value, f.upper, f.unit) == (Decimal(132), Decimal(180), "month")
    (g,) = EXTRACTOR.extract("Youth tickets are for 11 to 15-year-olds.")
    assert (g.value, g.upper) == (f.value, f.upper)
