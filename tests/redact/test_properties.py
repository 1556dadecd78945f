"""Hypothesis properties: redaction never crashes, keeps lengths, is idempotent, hides cards."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.redact import Redactor, luhn_valid
from consistency.redact.detectors import default_detectors
from consistency.redact.spans import masked_regions

_DIGIT_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_PHRASES = (
    "my name is this i'm card number account sort code date of birth born on dob postcode "
    "email at dot com call me back on phone order the of and thanks hi oh double triple "
    "march 1985 twelfth 07911 123456 4539 SW1A 1AA 20-45-77 @ . , - / ' Priya Smith sam "
    "[CARD] [NAME██] ██ █ plus forty five hundred , Aisha . it's speaking here calling flat "
    "14 Acacia Avenue mill lane street nhs 943 476 5919 national insurance QQ 12 34 56 C "
    "passport 123456789 iban GB82 WEST 1234 5698 7654 32 g b w e s t q c double rest"
)
_VOCABULARY = _PHRASES.split() + _DIGIT_WORDS
_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)
_words = st.lists(st.sampled_from(_VOCABULARY), max_size=25).map(" ".join)
_any_text = _words | _text | st.tuples(_words, _text).map(" ".join)


@pytest.fixture(scope="module")
def redactor(sample_kb) -> Redactor:  # type: ignore[no-untyped-def]
    return Redactor(sample_kb)


def _card(body: str) -> str:
    """A Luhn-valid card number: ``body`` (14 digits after a 4) and its check digit."""
    stem = "4" + body
    return next(stem + d for d in "0123456789" if luhn_valid(stem + d))


@settings(max_examples=300, deadline=None)
@given(_any_text)
def test_redact_never_crashes_keeps_length_and_is_idempotent(redactor, text: str) -> None:  # type: ignore[no-untyped-def]
    result = redactor.redact(text)
    assert len(result.text) == len(text)
    assert redactor.redact(result.text).text == result.text
    regions = masked_regions(result.text)
    for span in result.spans:  # every span found now lies inside a mask
        assert 0 <= span.start < span.end <= len(text)
        assert any(a <= span.start and span.end <= b for a, b in regions)
    changed = [i for i, (a, b) in enumerate(zip(text, result.text, strict=True)) if a != b]
    assert all(any(s.start <= i < s.end for s in result.spans) for i in changed)


@settings(max_examples=200, deadline=None)
@given(_any_text)
def test_detectors_never_crash_and_spans_lie_inside(text: str) -> None:
    for detector in default_detectors():
        for span in detector.detect(text):
            assert 0 <= span.start < span.end <= len(text)
            assert span.kind in {detector.kind, "account"}


@settings(max_examples=150, deadline=None)
@given(
    body=st.text(alphabet="0123456789", min_size=14, max_size=14),
    style=st.sampled_from(["plain", "groups", "dashes", "spoken", "mixed"]),
    before=_words,
    after=_words,
)
def test_card_numbers_are_masked_whole(
    redactor, body: str, style: str, before: str, after: str
) -> None:  # type: ignore[no-untyped-def]
    card = _card(body)
    groups = [card[i : i + 4] for i in range(0, 16, 4)]
    spoken = " ".join(_DIGIT_WORDS[int(d)] for d in card)
    written = {
        "plain": card,
        "groups": " ".join(groups),
        "dashes": "-".join(groups),
        "spoken": spoken,
        "mixed": " ".join(groups[:2]) + " " + " ".join(_DIGIT_WORDS[int(d)] for d in card[8:]),
    }[style]
    text = f"{before} my card is {written} . {after}"
    start = text.index(written)
    masked = redactor.redact_text(text)
    inside = masked[start : start + len(written)]
    assert not re.search(r"\d", inside)
    assert not any(w in inside.split() for w in _DIGIT_WORDS)
    assert card not in re.sub(r"\D", "", masked)


@settings(max_examples=150, deadline=None)
@given(_any_text)
def test_the_kb_helpline_is_never_masked(redactor, text: str) -> None:  # type: ignore[no-untyped-def]
    helpline = "0333 014 2200"
    masked = redactor.redact_text(f"{text} call us on {helpline} today")
    assert masked.endswith(f"call us on {helpline} today")
