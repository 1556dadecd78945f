"""Ordinal positions: "on the 1st of every month", "by the 5th working day", "the second review".

A policy often says *which* one rather than how many: the day of the month a
bill is issued, the working day a refund lands, the anniversary at which a
price is reviewed. An ordinal fact's ``value`` is the position (``Decimal``) and
its ``unit`` what is counted:

* ``day_of_month``: "the 15th of the month", "any day from the 1st to the
  28th", "on the 3rd" (a bare day ordinal after "the" or "on"), "taken on the
  twentieth" (a spoken one after a preposition and "the", with no noun after);
* ``working_day`` / ``day``: "the 2nd working day", "the third day";
* any other head noun, singular: "the second anniversary", "your first bill";
  "the last coach", "the final train" are position ``-1`` (counted from the end).

Spoken ordinals ("fifteenth", "second") count only with a head noun or a
month phrase: "first" and "second" alone are mostly discourse ("first, you'll
need…", "give me a second"). An ordinal that is part of a date ("3rd March",
"March the 3rd") is left to the date extractor, which wins the overlap.

Example:
    >>> [(f.value, f.unit) for f in EXTRACTOR.extract("Bills are issued on the 1st of every month.")]
    [(Decimal('1'), 'day_of_month')]
    >>> [(f.value, f.unit) for f in EXTRACTOR.extract("It lands by the fifth working day.")]
    [(Decimal('5'), 'working_day')]
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import ClassVar

from consistency.facts.base import Extractor, TakenSpans
from consistency.facts.numbers import find_numbers, format_decimal, modifier_before, with_modifier
from consistency.models import Fact

__all__ = ["EXTRACTOR", "OrdinalExtractor"]

_PREP_THE_BEFORE = re.compile(
    r"\b(?:on|by|from|until|till|before|after|around|and|or|to)\s+the\s+$", re.IGNORECASE
)
# a word after a spoken ordinal that makes it something else: "on the second floor"
_NOUN_AFTER = re.compile(
    r"\s*(?:-|of\s+(?!the\s+month|each|every)"
    r"|(?!(?:and|or|then|so|but|to|till|until|at|too|as|for|if|you|we|it|is|please|instead"
    r"|each|every|of|um|uh|er)\b)[a-z]{3,})",
    re.IGNORECASE,
)

_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_MONTH_AFTER = re.compile(rf"\s+(?:of\s+)?(?:{_MONTHS})\b", re.IGNORECASE)
_MONTH_BEFORE = re.compile(rf"\b(?:{_MONTHS})\s+(?:the\s+)?$", re.IGNORECASE)
_OF_MONTH = re.compile(
    r"\s+(?:day\s+)?of\s+(?:the|every|each|a|any|that|this|next|the\s+following)\s+"
    r"(?:calendar\s+)?month\b|\s+(?:every|each)\s+month\b",
    re.IGNORECASE,
)
_WORKING = re.compile(r"\s+(?:full\s+)?(?:working|business)\s+days?\b", re.IGNORECASE)
# "the next working day" is the first working day after
_NEXT_WORKING = re.compile(r"\b(?:next|following)\s+(?:working|business)\s+day\b", re.IGNORECASE)
_NOUN = re.compile(r"\s+([A-Za-z][A-Za-z-]*)")
_DETERMINER = re.compile(r"\b(?:the|your|our|their|its|his|her)\s+$", re.IGNORECASE)
_THE_BEFORE = re.compile(r"\b(?:the|on|from|by|before|after|until|till)\s+$", re.IGNORECASE)
# a range whose first end names the unit: "from the 1st to the 28th of the month"
_RANGE_BEFORE = re.compile(r"\b(?:to|and|or|-|until|till)\s+(?:the\s+)?$", re.IGNORECASE)
# words after an ordinal that are not what it counts
_NOT_NOUN = frozenset(
    {
        "and",
        "or",
        "to",
        "of",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "the",
        "a",
        "an",
        "is",
        "are",
        "was",
        "be",
        "it",
        "you",
        "we",
        "they",
        "if",
        "so",
        "then",
        "but",
        "as",
        "time",
        "place",
        "thing",
        "things",
        "off",
        "unless",
        "until",
        "till",
        "when",
        "before",
        "after",
        "because",
        "which",
        "that",
        "this",
        "please",
        "each",
        "every",
        "too",
        "though",
        "although",
        "while",
        "where",
        "instead",
        "only",
        "just",
        "up",
        "class",
        "floor",
    }
)
_SENTENCE_END = re.compile(r"[.!?;]")
# "the last coach", "the final train of your journey": the position from the end (-1)
_LAST = re.compile(
    r"\b(?:the|your|our|their|its)\s+(?P<pos>last|final)\s+(?P<noun>[A-Za-z][A-Za-z-]*)",
    re.IGNORECASE,
)
# after "last"/"final", words that are no position in a series
_NOT_LAST = frozenset(
    {
        "minute",
        "minutes",
        "moment",
        "resort",
        "word",
        "say",
        "decision",
        "response",
        "reply",
        "answer",
        "bill",
        "year",
        "month",
        "week",
        "few",
        "couple",
        "one",
        "bit",
        "chance",
        "straw",
        "call",
        "reminder",
        "notice",
        "demand",
        "destination",
        "stop",
        "date",
        "day",
    }
)
_SAME_SENTENCE_MONTH = 60  # characters to look ahead for "of the month" across a range


def _singular(word: str) -> str:
    w = word.lower()
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        return w[:-1]
    return w


class OrdinalExtractor(Extractor):
    """Which one: a day of the month, a working day, an anniversary."""

    kind: ClassVar[str] = "ordinal"

    def extract(self, text: str, *, reference: dt.date | None = None) -> list[Fact]:
        facts: list[Fact] = [
            Fact(
                kind=self.kind,
                value=Decimal(1),
                unit="working_day",
                span=m.span(),
                text=m.group(0),
                modifier=modifier_before(text, m.start()),
                extractor=type(self).__name__,
            )
            for m in _NEXT_WORKING.finditer(text)
        ]
        for tok in find_numbers(text):
            if not tok.ordinal or tok.value < 1 or tok.value > 366:
                continue
            start, end = tok.span
            if _MONTH_AFTER.match(text, end) or _MONTH_BEFORE.search(
                text[max(0, start - 16) : start]
            ):
                continue  # a date: "3rd March", "March the 3rd"
            unit, stop = self._unit(text, start, end, spoken=tok.spoken)
            if unit is None:
                continue
            facts.append(
                Fact(
                    kind=self.kind,
                    value=tok.value,
                    unit=unit,
                    span=(start, stop),
                    text=text[start:stop],
                    modifier=modifier_before(text, start),
                    extractor=type(self).__name__,
                )
            )
        lasts = list(_LAST.finditer(text))
        taken = TakenSpans(len(text), (f.span for f in facts)) if lasts else None
        for m in lasts:
            word = m.group("noun").lower()
            if (
                word in _NOT_NOUN
                or word in _NOT_LAST
                or (taken is not None and taken.overlaps(*m.span()))
            ):
                continue
            facts.append(
                Fact(
                    kind=self.kind,
                    value=Decimal(-1),
                    unit=_singular(word),
                    span=(m.start("pos"), m.end()),
                    text=text[m.start("pos") : m.end()],
                    extractor=type(self).__name__,
                )
            )
        facts.sort(key=lambda f: f.span)
        return facts

    def _unit(self, text: str, start: int, end: int, *, spoken: bool) -> tuple[str | None, int]:
        of_month = _OF_MONTH.match(text, end)
        if of_month is not None:
            return "day_of_month", end
        working = _WORKING.match(text, end)
        if working is not None:
            return "working_day", working.end()
        before = text[max(0, start - 12) : start]
        noun = _NOUN.match(text, end)
        if noun is not None:
            word = noun.group(1).lower()
            if word in ("day", "days"):
                return "day", noun.end()
            # a spoken "second" counts only after a determiner: "the second review"
            if word not in _NOT_NOUN and (not spoken or _DETERMINER.search(before)):
                return _singular(word), noun.end()
        # a day ordinal in a range or alone after "the"/"on": "from the 1st to the 28th"
        ahead = text[end : end + _SAME_SENTENCE_MONTH]
        cut = _SENTENCE_END.search(ahead)
        ahead = ahead[: cut.start()] if cut else ahead
        if re.search(r"\bmonth\b", ahead, re.IGNORECASE) and (
            _THE_BEFORE.search(before) or _RANGE_BEFORE.search(before)
        ):
            return "day_of_month", end
        if not spoken and _THE_BEFORE.search(before):
            return "day_of_month", end
        # spoken after a preposition and "the": "taken on the twentieth", "by the fifteenth"
        if spoken and _PREP_THE_BEFORE.search(before) and not _NOUN_AFTER.match(text, end):
            return "day_of_month", end
        return None, end

    def render(self, fact: Fact) -> str:
        """``the 15th of the month``, ``the 2nd working day``, ``the 2nd anniversary``."""
        n = int(fact.value) if fact.value is not None else 0  # type: ignore[arg-type]
        if n == -1:
            return f"the last {fact.unit}"
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        pos = f"the {format_decimal(fact.value)}{suffix}"  # type: ignore[arg-type]
        if fact.unit == "day_of_month":
            body = f"{pos} of the month"
        elif fact.unit == "working_day":
            body = f"{pos} working day"
        else:
            body = f"{pos} {fact.unit}"
        return with_modifier(fact.modifier, body)


EXTRACTOR = OrdinalExtractor()
