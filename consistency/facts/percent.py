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
    r"^\s*(?:(?P<apr>a\s?p\s?r|apr)\b|(?P<interest>interest)\b|(?P<discount>off|discount)\b)",
    re.IGNORECASE,
)
_INTEREST_FREE = re.compile(r"\binterest[\s-]?free\b", re.IGNORECASE)
_RANGE_JOIN = re.compile(r"^\s*(?:to|-|–)\s*$", re.IGNORECASE)


class PercentExtractor(Extractor):
    """Rates and discounts in written and spoken text."""

    kind: ClassVar[str] = "percent"

    def extract(self, text: str, *, reference: dt.date | None = None) -> list[Fact]:
        facts: list[Fact] = []
        low = text.lower()
        if "%" not in text and "per" not in low and " pc" not in low and "interest" not in low:
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
        taken = TakenSpans(len(text), (f.span for f in facts)) if "interest" in low else None
        for m in _INTEREST_FREE.finditer(text) if taken is not None else ():
            if taken.overlaps(m.start(), m.end()):
                continue
            facts.append(
                Fact(
                    kind=self.kind,
                    value=Decimal(0),
                    unit="percent",
                    span=m.span(),
                    text=m.group(0),
                    subject="APR",
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
        return "APR" if m.group("apr") or m.group("interest") else "discount"

    def render(self, fact: Fact) -> str:
        """``15%``, ``0% APR``, ``10% to 15%``."""

        def one(v: Decimal) -> str:
            return f"{v.normalize():f}%"

        out = one(fact.value)
        if fact.upper is not None:
            out += f" to {one(fact.upper)}"
        if fact.subject == "APR":
            out += " APR"
        elif fact.subject == "discount":
            out += " off"
        return out


EXTRACTOR = PercentExtractor()
