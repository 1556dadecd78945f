"""Claims that say the opposite of the KB's, aligned clause by clause."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.compare import compare_answer
from consistency.compare.claims import claim_conflicts, clauses, kb_agrees
from tests.timing import per_char

ESIM = "eSIM is available on all plans at no extra cost. You can switch in the Lumen app."
PAY = "You can pay by Direct Debit, card or PayPal. We don't accept cash or cheques in our stores."
HOLIDAYS = "On bank holidays our stores open 10am to 4pm. Stores are closed on Christmas Day."


@pytest.mark.parametrize(
    ("answer", "kb"),
    [
        ("eSIM isn't available on every plan.", ESIM),
        ("Cash is fine, we accept it in our stores too.", PAY),
        ("Our stores stay open on Christmas Day.", HOLIDAYS),
        ("Wi-Fi Calling doesn't work abroad.", "Yes, Wi-Fi Calling works abroad."),
        (
            "You have to claim the bundle discount on your bill.",
            "The bundle discount is applied to your bill automatically.",
        ),
        # said in other words: "switched off", "wait until", "written off", "go up", "come
        # out of", and a clause split inside a list of numbers no more
        (
            "Wi-Fi Calling is switched off when you're abroad.",
            "Yes, Wi-Fi Calling works abroad.",
        ),
        (
            "You'll have to wait until your contract ends before moving up to a bigger plan.",
            "You can move to a bigger plan at any time free of charge.",
        ),
        (
            "Any money left on your Device Plan is written off too.",
            "Any Device Plan balance is still due.",
        ),
        ("Add-on prices go up with the annual rise as well.", "Add-on prices don't change."),
        (
            "Calls to 084, 087, 09 and 118 numbers come out of your allowance like any other call.",
            "Calls to numbers starting 084, 087, 09 and 118 are not included in your allowance.",
        ),
        # "added" and "applied" say the same of the discount, so the denial aligns
        (
            "The bundle discount isn't added automatically.",
            "The discount is applied automatically from your next bill.",
        ),
        # every word of the answer's clause but its predicate is in the longer KB clause
        (
            "Tethering isn't allowed on our plans.",
            "Personal hotspot (tethering) is allowed on every plan for up to ten connected devices.",
        ),
        # a rise is a change, so it denies "doesn't change"
        (
            "Add-on prices go up with the annual rise as well.",
            "Add-on prices don't change, and we'll text you before the new price starts.",
        ),
        # a phrasal verb reads as the word it means
        (
            "Any money left on your Device Plan is written off too.",
            "Any Device Plan balance left on your account is still due.",
        ),
        ("Voicemail is switched off on business plans.", "Voicemail is enabled on business plans."),
        # "no" before a noun negates it; it is not an answer particle
        (
            "No phone calls in the quiet coach.",
            "You can make phone calls in the quiet coach.",
        ),
        # a charge stated without an amount denies "is free"
        (
            "There's a small charge for collecting your item.",
            "Collecting your item from York is free.",
        ),
        # what is still owed is the opposite of what is waived
        (
            "We'll waive the remaining balance.",
            "The remaining balance is still due.",
        ),
    ],
)
def test_an_opposite_claim_is_a_polarity_conflict(answer: str, kb: str) -> None:
    conflicts = claim_conflicts(answer, kb, entry_id="e")
    assert [c.kind for c in conflicts] == ["polarity"]
    c = conflicts[0]
    assert answer[c.answer_span[0] : c.answer_span[1]] == c.answer_text
    assert kb[c.kb_span[0] : c.kb_span[1]] == c.kb_text
    assert "the answer says the opposite" in c.explanation


@pytest.mark.parametrize(
    ("answer", "kb"),
    [
        (
            "No, we would never ask you to pay by bank transfer.",
            "We will never ask you to pay by bank transfer.",
        ),
        ("There's no charge for eSIM and you can switch in the app.", ESIM),
        (
            "sorry no we only deliver to uk addresses we don't ship abroad",
            "We only deliver to addresses within the UK.",
        ),
        (
            "If it isn't fixed in 2 days we pay you £9 a day.",
            "If it's not fixed within 2 days, we pay you £9 a day.",
        ),
        (
            "I've added a note so nobody needs to ask you again. Stores open 10am to 4pm on bank holidays.",
            HOLIDAYS,
        ),
        (
            "Your order hasn't been dispatched yet, so you can cancel it.",
            "You can cancel an order until it has been dispatched.",
        ),
        (
            "Wi-Fi calling works when you're abroad, it's switched on already.",
            "Yes, Wi-Fi Calling works abroad.",
        ),
        (
            "You can upgrade to a bigger plan whenever you like.",
            "You can move to a bigger plan at any time.",
        ),
        ("Your add-ons stay the same price, they don't go up.", "Add-on prices don't change."),
        (
            "Calls to 084, 087, 09 and 118 numbers sit outside your allowance.",
            "Calls to numbers starting 084, 087, 09 and 118 are not included in your allowance.",
        ),
        ("Your plan price rises by 4.5% each April.", "Your plan price changes each April."),
        (
            "Collecting it is free and posting costs 12 pounds.",
            "Collecting your item from York is free. Posting it costs £12 plus postage.",
        ),
        # one time rule told from both sides: until it leaves / not once it has left
        (
            "You can change the ticket right up until the booked train leaves.",
            "You can't change the ticket once the booked train has left.",
        ),
        ("Voicemail is turned on for business plans.", "Voicemail is enabled on business plans."),
        # a list before its verb, a negation inside a relative clause: no item flips
        (
            "Just a heads-up that cash, bank cards and phones wouldn't be included.",
            "We don't cover cash, bank cards, mobile phones or tickets.",
        ),
        (
            "It covers losses your insurer doesn't pay - your excess, lost earnings or "
            "compensation for an injury.",
            "It covers losses you're not insured for, like your excess, loss of earnings and "
            "injury compensation.",
        ),
        # the items after a comma are denied with the first one
        (
            "I'm sorry, we don't deliver to Jersey.",
            "We deliver to mainland Britain. We don't deliver to Guernsey, Jersey or Sark.",
        ),
        (
            "The discount is added automatically from your next bill.",
            "The discount is applied automatically from your next bill.",
        ),
    ],
)
def test_faithful_answers_are_not_opposites(answer: str, kb: str) -> None:
    assert claim_conflicts(answer, kb) == []


def test_compare_answer_reports_a_claim_with_no_number() -> None:
    result = compare_answer(
        "Personal hotspot isn't allowed on our plans.",
        "Personal hotspot is allowed on every plan.",
    )
    assert result.status == "contradiction"
    assert result.conflicts[0].kind == "polarity"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400), st.text(max_size=400))
def test_never_crashes_and_spans_index_both_texts(answer: str, kb: str) -> None:
    for c in claim_conflicts(answer, kb):
        assert answer[c.answer_span[0] : c.answer_span[1]] == c.answer_text
        assert kb[c.kb_span[0] : c.kb_span[1]] == c.kb_text


def test_clause_splitting_is_linear() -> None:
    unit = "We don't accept cash in our stores, but you can pay by card. "

    def rate(n: int) -> float:
        return per_char(clauses, unit * n)

    rate(5)
    assert rate(1000) < rate(50) * 4


def test_a_charge_denied_against_a_charge_that_applies() -> None:
    kb = "If you cancel before your minimum term ends, an early termination fee applies."
    conflicts = claim_conflicts("There's no early termination fee if you leave before the end.", kb)
    assert [c.kind for c in conflicts] == ["polarity"]
    assert "early termination fee" in conflicts[0].answer_text
    same = "You'll pay an early termination fee if you cancel before your minimum term ends."
    assert claim_conflicts(same, kb) == []
    # a charge denied beside another claim does not flip that claim
    esim = "eSIM is available on all plans at no extra cost."
    assert claim_conflicts("eSIM is available on every plan, and there's no charge.", esim) == []
    # an excess or a surcharge is a charge too: denying it says nothing of the cover
    care = "The care plan covers breakdowns, parts and labour, with no excess to pay."
    said = "No, there's no excess on breakdown repairs with the care plan."
    assert claim_conflicts(said, care) == []


def test_a_charge_with_no_amount_against_a_free_kb_claim() -> None:
    from consistency.compare.answer import compare_answer

    kb = (
        "Collecting your item from York is free. If you'd like it posted instead, "
        "there's a £12 handling fee plus postage."
    )
    wrong = (
        "There's a small charge for collection, and if you want it posted it's £12 plus postage."
    )
    right = "Collection from York is free, and posting it costs £12 plus postage."
    verdict = compare_answer(wrong, kb)
    assert verdict.status == "contradiction"
    assert [c.kind for c in verdict.conflicts] == ["polarity"]
    assert compare_answer(right, kb).status == "consistent"


def test_a_passive_claim_meets_the_kb_claim_about_the_same_thing() -> None:
    from consistency.compare.answer import compare_answer

    kb = (
        "First Class includes free Wi-Fi, complimentary hot and cold drinks and a light snack. "
        "Hot meals aren't included, but you can buy them from the trolley."
    )
    verdict = compare_answer("Yes, a hot meal is included in First Class.", kb)
    assert verdict.status == "contradiction"
    assert compare_answer("A hot meal isn't included, you can buy one.", kb).status != (
        "contradiction"
    )


def test_a_kb_that_says_it_both_ways_is_not_contradicted_by_either_side() -> None:
    from consistency.compare.answer import compare_answer

    kb = (
        "You can change the time or date of an Advance ticket up until the booked train "
        "departs. It costs £10 plus any difference in fare, and you can't make changes once "
        "the train has left."
    )
    said = "You can change it right up until the booked train leaves, it's £10 plus the fare difference."
    assert compare_answer(said, kb).status == "consistent"
    kb = "Hot meals aren't included in First Class, but it includes hot and cold drinks."
    assert compare_answer("A hot meal is included in First Class.", kb).status == "contradiction"


def test_a_leading_without_is_the_claims_condition_not_its_negation() -> None:
    kb = "Without a lift, our team will carry items up to the third floor."
    a = "Yes, without a lift the team will carry items up as far as the third floor."
    assert claim_conflicts(a, kb) == []
    denied = claim_conflicts("Without a lift the team won't carry items up any stairs.", kb)
    assert [c.kind for c in denied] == ["polarity"]


def test_a_denial_of_something_the_kb_never_names_is_no_opposite() -> None:
    from consistency.compare.align import align
    from consistency.compare.roles import roles_for
    from consistency.facts.pipeline import facts_for

    def claims_of(text: str):
        return [r for r in roles_for(text, facts_for(text)) if r.fact.kind == "polarity"]

    kb = claims_of("Appointments can be booked up to 8 weeks ahead.")
    extra = align(claims_of("Sorry, email appointments can't be booked."), kb)
    assert extra.conflicts == [] and len(extra.unverified) == 1
    denied = align(claims_of("Sorry, appointments can't be booked."), kb)
    assert len(denied.conflicts) == 1


@pytest.mark.parametrize(
    ("answer", "kb"),
    [
        (
            "You can cancel with no penalty right up until 2 hours before the class begins.",
            "You can cancel a class booking without penalty up to 2 hours before the class starts.",
        ),
        (
            "Home phones on full fibre stop working in a power cut.",
            "Home phones on full fibre don't work in a power cut.",
        ),
    ],
)
def test_the_same_claim_in_other_words(answer: str, kb: str) -> None:
    assert claim_conflicts(answer, kb) == []


def test_a_list_item_after_a_comma_keeps_its_clauses_polarity() -> None:
    """The item stated with a positive clause still contradicts a denial; "but" ends the list."""
    kb = "We don't deliver to Guernsey, Jersey or Sark."
    kinds = [c.kind for c in claim_conflicts("We deliver to Guernsey, Jersey and Sark.", kb)]
    assert kinds and set(kinds) == {"polarity"}
    denied = [c for c in clauses("We don't take cash, cheques or vouchers") if "vouchers" in c.text]
    assert denied and denied[0].negations == 1
    after_but = [c for c in clauses("We don't take cash, but cards, PayPal") if "PayPal" in c.text]
    assert after_but and after_but[0].negations == 0


def test_a_contracted_pronoun_is_no_content_word() -> None:
    """ "they're" says nothing of the claim: the answer clause still aligns with the KB's."""
    kb = "We offer lenses for children aged 6 to 16; they aren't available on the NHS."
    answer = "Yes, they're available on the NHS for children aged 6 to 16."
    assert [c.kind for c in claim_conflicts(answer, kb)] == ["polarity"]


@pytest.mark.parametrize(
    "answer",
    [
        # the customer's case, given as a reason, is no claim of the policy's
        "As you don't pay by Direct Debit, we'd send the refund by bank transfer.",
        "Yes - as we haven't sent a final response within 8 weeks, you can go to the ombudsman.",
        # a condition that goes on after a comma
        "If we haven't sorted it within 8 weeks, or you're not happy with our final response, "
        "you can go to the ombudsman.",
    ],
)
def test_a_reason_or_a_continued_condition_is_no_claim(answer: str) -> None:
    kb = (
        "We pay refunds to the bank account your Direct Debit is paid from. If you're unhappy "
        "with our final response, you can go to the ombudsman. You need to do this within 12 "
        "months of our final response."
    )
    assert claim_conflicts(answer, kb) == []


@pytest.mark.parametrize(
    ("answer", "kb"),
    [
        # "a free X": what is free comes after it
        (
            "There is a charge for the 15-minute assessment.",
            "We'll book them a free 15-minute assessment before placing them in a stage.",
        ),
        # "without a fee": what is free is the claim before it
        (
            "You can, but there's a fee for settling early.",
            "You can pay off your finance early at any time without a fee.",
        ),
        # the charge said after what is charged for
        (
            "Goggles are £3 to hire, and swim caps are sold separately at the desk.",
            "You can hire goggles at the desk for £3, and swim caps are provided free.",
        ),
        (
            "Voicemail is a paid extra on every landline plan.",
            "Voicemail on every landline plan is free.",
        ),
    ],
)
def test_a_charge_against_what_the_kb_says_is_free(answer: str, kb: str) -> None:
    conflicts = claim_conflicts(answer, kb)
    assert [c.kind for c in conflicts] == ["polarity"]
    assert len(conflicts[0].kb_text) > len("free")  # the KB clause, not the bare word


RENT = (
    "By law, your renewal rent can't be higher than the rent we'd offer a new tenant for the "
    "same flat on the same terms. Your rent can still change because of things like repair "
    "costs or changes to your details."
)


def test_a_denial_the_kb_makes_too_is_not_held_against_its_other_claims() -> None:
    answer = (
        "No - rents are capped, so we can't charge you more than a new tenant would pay for "
        "the same flat on the same terms. Rents can still change from year to year, for "
        "example because repair costs have gone up."
    )
    assert compare_answer(answer, RENT).conflicts == ()
    booking = (
        "You can book online or by phone, but we can't take bookings by email. "
        "Appointments can be booked up to 8 weeks ahead."
    )
    said = "Sorry, we can't take bookings by email."
    start = said.index("we can't")
    assert kb_agrees(said, booking, (start, len(said)))
    # the denial the KB does not make is still one
    assert not kb_agrees("we can't change your rent", RENT, (0, 25))
    flipped = compare_answer("Your renewal rent can be higher than a new tenant's rent.", RENT)
    assert [c.kind for c in flipped.conflicts] == ["polarity"]


@pytest.mark.parametrize(
    ("answer", "kb"),
    [
        (
            "We can post them to your nearest store instead of your home.",
            "You can have them posted to your home or to your nearest store.",
        ),
        (
            "We don't refund in cash, so for a cash sale we'd do a bank transfer instead.",
            "Refunds go back by bank transfer rather than cash.",
        ),
    ],
)
def test_a_choice_between_the_kbs_own_options_is_no_denial(answer: str, kb: str) -> None:
    assert [c for c in compare_answer(answer, kb).conflicts if c.kind == "polarity"] == []


def test_a_choice_against_a_single_option_is_still_a_denial() -> None:
    result = compare_answer(
        "We refund by gift card rather than to your card.", "We refund to your card."
    )
    assert [c.kind for c in result.conflicts] == ["polarity"]


# invented: polarity that differs only because the clauses are about other things
@pytest.mark.parametrize(
    ("answer", "kb"),
    [
        # another numbered package: what the KB rules out for one, the answer offers another
        ("A static IP isn't available on Fibre 150. It's only offered on Fibre 500.",
         "A static IP is available on Fibre 500 only; it isn't offered on Fibre 150."),
        # the KB's clause for everyone else
        ("No, once you're 60 your eye test is free, so there's nothing to pay for the test.",
         "You can have a free eye test if you're 60 or over or have diabetes. Everyone else "
         "pays for a private eye test."),
        # a denial with its own exception says the KB's condition the other way round
        ("That's under the £499 minimum, so finance isn't available unless you add more.",
         "Finance is available on orders of £499 or more."),
    ],
)  # fmt: skip
def test_opposite_words_about_other_things_are_not_a_polarity_conflict(
    answer: str, kb: str
) -> None:
    assert [c for c in compare_answer(answer, kb).conflicts if c.kind == "polarity"] == []


def test_a_numbered_package_the_kb_rules_out_is_still_caught() -> None:
    kb = "A static IP is available on Fibre 500 only; it isn't offered on Fibre 150."
    found = compare_answer("Yes, a static IP is offered on Fibre 150 too.", kb).conflicts
    assert found and found[0].kind in ("polarity", "scope", "list")


# invented: a negative verb denied is a plain claim
PROTECTED = "Protecting your discount doesn't stop your premium going up after a claim."
FRIENDLY = "Your meter won't cut off your supply between 4pm and 10am on weekdays."


@pytest.mark.parametrize(
    ("answer", "kb"),
    [
        ("Your premium can still go up after a claim, even when it's protected.", PROTECTED),
        ("Between 4pm and 10am on weekdays your supply stays on.", FRIENDLY),
        ("No, your supply won't be cut off between 4pm and 10am on weekdays.", FRIENDLY),
    ],
)
def test_a_denied_negative_verb_agrees_with_the_plain_claim(answer: str, kb: str) -> None:
    assert claim_conflicts(answer, kb) == []


@pytest.mark.parametrize(
    ("answer", "kb"),
    [
        ("Your premium won't go up after a claim.", PROTECTED),
        ("Your meter will cut off your supply between 4pm and 10am on weekdays.", FRIENDLY),
    ],
)
def test_the_plain_claim_denied_is_still_a_polarity_conflict(answer: str, kb: str) -> None:
    assert [c.kind for c in claim_conflicts(answer, kb)] == ["polarity"]


# invented: a negation reaches no further than its own verb or its own option
@pytest.mark.parametrize(
    ("answer", "kb"),
    [
        ("Spaces can't be booked ahead, so it's first come, first served.",
         "Spaces can't be pre-booked and are first come, first served."),
        ("A deep clean isn't part of it, so you'd book that separately.",
         "A deep clean isn't included and is booked separately."),
        ("They're given out according to clinical need rather than first come, first served.",
         "Appointments are given according to clinical need, not first come, first served."),
        ("The suites have a walk-in shower rather than a bath, along with grab rails.",
         "Every suite has a walk-in shower, grab rails and a lowered bed."),
    ],
)  # fmt: skip
def test_a_negation_ends_with_its_verb_or_its_option(answer: str, kb: str) -> None:
    assert [c for c in compare_answer(answer, kb).conflicts if c.kind == "polarity"] == []


def test_the_second_verb_denied_or_the_first_is_still_caught() -> None:
    kb = "Spaces can't be pre-booked and are first come, first served."
    assert compare_answer("Spaces can be pre-booked online.", kb).status == "contradiction"
    kb = "Appointments are given according to clinical need, not first come, first served."
    assert compare_answer("They're given first come, first served.", kb).status == "contradiction"


def test_a_spoken_no_before_a_new_clause_is_an_answer_particle() -> None:
    kb = "The 10% discount applies to all private treatment except implants."
    a = "um so no the ten percent applies to all private treatment except implants"
    assert [c for c in compare_answer(a, kb).conflicts if c.kind == "polarity"] == []


def test_two_cases_each_opened_by_its_own_if_are_no_opposites() -> None:
    kb = "If your basket is between £25 and £40 you can still check out, but we add a £4 charge."
    a = "If you add another £5.40 to reach £40, the small basket charge drops off."
    assert [c for c in claim_conflicts(a, kb) if c.kind == "polarity"] == []
    # the same case said the other way is still caught
    a = "If your basket is between £25 and £40, the small basket charge drops off."
    kb = "If your basket is between £25 and £40, we add a small basket charge."
    assert [c.kind for c in claim_conflicts(a, kb)] == ["polarity"]


def test_the_kb_clause_the_answer_repeats_wins_over_its_opposite() -> None:
    """Two KB clauses as close to the answer's, one opposite: the words of the answer's own
    sentence ("Gold") say which it repeats."""
    kb = "Lounge access isn't included on Silver fares. Lounge access is included on Gold fares."
    a = "If you're on a Gold fare, lounge access is included."
    assert claim_conflicts(a, kb) == []
    a = "If you're on a Silver fare, lounge access is included."
    assert [c.kind for c in claim_conflicts(a, kb)] == ["polarity"]


def test_a_denied_list_reaches_items_that_name_examples() -> None:
    """ "explosives including fireworks" is an item of the KB's "mustn't store" list, not a
    claim of its own ("including" is no verb), and each item keeps the list's own denial."""
    kb = (
        "You mustn't store food, live animals, firearms or ammunition, explosives including "
        "fireworks, or anything illegal."
    )
    a = "No food, no animals, no guns or ammunition, no explosives (fireworks included)."
    assert claim_conflicts(a, kb) == []
    (c,) = claim_conflicts("You can store explosives including fireworks.", kb)
    assert c.kb_value == "explosives including fireworks"


def test_a_denial_of_what_the_kb_sets_aside_by_name_is_the_kbs_own() -> None:
    kb = (
        "We fit shelves up to 2 metres long for £45. We only fit on brick, block or concrete "
        "walls, not on plasterboard or stud walls."
    )
    a = (
        "We can fit shelves up to 2 metres long for £45, but we only fit to brick, block or "
        "concrete walls, so I'm afraid we couldn't fit it on plasterboard."
    )
    assert compare_answer(a, kb).conflicts == ()
    (c,) = compare_answer("I'm afraid we couldn't fit it on brick walls.", kb).conflicts
    assert c.kind == "polarity"


@pytest.mark.parametrize(
    ("answer", "kb"),
    [
        # "I'm afraid not" answers the question, as "no" does
        (
            "ah i'm afraid not we can only post to u k addresses",
            "We can only post to UK addresses.",
        ),
        # "exempt" is "doesn't apply"
        (
            "The 14-day cancellation right doesn't apply to tickets for a fixed date.",
            "Tickets for a fixed date are exempt from the 14-day cancellation right.",
        ),
    ],
)
def test_the_same_claim_said_with_other_negative_words(answer: str, kb: str) -> None:
    assert claim_conflicts(answer, kb) == []


def test_exempt_against_applies_is_still_opposite() -> None:
    kb = "Tickets for a fixed date are exempt from the 14-day cancellation right."
    (c,) = claim_conflicts("The 14-day cancellation right applies to tickets for a fixed date.", kb)
    assert c.kind == "polarity"
