"""A UK mobile or landline number is personal data even when no cue names it."""

from __future__ import annotations

import pytest

from consistency.redact import Redactor


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Customer 07911 123456 asked about returns", "07911 123456"),
        ("reach jo at 020 7946 0018 after six", "020 7946 0018"),
        (
            "it's oh seven nine one one one two three four five six",
            "oh seven nine one one one two three four five six",
        ),
    ],
)
def test_masked_without_a_cue(text: str, number: str) -> None:
    out = Redactor().redact_text(text)
    assert len(out) == len(text)
    assert number not in out
    start = text.index(number)
    assert out[:start] == text[:start]


@pytest.mark.parametrize(
    "text",
    ["your order 12345678901 has shipped", "it costs 1299 pounds", "call 0333 014 2200 for help"],
)
def test_other_numbers_stay(text: str) -> None:
    assert Redactor().redact_text(text) == text
