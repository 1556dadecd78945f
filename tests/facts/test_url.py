"""Web addresses, typed and spoken, normalised to https://host/path."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.facts.url import EXTRACTOR, normalise_url
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
        assert f.value.startswith("https://")


# fmt: off
CASES = [
    # text, (start, end), value
    ("Reset it at https://www.voltstream.co.uk/account/reset. The link", (12, 54),
     "https://voltstream.co.uk/account/reset"),
    ("www.x.co.uk/returns", (0, 19), "https://x.co.uk/returns"),
    ("see https://www.x.co.uk/returns/ today", (4, 32), "https://x.co.uk/returns"),
    ("visit voltstream.co.uk.", (6, 22), "https://voltstream.co.uk"),
    ("(see https://voltstream.co.uk/help)", (5, 34), "https://voltstream.co.uk/help"),
    ("http://Example.COM/A", (0, 20), "https://example.com/a"),
    ("voltstream dot co dot uk slash returns", (0, 38), "https://voltstream.co.uk/returns"),
    ("go to w w w dot voltstream dot co dot uk slash price dash promise", (6, 65),
     "https://voltstream.co.uk/price-promise"),
    ("find us online at voltstream dot co dot uk", (18, 42), "https://voltstream.co.uk"),
    ("voltstream dot co dot uk forward slash trade dash in", (0, 52),
     "https://voltstream.co.uk/trade-in"),
    ("claim at www.voltstream.co.uk", (9, 29), "https://voltstream.co.uk"),
]
# fmt: on


@pytest.mark.parametrize(("text", "span", "value"), CASES)
def test_table(text: str, span: tuple[int, int], value: str) -> None:
    fact = only(text)
    assert fact.kind == "url"
    assert fact.span == span
    assert text[span[0] : span[1]] == fact.text
    assert fact.value == value


@pytest.mark.parametrize(
    "text",
    [
        "email help@voltstream.co.uk",
        "email returns at voltstream dot co dot uk",
        "returns at voltstream.co.uk",
        "e.g. 3.5GB of data",
        "it costs £4.99.",
        "see invoice.pdf",
    ],
)
def test_not_a_url(text: str) -> None:
    assert EXTRACTOR.extract(text) == []


def test_equal_forms() -> None:
    forms = ["www.x.co.uk/returns", "https://www.x.co.uk/returns", "x.co.uk/returns/",
             "x dot co dot uk slash returns", "HTTPS://WWW.X.CO.UK/RETURNS"]  # fmt: skip
    assert {only(f).value for f in forms} == {"https://x.co.uk/returns"}


def test_render() -> None:
    assert EXTRACTOR.render(only("www.x.co.uk/returns")) == "x.co.uk/returns"


label = st.from_regex(r"[a-z][a-z0-9]{1,10}", fullmatch=True).filter(
    lambda s: s not in ("dot", "slash", "dash", "www", "at", "forward")
)


@settings(max_examples=100, deadline=None)
@given(
    host=label,
    tld=st.sampled_from(["com", "co.uk", "org", "org.uk", "net"]),
    path=st.lists(label, max_size=3),
    form=st.integers(0, 4),
)
def test_surface_forms_agree(host: str, tld: str, path: list[str], form: int) -> None:
    tail = "".join(f"/{p}" for p in path)
    spoken_tail = "".join(f" slash {p}" for p in path)
    surface = [
        f"www.{host}.{tld}{tail}",
        f"https://www.{host}.{tld}{tail}/",
        f"http://{host}.{tld}{tail}",
        f"{host} dot {tld.replace('.', ' dot ')}{spoken_tail}",
        f"w w w dot {host} dot {tld.replace('.', ' dot ')}{spoken_tail}",
    ][form]
    text = f"so just go to {surface} and follow the steps"
    fact = only(text)
    assert fact.value == f"https://{host}.{tld}{tail}"
    assert text[fact.span[0] : fact.span[1]] == fact.text


@settings(max_examples=100, deadline=None)
@given(url=st.from_regex(r"(https?://)?(www\.)?[a-z]{2,8}\.(com|co\.uk)(/[a-z]{1,6}){0,3}/?",
                         fullmatch=True))  # fmt: skip
def test_normalise_is_idempotent(url: str) -> None:
    once = normalise_url(url)
    assert normalise_url(once) == once


@settings(max_examples=200, deadline=None)
@given(text=st.text())
def test_never_raises_and_spans_slice(text: str) -> None:
    assert_spans(text, EXTRACTOR.extract(text))


@settings(max_examples=150, deadline=None)
@given(
    parts=st.lists(
        st.sampled_from(["www", "dot", "co", "uk", "com", "slash", "returns", "x.com", "at",
                         "help", "https://", ".", "/", "w", "voltstream", "dash"]),
        max_size=14,
    )
)  # fmt: skip
def test_word_salad_spans_slice(parts: list[str]) -> None:
    text = " ".join(parts)
    assert_spans(text, EXTRACTOR.extract(text))


def test_a_host_spoken_digit_by_digit() -> None:
    from consistency.facts.url import EXTRACTOR as URLS

    (fact,) = URLS.extract("if it's urgent go on one one one dot nhs dot uk")
    assert fact.value == "https://111.nhs.uk"
    assert fact.text == "one one one dot nhs dot uk"
