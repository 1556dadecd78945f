"""Reference dates anywhere from date.min to date.max never overflow.

"Next Monday" said in a conversation dated 9999-12-31 raised OverflowError in the
date extractor (and in the promise due-time code after it); a date that would
fall outside ``datetime``'s range is now dropped, never raised.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from consistency.facts import default_registry
from consistency.promises import WorkingCalendar
from consistency.promises.due import MAX_TERM_WORKING_DAYS, resolve_term

# Words every date, time and duration form is built from, relative ones in particular.
_SAID = (
    "today tomorrow yesterday tonight the day after tomorrow next last this on by before "
    "after until from since Monday Tuesday Wednesday Thursday Friday Saturday Sunday week "
    "month year weekend within in ago days working business hours minutes months 3 14 28 48 "
    "999999999 five twenty the 1st 31st of December January February 29 2026 9999 0001 "
    "Christmas Day Boxing Day New Year's Eve 31/12/9999 1/1/0001 9am 5pm half five at "
    "first thing end of the day right away couple few I'll call you back"
)
_PHRASES = _SAID.split()
_texts = st.lists(st.sampled_from(_PHRASES), max_size=12).map(" ".join)
_any_day = st.dates(min_value=dt.date.min, max_value=dt.date.max)
_edges = [dt.date.min, dt.date.min + dt.timedelta(days=3), dt.date.max - dt.timedelta(days=3)]


@pytest.mark.parametrize("extractor", list(default_registry), ids=lambda e: e.kind)
@settings(max_examples=150, deadline=None)
@given(text=_texts, reference=_any_day | st.sampled_from([*_edges, dt.date.max]) | st.none())
@example(text="see you next Monday", reference=dt.date.max)
@example(text="it was last Friday", reference=dt.date.min)
@example(text="the day after tomorrow", reference=dt.date.max)
def test_no_extractor_overflows(extractor, text: str, reference: dt.date | None) -> None:  # type: ignore[no-untyped-def]
    for fact in extractor.extract(text, reference=reference):
        assert text[fact.span[0] : fact.span[1]] == fact.text
        if isinstance(fact.value, dt.date):
            assert dt.date.min <= fact.value <= dt.date.max


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        ("next Monday", dt.date(9999, 12, 31), None),  # a Friday: Monday is past date.max
        ("tomorrow", dt.date.max, None),
        ("yesterday", dt.date.min, None),
        ("last Friday", dt.date(1, 1, 1), None),  # a Monday: Friday is before date.min
        ("tomorrow", dt.date(9999, 12, 30), dt.date.max),  # in range: kept
        ("next Monday", dt.date(9999, 12, 24), dt.date(9999, 12, 27)),
    ],
)
def test_relative_dates_past_the_range_are_dropped(
    text: str, reference: dt.date, expected: dt.date | None
) -> None:
    dates = [f.value for f in default_registry.extract(text, reference=reference, kinds=["date"])]
    assert dates == ([] if expected is None else [expected])


_PROMISES = [
    "I'll call you back tomorrow before five",
    "the refund will reach you within five working days",
    "within 48 hours",
    "next week",
    "this week",
    "right away",
    "in a couple of days",
    "booked in for Thursday",
    "in 3 months",
    "within 10 minutes",
    "by the end of the day",
    "first thing tomorrow",
    "at 3pm",
    "within 99999999999999999999 minutes",
]
_moments = st.datetimes(
    min_value=dt.datetime.min,
    max_value=dt.datetime.max,
    timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=-5))])
    | st.just(dt.timezone(dt.timedelta(hours=5))),
)


@settings(max_examples=150, deadline=None)
@given(
    text=st.sampled_from(_PROMISES) | _texts,
    started_at=_moments,
    kind=st.sampled_from(["callback", "refund", "visit"]),
)
@example(text="next Monday", started_at=dt.datetime.max.replace(tzinfo=dt.UTC), kind="callback")
@example(text="in two days", started_at=dt.datetime.min.replace(tzinfo=dt.UTC), kind="refund")
def test_due_times_never_overflow(text: str, started_at: dt.datetime, kind: str) -> None:
    term = resolve_term(text, (0, len(text)), started_at, WorkingCalendar(), kind=kind)
    if term.due is not None:
        assert term.due >= started_at


def test_an_absurd_working_day_term_gets_no_due_time_and_returns_at_once() -> None:
    start = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    said = f"within {MAX_TERM_WORKING_DAYS + 1} working days"
    began = time.perf_counter()
    term = resolve_term(said, (0, len(said)), start, WorkingCalendar(), kind="refund")
    huge = "within 999999999 working days"
    term_huge = resolve_term(huge, (0, len(huge)), start, WorkingCalendar(), kind="refund")
    assert time.perf_counter() - began < 5  # counted a day at a time it ran for hours
    assert term.due is None and term_huge.due is None
    assert term.text == f"{MAX_TERM_WORKING_DAYS + 1} working days"
