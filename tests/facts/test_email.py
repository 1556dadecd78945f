"""Email addresses, typed and spoken, lower-cased."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.facts.email import EXTRACTOR
from consistency.models import Fact


def only(text: str) -> Fact:
    facts = EXTRACTOR.extract(text)
    assert len(facts) == 1, facts
    return facts[0]


def assert_spans(text: str, facts: list[Fact]) -> None:
    for f in facts:
        start, end = f.span
        assert 0 <= start < end <= len(text)
        assert text[start:end] == f.text
        assert "@" in f.value and f.value == f.value.lower()


# fmt: off
CASES = [
    # text, (start, end), value
    ("Email us at help@voltstream.co.uk and we'll reply.", (12, 33), "help@voltstream.co.uk"),
    ("Forward it to Phishing@Voltstream.co.uk.", (14, 39), "phishing@voltstream.co.uk"),
    ("write to john.smith+tag@example.com, thanks", (9, 35), "john.smith+tag@example.com"),
    ("email returns at voltstream dot co dot uk", (6, 41), "returns@voltstream.co.uk"),
    ("email us at help at voltstream dot co dot uk ok", (12, 44), "help@voltstream.co.uk"),
    ("john dot smith at gmail dot com", (0, 31), "john.smith@gmail.com"),
    ("send it to price dash match at voltstream dot co dot uk", (11, 55),
     "price-match@voltstream.co.uk"),
    ("email Help At Voltstream Dot Co Dot UK", (6, 38), "help@voltstream.co.uk"),
    ("returns at voltstream.co.uk", (0, 27), "returns@voltstream.co.uk"),
]
# fmt: on


@pytest.mark.parametrize(("text", "span", "value"), CASES)
def test_table(text: str, span: tuple[int, int], value: str) -> None:
    fact = only(text)
    assert fact.kind == "email"
    assert fact.span == span
    assert text[span[0] : span[1]] == fact.text
    assert fact.value == value


@pytest.mark.parametrize(
    "text",
    [
        "visit us at voltstream dot co dot uk",  # no mailbox: a web address
        "start your return at voltstream dot co dot uk slash returns",
        "claim at www.voltstream.co.uk",
        "look at this dot com",
        "we arrive at nine dot",
        "a@b",
        "https://www.voltstream.co.uk/help",
    ],
)
def test_not_an_email(text: str) -> None:
    assert EXTRACTOR.extract(text) == []


def test_render() -> None:
    assert EXTRACTOR.render(only("help@voltstream.co.uk")) == "help@voltstream.co.uk"


label = st.from_regex(r"[a-z][a-z0-9]{1,10}", fullmatch=True).filter(
    lambda s: s not in ("dot", "at", "dash", "hyphen", "underscore", "us", "me", "it", "is", "www")
)
tld = st.sampled_from(["com", "co.uk", "org", "org.uk", "net", "io"])


@settings(max_examples=150, deadline=None)
@given(local=label, domain=label, tld=tld, spoken=st.booleans(), upper=st.booleans())
def test_written_and_spoken_agree(
    local: str, domain: str, tld: str, spoken: bool, upper: bool
) -> None:
    address = f"{local}@{domain}.{tld}"
    surface = f"{local} at {domain} dot {tld.replace('.', ' dot ')}" if spoken else address
    surface = surface.upper() if upper else surface
    text = f"just email {surface} and we'll sort it"
    fact = only(text)
    assert fact.value == address
    assert text[fact.span[0] : fact.span[1]] == fact.text


@settings(max_examples=200, deadline=None)
@given(text=st.text())
def test_never_raises_and_spans_slice(text: str) -> None:
    assert_spans(text, EXTRACTOR.extract(text))


@settings(max_examples=150, deadline=None)
@given(
    parts=st.lists(
        st.sampled_from(["help", "at", "dot", "co", "uk", "com", "@", ".", "x@y.com", "us",
                         "slash", "www", "voltstream", "-", "dash"]),
        max_size=14,
    )
)  # fmt: skip
def test_word_salad_spans_slice(parts: list[str]) -> None:
    text = " ".join(parts)
    assert_spans(text, EXTRACTOR.extract(text))


@pytest.mark.parametrize(
    "text",
    [
        "you can take it to them for free at ombudsman-services.org",
        "there's more at lumenmobile.co.uk",
        "fill in the form at example.org",
    ],
)
def test_a_web_address_after_a_common_word_and_at_is_not_an_email(text: str) -> None:
    assert [f for f in EXTRACTOR.extract(text)] == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "just email app support that's all one word at kestrel dash leisure dot co dot uk",
            "appsupport@kestrel-leisure.co.uk",
        ),
        (
            "drop an email to swim school one word at kestrel dash leisure dot co dot uk",
            "swimschool@kestrel-leisure.co.uk",
        ),
    ],
)
def test_a_mailbox_spelt_out_as_one_word(text: str, value: str) -> None:
    assert [f.value for f in EXTRACTOR.extract(text)] == [value]


def test_one_word_spelling_takes_linear_time() -> None:
    import time

    def took(n: int) -> float:
        text = "one word at " * n + "kestrel dot co dot uk"
        t = time.perf_counter()
        EXTRACTOR.extract(text)
        return time.perf_counter() - t

    small = min(took(200) for _ in range(3))
    big = min(took(1600) for _ in range(3))
    assert big < small * 40  # 8x the text; quadratic would be ~64x
