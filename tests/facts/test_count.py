"""Counts of things and frequencies; numbers of other kinds are left alone."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.compare import compare_answer
from consistency.facts.count import EXTRACTOR
from consistency.models import Fact

# fmt: off
CASES = [
    # text, (start, end), value, unit
    ("you can have up to 3 SIMs", (19, 25), "3", "sim"),
    ("three SIM cards", (0, 15), "3", "sim"),
    ("5 SIM cards", (0, 11), "5", "sim"),
    ("covers up to five devices in your home", (13, 25), "5", "device"),
    ("After 5 incorrect password attempts", (6, 35), "5", "attempt"),
    ("with up to 2 other people", (11, 25), "2", "person"),
    ("after three failed attempts your parcel", (6, 27), "3", "attempt"),
    ("you can save four cards", (13, 23), "4", "card"),
    ("once a year", (0, 11), "1", "per_year"),
    ("twice a month", (0, 13), "2", "per_month"),
    ("claim up to 2 times in any 12 months", (12, 19), "2", "times"),
    ("you can claim twice", (14, 19), "2", "times"),
    ("three times a year", (0, 18), "3", "per_year"),
    ("you get one point for every pound", (8, 17), "1", "point"),
    ("limited to 2 per customer", (11, 25), "2", "per customer"),
    ("it's one per customer", (5, 21), "1", "per customer"),
    ("10GB of data", (0, 4), "10", "gb"),
    ("ten gigs of data", (0, 8), "10", "gb"),
    ("you can add up to two more boxes", (18, 32), "2", "box"),
]
# fmt: on


@pytest.mark.parametrize(("text", "span", "value", "unit"), CASES)
def test_table(text: str, span: tuple[int, int], value: str, unit: str) -> None:
    (fact,) = EXTRACTOR.extract(text)
    assert fact.kind == "count"
    assert fact.span == span
    assert text[span[0] : span[1]] == fact.text
    assert fact.value == Decimal(value)
    assert fact.unit == unit


def test_modifier() -> None:
    (fact,) = EXTRACTOR.extract("you can have up to 3 SIMs")
    assert fact.modifier == "up_to"
    assert EXTRACTOR.render(fact) == "up to 3 sims"


@pytest.mark.parametrize(
    "text",
    ["the app only allows 3 people", "the maximum is 3 people", "it's limited to 3 people"],
)
def test_a_number_said_as_a_limit_is_a_bound(text: str) -> None:
    (fact,) = EXTRACTOR.extract(text)
    assert (fact.value, fact.modifier) == (Decimal(3), "up_to")
    # a limit of 3 where the KB's limit is 4 is another limit, not a case within it
    kb = "Up to 4 people can share one account in the app."
    assert compare_answer(text, kb).status == "contradiction"
    assert compare_answer("3 people can share it", kb).status != "contradiction"


@pytest.mark.parametrize(
    "text",
    [
        "your order number 12345 is here",
        "order 1234567 shipped",
        "30 days",
        "5 working days",
        "£5 each",
        "15% off",
        "at 9 30",
        "call 0800 048 7730 today",
        "by 10pm",
        "on the 5th of May",
        "on 13 November",
        "open 9 till 5",
        "once you've sent it back",
        "postcode SW1A 1AA",
        "ref ABC123 please",
        "one of our agents",
        "on one Volt Mobile account",
        "I just need 2 more",
    ],
)
def test_not_counts(text: str) -> None:
    assert EXTRACTOR.extract(text) == []


@pytest.mark.parametrize(
    ("value", "unit", "modifier", "shown"),
    [
        ("3", "sim", "up_to", "up to 3 sims"),
        ("1", "card", None, "1 card"),
        ("2", "person", None, "2 people"),
        ("2", "times", None, "2 times"),
        ("1", "per_year", None, "1 per year"),
    ],
)
def test_render(value: str, unit: str, modifier: str | None, shown: str) -> None:
    fact = Fact(
        kind="count", value=Decimal(value), unit=unit, span=(0, 1), text="x", modifier=modifier
    )
    assert EXTRACTOR.render(fact) == shown


_SPOKEN = {2: "two", 3: "three", 4: "four", 5: "five", 12: "twelve", 21: "twenty one"}


@settings(max_examples=100, deadline=None)
@given(
    n=st.sampled_from(sorted(_SPOKEN)),
    noun=st.sampled_from(["devices", "cards", "sims", "attempts", "users"]),
    spoken=st.booleans(),
    lead=st.sampled_from(["", "up to ", "um so ", "you get "]),
)
def test_surface_forms(n: int, noun: str, spoken: bool, lead: str) -> None:
    text = f"{lead}{_SPOKEN[n] if spoken else n} {noun} in total"
    (fact,) = EXTRACTOR.extract(text)
    assert fact.value == n
    assert fact.unit == noun[:-1]
    assert text[fact.span[0] : fact.span[1]] == fact.text


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_never_raises_and_spans_slice(text: str) -> None:
    for fact in EXTRACTOR.extract(text):
        s, e = fact.span
        assert 0 <= s < e <= len(text)
        assert text[s:e] == fact.text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("we text you a 6-digit code", 6),
        ("Your account PIN has 4 digits", 4),
        ("an eight digit password", 8),
        ("a 12-character password", 12),
    ],
)
def test_the_length_of_a_code_is_a_count_of_digits(text: str, value: int) -> None:
    facts = [f for f in EXTRACTOR.extract(text) if f.unit in ("digit", "character")]
    assert [f.value for f in facts] == [Decimal(value)]


def test_an_age_bound_is_an_age_not_a_count() -> None:
    from consistency.facts.count import EXTRACTOR as COUNTS

    facts = COUNTS.extract("Children under 3 swim free, and each adult can bring 2 under-8s.")
    assert [(f.value, f.unit) for f in facts] == [(3, "age"), (2, "under-8")]
    assert COUNTS.render(facts[0]).endswith("age 3")
    (guests,) = COUNTS.extract("Guests aged 16 or over are welcome.")
    assert guests.unit == "age"


def test_a_free_count_keeps_both_the_count_and_the_free() -> None:
    from consistency.facts.pipeline import facts_for

    facts = [(f.kind, f.value, f.unit) for f in facts_for("You can order up to 6 free samples.")]
    assert ("count", Decimal(6), "sample") in facts
    assert ("money", Decimal("0.00"), "GBP") in facts
    c = compare_answer(
        "You can order up to 10 free samples.", "You can order up to 6 free samples."
    )
    assert [(x.kind, x.answer_value) for x in c.conflicts] == [("count", "up to 10 samples")]


def test_an_age_range_is_one_fact_however_it_is_said() -> None:
    from consistency.facts.count import EXTRACTOR as COUNTS

    (kb,) = COUNTS.extract("They must be aged 21 to 75 and hold a full licence.")
    assert (kb.value, kb.upper, kb.unit) == (21, 75, "age")
    assert COUNTS.render(kb) == "age 21 to 75"
    kb_text = "They must be aged 21 to 75 and hold a full licence."
    same = compare_answer("At 68 he's within the 21 to 75 age range.", kb_text)
    assert same.status == "consistent"
    other = compare_answer("Drivers must be aged 25 to 75.", kb_text)
    assert [c.kind for c in other.conflicts] == ["count"]


@pytest.mark.parametrize(
    ("text", "value", "unit", "modifier"),
    [
        ("if you add 2 or more drivers", "2", "driver", "at_least"),
        ("groups of 3 or fewer people", "3", "person", "up_to"),
        ("orders of 3 bags or more", "3", "bag", "at_least"),
    ],
)
def test_or_more_is_a_bound(text: str, value: str, unit: str, modifier: str) -> None:
    (fact,) = EXTRACTOR.extract(text)
    assert (fact.value, fact.unit, fact.modifier) == (Decimal(value), unit, modifier)


@pytest.mark.parametrize(
    ("text", "value"), [("ten thousand cycles", "10000"), ("up to 10,000 miles", "10000")]
)
def test_a_large_count_said_as_one(text: str, value: str) -> None:
    (fact,) = EXTRACTOR.extract(text)
    assert fact.value == Decimal(value)


def test_a_long_run_of_digits_is_no_count() -> None:
    assert EXTRACTOR.extract("reference 48213 items") == []


@pytest.mark.parametrize(
    ("text", "value", "modifier"),
    [
        ("To apply you must be 18 or over", "18", "at_least"),
        ("Applicants need to be 21 or older", "21", "at_least"),
        ("policyholders aged 25 or over", "25", "at_least"),
    ],
)
def test_an_age_said_as_a_bound(text: str, value: str, modifier: str) -> None:
    (fact,) = EXTRACTOR.extract(text)
    assert (fact.value, fact.unit, fact.modifier) == (Decimal(value), "age", modifier)


def test_another_minimum_age_is_a_contradiction() -> None:
    kb = "To apply you must be 18 or over, live in the UK and own the home."
    assert compare_answer("You need to be 21 or over and own the home.", kb).status == (
        "contradiction"
    )
    assert compare_answer("You need to be 18 or over and own the home.", kb).status == (
        "consistent"
    )


def test_a_share_of_things_is_a_count() -> None:
    from consistency.facts.pipeline import facts_for

    def counts(text: str) -> list[tuple[str, str]]:
        return [(str(f.value), f.unit) for f in facts_for(text) if f.kind == "count"]

    assert counts("Sedation is available at 12 of our practices.") == [("12", "practice")]
    assert counts("40 of our 60 hotels have family rooms.") == [("40", "hotel"), ("60", "hotel")]
    assert counts("You can order up to 24 of any single product.") == [("24", "product")]
    assert counts("35 of them also take NHS patients.") == [("35", "them")]
    # a number that labels a thing is a name: no count
    assert counts("Terminal 5 of the airport has a lounge.") == []


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("A full service is a 75-point check.", 75, "point"),
        ("Every menu is a 3-course meal for two.", 3, "course"),
        ("Hire a 2-person tent from the shop.", 2, "person"),
    ],
)
def test_a_number_hyphened_to_a_noun_counts_it(text: str, value: int, unit: str) -> None:
    assert [(f.value, f.unit) for f in EXTRACTOR.extract(text)] == [(Decimal(value), unit)]


@pytest.mark.parametrize(
    "text", ["a one-off fee of £5", "a 2-for-1 offer", "a 3-in-1 charger", "a 12-month plan"]
)
def test_periods_and_set_phrases_hyphened_to_a_number_are_not_counts(text: str) -> None:
    assert EXTRACTOR.extract(text) == []


def test_from_after_a_verb_names_a_source_not_a_lower_bound() -> None:
    (points,) = EXTRACTOR.extract("You can collect your order from 120 collection points.")
    assert points.modifier is None
    (people,) = EXTRACTOR.extract("Group rates apply for parties from 10 people.")
    assert people.modifier == "from"
    kb = "You can collect your order from 120 collection points in England."
    wrong = compare_answer("We've got 150 collection points across England.", kb)
    assert [c.kind for c in wrong.conflicts] == ["count"]


def test_only_n_that_can_be_is_a_limit() -> None:
    kb = "Up to 4 people can be named as joint tenants on one agreement."
    wrong = compare_answer("Only 3 people can be named as joint tenants.", kb)
    assert [c.kind for c in wrong.conflicts] == ["count"]
    # the customer's case inside the limit is not a limit of its own
    fine = compare_answer("Yes, the 3 people on your application can all be named.", kb)
    assert fine.status != "contradiction"
    (left,) = EXTRACTOR.extract("There are only 3 seats left on that date.")
    assert left.modifier is None


def test_a_bare_bound_counts_the_noun_its_clause_named() -> None:
    (points,) = EXTRACTOR.extract("You can spend points once you have at least 500 (worth £5).")
    assert (points.value, points.unit, points.modifier) == (Decimal(500), "point", "at_least")
    kb = "You can spend points once you have at least 500 (worth £5), in store or online."
    wrong = compare_answer("You need at least 1,000 points before you can spend them.", kb)
    assert [c.kind for c in wrong.conflicts] == ["count"]
    right = compare_answer("Once you've got 500 points or more you can spend them.", kb)
    assert right.status != "contradiction"
