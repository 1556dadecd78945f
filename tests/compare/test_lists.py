"""Options added to a KB list, left out under a closing word, or ruled out."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.compare.answer import compare_answer
from consistency.compare.lists import find_lists, list_conflicts
from consistency.compare.members import member_conflicts

ALERTS = "You can sign up for free disruption alerts by email or app notification."
PROOF = "You can prove eligibility with a PIP award letter, a Blue Badge or a certificate of sight."
COMPLAIN = "You can complain by email, by webchat or by phone."


def test_a_kb_list_is_read_into_its_options() -> None:
    (only,) = find_lists(PROOF)
    assert [i.text for i in only.items] == [
        "PIP award letter",
        "Blue Badge",
        "certificate of sight",
    ]


def test_an_added_option_is_a_list_conflict() -> None:
    c = list_conflicts("You get them by email, app notification or text message.", ALERTS)
    assert [(x.kind, x.answer_value) for x in c] == [("list", "text message")]
    assert "adds text message" in c[0].explanation


def test_a_word_the_list_shares_names_no_option() -> None:
    kb = "We're closed on Christmas Day, Boxing Day and Easter Sunday."
    (c,) = list_conflicts(
        "We close on Christmas Day, Boxing Day, St Andrew's Day and Easter Sunday.", kb
    )
    assert c.answer_value == "St Andrew's Day"
    # the same options, their shared word said or not
    assert list_conflicts("We close on Christmas, Boxing Day and Easter Sunday.", kb) == []
    # a clause the list parse takes for an item is no option
    kb = "You can cancel by email, letter or the form in your account."
    assert list_conflicts("Email us, use the form in your account, or write to us.", kb) == []


def test_one_word_for_the_one_kb_item_left_is_that_item_reworded() -> None:
    kb = "We collect parcels, letters and documents from your door."
    assert list_conflicts("We collect parcels, letters and paperwork from your door.", kb) == []
    # an item beyond the KB's, or several words, is still an added option
    (c,) = list_conflicts("We collect parcels, letters, documents and pallets.", kb)
    assert c.answer_value == "pallets"


def test_a_shorter_list_is_a_partial_answer_unless_closed() -> None:
    assert list_conflicts("A PIP award letter or a Blue Badge both work.", PROOF) == []
    closed = "A PIP award letter or a Blue Badge - those are the two accepted proofs."
    (c,) = list_conflicts(closed, PROOF)
    assert "leaving out certificate of sight" in c.explanation


def test_an_option_ruled_out_as_a_way() -> None:
    (c,) = list_conflicts("Use email or webchat - we don't take complaints by phone.", COMPLAIN)
    assert c.answer_value == "not phone"
    # a negation elsewhere in the answer rules nothing out
    assert list_conflicts("Email or webchat both work, no need to phone.", COMPLAIN) == []


def test_the_same_options_in_other_words_agree() -> None:
    assert compare_answer("Just email, webchat or give us a call.", COMPLAIN).status != (
        "contradiction"
    )
    assert list_conflicts("by e-mail, webchat or telephone", COMPLAIN) == []


def test_numbers_in_a_list_are_left_to_the_facts() -> None:
    kb = "The offer runs on Mondays, Tuesdays and Fridays."
    assert list_conflicts("It runs on Mondays, Tuesdays, 8 June and Fridays.", kb) == []


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab ,.;-orand")), max_size=300))
def test_lists_never_crash(text: str) -> None:
    for found in find_lists(text):
        assert all(0 <= i.start < i.end <= len(text) for i in found.items)
    assert isinstance(list_conflicts(text, COMPLAIN), list)


def test_long_lists_take_linear_time() -> None:
    import time

    def took(n: int) -> float:
        text = "You can pay by " + ", ".join(f"card{i}" for i in range(n)) + " or cash."
        t = time.perf_counter()
        list_conflicts(text, COMPLAIN)
        find_lists.cache_clear()
        return time.perf_counter() - t

    # the best of three runs each: one run can be slowed by another process
    small, big = min(took(200) for _ in range(3)), min(took(1600) for _ in range(3))
    assert big < small * 40  # 8x the text; quadratic would be ~64x


def test_an_abbreviation_is_the_same_option_and_dates_are_left_to_the_facts() -> None:
    kb = "We accept Visa, Mastercard, American Express, PayPal and Apple Pay."
    assert list_conflicts("You can pay by Visa, Mastercard, Amex, PayPal or Apple Pay.", kb) == []
    kb = "Lines close at 4pm on 24 December, 25 December and 26 December."
    assert list_conflicts("They close on Christmas Eve, 25 December and 26 December.", kb) == []


def test_a_negation_ends_at_so_in_speech() -> None:
    kb = "Cancel with the cancel button in My Oakhaven, or call our Orders team. We can't take cancellations by email."
    said = (
        "ah no we can't take cancellations by email sorry so it's either the cancel button "
        "in my oakhaven or you ring the orders team"
    )
    assert list_conflicts(said, kb) == []
    assert [c.kind for c in list_conflicts("we can't take cancellations in my oakhaven", kb)] == [
        "list"
    ]


@pytest.mark.parametrize(
    ("answer", "kb"),
    [
        # a pronoun is no option of the list
        (
            "You can re-contract now, either in the app or with us on the phone.",
            "You can sign a new contract in the My Tollgate app or by phone.",
        ),
        # the KB names the narrower thing itself: "credit cards" is not "debit card"
        (
            "You can pay by debit card, bank transfer or cash. We can't take credit cards.",
            "Pay by debit card, bank transfer or cash. We don't accept credit cards or cheques.",
        ),
        # unpunctuated speech: the negation ends where a new clause starts
        (
            "so because we didn't give you notice you'll get forty pounds um it'll come as "
            "credit on your account or a bank payment",
            "You'll receive it within 10 working days as a credit on your account, or a bank "
            "payment, or a cheque.",
        ),
    ],
)
def test_no_option_added_or_ruled_out(answer: str, kb: str) -> None:
    assert list_conflicts(answer, kb) == []
    assert member_conflicts(answer, kb) == []


# invented: options said with a phone number, amounts and terms as options
def test_an_option_said_with_its_phone_number_is_still_an_option() -> None:
    kb = "You can clear arrears in the app, at reception, or by phone on 0306 999 0412."
    answer = "You can pay in the app, at reception, by phone on 0306 999 0412, or by bank transfer."
    (c,) = list_conflicts(answer, kb)
    assert (c.kind, c.answer_value) == ("list", "bank transfer")


def test_an_amount_added_to_a_list_of_amounts_is_an_added_option() -> None:
    kb = "You can choose a voluntary excess of £0, £100, £250 or £500."
    (c,) = list_conflicts("You can choose £0, £100, £250, £500 or £1,000.", kb)
    assert c.answer_value == "£1,000"  # the thousands comma is no list break
    assert list_conflicts("You can choose £0, £100, £250 or £500.", kb) == []


def test_a_term_left_out_of_a_closed_list_of_numbers() -> None:
    kb = "You can spread the cost over 3, 5, 7 or 10 years."
    (c,) = list_conflicts("Sorry, we only offer 3, 5 or 10 years.", kb)
    assert "leaving out 7" in c.explanation
    assert list_conflicts("You can pick 3, 5 or 10 years.", kb) == []  # not closed: partial


def test_the_minutes_of_a_time_are_no_option() -> None:
    kb = "Tickets are valid on trains after 09:30 and on any train at weekends or bank holidays."
    answer = "On weekdays tickets can't be used on trains leaving between 16:00 and 18:30."
    assert list_conflicts(answer, kb) == []


def test_an_option_named_in_part_or_not_offered_is_ruled_out() -> None:
    kb = "You can pay in the app or online. We accept Visa, Mastercard and Maestro debit cards."
    (c,) = list_conflicts("We take Visa and Mastercard, so Maestro isn't accepted.", kb)
    assert c.answer_value == "not Maestro"
    kb = "Bills are available in large print, Braille or audio at no extra cost."
    (c,) = list_conflicts("We do large print or Braille, but we don't offer audio.", kb)
    assert c.answer_value == "not audio"  # "at no extra cost" denies nothing in the KB


def test_part_of_a_numbered_name_is_not_that_option() -> None:
    kb = "A static IP is an add-on on Full Fibre 500, Full Fibre 900 and Full Fibre 2000."
    answer = "Sorry, a static IP isn't available on Full Fibre 150."
    assert list_conflicts(answer, kb) == []


# invented: pieces of a sentence that are no options of its list
@pytest.mark.parametrize(
    ("answer", "kb"),
    [
        # the agent's aside
        ("Lockers can't take frozen food, I'm afraid, and they can't take alcohol either.",
         "Lockers can't take orders with frozen food or alcohol."),
        # a leading subordinate clause
        ("Because it was booked through an agent, any change, cancellation or refund goes "
         "through them.", "Changes, cancellations and refunds go through the agent."),
        # a clause before "so" that holds the list
        ("We pay for membership for our tenants, so registering and searching is free.",
         "We pay for our tenants' membership, so you can register and search free of charge."),
        # options run together in speech
        ("yeah it's only parts of leeds york and hull at the moment",
         "Same-day delivery is available in parts of Leeds, York and Hull."),
        # "just" that says how easy, not that those are all
        ("Just email records@example.co.uk or ask at any branch.",
         "Ask for your records, including X-rays, by emailing records@example.co.uk or asking "
         "at any branch."),
        # the KB denies it too, beside a sentence that names it
        ("Multibuy offers don't apply to deliveries in Wales.",
         "Multibuy offers don't apply to deliveries in Wales. Prices in Wales and Scotland "
         "reflect minimum unit pricing."),
    ],
)  # fmt: skip
def test_asides_clauses_and_the_kbs_own_denials_are_no_options(answer: str, kb: str) -> None:
    assert [c for c in compare_answer(answer, kb).conflicts if c.kind == "list"] == []


def test_a_list_introduced_by_such_as_and_a_denial_in_another_case_are_still_read() -> None:
    kb = "We'll ask for proof, such as your passport, driving licence or bank statement."
    a = "The only proof we take is your passport or driving licence."
    assert [c.kind for c in compare_answer(a, kb).conflicts] == ["list"]
    kb = "For servicing we take card or cash. We don't take cash for deposits."
    a = "For servicing we don't take payment in cash."
    assert [c.kind for c in list_conflicts(a, kb)] == ["list"]


def test_a_bound_is_no_option_to_rule_out() -> None:
    kb = "Each class lasts 45 minutes, twice a week, with no more than 10 children per coach."
    a = "each one is forty five minutes twice a week and there's never more than ten children per coach"
    assert [c for c in compare_answer(a, kb).conflicts if c.kind == "list"] == []


def test_an_option_added_before_a_clause_that_ends_the_list() -> None:
    """The last option ends where a clause about the list starts ("... you can add")."""
    kb = "The shop sells soaps, candles, mugs and cards that you can add to any order."
    a = "The shop sells soaps, candles, mugs, cards and scarves you can add to any order."
    (c,) = list_conflicts(a, kb)
    assert (c.kind, c.answer_value) == ("list", "scarves")
    assert list_conflicts("The shop sells soaps, candles, mugs and cards you can add.", kb) == []
