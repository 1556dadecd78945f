"""Faithful answers the claim checks misread on companies the team never wrote for
(invented sentences, one per reading), each beside the conflict the same check still
catches."""

from __future__ import annotations

from consistency.compare import compare_answer
from consistency.compare.members import member_conflicts
from consistency.compare.ruled_out import ruled_out_conflicts
from consistency.compare.sequence import sequence_conflicts
from consistency.compare.slots import slot_conflicts
from consistency.compare.widened import widened
from consistency.facts.condition import attach_qualifiers
from consistency.facts.count import EXTRACTOR as COUNTS
from consistency.facts.pipeline import facts_for


def _kinds(answer: str, kb: str) -> list[str]:
    return [c.kind for c in compare_answer(answer, kb, entry_id="e").conflicts]


def test_even_if_after_a_requirement_makes_it_stricter() -> None:
    kb = "Children under 10 must swim with an adult aged 18 or over."
    stricter = "Children under 10 must swim with an adult aged 18 or over, even if they can swim."
    assert "condition" not in _kinds(stricter, kb)
    wider = "Children under 10 can swim alone, even if they're new to swimming."
    assert "condition" in _kinds(wider, "Children under 10 can only swim with an adult.")


def test_everyone_for_the_kbs_each_passenger() -> None:
    kb = "If your train is delayed by more than 2 hours, we give each passenger a £5 voucher."
    answer = "As the delay's over two hours, everyone gets a £5 voucher."
    assert "condition" not in _kinds(answer, kb)


def test_the_answers_own_case_is_not_the_ruled_out_one() -> None:
    kb = "Any trailer over 2 metres wide must be booked by phone rather than online."
    assert ruled_out_conflicts("As you're under 2 metres wide you can book online.", kb) == []
    assert [c.kind for c in ruled_out_conflicts("You can book your trailer online.", kb)] == [
        "categorical"
    ]


def test_a_list_the_kb_denies_too_is_no_rule_out() -> None:
    kb = "Knives, scissors and other blades are never allowed in the hall."
    answer = "sorry but no knives scissors and other blades are never allowed in the hall at all"
    assert [c for c in member_conflicts(answer, kb) if c.kind == "list"] == []


def test_a_new_case_ends_a_denials_reach_in_speech() -> None:
    kb = (
        "You can't go back to your locker until the session ends. If you need something "
        "urgently, such as an inhaler or glasses, ask at reception and staff will fetch it."
    )
    answer = (
        "no sorry you can't go back to the lockers until the session ends if you need "
        "something urgently like an inhaler just ask at reception and staff will fetch it"
    )
    assert [c for c in member_conflicts(answer, kb) if c.kind == "list"] == []


def test_an_age_range_after_all_names_the_kbs_audience() -> None:
    kb = "Children aged 4 to 12 pay half the adult entry price."
    answer = "Your 7-year-old pays half the adult entry price, as all children from 4 to 12 do."
    assert [c for c in member_conflicts(answer, kb) if c.kind == "scope"] == []


def test_a_member_said_in_another_form_of_the_kbs_is_no_other() -> None:
    kb = "Click and collect to any of our stores is free on orders of £20 or more."
    answer = "Collection is free, as your £64 order is over £20."
    assert [c for c in member_conflicts(answer, kb) if c.kind in ("list", "categorical")] == []


def test_examples_after_any_reason_are_not_its_scope() -> None:
    kb = (
        "If we cancel your trip, you can rebook or take a refund, whatever the reason for "
        "the cancellation, including bad weather."
    )
    answer = (
        "If we cancel your trip for any reason including weather, you can rebook or take a refund."
    )
    from consistency.compare.members import _sentences

    assert all(widened(answer, a, kb, _sentences(kb)) is None for a in _sentences(answer))


def test_one_of_our_stores_is_which_not_how_many() -> None:
    assert COUNTS.extract("Collect from one of our stores.") == []
    assert [f.value for f in COUNTS.extract("Collect from 12 of our stores.")] == [12]
    assert [f.value for f in COUNTS.extract("If more than one of our stores has it")] == [1]


def test_a_clock_time_is_no_step_of_an_order() -> None:
    kb = "Order by 9pm and it arrives the next day; orders placed after 9pm on a Saturday arrive on Monday."
    assert sequence_conflicts("As long as you place it before 9pm, it comes tomorrow.", kb) == []


def test_a_word_said_after_the_slot_is_not_in_it() -> None:
    kb = "If you've forgotten your PIN, reset it from the app's login screen."
    answer = "so if it's your pin you can reset it from the login screen otherwise just call us"
    assert slot_conflicts(answer, kb) == []
    swapped = "If you've forgotten your PIN, reset it from the bank's help desk."
    assert [c.kind for c in slot_conflicts(swapped, kb)] == ["categorical"]


def test_the_usual_rate_said_another_way_is_the_same_slot() -> None:
    kb = "Extra hours are charged at the standard hourly rate and added to your invoice."
    answer = "Extra hours are charged at the normal hourly rate and added to your invoice."
    assert slot_conflicts(answer, kb) == []


def test_a_condition_of_the_second_verb_stays_with_it() -> None:
    text = "Engraved orders are sent within 4 working days and can't be returned unless faulty."
    facts = attach_qualifiers(text, facts_for(text))
    durations = [f for f in facts if f.kind == "duration"]
    assert durations and all(not f.qualifiers for f in durations)
    joined = "Engraved orders are sent within 4 working days unless faulty."
    assert any(
        f.qualifiers for f in attach_qualifiers(joined, facts_for(joined)) if f.kind == "duration"
    )


def test_thats_all_in_your_fees_closes_no_list() -> None:
    kb = "Our fees include breakfast, lunch, snacks, nappies, wipes, sun cream and all everyday activities."
    answer = "That's all in your fees - breakfast, lunch and snacks, plus nappies, wipes and sun cream too."
    assert "list" not in _kinds(answer, kb)
    closed = "Breakfast, lunch and snacks are included, and that's it."
    assert "list" in _kinds(closed, kb)


def test_a_team_named_by_its_own_words_is_a_member_not_a_kind() -> None:
    kb = "Before you apply, complete a budget check with a free money advice service."
    swapped = "Before you apply, complete a budget check with our Customer Care team."
    assert [c.kind for c in slot_conflicts(swapped, kb)] == ["categorical"]
    # a kind said plainly is still no other member: "the card you paid with"
    kb = "We refund the fare at the desk straight away, back to your original payment method."
    same = "We refund the fare at the desk straight away, back to the card or method you paid with."
    assert slot_conflicts(same, kb) == []
