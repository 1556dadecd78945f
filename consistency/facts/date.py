"""Calendar dates in written and spoken text.

Recognised forms, case-insensitive:

* day first: "23 December 2026", "23rd of Dec", "the twenty third of december
  twenty twenty six", "25 and 26 December 2026" (each day of a list is a fact);
* month first: "December 23rd, 2026", "december the twenty third";
* numeric: "23/12/2026", "23.12.2026", "23-12-26" (UK, day first), "2026-12-23";
* named days: "Christmas Day", "Boxing Day", "Christmas Eve", "New Year's Day/Eve";
* a bare ordinal after another date ("the 18th of December ... next day it's the
  twenty second"): the month (and year reading) carry over;
* relative: "today", "tomorrow", "the day after tomorrow", "yesterday", "the day
  before yesterday",
  "next Monday", "this Friday", "on Thursday", "by Friday".

``value`` is always a :class:`datetime.date`. ``unit`` says how sure the year is:

* ``None``: the text states the year.
* ``"inferred_year"``: day and month stated, the year is the one that puts the
  date nearest to ``reference``.
* ``"no_year"``: day and month stated and no ``reference``; the value carries
  the placeholder year 2000 (a leap year, so 29 February parses). Compare such a
  fact by month and day only.
* ``"relative"``: resolved from "tomorrow", "next Monday"... against ``reference``.

Relative expressions need a ``reference`` date: without one they yield no fact,
because a value must be a real date and the extractor never reads the clock. One
that would fall before ``date.min`` or after ``date.max`` ("tomorrow" said on
9999-12-31) yields no fact either.
"On Thursday" and "next Thursday" both mean the first Thursday strictly after
the reference. A weekday inside a range ("Monday to Friday"), plural
("Mondays") or followed by opening hours is left to the ``time`` extractor.

``modifier`` records a bound stated just before the date: "by", "until",
"till", "no later than" give ``up_to``; "before" ``under``; "after" ``over``;
"from", "since", "starting" ``from``. The preposition is not part of the span.
Durations ("30 days") and amounts are never dates: every pattern needs a month
name, a full numeric date or a relative word.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import ClassVar

from consistency.facts.base import Extractor, TakenSpans
from consistency.models import Fact

__all__ = ["EXTRACTOR", "DateExtractor"]

_MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
    "july": 7, "august": 8, "september": 9, "october": 10, "november": 11,
    "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7,
    "aug": 8, "sept": 9, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH_NAMES = ("", "January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")  # fmt: skip
_MONTH_ABBR = (
    "",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)
_WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
    "saturday": 5, "sunday": 6,
}  # fmt: skip
_UNITS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9,
}  # fmt: skip
_TEENS: dict[str, int] = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS: dict[str, int] = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
                         "seventy": 70, "eighty": 80, "ninety": 90}  # fmt: skip
_ORD_UNITS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9,
}  # fmt: skip
_ORD_TEENS: dict[str, int] = {
    "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}  # fmt: skip
_NAMED_DAYS: dict[str, tuple[int, int]] = {
    "christmas day": (12, 25), "christmas eve": (12, 24), "boxing day": (12, 26),
    "new years day": (1, 1), "new years eve": (12, 31),
}  # fmt: skip
_MODIFIERS: dict[str, str] = {
    "by": "up_to", "until": "up_to", "till": "up_to", "til": "up_to", "no later than": "up_to",
    "before": "under", "after": "over", "from": "from", "since": "from", "starting": "from",
}  # fmt: skip


def _alt(words: object) -> str:
    return "|".join(sorted(words, key=len, reverse=True))  # type: ignore[call-overload]


_SEP = r"[\s-]+"
_U, _T, _TN = _alt(_UNITS), _alt(_TEENS), _alt(_TENS)
_ORD_WORD = rf"(?:(?:twenty|thirty){_SEP})?(?:{_alt(_ORD_UNITS)})|{_alt(_ORD_TEENS)}"
_CARD_WORD = rf"(?:twenty|thirty){_SEP}(?:{_U})|{_T}|twenty|thirty|{_U}"
_DAY_DIGITS = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_DAY_DMY = rf"(?:{_DAY_DIGITS}|{_ORD_WORD})"
_DAY_MDY = rf"(?:{_DAY_DIGITS}|{_ORD_WORD}|{_CARD_WORD})"
_MONTH = rf"(?P<month>{_alt(_MONTHS)})\b\.?"
_YEAR_WORDS = (
    rf"twenty{_SEP}(?:(?:{_TN}){_SEP}(?:{_U})|{_TN}|{_T})"
    rf"|two\s+thousand(?:\s+and)?(?:\s+(?:(?:{_TN}){_SEP}(?:{_U})|{_TN}|{_T}|{_U}))?"
)
_YEAR = rf"(?P<year>(?:19|20|21)\d\d\b|{_YEAR_WORDS})"
_B = r"(?<![\w£$€.,:/-])"  # a date never continues a number, an amount or a word

_FLAGS = re.IGNORECASE
_DMY = re.compile(
    rf"{_B}(?:the\s+)?(?P<day>{_DAY_DMY})\b\s*(?:of\s+)?{_MONTH}(?:,?\s*(?:of\s+)?{_YEAR})?",
    _FLAGS,
)
_MDY = re.compile(
    rf"\b{_MONTH}\s*(?:the\s+)?(?P<day>{_DAY_MDY})\b(?:,?\s*{_YEAR})?",
    _FLAGS,
)
_NUMERIC = re.compile(
    r"(?<![\w£$€.,:/-])(?:(?P<y1>(?:19|20|21)\d\d)(?P<s1>[-/.])(?P<m1>0?[1-9]|1[0-2])(?P=s1)"
    r"(?P<d1>0?[1-9]|[12]\d|3[01])"
    r"|(?P<d2>0?[1-9]|[12]\d|3[01])(?P<s2>[-/.])(?P<m2>0?[1-9]|1[0-2])(?P=s2)"
    r"(?P<y2>(?:19|20|21)\d\d|\d\d))(?![\w£%]|[-/.,]\d)",
    _FLAGS,
)
_NAMED = re.compile(
    r"\b(?P<named>christmas\s+day|christmas\s+eve|boxing\s+day|new\s+year(?:'|’)?s\s+(?:day|eve))\b"
    rf"(?:,?\s*{_YEAR})?",
    _FLAGS,
)
_RELATIVE = re.compile(
    r"\b(?:(?P<rel>the\s+day\s+(?:after\s+tomorrow|before\s+yesterday)|tomorrow|today|tonight"
    r"|yesterday)"
    rf"|(?P<which>next|this|last|this\s+coming|coming)\s+(?P<wd1>{_alt(_WEEKDAYS)})"
    rf"|(?P<prep>on|by|until|till|before|after|from)\s+(?P<wd2>{_alt(_WEEKDAYS)}))\b",
    _FLAGS,
)
# Cheap substring tests on the lower-cased text before the patterns run at all.
# written years only: a spoken "december twenty twenty six" may be the 20th of something
_MONTH_YEAR = re.compile(rf"\b{_MONTH}\s+(?:of\s+)?(?P<year>(?:19|20|21)\d\d)\b", re.IGNORECASE)
# "between October and March", "from April to September": a season, by month only
_MONTH_RANGE = re.compile(
    rf"(?<![\d\w])(?:(?P<lead>between|from)\s+)?(?P<m1>{_alt(_MONTHS)})\b\.?"
    r"\s*(?P<join>-|–|to|and|till|until|through)\s*"
    rf"(?P<m2>{_alt(_MONTHS)})\b(?!\.?\s*(?:\d|{_ORD_WORD}))",
    re.IGNORECASE,
)
# "every January", "each April": a month that comes round each year
_EVERY_MONTH = re.compile(
    rf"\b(?:every|each)\s+(?P<m>{_alt(_MONTHS)})\b(?!\.?\s*\d)", re.IGNORECASE
)
_MONTH_STEMS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_RELATIVE_STEMS = ("today", "tomorrow", "tonight", "yesterday", "day")
_HAS_NUMERIC_DATE = re.compile(r"\d[-/.]\d").search
_DAY_ORDINAL = rf"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)|{_ORD_WORD}"
_BARE_ORDINAL = re.compile(
    r"\b(?:on|by|until|till|til|from|before|after|and|or|it's|its|is|to|through|got)\s+"
    rf"(?P<the>the\s+)(?P<day>{_DAY_ORDINAL})\b"
    r"(?=\s*(?:$|[.,;:!?)]|(?:and|or|so|then|to|at|by|for|if|but|we|you|it|is|are|until|till"
    r"|when|from|as|which|um|uh|too|as\s+well|instead|at|please|ok|okay)\b))",
    _FLAGS,
)
_WEEKDAY_DAY = re.compile(
    rf"\b(?P<wd>{_alt(_WEEKDAYS)})\s+(?:the\s+)?(?P<day>{_DAY_ORDINAL})\b(?:\s*(?:of\s+)?{_MONTH})?",
    _FLAGS,
)
_LEADING_DAY = re.compile(
    rf"(?:(?<=\s)|^)(?:the\s+)?(?P<day>{_DAY_DMY})\s*(?:,|and|&|or)\s*(?:the\s+)?$", _FLAGS
)
_PREP_BEFORE = re.compile(
    r"\b(?P<prep>by|until|till|til|no\s+later\s+than|before|after|from|since|starting)\s+(?:on\s+)?$",
    _FLAGS,
)
_WEEKDAY_ANY = _alt(
    [*_WEEKDAYS, "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"]
)
_RANGE_AFTER = re.compile(
    rf"\s*(?:-|–|to|till|until|through|thru|and|or|&|,)\s*(?:{_WEEKDAY_ANY})", _FLAGS
)
_RANGE_BEFORE = re.compile(
    rf"(?:{_WEEKDAY_ANY})s?\s*(?:-|–|to|till|until|through|thru|and|or|&|,)\s*$", _FLAGS
)
_HOURS_AFTER = re.compile(
    r"\s*,?\s*(?:from\s+|between\s+)?(?:\d{1,2}(?:[:.]\d\d)?\s*(?:am|pm|a\.m|p\.m|-|–|to\b|till\b)"
    r"|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+"
    r"(?:am|pm|a\.m|p\.m|o'?clock|to|till|until)\b|noon|midday|closed)",
    _FLAGS,
)
# "10am to 4pm on Sunday": a range of hours before the weekday makes it opening days
_HOURS_BEFORE = re.compile(
    r"(?:to|till|til|until|-|–)\s*(?:\d{1,2}(?:[:.]\d\d)?\s*(?:am|pm|a\.m\.?|p\.m\.?)?"
    r"|noon|midday|midnight)\s*(?:on|,)?\s*$",
    _FLAGS,
)
_MAY_VERB = re.compile(
    r"\s+(?:be|have|not|need|take|get|also|still|only|arrive|want|well|cost|apply|vary|change"
    r"|differ|incur|include|require|see|find|use|return|qualify|receive)\b",
    _FLAGS,
)
_NEXT_NUMBER_WORD = re.compile(rf"[\s-]+(?:{_TN}|{_T}|{_U}|hundred|thousand)\b", _FLAGS)
_SPACES = re.compile(r"[\s-]+")


def _words_value(words: str) -> int | None:
    """The value of a spoken number of up to two words ("twenty third", "fourteen")."""
    total = 0
    for word in _SPACES.split(words.lower()):
        for table in (_UNITS, _TEENS, _TENS, _ORD_UNITS, _ORD_TEENS):
            if word in table:
                total += table[word]
                break
        else:
            return None
    return total


def _is_cardinal_word(raw: str) -> bool:
    last = _SPACES.split(raw.lower())[-1]
    return last.isalpha() and last not in _ORD_UNITS and last not in _ORD_TEENS


def _day_value(raw: str) -> int | None:
    raw = raw.lower()
    digits = raw.rstrip("stndrh")
    if digits.isdigit():
        return int(digits)
    return _words_value(raw)


def _year_value(raw: str) -> int | None:
    raw = raw.lower()
    if raw.isdigit():
        return int(raw)
    words = [w for w in _SPACES.split(raw) if w != "and"]
    if words[:2] == ["two", "thousand"]:
        rest = _words_value(" ".join(words[2:])) if words[2:] else 0
        return None if rest is None else 2000 + rest
    rest = _words_value(" ".join(words[1:]))  # "twenty twenty six"
    return None if rest is None else 2000 + rest


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _shift(reference: dt.date, days: int) -> dt.date | None:
    """``reference`` moved by ``days``, or ``None`` past ``date.min``/``date.max`` (no fact)."""
    try:
        return reference + dt.timedelta(days=days)
    except OverflowError:
        return None


def _weekday_on(day: int | None, weekday: int, reference: dt.date) -> dt.date | None:
    """The date a "Thursday the 21st" said on ``reference`` means: the nearest ``day``-th
    (from a month back to three ahead) that falls on ``weekday`` (Monday 0), else the
    nearest ``day``-th (the weekday misspoken), else ``None``."""
    if day is None:
        return None
    candidates = []
    for shift in range(-1, 4):
        month0 = reference.month - 1 + shift
        candidate = _make_date(reference.year + month0 // 12, month0 % 12 + 1, day)
        if candidate is not None:
            candidates.append(candidate)
    if not candidates:
        return None
    matching = [c for c in candidates if c.weekday() == weekday] or candidates
    return min(matching, key=lambda c: abs((c - reference).days))


def _nearest_year(month: int, day: int, reference: dt.date) -> dt.date | None:
    """The date with this month and day nearest to ``reference`` (earlier year on a tie)."""
    best: dt.date | None = None
    for year in (reference.year - 1, reference.year, reference.year + 1):
        candidate = _make_date(year, month, day)
        if candidate is not None and (
            best is None or abs((candidate - reference).days) < abs((best - reference).days)
        ):
            best = candidate
    return best


class DateExtractor(Extractor):
    """Absolute and (with a ``reference``) relative dates, UK day-first."""

    kind: ClassVar[str] = "date"
    PLACEHOLDER_YEAR: ClassVar[int] = 2000

    def extract(self, text: str, *, reference: dt.date | None = None) -> list[Fact]:
        found: list[tuple[int, int, dt.date, str | None]] = []
        taken = TakenSpans(len(text))
        free = taken.free

        def add(start: int, end: int, value: dt.date | None, unit: str | None) -> None:
            if value is not None and start < end and free(start, end):
                taken.add(start, end)
                found.append((start, end, value, unit))

        def resolve(month: int, day: int, year: int | None) -> tuple[dt.date | None, str | None]:
            if year is not None:
                return _make_date(year, month, day), None
            if reference is not None:
                return _nearest_year(month, day, reference), "inferred_year"
            return _make_date(self.PLACEHOLDER_YEAR, month, day), "no_year"

        if _HAS_NUMERIC_DATE(text):
            for m in _NUMERIC.finditer(text):
                if m.group("y1"):
                    y, mo, d = int(m.group("y1")), int(m.group("m1")), int(m.group("d1"))
                else:
                    y, mo, d = int(m.group("y2")), int(m.group("m2")), int(m.group("d2"))
                    if y < 100:
                        y += 2000
                add(m.start(), m.end(), _make_date(y, mo, d), None)

        low = text.lower()
        patterns = (_DMY, _MDY) if any(m in low for m in _MONTH_STEMS) else ()
        if "christmas" in low or "boxing" in low or "new year" in low:
            patterns = (*patterns, _NAMED)
        for pattern in patterns:
            for m in pattern.finditer(text):
                if not free(m.start(), m.end()):
                    continue
                year = _year_value(m.group("year")) if m.group("year") else None
                if pattern is _NAMED:
                    key = " ".join(
                        m.group("named").lower().replace("'", "").replace("’", "").split()
                    )
                    month, day = _NAMED_DAYS[key]
                    end = m.end()
                    lead: list[tuple[int, int, int]] = []
                else:
                    month = _MONTHS[m.group("month").lower()]
                    day_raw = m.group("day")
                    day_value = _day_value(day_raw)
                    if day_value is None:
                        continue
                    day = day_value
                    end = m.end()
                    if (
                        pattern is _MDY
                        and year is None
                        and _is_cardinal_word(day_raw)
                        and (
                            m.group("month").lower() == "may"
                            or _NEXT_NUMBER_WORD.match(text, m.end())
                        )
                    ):
                        continue  # "december twenty twenty six" is a year; "may one" a verb
                    if (
                        year is None
                        and m.group("month").lower() == "may"
                        and _MAY_VERB.match(text, m.end())
                    ):
                        continue  # "the 3rd may be late": the modal verb
                    lead = self._leading_days(text, m.start()) if pattern is _DMY else []
                value, unit = resolve(month, day, year)
                add(m.start(), end, value, unit)
                for s, e, d in lead:
                    v, u = resolve(month, d, year)
                    add(s, e, v, u)

        if found:
            self._bare_days(text, found, add)

        # "since January 2021", "from March 2026": a month of a year (the day is the 1st)
        for m in _MONTH_YEAR.finditer(text) if patterns else ():
            year = _year_value(m.group("year"))
            if year is not None:
                add(
                    m.start(),
                    m.end(),
                    _make_date(year, _MONTHS[m.group("month").lower()], 1),
                    "month",
                )

        if reference is not None and "day" in low:
            # "Thursday the 21st", "friday the twenty second": the next such day
            for m in _WEEKDAY_DAY.finditer(text):
                if m.group("month"):  # "Monday the 21st of November": the date is read above
                    if not free(m.start("wd"), m.end("wd")):
                        continue
                    taken.add(m.start("wd"), m.end("wd"))
                    continue
                day = _day_value(m.group("day"))
                weekday = _WEEKDAYS[m.group("wd").lower()]
                add(m.start(), m.end(), _weekday_on(day, weekday, reference), "relative")

        if reference is not None and any(w in low for w in _RELATIVE_STEMS):
            for m in _RELATIVE.finditer(text):
                value = self._relative(text, m, reference)
                if value is not None:
                    start = m.start("wd2") if m.group("wd2") else m.start()
                    add(start, m.end(), value, "relative")

        seasons = self._month_ranges(text, free) if patterns else []
        found.sort()
        facts = list(seasons)
        for start, end, value, unit in found:
            facts.append(
                Fact(
                    kind=self.kind,
                    value=value,
                    unit=unit,
                    span=(start, end),
                    text=text[start:end],
                    modifier=self._modifier(text, start),
                    extractor=type(self).__name__,
                )
            )
        facts.sort(key=lambda f: f.span)
        return facts

    def _month_ranges(self, text: str, free: Callable[[int, int], bool]) -> list[Fact]:
        """ "between October and March": unit ``months``, the first month in ``value`` and
        the last in ``upper`` (day 1, placeholder year); "every April" is April to April.
        "and" needs "between" before it: "in March and April" names two months, not a
        season."""
        out: list[Fact] = []
        for m in _MONTH_RANGE.finditer(text):
            if m.group("lead") is None and m.group("join").lower() == "and":
                continue
            if m.group("lead") is None and m.group("m1").islower():
                continue  # "you may to ..." is no month; a bare range needs its capital
            start = m.start("m1")
            if not free(start, m.end()):
                continue
            first, last = _MONTHS[m.group("m1").lower()], _MONTHS[m.group("m2").lower()]
            if first == last:
                continue
            out.append(self._season(text, start, m.end(), first, last))
        for m in _EVERY_MONTH.finditer(text):
            if free(m.start(), m.end()) and not any(_overlaps(f.span, m.span()) for f in out):
                month = _MONTHS[m.group("m").lower()]
                out.append(self._season(text, m.start(), m.end(), month, month))
        return out

    def _season(self, text: str, start: int, end: int, first: int, last: int) -> Fact:
        year = self.PLACEHOLDER_YEAR
        return self.fact_at(
            text, start, end, dt.date(year, first, 1), upper=dt.date(year, last, 1), unit="months"
        )

    @staticmethod
    def _bare_days(
        text: str,
        found: list[tuple[int, int, dt.date, str | None]],
        add: Callable[[int, int, dt.date | None, str | None], None],
    ) -> None:
        """ "the 18th of December ... next day it's the twenty second": the month carries over."""
        anchors = sorted(found)
        # The last anchor (in sorted order) ending before each ordinal, by one sweep:
        # ordinals come in text order, so the anchors ending before them only grow.
        by_end = sorted(range(len(anchors)), key=lambda j: anchors[j][1])
        swept, last = 0, -1
        for m in _BARE_ORDINAL.finditer(text):
            while swept < len(by_end) and anchors[by_end[swept]][1] <= m.start():
                last = max(last, by_end[swept])
                swept += 1
            if last < 0:
                continue
            _, _, anchor, unit = anchors[last]
            day = _day_value(m.group("day"))
            if day is None:
                continue
            value = _make_date(anchor.year, anchor.month, day)
            if value is not None and value >= anchor:  # a later day of the same month
                add(m.start("the"), m.end(), value, unit)

    @staticmethod
    def _leading_days(text: str, start: int) -> list[tuple[int, int, int]]:
        """Earlier days of a list sharing the month: "25 and 26 December" -> the 25."""
        days: list[tuple[int, int, int]] = []
        while True:
            window_start = max(0, start - 40)
            m = _LEADING_DAY.search(text, window_start, start)
            if m is None:
                return days
            value = _day_value(m.group("day"))
            if value is None:
                return days
            days.append((m.start("day"), m.end("day"), value))
            start = m.start()

    @staticmethod
    def _modifier(text: str, start: int) -> str | None:
        m = _PREP_BEFORE.search(text, max(0, start - 20), start)
        if m is None:
            return None
        return _MODIFIERS[" ".join(m.group("prep").lower().split())]

    @staticmethod
    def _relative(text: str, m: re.Match[str], reference: dt.date) -> dt.date | None:
        rel = m.group("rel")
        if rel:
            word = rel.lower().split()[-1]
            if rel.lower().startswith("the"):  # the day after tomorrow / before yesterday
                return _shift(reference, 2 if word == "tomorrow" else -2)
            offset = {"tomorrow": 1, "today": 0, "tonight": 0, "yesterday": -1}[word]
            return _shift(reference, offset)
        weekday_word = m.group("wd1") or m.group("wd2")
        start, end = m.start(), m.end()
        if _RANGE_AFTER.match(text, end) or _RANGE_BEFORE.search(text, max(0, start - 16), start):
            return None  # "Monday to Friday": opening days, not a date
        if _HOURS_AFTER.match(text, end) or _HOURS_BEFORE.search(text, max(0, start - 24), start):
            return None  # "on Saturday 9am to 5pm", "10am to 4pm on Sunday": opening hours
        target = _WEEKDAYS[weekday_word.lower()]
        ahead = (target - reference.weekday()) % 7
        which = (m.group("which") or "").lower()
        if which == "last":
            back = (reference.weekday() - target) % 7 or 7
            return _shift(reference, -back)
        if which == "this" and ahead == 0:
            return reference
        return _shift(reference, ahead or 7)

    def render(self, fact: Fact) -> str:
        """``23 Dec 2026``; ``23 Dec`` when the year was not stated."""
        value: dt.date = fact.value
        if fact.unit == "no_year":
            return f"{value.day} {_MONTH_ABBR[value.month]}"
        if fact.unit == "months" and isinstance(fact.upper, dt.date):
            if fact.upper.month == value.month:
                return f"every {_MONTH_NAMES[value.month]}"
            return f"{_MONTH_NAMES[value.month]} to {_MONTH_NAMES[fact.upper.month]}"
        if fact.unit == "month":
            return f"{_MONTH_ABBR[value.month]} {value.year}"
        return f"{value.day} {_MONTH_ABBR[value.month]} {value.year}"


EXTRACTOR = DateExtractor()
