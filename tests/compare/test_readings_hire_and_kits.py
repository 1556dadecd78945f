"""Readings found on two companies the team never wrote for (a van hire firm and a meal-kit
subscription): invented sentences, one per reading, each beside the conflict the same check
still catches."""

from __future__ import annotations

from consistency.compare import compare_answer
from consistency.compare.claims import until_met
from consistency.compare.slots import slot_conflicts
from consistency.facts.polarity import PolarityExtractor, stem
from tests.timing import per_char


def _kinds(answer: str, kb: str, question: str | None = None) -> list[str]:
    return [c.kind for c in compare_answer(answer, kb, entry_id="e", question=question).conflicts]


def test_and_the_like_closes_a_list_of_examples() -> None:
    kb = (
        "If it needs more than a quick clean we charge £30, rising to £90 for a deep clean, "
        "for example for sand, spills or soiling."
    )
    said = (
        "If it needs more than a quick clean there's a £30 charge, and a deep clean - for "
        "spills, sand and the like - is £90."
    )
    assert "list" not in _kinds(said, kb)
    assert "list" in _kinds("A deep clean is £90, for sand, spills, soiling or a broken seat.", kb)


def test_no_need_answers_the_question() -> None:
    read = PolarityExtractor().extract
    assert [f.value for f in read("No need - every booking includes a second driver.")] == [True]
    assert [f.value for f in read("No need to book a second driver.")] == [False]


def test_a_denied_second_verb_is_its_own_claim() -> None:
    kb = (
        "New members get 20% off. The welcome credit is applied automatically when you sign up "
        "for a new account and can't be added to an existing account."
    )
    said = "Welcome! It's applied automatically when you sign up for a new account."
    assert _kinds(said, kb) == []
    assert "polarity" in _kinds("The welcome credit can be added to an existing account.", kb)
    # the denied verb keeps the subject it shares: "[spare vouchers] aren't refunded"
    spare = "Spare vouchers don't carry over and aren't refunded."
    assert "polarity" in _kinds("Any spare vouchers are refunded at the end of the term.", spare)


def test_a_condition_goes_on_after_or() -> None:
    kb = (
        "If you disagree with our decision, or we haven't replied within 6 weeks, you can ask "
        "the Hire Ombudsman to look at it for free."
    )
    assert [f.text for f in PolarityExtractor().extract(kb) if not f.value] == [
        "you can ask the Hire Ombudsman to look at it for free"
    ]


def test_a_member_the_kb_sets_apart_is_ruled_out_on_both_sides() -> None:
    kb = (
        "A few staples are never included in the box: salt, pepper, sugar and butter. Each "
        "recipe card lists which of these you'll need."
    )
    said = (
        "Butter is one of the staples we don't include, along with salt, pepper and sugar. "
        "Each recipe card says which you need."
    )
    assert "list" not in _kinds(said, kb)
    holidays = (
        "We open as normal on bank holidays except Good Friday, Easter Sunday and Christmas "
        "Day, when classes move to the next day."
    )
    said = (
        "We open as normal on bank holidays, May Day included. The only days we don't open "
        "are Good Friday, Easter Sunday and Christmas Day."
    )
    assert "list" not in _kinds(said, holidays)
    offered = "You can collect from the depot, a locker or the front desk."
    assert _kinds("You can't collect from a locker.", offered) != []


def test_not_until_says_when() -> None:
    kb = "With Pay Later bookings, the hire is paid when you pick up the keys."
    said = "On Pay Later you don't pay a penny until you pick up the keys."
    assert "polarity" not in _kinds(said, kb)
    assert "polarity" in _kinds("On Pay Later you don't pay for the hire.", kb)


def test_a_name_with_at_is_no_slot() -> None:
    kb = (
        "Book Ahead rates are 5% cheaper. Book Ahead bookings are paid in full when you book, "
        "while Pay at Desk bookings are paid when you collect."
    )
    said = "Book Ahead is 5% cheaper, but you pay the full amount at the time of booking."
    assert "categorical" not in _kinds(said, kb)


def test_all_of_our_is_the_kbs_every() -> None:
    kb = (
        "Every van in our fleet meets Euro 6 standards, so you won't pay a daily clean air "
        "charge anywhere in the UK."
    )
    said = (
        "No, all of our vans meet Euro 6 standards, so there's no daily charge to pay in Leeds "
        "or anywhere else in the UK."
    )
    assert "condition" not in _kinds(said, kb)


def test_most_of_a_named_set_the_kb_counts_whole() -> None:
    kb = "All our Transit vans have a roof rack rated to 75 kg."
    assert "scope" in _kinds("Most of our Transit vans have a roof rack rated to 75 kg.", kb)
    assert "scope" not in _kinds("Our Transit vans all have a roof rack rated to 75 kg.", kb)
    plans = "All Family plans include a dessert, and most plans include a side."
    assert "scope" not in _kinds("Most plans include a side.", plans)


def test_any_of_our_against_the_kbs_only() -> None:
    kb = "Learner drivers can hire small cars and city cars only, with a full licence holder."
    said = "Learner drivers can hire any of our vehicles, with a full licence holder."
    assert "scope" in _kinds(said, kb)
    assert "scope" not in _kinds(
        "Learner drivers can hire small cars, with a full licence holder.", kb
    )


def test_another_material_or_object_in_the_same_slot() -> None:
    made = "The cool bags are made from recycled denim and can be reused for picnics."
    assert "categorical" in _kinds(
        "They're made from bamboo fibre and can be reused for picnics.", made
    )
    assert _kinds("They're made from recycled denim, so reuse them for picnics.", made) == []
    pack = "Our Ski Pack is £40 per hire and includes the snow chains and a roof box."
    said = "The Ski Pack costs £40 per hire and includes a ski rack and a roof box."
    assert "categorical" in _kinds(said, pack)
    assert "categorical" not in _kinds(
        "The Ski Pack costs £40 per hire and includes snow chains and a roof box.", pack
    )


def test_a_limit_said_in_the_next_sentence() -> None:
    kb = (
        "You can add a child seat to a car hire for £8 per day, at booking or at pick-up. "
        "It can't be added once you've left the branch."
    )
    said = "Yes, you can add a child seat for £8 a day at any point during the hire."
    assert "condition" in _kinds(said, kb)


def test_a_limit_in_hours_before() -> None:
    kb = "You can change your table or time free of charge up to 48 hours before your booking."
    said = "Yes, changes to your table or time are free at any time, even on the day."
    assert "condition" in _kinds(said, kb)
    assert _kinds("Changes to your table or time are free up to 48 hours before.", kb) == []


def test_they_speaks_of_the_sentence_before() -> None:
    kb = "Gift boxes are sent with your weekly order. They can't be ordered on their own."
    assert "polarity" in _kinds("Yes, gift boxes can be ordered on their own.", kb)


def test_a_time_said_both_ways_is_no_condition() -> None:
    kb = "Your lessons restart automatically after the break, and we text you the week before."
    said = "You'll need to restart your lessons yourself once the break ends."
    assert "polarity" in _kinds(said, kb)


def test_a_verbs_object_said_shorter_or_as_an_idiom_is_no_other_member() -> None:
    kb = "Every new client needs a health assessment before the first session with a trainer."
    assert (
        _kinds(
            "Every new client needs a health assess before the first session with a trainer.", kb
        )
        == []
    )
    cert = (
        "A landlord needs an Energy Performance Certificate before the home can be let to tenants."
    )
    assert (
        slot_conflicts("A landlord needs an EPC before the home can be let to tenants.", cert) == []
    )
    allergy = (
        "If you have a severe allergy, please speak to the manager before you order at the bar."
    )
    said = "If you have a word with the manager before you order at the bar, they can help with any allergy."
    assert "categorical" not in _kinds(said, allergy)
    # the slot itself: the object of "needs", said another way, is another member
    (c,) = slot_conflicts(
        "Every new client needs a doctor's note before the first session with a trainer.", kb
    )
    assert (c.answer_value, c.kb_value) == ("a doctor's note", "a health assessment")


def test_a_requirement_said_of_the_sentence_before() -> None:
    kb = (
        "Guide dogs ride free of charge in the cab with their owner. You must tell us when "
        "you book so we can plan the route."
    )
    said = "Yes, guide dogs ride free of charge in the cab with their owner, and you don't need to tell us in advance."
    assert {"condition", "polarity"} & set(_kinds(said, kb))
    assert (
        _kinds("Guide dogs ride free of charge in the cab; just tell us when you book.", kb) == []
    )


def test_an_amount_added_to_a_list_of_amounts() -> None:
    assert stem("£100") != stem("£10") and stem("1000") != stem("100")
    kb = "You can buy a gift card for £15, £30 or £60 in the app."
    assert "list" in _kinds("You can buy a gift card for £15, £30, £60 or £150 in the app.", kb)
    assert "list" not in _kinds("You can buy a gift card for £15, £30 or £60.", kb)


def test_an_option_whose_own_thing_is_new() -> None:
    kb = "To add a named rider, give us their name and email address, and they'll get a welcome text on their mobile phone."
    said = "To add a named rider, give us their name, email address and mobile number."
    assert "list" in _kinds(said, kb)
    assert "list" not in _kinds("To add a named rider, give us their name and email.", kb)


def test_a_group_with_digits_is_no_number_beside_an_option() -> None:
    kb = "Reduced fares are for under-18s, full-time students and people aged 65 or over."
    said = "Reduced fares are for under-18s, full-time students, over-65s and carers."
    assert "list" in _kinds(said, kb)


def test_free_ends_the_last_option() -> None:
    kb = "You can change the date, the room or the tutor free of charge up to 48 hours before."
    said = "You can change the date, the room, the tutor or the venue free of charge up to 48 hours before."
    assert "list" in _kinds(said, kb)


def test_all_against_a_group_the_kb_names() -> None:
    kb = "Gold Club members get a summary of last month's rides by email on the 2nd of each month."
    said = (
        "All account holders get a summary of last month's rides by email on the 2nd of each month."
    )
    assert "scope" in _kinds(said, kb)
    assert "scope" not in _kinds(
        "Gold Club members get a summary of last month's rides by email.", kb
    )
    tagged = "Meals tagged Little Ones are mild, with any chilli packed on the side."
    assert "scope" in _kinds(
        "All of our meals are mild, with any chilli packed on the side.", tagged
    )


def test_every_one_includes_against_an_optional_extra() -> None:
    kb = "Every booking includes 24-hour UK roadside cover; call 0808 157 0999 if you break down."
    said = "Roadside cover is an optional extra you can add; it gives you 24-hour UK help on 0808 157 0999."
    assert "polarity" in _kinds(said, kb)
    assert (
        _kinds("Every booking comes with 24-hour UK roadside cover; call 0808 157 0999.", kb) == []
    )


def test_a_condition_that_names_nothing_is_no_other_case() -> None:
    kb = "After 3 missed classes in a month you can't book for 7 days. The ban lifts automatically, and there's no fee."
    said = "A ban for 3 missed classes lasts 7 days, and once that's over you'll need to call reception to have it lifted."
    assert "polarity" in _kinds(said, kb)


def test_going_first_to_what_the_kb_keeps_for_later() -> None:
    kb = (
        "If you're unhappy with our final response, or we haven't replied within 8 weeks, you "
        "can refer your complaint free of charge to the Rental Ombudsman."
    )
    said = "Yes, you can refer your complaint to the Rental Ombudsman straight away, before we've sent our final response."
    assert "condition" in _kinds(said, kb)
    after = "Once you've had our final response, you can refer your complaint free of charge to the Rental Ombudsman."
    assert _kinds(after, kb) == []


def test_first_and_follow_name_two_steps() -> None:
    kb = "The duvet usually arrives first by courier, and the bed frame follows with our team."
    said = "The bed frame usually arrives first with our team, and the duvet follows by courier."
    assert "ordinal" in _kinds(said, kb)
    assert "ordinal" not in _kinds(
        "The duvet usually comes first by courier and the bed frame follows.", kb
    )


def test_another_place_on_the_same_thing() -> None:
    kb = "Report a broken locker in the app. The locker number is on the label above the handle."
    said = "The locker number is printed on the inside of the door, near the hinge."
    assert "categorical" in _kinds(said, kb)
    assert _kinds("The locker number is on the label above the handle.", kb) == []


def test_a_waived_fee_is_no_fee() -> None:
    kb = "When a friend you refer joins, their admin fee is waived and you get a free week."
    said = "When a friend you refer joins, you get a free week and they won't have to pay an admin fee."
    assert _kinds(said, kb) == []
    assert "polarity" in _kinds(
        "When a friend you refer joins, they pay the admin fee as normal.", kb
    )


def test_all_after_its_noun_counts_nothing() -> None:
    kb = "You can pay by Direct Debit, card or PayPal. We don't take cash."
    assert _kinds("We don't take cash, but Direct Debit, card and PayPal all work.", kb) == []
    gold = "Gold members can pay by Direct Debit, card or PayPal."
    assert "scope" in _kinds("All account holders can pay by Direct Debit, card or PayPal.", gold)


def test_a_slot_ends_at_its_verb_and_a_number_is_no_member() -> None:
    kb = "Bring your order number. The name on the ID must match the name on the order."
    (c,) = slot_conflicts("The name on the card needs to match the name on the order.", kb)
    assert (c.answer_value, c.kb_value) == ("the card", "the ID")
    plan = "Set-up is free on 24-month contracts and on Lifeline."
    assert slot_conflicts("so set-up is free on the twelve month one too", plan) == []


def test_the_new_readings_take_linear_time() -> None:
    kb = "Gold members, silver members and bronze members get a free towel. They can't book until noon."
    unit = "no we don't and no they can't, so all members and teachers or staff get towels "

    def rate(n: int) -> float:
        return per_char(lambda t: compare_answer(t, kb, entry_id="e"), unit * n)

    rate(5)
    assert rate(400) < rate(20) * 4
    assert until_met(unit * 300, "you can pay when you collect") is False


def test_the_customers_clock_worked_through() -> None:
    kb = "If your hire is still open after 24 hours, we call you. We treat it as lost after 72 hours."
    question = "I took the boat out Friday 9am and it's still logged as out, it's Saturday 11am now"
    said = "Thanks. Your hire has been open for 26 hours, so we'd have called you by now."
    assert _kinds(said, kb, question=question) == []
    assert "duration" in _kinds("We call you once a hire has been open for 12 hours.", kb)
    visit = "We aim to be with you within 3 hours of your call, day or night."
    asked = "I called it in at 10:15 this morning, when will someone come?"
    assert (
        _kinds("We aim to be with you within 3 hours, so by about 1:15pm.", visit, question=asked)
        == []
    )


def test_a_bonus_on_the_customers_sum_and_a_time_at_the_kbs_bound() -> None:
    kb = "Top up £20 or £50 in the app. A £50 top-up gets 10% bonus credit."
    said = "A £50 top-up gets 10% bonus credit, so you'd have £55 to spend."
    assert _kinds(said, kb, question="If I top up £50 how much do I get?") == []
    hours = "Kayaks can be hired from 8am to 7pm every day."
    said = "Yes, 6.30pm is before the 7pm cut-off, so you can take one."
    asked = "I finish work at 6.30pm, could I still get a kayak?"
    assert "time" not in _kinds(said, hours, question=asked)
    assert "time" in _kinds("Kayaks can be hired until 9pm.", hours)


def test_any_of_its_kind_and_a_need_denied_in_a_place() -> None:
    kb = "We'll inspect your property within 10 days and fit the alarm within 30 days."
    assert (
        _kinds("We'll inspect your home within 10 days and fit the alarm within 30 days.", kb) == []
    )
    places = "In York and Hull you return the kayak to a pontoon. In Leeds, Selby and Goole you leave it in a marked bay."
    said = "No pontoon needed in Selby; you leave it in a marked bay."
    assert "list" not in _kinds(said, places)


def test_a_head_said_with_part_of_the_kbs_restriction() -> None:
    kb = "Members aged 18 or over can bring up to 2 guests to any class at the pool."
    assert "scope" in _kinds("Any member can bring up to 2 guests to any class at the pool.", kb)
    docks = "Lockers marked with a green key take a padlock. Other lockers use a code."
    assert "scope" in _kinds("Every locker takes a padlock, so bring one along.", docks)


def test_however_short_and_whoever_pays_widen_the_kbs_case() -> None:
    kb = "If we close the pool for planned work lasting more than 2 hours, we'll give you 48 hours' notice."
    said = "For any planned closure, however short, we'll give you 48 hours' notice."
    assert "condition" in _kinds(said, kb)
    deposit = (
        "Members who pay by bank transfer pay a £30 deposit before their first visit. You don't "
        "need a deposit if you pay by card."
    )
    said = "Members pay a £30 deposit before their first visit, whatever payment method they use."
    assert "condition" in _kinds(said, deposit)
