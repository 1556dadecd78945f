"""Ordinal positions: "on the 1st of every month", "by the 5th working day", "the second review".

A policy often says *which* one rather than how many: the day of the month a
bill is issued, the working day a refund lands, the anniversary at which a
price is reviewed. An ordinal fact's ``value`` is the position (``Decimal``) and
its ``unit`` what is counted:

* ``day_of_month``: "the 15th of the month", "any day from the 1st to the
  28th", "on the 3rd" (a bare day ordinal after "the" or "on"), "taken on the
  twentieth" (a spoken one after a preposition and "the", with no noun after);
* ``working_day`` / ``day``: "the 2nd working day", "the third day", "a second-working-day
  delivery"; a day counted from an event the sentence names: "the day after sign-off" (1),
  "on the day of sign-off" (0, "the same day"), "the evening before delivery" (-1, "the
  day before"). Compared, a working day and a day are one
  count ("the day after" against "the 3rd working day after");
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
_WORKING = re.compile(r"[\s-]+(?:full\s+)?(?:working|business)[\s-]+days?\b", re.IGNORECASE)
# "the next working day" is the first working day after
_NEXT_WORKING = re.compile(
    r"\b(?:next|following)[\s-]+(?:working|business)[\s-]+day\b", re.IGNORECASE
)
# a day counted from an event the sentence names: "the day after sign-off" is the first day
# after it, "on the day of sign-off" the day itself (position 0)
_DAY_AFTER = re.compile(
    r"\b(?:the\s+(?P<working>(?:working|business)\s+)?day\s+(?:after|following)\b"
    r"(?!\s+(?:tomorrow|next)\b)|(?:the\s+)?next[\s-]+day\b|the\s+following\s+day\b)",
    re.IGNORECASE,
)
_DAY_BEFORE = re.compile(
    r"\bthe\s+(?:(?:working|business)\s+)?(?:day|evening|night|morning|afternoon)\s+before\b"
    r"(?!\s+(?:yesterday|last)\b)",
    re.IGNORECASE,
)
_SAME_DAY = re.compile(
    r"\b(?:the\s+same\s+day|on\s+the\s+day\s+(?:of|itself)|on\s+the\s+(?:morning|afternoon)\s+of)"
    r"\b",
    re.IGNORECASE,
)
_NOUN = re.compile(r"\s+([A-Za-z][A-Za-z-]*)")
# "your next direct debit" is the first one from now; "the direct debit after next" the second
# ... and "your current billing month" the one now (position 0)
_NEXT_ONE = re.compile(
    r"\b(?:your|the|our|their)\s+(?P<pos>next|current)\s+(?P<noun>[A-Za-z][A-Za-z-]*)",
    re.IGNORECASE,
)
_AFTER_NEXT = re.compile(
    r"\bthe\s+(?P<noun>[A-Za-z][A-Za-z-]*)(?:\s+[A-Za-z]+)?\s+after\s+next\b", re.IGNORECASE
)
# after "next", words that name a time or a step rather than one of a series
_NOT_NEXT = frozenset(
    {
        "time",
        "week",
        "month",
        "year",
        "day",
        "morning",
        "afternoon",
        "evening",
        "night",
        "weekend",
        "step",
        "steps",
        "few",
        "couple",
        "one",
        "available",
        "working",
        "business",
        "hour",
        "minute",
        "person",
        "agent",
        "page",
        "question",
    }
)
# "the second and any further children": the noun comes after the open end
_AND_FURTHER = re.compile(
    r"\s+(?:and|or)\s+(?:any|all|each|every)?\s*(?:further|subsequent|later|following|"
    r"additional|next)\s+([A-Za-z][A-Za-z-]*)",
    re.IGNORECASE,
)
_INDEFINITE = re.compile(r"\b(?:a|an)\s+$", re.IGNORECASE)
# "the second review", "your friend's second order", "every third night"
_DETERMINER = re.compile(
    r"\b(?:the|your|our|their|its|his|her|every|each)\s+$|\w's\s+$", re.IGNORECASE
)
_ORDINAL_WORD = (
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d{1,2}(?:st|nd|rd|th))"
)
_JOIN = r"(?:\s*,\s*(?:or\s+|and\s+)?|\s+(?:or|and)\s+)"
#: Ordinals that share the head after the last: "the first, second or third floor".
_SHARED_HEAD = re.compile(
    rf"{_JOIN}(?:{_ORDINAL_WORD}{_JOIN})*{_ORDINAL_WORD}\s+([A-Za-z]+)\b", re.IGNORECASE
)
# an ordinal coordinated with a position said before it: "the ground or second floor",
# "the first, second or third floor"
_COORDINATED = re.compile(r"(?:\b(?:or|and)|,)\s+$", re.IGNORECASE)
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
    }
)
_SENTENCE_END = re.compile(r"[.!?;]")
#: A position said as a noun and its number: "week 6", "Stage 2", "floor 3", "month 13",
#: "option 3" on a phone menu (not "3 weeks", not a year, not an amount or a duration after
#: it: "day 1 of 14", "week 2 payments")
_NUMBERED = re.compile(
    r"\b(?P<noun>week|stage|level|step|phase|floor|month|day|option|page|tier|round)\s+"
    r"(?P<n>\d{1,2})\b(?![.,:]?\d|\s*%|\s+(?:years?|months?|weeks?|days?)\b)",
    re.IGNORECASE,
)
_LABEL_RANGE = re.compile(r"\s*(?:to|-|–)\s*(?P<n>\d{1,2})\b(?![.,:]?\d|\s*%)", re.IGNORECASE)
#: A place named by its label: "Coach C", "Platform 4", "Gate B" (a capital letter or a number,
#: not a range "Zones 1-3", not a word "Coach A-Z"); read and shown as said.
_LABELLED = re.compile(
    r"\b(?P<noun>[Cc]oach|[Cc]arriage|[Pp]latform|[Gg]ate|[Tt]erminal|[Zz]one)\s+"
    r"(?P<n>[A-H]|\d{1,2})\b(?![-\u2013]|\.\d|\s*%)"
)
# nouns of _NOT_NOUN that say the ordinal names something other than a day
_NOT_A_DAY = frozenset({"time", "place", "thing", "things", "class", "floor"})
# "the last coach", "the final train of your journey": the position from the end (-1)
_LAST = re.compile(
    r"\b(?:the|your|our|their|its)\s+(?P<pos>last|final)\s+(?P<noun>[A-Za-z][A-Za-z-]*)",
    re.IGNORECASE,
)
# "the last working day of the month", "the last day of each month"
_LAST_DAY = re.compile(
    r"\b(?:the|on|by)\s+(?P<pos>last|final)\s+(?P<working>(?:working|business)\s+)?days?\b"
    r"(?P<month>\s+of\s+(?:the|every|each|a|that|this)\s+(?:calendar\s+)?month\b)?",
    re.IGNORECASE,
)
_PERIODS = frozenset({"week", "month", "year", "day"})
_OF_SERIES = re.compile(
    r"\s+of\s+(?:each|every|the|your|our|a|an|its|january|february|march|april|may|june|july|"
    r"august|september|october|november|december)\b",
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
        "working",
        "business",
    }
)
# after "final" (never "the one before this"), only idioms are no position: "the final
# month's invoice" is the last month of a series, "our final response" the last reply
_NOT_FINAL = frozenset(
    {"minute", "minutes", "moment", "resort", "word", "say", "straw", "chance", "bit", "few",
     "couple", "one", "decision", "answer", "destination", "call"}
)  # fmt: skip
_SAME_SENTENCE_MONTH = 60  # characters to look ahead for "of the month" across a range


# nouns that head a two-word name: "direct debit", "collection attempt", "payment date"
_HEADS = frozenset(
    {
        "floor",
        "night",
        "order",
        "debit",
        "card",
        "payment",
        "attempt",
        "bill",
        "review",
        "appointment",
        "instalment",
        "installment",
        "visit",
        "reminder",
        "letter",
        "notice",
        "delivery",
        "collection",
        "anniversary",
        "renewal",
        "charge",
        "lesson",
        "session",
        "claim",
        "stage",
        "complaint",
        "response",
        "reply",
        "call",
        "check",
        "inspection",
        "service",
        "month",
        "year",
    }
)
_HEAD = re.compile(r"\s+([A-Za-z]+)\b")
_IRREGULAR = {"children": "child", "people": "person", "men": "man", "women": "woman"}


def _singular(word: str) -> str:
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        return w[:-1]
    return w


def _compound(text: str, word: str, end: int) -> tuple[str, int]:
    """The unit an ordinal counts, two words where the second heads a name ("direct debit")."""
    head = _HEAD.match(text, end)
    if head is not None and word not in _NOT_NOUN:
        second = _singular(head.group(1))
        if second in _HEADS and _singular(word) != second:
            return f"{_singular(word) if word.endswith('ies') else word} {second}", head.end()
    return _singular(word), end


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
        facts.extend(self._numbered(text, facts))
        facts.extend(self._relative_days(text, facts))
        facts.extend(self._last_days(text))
        facts.extend(self._next_ones(text))
        lasts = list(_LAST.finditer(text))
        taken = TakenSpans(len(text), (f.span for f in facts)) if lasts else None
        for m in lasts:
            word = m.group("noun").lower()
            # "last week" is the week before this one; "the last week of each quarter" is a
            # position in a series
            of_a_series = word in _PERIODS and _OF_SERIES.match(text, m.end()) is not None
            if (
                word in _NOT_NOUN
                or (word in _NOT_LAST and not of_a_series and m.group("pos").lower() == "last")
                or word in _NOT_FINAL
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
        return [_in_month(text, f) for f in facts]

    def _numbered(self, text: str, found: list[Fact]) -> list[Fact]:
        """ "in week 6 of each term", "Stage 2", "floor 3": a position said as noun + number;
        "Coach C", "Platform 4": a place by its label (A is 1)."""
        taken: TakenSpans | None = None
        out: list[Fact] = []
        for m in [*_NUMBERED.finditer(text), *_LABELLED.finditer(text)]:
            if taken is None:
                taken = TakenSpans(len(text), (f.span for f in found))
            if taken.overlaps(*m.span()):
                continue
            label = m.group("n")
            value = Decimal(label if label.isdigit() else ord(label) - ord("A") + 1)
            upto = _LABEL_RANGE.match(text, m.end()) if label.isdigit() else None
            top = Decimal(upto.group("n")) if upto is not None else None
            stop = upto.end() if upto is not None and top is not None and top > value else m.end()
            out.append(
                Fact(
                    kind=self.kind,
                    value=value,
                    unit=m.group("noun").lower(),
                    span=(m.start(), stop),
                    text=text[m.start() : stop],
                    # "Stage 5 to 7": every stage from the 5th to the 7th
                    upper=top if stop != m.end() else None,
                    extractor=type(self).__name__,
                )
            )
        return out

    def _next_ones(self, text: str) -> list[Fact]:
        """ "your next direct debit" (position 1), "the direct debit after next" (2), "your
        current billing month" (0)."""
        out: list[Fact] = []
        for pattern, after_next in ((_NEXT_ONE, False), (_AFTER_NEXT, True)):
            for m in pattern.finditer(text):
                word = m.group("noun").lower()
                if word in _NOT_NEXT or word in _NOT_NOUN:
                    continue
                if after_next:
                    value, start = 2, m.start("noun")
                else:
                    value = 0 if m.group("pos").lower() == "current" else 1
                    start = m.start("pos")
                unit, stop = _compound(text, word, m.end("noun"))
                stop = max(stop, m.end())
                out.append(
                    Fact(
                        kind=self.kind,
                        value=Decimal(value),
                        unit=unit,
                        span=(start, stop),
                        text=text[start:stop],
                        extractor=type(self).__name__,
                    )
                )
        return out

    def _relative_days(self, text: str, found: list[Fact]) -> list[Fact]:
        """ "the day after sign-off" (position 1), "on the day of sign-off" (0), "the
        evening before delivery" (-1)."""
        taken: TakenSpans | None = None  # built only when a pattern matches (hot path)
        out: list[Fact] = []
        for pattern, value in ((_DAY_AFTER, 1), (_SAME_DAY, 0), (_DAY_BEFORE, -1)):
            for m in pattern.finditer(text):
                if taken is None:
                    taken = TakenSpans(len(text), (f.span for f in found))
                if taken.overlaps(*m.span()):
                    continue
                working = value == 1 and m.group("working")
                out.append(
                    Fact(
                        kind=self.kind,
                        value=Decimal(value),
                        unit="working_day" if working else "day",
                        span=m.span(),
                        text=m.group(0),
                        modifier=modifier_before(text, m.start()),
                        extractor=type(self).__name__,
                    )
                )
        return out

    def _last_days(self, text: str) -> list[Fact]:
        """ "the last working day (of the month)", "the last day of each month": position -1."""
        out: list[Fact] = []
        for m in _LAST_DAY.finditer(text):
            unit = "working_day" if m.group("working") else "day_of_month"
            if unit == "day_of_month" and not m.group("month"):
                continue  # "the last day you can cancel" is a deadline, not a day of the month
            out.append(
                Fact(
                    kind=self.kind,
                    value=Decimal(-1),
                    unit=unit,
                    span=(m.start("pos"), m.end()),
                    text=text[m.start("pos") : m.end()],
                    extractor=type(self).__name__,
                )
            )
        return out

    def _unit(self, text: str, start: int, end: int, *, spoken: bool) -> tuple[str | None, int]:
        of_month = _OF_MONTH.match(text, end)
        if of_month is not None:
            return "day_of_month", end
        working = _WORKING.match(text, end)
        if working is not None:
            return "working_day", working.end()
        before = text[max(0, start - 12) : start]
        shared = _SHARED_HEAD.match(text, end)
        if shared is not None and _singular(shared.group(1).lower()) in _HEADS:
            return _singular(shared.group(1).lower()), end  # "the first, second or third floor"
        noun = _AND_FURTHER.match(text, end) or _NOUN.match(text, end)
        if noun is not None:
            word = noun.group(1).lower()
            if word in ("day", "days"):
                return "day", noun.end()
            # a spoken "second" counts only after a determiner: "the second review"
            # "a third claim", "a second reminder": a position in a series the KB counts
            head = _singular(word) in _HEADS
            series = head and _INDEFINITE.search(before) is not None
            coordinated = head and _COORDINATED.search(before) is not None
            if word not in _NOT_NOUN and (
                not spoken or _DETERMINER.search(before) or series or coordinated
            ):
                return _compound(text, word, noun.end())
            if word in _NOT_A_DAY:
                return None, end  # "the 3rd floor", "first class": no day of the month
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
        if isinstance(fact.upper, Decimal):
            return f"{(fact.unit or '').capitalize()}s {n} to {int(fact.upper)}"
        labelled = _LABELLED.fullmatch(fact.text or "") if n > 0 else None
        if labelled is not None:
            label = str(n) if labelled.group("n").isdigit() else chr(ord("A") + n - 1)
            return with_modifier(fact.modifier, f"{labelled.group('noun').capitalize()} {label}")
        if n == 0:
            return with_modifier(fact.modifier, "the same day")
        if n == -1 and fact.unit == "day":
            return with_modifier(fact.modifier, "the day before")
        if n == -1:
            noun = {"working_day": "working day", "day_of_month": "day of the month"}
            return f"the last {noun.get(fact.unit or '', fact.unit)}"
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        pos = f"the {format_decimal(fact.value)}{suffix}"  # type: ignore[arg-type]
        if fact.unit == "day_of_month":
            body = f"{pos} of the month"
        elif fact.unit == "working_day":
            body = f"{pos} working day"
        elif weekday_position(fact):
            body = f"{pos} {(fact.unit or '').title().replace(' In ', ' in ')}"
        else:
            body = f"{pos} {fact.unit}"
        return with_modifier(fact.modifier, body)


WEEKDAYS = frozenset(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
_IN_MONTH = re.compile(
    r"\s+(?:in|of)\s+(?P<month>january|february|march|april|may|june|july|august|september|"
    r"october|november|december)\b",
    re.IGNORECASE,
)


def weekday_position(fact: Fact) -> bool:
    """An ordinal of a weekday: "the first Tuesday", "the first Monday in April"."""
    return (fact.unit or "").split(" ")[0] in WEEKDAYS


def _in_month(text: str, fact: Fact) -> Fact:
    """ "the first Monday in April": the month is part of the position (unit "monday in
    april"), so another month is another day."""
    if fact.unit not in WEEKDAYS:
        return fact
    m = _IN_MONTH.match(text, fact.span[1])
    if m is None:
        return fact
    return fact.model_copy(
        update={
            "unit": f"{fact.unit} in {m.group('month').lower()}",
            "span": (fact.span[0], m.end()),
            "text": text[fact.span[0] : m.end()],
        }
    )


EXTRACTOR = OrdinalExtractor()
