"""Explicit text normalisation for matching keys (never applied behind the caller's back)."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["match_key"]

_NON_WORD = re.compile(r"[^\w£$€%]+")
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
    text = unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'")
    for short, full in _CONTRACTIONS.items():
        text = text.replace(short, full)
    text = text.replace("'", "")
    return " ".join(_NON_WORD.sub(" ", text).split())
