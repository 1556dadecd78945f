"""The number scanner: written and spoken numbers, spans into the original text."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.facts.numbers import (
    find_numbers,
    format_decimal,
    modifier_before,
    with_modifier,
    words_to_number,
)

# fmt: off
CASES = [
    # text, (start, end), value, ordinal
    ("14 days", (0, 2), "14", False),
    ("um fourteen days", (3, 11), "14", False),
    ("it's 1,299.50 now", (5, 13), "1299.50", False),
    ("twenty nine", (0, 11), "29", False),
    ("twenty-nine", (0, 11), "29", False),
    ("one hundred and fifty", (0, 21), "150", False),
    ("a hundred quid", (0, 9), "100", False),
    ("two point five", (0, 14), "2.5", False),
    ("nineteen point nine percent", (0, 19), "19.9", False),
    ("two point ninety nine", (0, 21), "2.99", False),
    ("a dozen eggs", (0, 7), "12", False),
    ("two dozen", (0, 9), "24", False),
    ("two and a half weeks", (0, 14), "2.5", False),
    ("one thousand two hundred and thirty four", (0, 40), "1234", False),
    ("one hundred thousand", (0, 20), "100000", False),
    ("5 thousand", (0, 10), "5000", False),
    ("the first one", (4, 9), "1", True),
    ("on the 5th", (7, 10), "5", True),
    ("twenty third of may", (0, 12), "23", True),
    ("the 21st", (4, 8), "21", True),
    ("five hundred and first", (0, 22), "501", True),
    ("zero percent", (0, 4), "0", False),
    ("delivered in 24h", (13, 15), "24", False),
]
# fmt: on


@pytest.mark.parametrize(("text", "span", "value", "ordinal"), CASES)
def test_first_number(text: str, span: tuple[int, int], value: str, ordinal: bool) -> None:
    tok = find_numbers(text)[0]
    assert tok.span == span
    assert text[span[0] : span[1]] == tok.text
    assert tok.value == Decimal(value)
    assert tok.ordinal is ordinal


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("twenty nine ninety nine", ["29", "99"]),
        ("five five five", ["5", "5", "5"]),
        ("3-5 working days", ["3", "5"]),
        ("ORD12345 is your order", []),
        ("a lot of people", []),
        ("someone phoned", []),
        ("one and two", ["1", "2"]),
    ],
)
def test_separate_numbers(text: str, values: list[str]) -> None:
    assert [str(t.value) for t in find_numbers(text)] == values


def test_spoken_flag() -> None:
    spoken, written = find_numbers("fourteen or 14")
    assert spoken.spoken and not written.spoken


@pytest.mark.parametrize(
    ("text", "value"),
    [("a dozen", "12"), (" 1,299.50 ", "1299.50"), ("fourteen days", None), ("", None)],
)
def test_words_to_number(text: str, value: str | None) -> None:
    assert words_to_number(text) == (Decimal(value) if value else None)


def test_modifier_helpers() -> None:
    assert modifier_before("you get up to 3 sims", 14) == "up_to"
    assert modifier_before("within  14 days", 8) == "up_to"
    assert modifier_before("at least 2", 9) == "at_least"
    assert modifier_before("cover 2", 6) is None
    assert with_modifier("up_to", "3") == "up to 3"
    assert with_modifier(None, "3") == "3"
    assert format_decimal(Decimal("14.0")) == "14"


_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def spell(n: int, *, hyphen: bool = False, use_and: bool = True) -> str:
    """A slow, obvious reference speller for 0 <= n < 1,000,000."""
    if n < 10:
        return _ONES[n]
    if n < 20:
        return _TEENS[n - 10]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (("-" if hyphen else " ") + _ONES[ones] if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        head = f"{_ONES[hundreds]} hundred"
        if not rest:
            return head
        return f"{head} {'and ' if use_and else ''}{spell(rest, hyphen=hyphen)}"
    thousands, rest = divmod(n, 1000)
    head = f"{spell(thousands, hyphen=hyphen, use_and=use_and)} thousand"
    if not rest:
        return head
    sep = " and " if rest < 100 and use_and else " "
    return head + sep + spell(rest, hyphen=hyphen, use_and=use_and)


@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(min_value=0, max_value=999_999),
    hyphen=st.booleans(),
    use_and=st.booleans(),
    prefix=st.sampled_from(["", "um ", "so yeah ", "it's "]),
)
def test_spelled_numbers_round_trip(n: int, hyphen: bool, use_and: bool, prefix: str) -> None:
    words = spell(n, hyphen=hyphen, use_and=use_and)
    text = f"{prefix}{words} days"
    toks = find_numbers(text)
    assert len(toks) == 1
    assert toks[0].value == n
    assert toks[0].span == (len(prefix), len(prefix) + len(words))


@settings(max_examples=200, deadline=None)
@given(n=st.integers(min_value=0, max_value=10**9), cents=st.integers(0, 99))
def test_written_numbers_round_trip(n: int, cents: int) -> None:
    text = f"about {n:,}.{cents:02d} total"
    (tok,) = find_numbers(text)
    assert tok.value == Decimal(f"{n}.{cents:02d}")
    assert text[tok.span[0] : tok.span[1]] == tok.text


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_never_raises_and_spans_slice(text: str) -> None:
    last = 0
    for tok in find_numbers(text):
        s, e = tok.span
        assert 0 <= s < e <= len(text)
        assert s >= last
        assert text[s:e] == tok.text
        last = e


def test_a_bare_hundred_before_and_is_one_hundred() -> None:
    """ "a one off hundred and fifty pounds": "one off" is no part of the amount."""
    from consistency.facts.numbers import find_numbers

    text = "a one off hundred and fifty pounds"
    assert [n.value for n in find_numbers(text)][-1] == 150
    assert [n.value for n in find_numbers("six and a half thousand pounds")] == [Decimal("6.5")]
