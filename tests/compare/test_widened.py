"""Scope widened past what the KB restricts it to (invented sentences)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.compare import compare_answer
from consistency.compare.members import _sentences, member_conflicts
from consistency.compare.widened import widened
from tests.timing import per_char

PASSES = "Gold members get 2 free guest passes a month. Silver members don't get guest passes."
FRAMES = "Table and chair frames are guaranteed for 10 years from delivery."
CLINICS = "We fit hearing aids only in our clinics in Scotland, and you need a referral first."
FARES = "The railcard gives a third off Off-Peak fares for up to 4 adults."
BUNDLE = "The 5% bundle discount applies to Saver Fix tariffs only, not to Saver Flex."


@pytest.mark.parametrize(
    ("answer", "kb", "said"),
    [
        ("All members get 2 free guest passes a month.", PASSES, "All members"),
        ("Every frame we sell, sofas included, is guaranteed for 10 years from delivery.",
         FRAMES, "Every frame"),
        ("Any of our clinics can fit hearing aids once you have a referral.", CLINICS,
         "Any of our clinics"),
        ("It takes a third off both Anytime and Off-Peak fares for up to 4 adults.", FARES,
         "both Anytime and Off-Peak"),
        ("The bundle discount applies on both Saver Fix and Saver Flex.", BUNDLE,
         "both Saver Fix and Saver Flex"),
    ],
)  # fmt: skip
def test_a_quantifier_past_the_kbs_restriction_is_a_scope_conflict(
    answer: str, kb: str, said: str
) -> None:
    conflicts = [c for c in member_conflicts(answer, kb, entry_id="e") if c.kind == "scope"]
    assert len(conflicts) == 1
    c = conflicts[0]
    assert c.answer_value.startswith(said)
    assert answer[c.answer_span[0] : c.answer_span[1]] == c.answer_value
    assert c.kb_value.lower() in c.kb_text.lower()
    assert kb[c.kb_span[0] : c.kb_span[1]] == c.kb_text


@pytest.mark.parametrize(
    ("answer", "kb"),
    [
        # the answer names the restriction itself
        ("All Gold members get 2 free guest passes a month.", PASSES),
        ("Any of our clinics in Scotland can fit them once you have a referral.", CLINICS),
        # the KB's own "any": the name before the head is a brand, not a restriction
        ("Students get 10% off any SIM-only plan for a year.",
         "Students get 10% off any Acme SIM-only plan for a year."),
        ("You can choose any date between the 1st and the 28th.",
         "You can choose any Direct Debit date from the 1st to the 28th of the month."),
        # the KB names the thing unrestricted somewhere
        ("All members get a locker.", "Members get a locker. Gold members also get towels."),
        # not all, a condition, a head no policy narrows, too little in common
        ("Not all members get guest passes, only Gold members get 2 a month.", PASSES),
        ("If any of the frames breaks, call us.", FRAMES),
        ("You can call us any time about frames.", FRAMES),
        ("All members can book classes online.", PASSES),
        # both names are the KB's
        ("The railcard works on both Off-Peak and Super Off-Peak fares.",
         "A third off Off-Peak and Super Off-Peak fares."),
    ],
)  # fmt: skip
def test_no_widening(answer: str, kb: str) -> None:
    assert [c for c in member_conflicts(answer, kb, entry_id="e") if c.kind == "scope"] == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.text(max_size=300))
def test_never_crashes_on_arbitrary_text(answer: str, kb: str) -> None:
    kb_clauses = _sentences(kb)
    for a in _sentences(answer):
        w = widened(answer, a, kb, kb_clauses)
        assert w is None or answer[w.span[0] : w.span[1]] == w.said


def test_time_is_linear_in_the_answer() -> None:
    kb_clauses = _sentences(FRAMES)

    def run(text: str) -> None:
        for a in _sentences(text):
            widened(text, a, FRAMES, kb_clauses)

    answer = "all our frames and every chair both Table and Sofa are covered "
    per_char(run, answer * 5)
    assert per_char(run, answer * 2000) < per_char(run, answer * 100) * 4


# invented: a kind named by a lowercase word before the head, every time the KB names it
SMART = (
    "If you have a smart meter, we can switch it to credit mode remotely, usually within "
    "a day, without an engineer visiting."
)


def test_a_lowercase_kind_the_kb_always_names_is_widened_by_any() -> None:
    answer = "Yes, we can switch any meter to credit mode remotely, without an engineer visiting."
    (c,) = member_conflicts(answer, SMART)
    assert (c.kind, c.kb_value) == ("scope", "smart meter")
    assert c.answer_value.startswith("any meter")


@pytest.mark.parametrize(
    "answer",
    [
        # the answer names the kind itself
        "Yes, we can switch any smart meter to credit mode remotely.",
        # too little of the KB's claim in common for a lowercase kind: another claim
        "Any meter reading you send is used for your next bill.",
    ],
)
def test_a_lowercase_kind_needs_the_same_claim_and_no_kind_said(answer: str) -> None:
    assert member_conflicts(answer, SMART) == []


def test_a_describing_word_is_no_kind() -> None:
    kb = "You get a full refund when you cancel a booking within 14 days."
    assert member_conflicts("You get any refund back when you cancel within 14 days.", kb) == []


def test_a_quantifier_reaches_no_further_than_its_own_noun_phrase() -> None:
    kb = "Your monthly plan price goes up by 4.5% each year on your April bill."
    answer = "So every April your plan price goes up by 4.5%, but add-ons stay the same."
    assert member_conflicts(answer, kb) == []


def test_only_a_lowercase_kind_needs_the_third_word_in_common() -> None:
    # two kinds coordinated ("table and chair frames") are a restriction as plain as a name:
    # two content words in common with the KB's claim are enough, as before lowercase kinds
    kb = "We guarantee table and chair frames for life."
    (c,) = member_conflicts("We guarantee every frame for life.", kb)
    assert (c.kind, c.kb_value) == ("scope", "table and chair frames")


def test_a_number_of_them_is_a_share_not_all() -> None:
    kb = "25 of our hotels have EV chargers, with 7kW Type 2 connectors."
    a = "Yes, every hotel has EV chargers, 7kW Type 2."
    assert [c.kind for c in compare_answer(a, kb).conflicts] == ["scope"]
    assert compare_answer("25 of our hotels have EV chargers.", kb).conflicts == ()


def test_a_bound_after_the_noun_restricts_it() -> None:
    kb = "Club members get a free safety check on any bike up to £500."
    (c,) = member_conflicts("Club members get a free safety check on any bike model.", kb)
    assert (c.kind, c.kb_value) == ("scope", "bike up to £500")
    # the answer that keeps the bound, or says "up to" of something else, widens nothing
    assert (
        member_conflicts("Club members get a free safety check on any bike up to £500.", kb) == []
    )


def test_any_with_a_comparative_is_no_quantified_thing() -> None:
    kb = (
        "You can cancel a table booking free of charge up to 2 hours before it starts, online "
        "or by phone. Cancelling later than that, or not turning up, counts as a no-show."
    )
    a = (
        "As long as you cancel at least two hours before the booking starts, there's no "
        "charge. Any later than that, or if you don't turn up, it's recorded as a no-show."
    )
    assert compare_answer(a, kb).conflicts == ()


def test_the_same_one_restricts_it() -> None:
    kb = "You can swap to a bigger locker at the same gym at any time, if one is free."
    (c,) = member_conflicts(
        "You can swap to a bigger locker at any of our gyms if one is free.", kb
    )
    assert (c.kind, c.answer_value, c.kb_value) == ("scope", "any of our gyms", "the same gym")
    assert (
        member_conflicts(
            "You can swap to a bigger locker at the same gym whenever one is free.", kb
        )
        == []
    )
