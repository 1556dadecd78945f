"""Counts and frequencies: "up to 3 SIMs", "five devices", "twice a year", "10GB".

A count is a number followed by a countable noun phrase ("5 incorrect password
attempts", "2 other people") or a frequency ("once a year" = 1 ``per_year``,
"twice" = 2 ``times``), "2 per customer" (``unit="per customer"``), or an
amount of data ("10GB", "ten gigs": ``unit="gb"``). A spoken "one" counts
only as a rate ("one point for every pound") or with a bound ("only one",
"up to one"), being mostly a pronoun or article ("one Volt account"). ``unit`` is
the head noun, singular and lower case ("attempt", "person", "sim"), so
"3 SIMs" and "3 SIM cards" differ only in wording. Numbers that belong to
other kinds are refused here without asking their extractors: a number
followed by a unit of money, time or percent, a month or weekday name,
"am"/"pm"; one glued to letters or a symbol ("£5", "24h", "ORD123"); an
ordinal; a number after "number", "ref" or "order"; and a number of five or
more digits (order numbers).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import ClassVar

from consistency.facts.base import Extractor, TakenSpans
from consistency.facts.measure import MEASURE_AFTER, canonical_unit, is_measure, shown
from consistency.facts.numbers import (
    NumberToken,
    bound_after,
    find_numbers,
    format_decimal,
    modifier_before,
    with_modifier,
)
from consistency.facts.words import FILLER_WORDS
from consistency.models import Fact

__all__ = ["EXTRACTOR", "CountExtractor"]

_WORD = re.compile(r"\s{1,2}([A-Za-z][A-Za-z'-]*(?:(?<=-)\d+[A-Za-z]*)?)")
_FREQ_WORDS = {"once": 1, "twice": 2, "thrice": 3}
_FREQ = re.compile(
    r"\b(?P<n>once|twice|thrice)\b(?P<per>\s+(?:a|per|every|each)\s+(?P<period>day|week|month|year))?",
    re.IGNORECASE,
)
_PERIOD_AFTER = re.compile(
    r"\s+(?:a|per|every|each|in\s+an?|in\s+any)\s+(?:(?:single|given|calendar)\s+)?(?P<period>day|week|month|year)s?\b",
    re.IGNORECASE,
)
# words that end a noun phrase or say the number is not a count
_STOP = FILLER_WORDS | frozenset(
    {
        # months, weekdays, day parts and money words: never the thing counted
        "april",
        "aug",
        "august",
        "cents",
        "clock",
        "daily",
        "dec",
        "december",
        "dollar",
        "euro",
        "feb",
        "february",
        "fortnights",
        "fri",
        "friday",
        "ish",
        "jan",
        "january",
        "jul",
        "july",
        "jun",
        "june",
        "mar",
        "march",
        "minus",
        "mon",
        "monday",
        "nd",
        "nov",
        "november",
        "o",
        "o'clock",
        "oclock",
        "oct",
        "october",
        "rd",
        "sat",
        "saturday",
        "sep",
        "sept",
        "september",
        "st",
        "sterling",
        "sun",
        "sunday",
        "th",
        "through",
        "thru",
        "thu",
        "thur",
        "thurs",
        "thursday",
        "til",
        "till",
        "time",
        "times",
        "today",
        "tomorrow",
        "tue",
        "tues",
        "tuesday",
        "until",
        "wed",
        "wednesday",
        "weekday",
        "weekdays",
        "x",  # "55 x 40 x 20cm": a size, not 55 of something
        "yesterday",
    }
)
# "extra", "incorrect"...: words that may precede the head noun
_ADJ = frozenset(
    [
        "extra",
        "additional",
        "full",
        "size",
        "full-size",
        "large",
        "small",
        "big",
        "more",
        "free",
        "other",
        "different",
        "separate",
        "new",
        "old",
        "further",
        "incorrect",
        "wrong",
        "failed",
        "unsuccessful",
        "successful",
        "delivery",
        "password",
        "sim",
        "payment",
        "partner",
        "personal",
        "mobile",
    ]
)
_BLOCK_BEFORE = re.compile(
    r"(?:\b(?:number|no|ref|reference|order|account|code|id|pin|flat|house|unit|room|"
    r"option|press|line|extension|ext|version|page|step|gate|platform|at)\.?\s*#?|[#£$€:/.-])$",
    re.IGNORECASE,
)
_IRREGULAR = {
    "people": "person",
    "children": "child",
    "men": "man",
    "women": "woman",
    "tries": "try",
}
_SYNONYMS = {
    "try": "attempt",
    "go": "attempt",
    "sim-card": "sim",
    "simcard": "sim",
    "gig": "gb",
    "gigabyte": "gb",
    "meg": "mb",
    "megabyte": "mb",
}
# "a 6-digit code", "4 digits", "an eight character password": the length of a code
_DIGITS = re.compile(r"(?:-|\s{1,2})(digit|character|letter|figure)s?\b", re.IGNORECASE)
_DATA = re.compile(r"(?:\s?)(gb|mb|tb|mbps|gbps)\b", re.IGNORECASE)
# "a 75-point check", "a 3-course meal", "a 2-person tent": the number counts the word it
# is hyphened to; periods ("12-month"), "one-off", "2-for-1" and "3-in-1" are not counts
_COMPOUND = re.compile(r"-([a-z]{3,})s?(?=\s+[a-z])", re.IGNORECASE)
_NOT_COUNTED = frozenset(
    """second minute hour day week fortnight month year night working business off for
    in to way and or the hand""".split()  # noqa: SIM905
)
# "collect from 120 collection points", "choose from 30 recipes": "from" names where or
# what from, not a lower bound
_SOURCE_FROM = re.compile(
    r"\b(?:collect(?:ed|ing)?|choose|choosing|chosen|pick(?:ed|ing)?|select(?:ed|ing)?|"
    r"order(?:ed|ing)?|buy(?:ing)?|bought|borrow(?:ed|ing)?|shop(?:ping)?)\s+from\s+$",
    re.IGNORECASE,
)
# "Schedule 2", "Stage 4", "Level 3", "Band C": a number that names a class of things
_CLASS_LABEL = re.compile(
    r"\b(?:[Ss]chedule|[Ss]tage|[Ll]evel|[Ss]tep|[Pp]hase|[Ff]loor|[Tt]ype|[Bb]and|[Tt]ier|"
    r"[Gg]rade|[Cc]ategory|[Cc]lass|Year|Key\s+Stage|[Zz]one|[Pp]latform|[Gg]ate|[Tt]erminal|"
    r"[Ss]ection|[Rr]oom)\s+$"
)
_LABEL_JOIN = re.compile(r"\s*(?:,|or|and|to|-|–)\s*", re.IGNORECASE)
# after a bare bound: punctuation, a bracket or a preposition, no noun ("at least 500 (worth")
_NO_NOUN_AFTER = re.compile(
    r"\s*(?:[(),.;:!?]|$|(?:before|to|of|in|at|for|and|or)\b)", re.IGNORECASE
)
_PLURAL_NOUN = re.compile(r"\b([a-z]{3,}[^s\W]s)\b")
# "only 3 people can be named", "just two cards may be linked": the number is the limit
_ONLY_LIMIT_AFTER = re.compile(
    r"\s*(?:[\w-]+\s+){0,3}?(?:can|may|are\s+allowed|is\s+allowed)\b", re.IGNORECASE
)
_RANGE_JOIN = re.compile(r"\s*(?:to|-|–)\s*", re.IGNORECASE)
# "once in any 12-month period", "once per booking": a count, not "once you've sent it"
_ONCE_COUNTED = re.compile(
    r"\s+(?:in\s+(?:any|a|an|each|every)|per|every|each|a)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:day|week|month|year|period|booking|order|journey|trip|visit|account|customer)s?\b",
    re.IGNORECASE,
)
# "children under 3", "aged 16", "guests over 18": an age bound, not how many (unit "age")
_AGE_BEFORE = re.compile(
    r"(?:\b(?:aged|ages?)|\b(?:children|child|kids|people|adults|guests|members|anyone|those|"
    r"passengers|customers|everyone|babies|infants|toddlers|students|pupils|swimmers|"
    r"players)\s+(?:under|over|below|above))\s+$",
    re.IGNORECASE,
)
# "you must be 18 or over", "applicants need to be 21 or older": an age said as a bound
_BE_BEFORE = re.compile(r"\b(?:be|are|is|aged)\s+$", re.IGNORECASE)
_AGE_OR_MORE = re.compile(r"\s+or\s+(?:over|older|above|under|younger)\b", re.IGNORECASE)
_ONLY = re.compile(r"\b(?:only|just|exactly)\s+$", re.IGNORECASE)
#: "allows 3 people", "the maximum is two boosters", "limited to 4": the number is a limit.
_LIMIT_BEFORE = re.compile(
    r"\b(?:allows?|allowed|permits?|(?:maximum|max|limit|most)\s+(?:is|are|of)"
    r"|limited\s+to|capped\s+at|no\s+more\s+than)\s+(?:just\s+|only\s+)?$",
    re.IGNORECASE,
)
#: "N of our [M] practices", "N of any single product", "N of them".
_BOUND_BEFORE = re.compile(r"\b(?:than|least|most|over|under|to)\s+$", re.IGNORECASE)
_PARTITIVE = re.compile(
    r"\s+of\s+(?:them\b|(?:our|the|your|their|its|any|these|those|a|an|each)\s+"
    r"(?P<inner>\d[\d,]*\s+)?(?:(?:single|own|other|main|current)\s+)?"
    r"(?P<noun>[A-Za-z][A-Za-z'-]*))",
    re.IGNORECASE,
)
#: A number that labels a thing ("Terminal 5 of the airport", "row 12 of the cabin",
#: "band 2 of the charges") is a name, not how many.
_LABEL_BEFORE = re.compile(
    r"(?:\b(?!(?:At|All|In|On|For|Only|Just|About|Around|Over|Up|With|From|By|And|But|So|"
    r"Yes|No|Then|Now)\b)[A-Z][a-z]+|\b(?:row|seat|gate|platform|terminal|zone|coach|carriage|week|stage|"
    r"level|step|phase|floor|page|chapter|section|part|band|tier|day|year|number|no))\s+$"
)
_RATE_AFTER = re.compile(r"\s+(?:for\s+(?:every|each)|per|each|every)\b", re.IGNORECASE)
_PER_NOUN = re.compile(r"\s+per\s+(?!day|week|month|year|annum)([a-z]+)\b", re.IGNORECASE)
_DATA_UNITS = {"gb": "GB", "mb": "MB", "tb": "TB", "mbps": "Mbps", "gbps": "Gbps"}


def _singular(word: str) -> str:
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith(("ches", "shes", "sses", "xes")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith("ss") and len(w) > 2:
        w = w[:-1]
    return _SYNONYMS.get(w, w)


def _plural(noun: str) -> str:
    back = {v: k for k, v in _IRREGULAR.items()}
    if noun in back:
        return back[noun]
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + ("es" if noun.endswith(("ch", "sh", "ss", "x")) else "s")


def _bound_word(bound: tuple[str, int] | None) -> str | None:
    """The modifier of a :func:`bound_after` hit ("or more": ``at_least``), or ``None``."""
    return bound[0] if bound else None


def _said_as_thousands(text: str, tok: NumberToken) -> bool:
    """A large count said as one ("ten thousand cycles", "10,000 miles"), not a run of
    digits that is more likely a reference or a postcode."""
    return tok.value < 10**7 and (tok.spoken or "," in text[tok.span[0] : tok.span[1]])


class CountExtractor(Extractor):
    """How many of something, and how often."""

    kind: ClassVar[str] = "count"

    def extract(self, text: str, *, reference: dt.date | None = None) -> list[Fact]:
        facts: list[Fact] = []
        numbers = find_numbers(text)
        upper_of: set[int] = set()  # the top of an age range already read with its bottom
        label_end = -1  # where the last label's number ("Schedule 2") ended
        for idx, tok in enumerate(numbers):
            if tok.ordinal or idx in upper_of:
                continue
            start, end = tok.span
            if _CLASS_LABEL.search(text[max(0, start - 12) : start]) or (
                label_end >= 0 and _LABEL_JOIN.fullmatch(text, label_end, start)
            ):
                label_end = end  # "Schedule 2 or 3 drugs", "Stage 4": names, not how many
                continue
            measure = MEASURE_AFTER.match(text, end)
            if measure is not None and (start == 0 or not text[start - 1].isalnum()):
                if start == 0 or text[start - 1] not in "£$€":
                    unit = canonical_unit(measure.group(1))
                    facts.append(self._fact(text, start, measure.end(), tok.value, unit))
                continue
            if not tok.is_integer or (tok.value >= 10000 and not _said_as_thousands(text, tok)):
                continue
            data = _DATA.match(text, end)
            if data is not None and (start == 0 or not text[start - 1].isalnum()):
                facts.append(self._fact(text, start, data.end(), tok.value, data.group(1).lower()))
                continue
            digits = _DIGITS.match(text, end)
            if digits is not None and (start == 0 or not text[start - 1].isalnum()):
                unit = digits.group(1).lower()
                facts.append(self._fact(text, start, digits.end(), tok.value, unit))
                continue
            compound = _COMPOUND.match(text, end)
            if (
                compound is not None
                and (start == 0 or text[start - 1] in " (\"'")
                and _singular(compound.group(1).lower()) not in _NOT_COUNTED
            ):
                unit = _singular(compound.group(1).lower())
                facts.append(self._fact(text, start, compound.end(), tok.value, unit))
                continue
            lone_one = tok.spoken and tok.value == 1 and not _PER_NOUN.match(text, end)
            if (
                lone_one
                and modifier_before(text, start) is None
                and not _ONLY.search(text[max(0, start - 8) : start])
            ):
                # "one" is mostly a pronoun or article ("one Volt account"); it counts
                # only as a rate ("one point for every pound") or with a bound ("only one")
                fact = self._noun_count(text, tok.value, start, end)
                if fact is not None and _RATE_AFTER.match(text, fact.span[1]):
                    facts.append(fact)
                continue
            if start > 0 and not text[start - 1].isspace() and text[start - 1] not in "(\"'":
                continue
            if end < len(text) and (text[end].isalnum() or text[end] in "%:£$€/"):
                continue
            before = text[max(0, start - 12) : start].rstrip() if start else ""
            if _BLOCK_BEFORE.search(before) and not (
                before.lower().endswith("at") and _PARTITIVE.match(text, end)
            ):
                continue  # "at 5" is a time; "at 12 of our practices" a count
            said_as_age = _AGE_OR_MORE.match(text, end) and _BE_BEFORE.search(
                text[max(0, start - 12) : start]
            )
            if said_as_age or _AGE_BEFORE.search(text[max(0, start - 24) : start]):
                # an age bound is a fact of its own, compared only with other ages
                # ("aged 18", "you must be 18 or over")
                bound = _bound_word(bound_after(text, end))
                fact = self._fact(text, start, end, tok.value, "age", modifier=bound)
                nxt = numbers[idx + 1] if idx + 1 < len(numbers) else None
                if nxt is not None and nxt.is_integer and not nxt.ordinal:
                    # "aged 21 to 75": one range, as "the 21 to 75 age range" reads
                    ranged = self._ranged(text, self._fact(text, *nxt.span, nxt.value, "age"), tok)
                    if ranged.upper is not None:
                        fact = ranged
                        upper_of.add(idx + 1)
                facts.append(fact)
                continue
            fact = self._noun_count(text, tok.value, start, end)
            if fact is None:
                fact = self._bound_of_named(text, tok.value, start, end)
            if fact is not None:
                facts.append(self._ranged(text, fact, numbers[idx - 1] if idx else None))
        taken = TakenSpans(len(text), (f.span for f in facts))
        for m in _FREQ.finditer(text):
            if taken.overlaps(m.start(), m.end()):
                continue
            period = m.group("period")
            if (
                period is None
                and m.group("n").lower() == "once"
                and not _ONCE_COUNTED.match(text, m.end())
                and not _ONLY.search(text[max(0, m.start() - 8) : m.start()])
            ):
                continue  # "once you've sent it" is not a frequency; "only once a year" is
            facts.append(
                Fact(
                    kind=self.kind,
                    value=Decimal(_FREQ_WORDS[m.group("n").lower()]),
                    unit=f"per_{period.lower()}" if period else "times",
                    span=(m.start(), m.end()),
                    text=m.group(0),
                    modifier=modifier_before(text, m.start()),
                    extractor=type(self).__name__,
                )
            )
        facts.sort(key=lambda f: f.span)
        return facts

    def _ranged(self, text: str, fact: Fact, prev: NumberToken | None) -> Fact:
        """ "groups of 3 to 9 adults": the bare number just before "to" is the range's bottom."""
        if prev is None or not _RANGE_JOIN.fullmatch(text[prev.span[1] : fact.span[0]]):
            return fact
        if prev.ordinal or not prev.is_integer or prev.value >= fact.value:
            return fact
        return fact.model_copy(
            update={
                "value": prev.value,
                "upper": fact.value,
                "span": (prev.span[0], fact.span[1]),
                "text": text[prev.span[0] : fact.span[1]],
                "modifier": None,
            }
        )

    def noun_count(self, text: str, value: Decimal, start: int, end: int) -> Fact | None:
        """``value`` of the thing named after ``text[start:end]`` ("one" + "spare key"), read
        as the extractor reads any count; ``None`` when no countable noun follows."""
        return self._noun_count(text, value, start, end)

    def _noun_count(self, text: str, value: Decimal, start: int, end: int) -> Fact | None:
        part = _PARTITIVE.match(text, end)
        if (
            part is not None
            and value == 1
            and not part.group("inner")
            and not _BOUND_BEFORE.search(text, max(0, start - 15), start)
        ):
            return None  # "one of our stores" is which one; "more than one of ..." counts
        if part is not None and not _LABEL_BEFORE.search(text, max(0, start - 20), start):
            # "12 of our practices", "40 of our 60 hotels", "35 of them": the share counted
            noun = (part.group("noun") or "them").lower()
            if noun not in _STOP or noun == "them":
                stop = part.start("inner") if part.group("inner") else part.end()
                return self._fact(text, start, stop, value, _singular(noun))
        per = _PER_NOUN.match(text, end)
        if per is not None and per.group(1).lower() not in _STOP:
            unit = f"per {_singular(per.group(1))}"
            return self._fact(text, start, per.end(), value, unit)
        bound = bound_after(text, end)  # "two or more claims"
        pos = bound[1] if bound else end
        head: str | None = None
        head_end = end
        priced = False  # "10 free samples": "free" is the money facts' own word
        for _ in range(3):
            m = _WORD.match(text, pos)
            if m is None:
                break
            word = m.group(1).lower()
            if word in ("times", "time"):
                if head is None:
                    per = _PERIOD_AFTER.match(text, m.end())
                    unit = f"per_{per.group('period').lower()}" if per else "times"
                    stop = per.end() if per else m.end()
                    return self._fact(text, start, stop, value, unit)
                break
            if word in _STOP and not (word in _ADJ and head is None):
                break  # "2 more boxes": "more" is a filler word but may lead to the noun
            if head == "sim" and word in ("card", "cards"):
                word = "sim"
            priced = priced or word == "free"
            head, head_end = word, m.end()
            pos = m.end()
            if word not in _ADJ:
                break
        if head is None or head == "free" or head in _STOP:
            return None  # "2 more" with no noun after it counts nothing named
        # a span that leaves "free" to the money facts, so both are kept
        return self._fact(
            text,
            start,
            end if priced else head_end,
            value,
            _singular(head),
            modifier=bound[0] if bound else _bound_word(bound_after(text, head_end)),
        )

    def _bound_of_named(self, text: str, value: Decimal, start: int, end: int) -> Fact | None:
        """ "You can spend points once you have at least 500": a bound with no noun after
        it counts the plural noun its clause named before it."""
        modifier = modifier_before(text, start)
        if modifier not in ("at_least", "up_to") or not _NO_NOUN_AFTER.match(text, end):
            return None
        clause = text[max(0, start - 60) : start]
        clause = re.split(r"[.;:!?]\s", clause)[-1]
        nouns = [m for m in _PLURAL_NOUN.finditer(clause) if m.group(1).lower() not in _STOP]
        if not nouns:
            return None
        return self._fact(
            text, start, end, value, _singular(nouns[-1].group(1).lower()), modifier=modifier
        )

    def _fact(
        self,
        text: str,
        start: int,
        end: int,
        value: Decimal,
        unit: str,
        *,
        modifier: str | None = None,
    ) -> Fact:
        modifier = modifier or modifier_before(text, start)
        if modifier == "from" and _SOURCE_FROM.search(text[max(0, start - 24) : start]):
            modifier = None
        if modifier is None and _LIMIT_BEFORE.search(text[max(0, start - 32) : start]):
            modifier = "up_to"  # "the app only allows 3 people": a limit, not a case of one
        if (
            modifier is None
            and _ONLY.search(text[max(0, start - 8) : start])
            and _ONLY_LIMIT_AFTER.match(text, end)
        ):
            modifier = "up_to"
        return Fact(
            kind=self.kind,
            value=value,
            unit=unit,
            span=(start, end),
            text=text[start:end],
            modifier=modifier,
            extractor=type(self).__name__,
        )

    def render(self, fact: Fact) -> str:
        """``up to 3 cards``, ``2 times``, ``1 per year``."""
        amount = format_decimal(fact.value)
        if fact.upper is not None:
            amount += f" to {format_decimal(fact.upper)}"
        if fact.unit == "age":
            return with_modifier(fact.modifier, f"age {amount}")
        if is_measure(fact.unit):
            return with_modifier(fact.modifier, shown(amount, fact.unit or ""))
        if fact.unit == "times":
            amount += " time" if fact.value == 1 else " times"
        elif fact.unit and fact.unit.startswith("per_"):
            amount += f" per {fact.unit[4:]}"
        elif fact.unit in _DATA_UNITS:
            amount += _DATA_UNITS[fact.unit]
        elif fact.unit and fact.unit.startswith("per "):
            amount += f" {fact.unit}"
        elif fact.unit:
            amount += f" {fact.unit if fact.value == 1 else _plural(fact.unit)}"
        return with_modifier(fact.modifier, amount)


EXTRACTOR = CountExtractor()
