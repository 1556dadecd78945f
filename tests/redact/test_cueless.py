"""Personal data a cue does not name, or names loosely: UK phone numbers, "account 12345678"."""

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


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("sort code 20-00-00 account 12345678", "12345678"),
        ("the account is 31926819 thanks", "31926819"),
    ],
)
def test_bare_account_cue(text: str, number: str) -> None:
    assert number not in Redactor().redact_text(text)


def test_an_order_number_after_account_talk_stays() -> None:
    text = "your account was updated, order 12345678 ships today"
    assert Redactor().redact_text(text) == text
