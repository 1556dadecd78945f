"""The customer's own figures, days left out, spoken addresses and values tied to a clause."""

from __future__ import annotations

import pytest

from consistency.compare.answer import compare_answer

RETURN = "Anytime returns: the return half is valid for one calendar month."


def test_the_customers_figure_beside_the_agents_own_is_not_a_claim() -> None:
    q = "coming back in about 3 weeks, is that ok?"
    a = "Yes, the return half is valid for a calendar month, so three weeks is fine."
    assert compare_answer(a, RETURN, question=q).status == "consistent"
    q = "I'm back at 5pm, can I use an off-peak?"
    kb = "Off-Peak tickets are not valid on trains leaving Leeds between 16:00 and 18:30."
    a = "No, Off-Peak tickets aren't valid leaving Leeds between 16:00 and 18:30, so not at 5pm."
    assert compare_answer(a, kb, question=q).status == "consistent"


def test_a_wrong_value_beside_the_customers_is_still_caught() -> None:
    q = "coming back about 3 weeks after I go, is that ok"
    a = "The return half is valid for 14 days, so three weeks would be too long."
    c = compare_answer(a, RETURN, question=q)
    assert [(x.answer_value, x.kb_value) for x in c.conflicts] == [("14 days", "1 month")]


def test_confirming_the_customers_wrong_premise_is_caught() -> None:
    kb = "If you used more than one company, one claim covers the whole journey: 1 claim."
    q = "do I need to make two claims?"
    c = compare_answer("Yes, you'd need two claims.", kb, question=q)
    assert c.status == "contradiction"


def test_the_customers_own_number_repeated_is_not_the_companys() -> None:
    kb = "Our Contact Centre is on 0306 999 0181 and is open 07:00 to 22:00 every day."
    q = "Can someone ring me back tomorrow at 8.15am on 07700 900412?"
    a = "I've booked a call-back for 8.15am tomorrow on 07700 900412. We open at 07:00."
    assert compare_answer(a, kb, question=q).status == "consistent"
    # the customer offering a number as the company's, confirmed: still the agent's claim
    q = "Is your number 0306 999 0182?"
    assert compare_answer("Yes, that's 0306 999 0182.", kb, question=q).status == "contradiction"


def test_a_sum_worked_out_from_the_customers_with_the_kbs_discount() -> None:
    kb = "Children under 5 travel free. Children aged 5 to 15 get 50% off adult fares."
    q = "Adult off-peak is £42, what would my 9 year old pay?"
    a = "Children aged 5 to 15 get 50% off adult fares, so that would be £21."
    assert compare_answer(a, kb, question=q).status == "consistent"
    assert compare_answer(a.replace("50%", "25%"), kb, question=q).status == "contradiction"


def test_days_left_out_are_not_other_days() -> None:
    kb = "At weekends and on bank holidays you can upgrade on board for £15 per journey."
    assert compare_answer("At weekends it's £15 per journey.", kb).status == "consistent"
    c = compare_answer("On weekdays it's £15 per journey.", kb)
    assert c.status == "contradiction"


def test_a_spoken_address_split_by_the_recogniser_is_the_same() -> None:
    kb = "Claim online at northlinerail.co.uk/delayrepay or in the app."
    said = "go to northline rail dot co dot uk slash delay repay or use the app"
    assert compare_answer(said, kb).status != "contradiction"
    wrong = "go to northline rail dot co dot uk slash refunds or use the app"
    assert compare_answer(wrong, kb).status == "contradiction"
    # written, a longer path is another page
    kb = "You can track it at https://www.voltstream.co.uk/track."
    c = compare_answer("Track it at https://www.voltstream.co.uk/tracking.", kb)
    assert c.status == "contradiction"


def test_a_value_tied_to_another_clauses_figure_disagrees() -> None:
    kb = (
        "If you arrive 15 to 29 minutes late, we pay 25% of the single fare; "
        "for 30 to 59 minutes late, we pay 50% of the single fare."
    )
    c = compare_answer("For 15 to 29 minutes we pay 50% of the single fare.", kb)
    assert [(x.answer_value, x.kb_value) for x in c.conflicts] == [("50%", "25%")]
    ok = "For 15 to 29 minutes it's 25%, and for 30 to 59 minutes 50% of the single fare."
    assert compare_answer(ok, kb).status == "consistent"


def test_a_travel_ticket_is_not_conversation_detail() -> None:
    kb = "The return half of an Anytime ticket is valid for one calendar month."
    c = compare_answer("The return half of an Anytime ticket is valid for 14 days.", kb)
    assert c.status == "contradiction"


def test_a_question_made_from_the_answer_is_no_customers() -> None:
    kb = "Volt Fibre broadband costs £26 a month on an 18-month contract, and setup is free."
    body = "Volt Fibre broadband costs £24 a month on an 18-month contract, and setup is free."
    c = compare_answer(body, kb, question=f"Broadband - price. {body}")
    assert [(x.answer_value, x.kb_value) for x in c.conflicts] == [
        ("£24.00 a month", "£26.00 a month")
    ]


def test_the_answers_own_arithmetic_is_no_claim() -> None:
    prices = "Swim costs £24.50 a month, Gym £29.99 a month and Kestrel Plus £42.00 a month."
    q = "If I go up from Gym to Kestrel Plus how much more a month is that?"
    a = "Gym is £29.99 and Kestrel Plus is £42.00, so it'd be £12.01 a month more."
    assert compare_answer(a, prices, question=q).status == "consistent"
    collect = "We charge £39 per order to collect a return, and it's taken off your refund."
    q = "I'm returning a £349 armchair, what will I get back?"
    a = "There's a £39 collection charge taken off, so you'd get £310 back."
    assert compare_answer(a, collect, question=q).status == "consistent"


def test_a_balance_topped_up_and_a_sum_spread_over_months_are_no_claims() -> None:
    wallet = "When your wallet balance drops below £5, auto top-up adds £20 from your card."
    q = "my wallet is at £4.20 with auto top-up on, what happens?"
    a = "As it's below £5, auto top-up will add £20, taking your wallet to £24.20."
    assert compare_answer(a, wallet, question=q).status == "consistent"
    finance = "Interest-free credit over 12 months needs a 10% deposit, on orders over £399."
    q = "I'm buying a £600 fridge on interest free, what would I pay each month?"
    a = "A 10% deposit of £60, then the remaining £540 over 12 months, so £45 a month."
    assert compare_answer(a, finance, question=q).status == "consistent"
    wrong = "A 10% deposit of £60, then the remaining £540 over 12 months, so £40 a month."
    assert compare_answer(wrong, finance, question=q).status == "contradiction"
    # a wrong price times a count: the total is worked out, the price is still a claim
    app = "Glow Plus costs £2.99 a month."
    q = "I've paid for Glow Plus for 3 months, how much is that?"
    a = "So you've paid three months at £3.49, which is £10.47 altogether."
    assert compare_answer(a, app, question=q).status == "contradiction"


def test_a_wrong_price_that_happens_to_be_a_difference_is_still_caught() -> None:
    # £12.01 is Kestrel Plus less Gym, but it is quoted as a price, not worked out
    prices = "Gym costs £29.99 a month and Kestrel Plus costs £42.00 a month."
    c = compare_answer("Kestrel Plus is £12.01 a month.", prices, question="How much is Plus?")
    assert c.status == "contradiction"


def test_periods_and_prices_worked_out_are_no_claims() -> None:
    check = (
        "You're due a contact lens check every 12 months; deliveries pause after 3 months overdue."
    )
    q = "my last lens check was 14 months ago, will my deliveries stop?"
    a = "You're due a check every 12 months, so you're about 2 months overdue."
    assert compare_answer(a, check, question=q).status != "contradiction"
    app = "Glow Plus costs £2.99 a month."
    q = "I've paid for Glow Plus for 3 months, how much is that?"
    a = "It's £2.99 a month, so over 3 months that comes to £8.97."
    assert compare_answer(a, app, question=q).status == "consistent"


def test_what_the_agent_just_booked_is_no_kb_claim() -> None:
    kb = "Our branches are open 9am to 5:30pm Monday to Saturday, and until 7pm on Thursdays."
    a = "I've booked him in for 2:15pm on the 9th at our Harrogate branch."
    assert compare_answer(a, kb, question="Can I book my husband in?").status != "contradiction"


def test_the_hours_of_the_customers_own_booking_are_not_the_kbs() -> None:
    from consistency.compare import compare_answer

    kb = "Call our glass line on 0808 157 0851, 24 hours a day, to book a repair."
    booked = "Your fitter will be with you on Thursday 14 May between 8am and 12pm."
    assert compare_answer(booked, kb).status != "contradiction"
    referenced = "Booking GL-20931 is confirmed: our fitter arrives between 8am and 12pm."
    assert compare_answer(referenced, kb).status != "contradiction"
    # the same hours said of the line are the KB's claim, and differ
    assert compare_answer("Our glass line is open 8am to 12pm.", kb).status == "contradiction"


def test_the_customers_figure_said_as_the_limit_is_the_policy() -> None:
    kb = (
        "Children under 8 must be in the water with an adult aged 16 or over, and each adult"
        " can bring no more than 2 under-8s. Children under 3 swim free."
    )
    question = "I have 3 kids under 8, can I take them all swimming by myself?"
    said = "Yes, each adult can bring up to 3 children under 8, if you're in the water with them."
    (conflict,) = compare_answer(said, kb, question=question).conflicts
    assert (conflict.answer_value, conflict.kb_value) == ("up to 3 children", "up to 2 under-8s")
    # the customer's figure applied to the policy, not stated as it
    fine = "No, with 3 children you'd need another adult: each adult can bring 2 under-8s."
    assert compare_answer(fine, kb, question=question).status != "contradiction"


def test_a_word_cut_by_the_window_is_no_cue() -> None:
    # "refunding" is not "ref" (a reference number): the count is the policy's, not detail
    kb = "Excess protection refunds your excess up to £500 per claim, for up to two claims a year."
    said = "It covers up to three claims a year, refunding up to £500 each time."
    assert compare_answer(said, kb).status == "contradiction"


def test_the_customers_own_case_stated_is_theirs_even_as_the_only_figure() -> None:
    kb = "If you paid a charge but were entitled to free treatment, claim it back within 3 months."
    q = "I paid £75.30 on 20 January but I was pregnant so it should've been free."
    a = "You have 3 months from paying to claim your £75.30 back."
    assert compare_answer(a, kb, question=q).status == "consistent"
    # a figure put to the agent to confirm is still the agent's claim when confirmed
    kb = "Delivery costs £4.99."
    for q in ("Is delivery £3.99?", "I was told delivery is £3.99."):
        assert compare_answer("Yes, delivery is £3.99.", kb, question=q).status == "contradiction"


def test_a_worked_example_of_the_kbs_rate_is_no_claim() -> None:
    kb = "Every 1,000 points is worth £5 off the room cost."
    q = "I've got 3,450 points, how much can I take off?"
    a = "Every 1,000 points is worth £5, so you could use 3,000 points for £15 off the room."
    assert compare_answer(a, kb, question=q).status == "consistent"
    # two figures in separate clauses are two claims: the rate said wrong is caught
    a = "Each 1,000 points is worth £10 off, and you can redeem once you have 2,000 points."
    assert compare_answer(a, kb).status == "contradiction"


def test_a_figure_said_beside_a_price_is_not_the_case_the_price_is_for() -> None:
    """ "£60 with the first 100 miles included" ties no price to the mileage clause."""
    kb = (
        "You can hire a minibus for £40 for a half day or £60 for a full day. The first 100 "
        "miles are included, then it's 25p for each extra mile."
    )
    a = "A full day is £60 with the first 100 miles included, then 25p a mile."
    assert compare_answer(a, kb).conflicts == ()
    (c,) = compare_answer("For the first 100 miles it's £40, then 25p a mile.", kb).conflicts
    assert c.kind == "money"


def test_a_price_times_a_number_said_in_the_sentence_is_the_answers_arithmetic() -> None:
    kb = "Locker hire costs £3 a visit, or £10 a month. Lockers are free for Gold members."
    q = "I come 8 times a month, which is cheaper?"
    a = "At £3 a visit, 8 visits costs you £24 a month, so the £10 monthly hire is cheaper."
    assert compare_answer(a, kb, question=q).conflicts == ()
    a = "It's 12 x £10, so £120 for the year if you pay monthly."
    assert compare_answer(a, kb, question="What's a year of monthly hire?").conflicts == ()
    # the price itself said wrongly is still a conflict, whatever follows from it
    (c,) = compare_answer("At £4 a visit, 8 visits costs you £32.", kb, question=q).conflicts
    assert c.kind == "money" and c.answer_value == "£4.00"


@pytest.mark.parametrize(
    ("answer", "kb"),
    [
        # "every 3 months" says how often, not how many: £1,500 is no £500 x 3
        (
            "The top-up is capped at £500 every 3 months per child, or £1,500 for a disabled child.",
            "The top-up is capped at £500 every 3 months per child, or £1,000 for a disabled child.",
        ),
        # "twenty pounds" is an amount, not twenty things at "a pound"
        (
            "once you're under a pound you can use twenty pounds of emergency credit",
            "Once your balance falls below £1, you can use £10 of emergency credit.",
        ),
    ],
)
def test_a_product_needs_a_number_of_things(answer: str, kb: str) -> None:
    (c,) = compare_answer(answer, kb, question="How does it work?").conflicts
    assert c.kind == "money"
