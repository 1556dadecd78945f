"""Durations: "30 days", "two weeks", "a fortnight", "5 working days", "3-5 working days".

Normalisation, chosen so that equal periods compare equal and unequal ones never
do by accident:

* days, weeks and fortnights -> ``unit="day"`` (two weeks == 14 days);
* working / business days and weekdays -> ``unit="business_day"``, never equal
  to calendar days (14 working days != 14 days);
* months and years -> ``unit="month"`` (2 years == 24 months);
* seconds, minutes and hours keep their unit (``"second"``, ``"minute"``, ``"hour"``). The comparison
  converts minute, hour and day exactly (48 hours == 2 days, 90 minutes ==
  1.5 hours); the extractor does not, so a rendering shows what was said.

Ranges ("3 to 5 working days", "3-5", "between 3 and 5 days") keep the bottom
in ``value`` and the top in ``upper``; lists ("24, 36 or 48 months") give one
fact per number. "within 14 days" / "up to" set ``modifier="up_to"``.
"a week", "an hour" count only after a word that introduces a period
("within a week", "takes a day"), so rates ("£5.99 a month", "twice a year",
"7 days a week") are not read as durations.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import ClassVar

from consistency.facts.base import AHEAD, Extractor, TakenSpans, ahead
from consistency.facts.numbers import (
    bound_after,
    find_numbers,
    format_decimal,
    modifier_before,
)
from consistency.models import Fact

__all__ = ["EXTRACTOR", "DurationExtractor"]

_UNIT_AFTER = re.compile(
    # "4 rent-free weeks", "6 interest-free months": what the period is free of
    r"^(?:\s{0,2}|-)(?:(?:extra|more|additional|full|whole|further|clear|[a-z]+-free)\s+)?"
    r"(?:(?P<kind>working|business|calendar|week)[\s-]?)?"
    r"(?P<unit>seconds?|secs?|minutes?|mins?|hours?|hrs?|h|days?|weeks?|wks?|fortnights?|months?|mths?|"
    r"years?|yrs?|decades?)\b",
    re.IGNORECASE,
)
_ARTICLE_UNIT = re.compile(
    r"\b(?P<lead>within|in|for|after|takes?|taking|took|lasts?|over|about|around|than|least|"
    r"to|under|only|just|valid|expires?|have|has|got|get|gives?|given|up\s+to)\s+"
    r"(?P<art>an?)\s+(?:(?:extra|full|whole|further|single)\s+)?(?:(?P<kind>working|business)\s+)?"
    r"(?:calendar\s+)?(?P<unit>minute|hour|day|week|fortnight|month|year)\b",
    re.IGNORECASE,
)
# "we email you a week before the trial ends": a period anchored to an event
_ARTICLE_ANCHORED = re.compile(
    r"\b(?P<art>an?)\s+(?P<unit>minute|hour|day|week|fortnight|month|year)\s+"
    r"(?:before|after|earlier|later|ahead|beforehand)\b",
    re.IGNORECASE,
)
_FORTNIGHT = re.compile(r"\b(?:a|the|one)\s+(fortnight)\b", re.IGNORECASE)
_HALF_HOUR = re.compile(r"\bhalf\s+(?:an?\s+)?hour\b|\ba\s+half[\s-]hour\b", re.IGNORECASE)
_HOUR_AND_HALF = re.compile(r"\ban\s+hour\s+and\s+(?:a\s+)?half\b", re.IGNORECASE)
# "a year and a half" (18 months), "a day and a half", "a month and a half"
_UNIT_AND_HALF = re.compile(
    r"\ban?\s+(?P<unit>day|week|fortnight|month|year)\s+and\s+a\s+half\b", re.IGNORECASE
)
#: Between a range's two ends: "3 to 5", "3-5", "between 3 and 5", "11- to 15-year-olds".
_RANGE_JOIN = re.compile(r"^\s*(?:-\s*(?=to\b))?(?:to|-|–|and)\s*$", re.IGNORECASE)
_LIST_JOIN = re.compile(r"^\s*(?:,\s*(?:or\s+|and\s+)?|or\s+|and\s+)$", re.IGNORECASE)

# unit word stem -> (normalised unit, multiplier)
_UNITS: dict[str, tuple[str, int]] = {
    "second": ("second", 1),
    "sec": ("second", 1),
    "minute": ("minute", 1),
    "min": ("minute", 1),
    "hour": ("hour", 1),
    "hr": ("hour", 1),
    "h": ("hour", 1),
    "day": ("day", 1),
    "week": ("day", 7),
    "wk": ("day", 7),
    "fortnight": ("day", 14),
    "month": ("month", 1),
    "mth": ("month", 1),
    "year": ("month", 12),
    "yr": ("month", 12),
    "decade": ("month", 120),
}

_NAMES = {
    "second": ("second", "seconds"),
    "minute": ("minute", "minutes"),
    "hour": ("hour", "hours"),
    "day": ("day", "days"),
    "business_day": ("working day", "working days"),
    "month": ("month", "months"),
}


def _norm_unit(word: str, kind: str | None) -> tuple[str, int]:
    stem = word.lower()
    if stem not in _UNITS and stem.endswith("s"):
        stem = stem[:-1]
    unit, mult = _UNITS[stem]
    if kind and kind.lower() in ("working", "business", "week") and unit == "day":
        # "working days" and "weekdays"; a "working week" is five working days
        return "business_day", 5 if mult == 7 else mult
    return unit, mult


_BETWEEN_BEFORE = re.compile(r"\bbetween\s*$", re.IGNORECASE)


def _between_before(text: str, pos: int) -> bool:
    """Whether "between" ends ``text[:pos]`` (blanks after it allowed), reading only the
    last :data:`AHEAD` characters (searching the whole prefix for each number was
    quadratic in the text)."""
    start = max(0, pos - AHEAD)
    m = _BETWEEN_BEFORE.search(text, start, pos)
    if m is None:
        return False
    # \b at the window's edge: the character before it decides
    return (
        m.start() > start or start == 0 or not (text[start - 1].isalnum() or text[start - 1] == "_")
    )


def _bound(text: str, start: int, end: int) -> str | None:
    """ "within 14 days", "five or more years", "nine years or more"."""
    said = modifier_before(text, start)
    if said is not None:
        return said
    bound = bound_after(text, start, end) or bound_after(text, end)
    return bound[0] if bound else None


class DurationExtractor(Extractor):
    """Periods of time in written and spoken text."""

    kind: ClassVar[str] = "duration"

    def extract(self, text: str, *, reference: dt.date | None = None) -> list[Fact]:
        nums = [t for t in find_numbers(text) if not t.ordinal]
        facts: list[Fact] = []
        claimed: set[int] = set()
        for idx in range(len(nums)):
            tok = nums[idx]
            bound = bound_after(text, tok.span[1])  # "five or more years"
            unit_at = bound[1] if bound else tok.span[1]
            m = _UNIT_AFTER.match(ahead(text, unit_at))
            if m is None:
                continue
            unit, mult = _norm_unit(m.group("unit"), m.group("kind"))
            end = unit_at + m.end()
            # a range "3 to 5 working days", or a list "24, 36 or 48 months"
            prev = nums[idx - 1] if idx > 0 and idx - 1 not in claimed else None
            if prev is not None and not _UNIT_AFTER.match(ahead(text, prev.span[1])):
                gap = text[prev.span[1] : tok.span[0]]
                joined_and = gap.strip().lower() == "and"
                between = _between_before(text, prev.span[0])
                if (
                    _RANGE_JOIN.match(gap)
                    and prev.value < tok.value
                    and (not joined_and or between)
                ):
                    facts.append(
                        self._fact(
                            text, prev.span[0], end, prev.value * mult, unit, tok.value * mult
                        )
                    )
                    claimed.update((idx - 1, idx))
                    continue
                j = idx
                members: list[int] = []
                while j > 0 and j - 1 not in claimed:
                    cand = nums[j - 1]
                    if _LIST_JOIN.match(text[cand.span[1] : nums[j].span[0]]) is None:
                        break
                    if _UNIT_AFTER.match(ahead(text, cand.span[1])):
                        break
                    members.append(j - 1)
                    j -= 1
                for member in members:
                    cand = nums[member]
                    facts.append(
                        self._fact(text, cand.span[0], cand.span[1], cand.value * mult, unit)
                    )
                    claimed.add(member)
            facts.append(self._fact(text, tok.span[0], end, tok.value * mult, unit))
            claimed.add(idx)
        facts.extend(self._article_forms(text, facts))
        facts.sort(key=lambda f: f.span)
        return facts

    def _article_forms(self, text: str, facts: list[Fact]) -> list[Fact]:
        """ "within a week", "a fortnight", "half an hour", "an hour and a half"."""
        out: list[Fact] = []
        taken = TakenSpans(len(text), (f.span for f in facts))
        free = taken.free

        low = text.lower()
        half = "half" in low
        for m in _HOUR_AND_HALF.finditer(text) if half else ():
            if free(*m.span()):
                out.append(self._fact(text, m.start(), m.end(), Decimal(90), "minute"))
                taken.add(*m.span())
        for m in _UNIT_AND_HALF.finditer(text) if half else ():
            if free(*m.span()):
                unit, mult = _norm_unit(m.group("unit"), None)
                value = Decimal(mult) * Decimal("1.5")
                out.append(self._fact(text, m.start(), m.end(), value, unit))
                taken.add(*m.span())
        for m in _HALF_HOUR.finditer(text) if half else ():
            if free(*m.span()):
                out.append(self._fact(text, m.start(), m.end(), Decimal(30), "minute"))
                taken.add(*m.span())
        for m in _FORTNIGHT.finditer(text) if "fortnight" in low else ():
            if free(*m.span()):
                out.append(self._fact(text, m.start(), m.end(), Decimal(14), "day"))
                taken.add(*m.span())
        for m in _ARTICLE_UNIT.finditer(text):
            s, e = m.start("art"), m.end()
            if free(s, e):
                unit, mult = _norm_unit(m.group("unit"), m.group("kind"))
                out.append(self._fact(text, s, e, Decimal(mult), unit))
                taken.add(s, e)
        anchored = any(w in low for w in ("before", "after", "earlier", "later", "ahead"))
        for m in _ARTICLE_ANCHORED.finditer(text) if anchored else ():
            s, e = m.start("art"), m.end("unit")
            if free(s, e):
                unit, mult = _norm_unit(m.group("unit"), None)
                out.append(self._fact(text, s, e, Decimal(mult), unit))
                taken.add(s, e)
        return out

    def _fact(
        self,
        text: str,
        start: int,
        end: int,
        value: Decimal,
        unit: str,
        upper: Decimal | None = None,
    ) -> Fact:
        return Fact(
            kind=self.kind,
            value=value,
            unit=unit,
            span=(start, end),
            text=text[start:end],
            upper=upper,
            modifier=None if upper is not None else _bound(text, start, end),
            extractor=type(self).__name__,
        )

    def render(self, fact: Fact) -> str:
        """``14 days``, ``5 working days``, ``3 to 5 working days``.

        The bound ("within") is left out: "within 30 days" and "30 days" state the
        same period, and a conflict reads best as "30 days" against "14 days".
        """
        return render_amount(fact.value, fact.unit, fact.upper)


def render_amount(value: Decimal, unit: str | None, upper: Decimal | None = None) -> str:
    """``render_amount(Decimal(24), "month") == "24 months"``; years from 60 months up."""
    one, many = _NAMES.get(unit or "", (unit or "", unit or ""))
    if unit == "month" and value >= 60 and value % 12 == 0 and (upper is None or upper % 12 == 0):
        one, many = "year", "years"
        value = value / 12
        upper = upper / 12 if upper is not None else None
    top = upper if upper is not None else value
    name = one if top == 1 else many
    if upper is not None:
        return f"{format_decimal(value)} to {format_decimal(upper)} {name}"
    return f"{format_decimal(value)} {name}"


EXTRACTOR = DurationExtractor()
