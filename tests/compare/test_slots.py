"""Another member in the same slot of the KB's sentence."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.compare.answer import compare_answer
from consistency.compare.slots import slot_conflicts

MEET = "At staffed stations, assistance staff meet you at the ticket office 20 minutes before."
BUSES = "When trains are replaced by buses, buses leave from the station forecourt."


def test_another_place_in_the_same_slot_is_categorical() -> None:
    (c,) = slot_conflicts("Staff will meet you at the information desk at staffed stations.", MEET)
    assert (c.kind, c.answer_value, c.kb_value) == (
        "categorical",
        "the information desk",
        "the ticket office",
    )
    assert "instead of" in c.explanation


def test_a_phrase_with_an_address_suffix_is_quoted_whole() -> None:
    kb = "You'll need to verify your student status with a valid .ac.uk email address."
    (c,) = slot_conflicts("You verify your student status with your student ID card.", kb)
    assert c.kb_value == "a valid .ac.uk email address"


def test_the_same_member_in_other_words_is_not() -> None:
    # more or less specific
    assert slot_conflicts("When trains are replaced, buses leave from the forecourt.", BUSES) == []
    # a phrase the KB says elsewhere in the entry
    kb = BUSES + " Tickets are sold at the ticket office."
    assert slot_conflicts("Replacement buses leave from the ticket office.", kb) == []


def test_a_different_statement_is_not_held_against_the_slot() -> None:
    # shares the preposition but not the statement
    assert slot_conflicts("You can leave feedback from the app.", BUSES) == []


def test_a_negated_or_numeric_slot_is_left_alone() -> None:
    assert slot_conflicts("Buses don't leave from the town bus station.", BUSES) == []
    kb = "Staff meet you at Platform 1 at staffed stations when trains are replaced."
    assert slot_conflicts("Staff meet you at Platform 4 at staffed stations.", kb) == []


def test_a_slot_inside_another_slots_phrase_is_read() -> None:
    # "to redeem" would swallow "at a ...": each preposition starts its own slot
    kb = "With a key meter, we send a voucher to redeem at a Corner Shop store."
    (c,) = slot_conflicts("With a key meter we send a voucher to redeem at a Post Office.", kb)
    assert (c.answer_value, c.kb_value) == ("a Post Office", "a Corner Shop store")


@pytest.mark.parametrize(
    ("answer", "kb"),
    [
        # one word in another form: "delivery" is "delivered"
        ("It's 90 nights, counted from your delivery day.",
         "You get 90 nights to try it, counted from the day it's delivered."),
        # a size said another way
        ("Staff meet you at the little kiosk by platform 2.",
         "Staff meet you at the small kiosk by platform 2."),
        # the customer's own card, named by its number
        ("Your £40 goes back to the Visa ending 4417 within 7 days.",
         "We refund your £40 to the card you paid with within 7 days."),
        # a spoken number is the facts' job, not a member
        ("You can pick any date from the first to the twenty eighth of the month.",
         "You can pick any date of the month, and it applies from your next bill."),
    ],
)  # fmt: skip
def test_no_swap_in_other_words_or_the_customers_own(answer: str, kb: str) -> None:
    assert slot_conflicts(answer, kb) == []


def test_a_numbered_member_and_a_pronoun_after_a_phrase() -> None:
    # "the fifth floor" names a floor: a member, not a number only
    kb = "Our quiet lounge is on level two, and you reach it by lift to the third floor."
    (c,) = slot_conflicts("You reach the quiet lounge by lift to the fifth floor.", kb)
    assert (c.answer_value, c.kb_value) == ("the fifth floor", "the third floor")
    # the phrase ends where a new subject starts: "their answer [you can go ...]"
    kb = "If you're unhappy with their response, you can go to the Trade Ombudsman."
    (c,) = slot_conflicts(
        "If you're unhappy with their decision you can go to the Trade Ombudsman.", kb
    )
    assert (c.answer_value, c.kb_value) == ("their decision", "their response")


def test_a_negation_in_an_earlier_clause_denies_no_slot() -> None:
    kb = "If the help you booked isn't given, you can claim the fare from Customer Care."
    (c,) = slot_conflicts("You can claim the fare from the station manager.", kb)
    assert (c.answer_value, c.kb_value) == ("the station manager", "Customer Care")
    # the negation in the slot's own clause still does
    kb = "You can't claim the fare from Customer Care."
    assert slot_conflicts("You can claim the fare from the station manager.", kb) == []


def test_in_a_check_the_slot_conflict_is_reported() -> None:
    c = compare_answer("They leave from the town bus station when trains are replaced.", BUSES)
    assert c.status == "contradiction"
    assert [x.kind for x in c.conflicts] == ["categorical"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab ,.;to the at from")), max_size=300))
def test_slots_never_crash(text: str) -> None:
    assert isinstance(slot_conflicts(text, MEET), list)
    assert isinstance(slot_conflicts(MEET, text), list)


def test_long_text_takes_linear_time() -> None:
    def took(n: int) -> float:
        text = " ".join(f"meet you at the office{i}." for i in range(n))
        t = time.perf_counter()
        slot_conflicts(text, MEET)
        return time.perf_counter() - t

    small, big = took(100), took(800)
    assert big < small * 30  # 8x the text; quadratic would be ~64x


def test_a_member_of_a_general_kind_is_not_another_member() -> None:
    kb = "Refunds go back to the payment method you used, within 5 working days of receipt."
    a = "Refunds go back to the card you paid with, within 5 working days of receipt."
    assert slot_conflicts(a, kb) == []


@pytest.mark.parametrize(
    ("answer", "kb"),
    [
        # the same noun, told apart only by the participle after it
        (
            "We'll need a letter from the solicitor handling the estate.",
            "We'll need a letter from the solicitor dealing with the estate.",
        ),
        # a hyphen, a tense: the same words
        (
            "The emergency credit is taken back from your next top up.",
            "The emergency credit you use is taken back from your next top-up.",
        ),
        (
            "You have 14 days from the day you agreed it to cancel.",
            "You have 14 days from the day you agree your contract to cancel.",
        ),
    ],
)
def test_the_same_phrase_said_another_way_is_not_another_member(answer: str, kb: str) -> None:
    assert slot_conflicts(answer, kb) == []


def test_what_is_said_about_the_phrase_is_not_in_it() -> None:
    kb = "If it arrives late, we automatically refund your delivery charge to your payment card."
    a = "so if it turned up late the delivery charge goes back to your card automatically um"
    assert slot_conflicts(a, kb) == []


def test_a_phrase_after_through_is_a_slot_and_ends_before_a_participle() -> None:
    kb = "You confirm your age through Yoti using the photo on your passport."
    (c,) = slot_conflicts(
        "You confirm your age through AgeCheck using the photo on your passport.", kb
    )
    assert (c.kind, c.answer_value, c.kb_value) == ("categorical", "AgeCheck", "Yoti")


def test_posting_and_sending_name_the_carrier_in_one_place() -> None:
    kb = "We post spare keys to you by Royal Mail Special Delivery for £8 within the UK."
    (c,) = slot_conflicts("We send them by DPD tracked courier for £8 within the UK.", kb)
    assert (c.kind, c.answer_value, c.kb_value) == (
        "categorical",
        "DPD tracked courier",
        "Royal Mail Special Delivery",
    )
    assert slot_conflicts("We send them by Royal Mail Special Delivery for £8.", kb) == []
