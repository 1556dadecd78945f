"""Addresses, NHS, National Insurance, passport and IBAN numbers, and cards read in pieces.

Hypothesis builds the numbers (valid check digits), writes them typed or read
out, and the redactor must mask every character of them; a number whose check
fails is left to the other detectors.
"""

from __future__ import annotations

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.redact import Redactor, luhn_valid
from consistency.redact.detectors import (
    AddressDetector,
    IbanDetector,
    NationalInsuranceDetector,
    NhsNumberDetector,
    PassportDetector,
    iban_valid,
    nhs_valid,
)
from consistency.redact.spans import masked_regions

_SAY = ["oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_LEAD = ["it's ", "my number is ", "ok so ", "", "yes, "]
_TAIL = ["", " thanks", ", is that right?", " ok"]

REDACTOR = Redactor()


def _spoken(code: str) -> str:
    return " ".join(_SAY[int(c)] if c.isdigit() else c.lower() for c in code)


def _assert_masked(text: str, item: str) -> None:
    out = REDACTOR.redact_text(text)
    assert len(out) == len(text)
    start = text.index(item)
    regions = masked_regions(out)
    shown = [
        text[i]
        for i in range(start, start + len(item))
        if text[i].isalnum() and not any(a <= i < b for a, b in regions)
    ]
    assert shown == [], (text, out)


def _nhs(stem: str) -> str | None:
    check = 11 - sum(int(d) * w for d, w in zip(stem, range(10, 1, -1), strict=True)) % 11
    return None if check == 10 else stem + str(check % 11)


_stem9 = st.text(alphabet=string.digits, min_size=9, max_size=9)


@settings(max_examples=150, deadline=None)
@given(_stem9, st.sampled_from([" ", "-"]), st.sampled_from(_LEAD), st.sampled_from(_TAIL))
def test_nhs_numbers_grouped_3_3_4_are_masked(stem: str, sep: str, lead: str, tail: str) -> None:
    number = _nhs(stem)
    if number is None:
        return
    item = f"{number[:3]}{sep}{number[3:6]}{sep}{number[6:]}"
    _assert_masked(f"{lead}{item}{tail}", item)


@settings(max_examples=80, deadline=None)
@given(_stem9, st.booleans())
def test_nhs_numbers_after_the_cue_are_masked_typed_or_spoken(stem: str, spoken: bool) -> None:
    number = _nhs(stem)
    if number is None:
        return
    item = _spoken(number) if spoken else number
    _assert_masked(f"my NHS number is {item}", item)


@settings(max_examples=100, deadline=None)
@given(_stem9, st.integers(0, 9))
def test_an_uncued_number_failing_mod_11_is_no_nhs_number(stem: str, wrong: int) -> None:
    number = _nhs(stem)
    if number is None or str(wrong) == number[-1]:
        return
    bad = number[:-1] + str(wrong)
    assert not nhs_valid(bad)
    assert NhsNumberDetector().detect(f"it's {bad[:3]} {bad[3:6]} {bad[6:]}") == []


_letter = st.sampled_from(string.ascii_uppercase)


@settings(max_examples=150, deadline=None)
@given(
    st.tuples(_letter, _letter).map("".join),
    st.text(alphabet=string.digits, min_size=6, max_size=6),
    st.sampled_from("ABCD"),
    st.sampled_from(["spaced", "together", "spoken", "lower"]),
)
def test_national_insurance_numbers_are_masked(
    prefix: str, digits: str, suffix: str, form: str
) -> None:
    code = prefix + digits + suffix
    item = {
        "spaced": f"{prefix} {digits[:2]} {digits[2:4]} {digits[4:]} {suffix}",
        "together": code,
        "spoken": _spoken(code),
        "lower": code.lower(),
    }[form]
    _assert_masked(f"my NI number is {item}", item)
    if form != "spoken":  # typed, the shape alone is enough
        _assert_masked(f"it's {item} ok", item)


def _gb_iban(bank: str, digits: str) -> str:
    moved = bank + digits + "GB00"
    check = 98 - int("".join(str(int(c, 36)) for c in moved)) % 97
    return f"GB{check:02d}{bank}{digits}"


@settings(max_examples=120, deadline=None)
@given(
    st.text(alphabet=string.ascii_uppercase, min_size=4, max_size=4),
    st.text(alphabet=string.digits, min_size=14, max_size=14),
    st.sampled_from(["groups", "together", "dashes", "spoken"]),
)
def test_ibans_are_masked(bank: str, digits: str, form: str) -> None:
    iban = _gb_iban(bank, digits)
    assert iban_valid(iban)
    groups = [iban[i : i + 4] for i in range(0, len(iban), 4)]
    item = {
        "groups": " ".join(groups),
        "together": iban,
        "dashes": "-".join(groups),
        "spoken": _spoken(iban),
    }[form]
    _assert_masked(f"please pay {item} today", item)


@settings(max_examples=100, deadline=None)
@given(
    st.text(alphabet=string.ascii_uppercase, min_size=4, max_size=4),
    st.text(alphabet=string.digits, min_size=14, max_size=14),
    st.integers(4, 21),
    st.integers(1, 9),
)
def test_a_changed_iban_fails_its_check(bank: str, digits: str, at: int, add: int) -> None:
    iban = _gb_iban(bank, digits)
    if not iban[at].isdigit():
        return
    bad = iban[:at] + str((int(iban[at]) + add) % 10) + iban[at + 1 :]
    assert not iban_valid(bad)
    assert IbanDetector().detect(f"IBAN {bad}") == []


def _card(body: str) -> str:
    stem = "4" + body
    return next(stem + d for d in string.digits if luhn_valid(stem + d))


@settings(max_examples=150, deadline=None)
@given(
    st.text(alphabet=string.digits, min_size=14, max_size=14),
    st.integers(4, 12),
    st.sampled_from([" … and the rest is ", ", then ", " sorry, ", " and then "]),
    st.booleans(),
)
def test_a_card_read_in_two_pieces_is_masked(body: str, cut: int, gap: str, spoken: bool) -> None:
    card = _card(body)
    first, rest = card[:cut], card[cut:]
    if len(rest) < 4:
        return
    if spoken:
        first, rest = _spoken(first), _spoken(rest)
    text = f"the card is {first}{gap}{rest}"
    _assert_masked(text, first)
    _assert_masked(text, rest)


_STREETS = ["Acacia", "Mill", "High", "Church", "St John's", "Orchard", "Station", "Kings"]
_TYPES = ["Avenue", "Lane", "Street", "Road", "Close", "Drive", "Crescent", "Way", "Gardens"]


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 999),
    st.sampled_from(_STREETS),
    st.sampled_from(_TYPES),
    st.booleans(),
    st.booleans(),
)
def test_street_addresses_are_masked(
    number: int, street: str, kind: str, flat: bool, lower: bool
) -> None:
    item = f"{number} {street} {kind}"
    if flat:
        item = f"flat 2, {item}"
    if lower:
        item = item.lower()
    _assert_masked(f"I live at {item}, near the shops", item)


@pytest.mark.parametrize(
    ("text", "item"),
    [
        ("twenty two mill lane", "twenty two mill lane"),
        ("it's one hundred and two high street", "one hundred and two high street"),
        ("flat three, fourteen acacia avenue", "flat three, fourteen acacia avenue"),
    ],
)
def test_spoken_addresses(text: str, item: str) -> None:
    (span,) = AddressDetector().detect(text)
    assert text[span.start : span.end] == item


@pytest.mark.parametrize(
    "text",
    [
        "you have 14 days to return it",
        "we have 3 kids at the park",
        "it takes 2 working days on the high street",
        "open 7 days a week",
    ],
)
def test_not_addresses(text: str) -> None:
    assert AddressDetector().detect(text) == []


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("passport number 123456789", "123456789"),
        ("548812306 is my passport number", "548812306"),
        ("my passport is one two three four five six seven eight nine", None),
    ],
)
def test_passport_numbers(text: str, number: str | None) -> None:
    (span,) = PassportDetector().detect(text)
    assert span.kind == "passport"
    if number is not None:
        assert text[span.start : span.end] == number
    assert span.value == "123456789" if number is None else number


@pytest.mark.parametrize(
    "text", ["order 123456789 has shipped", "passport photos cost 15 pounds", "passport 12345"]
)
def test_not_passport_numbers(text: str) -> None:
    assert PassportDetector().detect(text) == []


def test_national_insurance_without_its_letter_needs_a_cue() -> None:
    assert NationalInsuranceDetector().detect("ref AB 12 34 56 thanks") == []
    (span,) = NationalInsuranceDetector().detect("national insurance AB 12 34 56")
    assert span.value == "AB123456"


@pytest.mark.parametrize("prefix", ["OH", "OB"])
def test_a_typed_oh_prefix_is_two_letters(prefix: str) -> None:
    """'OH 12 34 56 A' is a National Insurance number, not a spoken zero and an H."""
    item = f"{prefix} 00 00 00 A"
    _assert_masked(f"my NI number is {item}", item)
