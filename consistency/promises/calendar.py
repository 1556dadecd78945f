"""The working calendar promises are due by: working days, business hours, a timezone.

Agents promise in the contact centre's local time ("tomorrow before five",
"within 5 working days"), while transcripts carry UTC. A
:class:`WorkingCalendar` turns such terms into timezone-aware datetimes: it
knows which weekdays are worked, the business hours, the timezone (so British
Summer Time is handled) and the closed days, public holidays from the offline
``holidays`` package (England by default) plus any extra dates a centre closes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["CalendarError", "WorkingCalendar"]

#: Weekday numbers as ``date.weekday()`` gives them: Monday is 0.
_WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class CalendarError(ValueError):
    """A calendar that cannot work: unknown timezone or country, empty week, bad hours."""


@lru_cache(maxsize=64)
def _public_holidays(country: str, subdivision: str | None, year: int) -> frozenset[dt.date]:
    import holidays

    try:
        found = holidays.country_holidays(country, subdiv=subdivision, years=year)
    except NotImplementedError:
        raise CalendarError(
            f"the holidays package knows no country {country!r} (subdivision {subdivision!r})"
        ) from None
    return frozenset(found)


@dataclass(frozen=True)
class WorkingCalendar:
    """When the contact centre works, for resolving promised terms to datetimes.

    Args:
        timezone: an IANA name; terms are read in this local time and due
            datetimes carry its offset (``+01:00`` in British Summer Time).
        working_days: the weekdays worked, Monday 0 to Sunday 6.
        opens / closes: business hours; a term that names a day and no time is
            due when that day's business closes ("by Thursday" is Thursday
            17:30 by default).
        country / subdivision: public holidays from the offline ``holidays``
            package (``GB``/``ENG``: England's bank holidays); ``country=None``
            for none.
        closed: extra dates the centre is closed (a stock-take, a strike day).

    Example:
        >>> cal = WorkingCalendar()
        >>> start = dt.datetime(2026, 4, 2, 9, 30, tzinfo=dt.UTC)  # Thursday before Easter
        >>> cal.add_working_days(start, 1).isoformat()  # Good Friday and Easter Monday closed
        '2026-04-07T17:30:00+01:00'
    """

    timezone: str = "Europe/London"
    working_days: tuple[int, ...] = (0, 1, 2, 3, 4)
    opens: dt.time = dt.time(9, 0)
    closes: dt.time = dt.time(17, 30)
    country: str | None = "GB"
    subdivision: str | None = "ENG"
    closed: frozenset[dt.date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise CalendarError(f"unknown timezone {self.timezone!r}") from None
        days = tuple(sorted(set(self.working_days)))
        if not days or any(d not in range(7) for d in days):
            raise CalendarError(
                f"working_days must be weekday numbers 0 (Mon) to 6 (Sun), got {self.working_days}"
            )
        object.__setattr__(self, "working_days", days)
        object.__setattr__(self, "closed", frozenset(self.closed))
        if self.opens >= self.closes:
            raise CalendarError(f"opens ({self.opens}) must be before closes ({self.closes})")
        if self.country is not None:
            _public_holidays(self.country, self.subdivision, 2026)

    def __repr__(self) -> str:  # stable: the audit's resume settings compare it
        days = ",".join(_WEEKDAY_NAMES[d] for d in self.working_days)
        closed = ",".join(d.isoformat() for d in sorted(self.closed))
        return (
            f"WorkingCalendar({self.timezone}, {days}, {self.opens:%H:%M}-{self.closes:%H:%M}, "
            f"holidays={self.country}/{self.subdivision}, closed=[{closed}])"
        )

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def local(self, moment: dt.datetime) -> dt.datetime:
        """``moment`` in the calendar's timezone; a naive one is taken as UTC."""
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        return moment.astimezone(self.tz)

    def at(self, day: dt.date, time: dt.time) -> dt.datetime:
        """The local wall-clock ``time`` on ``day``, timezone-aware.

        A wall time that does not exist (the hour skipped when clocks go
        forward) is read with the offset before the change, as ``zoneinfo`` does.
        """
        return dt.datetime.combine(day, time, tzinfo=self.tz)

    def end_of_day(self, day: dt.date) -> dt.datetime:
        """When business closes on ``day`` (working or not), local time."""
        return self.at(day, self.closes)

    def is_holiday(self, day: dt.date) -> bool:
        if day in self.closed:
            return True
        if self.country is None:
            return False
        return day in _public_holidays(self.country, self.subdivision, day.year)

    def is_working_day(self, day: dt.date) -> bool:
        """A worked weekday that is neither a public holiday nor an extra closed date."""
        return day.weekday() in self.working_days and not self.is_holiday(day)

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        for step in range(1, 400):
            candidate = day + dt.timedelta(days=step)
            if self.is_working_day(candidate):
                return candidate
        raise CalendarError(f"no working day in the year after {day}")  # pragma: no cover

    def working_day_on_or_after(self, day: dt.date) -> dt.date:
        return day if self.is_working_day(day) else self.next_working_day(day)

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """Close of business on the ``days``-th working day after ``start``'s local date.

        The day of the call itself never counts, whatever the hour: "within 5
        working days" said on a Monday is due the next Monday at closing time
        (later when a holiday falls in between). ``days=0`` is the close of
        business of the call's own day, or of the next working day when the
        call falls on a closed day.
        """
        if days < 0:
            raise ValueError(f"days must be 0 or more, got {days}")
        day = self.local(start).date()
        if days == 0:
            return self.end_of_day(self.working_day_on_or_after(day))
        for _ in range(days):
            day = self.next_working_day(day)
        return self.end_of_day(day)

    def end_of_week(self, day: dt.date) -> dt.datetime:
        """Close of business on the last working day of ``day``'s week (Monday to Sunday).

        When every worked day of that week is closed, the next working day.
        """
        monday = day - dt.timedelta(days=day.weekday())
        worked = [
            monday + dt.timedelta(days=d)
            for d in range(7)
            if self.is_working_day(monday + dt.timedelta(days=d))
        ]
        last = worked[-1] if worked else self.next_working_day(monday + dt.timedelta(days=6))
        return self.end_of_day(max(last, day))
