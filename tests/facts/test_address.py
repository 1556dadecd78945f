"""Postal addresses: PO Box numbers and the postcodes of mailing addresses."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.compare import compare_answer
from consistency.facts.address import EXTRACTOR

_KB = (
    "Complaints must be made in writing: by email to complaints@kestrel-leisure.co.uk, or by"
    " letter to Customer Relations, Kestrel Leisure, PO Box 7731, Leeds LS99 4KL."
)


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("Write to Customer Relations, PO Box 7731, Leeds LS99 4KL.", ["PO Box 7731", "LS99 4KL"]),
        ("write to p.o. box 77 31 leeds ls99 4kl", ["PO Box 7731", "LS99 4KL"]),
        ("so write to customer relations p o box seven seven three one", ["PO Box 7731"]),
        ("it's po box double seven one three", ["PO Box 7713"]),
        ("Send it to Returns, Unit 5, Trafford Park, Manchester M17 1AB", ["M17 1AB"]),
        ("Freepost RTKL-ABCD, Leeds LS1 4AB", ["LS1 4AB"]),
    ],
)
def test_addresses(text: str, values: list[str]) -> None:
    assert [f.value for f in EXTRACTOR.extract(text)] == values


@pytest.mark.parametrize(
    "text",
    [
        "We deliver to LS1 4AB and most of Yorkshire.",  # a postcode in passing, no address
        "The box is 7731 grams.",
        "Your order number is AB12 3CD.",
    ],
)
def test_not_a_mailing_address(text: str) -> None:
    assert EXTRACTOR.extract(text) == []


@pytest.mark.parametrize(
    ("answer", "said", "kb"),
    [
        ("Write to Customer Relations, PO Box 7371, Leeds LS99 4KL.", "PO Box 7371", "PO Box 7731"),
        (
            "It's Customer Relations, PO Box 7731, Leeds LS9 4KL - write to them.",
            "LS9 4KL",
            "LS99 4KL",
        ),
    ],
)
def test_another_box_or_postcode_is_a_contradiction(answer: str, said: str, kb: str) -> None:
    (conflict,) = compare_answer(answer, _KB).conflicts
    assert (conflict.kind, conflict.answer_value, conflict.kb_value) == ("address", said, kb)


def test_the_same_address_is_consistent() -> None:
    assert compare_answer("Write to PO Box 7731, Leeds LS99 4KL.", _KB).status == "consistent"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_never_raises_and_spans_slice(text: str) -> None:
    for f in EXTRACTOR.extract(text):
        start, end = f.span
        assert text[start:end] == f.text
        assert f.unit in ("po_box", "postcode")
