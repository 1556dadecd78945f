"""What a detector finds and how a masked span is written.

A :class:`PIISpan` is half-open ``(start, end)`` into the *original* text, with
its kind and a normalised value (E.164 for a phone, the digits of a card, the
lower-cased address of an email) so the KB's own values can be recognised
whatever way they were written.

Masks keep the length of what they replace, so every span computed on the
original text (a finding's evidence span, a snippet span) points at the same
place in the masked text: ``[CARD█████████]`` for a card number of 19
characters, ``█████`` when the label does not fit.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "MASK_CHAR",
    "PII_KINDS",
    "PIIKind",
    "PIISpan",
    "RedactedText",
    "mask",
    "masked_regions",
]

PIIKind = Literal[
    "card",
    "phone",
    "email",
    "postcode",
    "sort_code",
    "account",
    "dob",
    "name",
    "address",
    "nhs",
    "nino",
    "passport",
    "iban",
    "number",
    "input",
]
#: Every kind masked. ``number``: a digit run cut off at a snippet's edge; ``input``:
#: a bad value an error message quotes.
PII_KINDS: tuple[str, ...] = PIIKind.__args__  # type: ignore[attr-defined]

#: The fill character of every mask (U+2588 FULL BLOCK: not a word character, not a digit).
MASK_CHAR = "█"

_LABELS = {
    "card": "CARD",
    "phone": "PHONE",
    "email": "EMAIL",
    "postcode": "POSTCODE",
    "sort_code": "SORTCODE",
    "account": "ACCOUNT",
    "dob": "DOB",
    "name": "NAME",
    "address": "ADDRESS",
    "nhs": "NHS",
    "nino": "NINO",
    "passport": "PASSPORT",
    "iban": "IBAN",
    "number": "NUM",
    "input": "INPUT",
}
# What an earlier redaction left: a labelled mask or a run of fill characters.
_MASKED = re.compile(r"\[(?:" + "|".join(_LABELS.values()) + r")" + MASK_CHAR + r"*\]|█+")


class PIISpan(BaseModel):
    """One piece of personal data: ``text[start:end]`` of the original text."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: int
    end: int
    kind: PIIKind
    value: str = Field(default="", repr=False)
    """Normalised (E.164 phone, card digits, lower-case email, upper-case postcode); never
    in the repr, so a logged or printed span does not show what it masks."""
    detector: str = ""


class RedactedText(BaseModel):
    """Masked text and what was masked; ``len(text)`` equals the original's length."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str
    spans: tuple[PIISpan, ...] = ()


def mask(kind: str, length: int) -> str:
    """A mask of exactly ``length`` characters: ``[LABEL██…]``, or fill when the label is longer.

    Example:
        >>> mask("card", 19)
        '[CARD█████████████]'
        >>> mask("name", 4)
        '████'
    """
    label = _LABELS.get(kind, "PII")
    if length >= len(label) + 2:
        return f"[{label}{MASK_CHAR * (length - len(label) - 2)}]"
    return MASK_CHAR * max(length, 0)


def masked_regions(text: str) -> list[tuple[int, int]]:
    """Where ``text`` already holds masks (so a second redaction leaves them alone)."""
    if MASK_CHAR not in text and "[" not in text:
        return []
    return [m.span() for m in _MASKED.finditer(text)]
