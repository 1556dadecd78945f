"""match_key: the ASCII fast path and the general path give one normalisation."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from consistency.match.text import match_key

_NON_WORD = re.compile(r"[^\w£$€%]+")


@given(st.text(alphabet=st.characters(max_codepoint=300), max_size=60) | st.text(max_size=60))
def test_idempotent_and_clean(text: str) -> None:
    key = match_key(text)
    assert match_key(key) == key
    assert key == key.strip() and "  " not in key
    assert not _NON_WORD.search(key.replace(" ", ""))
    assert key == key.lower() or not key.isascii()


@given(st.text(alphabet="abcdeABCDE ?!,.'-_$%0129", max_size=40))
def test_ascii_path_equals_the_unicode_path(text: str) -> None:
    """Appending a non-ASCII space forces the general path; the key must not change."""
    assert match_key(text) == match_key(text + "\u00a0")
    assert unicodedata.normalize("NFKC", "\u00a0") == " "
