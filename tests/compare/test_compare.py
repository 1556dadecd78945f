"""Answer-vs-KB comparison: agreement across forms, conflicts with spans, no false alarms."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.compare import (
    compare_answer,
    compare_facts,
    explain,
    facts_for,
    relation,
)
from consistency.models import Fact

RETURNS = "You can return most items within 30 days of delivery for a full refund."
RETURNS_IF = (
    "You can return most items within 30 days of delivery for a full refund, as long as they "
    "are unused and in their original packaging."
)
POSTAGE = (
    "Returns are free for Volt Plus members. Everyone else pays £2.99 for a prepaid returns "
    "label, which we take off your refund."
)
STANDARD = (
    "Standard delivery costs £3.99 and takes 3 to 5 working days. It's free on orders over £50."
)
PLUS_PRICE = "Volt Plus costs £59 a year or £5.99 a month."
LOCKED = "After 5 incorrect password attempts your account is locked for 1 hour to keep it safe."


# fmt: off
CONSISTENT = [
    (RETURNS, "You can send items back within 30 days of delivery for a full refund."),
    (RETURNS, "yeah so um you've got thirty days from delivery to send it back"),
    (RETURNS, "you have a month from delivery to return it"),
    (STANDARD, "standard delivery is three ninety nine and takes three to five working days"),
    (STANDARD, "It'll be with you within 5 working days and standard delivery is £3.99."),
    (STANDARD, "standard delivery is GBP 3.99, and it's free if you spend over fifty pounds"),
    (PLUS_PRICE, "it's fifty nine pounds a year or five ninety nine a month"),
    (PLUS_PRICE, "it's £5.99 a month"),
    (LOCKED, "after five wrong attempts you're locked out for sixty minutes"),
]
CONTRADICTION = [
    # canonical, answer, kind, answer text, kb text
    (RETURNS, "you've got fourteen days to send it back", "duration", "fourteen days", "30 days"),
    (RETURNS, "You have 60 days from delivery to return it.", "duration", "60 days", "30 days"),
    (STANDARD, "standard delivery costs £4.99 and takes 3 to 5 working days", "money", "£4.99", "£3.99"),
    (STANDARD, "standard delivery takes 3 to 5 days", "duration", "3 to 5 days", "3 to 5 working days"),
    (STANDARD, "standard delivery takes 7 working days", "duration", "7 working days", "3 to 5 working days"),
    (STANDARD, "it's £3.99, free on orders over forty pounds", "money", "forty pounds", "£50"),
    (PLUS_PRICE, "Volt Plus costs £49 a year or £5.99 a month", "money", "£49", "£59"),
    (LOCKED, "after 3 incorrect password attempts it's locked for an hour", "count",
     "3 incorrect password attempts", "5 incorrect password attempts"),
    (LOCKED, "after five attempts you're locked out for 30 minutes", "duration", "30 minutes", "1 hour"),
]
EXTRA_DETAIL = [
    (RETURNS, "Sure, your order 48213 arrived 3 days ago so you can still return it within "
              "30 days. I'll call you back in 10 minutes."),
    (RETURNS, "Thanks for calling! Your order number is 77812. You have 30 days to return it."),
    (STANDARD, "standard delivery is £3.99. You placed the order on 3 March, reference 5521."),
]
# fmt: on


@pytest.mark.parametrize(("canonical", "answer"), CONSISTENT)
def test_equal_facts_in_other_forms_are_consistent(canonical: str, answer: str) -> None:
    result = compare_answer(answer, canonical, entry_id="e")
    assert result.status == "consistent", result
    assert result.supported
    assert not result.conflicts


@pytest.mark.parametrize(("canonical", "answer", "kind", "a_text", "k_text"), CONTRADICTION)
def test_changed_value_is_a_contradiction_with_spans(
    canonical: str, answer: str, kind: str, a_text: str, k_text: str
) -> None:
    result = compare_answer(answer, canonical, entry_id="e")
    assert result.status == "contradiction", result
    (conflict,) = [c for c in result.conflicts if c.kind == kind]
    assert conflict.answer_span is not None and conflict.kb_span is not None
    assert answer[slice(*conflict.answer_span)] == conflict.answer_text == a_text
    assert canonical[slice(*conflict.kb_span)] == conflict.kb_text == k_text
    assert conflict.entry_id == "e"
    assert conflict.answer_value in conflict.explanation
    assert conflict.kb_value in conflict.explanation


@pytest.mark.parametrize(("canonical", "answer"), EXTRA_DETAIL)
def test_extra_detail_is_not_a_conflict(canonical: str, answer: str) -> None:
    result = compare_answer(answer, canonical, entry_id="e")
    assert result.status == "consistent", result
    assert result.unverified_facts


@pytest.mark.parametrize(
    ("canonical", "answer"),
    [
        (RETURNS_IF, "you've got thirty days as long as it's unused and in the original box"),
        (POSTAGE, "returns are free if you're a volt plus member, otherwise it's two ninety nine"),
    ],
)
def test_kept_condition_is_consistent(canonical: str, answer: str) -> None:
    assert compare_answer(answer, canonical).status == "consistent"


@pytest.mark.parametrize(
    ("canonical", "answer", "kb_text"),
    [
        (RETURNS_IF, "you can send it back within 30 days", "as long as they are unused"),
        (POSTAGE, "returns are free", "Volt Plus members"),
    ],
)
def test_dropped_condition_is_its_own_conflict(canonical: str, answer: str, kb_text: str) -> None:
    result = compare_answer(answer, canonical, entry_id="e")
    assert result.status == "contradiction"
    conflict = next(c for c in result.conflicts if c.kind == "condition")
    assert conflict.answer_span is None
    assert kb_text in conflict.kb_text
    assert canonical[slice(*conflict.kb_span)] == conflict.kb_text
    assert "without that condition" in conflict.explanation


def test_widened_scope_is_a_condition_conflict() -> None:
    answer = "you can return anything within 30 days, no questions asked"
    result = compare_answer(answer, RETURNS, entry_id="e")
    (conflict,) = result.conflicts
    assert (conflict.kind, conflict.answer_text) == ("condition", "anything")
    assert answer[slice(*conflict.answer_span)] == "anything"


def test_polarity_flip_is_a_contradiction() -> None:
    canonical = "We do not deliver to PO boxes or BFPO addresses."
    assert compare_answer("yes we deliver to PO boxes", canonical).status == "contradiction"
    assert compare_answer("sorry we can't deliver to PO boxes", canonical).status == "consistent"


def test_working_days_are_not_calendar_days() -> None:
    result = compare_answer("refunds take 14 days", "refunds take 14 working days")
    assert result.status == "contradiction"
    assert (result.conflicts[0].answer_value, result.conflicts[0].kb_value) == (
        "14 days",
        "14 working days",
    )


def test_nothing_stated_is_unverified_with_reason() -> None:
    result = compare_answer("hello thanks for calling, how can I help?", RETURNS)
    assert result.status == "unverified"
    assert "30 days" in result.reason
    assert result.missing


def test_explain_reads_as_one_sentence() -> None:
    result = compare_answer("you've got 14 days", RETURNS, entry_id="returns-window")
    assert explain(result.conflicts) == (
        "The KB says 30 days (returns-window); the answer says 14 days."
    )


def _fact(kind: str, value: str, unit: str, upper: str | None = None, **kw: object) -> Fact:
    return Fact(kind=kind, value=Decimal(value), unit=unit, span=(0, 1), text="x",
                upper=Decimal(upper) if upper else None, **kw)  # fmt: skip


@pytest.mark.parametrize(
    ("answer", "kb", "expected"),
    [
        (_fact("duration", "48", "hour"), _fact("duration", "2", "day"), "same"),
        (_fact("duration", "14", "day"), _fact("duration", "14", "business_day"), "differ"),
        (
            _fact("duration", "5", "business_day"),
            _fact("duration", "3", "business_day", "5"),
            "same",
        ),
        (
            _fact("duration", "4", "business_day"),
            _fact("duration", "3", "business_day", "5"),
            "same",
        ),
        (
            _fact("duration", "7", "business_day"),
            _fact("duration", "3", "business_day", "5"),
            "differ",
        ),
        (
            _fact("duration", "3", "business_day", modifier="up_to"),
            _fact("duration", "3", "business_day", "5"),
            "differ",
        ),
        (_fact("duration", "1", "month"), _fact("duration", "30", "day"), "same"),
        (_fact("duration", "24", "month"), _fact("duration", "24", "month"), "same"),
        (_fact("money", "5", "GBP"), _fact("money", "5.00", "GBP"), "same"),
        (_fact("money", "5", "GBP"), _fact("money", "5", "EUR"), "differ"),
        (
            _fact("money", "59", "GBP", subject="per_month"),
            _fact("money", "59", "GBP", subject="per_year"),
            "differ",
        ),
        (
            _fact("money", "5.99", "GBP", subject="per_month"),
            _fact("money", "59", "GBP", subject="per_year"),
            "incomparable",
        ),
        (
            _fact("percent", "0", "percent", subject="APR"),
            _fact("percent", "0", "percent", subject="discount"),
            "incomparable",
        ),
        (_fact("count", "3", "sim"), _fact("count", "3", "sim card", modifier="up_to"), "same"),
    ],
)
def test_relation(answer: Fact, kb: Fact, expected: str) -> None:
    assert relation(answer, kb) == expected


def test_compare_facts_between_answers() -> None:
    a_text = "you have 14 days to return it"
    b_text = "you've got thirty days to send it back"
    pairs = compare_facts(facts_for(a_text), facts_for(b_text), a_text=a_text, b_text=b_text)
    assert [(x.text, y.text) for x, y in pairs] == [("14 days", "thirty days")]
    assert compare_facts(facts_for(a_text), facts_for(a_text)) == []


_SENTENCES = st.sampled_from([RETURNS, STANDARD, PLUS_PRICE, LOCKED])


@settings(max_examples=60, deadline=None)
@given(canonical=_SENTENCES)
def test_an_answer_always_agrees_with_itself(canonical: str) -> None:
    result = compare_answer(canonical, canonical)
    assert result.status == "consistent"
    assert not result.conflicts
    facts = facts_for(canonical)
    assert compare_facts(facts, facts, a_text=canonical, b_text=canonical) == []


@settings(max_examples=100, deadline=None)
@given(answer=st.text(max_size=200), canonical=_SENTENCES)
def test_never_raises_and_spans_slice(answer: str, canonical: str) -> None:
    result = compare_answer(answer, canonical)
    for c in result.conflicts:
        if c.answer_span is not None:
            assert answer[slice(*c.answer_span)] == c.answer_text
        if c.kb_span is not None:
            assert canonical[slice(*c.kb_span)] == c.kb_text
    for f in (*result.supported, *result.unverified_facts):
        assert answer[slice(*f.span)] == f.text


def test_a_zero_rate_against_a_positive_one_is_a_contradiction() -> None:
    kb = "Spread the cost over 12, 24 or 36 months at 0% APR, subject to a credit check."
    wrong = compare_answer("Device Plans are 19.9% APR over 12, 24 or 36 months.", kb)
    assert wrong.status == "contradiction"
    assert [c.kind for c in wrong.conflicts] == ["percent"]
    assert compare_answer("It's interest free: 0% APR over 24 months.", kb).status == "consistent"


def test_widening_words_outside_the_claim_are_not_a_wider_scope() -> None:
    kb = "If a Direct Debit fails, we'll try to collect it again 5 days later."
    answer = (
        "We'll try to take the payment again 5 days later. I've added a note to your "
        "account so anyone you speak to can see what we discussed."
    )
    assert compare_answer(answer, kb).status == "consistent"
    widened = compare_answer("Anyone gets it collected again 5 days later, whatever happened.", kb)
    assert widened.status == "contradiction"


def test_without_paying_a_fee_is_a_negated_charge() -> None:
    kb = "If we can't fix it within 30 days, you can leave without paying an early termination fee."
    same = compare_answer("you're free to leave with no early termination fee after 30 days", kb)
    assert same.status == "consistent"
    opposite = compare_answer(
        "you can leave after 30 days but the early termination fee applies", kb
    )
    assert opposite.status != "consistent"


def test_a_condition_said_in_other_words_is_not_dropped() -> None:
    kb = (
        "Paper bills cost £1.50 a month. They're free for customers aged 75 or over and "
        "for customers on our accessibility register."
    )
    reworded = "it's £1.50 a month, though it's free if you're 75 or over or on our accessibility register."
    assert compare_answer(reworded, kb).status == "consistent"
    dropped = compare_answer("Paper bills are free.", kb)
    assert dropped.status == "contradiction"
    assert dropped.conflicts[0].kind == "condition"


@pytest.mark.parametrize(
    ("answer", "kb"),
    [
        ("That £340 cheque will clear tomorrow.", "You can pay in cheques of up to £5,000 each."),
        ("Your £42,000 payment goes by CHAPS.", "To send more than £25,000 in one go, use CHAPS."),
        ("At £6 a week it's cleared in three years.", "Payment plans start from £5 a week."),
    ],
)
def test_the_customers_amount_inside_a_kb_bound_is_not_a_conflict(answer: str, kb: str) -> None:
    assert compare_answer(answer, kb).status != "contradiction"


def test_another_bound_or_a_value_outside_it_still_differs() -> None:
    kb = "You can pay in cheques of up to £5,000 each in the app."
    assert (
        compare_answer("You can pay in cheques of up to £1,000 each.", kb).status == "contradiction"
    )
    assert compare_answer("The app takes cheques of £8,000 each.", kb).status == "contradiction"


def test_anyone_with_a_restriction_after_it_does_not_widen() -> None:
    kb = "Paper bills cost £1.50 a month. They're free for customers aged 75 or over."
    answer = "Posted bills are £1.50 a month, free for anyone aged 75 or over."
    assert compare_answer(answer, kb).status == "consistent"


@pytest.mark.parametrize(
    "answer",
    [
        "On Sundays most stores open 10am to 4pm.",
        "Stores open 10am to 4pm on Sundays.",
    ],
)
def test_sunday_hours_said_apart_agree_with_the_kb(answer: str) -> None:
    kb = "Most stores are open 9am to 6pm Monday to Saturday and 10am to 4pm on Sunday."
    assert compare_answer(answer, kb).status == "consistent"
    assert compare_answer("Stores open 10am to 5pm on Sundays.", kb).status == "contradiction"


def test_a_year_said_in_months_is_the_same_condition() -> None:
    kb = "Students get 10% off any plan for the first 12 months."
    assert (
        compare_answer("You get 10% off any plan for your first year.", kb).status == "consistent"
    )
    other = compare_answer("You get 10% off any plan for your first two years.", kb)
    assert other.status == "contradiction"


# invented: an audience said as "customers" and the words after it that say which
RECEIPT_PAY = (
    "If you pay on receipt of bill, we send a bill every quarter. Unit rates for customers "
    "who pay this way are 6% higher than for Direct Debit customers."
)
OVER_60 = "The scan costs £20. It is free for customers aged 60 or over."


def test_an_audience_that_points_back_or_that_the_customer_names_is_not_dropped() -> None:
    # "customers who pay this way" is the entry's own topic; "Direct Debit" is the customer's
    answer = "Unit rates for paying on receipt of bill are 6% higher."
    question = "My Direct Debit rate is 6p. What if I paid on receipt of bill?"
    assert compare_answer(answer, RECEIPT_PAY, question=question).status == "consistent"


def test_an_audience_is_present_only_with_all_its_narrowing_words() -> None:
    assert compare_answer("As you're aged 60 or over, the scan is free.", OVER_60).status == (
        "consistent"
    )
    # "over" alone is not "aged 60 or over"
    dropped = compare_answer("The scan is free over the summer.", OVER_60)
    assert [c.kind for c in dropped.conflicts] == ["condition"]


def test_a_time_said_without_its_half_of_the_day_is_the_kbs() -> None:
    kb = "Each practice stays open until 7:30pm on one weekday evening."
    a = "each one stays open till half seven one evening a week"
    assert compare_answer(a, kb).status == "consistent"
    assert compare_answer("each one stays open till half eight", kb).status == "contradiction"
    kb = "We open at 8am."
    assert compare_answer("We open at 8 in the evening.", kb).status == "contradiction"


def test_a_count_of_things_is_no_rate() -> None:
    kb = "Children are seen at least once a year."
    a = "It's normal for two people to have different intervals."
    assert compare_answer(a, kb).conflicts == ()
