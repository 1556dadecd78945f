"""Scope-widening words in a hypothetical or under a negation are not a wider scope.

Found by the canned-response sample: "If anything goes wrong, just reply" and "don't
share your password with anyone" were flagged as changed conditions.
"""

from __future__ import annotations

import pytest

from consistency.compare import compare_answer

KB = "Plus members get free next-day delivery on orders over £20."


@pytest.mark.parametrize(
    "answer",
    [
        "Plus members get free next-day delivery on orders over £20. If anything goes wrong, just reply.",
        "Plus members get free next-day delivery on orders over £20, in case anyone asks.",
        "Plus members get free next-day delivery on orders over £20; don't share your login with anyone.",
    ],
)
def test_not_a_wider_scope(answer: str) -> None:
    result = compare_answer(answer, KB, entry_id="plus-delivery")
    assert [c.kind for c in result.conflicts] == []
    assert result.status == "consistent"


def test_a_real_widening_is_still_caught() -> None:
    result = compare_answer(
        "Anyone gets free next-day delivery on orders over £20.", KB, entry_id="plus-delivery"
    )
    assert [c.kind for c in result.conflicts] == ["condition"]


ASSEMBLY = (
    "We can assemble beds and wardrobes for £45 per item. Assembly is only available with "
    "room of choice delivery and must be booked 3 working days ahead."
)


@pytest.mark.parametrize(
    ("answer", "kb", "shown"),
    [
        (
            "Yes, assembly is available whichever delivery service you choose, at £45 per item.",
            ASSEMBLY,
            "whichever delivery service you choose",
        ),
        (
            "Yes, weekly seasons can be refunded at any point.",
            "A weekly season can only be refunded if at least 3 days of validity are left.",
            "any point",
        ),
        (
            "Any closure of more than 7 days, planned or not, is credited to your next bill.",
            "If your centre is closed for more than 7 days for unplanned reasons, we credit "
            "the days it was closed to your next bill.",
            "planned or not",
        ),
        (
            "Engineer visits cost £80, whether the fault is on our line or in your wiring.",
            "Engineer visits are free when the fault is on our line. If the fault is in your "
            "own wiring, engineer visits cost £80.",
            "whether the fault is on our line or in your wiring",
        ),
        (
            "We fit a heat battery to any home, whoever installed its panels.",
            "We fit a heat battery only to homes whose panels were installed by us.",
            "whoever installed its panels",
        ),
        (
            "Yes, we service and repair any boiler, whoever installed it - just book a slot "
            "with our customer care team on the website.",
            "We only service and repair boilers that Warmco installed.",
            "whoever installed it",
        ),
        (
            "Servicing is advised, but the 5-year boiler warranty stays valid either way.",
            "The 5-year boiler warranty stays valid only if the boiler is serviced every year.",
            "either way",
        ),
        (
            "Any valid certificate will do, so the 5-year boiler warranty stays valid.",
            "The 5-year boiler warranty stays valid only with a certificate from our engineer.",
            "Any valid certificate will do",
        ),
    ],
)
def test_a_claim_said_to_hold_whatever_the_case_drops_the_kbs_limit(
    answer: str, kb: str, shown: str
) -> None:
    c = compare_answer(answer, kb, entry_id="e1")
    assert [x.kind for x in c.conflicts] == ["condition"]
    assert c.conflicts[0].answer_value == shown
    assert c.conflicts[0].explanation.endswith(f'the answer says "{shown}", without that limit.')


@pytest.mark.parametrize(
    ("answer", "kb"),
    [
        # "whichever comes first" is the KB's own rule, not a widening
        (
            "The battery is covered for 10 years or 6,000 cycles, whichever comes first.",
            "The battery warranty lasts 10 years or 6,000 cycles, whichever comes first, "
            "only if it is serviced every year.",
        ),
        # a widening said with which one it means, or under a negation earlier in the clause
        (
            "Anyone of state pension age can join the register, and it's free to join.",
            "You can join our register if you're of State Pension age or disabled. It's free.",
        ),
        (
            "If the meter's faulty there's no charge; we'll confirm the £65 before anything's "
            "booked.",
            "The test is free if the meter is faulty; if it's working, there's a charge of £65.",
        ),
        (
            "We don't cover food delivery at all, or anything that's hire and reward.",
            "Business use can be added for the policyholder only. We don't cover food delivery "
            "or any other hire and reward.",
        ),
        # "either way" across alternatives the answer laid out itself
        (
            "If you're switching, your new provider tells us; otherwise call our team. "
            "It's 30 days' notice either way.",
            "You need to give 30 days' notice to leave. If you're switching, your new provider "
            "tells us; if not, call our team.",
        ),
        # "whether ... or not" is the other form, not this one
        (
            "Whether or not you're a member, parking is free.",
            "Parking is free for everyone.",
        ),
        # the KB says it regardless too
        (
            "Room of choice delivery is £69 per order, no matter how many items.",
            "Room of choice delivery costs £69 per order, however many items you buy, if you "
            "live in our delivery area.",
        ),
        # a widening of something the restricting sentence does not say
        (
            "You can download VAT invoices whenever you need them.",
            "Business customers only can add a VAT number. Prices include VAT at 20%.",
        ),
    ],
)
def test_no_widening_of_the_kbs_limit(answer: str, kb: str) -> None:
    assert [x for x in compare_answer(answer, kb).conflicts if x.kind == "condition"] == []


def test_a_region_the_answer_leaves_out_is_no_dropped_condition() -> None:
    """ "roam further is £6 a day" for "in 60 destinations outside the EU for £6 a day":
    the region names where the product works, and leaving it out is no wider claim."""
    kb = "Roam Further lets you use your allowance in 60 destinations outside the EU for £6 a day."
    result = compare_answer("Roam Further is £6 a day and covers 60 destinations.", kb)
    assert result.status == "consistent"
    # a threshold left out still is
    dropped = compare_answer("Delivery is free.", "Delivery is free on orders over £40.")
    assert [c.kind for c in dropped.conflicts] == ["condition"]


def test_a_region_the_answer_changes_is_still_a_changed_condition() -> None:
    result = compare_answer("Delivery is free in Scotland.", "Delivery is free in England.")
    assert [c.kind for c in result.conflicts] == ["condition"]


BELONGINGS = (
    "Comprehensive covers belongings stolen from your car up to £300, or £500 with Plus. "
    "We don't cover cash or phones, and theft is only covered if the car was locked."
)


def test_a_widening_that_names_the_kbs_condition_needs_less_in_common() -> None:
    answer = "Yes, belongings taken from your car are covered up to £300, whether or not the car was locked."
    result = compare_answer(answer, BELONGINGS, entry_id="e")
    assert [c.kind for c in result.conflicts] == ["condition"]
    assert "the car was locked" in result.conflicts[0].answer_value
    assert "only covered if the car was locked" in result.conflicts[0].kb_text


def test_whenever_is_the_kbs_own_when() -> None:
    kb = (
        "It costs £25 a month, which only covers the lenses and replacements when the "
        "prescription changes."
    )
    answer = "It costs £25 a month, covering the lenses and replacements whenever the prescription changes."
    assert compare_answer(answer, kb, entry_id="e").conflicts == ()
    widened = "You get replacements whenever you like, and it costs £25 a month for the lenses."
    assert "condition" in [c.kind for c in compare_answer(widened, kb, entry_id="e").conflicts]


STUDIO = (
    "Painting at home is covered, and your tools are covered up to £2,000. "
    "We don't cover stock for sale, or homes where pupils come for lessons every week."
)


def test_an_exclusion_narrows_the_claim_of_its_own_sentence() -> None:
    answer = "Yes, your tools are covered up to £2,000, even if pupils come for lessons every week."
    result = compare_answer(answer, STUDIO, entry_id="e")
    assert [c.kind for c in result.conflicts] == ["condition"]
    assert result.conflicts[0].kb_text.startswith("We don't cover stock for sale")
    # a widening of a claim the exclusion does not speak of is left alone
    other = "Yes, your tools are covered up to £2,000 even if you paint every day."
    assert compare_answer(other, STUDIO, entry_id="e").conflicts == ()


# invented: a condition the answer says does not matter
@pytest.mark.parametrize(
    ("answer", "kb"),
    [
        ("Yes, you can go to the Ombudsman straight away without waiting for 8 weeks.",
         "If we haven't resolved your complaint within 8 weeks, you can take it to the "
         "Ombudsman free of charge."),
        ("You get the unused days back less the £35 fee. Having made a claim doesn't affect "
         "the refund.",
         "We refund the unused days less a £35 fee, but if there's been a claim in the "
         "policy year there's no refund."),
        ("Yes, if you move house at all during the minimum term we waive the remaining months.",
         "If you cancel during the minimum term, the remaining months are charged; we waive "
         "this if you move more than 20 miles from every centre."),
    ],
)  # fmt: skip
def test_a_condition_said_not_to_matter_is_a_changed_condition(answer: str, kb: str) -> None:
    assert "condition" in [c.kind for c in compare_answer(answer, kb).conflicts]


def test_the_customers_own_case_is_not_a_widening() -> None:
    kb = "Drivers aged 17 to 24 pay an extra £300 young driver excess."
    answer = "The extra excess only applies to drivers aged 17 to 24, so it won't affect you."
    assert compare_answer(answer, kb).conflicts == ()


# invented: a wider word that says the KB's own limit or choice
@pytest.mark.parametrize(
    ("answer", "kb"),
    [
        ("We'll refund everything apart from the delivery charge.",
         "If they can't reach you, we'll refund it in full except for the delivery charge."),
        ("You can have it as a refund to your card or as points, whichever you prefer.",
         "If we offer a goodwill gesture, you can choose a refund to your original card or "
         "points."),
    ],
)  # fmt: skip
def test_a_wider_word_that_says_the_kbs_limit_or_choice(answer: str, kb: str) -> None:
    assert compare_answer(answer, kb).conflicts == ()


def test_the_customers_own_if_is_no_widening() -> None:
    kb = "If a practice has no places, we can add you to its waiting list."
    a = "We can add you to the waiting list, and you can be seen privately if you need anything."
    assert compare_answer(a, kb).conflicts == ()


def test_even_after_and_a_size_that_narrows_are_read() -> None:
    kb = "If you find it cheaper within 24 hours of booking, we'll match the price. Send your "
    kb += "claim using the form before you arrive."
    a = "As long as you found it within 24 hours of booking, you can claim even after your stay."
    assert "condition" in [c.kind for c in compare_answer(a, kb).conflicts]
    kb = "For tables of 6 or more, please book at least 24 hours ahead by calling the hotel."
    a = "You'll need to book, as all tables have to be reserved at least 24 hours ahead."
    assert "scope" in [c.kind for c in compare_answer(a, kb).conflicts]


@pytest.mark.parametrize(
    ("answer", "kb", "shown"),
    [
        # the KB names the case as whom the claim is for, with no "if" or "only"
        ("The 15% discount is for all teachers, whether or not you hold a Campus Card.",
         "Campus Card holders get 15% off every order once they've verified their card.",
         "whether or not you hold a Campus Card"),
        ("Refunds go to your gift account, whether or not you still have the voucher.",
         "If you still have the voucher, we put refunds on your gift account; otherwise we "
         "pay by cheque within 10 days.",
         "whether or not you still have the voucher"),
        ("Any lost bag is paid for, with or without signs of a break-in.",
         "A lost bag is only paid for if there are signs of a forced break-in.",
         "with or without signs of a break-in"),
        ("You can return bulbs within 30 days, whether they're opened or unopened.",
         "You can return unopened bulbs within 30 days of delivery.",
         "whether they're opened or unopened"),
    ],
)  # fmt: skip
def test_a_claim_said_for_either_case_the_kb_names_one_of(answer: str, kb: str, shown: str) -> None:
    c = compare_answer(answer, kb, entry_id="e1")
    assert [x.kind for x in c.conflicts] == ["condition"]
    assert c.conflicts[0].answer_value == shown


@pytest.mark.parametrize(
    ("answer", "kb"),
    [
        # the KB names both cases in one claim
        ("The deal carries over to the swap, whether it's a multibuy or a price cut.",
         "If we swap an item on offer, the deal carries over. This covers price cuts and "
         "multibuy deals."),
        # the KB says either case too
        ("Members and non-members alike can book, whether or not you hold a card.",
         "Members and non-members can book a court, card holders first."),
    ],
)  # fmt: skip
def test_either_case_the_kb_gives_too(answer: str, kb: str) -> None:
    assert [x for x in compare_answer(answer, kb).conflicts if x.kind == "condition"] == []


@pytest.mark.parametrize(
    ("answer", "kb"),
    [
        ("Yes, children with a cold can always come in, however they're feeling.",
         "Children with a cold can come in as long as they're well enough to play."),
        ("The £50 key deposit is always refunded when you leave, whatever notice you give.",
         "The £50 key deposit is refunded when you leave as long as you give a month's notice."),
        ("He can come back after 2 days - it doesn't matter if he's had medicine.",
         "He can only come back once he's been well for 2 days without any medicine."),
    ],
)  # fmt: skip
def test_a_claim_said_whatever_the_case_against_the_kbs_limit(answer: str, kb: str) -> None:
    assert "condition" in [c.kind for c in compare_answer(answer, kb, entry_id="e").conflicts]


def test_any_crossing_widens_crossings_of_over_two_hours() -> None:
    from consistency.compare.members import member_conflicts

    kb = "Drivers get a free meal on crossings of over 2 hours, and a free cabin at night."
    answer = "Yes, drivers get a free meal on every crossing, and a free cabin at night."
    assert [c.kind for c in member_conflicts(answer, kb)] == ["scope"]
    same = "Yes, drivers get a free meal on crossings of over 2 hours, and a free cabin at night."
    assert member_conflicts(same, kb) == []


def test_whatever_names_what_it_widens_and_the_kb_sentence_that_limits_it_is_quoted() -> None:
    kb = (
        "You can swap a pair of shoes within 60 days for a refund, even if you've worn them "
        "outside. The shoes must be in a clean condition with no damage to the soles."
    )
    a = (
        "Yes, you can swap a pair of shoes within 60 days for a refund whatever condition "
        "they're in, even if you've worn them outside."
    )
    (c,) = compare_answer(a, kb).conflicts
    assert (c.kind, c.answer_value) == ("condition", "whatever condition they're in")
    assert c.kb_text == "The shoes must be in a clean condition with no damage to the soles."


def test_even_with_the_kbs_exception_said_keeps_the_rule_the_exception_lifts() -> None:
    kb = "Bikes must be folded before boarding, unless you've booked a bike space."
    a = "Even with a bike space booked, the bike must be folded before boarding."
    (c,) = compare_answer(a, kb).conflicts
    assert c.kind == "condition" and c.answer_value.lower().startswith("even with")


def test_whenever_you_like_is_the_kbs_at_any_time() -> None:
    kb = (
        "You can cancel Premium at any time in the app. Your Premium benefits continue until "
        "the end of the period you've paid for, and we don't refund part months."
    )
    a = "You can cancel whenever you like in the app, but we don't refund part months."
    assert compare_answer(a, kb).conflicts == ()


def test_it_doesnt_matter_is_the_kbs_own_dont_have_to() -> None:
    kb = (
        "Any of our stores will recycle small electricals, such as kettles and toasters, free "
        "of charge. You don't need to buy anything, and the items don't have to have been "
        "bought from us."
    )
    a = (
        "Of course. Any of our stores will recycle small electricals like kettles free of "
        "charge. It doesn't matter where they were bought, and you don't need to buy anything."
    )
    assert compare_answer(a, kb).conflicts == ()
