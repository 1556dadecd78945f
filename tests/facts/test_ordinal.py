"""Ordinal positions: the day of the month, the Nth working day, the Nth anniversary."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.compare import compare_answer
from consistency.facts.ordinal import EXTRACTOR
from tests.timing import per_char


def ordinals(text: str) -> list[tuple[Decimal, str | None]]:
    return [(f.value, f.unit) for f in EXTRACTOR.extract(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Your bill is issued on the 1st of every month.", [(1, "day_of_month")]),
        ("collected on the 15th of the month", [(15, "day_of_month")]),
        (
            "any day from the 1st to the 28th of the month",
            [(1, "day_of_month"), (28, "day_of_month")],
        ),
        ("A new one is issued on the 3rd.", [(3, "day_of_month")]),
        ("it lands by the fifth working day", [(5, "working_day")]),
        ("on the 2nd business day after", [(2, "working_day")]),
        ("reviewed at the second anniversary", [(2, "anniversary")]),
        ("your bill comes out on the fifteenth of the month", [(15, "day_of_month")]),
    ],
)
def test_ordinals_written_and_spoken(text: str, expected: list[tuple[int, str]]) -> None:
    assert ordinals(text) == [(Decimal(v), u) for v, u in expected]


@pytest.mark.parametrize(
    "text",
    [
        "First, you'll need to log in.",
        "give me a second",
        "first of all, thanks for waiting",
        "is this the first time you've called?",
        "on 3rd March",  # a date: the date extractor's
        "March the 3rd",
        "is this the 1st time you've called?",
    ],
)
def test_discourse_ordinals_and_dates_are_not_ordinal_facts(text: str) -> None:
    assert ordinals(text) == []


def test_a_different_day_of_the_month_is_a_contradiction() -> None:
    kb = "Your bill is issued on the 1st of every month. Direct Debit is collected on the 15th."
    wrong = compare_answer("A new bill is issued on the 3rd of the month.", kb)
    assert wrong.status == "contradiction"
    assert (wrong.conflicts[0].answer_value, wrong.conflicts[0].kb_value) == (
        "the 3rd of the month",
        "the 1st of the month",
    )
    right = compare_answer("bills come out on the first of each month", kb)
    assert right.status == "consistent"


def test_working_day_and_day_of_month_are_not_compared() -> None:
    kb = "Refunds reach your account by the 5th working day."
    assert (
        compare_answer("It'll be with you on the 5th of the month.", kb).status != "contradiction"
    )
    assert compare_answer("It reaches you by the second working day.", kb).status == "contradiction"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_never_crashes_and_spans_index_the_text(text: str) -> None:
    for f in EXTRACTOR.extract(text):
        assert text[f.span[0] : f.span[1]] == f.text
        assert f.value is not None and 1 <= f.value <= 366


def test_time_grows_linearly_with_the_text() -> None:
    unit = "Bills go out on the 1st of every month, and by the 2nd working day. "

    def rate(n: int) -> float:
        return per_char(EXTRACTOR.extract, unit * n)

    rate(5)  # warm the regex caches
    small, large = rate(20), rate(800)
    assert large < small * 4


def test_the_next_working_day_is_the_first() -> None:
    assert ordinals("We'll refund you the next working day.") == [(Decimal(1), "working_day")]
    kb = "Refunds reach your bank account on the third working day after we receive the item."
    result = compare_answer("It reaches your account the next working day after we get it.", kb)
    assert result.status == "contradiction"
    assert result.conflicts[0].kind == "ordinal"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("we send it on a second-working-day courier", [(2, "working_day")]),
        ("it goes by next-working-day delivery", [(1, "working_day")]),
        ("counted from the day after your start date", [(1, "day")]),
        ("we invoice on the working day after sign-off", [(1, "working_day")]),
        ("we invoice on the day of sign-off", [(0, "day")]),
        ("it goes up on the morning of the fitting", [(0, "day")]),
        ("we deliver the next day", [(1, "day")]),
        ("not the day after tomorrow", []),
        ("a third claim in five years removes it", [(3, "claim")]),
        ("give me a second, please", []),
        ("we text you the evening before delivery", [(-1, "day")]),
        ("it goes up on the working day before your fitting", [(-1, "day")]),
    ],
)
def test_days_counted_from_an_event(text: str, expected: list[tuple[int, str]]) -> None:
    assert ordinals(text) == [(Decimal(v), u) for v, u in expected]


@pytest.mark.parametrize(
    ("answer", "kb"),
    [
        ("Compensation is counted from the third day after your go-live date.",
         "Compensation is counted from the day after your go-live date."),
        ("We email the invoice on the working day after sign-off.",
         "We email the invoice on the day of sign-off."),
        ("Lounge passes are valid the day before you travel.",
         "Lounge passes are valid on the day of travel only."),
        ("The spare is sent on a second-working-day delivery.",
         "The spare is sent on a next-working-day delivery."),
    ],
)  # fmt: skip
def test_another_day_from_the_same_event_is_a_contradiction(answer: str, kb: str) -> None:
    result = compare_answer(answer, kb)
    assert [c.kind for c in result.conflicts] == ["ordinal"]
    assert compare_answer(kb, kb).status == "consistent"


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("direct debits are taken on the twentieth", [20]),
        ("we collect it on the first and the fifteenth", [1, 15]),
        ("any day from the first to the twenty eighth", [1, 28]),
    ],
)
def test_a_spoken_day_after_a_preposition_and_the(text: str, days: list[int]) -> None:
    facts = EXTRACTOR.extract(text)
    assert [(int(f.value), f.unit) for f in facts] == [(d, "day_of_month") for d in days]


@pytest.mark.parametrize(
    "text", ["it is on the second floor", "give me a second", "on the first time you log in"]
)
def test_a_spoken_ordinal_with_a_noun_or_alone_is_no_day(text: str) -> None:
    assert [f for f in EXTRACTOR.extract(text) if f.unit == "day_of_month"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We collect on the last working day of each month.", [(-1, "working_day")]),
        ("It's taken on the last day of the month.", [(-1, "day_of_month")]),
        ("The second and any further children get 10% off.", [(2, "child")]),
        ("It's added to your next direct debit.", [(1, "direct debit")]),
        ("The price changes from the direct debit after next.", [(2, "direct debit")]),
        ("If the second collection attempt fails", [(2, "collection attempt")]),
        ("We ask for a reading in the last week of each quarter.", [(-1, "week")]),
        ("Payments go out in the last week of January and July.", [(-1, "week")]),
    ],
)
def test_last_next_and_named_positions(text: str, expected: list[tuple[int, str]]) -> None:
    assert ordinals(text) == [(Decimal(v), u) for v, u in expected]


@pytest.mark.parametrize(
    "text",
    [
        "The last day you can cancel is Friday.",
        "I'll call you back next week.",
        "We changed it last week, so you'll see it soon.",
        "Your next step is to fill in the form.",
    ],
)
def test_deadlines_and_times_are_no_positions(text: str) -> None:
    assert ordinals(text) == []


def test_a_position_in_working_days_meets_a_period_of_them() -> None:
    kb = "Aftercare will reply within 3 working days of receiving your photos."
    late = compare_answer("They'll reply by the 7th working day after they get the photos.", kb)
    assert late.status == "contradiction"
    assert late.conflicts[0].answer_value == "the 7th working day"
    inside = compare_answer("They'll reply by the 3rd working day after they get the photos.", kb)
    assert inside.status == "consistent"


def test_two_names_of_one_series_are_compared_by_their_head() -> None:
    kb = "If the second collection attempt also fails, we add a £10 fee."
    c = compare_answer("The £10 fee is added after the first failed attempt.", kb)
    assert [x.kind for x in c.conflicts] == ["ordinal"]


def test_the_first_and_the_last_week_of_a_quarter_differ() -> None:
    kb = "We ask for a meter reading in the last week of each billing quarter."
    result = compare_answer("We ask for a reading in the first week of each billing quarter.", kb)
    assert [(c.kind, c.answer_value, c.kb_value) for c in result.conflicts] == [
        ("ordinal", "the 1st week", "the last week")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("we carry items up to the 2nd floor", [(2, "floor")]),  # a floor, not a day
        ("up to the third floor without a lift", [(3, "floor")]),
        ("Teachers assess every child in week 6 of each term.", [(6, "week")]),
        ("Children move on to Stage 2 after that.", [(2, "stage")]),
        ("repayments start in month 13", [(13, "month")]),
        ("call us and choose option 3 for help", [(3, "option")]),
    ],
)
def test_a_numbered_position_is_an_ordinal_of_its_noun(
    text: str, expected: list[tuple[int, str]]
) -> None:
    assert [(int(f.value), f.unit) for f in EXTRACTOR.extract(text)] == expected


@pytest.mark.parametrize("text", ["it takes 6 weeks", "in 2027 week by week", "week 2.5%"])
def test_a_duration_or_a_number_after_week_is_no_position(text: str) -> None:
    assert [f for f in EXTRACTOR.extract(text) if f.unit == "week"] == []


def test_a_period_after_the_number_is_a_duration_not_a_position() -> None:
    assert EXTRACTOR.extract("a 12 month 2 year deal") == []


def test_another_menu_option_or_month_is_a_contradiction() -> None:
    kb = "If you need help to charge, call us and choose option 3."
    assert compare_answer("Call us and choose option 2.", kb).status == "contradiction"
    kb = "Otherwise, repayments start in month 13 and are spread over 36 months."
    assert compare_answer("Repayments start in month 7.", kb).status == "contradiction"
    assert compare_answer("Repayments start in month 13.", kb).status == "consistent"


def test_the_customers_floor_beside_the_answers_own_is_not_the_kbs() -> None:
    kb = "Without a lift, our team will carry items up to the third floor."
    answer = (
        "Without a lift our team can carry items up to the second floor, so the third "
        "floor would be a problem."
    )
    question = "I'm on the third floor with no lift, will they bring a wardrobe up?"
    found = compare_answer(answer, kb, question=question)
    assert [(c.kind, c.answer_value, c.kb_value) for c in found.conflicts] == [
        ("ordinal", "the 2nd floor", "the 3rd floor")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Quiet Coach is Coach C on every train.", [(3, "coach", "Coach C")]),
        ("Step-free trains leave from Platform 4.", [(4, "platform", "Platform 4")]),
        ("Travel in Zones 1-3 only.", []),  # a range of zones, no one place
    ],
)
def test_a_place_named_by_its_label_is_a_position_shown_as_said(
    text: str, expected: list[tuple[int, str, str]]
) -> None:
    assert [
        (int(f.value), f.unit, EXTRACTOR.render(f)) for f in EXTRACTOR.extract(text)
    ] == expected


def test_another_coach_label_is_a_contradiction() -> None:
    kb = "Coach A on every Express train is the Quiet Coach: please don't make calls there."
    found = compare_answer("The Quiet Coach is Coach C on all Express trains.", kb)
    assert [(c.answer_value, c.kb_value) for c in found.conflicts] == [("Coach C", "Coach A")]


def test_spoken_positions_after_every_a_possessive_or_a_coordinated_one() -> None:
    def positions(text: str) -> list[tuple[str, str]]:
        return [(str(f.value), f.unit) for f in EXTRACTOR.extract(text)]

    assert positions("We change the bed linen every second night.") == [("2", "night")]
    assert positions("once your friend's second order is delivered") == [("2", "order")]
    assert positions("They're on the ground or first floor.") == [("1", "floor")]
    assert positions("on the first, second or third floor") == [
        ("1", "floor"),
        ("2", "floor"),
        ("3", "floor"),
    ]
    # discourse stays discourse
    assert positions("First, you'll need to call us, or give me a second.") == []


def test_final_is_a_position_where_last_is_the_one_before() -> None:
    """ "your final month's invoice" is the last of a series; "last month" is the one before."""
    facts = EXTRACTOR.extract("It's refunded against your final month's invoice.")
    assert [(f.value, f.unit) for f in facts] == [(Decimal(-1), "month")]
    assert EXTRACTOR.extract("We sent it last month.") == []
    assert EXTRACTOR.extract("That's our final decision.") == []


def test_the_current_one_is_position_zero() -> None:
    facts = EXTRACTOR.extract("It stays active until the end of your current billing month.")
    assert [(f.value, f.unit) for f in facts] == [(Decimal(0), "billing month")]
    later = EXTRACTOR.extract("It stays active until the end of your next billing month.")
    assert [(f.value, f.unit) for f in later] == [(Decimal(1), "billing month")]
