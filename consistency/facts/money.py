"""Money amounts: "£5", "GBP 5.00", "five quid", "three pounds ninety nine", "free".

``value`` is a ``Decimal`` quantised to two places, ``unit`` the ISO currency
code. Bare "pounds", "quid", "p" and "pence" default to GBP. A spoken pair such
as "twenty nine ninety nine" is read as 29.99 only when the words before it
talk about a price ("it costs", "the fee is"), because elsewhere two adjacent
numbers are usually two numbers. "free", "no charge", "free of charge" and
"at no (extra) cost" are money 0. A rate after the amount ("£5.99 a month")
goes to ``subject`` as ``per_month`` so a monthly price is never aligned with a
yearly one. Ranges ("from £10 to £500") keep the top in ``upper``.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import ClassVar

from consistency.facts.base import Extractor, TakenSpans, ahead
from consistency.facts.numbers import NumberToken, find_numbers, modifier_before
from consistency.models import Fact

__all__ = ["EXTRACTOR", "MoneyExtractor"]

_CENT = Decimal("0.01")
_SYMBOLS = {"£": "GBP", "$": "USD", "€": "EUR", "₹": "INR"}
_CODES = {"gbp": "GBP", "usd": "USD", "eur": "EUR", "inr": "INR", "rs": "INR"}
_MAJOR_WORDS = {
    "pound": "GBP",
    "pounds": "GBP",
    "quid": "GBP",
    "sterling": "GBP",
    "dollar": "USD",
    "dollars": "USD",
    "bucks": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "gbp": "GBP",
    "usd": "USD",
    "eur": "EUR",
    "rupee": "INR",
    "rupees": "INR",
    "inr": "INR",
}
_MINOR_WORDS = {
    "p": "GBP",
    "pence": "GBP",
    "penny": "GBP",
    "pennies": "GBP",
    "cent": "USD",
    "cents": "USD",
}
_SYMBOL_NAMES = {"GBP": "£", "USD": "$", "EUR": "€", "INR": "₹"}
_MAJOR_WORDS.update(_SYMBOLS)  # a symbol after the amount: "10 €"

_BEFORE_SYMBOL = re.compile(r"(?:([£$€₹])|\b(gbp|usd|eur|inr|rs)\b\.?)\s?$", re.IGNORECASE)
_AFTER_UNIT = re.compile(
    r"^([\s-]?)(?:u\.?s\.?\s+(?=dollars?\b))?"
    r"(pounds?|quid|sterling|dollars?|bucks|euros?|rupees?|gbp|usd|eur|inr|pence|penny|pennies"
    r"|cents?|p)\b"
    # a symbol written after the amount ("10 €", "20£"), not before another amount
    r"|^(\s?)([£$€₹])(?!\s?\d)",
    re.IGNORECASE,
)


def _unit_word(after: re.Match[str]) -> str:
    """The unit an ``_AFTER_UNIT`` match names: a word, lower-cased, or a symbol."""
    return (after.group(2) or after.group(4) or "").lower()


_RATE = re.compile(
    r"^\s*(?:(?:a|per|each|every)\s+(day|week|month|year|annum)|/\s?(day|week|month|year)"
    r"|(monthly|annually|yearly|weekly))\b",
    re.IGNORECASE,
)
_RATE_WORDS = {
    "day": "per_day",
    "week": "per_week",
    "weekly": "per_week",
    "month": "per_month",
    "monthly": "per_month",
    "year": "per_year",
    "annum": "per_year",
    "annually": "per_year",
    "yearly": "per_year",
}
# Words that, right after a number, say it is not pence ("five pounds thirty days").
# "%" stands outside the word boundary: "2.75%" at the end of a text is a percent.
_NOT_PENCE_NEXT = re.compile(
    r"^\s*(?:%|(?:per\s?cent|percent|days?|weeks?|months?|years?|hours?|minutes?|mins?|"
    r"times|working|business|am|pm|o'clock|st|nd|rd|th)\b)",
    re.IGNORECASE,
)
_PRICE_CUE = re.compile(
    r"(?:\b(?:costs?|costing|price[ds]?|charge[ds]?|charging|fees?|pay|paying|paid|payable|"
    r"fine|excess|bill(?:ed)?|just|only)\W+(?:\w+\W+){0,3}"
    r"|\b(?:is|it's|its|that's|thats|was|be|for|about|around|delivery|postage|shipping|"
    r"label|subscription|membership)\s+)$",
    re.IGNORECASE,
)
# a price pair is never followed by these: "nine thirty am", "twenty two seventy seven"
_NOT_PRICE_AFTER = re.compile(
    r"^\s*(?:am|pm|a\.m|p\.m|o'clock|oh|zero|one|two|three|four|five|"
    r"six|seven|eight|nine|\d)\b",
    re.IGNORECASE,
)
_FREE = re.compile(
    r"\b(?:free\s+of\s+charge|(?:at\s+)?no\s+(?:(?!need|way|one|problem|reason|idea)[a-z]+(?:-[a-z]+)?\s+){0,2}?"
    r"(?:costs?|charges?|fees?)|(?:does\s*n[o']?t|won'?t|will\s+not|doesn't)\s+cost\s+(?:you\s+)?"
    r"(?:anything|a\s+penny|a\s+thing)|costs?\s+nothing|for\s+nothing|free"
    # "we don't charge for it", "we won't charge you", "without any cancellation fees"
    r"|(?:do\s*n[o']?t|don't|won'?t|will\s+not|never)\s+charge(?:\s+(?:you|for))?"
    r"|without\s+(?:any\s+)?(?:[a-z]+\s+){0,2}?(?:charges?|fees?))\b",
    re.IGNORECASE,
)
# "free" that is not a price: "feel free", "toll free", "free to", "hands free".
_FREE_NOT_BEFORE = re.compile(
    r"(?:feel|toll|hands|interest|duty|tax|fee|sugar|fault|hassle|stress|worry|risk|"
    r"scratch|error|contact|cash|paper|care)[\s-]*$",
    re.IGNORECASE,
)
_FREE_NOT_AFTER = re.compile(r"^[\s-]*(?:to\b|up\b|phone\b|call\b|of\s+(?!charge))", re.IGNORECASE)
#: "free to join", "free to use": a price, where no one is said to be at liberty.
_FREE_TO_PRICE = re.compile(
    r"^\s*to\s+(?:join|use|download|enter|attend|register|book|access|visit|sign\s+up)\b",
    re.IGNORECASE,
)
_AT_LIBERTY = re.compile(r"\b(?:you're|you\s+are|they're|they\s+are|we're|feel)\s+$", re.I)
_DENIED_BEFORE = re.compile(
    r"\b(?:isn't|is\s+not|aren't|are\s+not|not|never|no\s+longer)\s+$", re.IGNORECASE
)
_FREE_WORDS = ("free", "charge", "cost", "fee", "nothing")
_PERIOD_AFTER = re.compile(r"^\s+(?:days?|weeks?|months?|years?|fortnights?)\b", re.IGNORECASE)
_SLANG = re.compile(r"\ba\s+(fiver|tenner)\b", re.IGNORECASE)
_RANGE_JOIN = re.compile(r"^\s*(?:to|-|–|and|up\s+to)\s*$", re.IGNORECASE)
_A_POUND = re.compile(r"\b(?:a|one)(?=\s+(?:pound|quid)\b)", re.IGNORECASE)


_LARGEST = Decimal(10) ** 15


def _q(value: Decimal) -> Decimal:
    return value.quantize(_CENT)


class MoneyExtractor(Extractor):
    """Prices, fees and "free" in written and spoken text."""

    kind: ClassVar[str] = "money"
    default_currency: ClassVar[str] = "GBP"

    def extract(self, text: str, *, reference: dt.date | None = None) -> list[Fact]:
        nums = [t for t in find_numbers(text) if not t.ordinal]
        low = text.lower()
        pound = "pound" in low or "quid" in low
        in_number = TakenSpans(len(text), (t.span for t in nums)) if pound else None
        for m in _A_POUND.finditer(text) if in_number is not None else ():  # "a pound ninety nine"
            if not in_number.overlaps(m.start(), m.start() + 1):  # inside a number already
                nums.append(NumberToken(Decimal(1), m.span(), m.group(0), spoken=True))
        nums.sort(key=lambda t: t.span)
        found: list[tuple[int, int, Decimal, str]] = []  # start, end, value, currency
        used: set[int] = set()
        i = 0
        while i < len(nums):
            hit = self._amount(text, nums, i)
            if hit is not None:
                start, end, value, cur, last = hit
                found.append((start, end, value, cur))
                used.update(range(i, last + 1))
                i = last + 1
                continue
            i += 1
        for m in _SLANG.finditer(text) if "fiver" in low or "tenner" in low else ():
            value = Decimal(5) if m.group(1).lower() == "fiver" else Decimal(10)
            found.append((m.start(1), m.end(1), value, "GBP"))
        # an amount of 10^15 or more is no price (a run of digits), and cannot be kept to
        # the penny in decimal's 28 digits
        facts = [self._fact(text, s, e, v, c) for s, e, v, c in found if abs(v) < _LARGEST]
        facts = self._ranges(text, facts, nums, used)
        facts.extend(self._free(text, facts))
        facts.sort(key=lambda f: f.span)
        return facts

    # -- amounts --------------------------------------------------------------------

    def _amount(
        self, text: str, nums: list[NumberToken], i: int
    ) -> tuple[int, int, Decimal, str, int] | None:
        tok = nums[i]
        start, end = tok.span
        before = _BEFORE_SYMBOL.search(text[max(0, start - 5) : start])
        if before is not None:
            sym = before.group(1)
            cur = _SYMBOLS[sym] if sym else _CODES[before.group(2).lower()]
            s = start - len(before.group(0))
            value, e, last = self._pence(text, nums, i, tok.value, end, major=True)
            # "£5 99"-style is never read; "£3 99p" is not either.
            if (after := _AFTER_UNIT.match(ahead(text, e))) and _unit_word(after) in _CODES:
                e += after.end()
            return s, e, value, cur, last
        after = _AFTER_UNIT.match(ahead(text, end))
        if after is not None:
            word = _unit_word(after)
            if word == "p" and after.group(1) and not tok.spoken and "." in tok.text:
                return None
            e = end + after.end()
            if word in _MINOR_WORDS:
                cur = _MINOR_WORDS[word]
                return start, e, tok.value / 100, cur, i
            cur = _MAJOR_WORDS[word]
            value, e, last = self._pence(text, nums, i, tok.value, e, major=True)
            return start, e, value, cur, last
        # spoken "twenty nine ninety nine" or written "29.99" after a price cue
        cue = _PRICE_CUE.search(text[max(0, start - 40) : start])
        if cue is None:
            return None
        if tok.spoken and tok.is_integer and 0 < tok.value < 1000 and i + 1 < len(nums):
            nxt = nums[i + 1]
            gap = text[end : nxt.span[0]]
            if (
                nxt.spoken
                and gap.isspace()
                and len(gap) <= 2
                and nxt.is_integer
                and 10 <= nxt.value < 100
                and not _NOT_PENCE_NEXT.match(ahead(text, nxt.span[1]))
                and not _NOT_PRICE_AFTER.match(ahead(text, nxt.span[1]))
            ):
                return start, nxt.span[1], tok.value + nxt.value / 100, self.default_currency, i + 1
        written_price = not tok.spoken and re.fullmatch(r"\d+\.\d\d", tok.text)
        if written_price and not _NOT_PENCE_NEXT.match(ahead(text, end)):
            return start, end, tok.value, self.default_currency, i
        return None

    def _pence(
        self, text: str, nums: list[NumberToken], i: int, value: Decimal, end: int, *, major: bool
    ) -> tuple[Decimal, int, int]:
        """Add "ninety nine" in "three pounds ninety nine (p)"."""
        if i + 1 >= len(nums) or not nums[i].is_integer:
            return value, end, i
        nxt = nums[i + 1]
        gap = text[end : nxt.span[0]]
        if not re.fullmatch(r"\s{1,2}(?:and\s{1,2})?", gap):
            return value, end, i
        if not (nxt.is_integer and 0 < nxt.value < 100) or nxt.ordinal:
            return value, end, i
        tail = ahead(text, nxt.span[1])
        minor = re.match(r"^\s?(p|pence|cents?)\b", tail, re.IGNORECASE)
        if minor is None and (_NOT_PENCE_NEXT.match(tail) or _AFTER_UNIT.match(tail)):
            return value, end, i
        if minor is None and re.match(r"^\s?(?:-|to\b)", tail):
            return value, end, i
        new_end = nxt.span[1] + (minor.end() if minor else 0)
        return value + nxt.value / 100, new_end, i + 1

    # -- facts ------------------------------------------------------------------------

    def _fact(
        self,
        text: str,
        start: int,
        end: int,
        value: Decimal,
        cur: str,
        *,
        upper: Decimal | None = None,
    ) -> Fact:
        rate = _RATE.match(ahead(text, end))
        subject = None
        if rate is not None:
            subject = _RATE_WORDS[next(g for g in rate.groups() if g).lower()]
        return Fact(
            kind=self.kind,
            value=_q(value),
            unit=cur,
            span=(start, end),
            text=text[start:end],
            subject=subject,
            upper=_q(upper) if upper is not None else None,
            modifier=None if upper is not None else modifier_before(text, start),
            extractor=type(self).__name__,
        )

    def _ranges(
        self, text: str, facts: list[Fact], nums: list[NumberToken], used: set[int]
    ) -> list[Fact]:
        """Merge "£10 to £500" and "10 to 500 pounds" into one fact with ``upper``."""
        facts.sort(key=lambda f: f.span)
        out: list[Fact] = []
        # The last unused number (in ``nums`` order) that ends before each fact, found by
        # one sweep: facts come in start order, so the numbers ending before them only grow.
        unused = [j for j in range(len(nums)) if j not in used]
        by_end = sorted(unused, key=lambda j: nums[j].span[1])
        swept, last_bare = 0, -1
        for fact in facts:
            if out:
                prev = out[-1]
                gap = text[prev.span[1] : fact.span[0]]
                if (
                    prev.unit == fact.unit
                    and prev.upper is None
                    and _RANGE_JOIN.match(gap)
                    and prev.value < fact.value
                ):
                    out[-1] = self._fact(
                        text,
                        prev.span[0],
                        fact.span[1],
                        prev.value,
                        prev.unit or "GBP",
                        upper=fact.value,
                    )
                    continue
            # "ten to fifty pounds": a bare number joined to this amount
            while swept < len(by_end) and nums[by_end[swept]].span[1] <= fact.span[0]:
                last_bare = max(last_bare, by_end[swept])
                swept += 1
            if last_bare >= 0:
                t = nums[last_bare]
                gap = text[t.span[1] : fact.span[0]]
                if re.fullmatch(r"\s*(?:to|-|–)\s*", gap) and t.value < fact.value:
                    fact = self._fact(
                        text,
                        t.span[0],
                        fact.span[1],
                        t.value,
                        fact.unit or "GBP",
                        upper=fact.value,
                    )
            out.append(fact)
        return out

    def _free(self, text: str, facts: list[Fact]) -> list[Fact]:
        out: list[Fact] = []
        low = text.lower()
        if not any(w in low for w in _FREE_WORDS):
            return out
        taken = TakenSpans(len(text), (f.span for f in facts))
        for m in _FREE.finditer(text):
            s, e = m.span()
            if taken.overlaps(s, e):
                continue
            if m.group(0).lower() == "free":
                if _FREE_NOT_BEFORE.search(text[max(0, s - 12) : s]):
                    continue
                if _FREE_NOT_AFTER.match(ahead(text, e)) and not (
                    _FREE_TO_PRICE.match(ahead(text, e))
                    and not _AT_LIBERTY.search(text[max(0, s - 16) : s])
                ):
                    continue
                if _DENIED_BEFORE.search(text[max(0, s - 16) : s]):
                    continue  # "returning by post isn't free": no price, a denial
                if text[max(0, s - 1) : s] == "-" and _PERIOD_AFTER.match(ahead(text, e)):
                    continue  # "4 rent-free weeks": a period, the duration's to read
            out.append(
                Fact(
                    kind=self.kind,
                    value=Decimal("0.00"),
                    unit=self.default_currency,
                    span=(s, e),
                    text=text[s:e],
                    extractor=type(self).__name__,
                )
            )
            taken.add(s, e)
        return out

    def render(self, fact: Fact) -> str:
        """``£5.00``, ``£10.00 to £500.00``, ``£5.99 a month``, ``free``."""
        if fact.value == 0 and fact.upper is None:
            return "free"
        sym = _SYMBOL_NAMES.get(fact.unit or "", "")

        def one(v: Decimal) -> str:
            return f"{sym}{v:,.2f}" if sym else f"{v:,.2f} {fact.unit}"

        out = one(fact.value)
        if fact.upper is not None:
            out += f" to {one(fact.upper)}"
        if fact.subject and fact.subject.startswith("per_"):
            out += f" a {fact.subject[4:]}"
        return out


EXTRACTOR = MoneyExtractor()
