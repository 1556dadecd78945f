"""Explicit text normalisation for matching keys (never applied behind the caller's back)."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["match_key"]

_NON_WORD = re.compile(r"[^\w£$€%]+")
#: ``_NON_WORD`` for ASCII text: every character outside ``[\w$%]`` becomes a space.
_ASCII_NON_WORD = str.maketrans(
    {chr(c): " " for c in range(128) if not (chr(c).isalnum() or chr(c) in "_$%")}
)
_CONTRACTIONS = {
    "can't": "can not",
    "cannot": "can not",
    "won't": "will not",
    "n't": " not",
    "'re": " are",
    "'ve": " have",
    "'ll": " will",
    "'m": " am",
    "'d": " would",
}


def match_key(text: str) -> str:
    """Lower-case, accent-folded, contractions expanded, punctuation dropped, spaces collapsed.

    Typed chat ("What's your returns policy?") and ASR text ("whats your returns
    policy") give the same key, so an exact-key hit works for both.

    Example:
        >>> match_key("  Can't I return it?! ")
        'can not i return it'
    """
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).replace("\u2019", "'")
    text = text.lower()
    if "'" in text:
        for short, full in _CONTRACTIONS.items():
            text = text.replace(short, full)
        text = text.replace("'", "")
    elif "cannot" in text:
        text = text.replace("cannot", "can not")
    if text.isascii():  # the common case: a table lookup instead of a regex (start-up at 10k)
        return " ".join(text.translate(_ASCII_NON_WORD).split())
    return " ".join(_NON_WORD.sub(" ", text).split())
