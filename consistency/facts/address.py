"""Postal addresses a customer writes to: "PO Box 7731", "Leeds LS99 4KL".

Complaints, returns and documents go by post to an address the KB gives; an agent
who reads out the wrong box number or postcode sends the letter nowhere. Two
facts, each with its ``unit``:

* ``po_box``: "PO Box 7731", "P.O. Box 7731", "po box 77 31", spoken "p o box seven seven
  three one" -> ``"PO Box 7731"``;
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
from consistency.facts.phone import spoken_digit_runs, words_to_digits
from consistency.models import Fact

__all__ = ["EXTRACTOR", "AddressExtractor"]

_PO_BOX = re.compile(r"\bP\.?\s?O\.?\s+Box\s+(?P<n>\d(?:\s?\d){0,7})\b", re.IGNORECASE)
_BOX_WORDS = re.compile(r"\bp\.?\s?o\.?\s+box\s+", re.IGNORECASE)
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
            facts.append(self.fact_at(text, m.start(), m.end(), f"PO Box {number}", unit="po_box"))
        if not facts and "box" in low:
            facts.extend(self._spoken_boxes(text))
        for m in _POSTCODE.finditer(text):
            if not _mailing_before(text, m.start()):
                continue
            value = f"{m.group('out').upper()} {m.group('in').upper()}"
            facts.append(self.fact_at(text, m.start(), m.end(), value, unit="postcode"))
        facts.sort(key=lambda f: f.span)
        return facts

    def _spoken_boxes(self, text: str) -> list[Fact]:
        """ "p o box seven seven three one": the number read out word by word."""
        out: list[Fact] = []
        runs = {run[0][0]: run for run in spoken_digit_runs(text, min_words=1)}
        for m in _BOX_WORDS.finditer(text):
            run = runs.get(m.end())
            digits = words_to_digits([w for _, _, w in run]) if run else None
            if run and digits and digits.isdigit() and len(digits) <= 8:
                out.append(
                    self.fact_at(text, m.start(), run[-1][1], f"PO Box {digits}", unit="po_box")
                )
        return out

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
