"""Phone numbers: typed in any layout and read out digit by digit, as E.164."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from consistency.facts.phone import EXTRACTOR
from consistency.models import Fact

DIGIT_WORDS = ["oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def only(text: str) -> Fact:
    facts = EXTRACTOR.extract(text)
    assert len(facts) == 1, facts
    return facts[0]


def assert_spans(text: str, facts: list[Fact]) -> None:
    for f in facts:
        start, end = f.span
        assert 0 <= start < end <= len(text)
        assert text[start:end] == f.text
        # E.164, or the digits of a relay prefix, a short or a service number ("call 100")
        assert f.value.startswith("+") or (f.value.isdigit() and 3 <= len(f.value) <= 6)


# fmt: off
CASES = [
    # text, (start, end), value
    ("Call our team on 0333 014 2200.", (17, 30), "+443330142200"),
    ("call 0800 123 4567 now", (5, 18), "+448001234567"),
    ("+44 800 123 4567", (0, 16), "+448001234567"),
    ("+44 (0)333 014 2200", (0, 19), "+443330142200"),
    ("ring 020-7946-0321!", (5, 18), "+442079460321"),
    ("(020) 7946 0321", (0, 15), "+442079460321"),
    ("0044 20 7946 0321", (0, 17), "+442079460321"),
    ("08001234567.", (0, 11), "+448001234567"),
    ("call 0333 014 2200 8am to 8pm", (5, 18), "+443330142200"),
    ("oh eight hundred one two three four five six seven", (0, 50), "+448001234567"),
    ("um call us on oh three three three oh one four double two oh oh", (14, 63), "+443330142200"),
    ("zero three three three zero one four two two double zero", (0, 56), "+443330142200"),
    ("oh eight hundred oh four eight seventy seven ten", (0, 48), "+448000487710"),
    ("its oh two oh seven nine four six oh three two one ok", (4, 50), "+442079460321"),
    ("press one then oh three three three oh one four two two double oh", (15, 65),
     "+443330142200"),
    ("plus four four three three three oh one four two two double oh", (0, 62), "+443330142200"),
    ("one eight hundred five five five oh one nine nine", (0, 49), "+18005550199"),
    ("1-800-555-0199", (0, 14), "+18005550199"),
]
# fmt: on


@pytest.mark.parametrize(("text", "span", "value"), CASES)
def test_table(text: str, span: tuple[int, int], value: str) -> None:
    fact = only(text)
    assert fact.kind == "phone"
    assert fact.span == span
    assert text[span[0] : span[1]] == fact.text
    assert fact.value == value


@pytest.mark.parametrize(
    "text",
    [
        "your order number is 12345678",
        "order number one two three four five six seven eight",
        "order 12345678901",
        "ORD12345678",
        "on 23/12/2026",
        "2026-12-23",
        "£1,299.00",
        "triple oh",
        "between 3 and 5 working days",
    ],
)
def test_not_a_phone(text: str) -> None:
    assert EXTRACTOR.extract(text) == []


def test_relay_prefix_is_its_own_fact() -> None:
    text = "use Relay UK by dialling 18001 then 0333 014 2200"
    facts = EXTRACTOR.extract(text)
    assert [(f.text, f.value) for f in facts] == [
        ("18001", "18001"),
        ("0333 014 2200", "+443330142200"),
    ]


def test_digits_straight_after_a_number() -> None:
    # PhoneNumberMatcher finds nothing here; the run scanner trims the trailing "8".
    assert [f.value for f in EXTRACTOR.extract("call +44 800 100 0000 8am to 8pm")] == [
        "+448001000000"
    ]


def test_two_numbers() -> None:
    text = "call 0333 014 2200 or 0800 048 7710"
    assert [f.value for f in EXTRACTOR.extract(text)] == ["+443330142200", "+448000487710"]


def test_render() -> None:
    assert EXTRACTOR.render(only("+448001234567")) == "0800 123 4567"
    assert EXTRACTOR.render(only("1-800-555-0199")) == "+1 800-555-0199"


def spoken(digits: str, *, doubles: bool) -> str:
    """Digits as a caller reads them: "oh", and "double"/"triple" for repeats."""
    words: list[str] = []
    i = 0
    while i < len(digits):
        run = 1
        while doubles and i + run < len(digits) and digits[i + run] == digits[i] and run < 3:
            run += 1
        word = DIGIT_WORDS[int(digits[i])]
        words.append({1: word, 2: f"double {word}", 3: f"triple {word}"}[run])
        i += run
    return " ".join(words)


# National numbers in ranges phonenumbers accepts as valid UK numbers.
national = st.one_of(
    st.builds(lambda n: f"0800{n:07d}", st.integers(1_000_000, 9_999_999)),
    st.builds(lambda n: f"0333{n:07d}", st.integers(0, 9_999_999)),
    st.builds(lambda n: f"020{n:08d}", st.integers(70_000_000, 89_999_999)),
    st.builds(lambda n: f"0161{n:07d}", st.integers(0, 9_999_999)),
)


@settings(max_examples=150, deadline=None)
@given(number=national, form=st.integers(0, 6))
def test_surface_forms_round_trip(number: str, form: int) -> None:
    parsed = phonenumbers.parse(number, "GB")
    assume(phonenumbers.is_valid_number(parsed))
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    national_fmt = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    surface = [
        number,
        national_fmt,
        national_fmt.replace(" ", "-"),
        phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL),
        e164,
        spoken(number, doubles=False),
        spoken(number, doubles=True),
    ][form]
    text = f"yeah so you can call us on {surface} any time"
    fact = only(text)
    assert fact.value == e164
    assert text[fact.span[0] : fact.span[1]] == fact.text


@settings(max_examples=100, deadline=None)
@given(
    number=national,
    layout=st.sampled_from(["E164", "INTERNATIONAL", "NATIONAL"]),
    before=st.sampled_from(["call", "order 12345 or call", "on 23/12/2026 ring", "£5.99, phone"]),
    after=st.sampled_from(["", "now", "from 8am", "or 0800 048 7710", "(option 2)"]),
)
def test_typed_numbers_agree_with_phonenumbers_matcher(
    number: str, layout: str, before: str, after: str
) -> None:
    """The fast run scanner finds what ``PhoneNumberMatcher`` (the slow reference) finds."""
    parsed = phonenumbers.parse(number, "GB")
    assume(phonenumbers.is_valid_number(parsed))
    fmt = getattr(phonenumbers.PhoneNumberFormat, layout)
    text = f"{before} {phonenumbers.format_number(parsed, fmt)} {after}".strip()
    reference = [
        phonenumbers.format_number(m.number, phonenumbers.PhoneNumberFormat.E164)
        for m in phonenumbers.PhoneNumberMatcher(text, "GB")
    ]
    assert [f.value for f in EXTRACTOR.extract(text)] == reference


@settings(max_examples=200, deadline=None)
@given(text=st.text())
def test_never_raises_and_spans_slice(text: str) -> None:
    assert_spans(text, EXTRACTOR.extract(text))


@settings(max_examples=150, deadline=None)
@given(
    parts=st.lists(
        st.sampled_from([*DIGIT_WORDS, "double", "triple", "hundred", "plus", "0800", "123",
                         "4567", "+44", "-", "(0)", "call", "on", ",", "zero", "twenty"]),
        max_size=16,
    )
)  # fmt: skip
def test_word_salad_spans_slice(parts: list[str]) -> None:
    text = " ".join(parts)
    assert_spans(text, EXTRACTOR.extract(text))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("text us on 07700 900873", "+447700900873"),
        ("+44 7700 900397", "+447700900397"),
        ("call 01632 960123", "+441632960123"),
        ("the Nottingham office is on 0115 496 0123", "+441154960123"),
        ("oh seven seven double oh nine double oh eight seven three", "+447700900873"),
    ],
)
def test_ofcom_drama_ranges_are_numbers(text: str, value: str) -> None:
    """Ofcom's ranges for drama and training material are what sample scripts use;
    ``phonenumbers`` calls them invalid, the extractor does not."""
    assert [f.value for f in EXTRACTOR.extract(text)] == [value]


def test_outside_the_drama_range_still_validated() -> None:
    assert EXTRACTOR.extract("call 07700 9008731") == []
    assert EXTRACTOR.extract("call 01632 970123") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Text PAC to 65075 for free.", "65075"),
        ("text pac to six five oh seven five", "65075"),
        ("send your meter reading to 61234", "61234"),
        ("If you smell gas call 999.", "999"),
        ("call the police on 999", "999"),
        ("In a power cut, call 105 free from any phone.", "105"),
        ("call 116 123 any time", "116123"),
    ],
)
def test_short_and_service_numbers_are_their_digits(text: str, value: str) -> None:
    assert [f.value for f in EXTRACTOR.extract(text)] == [value]


@pytest.mark.parametrize(
    "text", ["we have 105 stores", "it costs 999 pounds", "I'll call you at 5", "call 123456"]
)
def test_bare_short_digits_are_not_numbers(text: str) -> None:
    assert EXTRACTOR.extract(text) == []
