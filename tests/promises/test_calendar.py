"""The working calendar: working days, bank holidays, business hours, timezones."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.promises import CalendarError, WorkingCalendar

UTC = dt.UTC
CAL = WorkingCalendar()


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


# fmt: off
WORKING_DAYS = [
    ("2026-03-30T10:00:00+00:00", 1, "2026-03-31T17:30:00+01:00"),   # Mon -> Tue
    ("2026-03-30T22:30:00+00:00", 1, "2026-03-31T17:30:00+01:00"),   # 23:30 BST, still Monday
    ("2026-03-27T16:00:00+00:00", 1, "2026-03-30T17:30:00+01:00"),   # Fri (GMT) -> Mon (BST)
    ("2026-04-02T09:30:00+00:00", 1, "2026-04-07T17:30:00+01:00"),   # Good Friday, Easter Monday
    ("2026-03-30T10:00:00+00:00", 5, "2026-04-08T17:30:00+01:00"),   # 5 working days over Easter
    ("2026-03-28T12:00:00+00:00", 1, "2026-03-30T17:30:00+01:00"),   # a Saturday call
    ("2026-03-28T12:00:00+00:00", 0, "2026-03-30T17:30:00+01:00"),   # 0 days: next open day
    ("2026-12-24T12:00:00+00:00", 1, "2026-12-29T17:30:00+00:00"),   # Christmas, Boxing Day
]
# fmt: on


@pytest.mark.parametrize(("start", "days", "due"), WORKING_DAYS)
def test_add_working_days(start, days, due):
    assert CAL.add_working_days(at(start), days) == at(due)
    assert CAL.add_working_days(at(start), days).isoformat() == due


def test_the_local_day_decides_not_the_utc_day():
    """23:30 BST on Monday is 22:30 UTC Monday; 00:30 BST Tuesday is still Monday in UTC."""
    late = at("2026-03-30T23:30:00+00:00")  # 00:30 BST Tuesday
    assert CAL.local(late).date() == dt.date(2026, 3, 31)
    assert CAL.add_working_days(late, 1) == at("2026-04-01T17:30:00+01:00")


def test_holidays_weekends_and_extra_closed_days():
    assert not CAL.is_working_day(dt.date(2026, 4, 3))  # Good Friday
    assert not CAL.is_working_day(dt.date(2026, 4, 6))  # Easter Monday (England)
    assert not CAL.is_working_day(dt.date(2026, 4, 4))  # Saturday
    assert CAL.is_working_day(dt.date(2026, 4, 7))
    closed = WorkingCalendar(closed=frozenset({dt.date(2026, 3, 31)}))
    assert not closed.is_working_day(dt.date(2026, 3, 31))
    assert closed.add_working_days(at("2026-03-30T10:00:00+00:00"), 1).date() == dt.date(2026, 4, 1)


def test_subdivisions_differ():
    """Easter Monday is a bank holiday in England, not in Scotland; 2 January the other way."""
    scotland = WorkingCalendar(subdivision="SCT")
    assert scotland.is_working_day(dt.date(2026, 4, 6))
    assert not scotland.is_working_day(dt.date(2026, 1, 2))
    assert CAL.is_working_day(dt.date(2026, 1, 2))


def test_no_holidays_and_a_six_day_week():
    cal = WorkingCalendar(country=None, working_days=(0, 1, 2, 3, 4, 5))
    assert cal.is_working_day(dt.date(2026, 4, 3))  # Good Friday worked
    assert cal.add_working_days(at("2026-04-03T10:00:00+00:00"), 1).date() == dt.date(2026, 4, 4)


def test_another_timezone_and_hours():
    ny = WorkingCalendar(
        timezone="America/New_York",
        opens=dt.time(8),
        closes=dt.time(18),
        country="US",
        subdivision=None,
    )
    due = ny.add_working_days(at("2026-07-02T20:00:00+00:00"), 1)  # Thu 16:00 EDT
    assert due.isoformat() == "2026-07-06T18:00:00-04:00"  # Fri 3 July observed holiday
    assert ny.end_of_day(dt.date(2026, 1, 5)).isoformat() == "2026-01-05T18:00:00-05:00"


def test_end_of_week():
    assert CAL.end_of_week(dt.date(2026, 3, 30)).date() == dt.date(2026, 4, 2)  # Good Friday off
    assert CAL.end_of_week(dt.date(2026, 4, 7)).date() == dt.date(2026, 4, 10)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"timezone": "Mars/Olympus"}, "unknown timezone"),
        ({"working_days": ()}, "working_days"),
        ({"working_days": (7,)}, "working_days"),
        ({"opens": dt.time(18), "closes": dt.time(9)}, "opens"),
        ({"country": "XX"}, "no country"),
    ],
)
def test_bad_calendars_are_refused(kwargs, message):
    with pytest.raises(CalendarError, match=message):
        WorkingCalendar(**kwargs)


def test_repr_is_stable_for_resume_settings():
    assert repr(WorkingCalendar()) == repr(WorkingCalendar())
    assert repr(WorkingCalendar()) == (
        "WorkingCalendar(Europe/London, Mon,Tue,Wed,Thu,Fri, 09:00-17:30, holidays=GB/ENG, closed=[])"
    )
    assert repr(WorkingCalendar(closed=frozenset({dt.date(2026, 1, 2)}))) != repr(CAL)


moments = st.datetimes(
    min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2028, 12, 31), timezones=st.just(UTC)
)


@settings(max_examples=200, deadline=None)
@given(moments, st.integers(min_value=1, max_value=25))
def test_working_days_land_on_working_days_after_the_start(start, days):
    due = CAL.add_working_days(start, days)
    assert due.tzinfo is not None
    assert CAL.is_working_day(due.date())
    assert due.time() == CAL.closes
    # exactly `days` working days lie after the call's local day, up to and including due
    day, count = CAL.local(start).date(), 0
    while day < due.date():
        day += dt.timedelta(days=1)
        count += CAL.is_working_day(day)
    assert count == days


@settings(max_examples=100, deadline=None)
@given(moments, st.integers(min_value=0, max_value=15))
def test_more_working_days_are_never_earlier(start, days):
    later = CAL.add_working_days(start, days + 1)
    assert later >= CAL.add_working_days(start, days) >= CAL.local(start).replace(hour=0, minute=0)
    if days:
        assert later > CAL.add_working_days(start, days)
