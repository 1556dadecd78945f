"""Postal addresses a customer writes to: "PO Box 7731", "Leeds LS99 4KL".

Complaints, returns and documents go by post to an address the KB gives; an agent
who reads out the wrong box number or postcode sends the letter nowhere. Two
facts, each with its ``unit``:

* ``po_box``: "PO Box 7731", "P.O. Box 7731", "po box 77 31" -> ``"PO Box 7731"``;
* ``postcode``: a UK postcode, upper-cased with one space -> ``"LS99 4KL"``. Only
  one that reads as a mailing address counts: in a sentence that names a PO Box or
  Freepost, or after "write to", "by letter/post to", "send/post/return it to" or
  "address". A customer's own postcode in passing ("we deliver to LS1") is not the
  KB's address.

A box number and a postcode are never compared with each other.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import ClassVar

from consistency.facts.base import Extractor
from consistency.models import Fact

__all__ = ["EXTRACTOR", "AddressExtractor"]

_PO_BOX = re.compile(r"\bP\.?\s?O\.?\s+Box\s+(?P<n>\d(?:\s?\d){0,7})\b", re.IGNORECASE)
_POSTCODE = re.compile(r"\b(?P<out>[A-Z]{1,2}\d[A-Z\d]?)\s?(?P<in>\d[A-Z]{2})\b", re.IGNORECASE)
_MAILING = re.compile(
    r"\b(?:p\.?\s?o\.?\s+box|box\s+\d+|freepost|write\s+to|writing\s+to|written\s+to|(?:by\s+)?"
    r"(?:letter|post)\s+to|(?:send|post|return|mail)\s+(?:it|them|this|that|the\s+\w+|your\s+\w+)"
    r"\s+to|address(?:ed)?)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?;](?:\s|$)")


class AddressExtractor(Extractor):
    """PO Box numbers and the postcodes of mailing addresses."""

    kind: ClassVar[str] = "address"

    def extract(self, text: str, *, reference: dt.date | None = None) -> list[Fact]:
        low = text.lower()
        if "box" not in low and not any(ch.isdigit() for ch in text):
            return []
        facts: list[Fact] = []
        for m in _PO_BOX.finditer(text):
            number = re.sub(r"\s", "", m.group("n"))
            facts.append(self._fact(text, m.start(), m.end(), f"PO Box {number}", "po_box"))
        for m in _POSTCODE.finditer(text):
            if not _mailing_before(text, m.start()):
                continue
            value = f"{m.group('out').upper()} {m.group('in').upper()}"
            facts.append(self._fact(text, m.start(), m.end(), value, "postcode"))
        facts.sort(key=lambda f: f.span)
        return facts

    def _fact(self, text: str, start: int, end: int, value: str, unit: str) -> Fact:
        return Fact(
            kind=self.kind,
            value=value,
            unit=unit,
            span=(start, end),
            text=text[start:end],
            extractor=type(self).__name__,
        )

    def render(self, fact: Fact) -> str:
        """``PO Box 7731``, ``LS99 4KL``."""
        return str(fact.value)


def _mailing_before(text: str, start: int) -> bool:
    """The postcode's sentence, up to it, reads as a mailing address."""
    window = text[max(0, start - 160) : start]
    ends = list(_SENTENCE_END.finditer(window))
    if ends:
        window = window[ends[-1].end() :]
    return _MAILING.search(window) is not None


EXTRACTOR = AddressExtractor()
