"""Times of day and opening hours in written and spoken text.

A fact's ``value`` is a canonical string, so "8am to 8pm Monday to Friday",
"monday to friday eight till eight" and "Mon-Fri 08:00-20:00" compare equal:

* hours: ``"09:00-17:00"``; a single time ``"17:00"`` with a ``modifier`` from
  the word before it ("before" ``under``; "by", "until", "till", "no later than"
  ``up_to``; "after" ``over``; "from" ``from``), or from the verb before it
  ("open at 9" ``from``, "close at 6pm" ``up_to``);
* days: ``"Mon-Fri"``, ``"Sat-Sun"``, ``"Mon,Wed"``, ``"Sun-Thu"`` (a set of
  weekdays written as cyclic runs, Monday first), ``",BH"`` for bank holidays;
* both: ``"Mon-Fri 08:00-20:00"``, ``"Sun closed"``; always open: ``"24/7"``.

Days and hours next to each other in the text form one fact ("Monday to Friday,
8am to 8pm; Saturday 9am to 5pm" gives two); a single time joins days only with
a bound ("by 10pm, Sunday to Thursday"), since "at 5:15pm on Sunday" is an event.
``unit`` says what the value holds: ``"hours"`` (a range, ``24/7`` or
``closed``, with or without days), ``"days"`` (days only) or ``"clock"`` (a
single time), so a caller can keep an event time apart from opening hours.
"from eight in the morning ... till nine at night" is one range.
Days alone are a fact when they are clearly opening days (a range, a plural,
"weekends", "seven days a week"); a lone "Monday" is left to the date extractor.

Without "am"/"pm" the business-hours reading is taken: a start of 7-11 is
morning, 12 is noon, 1-6 afternoon; an end not after the start is afternoon
("nine till five" is 09:00-17:00, "eight to eight" 08:00-20:00). Midnight is
``00:00`` as a start and ``24:00`` as an end. A range of two bare numbers
("5 to 7") counts only when it reads as hours: joined by "till"/"until", after
"from"/"between" or an hours word ("open", "lines", "hours"...), or next to
days, and never before a unit ("5 to 7 working days").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from consistency.facts.base import Extractor
from consistency.models import Fact

__all__ = ["EXTRACTOR", "TimeExtractor"]

_HOUR_WORDS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_MINUTE_UNITS: dict[str, int] = {k: v for k, v in _HOUR_WORDS.items() if v < 10}
_MINUTE_TEENS: dict[str, int] = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_MINUTE_TENS: dict[str, int] = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_DAY_INDEX = {name.lower(): i for i, name in enumerate(_DAY_NAMES)}
_MODIFIERS: dict[str, str | None] = {
    "before": "under", "by": "up_to", "until": "up_to", "till": "up_to", "til": "up_to",
    "no later than": "up_to", "after": "over", "from": "from", "at": None,
}  # fmt: skip


def _alt(words: object) -> str:
    return "|".join(sorted(words, key=len, reverse=True))  # type: ignore[call-overload]


_HW = _alt(_HOUR_WORDS)
_MW = (
    rf"(?:oh|o)[\s-]+(?:{_alt(_MINUTE_UNITS)})"
    rf"|(?:{_alt(_MINUTE_TENS)})(?:[\s-]+(?:{_alt(_MINUTE_UNITS)}))?|{_alt(_MINUTE_TEENS)}"
)
# The minutes of "ten past nine", "25 minutes to six", "twenty five past eight".
_PAST_MIN = (
    rf"(?:[1-5]?\d(?!\d)|(?:{_alt(_MINUTE_TENS)})(?:[\s-]+(?:{_alt(_MINUTE_UNITS)}))?"
    rf"|{_alt(_MINUTE_TEENS)}|{_alt(_MINUTE_UNITS)})"
)
_MER = r"(?:a\.m\.?|p\.m\.?|a\s?m\b|p\s?m\b|in\s+the\s+(?:morning|afternoon|evening)|at\s+night)"
_OCLOCK = r"o['’]?\s?clock\b"
# One time of day, in any surface form; parsed again by _parse_time.
_T = (
    rf"(?:(?:half|quarter|{_PAST_MIN})\s+(?:(?:minutes?|mins?)\s+)?(?:past|to|after)\s+"
    rf"(?:(?:{_HW})\b|\d{{1,2}}(?!\d))"
    rf"|(?:\d{{1,2}}(?:[:.][0-5]\d)?)(?!\d)"
    rf"|(?:one|a)\s+minute\s+(?:to|before)\s+midnight\b|noon\b|midday\b|midnight\b"
    rf"|half\s+(?:{_HW})\b"
    rf"|(?:{_HW})\b(?:[\s-]+(?:{_MW})\b)?)"
    rf"(?:\s*{_OCLOCK})?(?:\s*{_MER})?"
)
_B = r"(?<![\w£$€.,:/'’-])"
_AFTER = r"(?![\w%£$€/]|[.,:]\d)"
_WD_FULL = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?"
_WD_ABBR = r"(?:mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun)\.?"
_WD = rf"(?:{_WD_FULL}|{_WD_ABBR})\b"
_DAY_CONN = r"\s*(?:-|–|—|to|till|until|through|thru)\s*"
_DITEM = (
    rf"(?:{_WD}{_DAY_CONN}{_WD}|weekends?\b|weekdays?\b|(?:bank|public)\s+holidays?\b"
    rf"|(?:seven|7)\s+days\s+(?:a|per)\s+week\b|every\s+day(?:\s+of\s+the\s+week)?\b|daily\b"
    rf"|{_WD})"
)
_DAYS = rf"\b{_DITEM}(?:\s*(?:,|and|&|or|plus)\s*(?:on\s+)?{_DITEM})*"
_ALWAYS = (
    r"24\s*/\s*7\b|24-7\b|twenty[\s-]four[\s-](?:seven|7)\b|(?:a)?round\s+the\s+clock\b"
    r"|(?:24|twenty[\s-]four)\s+hours\s+a\s+day,?\s*(?:and\s+)?(?:7|seven)\s+days\s+(?:a|per)\s+week\b"
)
_ALL_DAY = (
    r"(?:24|twenty[\s-]four)\s+hours\s+a\s+day\b"
    r"|open\s+(?:24|twenty[\s-]four)\s+hours\b(?!\s+a\s+day)"
)
_TOKEN = re.compile(
    rf"(?P<always>{_B}(?:{_ALWAYS}))"
    rf"|(?P<allday>{_B}(?:{_ALL_DAY}))"
    rf"|(?P<days>{_DAYS})"
    rf"|(?P<range>{_B}(?P<a>{_T})"
    rf"\s*(?P<conn>-|–|—|to\b|till\b|til\b|until\b|through\b|and\b)\s*(?P<b>{_T}){_AFTER})"
    rf"|(?P<single>{_B}(?P<s>{_T}){_AFTER})"
    rf"|(?P<closed>\b(?:closed|shut)\b)",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r"[.;!?]")
# "every Friday", "each Tuesday", "ending on a Monday": one weekday, said as a rule ("5.30pm
# on a Tuesday" may be the customer's case)
_EVERY_BEFORE = re.compile(
    r"\b(?:every|each|(?:end|ends|ending|start|starts|starting|fall|falls)\s+on\s+an?)\s+$",
    re.IGNORECASE,
)
# "lines open at 9", "we close at 6pm", "opening time is 8am": one end of the hours
_ENDPOINT_BEFORE = re.compile(
    r"\b(?:(?P<opens>open|opens|opening|starts?|starting|begins?|beginning)"
    r"|(?P<closes>close|closes|closing|shut|shuts|ends?|ending|finish|finishes))"
    r"(?:\s+(?:time|times|hours?))?(?:\s+(?:is|are|at|from|on|will\s+be))*\s*[:\-]?\s*$",
    re.IGNORECASE,
)
_PREP_BEFORE = re.compile(
    r"\b(?P<prep>from|between|before|by|until|till|til|after|at|no\s+later\s+than)\s+$",
    re.IGNORECASE,
)
_ANCHOR_WORD = re.compile(r"[^\W_]+")
# Words a time, days or opening-hours token can start with (besides digits).
_ANCHORS = frozenset(
    [*_HOUR_WORDS, "noon", "midday", "midnight", "half", "quarter", "twenty", "round",
     "around", "open", "every", "thirty", "forty", "fifty", "thirteen", "fourteen",
     "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "daily", "bank", "public", "weekend", "weekends", "weekday",
     "weekdays", "closed", "shut", "monday", "tuesday", "wednesday", "thursday", "friday",
     "saturday", "sunday", "mondays", "tuesdays", "wednesdays", "thursdays", "fridays",
     "saturdays", "sundays", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri",
     "sat", "sun"]
)  # fmt: skip
_DAY_PART = re.compile(
    rf"(?P<range>(?P<d1>{_WD}){_DAY_CONN}(?P<d2>{_WD}))|(?P<we>weekends?)|(?P<wk>weekdays?)"
    rf"|(?P<bh>(?:bank|public)\s+holidays?)|(?P<all>(?:seven|7)\s+days|every\s+day|daily)"
    rf"|(?P<one>{_WD})",
    re.IGNORECASE,
)
_UNIT_AFTER = re.compile(
    r"\s*(?:working\s+|business\s+|calendar\s+|extra\s+|more\s+|further\s+)?"
    r"(?:days?|weeks?|months?|years?|hours?|hrs?|minutes?|mins?|seconds?|%|percent|per\s+cent"
    r"|pounds?|quid|pence|p\b|items?|times|people|devices|cards|gb|mb|attempts|tries|sims?"
    r"|of\b|out\s+of\b|stars?|points?|nights?)",
    re.IGNORECASE,
)
_HOURS_CONTEXT = re.compile(
    r"\b(?:open|opens|opening|hours|lines?|available|staffed|closed?|closes|answered|call"
    r"|calls|phone|ring|chat|reach|contact|work|deliver|delivers|couriers?)\b[^.;!?]{0,30}$",
    re.IGNORECASE,
)
_PAIR_GAP = re.compile(
    r"[\s,;:()\-–—]*(?:(?:on|from|at|the|is|are|we're|were|we|re|open|opens|opening|hours"
    r"|every|all|its|it's|lines|between|of|week|day|a)\b[\s,;:()\-–—]*)*",
    re.IGNORECASE,
)
_MER_AT_END = re.compile(
    r"(?:(?P<am>a\.?\s?m\.?|morning)|(?P<pm>p\.?\s?m\.?|afternoon|evening|night))$",
    re.IGNORECASE,
)
_MER_STRIP = re.compile(
    r"\s*(?:in\s+the\s+|at\s+)?(?:a\.?\s?m\.?|p\.?\s?m\.?|morning|afternoon|evening|night)$"
)
_DIGITS = re.compile(r"(?P<h>\d{1,2})(?:(?P<sep>[:.])(?P<m>\d\d))?")
_SPACES = re.compile(r"[\s-]+")


#: "only" near a set of days says those days and no other ("we only install on weekdays").
_ONLY_DAYS = re.compile(r"\b(?:only|just|except|not\s+on)\b", re.IGNORECASE)
_ONLY_REACH = 25  # characters either side of the days


@dataclass(frozen=True, slots=True)
class _Clock:
    """A parsed time before am/pm resolution."""

    hour: int
    minute: int
    meridiem: str | None  # "am", "pm" or None
    explicit: bool  # reads as a time on its own: "5pm", "17:00", "five o'clock", "noon"
    h24: bool  # written on the 24-hour clock: "17:00", "09:00"
    dotted: bool  # minutes after a dot ("5.30"), easily a price


@dataclass(slots=True)
class _Tok:
    kind: str  # "H" hours, "D" days, "A" always open
    start: int
    end: int
    value: str
    modifier: str | None = None
    strong: bool = True  # days that are opening days on their own
    point: bool = False  # a single time of day rather than a range


def _minutes_value(words: str) -> int | None:
    total = 0
    for word in _SPACES.split(words.lower()):
        if word in ("oh", "o"):
            continue
        value = _MINUTE_UNITS.get(word, _MINUTE_TEENS.get(word, _MINUTE_TENS.get(word)))
        if value is None:
            return None
        total += value
    return total


def _parse_time(raw: str) -> _Clock | None:
    s = " ".join(raw.lower().replace("’", "'").split())
    if s in ("noon", "midday"):
        return _Clock(12, 0, "pm", True, True, False)
    if s == "midnight":
        return _Clock(0, 0, "am", True, True, False)
    if s.endswith("midnight") and "minute" in s:  # "one minute to midnight": 23:59
        return _Clock(11, 59, "pm", True, True, False)
    meridiem = None
    m = _MER_AT_END.search(s)
    if m:
        meridiem = "am" if m.group("am") else "pm"
        s = _MER_STRIP.sub("", s)
    oclock = bool(re.search(r"o'?\s?clock$", s))
    if oclock:
        s = re.sub(r"\s*o'?\s?clock$", "", s)
    explicit = meridiem is not None or oclock
    if s in ("noon", "midday"):
        return _Clock(12, 0, "pm", True, True, False)
    if s == "midnight":
        return _Clock(0, 0, "am", True, True, False)
    words = s.split()
    past = _past_clock(words, meridiem)
    if past is not None:
        return past
    if words and words[0] in ("half", "quarter"):
        hour_raw = words[-1]
        hour = int(hour_raw) if hour_raw.isdigit() else _HOUR_WORDS.get(hour_raw)
        if hour is None or not 1 <= hour <= 12:
            return None
        if len(words) == 2:  # "half nine": British for 9:30
            return _Clock(hour, 30, meridiem, True, False, False)
        minute = 30 if words[0] == "half" else 15
        if words[1] == "to":
            hour, minute = (hour - 1) or 12, 60 - minute
        return _Clock(hour, minute, meridiem, True, False, False)
    dm = _DIGITS.fullmatch(s)
    if dm:
        hour = int(dm.group("h"))
        minute = int(dm.group("m") or 0)
        colon = dm.group("sep") == ":"
        h24 = meridiem is None and (hour >= 13 or (colon and dm.group("h").startswith("0")))
        if hour > 24 or (hour == 24 and minute) or (meridiem and not 1 <= hour <= 12):
            return None
        return _Clock(hour, minute, meridiem, explicit or colon, h24, dm.group("sep") == ".")
    if not words or words[0] not in _HOUR_WORDS:
        return None
    hour = _HOUR_WORDS[words[0]]
    minute = 0
    if len(words) > 1:
        minute_value = _minutes_value(" ".join(words[1:]))
        if minute_value is None or minute_value > 59:
            return None
        minute = minute_value
    return _Clock(hour, minute, meridiem, explicit, False, False)


def _past_clock(words: list[str], meridiem: str | None) -> _Clock | None:
    """ "ten past nine" 9:10, "25 minutes to six" 5:35; ``None`` when not that form
    ("half past"/"quarter to" are read by the caller)."""
    for k, w in enumerate(words):
        if w in ("past", "to", "after") and 0 < k < len(words) - 1:
            break
    else:
        return None
    head = [w for w in words[:k] if w not in ("minute", "minutes", "min", "mins")]
    if not head or head[0] in ("half", "quarter"):
        return None
    hour_raw = words[-1]
    hour = int(hour_raw) if hour_raw.isdigit() else _HOUR_WORDS.get(hour_raw)
    joined = " ".join(head)
    minute = int(joined) if joined.isdigit() else _minutes_value(joined)
    if hour is None or not 1 <= hour <= 12 or minute is None or not 0 < minute < 60:
        return None
    if words[k] == "to":
        hour, minute = (hour - 1) or 12, 60 - minute
    return _Clock(hour, minute, meridiem, True, False, False)


def _to24(hour: int, meridiem: str | None) -> int:
    if meridiem == "am":
        return 0 if hour == 12 else hour
    if meridiem == "pm":
        return hour if hour == 12 else hour + 12
    return hour


def _guess_start(clock: _Clock, end: _Clock | None) -> int:
    """The 24-hour hour of a start time, taking business hours where am/pm is unsaid."""
    if clock.meridiem or clock.h24:
        return _to24(clock.hour, clock.meridiem)
    if clock.hour == 12:
        return 12
    if end is not None and end.meridiem == "am":
        return clock.hour
    if 1 <= clock.hour <= 6:
        if end is not None and end.meridiem == "pm" and clock.hour + 12 >= _to24(end.hour, "pm"):
            return clock.hour  # "6 to 5pm": an evening start would end before it began
        return clock.hour + 12
    return clock.hour


def _guess_end(clock: _Clock, start24: int, start_minute: int = 0) -> int:
    """The 24-hour hour of an end time: the first reading after the start ("3 to 3:30"
    ends at 15:30 after a 15:00 start, "11am to 11:50" at 11:50)."""
    if clock.meridiem or clock.h24:
        hour = _to24(clock.hour, clock.meridiem)
        return 24 if hour == 0 and clock.minute == 0 and clock.meridiem == "am" else hour
    if clock.hour == 12:
        return 12 if start24 < 12 else 24
    hour = clock.hour
    end, start = hour * 60 + clock.minute, start24 * 60 + start_minute
    if end <= start and end + 720 > start:
        hour += 12
    return hour


def _fmt(hour: int, minute: int) -> str:
    return f"{hour:02d}:{minute:02d}"


def _days_value(raw: str) -> tuple[str, bool]:
    """Canonical days of a days phrase and whether it names opening days on its own."""
    days: set[int] = set()
    holidays = False
    parts = 0
    strong = False
    for m in _DAY_PART.finditer(raw):
        parts += 1
        if m.group("range"):
            first = _DAY_INDEX[m.group("d1")[:3].lower()]
            last = _DAY_INDEX[m.group("d2")[:3].lower()]
            i = first
            days.add(i)
            while i != last:
                i = (i + 1) % 7
                days.add(i)
            strong = True
        elif m.group("we"):
            days.update((5, 6))
            strong = strong or m.group("we").lower().endswith("s")
        elif m.group("wk"):
            days.update(range(5))
            strong = strong or m.group("wk").lower().endswith("s")
        elif m.group("bh"):
            holidays = True
            strong = True
        elif m.group("all"):
            days.update(range(7))
            strong = True
        else:
            word = m.group("one").lower().rstrip(".")
            days.add(_DAY_INDEX[word[:3]])
            strong = strong or (len(word) > 6 and word.endswith("s"))
    strong = strong or parts > 1
    return _render_days(days) + (",BH" if holidays and days else "BH" if holidays else ""), strong


def _render_days(days: set[int]) -> str:
    if not days:
        return ""
    if len(days) == 7:
        return "Mon-Sun"
    runs: list[str] = []
    for first in range(7):
        if first not in days or (first - 1) % 7 in days:
            continue
        last = first
        while (last + 1) % 7 in days:
            last = (last + 1) % 7
        runs.append(
            _DAY_NAMES[first] if first == last else f"{_DAY_NAMES[first]}-{_DAY_NAMES[last]}"
        )
    return ",".join(runs)


def _endpoint(text: str, start: int) -> str | None:
    """ "open at 9" starts the hours (``from``), "close at 6pm" ends them (``up_to``)."""
    e = _ENDPOINT_BEFORE.search(text, max(0, start - 30), start)
    if e is None:
        return None
    return "from" if e.group("opens") else "up_to"


class TimeExtractor(Extractor):
    """Opening hours, days and single times of day as canonical strings."""

    kind: ClassVar[str] = "time"

    def extract(self, text: str, *, reference: dt.date | None = None) -> list[Fact]:
        return self._extract(text, reference_scan=False)

    def _extract(self, text: str, *, reference_scan: bool) -> list[Fact]:
        tokens = self._tokens(text, reference_scan=reference_scan)
        facts: list[Fact] = []
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if (
                nxt is not None
                and {tok.kind, nxt.kind} == {"H", "D"}
                and _PAIR_GAP.fullmatch(text, tok.end, nxt.start)
                and not any(t.point and t.modifier is None for t in (tok, nxt))
            ):
                days, hours = (tok, nxt) if tok.kind == "D" else (nxt, tok)
                value = f"{days.value} {hours.value}"
                if value == "Mon-Sun 00:00-24:00":
                    value = "24/7"
                unit = "clock" if hours.point else "hours"
                facts.append(self._fact(text, tok.start, nxt.end, value, hours.modifier, unit))
                i += 2
                continue
            if (
                tok.kind == "A"
                or (tok.kind == "D" and tok.strong)
                or (tok.kind == "H" and tok.value != "closed")
            ):
                unit = "days" if tok.kind == "D" else "clock" if tok.point else "hours"
                modifier = tok.modifier
                if (
                    unit == "days"
                    and modifier is None
                    and _ONLY_DAYS.search(
                        text[
                            max(0, tok.start - _ONLY_REACH) : min(len(text), tok.end + _ONLY_REACH)
                        ]
                    )
                ):
                    modifier = "only"  # "Monday to Friday only": no other day, not a part
                facts.append(self._fact(text, tok.start, tok.end, tok.value, modifier, unit))
            i += 1
        return facts

    def _fact(
        self, text: str, start: int, end: int, value: str, modifier: str | None, unit: str
    ) -> Fact:
        return Fact(
            kind=self.kind,
            value=value,
            unit=unit,
            span=(start, end),
            text=text[start:end],
            modifier=modifier,
            extractor=type(self).__name__,
        )

    @staticmethod
    def _matches(text: str) -> Iterator[re.Match[str]]:
        """``_TOKEN`` matches, tried only where a word that can start one begins.

        Equivalent to ``_TOKEN.finditer(text)`` (``tests/facts/test_time.py`` checks it)
        but several times cheaper, since most words cannot start a time.
        """
        last_end = 0
        for word in _ANCHOR_WORD.finditer(text):
            if word.start() < last_end:
                continue
            w = word.group().lower()
            if not (w[0].isdigit() or w in _ANCHORS):
                continue
            m = _TOKEN.match(text, word.start())
            if m is not None:
                last_end = m.end()
                yield m

    def _tokens(self, text: str, *, reference_scan: bool = False) -> list[_Tok]:
        tokens: list[_Tok] = []
        matches = _TOKEN.finditer(text) if reference_scan else self._matches(text)
        for m in matches:
            if m.group("always"):
                tokens.append(_Tok("A", m.start(), m.end(), "24/7"))
            elif m.group("allday"):
                tokens.append(_Tok("H", m.start(), m.end(), "00:00-24:00"))
            elif m.group("days"):
                value, strong = _days_value(m.group("days"))
                before = text[max(0, m.start() - 24) : m.start()]
                strong = strong or _EVERY_BEFORE.search(before) is not None
                tokens.append(_Tok("D", m.start(), m.end(), value, strong=strong))
            elif m.group("closed"):
                tokens.append(_Tok("H", m.start(), m.end(), "closed"))
            elif m.group("range"):
                tok = self._range(text, m)
                if tok is not None:
                    tokens.append(tok)
            else:
                tok = self._single(text, m)
                if tok is not None:
                    tokens.append(tok)
        # A bare range ("9 to 5") needs days beside it unless its own context made it.
        kept: list[_Tok] = []
        for i, tok in enumerate(tokens):
            if tok.kind == "H" and tok.strong is False:
                before = tokens[i - 1] if i else None
                after = tokens[i + 1] if i + 1 < len(tokens) else None
                if not (
                    (
                        before
                        and before.kind == "D"
                        and _PAIR_GAP.fullmatch(text, before.end, tok.start)
                    )
                    or (
                        after
                        and after.kind == "D"
                        and _PAIR_GAP.fullmatch(text, tok.end, after.start)
                    )
                ):
                    continue
                tok.strong = True
            kept.append(tok)
        return self._join_from_till(text, kept)

    @staticmethod
    def _join_from_till(text: str, tokens: list[_Tok]) -> list[_Tok]:
        """ "from eight in the morning and go through till nine at night" is one range."""
        out: list[_Tok] = []
        for tok in tokens:
            prev = out[-1] if out else None
            if (
                prev is not None
                and prev.point
                and tok.point
                and prev.modifier == "from"
                and tok.modifier == "up_to"
                and tok.start - prev.end <= 40
                and not _CLAUSE_BREAK.search(text, prev.end, tok.start)
            ):
                out[-1] = _Tok("H", prev.start, tok.end, f"{prev.value}-{tok.value}")
                continue
            out.append(tok)
        return out

    @staticmethod
    def _range(text: str, m: re.Match[str]) -> _Tok | None:
        a, b = _parse_time(m.group("a")), _parse_time(m.group("b"))
        if a is None or b is None:
            return None
        conn = m.group("conn").lower()
        p = _PREP_BEFORE.search(text, max(0, m.start() - 16), m.start())
        prep = (
            p.group("prep").lower() if p and p.group("prep").lower() in ("from", "between") else ""
        )
        if (conn == "and") != (prep == "between"):
            return None
        bare = not (a.explicit or b.explicit)
        if _UNIT_AFTER.match(text, m.end()):
            return None  # "3 to 5 working days", "2 and 3 items"
        if (
            (a.dotted or b.dotted)
            and not (a.meridiem or b.meridiem)
            and not (a.dotted and b.dotted)
        ):
            return None
        if bare and (a.hour > 12 or b.hour > 12 or a.hour == 0 or b.hour == 0):
            return None
        start24 = _guess_start(a, b)
        end24 = _guess_end(b, start24, a.minute)
        if start24 > 24 or end24 > 24:
            return None
        value = f"{_fmt(start24, a.minute)}-{_fmt(end24, b.minute)}"
        weak = bare and conn not in ("till", "til", "until") and not prep
        if weak and _HOURS_CONTEXT.search(text, max(0, m.start() - 40), m.start()):
            weak = False
        return _Tok("H", m.start("a"), m.end(), value, strong=not weak)

    @staticmethod
    def _single(text: str, m: re.Match[str]) -> _Tok | None:
        clock = _parse_time(m.group("s"))
        p = _PREP_BEFORE.search(text, max(0, m.start() - 16), m.start())
        prep = " ".join(p.group("prep").lower().split()) if p else ""
        if clock is None:
            return None
        words_with_minutes = not clock.explicit and clock.minute and prep and not clock.dotted
        if not (clock.explicit or words_with_minutes) or (clock.dotted and not clock.meridiem):
            return None
        if clock.meridiem or clock.h24:
            hour = _to24(clock.hour, clock.meridiem)
        elif clock.hour == 12:
            hour = 12
        else:
            hour = clock.hour + 12 if 1 <= clock.hour <= 6 else clock.hour
        modifier = _MODIFIERS.get(prep)
        if modifier is None:
            modifier = _endpoint(text, m.start())
        return _Tok("H", m.start(), m.end(), _fmt(hour, clock.minute), modifier, point=True)

    def render(self, fact: Fact) -> str:
        """The canonical value, e.g. ``Mon-Fri 08:00-20:00`` or ``24/7``."""
        return str(fact.value)


EXTRACTOR = TimeExtractor()
