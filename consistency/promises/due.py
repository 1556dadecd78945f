"""When a promise is due: the term an agent said, resolved on the working calendar.

The numbers, dates and times come from the fact engine (``consistency.facts``:
its duration, date and time extractors with their spoken-number handling); this
module only decides which of them is the promise's term and turns it into a
timezone-aware datetime. The rules, in the calendar's local time:

* a date ("tomorrow", "on Thursday", "by the 3rd of April", "on the 12th": the next
  12th) with a time ("before
  five", "by 3pm") is due at that time that day; a date alone when business
  closes that day; a time alone today, or on the next working day when it has
  already passed at the call's start;
* hours and minutes are exact ("within 48 hours" is the call's start + 48 h);
  calendar days and months end when business closes on the last day; working
  days count on the calendar (:meth:`WorkingCalendar.add_working_days`); a
  range ("3 to 5 working days") is due at its upper end;
* "end of the day", "this afternoon", "tonight": today's close of business;
  "this week" / "next week": the last working day of that week; "now", "right
  away": the start + 1 hour;
* a term measured from an event the transcript cannot date ("within 5 working
  days of it arriving", "as soon as we receive it") leaves ``due`` unset;
* no term: the kind's default from :data:`DEFAULT_TERMS` (working days), or no
  due at all. A term that would fall before the call started is ignored;
* a due time that would fall outside ``datetime``'s range (a call dated near
  9999-12-31 or 0001-01-01), or a term of more than :data:`MAX_TERM_WORKING_DAYS`
  working days, is not computed: ``due`` stays unset (the term's words are kept,
  and the kind's default is not used instead).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from consistency.facts import extract
from consistency.facts.numbers import words_to_number
from consistency.models import Fact
from consistency.promises.calendar import WorkingCalendar
from consistency.promises.models import DueSource

__all__ = ["DEFAULT_TERMS", "MAX_TERM_WORKING_DAYS", "Term", "resolve_term"]

#: The longest term, in working days, given a due time (about ten years). Working
#: days are counted one at a time on the calendar, so "within 999999999 working
#: days" would otherwise run for hours; no promise that long is ever chased.
MAX_TERM_WORKING_DAYS = 2_600
#: What date arithmetic raises past ``date.min``/``date.max`` (a ``date`` past year
#: 9999 is a ValueError, a ``timedelta`` or ``datetime`` out of range an OverflowError).
_OUT_OF_RANGE = (OverflowError, ValueError)

#: Working days a promise of each kind is due in when the agent names no term.
#: A callback or an email with no time said is due by the end of the next working
#: day; a refund within the usual 5 working days; an escalation's answer within 2.
#: A visit always has a booked day, so one without a day has no default (``None``:
#: then only a chase after the audit's grace period counts).
DEFAULT_TERMS: dict[str, int | None] = {
    "callback": 1,
    "email_or_letter": 1,
    "refund": 5,
    "escalation": 2,
    "visit": None,
    "other": None,
}


@dataclass(frozen=True)
class Term:
    """A resolved term: ``due`` (aware) or ``None``, and the words it came from."""

    due: dt.datetime | None
    source: DueSource
    text: str | None = None
    span: tuple[int, int] | None = None


_HOUR_WORDS = r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
# "before five", "by 5", "until half five" are times the time extractor leaves alone
# (a bare number could be anything); after a bound word in a promise they are a clock.
_BARE_HOUR = re.compile(
    rf"\b(?:before|by|until|till|no\s+later\s+than|around|at)\s+(?P<half>half\s+)?"
    rf"(?P<h>{_HOUR_WORDS}|1[0-2]|[1-9])\b(?!\s*(?:[:.]\d|working|business|days?|hours?|"
    rf"hrs?|minutes?|mins?|weeks?|months?|years?|pounds?|p\b|%|percent|items?|of\b|o['’]?clock"
    rf"|am\b|pm\b|a\.m|p\.m|in\s+the|thirty|fifteen|forty|twenty|oh\b))",
    re.IGNORECASE,
)
# A part of the day after a date: "tomorrow morning" is due by noon, "by lunchtime" by 13:00.
_DAYPART = re.compile(
    r"\b(?:in\s+the\s+|this\s+|tomorrow\s+|by\s+)?(?P<part>first\s+thing|morning|lunchtime"
    r"|lunch\s+time)\b",
    re.IGNORECASE,
)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# "booked in for Monday", "first thing monday": a weekday the date extractor leaves alone
_FOR_WEEKDAY = re.compile(
    rf"\b(?:for|first\s+thing(?:\s+on)?)\s+(?P<day>{'|'.join(_WEEKDAYS)})\b", re.IGNORECASE
)
_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.IGNORECASE), name)
    for p, name in (
        (
            r"\b(?:by\s+)?(?:the\s+)?(?:end|close)\s+of\s+(?:the\s+)?(?:day|today|business"
            r"|play)\b|\b(?:later\s+)?this\s+(?:afternoon|evening)\b|\blater\s+(?:on\s+)?today\b"
            r"|\btonight\b",
            "today",
        ),
        (r"\bfirst\s+thing(?:\s+tomorrow)?(?:\s+(?:in\s+the\s+)?morning)?\b", "first_thing"),
        (r"\b(?:by\s+)?(?:the\s+)?end\s+of\s+(?:the|this)\s+week\b|\bthis\s+week\b", "this_week"),
        (r"\b(?:by\s+)?(?:the\s+)?end\s+of\s+next\s+week\b|\bnext\s+week\b", "next_week"),
        (
            r"\b(?:right\s+(?:now|away)|straight\s+away|immediately|now|in\s+a\s+(?:minute"
            r"|moment|sec(?:ond)?|bit)|in\s+the\s+next\s+hour|within\s+the\s+hour)\b",
            "hour",
        ),
        (r"\b(?:in\s+|within\s+)?(?:the\s+next\s+)?(?:a\s+)?couple\s+of\s+days\b", "two_days"),
        (r"\b(?:in\s+|within\s+)?(?:the\s+next\s+)?(?:a\s+)?few\s+days\b", "three_days"),
    )
)
# The term counts from an event the transcript cannot date.
_EVENT_AFTER = re.compile(
    r"^\s*,?\s*(?:of|from|after)\s+(?:(?:it|them|the|your|our|us|we|you|when|its|their)\s+)?"
    r"(?:\w+\s+){0,2}?(?:arriv\w*|receiv\w*|receipt|reach\w*|getting|gets|get|collect\w*"
    r"|delivery|delivered|dispatch\w*|process\w*|return\w*)\b",
    re.IGNORECASE,
)
_EVENT_ANY = re.compile(
    r"\b(?:once|as\s+soon\s+as|when|after)\s+(?:it|we|they|the|your|our|that|this|i)\b"
    r"(?!\s+(?:'ve|have)\s+(?:escalated|passed|raised|logged|processed))",
    re.IGNORECASE,
)


def _bare_clock(raw: str, half: bool) -> dt.time | None:
    value = words_to_number(raw)
    if value is None or not 1 <= value <= 12:
        return None
    hour = int(value)
    # The business-hours reading, as the time extractor takes it: 7-11 morning, 12 noon, 1-6 pm.
    if hour <= 6:
        hour += 12
    return dt.time(hour, 30 if half else 0)


def _clock_of(value: str) -> tuple[int | None, dt.time] | None:
    """``"Fri 15:00"`` / ``"17:30"`` / ``"Thu 08:00-12:00"`` -> (weekday or None, last time)."""
    m = re.fullmatch(
        r"(?:(?P<day>Mon|Tue|Wed|Thu|Fri|Sat|Sun)\s+)?(?:\d\d:\d\d-)?(?P<h>\d\d):(?P<m>\d\d)",
        value.strip(),
    )
    if m is None:
        return None
    hour, minute = int(m.group("h")), int(m.group("m"))
    if hour == 24:
        hour, minute = 23, 59
    days = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    weekday = days.index(m.group("day")) if m.group("day") else None
    return weekday, dt.time(hour, minute)


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def _duration_due(
    value: Decimal, unit: str | None, start: dt.datetime, calendar: WorkingCalendar
) -> dt.datetime | None:
    today = calendar.local(start).date()
    if unit == "second":
        return calendar.local(start + dt.timedelta(seconds=float(value)))
    if unit == "minute":
        return calendar.local(start + dt.timedelta(minutes=float(value)))
    if unit == "hour":
        return calendar.local(start + dt.timedelta(hours=float(value)))
    if unit == "day":
        return calendar.end_of_day(
            today + dt.timedelta(days=int(value.to_integral_value("ROUND_CEILING")))
        )
    if unit == "business_day":
        days = int(value.to_integral_value("ROUND_CEILING"))
        if days > MAX_TERM_WORKING_DAYS:
            raise OverflowError(f"{days} working days: longer than MAX_TERM_WORKING_DAYS")
        return calendar.add_working_days(start, days)
    if unit == "month":
        return calendar.end_of_day(
            _add_months(today, int(value.to_integral_value("ROUND_CEILING")))
        )
    return None


def _next_day_of_month(today: dt.date, day: int) -> dt.date | None:
    """The first date from ``today`` that is the ``day``-th of its month (within a year)."""
    year, month = today.year, today.month
    for _ in range(13):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            candidate = None
        if candidate is not None and candidate >= today:
            return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def resolve_term(
    text: str,
    window: tuple[int, int],
    started_at: dt.datetime | None,
    calendar: WorkingCalendar,
    *,
    kind: str,
    defaults: Mapping[str, int | None] | None = None,
) -> Term:
    """The term of the promise said in ``text[window[0]:window[1]]``, resolved to a due time.

    Args:
        text: the agent's turn; spans in the result index it.
        window: the part of ``text`` that belongs to this promise.
        started_at: when the conversation started (UTC or any aware time);
            ``None`` gives no due time, only the term's words.
        calendar: working days, hours and timezone.
        kind: the promise kind, for the default term.
        defaults: working days per kind when no term is said (:data:`DEFAULT_TERMS`).

    Returns:
        A :class:`Term`; its ``due`` is never before ``started_at``.
    """
    defaults = DEFAULT_TERMS if defaults is None else defaults
    lo, hi = window
    part = text[lo:hi]
    try:
        local = calendar.local(started_at) if started_at is not None else None
    except _OUT_OF_RANGE:  # 0001-01-01 00:00 UTC is before year 1 in a later timezone
        local = started_at = None
    facts = extract(
        part,
        reference=local.date() if local else None,
        kinds=("duration", "date", "time", "ordinal"),
    )
    days_of_month = [f for f in facts if f.kind == "ordinal" and f.unit == "day_of_month"]
    facts = [f for f in facts if f.kind != "ordinal"]
    dates = [f for f in facts if f.kind == "date" and f.unit != "no_year"]
    if not dates and local is not None and days_of_month:
        # "fitted on the 12th": the next 12th from the call
        day = _next_day_of_month(local.date(), int(days_of_month[0].value))
        if day is not None:
            f = days_of_month[0]
            dates = [Fact(kind="date", value=day, span=f.span, text=f.text)]
    if not dates and local is not None:
        m = _FOR_WEEKDAY.search(part)
        if m is not None:
            ahead = (_WEEKDAYS.index(m.group("day").lower()) - local.weekday()) % 7 or 7
            try:
                day = local.date() + dt.timedelta(days=ahead)
            except _OUT_OF_RANGE:
                pass  # past date.max: no date
            else:
                dates = [Fact(kind="date", value=day, span=m.span("day"), text=m.group("day"))]
    clocks = []
    for f in facts:
        if f.kind == "time" and isinstance(f.value, str):
            parsed = _clock_of(f.value)
            if parsed is not None:
                clocks.append((f.span, parsed))
    taken = [f.span for f in facts]
    for m in _BARE_HOUR.finditer(part):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        clock = _bare_clock(m.group("h"), bool(m.group("half")))
        if clock is not None:
            clocks.append(((m.start(), m.end()), (None, clock)))
    if not clocks and dates:
        for m in _DAYPART.finditer(part):
            noon = m.group("part").lower() != "lunchtime" and "lunch" not in m.group("part").lower()
            clocks.append(((m.start("part"), m.end()), (None, dt.time(12 if noon else 13, 0))))
    durations = [f for f in facts if f.kind == "duration"]
    phrases = [
        (m.span(), name)
        for pattern, name in _PHRASES
        for m in pattern.finditer(part)
        if not any(s < m.end() and m.start() < e for s, e in taken)
    ]

    spans: list[tuple[int, int]] = []
    due: dt.datetime | None = None
    event = False
    beyond = False  # a term was said, but its due time is out of range: no due, no default
    # Each branch notes its spans before any date arithmetic, so a due time out of
    # range (a call near date.max) still leaves the term's words.
    try:
        if dates or clocks:
            day = dates[0].value if dates else None
            clock = clocks[0][1] if clocks else None
            if dates:
                spans.append(dates[0].span)
            if clocks:
                spans.append(clocks[0][0])
            if local is not None:
                if day is None and clock is not None and clock[0] is not None:
                    ahead = (clock[0] - local.weekday()) % 7
                    day = local.date() + dt.timedelta(days=ahead)
                if day is not None:
                    due = calendar.at(day, clock[1]) if clock else calendar.end_of_day(day)
                elif clock is not None:
                    due = calendar.at(local.date(), clock[1])
                    if due <= local:
                        due = calendar.at(calendar.next_working_day(local.date()), clock[1])
        elif durations:
            f = durations[0]
            spans.append(f.span)
            event = bool(_EVENT_AFTER.match(part[f.span[1] :]))
            if local is not None and not event and started_at is not None:
                amount = f.upper if f.upper is not None else f.value
                due = _duration_due(amount, f.unit, started_at, calendar)
        elif phrases:
            (s, e), name = min(phrases)
            spans.append((s, e))
            if local is not None:
                today = local.date()
                if name == "today":
                    due = calendar.end_of_day(today)
                elif name == "first_thing":
                    next_day = calendar.next_working_day(today)
                    due = calendar.at(next_day, dt.time(12, 0))
                elif name == "this_week":
                    due = calendar.end_of_week(today)
                elif name == "next_week":
                    due = calendar.end_of_week(today + dt.timedelta(days=7))
                elif name == "hour":
                    due = local + dt.timedelta(hours=1)
                elif name == "two_days":
                    due = calendar.end_of_day(today + dt.timedelta(days=2))
                else:
                    due = calendar.end_of_day(today + dt.timedelta(days=3))
    except _OUT_OF_RANGE:
        due, beyond = None, True
    if not event and _EVENT_ANY.search(part):
        event = True
    if event:
        s, e = (min(a for a, _ in spans), max(b for _, b in spans)) if spans else (0, 0)
        span = (lo + s, lo + e) if spans else None
        return Term(None, "event", part[s:e] if spans else None, span)
    if spans:
        s, e = min(a for a, _ in spans), max(b for _, b in spans)
        if local is None:
            return Term(None, "none", part[s:e], (lo + s, lo + e))
        if due is not None and due >= local:
            return Term(due, "stated", part[s:e], (lo + s, lo + e))
        if beyond:
            return Term(None, "none", part[s:e], (lo + s, lo + e))
    if local is None or started_at is None:
        return Term(None, "none")
    days = defaults.get(kind)
    if days is None:
        return Term(None, "none")
    try:
        return Term(calendar.add_working_days(started_at, days), "default")
    except _OUT_OF_RANGE:
        return Term(None, "none")
