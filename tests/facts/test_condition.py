"""Conditions ("for Volt Plus members", "if unused") and attaching them to facts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.facts import default_registry
from consistency.facts.condition import EXTRACTOR, attach_qualifiers
from consistency.models import Fact


def conditions(text: str) -> list[tuple[str, str]]:
    return [(f.value, f.unit or "") for f in EXTRACTOR.extract(text)]


def only(text: str) -> Fact:
    facts = EXTRACTOR.extract(text)
    assert len(facts) == 1, facts
    return facts[0]


def assert_spans(text: str, facts: list[Fact]) -> None:
    for f in facts:
        start, end = f.span
        assert 0 <= start < end <= len(text)
        assert text[start:end] == f.text
        assert isinstance(f.value, str) and f.value


def money(text: str, surface: str) -> Fact:
    start = text.index(surface)
    return Fact(kind="money", value=Decimal(0), unit="GBP", span=(start, start + len(surface)),
                text=surface)  # fmt: skip


# fmt: off
CASES = [
    # text, (start, end), value, family
    ("Returns are free for Volt Plus members.", (21, 38), "volt plus members", "member"),
    ("yeah returns are free for volt plus members", (26, 43), "volt plus members", "member"),
    ("Students get 5% off", (0, 8), "students", "member"),
    ("so um volt plus members get free returns", (6, 23), "volt plus members", "member"),
    ("returns are free for everyone", (21, 29), "everyone", "member"),
    ("It's free on orders over £50.", (13, 28), "orders over £50", "threshold"),
    ("its free on orders over fifty pounds", (12, 36), "orders over £50", "threshold"),
    ("if you spend over fifty quid", (3, 28), "orders over £50", "threshold"),
    ("on orders of £50 or more", (3, 24), "orders over £50", "threshold"),
    ("It's free on plans with 100GB of data or more.", (13, 45), "plans over 100gb", "threshold"),
    ("We only deliver within the UK.", (16, 29), "within the uk", "region"),
    ("anywhere in the united kingdom", (0, 30), "within the uk", "region"),
    ("we don't ship outside the UK", (14, 28), "outside the uk", "region"),
    ("parts are covered after the first year", (18, 38), "after the first year", "period"),
    ("in the first thirty days", (0, 24), "within the first 30 days", "period"),
    ("as long as it's unused", (0, 22), "if unused", "state"),
    ("you can return unused items", (15, 27), "if unused", "state"),
    ("unless they are faulty", (0, 22), "unless faulty", "state"),
    ("with a receipt", (0, 14), "with receipt", "extra"),
    ("subject to status", (0, 17), "subject to status", "extra"),
    ("for items out of warranty", (10, 25), "out of warranty", "extra"),
    ("TVs over 55 inches", (4, 18), "over 55 inches", "extra"),
    ("if you go ahead with the repair", (0, 31), "if go ahead with repair", "clause"),
]
# fmt: on


@pytest.mark.parametrize(("text", "span", "value", "family"), CASES)
def test_table(text: str, span: tuple[int, int], value: str, family: str) -> None:
    fact = only(text)
    assert fact.kind == "condition"
    assert fact.span == span
    assert text[span[0] : span[1]] == fact.text
    assert fact.value == value
    assert fact.unit == family


def test_two_states_in_one_clause() -> None:
    text = "as long as they are unused and in their original packaging"
    assert conditions(text) == [("if in original packaging", "state"), ("if unused", "state")]


def test_written_and_spoken_thresholds_agree() -> None:
    assert only("orders over £50").value == only("orders over fifty pounds").value


def test_render() -> None:
    assert EXTRACTOR.render(only("on orders over £50")) == "orders over £50"


# -- attach_qualifiers -------------------------------------------------------------------


def test_attach_to_the_fact_it_qualifies() -> None:
    text = "Returns are free for Volt Plus members. Everyone else pays £2.99."
    free = money(text, "free")
    price = Fact(kind="money", value=Decimal("2.99"), unit="GBP", span=(59, 64), text="£2.99")
    out = attach_qualifiers(text, [free, price])
    assert out[0].qualifiers == ("volt plus members",)
    assert out[1].qualifiers == ("everyone else",)
    assert out[1] is not price  # a new frozen copy, the input untouched
    assert price.qualifiers == ()


def test_a_fact_inside_the_condition_is_not_qualified() -> None:
    text = "It's free on orders over £50."
    facts = default_registry.extract(text, kinds=["money"])
    out = attach_qualifiers(text, facts)
    by_text = {f.text: f.qualifiers for f in out}
    assert by_text["free"] == ("orders over £50",)
    assert by_text["£50"] == ()


def test_conditions_stay_in_their_sentence() -> None:
    text = "Standard delivery costs £4.49. It's free on orders over £50."
    facts = default_registry.extract(text, kinds=["money"])
    out = {f.text: f.qualifiers for f in attach_qualifiers(text, facts)}
    assert out["£4.49"] == ()


def test_nearest_fact_of_each_kind() -> None:
    text = "refunds take five working days and you can return it within thirty days if unused"
    facts = default_registry.extract(text, kinds=["duration"])
    out = {f.text: f.qualifiers for f in attach_qualifiers(text, facts)}
    assert out["thirty days"] == ("if unused",)
    assert out["five working days"] == ()


def test_clause_conditions_only_when_asked() -> None:
    text = "we take £35 off the repair cost if you go ahead with the repair"
    facts = default_registry.extract(text, kinds=["money"])
    assert [f.qualifiers for f in attach_qualifiers(text, facts)] == [()]
    out = attach_qualifiers(text, facts, families=["clause"])
    assert out[0].qualifiers == ("if go ahead with repair",)


def test_existing_qualifiers_are_kept() -> None:
    text = "free for students"
    fact = money(text, "free").model_copy(update={"qualifiers": ("in the uk",)})
    assert attach_qualifiers(text, [fact])[0].qualifiers == ("in the uk", "students")


def test_no_conditions_returns_the_same_facts() -> None:
    text = "it's free"
    fact = money(text, "free")
    assert attach_qualifiers(text, [fact]) == [fact]


@settings(max_examples=150, deadline=None)
@given(amount=st.integers(1, 999), spoken=st.booleans(), word=st.sampled_from(
    ["over", "above", "more than"]))  # fmt: skip
def test_threshold_forms_agree(amount: int, spoken: bool, word: str) -> None:
    units = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    tens = ["", "ten", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
            "ninety"]  # fmt: skip
    teens = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
             "seventeen", "eighteen", "nineteen"]  # fmt: skip

    def words(n: int) -> str:
        parts = []
        if n >= 100:
            parts.append(f"{units[n // 100]} hundred")
            n %= 100
            if n:
                parts.append("and")
        if 10 <= n < 20:
            parts.append(teens[n - 10])
        elif n:
            parts.append(" ".join(p for p in (tens[n // 10], units[n % 10]) if p))
        return " ".join(parts)

    surface = f"{words(amount)} pounds" if spoken else f"£{amount}"
    assert only(f"it's free on orders {word} {surface}").value == f"orders over £{amount}"


@settings(max_examples=200, deadline=None)
@given(text=st.text())
def test_never_raises_and_spans_slice(text: str) -> None:
    facts = EXTRACTOR.extract(text)
    assert_spans(text, facts)
    assert attach_qualifiers(text, facts) == facts  # condition facts are never qualified


@settings(max_examples=150, deadline=None)
@given(
    parts=st.lists(
        st.sampled_from(["free", "for", "members", "volt", "plus", "orders", "over", "£50",
                         "if", "unused", "within", "the", "uk", "unless", "faulty", ".", ",",
                         "first", "year", "after", "students", "get", "fifty", "pounds"]),
        max_size=16,
    )
)  # fmt: skip
def test_word_salad_spans_slice_and_attach(parts: list[str]) -> None:
    text = " ".join(parts)
    assert_spans(text, EXTRACTOR.extract(text))
    facts = default_registry.extract(text)
    out = attach_qualifiers(text, facts)
    assert [f.span for f in out] == [f.span for f in facts]


def test_customers_alone_are_everyone_but_customers_whose_are_a_group() -> None:
    assert conditions("The dispute service is free for customers.") == []
    assert conditions("Write to Customer Relations, PO Box 7731.") == []
    assert conditions("It's open to customers whose supplier is Kestrel Energy.") == [
        ("customers", "member")
    ]
