"""Dates: day-first written, numeric, spoken ordinals, named days and relative words."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.facts.date import EXTRACTOR
from consistency.models import Fact

REF = dt.date(2026, 11, 24)  # a Tuesday

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]  # fmt: skip
UNITS = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen"]  # fmt: skip
ORD_UNITS = ["", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
             "ninth"]  # fmt: skip
ORD_TEENS = ["tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth",
             "sixteenth", "seventeenth", "eighteenth", "nineteenth"]  # fmt: skip


def ordinal_words(n: int) -> str:
    if n < 10:
        return ORD_UNITS[n]
    if n < 20:
        return ORD_TEENS[n - 10]
    tens = {2: "twenty", 3: "thirty"}[n // 10]
    if n % 10 == 0:
        return {20: "twentieth", 30: "thirtieth"}[n]
    return f"{tens} {ORD_UNITS[n % 10]}"


def number_words(n: int) -> str:
    if n < 10:
        return UNITS[n]
    if n < 20:
        return TEENS[n - 10]
    tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    return tens[n // 10] + (f" {UNITS[n % 10]}" if n % 10 else "")


def suffix(n: int) -> str:
    if 11 <= n % 100 <= 13:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def spoken_year(y: int) -> str:
    return (
        f"twenty {number_words(y - 2000)}" if y >= 2010 else f"two thousand and {UNITS[y - 2000]}"
    )


def only(text: str, reference: dt.date | None = None) -> Fact:
    facts = EXTRACTOR.extract(text, reference=reference)
    assert len(facts) == 1, facts
    return facts[0]


def assert_spans(text: str, facts: list[Fact]) -> None:
    for f in facts:
        start, end = f.span
        assert 0 <= start < end <= len(text)
        assert text[start:end] == f.text
        assert isinstance(f.value, dt.date)


# fmt: off
CASES = [
    # text, (start, end), value, unit
    ("We close on 23 December 2026.", (12, 28), "2026-12-23", None),
    ("order by 23/12/2026 please", (9, 19), "2026-12-23", None),
    ("that was 2026-12-23", (9, 19), "2026-12-23", None),
    ("on 23.12.2026", (3, 13), "2026-12-23", None),
    ("on 23-12-26", (3, 11), "2026-12-23", None),
    ("December 23rd, 2026 is the last day", (0, 19), "2026-12-23", None),
    ("the 1st of May 2027", (0, 19), "2027-05-01", None),
    ("Dec. 5, 2026", (0, 12), "2026-12-05", None),
    ("um its the twenty third of december twenty twenty six", (7, 53), "2026-12-23", None),
    ("by the thirty first of january two thousand and twenty seven", (3, 60), "2027-01-31", None),
    ("december the first twenty twenty six", (0, 36), "2026-12-01", None),
    ("so december twenty three then", (3, 24), "2000-12-23", "no_year"),
    ("it's December 23rd", (5, 18), "2000-12-23", "no_year"),
    ("we're closed on christmas day", (16, 29), "2000-12-25", "no_year"),
    ("open on New Year's Eve 2026", (8, 27), "2026-12-31", None),
]
# fmt: on


@pytest.mark.parametrize(("text", "span", "value", "unit"), CASES)
def test_table(text: str, span: tuple[int, int], value: str, unit: str | None) -> None:
    fact = only(text)
    assert fact.kind == "date"
    assert fact.span == span
    assert text[span[0] : span[1]] == fact.text
    assert fact.value == dt.date.fromisoformat(value)
    assert fact.unit == unit


# fmt: off
RELATIVE = [
    # text, (start, end), value
    ("it'll arrive tomorrow", (13, 21), "2026-11-25"),
    ("we sent it today", (11, 16), "2026-11-24"),
    ("the day after tomorrow", (0, 22), "2026-11-26"),
    ("I called the day before yesterday", (9, 33), "2026-11-22"),
    ("the engineer comes Thursday the 26th", (19, 36), "2026-11-26"),
    ("booked for friday the twenty second", (11, 35), "2027-01-22"),
    ("on Monday the 21st of December", (10, 30), "2026-12-21"),
    ("next monday", (0, 11), "2026-11-30"),
    ("on thursday", (3, 11), "2026-11-26"),
    ("by tuesday", (3, 10), "2026-12-01"),
    ("this tuesday", (0, 12), "2026-11-24"),
    ("last friday", (0, 11), "2026-11-20"),
    ("so december twenty three then", (3, 24), "2026-12-23"),
    ("on the 2nd of January", (3, 21), "2027-01-02"),
]
# fmt: on


@pytest.mark.parametrize(("text", "span", "value"), RELATIVE)
def test_relative(text: str, span: tuple[int, int], value: str) -> None:
    fact = only(text, reference=REF)
    assert fact.span == span
    assert fact.value == dt.date.fromisoformat(value)
    assert fact.unit in ("relative", "inferred_year")


def test_relative_needs_a_reference() -> None:
    assert EXTRACTOR.extract("it'll arrive tomorrow or next monday") == []


@pytest.mark.parametrize(
    ("text", "modifier"),
    [
        ("order by 18 December 2026", "up_to"),
        ("returnable until 31 January 2027", "up_to"),
        ("if it drops before 1 December 2026", "under"),
        ("anything bought from 13 November 2026", "from"),
        ("after 2 January 2027", "over"),
        ("on 2 January 2027", None),
    ],
)
def test_modifier(text: str, modifier: str | None) -> None:
    assert only(text).modifier == modifier


def test_a_list_of_days_shares_the_month() -> None:
    text = "closed on 25 and 26 December 2026"
    facts = EXTRACTOR.extract(text)
    assert [f.value for f in facts] == [dt.date(2026, 12, 25), dt.date(2026, 12, 26)]
    assert [f.text for f in facts] == ["25", "26 December 2026"]


@pytest.mark.parametrize(
    "text",
    [
        "you have 30 days to return it",
        "it costs £23.12",
        "call 0800 123 4567",
        "open 24/7",
        "we're open monday to friday",
        "on saturday 9am to 5pm",
        "open on saturdays",
        "the 3rd may be late",
        "you may one day need it",
        "december twenty twenty six",  # a month and a year, no day
        "version v1.2.2026",
        "32/13/2026",
        "it takes 3 to 5 working days",
    ],
)
def test_not_a_date(text: str) -> None:
    assert EXTRACTOR.extract(text, reference=REF) == []


def test_render() -> None:
    assert EXTRACTOR.render(only("23 December 2026")) == "23 Dec 2026"
    assert EXTRACTOR.render(only("December 23rd")) == "23 Dec"


dates = st.dates(min_value=dt.date(2001, 1, 1), max_value=dt.date(2099, 12, 31))


@settings(max_examples=150, deadline=None)
@given(d=dates, form=st.integers(0, 7))
def test_surface_forms_round_trip(d: dt.date, form: int) -> None:
    month = MONTHS[d.month - 1]
    surface = [
        f"{d.day} {month} {d.year}",
        f"{d.day}{suffix(d.day)} of {month} {d.year}",
        f"{d.day}/{d.month}/{d.year}",
        f"{d.day:02d}.{d.month:02d}.{d.year}",
        d.isoformat(),
        f"{month} {d.day}{suffix(d.day)}, {d.year}",
        f"the {ordinal_words(d.day)} of {month.lower()} {spoken_year(d.year)}",
        f"{month.lower()} the {ordinal_words(d.day)} {spoken_year(d.year)}",
    ][form]
    text = f"so um it should be with you on {surface} if that's ok"
    fact = only(text)
    assert fact.value == d
    assert fact.unit is None
    assert text[fact.span[0] : fact.span[1]] == fact.text


@settings(max_examples=100, deadline=None)
@given(ref=dates, weekday=st.sampled_from(["monday", "tuesday", "wednesday", "thursday",
                                            "friday", "saturday", "sunday"]))  # fmt: skip
def test_next_weekday_is_within_a_week(ref: dt.date, weekday: str) -> None:
    fact = only(f"we can deliver next {weekday}", reference=ref)
    assert 1 <= (fact.value - ref).days <= 7
    assert fact.value.strftime("%A").lower() == weekday


@settings(max_examples=200, deadline=None)
@given(text=st.text(), ref=st.none() | dates)
def test_never_raises_and_spans_slice(text: str, ref: dt.date | None) -> None:
    assert_spans(text, EXTRACTOR.extract(text, reference=ref))


@settings(max_examples=100, deadline=None)
@given(
    parts=st.lists(
        st.sampled_from(["on", "the", "23rd", "of", "december", "may", "2026", "twenty", "third",
                         "tomorrow", "next", "friday", "to", "12/11/2026", "£5", "30 days", ","]),
        max_size=12,
    )
)  # fmt: skip
def test_word_salad_spans_slice(parts: list[str]) -> None:
    text = " ".join(parts)
    assert_spans(text, EXTRACTOR.extract(text, reference=REF))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("All phones we've sold since January 2021 are unlocked.", dt.date(2021, 1, 1)),
        ("the new price starts in March of 2026", dt.date(2026, 3, 1)),
    ],
)
def test_a_month_of_a_year(text: str, value: dt.date) -> None:
    [fact] = EXTRACTOR.extract(text)
    assert (fact.value, fact.unit) == (value, "month")
    assert EXTRACTOR.render(fact) == value.strftime("%b %Y")


def test_weekday_after_a_range_of_hours_is_opening_days() -> None:
    """'10am to 4pm on Sunday' is when a store opens, not next Sunday's date."""
    text = "open 9am to 6pm Monday to Saturday and 10am to 4pm on Sunday"
    assert EXTRACTOR.extract(text, reference=REF) == []
    assert [
        f.value for f in EXTRACTOR.extract("the engineer comes at 10am on Sunday", reference=REF)
    ] == [dt.date(2026, 11, 29)]


@pytest.mark.parametrize(
    ("text", "said", "first", "last"),
    [
        ("paid automatically between October and March", "October and March", 10, 3),
        ("the pool is open from May to September", "May to September", 5, 9),
        ("collections run April-October", "April-October", 4, 10),
    ],
)
def test_a_season_of_months(text: str, said: str, first: int, last: int) -> None:
    (fact,) = EXTRACTOR.extract(text)
    assert (fact.text, fact.unit, fact.value.month, fact.upper.month) == (
        said,
        "months",
        first,
        last,
    )


@pytest.mark.parametrize(
    "text", ["in March and April", "you may to be fair", "from 1 October to 31 March"]
)
def test_not_a_season(text: str) -> None:
    assert all(f.unit != "months" for f in EXTRACTOR.extract(text))


def test_another_season_is_a_contradiction() -> None:
    from consistency.compare import compare_answer

    kb = "Eligible customers get it automatically between October and March."
    said = compare_answer("You get it automatically between November and March.", kb)
    assert said.status == "contradiction"
    assert said.conflicts[0].kb_value == "October to March"
    assert compare_answer("It comes between October and March.", kb).status == "consistent"


def test_a_month_each_year() -> None:
    (fact,) = EXTRACTOR.extract("prices rise each April by £3")
    assert (fact.text, fact.unit, EXTRACTOR.render(fact)) == ("each April", "months", "every April")
    from consistency.compare import compare_answer

    kb = "On standard packages, your monthly price goes up by a fixed £3 each April."
    said = compare_answer("The fixed £3 rise happens every January.", kb)
    assert [(c.answer_value, c.kb_value) for c in said.conflicts] == [
        ("every January", "every April")
    ]
