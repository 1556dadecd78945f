"""Polarity: affirmed and negated claims keyed by a paraphrase-robust subject."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.compare import compare_answer
from consistency.facts.polarity import EXTRACTOR, stem, subject_similarity
from consistency.models import Fact


def claims(text: str) -> list[tuple[bool, str]]:
    return [(f.value, f.subject or "") for f in EXTRACTOR.extract(text)]


def only(text: str) -> Fact:
    facts = EXTRACTOR.extract(text)
    assert len(facts) == 1, facts
    return facts[0]


def assert_spans(text: str, facts: list[Fact]) -> None:
    for f in facts:
        start, end = f.span
        assert 0 <= start < end <= len(text)
        assert text[start:end] == f.text
        assert isinstance(f.value, bool)
        assert f.subject


# fmt: off
CASES = [
    # text, (start, end), value, subject
    ("We do not deliver to PO boxes.", (0, 29), False, "deliver box po"),
    ("we dont deliver to po boxes", (0, 27), False, "deliver box po"),
    ("PO boxes aren't delivered to", (0, 25), False, "deliver box po"),
    ("we deliver to PO boxes", (0, 22), True, "deliver box po"),
    ("there is no fee", (0, 15), False, "fee"),
    ("there is a fee", (0, 14), True, "fee"),
    ("there's no charge for returns", (0, 29), False, "fee return"),
    ("we don't charge for returns", (0, 27), False, "fee return"),
    ("returns are free for Volt Plus members", (0, 16), False, "fee return"),
    ("It's free of charge", (0, 19), False, "fee"),
    ("it's not free", (0, 13), True, "fee"),
    ("you won't be charged", (0, 20), False, "fee"),
    ("you'll still be charged", (0, 23), True, "fee"),
    ("you can't return it", (0, 16), False, "return"),
    ("you cant return it", (0, 15), False, "return"),
    ("you can return it", (0, 14), True, "return"),
    ("so yeah um you cant send it back after thirty days", (11, 24), False, "return"),
    ("it isn't possible to change the address", (0, 39), False, "chang address"),
    ("we can change the address", (0, 25), True, "chang address"),
    ("you are not able to cancel", (0, 26), False, "cancel"),
    ("we will never ask for your password", (0, 35), False, "ask password"),
    ("I'm afraid we can't deliver abroad", (11, 34), False, "deliver abroad"),
    ("we don't ship overseas", (0, 22), False, "deliver abroad"),
    ("there are no exit fees", (0, 22), False, "fee exit"),
    ("no sorry once an order's placed you can't cancel it", (32, 48), False, "cancel"),
]
# fmt: on


@pytest.mark.parametrize(("text", "span", "value", "subject"), CASES)
def test_table(text: str, span: tuple[int, int], value: bool, subject: str) -> None:
    fact = only(text)
    assert fact.kind == "polarity"
    assert fact.span == span
    assert text[span[0] : span[1]] == fact.text
    assert fact.value is value
    assert fact.subject == subject


def test_a_list_of_objects_is_one_claim_each() -> None:
    text = "We do not accept cheques or cash on delivery."
    assert claims(text) == [(False, "accept chequ"), (False, "accept cash")]


def test_an_answer_aligns_with_the_kb_claim() -> None:
    kb = dict((s, v) for v, s in claims("We do not deliver to PO boxes or BFPO addresses."))
    answer = claims("yeah no we can deliver to po boxes no problem")
    assert answer == [(True, "deliver box po")]
    assert kb["deliver box po"] is False


@pytest.mark.parametrize(
    "text",
    [
        "i can check that for you",
        "let me have a look at your account",
        "feel free to call us",
        "thanks for calling",
        "standard delivery costs £4.49",  # a charge with its amount is the money extractor's
        "if it hasn't arrived check your junk folder",
        "",
    ],
)
def test_no_claim(text: str) -> None:
    assert EXTRACTOR.extract(text) == []


def test_no_problem_is_not_a_negation() -> None:
    assert claims("yeah you can pay cash on delivery with us no problem") == [(True, "accept cash")]


def test_condition_then_main_clause_without_punctuation() -> None:
    text = "if you cancel within fourteen days and havent used any benefits we refund you in full"
    assert claims(text) == [(True, "refund")]


def test_render() -> None:
    assert EXTRACTOR.render(only("we don't deliver to PO boxes")) == (
        'no: "we don\'t deliver to PO boxes"'
    )


@pytest.mark.parametrize(
    ("a", "b"),
    [("deliveries", "delivery"), ("boxes", "box"), ("cancelled", "cancel"),
     ("charged", "charge"), ("returns", "return"), ("shipping", "ship")],
)  # fmt: skip
def test_stem_merges_forms(a: str, b: str) -> None:
    assert stem(a) == stem(b)


def test_subject_similarity() -> None:
    assert subject_similarity("deliver box po", "deliver address bfpo box po") == 1.0
    assert subject_similarity("deliver box po", "accept box po") == 0.0
    assert subject_similarity("return item us", "return item unus") == 0.0
    assert subject_similarity("fee", "fee return") == 1.0


# Written sentences and what speech recognition makes of them: same claims.
SENTENCES = [
    "We do not deliver to PO boxes.",
    "You can't return opened software.",
    "We won't refund the delivery charge.",
    "There's no fee for cancelling.",
    "It isn't possible to change the address once it's dispatched.",
    "You can cancel at any time.",
    "We don't accept cheques or cash.",
    "Returns are free for members.",
    "We never ask for your password.",
    "You won't be charged if you cancel.",
]


def asr(text: str) -> str:
    """Lower case, no punctuation, apostrophes dropped as in "cant" and "dont"."""
    text = text.lower().replace("'", "")
    return re.sub(r"[.,!?;:]", "", text)


@settings(max_examples=100, deadline=None)
@given(
    picks=st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=3),
    filler=st.sampled_from(["", "um ", "so yeah ", "right so "]),
)
def test_spoken_form_gives_the_same_claims(picks: list[str], filler: str) -> None:
    written = " ".join(picks)
    spoken = filler + " ".join(asr(p) for p in picks)
    assert sorted(claims(spoken)) == sorted(claims(written))


@settings(max_examples=200, deadline=None)
@given(text=st.text())
def test_never_raises_and_spans_slice(text: str) -> None:
    assert_spans(text, EXTRACTOR.extract(text))


@settings(max_examples=150, deadline=None)
@given(
    parts=st.lists(
        st.sampled_from(["we", "you", "can't", "cant", "not", "no", "never", "deliver", "to",
                         "po", "boxes", "free", "fee", "charge", "is", "there", "if", "unless",
                         ",", ".", "and", "or", "£5", "costs", "it's", "won't", "once", "i"]),
        max_size=16,
    )
)  # fmt: skip
def test_word_salad_spans_slice(parts: list[str]) -> None:
    text = " ".join(parts)
    assert_spans(text, EXTRACTOR.extract(text))


@pytest.mark.parametrize(
    ("text", "value", "subject"),
    [
        ("Hot meals are included.", True, "includ hot meal"),
        ("Hot meals aren't included in First Class.", False, "includ hot meal"),
        ("Cash is accepted at the desk.", True, "accept cash"),
    ],
)
def test_a_passive_claim_verb_is_a_claim_about_its_subject(
    text: str, value: bool, subject: str
) -> None:
    (fact,) = EXTRACTOR.extract(text)
    assert (fact.value, fact.subject) == (value, subject)


def test_the_size_of_a_charge_is_not_what_it_is_for() -> None:
    (fact,) = EXTRACTOR.extract("There's a small charge for collection.")
    assert fact.value is True
    assert fact.subject == "fee collection"


def test_a_reason_after_as_is_its_own_clause() -> None:
    facts = EXTRACTOR.extract("Apple Pay is often the quickest as there's no card number to type.")
    assert all("appl" not in (f.subject or "") or f.value for f in facts)
    assert [f.subject for f in EXTRACTOR.extract("You can return it as long as it is unused")] == [
        "return"
    ]


@pytest.mark.parametrize(
    "text",
    ["A member can bring no more than 2 guests.", "You can cancel with no penalty."],
)
def test_a_bound_or_a_with_no_is_not_a_denial(text: str) -> None:
    assert [f.value for f in EXTRACTOR.extract(text)] == [True]


def test_open_and_closed_are_claims() -> None:
    facts = EXTRACTOR.extract("Showrooms are open on Sundays. They're closed on Christmas Day.")
    assert [f.value for f in facts] == [True, False]


def test_nothing_before_the_subject_negates_its_claim() -> None:
    assert claims("It's paid automatically, so there's nothing you need to claim.")[-1] == (
        False,
        "claim",
    )


def test_a_flip_or_negation_after_the_claim_in_a_clause_of_its_own_is_not_the_claims() -> None:
    """ "... a case handler who stays with it until it's closed" does not negate the claim."""
    from consistency.facts.polarity import EXTRACTOR as POLARITY

    facts = POLARITY.extract(
        "We acknowledge every complaint by the end of the next working day, with a case "
        "handler who stays with it until it's closed."
    )
    assert (facts[0].value, facts[0].subject) == (True, "acknowledg complaint")


def test_a_no_compound_is_no_negation() -> None:
    from consistency.compare.claims import clauses
    from consistency.facts.polarity import EXTRACTOR as POLARITY

    assert all(f.value for f in POLARITY.extract("Your no-claims discount is protected."))
    (c,) = clauses("We reduce your no-claims years by two")
    assert c.negations == 0


def test_the_company_paying_is_not_the_customer_paying() -> None:
    """ "we pay up to £350" is a pay-out; "there's nothing to pay" is about a charge."""
    kb = "Repairs are free; if you use your own glazier, the excess is £150 and we pay up to £350."
    c = compare_answer("If the chip can be repaired there's nothing to pay.", kb)
    assert not [x for x in c.conflicts if x.kind == "polarity"]
    c = compare_answer("We don't pay anything if you use your own glazier.", kb)
    assert [x.kind for x in c.conflicts] == ["polarity"]


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        # "not just" widens the claim; it denies nothing
        ("You can park at any of our sites, not just your local one.", "park sit"),
        # a describing phrase set off by commas reads as "with no ..."
        ("After the first year it rolls on monthly, no end date, until you give notice.", None),
        # a spoken "no show" is the noun "no-show"
        ("you can move it for free up to a day before after that it counts as a no show", None),
    ],
)
def test_negation_words_that_deny_nothing(text: str, subject: str | None) -> None:
    facts = EXTRACTOR.extract(text)
    assert facts, text
    assert all(f.value for f in facts if not (f.subject or "").startswith("fee")), facts
    if subject is not None:
        assert any(f.subject == subject for f in facts)


def test_a_limit_after_a_comma_is_still_a_denial() -> None:
    assert not EXTRACTOR.extract("We post to the UK, no other countries.")[-1].value
