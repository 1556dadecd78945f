"""Times and opening hours: ranges, days, 24/7, single times with a bound."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.facts.time import EXTRACTOR
from consistency.models import Fact

HOUR_WORDS = ["twelve", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
              "ten", "eleven"]  # fmt: skip
DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
ABBR = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def only(text: str) -> Fact:
    facts = EXTRACTOR.extract(text)
    assert len(facts) == 1, facts
    return facts[0]


def values(text: str) -> list[str]:
    return [f.value for f in EXTRACTOR.extract(text)]


def assert_spans(text: str, facts: list[Fact]) -> None:
    for f in facts:
        start, end = f.span
        assert 0 <= start < end <= len(text)
        assert text[start:end] == f.text
        assert isinstance(f.value, str) and f.value


# fmt: off
CASES = [
    # text, (start, end), value, modifier
    ("open 9am to 5pm", (5, 15), "09:00-17:00", None),
    ("9:00-17:00", (0, 10), "09:00-17:00", None),
    ("we're open nine till five", (11, 25), "09:00-17:00", None),
    ("8am to 8pm Monday to Friday", (0, 27), "Mon-Fri 08:00-20:00", None),
    ("the line is open 24/7.", (17, 21), "24/7", None),
    ("24 hours a day, 7 days a week", (0, 29), "24/7", None),
    ("its open twenty four seven", (9, 26), "24/7", None),
    ("we're open Monday to Friday", (11, 27), "Mon-Fri", None),
    ("closed at weekends", (0, 18), "Sat-Sun closed", None),
    ("we open at weekends", (11, 19), "Sat-Sun", None),
    ("Saturday 9am to 5pm", (0, 19), "Sat 09:00-17:00", None),
    ("order before 5pm", (13, 16), "17:00", "under"),
    ("call by five o'clock", (8, 20), "17:00", "up_to"),
    ("we open at half past nine", (11, 25), "09:30", "from"),
    ("the branch opens at 9am", (20, 23), "09:00", "from"),
    ("opening time is 8am", (16, 19), "08:00", "from"),
    ("lines close at 6pm", (15, 18), "18:00", "up_to"),
    ("we shut at 17:30", (11, 16), "17:30", "up_to"),
    ("the restriction starts at 15:30", (26, 31), "15:30", "from"),
    ("it ends at 18:30", (11, 16), "18:30", "up_to"),
    ("we open at 9am and close at 5.30pm", (11, 34), "09:00-17:30", None),
    ("your engineer will arrive at 9am", (29, 32), "09:00", None),
    ("lines open 8 a.m. to 8 p.m.", (11, 27), "08:00-20:00", None),
    ("open eight am to eight pm monday through friday", (5, 47), "Mon-Fri 08:00-20:00", None),
    ("Mon-Fri 9.30-5.30", (0, 17), "Mon-Fri 09:30-17:30", None),
    ("sat and sun 10-4", (0, 16), "Sat-Sun 10:00-16:00", None),
    ("open 7 days a week, 8am to 10pm, online", (5, 31), "Mon-Sun 08:00-22:00", None),
    ("order by 10pm, Sunday to Thursday", (9, 33), "Sun-Thu 22:00", "up_to"),
    ("couriers deliver between 7am and 9pm", (25, 36), "07:00-21:00", None),
    ("closed on sundays", (0, 17), "Sun closed", None),
    ("open 9 to 5", (5, 11), "09:00-17:00", None),
    ("open from noon till midnight", (10, 28), "12:00-24:00", None),
    ("open 24 hours", (0, 13), "00:00-24:00", None),
]
# fmt: on


@pytest.mark.parametrize(("text", "span", "value", "modifier"), CASES)
def test_table(text: str, span: tuple[int, int], value: str, modifier: str | None) -> None:
    fact = only(text)
    assert fact.kind == "time"
    assert fact.span == span
    assert text[span[0] : span[1]] == fact.text
    assert fact.value == value
    assert fact.modifier == modifier


def test_kb_opening_hours() -> None:
    text = "We're open Monday to Friday, 8am to 8pm; Saturday 9am to 5pm; and Sunday 10am to 4pm."
    assert values(text) == ["Mon-Fri 08:00-20:00", "Sat 09:00-17:00", "Sun 10:00-16:00"]


def test_spoken_hours_pair_with_their_days() -> None:
    text = "were open nine till five monday to friday and ten till four on saturdays"
    assert values(text) == ["Mon-Fri 09:00-17:00", "Sat 10:00-16:00"]


@pytest.mark.parametrize(
    "text",
    [
        "it takes 3 to 5 working days",
        "between 3 and 5 days",
        "one to two weeks",
        "it costs £3.99",
        "it costs 4.99 to 9.99",
        "a 1-hour time slot",
        "within 24 hours",
        "9 to 5",  # bare numbers with nothing saying they are hours
        "it arrives on monday",
        "up to 5 devices",
        "we'll call you on 0333 014 2200",
    ],
)
def test_not_a_time(text: str) -> None:
    assert EXTRACTOR.extract(text) == []


def test_render() -> None:
    assert EXTRACTOR.render(only("Mon-Fri 8am-8pm")) == "Mon-Fri 08:00-20:00"


@settings(max_examples=150, deadline=None)
@given(start=st.integers(7, 11), end=st.integers(1, 6), form=st.integers(0, 5))
def test_hour_forms_agree(start: int, end: int, form: int) -> None:
    surface = [
        f"{start}am to {end}pm",
        f"{start}:00-{end + 12}:00",
        f"{HOUR_WORDS[start]} till {HOUR_WORDS[end]}",
        f"{start} a.m. to {end} p.m.",
        f"from {HOUR_WORDS[start]} am until {HOUR_WORDS[end]} pm",
        f"{start:02d}:00 to {end}pm",
    ][form]
    text = f"um so the lines are open {surface} ok"
    assert values(text) == [f"{start:02d}:00-{end + 12:02d}:00"]


@settings(max_examples=100, deadline=None)
@given(first=st.integers(0, 6), length=st.integers(1, 5), form=st.integers(0, 3))
def test_day_range_forms_agree(first: int, length: int, form: int) -> None:
    last = (first + length) % 7
    surface = [
        f"{DAYS[first].title()} to {DAYS[last].title()}",
        f"{ABBR[first]}-{ABBR[last]}",
        f"{DAYS[first]} through {DAYS[last]}",
        f"{DAYS[first]} till {DAYS[last]}",
    ][form]
    value = only(f"we're open {surface} 9am to 5pm").value
    assert value.endswith(" 09:00-17:00")
    assert value.startswith(ABBR[first]) or value.startswith("Mon")  # cyclic runs start Monday


@settings(max_examples=150, deadline=None)
@given(
    parts=st.lists(
        st.sampled_from(["open", "9am", "to", "5pm", "nine", "till", "five", "Monday", "fri",
                         "-", "weekends", "closed", "on", "24/7", "12:30", "between", "and",
                         "noon", "days", "£5", ",", "half", "past", "seven", "a", "week",
                         "every", "day", "round", "the", "clock", "twenty", "four", "hours",
                         "bank", "holidays", "by", "from", "x9", "sat"]),
        max_size=14,
    )
)  # fmt: skip
def test_anchored_scan_matches_the_plain_scan(parts: list[str]) -> None:
    """The fast scan (regex tried only at anchor words) agrees with ``finditer``."""
    text = " ".join(parts)
    assert EXTRACTOR.extract(text) == EXTRACTOR._extract(text, reference_scan=True)


@settings(max_examples=200, deadline=None)
@given(text=st.text())
def test_never_raises_and_spans_slice(text: str) -> None:
    assert_spans(text, EXTRACTOR.extract(text))


@settings(max_examples=150, deadline=None)
@given(
    parts=st.lists(
        st.sampled_from(["open", "9am", "to", "5pm", "nine", "till", "five", "monday", "friday",
                         "-", "weekends", "closed", "on", "24/7", "12:30", "between", "and",
                         "noon", "days", "£5", ",", "half", "past"]),
        max_size=14,
    )
)  # fmt: skip
def test_word_salad_spans_slice(parts: list[str]) -> None:
    text = " ".join(parts)
    assert_spans(text, EXTRACTOR.extract(text))


def test_one_minute_to_midnight_is_23_59() -> None:
    [fact] = EXTRACTOR.extract("cheques clear by one minute to midnight")
    assert fact.value == "23:59"
    assert fact.text == "one minute to midnight"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("we'll ring you at ten past nine", "09:10"),
        ("the engineer comes at 10 past 9", "09:10"),
        ("lines close at twenty five to six", "17:35"),
        ("it's 20 min past eight in the evening", "20:20"),
        ("three minutes to eight in the morning", "07:57"),
        ("a quarter to five", "16:45"),
    ],
)
def test_minutes_past_and_to_the_hour(text: str, value: str) -> None:
    assert [f.value for f in EXTRACTOR.extract(text)] == [value]


@pytest.mark.parametrize("text", ["five to ten people", "it takes 10 to 15 minutes"])
def test_a_range_of_counts_is_not_minutes_to_an_hour(text: str) -> None:
    assert EXTRACTOR.extract(text) == []


_RUNS = "Fittings run Monday to Saturday. Choose a morning or an afternoon slot."


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        # a day the KB gives, and no other: part of its days
        ("Yes, we do Saturdays.", "consistent"),
        ("We fit on Saturdays as well as Monday to Friday.", "consistent"),
        # said to be the only days, or another day
        ("We only fit Monday to Friday.", "contradiction"),
        ("We fit Monday to Friday only.", "contradiction"),
        ("Yes, we fit on Sundays.", "contradiction"),
    ],
)
def test_part_of_the_kbs_days_is_no_other_set(answer: str, status: str) -> None:
    from consistency.compare import compare_answer

    assert compare_answer(answer, _RUNS).status == status


_HOURS = "Our phone lines are open Monday to Friday, 8am to 6pm."


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        # one end of the KB's hours, said as the verb or bound that names it
        ("We're open from 8am.", "consistent"),
        ("Lines open at 8am and close at 6pm.", "consistent"),
        ("Monday to Friday, yes; call any time before 6pm.", "consistent"),
        ("We open at 8am on weekdays.", "consistent"),
        # the other time for that end, even when the days were right
        ("We open at 9am on weekdays.", "contradiction"),
        ("Lines open at 8am, Monday to Friday, and close at 8pm.", "contradiction"),
        ("Opening time is 8am, closing time 7pm.", "contradiction"),
        ("Lines open at 9am and close at 6pm.", "contradiction"),
    ],
)
def test_an_opening_or_closing_time_is_that_end_of_the_hours(answer: str, status: str) -> None:
    from consistency.compare import compare_answer

    assert compare_answer(answer, _HOURS).status == status


_SLOTS = (
    "Technician visits take place Monday to Friday, in either a morning slot (8am to 12pm)"
    " or an afternoon slot (12pm to 5pm)."
)


@pytest.mark.parametrize(
    ("answer", "kb", "status"),
    [
        # days that agree do not confirm hours the KB states apart from them
        ("The afternoon slot is 12pm to 6pm, Monday to Friday.", _SLOTS, "contradiction"),
        ("The afternoon slot is 12pm to 5pm, Monday to Friday.", _SLOTS, "consistent"),
        # the days confirmed, then the time said apart: still that claim's time
        (
            "On Thursdays every branch has late appointments until 8pm.",
            "Every branch offers late appointments until 7pm on Thursdays.",
            "contradiction",
        ),
        # days and time both confirmed: the customer's own time is left alone
        (
            "It only covers weekdays before 4pm, so 5.30pm on a Tuesday wouldn't be included.",
            "Off-Peak Gym gives gym access before 4pm on weekdays and at any time at weekends.",
            "consistent",
        ),
    ],
)
def test_each_part_of_stated_hours_is_checked(answer: str, kb: str, status: str) -> None:
    from consistency.compare import compare_answer

    assert compare_answer(answer, kb).status == status
