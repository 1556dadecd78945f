"""Percentages: "15%", "15 per cent", "fifteen percent", "0% APR", "interest free".

``value`` is the percentage as a ``Decimal`` (``Decimal("19.9")``), ``unit`` is
``"percent"``. What the rate is about goes to ``subject`` when the words right
after say so: ``APR`` ("0% APR", spoken "zero percent a p r", "0% interest"),
``discount`` ("10% off"). "interest free" / "interest-free" is 0% APR, because
agents say it for the KB's "0% APR" and the two must compare equal.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import ClassVar

from consistency.facts.base import Extractor, TakenSpans, ahead, in_web_address
from consistency.facts.numbers import find_numbers, modifier_before
from consistency.models import Fact

__all__ = ["EXTRACTOR", "PercentExtractor"]

_SIGN = re.compile(r"^(?:\s?%|\s*per\s?cent\b|\s*percent(?:age)?\b|\s?pc\b)", re.IGNORECASE)
_SUBJECT = re.compile(
    r"^\s*(?:(?P<apr>a\s?p\s?r|apr)\b|(?P<interest>interest)\b|(?P<discount>off|discount)\b"
    r"|(?P<vat>vat)\b)",
    re.IGNORECASE,
)
_INTEREST_FREE = re.compile(r"\binterest[\s-]?free\b", re.IGNORECASE)
# "zero-rated for VAT", "VAT-free", "there's no VAT on your quote": VAT at 0%
_NO_VAT = re.compile(
    r"\bzero[\s-]?rated(?:\s+for\s+VAT)?\b|\bVAT[\s-]?free\b|\bno\s+VAT\b", re.IGNORECASE
)
_RANGE_JOIN = re.compile(r"^\s*(?:to|-|–)\s*$", re.IGNORECASE)

#: Fractions said as discounts ("a third off", "half price"), as percentages. A third is
#: kept to two places; :func:`~consistency.compare.values.relation` takes "33%" for it.
FRACTIONS: dict[str, Decimal] = {
    "half": Decimal(50),
    "a half": Decimal(50),
    "one half": Decimal(50),
    "a third": Decimal("33.33"),
    "one third": Decimal("33.33"),
    "two thirds": Decimal("66.67"),
    "a quarter": Decimal(25),
    "one quarter": Decimal(25),
    "three quarters": Decimal(75),
    "a fifth": Decimal(20),
    "one fifth": Decimal(20),
    "a tenth": Decimal(10),
    "one tenth": Decimal(10),
}
_FRACTION = re.compile(
    r"\b(?P<frac>(?:a|one|two|three)[\s-]+(?:half|third|quarter|fifth|tenth)s?|half)"
    r"(?:\s+(?:the|of\s+the)\s+(?:price|fare|cost|ticket\s+price))?"
    r"(?P<tail>\s+off\b|[\s-]+price\b|[\s-]+fare\b|\s+discount\b)",
    re.IGNORECASE,
)
_AND_A_HALF = re.compile(r"(?:\band|\d)\s*$", re.IGNORECASE)
_FRACTION_PRICE = re.compile(r"\bhalf\s+(?:the|of\s+the)\s+(?:price|fare|cost)\b", re.I)


class PercentExtractor(Extractor):
    """Rates and discounts in written and spoken text."""

    kind: ClassVar[str] = "percent"

    def extract(self, text: str, *, reference: dt.date | None = None) -> list[Fact]:
        facts: list[Fact] = []
        low = text.lower()
        if "%" not in text and "per" not in low and " pc" not in low and "interest" not in low:
            if "vat" in low or "zero" in low:
                facts = self._zero(text, facts, _NO_VAT, "VAT")
            if "half" in low or "off" in low or "quarter" in low or "third" in low:
                return self._fractions(text, facts)
            return facts  # the common case: nothing that could be a percentage
        nums = [t for t in find_numbers(text) if not t.ordinal]
        for idx, tok in enumerate(nums):
            sign = _SIGN.match(ahead(text, tok.span[1]))
            if sign is None:
                continue
            start, end = tok.span[0], tok.span[1] + sign.end()
            if in_web_address(text, start):
                continue
            subject = self._subject(text, end)
            upper = None
            modifier = modifier_before(text, start)
            # "10 to 15%": the bare number before is the bottom of a range
            if idx > 0 and _RANGE_JOIN.match(text[nums[idx - 1].span[1] : start]):
                prev = nums[idx - 1]
                if not _SIGN.match(ahead(text, prev.span[1])) and prev.value < tok.value:
                    upper, start = tok.value, prev.span[0]
                    modifier = None
            value = tok.value if upper is None else nums[idx - 1].value
            facts.append(
                Fact(
                    kind=self.kind,
                    value=value,
                    unit="percent",
                    span=(start, end),
                    text=text[start:end],
                    subject=subject,
                    upper=upper,
                    modifier=modifier,
                    extractor=type(self).__name__,
                )
            )
        if "interest" in low:
            facts = self._zero(text, facts, _INTEREST_FREE, "APR")
        if "vat" in low or "zero" in low:
            facts = self._zero(text, facts, _NO_VAT, "VAT")
        return self._fractions(text, facts)

    def _zero(
        self, text: str, facts: list[Fact], pattern: re.Pattern[str], subject: str
    ) -> list[Fact]:
        """A rate of 0% said in words: "interest-free" (0% APR), "zero-rated for VAT" and
        "no VAT" (0% VAT), against an answer's "19.9% APR" or "5% VAT"."""
        taken = TakenSpans(len(text), (f.span for f in facts))
        out = list(facts)
        for m in pattern.finditer(text):
            if taken.overlaps(m.start(), m.end()):
                continue
            out.append(self.fact_at(text, *m.span(), Decimal(0), unit="percent", subject=subject))
            taken.add(*m.span())
        return out

    def _fractions(self, text: str, facts: list[Fact]) -> list[Fact]:
        """ "a third off", "half price", "half the fare": discounts said as fractions."""
        taken = TakenSpans(len(text), (f.span for f in facts))
        found = [*_FRACTION.finditer(text), *_FRACTION_PRICE.finditer(text)]
        for m in sorted(found, key=lambda m: m.start()):
            if taken.overlaps(m.start(), m.end()) or (
                m.group(0).lower().startswith("a half") and _AND_A_HALF.search(text, 0, m.start())
            ):
                continue  # "an hour and a half off the train" is no discount
            words = " ".join(re.split(r"[\s-]+", (m.groupdict().get("frac") or "half").lower()))
            value = FRACTIONS.get(words) or FRACTIONS.get(words.rstrip("s"))
            if value is None:
                continue
            facts.append(
                Fact(
                    kind=self.kind,
                    value=value,
                    unit="percent",
                    span=m.span(),
                    text=m.group(0),
                    subject="discount",
                    extractor=type(self).__name__,
                )
            )
            taken.add(*m.span())
        facts.sort(key=lambda f: f.span)
        return facts

    @staticmethod
    def _subject(text: str, end: int) -> str | None:
        m = _SUBJECT.match(ahead(text, end))
        if m is None:
            return None
        # "0% interest" and "0% APR" are the same claim to a customer.
        if m.group("vat"):
            return "VAT"
        return "APR" if m.group("apr") or m.group("interest") else "discount"

    def render(self, fact: Fact) -> str:
        """``15%``, ``0% APR``, ``10% to 15%``."""

        def one(v: Decimal) -> str:
            if v in _SAID:
                return _SAID[v]
            return f"{v.normalize():f}%"

        out = one(fact.value)
        if fact.upper is not None:
            out += f" to {one(fact.upper)}"
        if fact.subject == "APR":
            out += " APR"
        elif fact.subject == "discount":
            out += " off"
        elif fact.subject == "VAT":
            out += " VAT"
        return out


#: How a fraction that is not a round percentage is written back.
_SAID = {Decimal("33.33"): "a third (33%)", Decimal("66.67"): "two thirds (67%)"}

EXTRACTOR = PercentExtractor()
