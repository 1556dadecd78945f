"""Categorical values, list membership and scope."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.compare import compare_answer
from consistency.compare.members import member_conflicts, register_category
from tests.timing import per_char

PAY = "You can pay by Direct Debit, debit or credit card, or PayPal in the app."
COLLECT = "You can collect your parcel from a store, a parcel locker or a Post Office near you."
REFUND = "Refunds for cancelled orders go back to the original card you paid with."
ESIM = "eSIM is available on all plans at no extra cost."


@pytest.mark.parametrize(
    ("answer", "kb", "kind"),
    [
        ("You can pay by cash or PayPal in the app.", PAY, "list"),
        (
            "Lockers aren't an option, but you can collect your parcel from a store.",
            COLLECT,
            "list",
        ),
        ("For cancelled orders we'll give you the refund as store credit.", REFUND, "categorical"),
        ("eSIM is only available on our top plans.", ESIM, "scope"),
        # a KB sentence that opens with its condition still names its members
        (
            "We'll send you a letter and try to take the payment again 5 working days later.",
            "If a direct debit fails, we try to take the payment again 5 working days later "
            "and send you an email.",
            "categorical",
        ),
        # colours, parties, what happens to an item, a message by another means
        (
            "Once you're connected the light turns solid blue.",
            "The light on the front turns solid white once you're connected.",
            "categorical",
        ),
        (
            "Unclaimed items are kept for 30 days and then they're thrown away.",
            "Lost property is kept for 30 days and then donated to charity.",
            "categorical",
        ),
        (
            "Fill in the lost property form and we'll send you a text if it turns up.",
            "Fill in the lost property form and we'll email you if it turns up.",
            "categorical",
        ),
        # a gift card is no kind of the card the refund goes back to
        ("We'll put the refund on a gift card for cancelled orders.", REFUND, "categorical"),
        # a place said as where you go, and a letter said as "we'll write to you"
        (
            "You'll need to pop into reception to change your bank details.",
            "To change your bank details, update them in the app.",
            "categorical",
        ),
        (
            "If a payment fails we'll send you a text message and try again 14 days later.",
            "If a payment fails we'll write to you and try again 14 days later.",
            "categorical",
        ),
    ],
)
def test_another_member_or_scope_is_a_conflict(answer: str, kb: str, kind: str) -> None:
    conflicts = member_conflicts(answer, kb, entry_id="e")
    assert [c.kind for c in conflicts] == [kind]
    c = conflicts[0]
    assert answer[c.answer_span[0] : c.answer_span[1]].lower() in c.answer_value.lower()
    assert kb[c.kb_span[0] : c.kb_span[1]] == c.kb_text
    assert c.explanation.startswith('The KB (e) says "')


@pytest.mark.parametrize(
    ("answer", "kb"),
    [
        ("Pay by card or PayPal, whichever you like.", PAY),  # "card" for "debit or credit card"
        ("Pop into a store or a Post Office and collect it.", COLLECT),  # fewer, none ruled out
        ("It goes back on the card you paid with.", REFUND),
        (
            "You can post the phone to us and we'll fix it.",
            "Send your phone to us by post for repair.",
        ),
        ("eSIM is free on every plan.", ESIM),
        # named anywhere in the entry, more or less specifically: not another member
        (
            "Once it's approved it goes back onto the card you paid with.",
            "Refunds go back to the card or account you paid with. Any part paid with an NHS "
            "voucher is never refunded to you.",
        ),
        # one channel said several ways: calling is by phone, an address is the website
        (
            "You can book by calling 0808 157 0420 or through our website.",
            "You can book a survey by phone on 0808 157 0420 or online at example.co.uk/survey.",
        ),
        (
            "You can email complaints or use the form on our website.",
            "Complaints can be made through the form at example.co.uk/complaints, by email to "
            "complaints@example.co.uk, or by letter.",
        ),
        (
            "You can cancel in the app, on our website or at reception.",
            "You can cancel in the Kestrel app or at example.co.uk/cancel, or in person at "
            "reception.",
        ),
        # the KB says it both ways: all plans on one term, only one plan on another
        (
            "If you need it shorter, Street 40 is the only standard package with a rolling option.",
            "Every standard package comes on a 24-month contract. A rolling contract is only "
            "offered on Street 40.",
        ),
        # a negation inside the condition rules no option out
        (
            "If we can't sort the speed out, you can leave.",
            "If your speed drops below your Minimum Guaranteed Speed, tell us and we'll try to "
            "fix it. If we can't fix it, you can leave.",
        ),
        # "always" ranges over time: it is not a scope that "only" narrows
        (
            "Refunds can only go back to the card used to buy the ticket.",
            "Refunds always go back to the card used to buy the ticket.",
        ),
    ],
)
def test_the_same_members_in_other_words_are_not_conflicts(answer: str, kb: str) -> None:
    assert member_conflicts(answer, kb) == []


def test_a_registered_category_is_used() -> None:
    assert member_conflicts("We sell pears here.", "We sell apples here.") == []
    register_category("test-fruit", {"apples", "pears"})
    assert [c.kind for c in member_conflicts("We sell pears here.", "We sell apples here.")] == [
        "categorical"
    ]


def test_compare_answer_reports_a_list_conflict() -> None:
    result = compare_answer("You can pay by cash or PayPal in the app.", PAY)
    assert result.status == "contradiction"
    assert "list" in {c.kind for c in result.conflicts}


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300), st.text(max_size=300))
def test_never_crashes_and_spans_index_the_answer(answer: str, kb: str) -> None:
    for c in member_conflicts(answer, kb):
        assert 0 <= c.answer_span[0] <= c.answer_span[1] <= len(answer)
        assert kb[c.kb_span[0] : c.kb_span[1]] == c.kb_text


def test_an_idiom_is_not_a_member_ruled_out() -> None:
    kb = "You can pay by Direct Debit, debit or credit card, or PayPal."
    assert member_conflicts("no problem so you can pay by direct debit card or paypal", kb) == []


def test_member_conflicts_are_linear_in_the_answer() -> None:
    kb = "You can pay by Direct Debit, debit or credit card, or PayPal."

    def rate(n: int) -> float:
        answer = "you can pay by card or paypal and we don't take cash " * n
        return per_char(lambda text: member_conflicts(text, kb), answer)

    rate(5)
    assert rate(2000) < rate(100) * 4


PAYMENTS = (
    "In the app you can pay by debit or credit card, Apple Pay, Google Pay or PayPal. "
    "We don't accept American Express."
)


def test_the_last_option_after_or_is_a_member_and_can_be_ruled_out() -> None:
    a = "No, in the app we take debit and credit cards, Apple Pay and Google Pay, but not PayPal."
    conflicts = member_conflicts(a, PAYMENTS)
    assert [(c.kind, c.answer_value) for c in conflicts] == [("list", "not PayPal")]


def test_a_member_denied_after_it_is_ruled_out() -> None:
    kb = "You can apply if you're employed, self-employed or retired."
    c = member_conflicts("Unfortunately retired customers can't apply.", kb)
    assert [(x.kind, x.answer_value) for x in c] == [("list", "not retired")]


@pytest.mark.parametrize(
    ("answer", "kb"),
    [
        # a choice of one over another rules neither out
        (
            "As it's within 30 days you can choose a full refund rather than a repair.",
            "Within 30 days you can have a refund. After that we'll repair, replace or refund it.",
        ),
        # a charge denied is no option denied
        (
            "You can make part or full early repayments, and there's no early repayment fee.",
            "You can pay off your loan early, in part or in full, and there's no early repayment fee.",
        ),
        # an answer particle negates nothing
        (
            "No - home batteries are zero-rated for VAT, same as panels and heat pumps.",
            "Solar panels, batteries and heat pumps are zero-rated for VAT.",
        ),
        # in speech a negation ends where a new clause starts
        (
            "no park homes aren't covered it's for houses bungalows and flats",
            "The grant covers houses, bungalows and flats. Park homes can't get it.",
        ),
    ],
)
def test_negations_that_rule_no_option_out(answer: str, kb: str) -> None:
    assert member_conflicts(answer, kb) == []


def test_a_card_number_is_no_card_and_a_verb_ends_a_list_option() -> None:
    a = "You can use any debit or credit card, Apple Pay or PayPal. There's no card number to type."
    assert member_conflicts(a, PAYMENTS) == []
    kb = "Normal wear, fading or pilling aren't covered by the guarantee."
    assert member_conflicts("At 30 months this isn't covered by the guarantee.", kb) == []


def test_only_about_is_no_narrower_scope() -> None:
    kb = "You can claim whatever caused the delay. All that counts is how late you arrived."
    a = "The cause doesn't matter. It's only about how late you arrived."
    assert [c for c in member_conflicts(a, kb) if c.kind == "scope"] == []


def test_a_message_by_another_means_is_another_member() -> None:
    kb = "We email you at least 30 days before your price changes, or send a letter if we have no email."
    a = "We'll send you a text message at least 30 days before your price changes."
    c = member_conflicts(a, kb)
    assert [(x.kind, x.answer_value) for x in c] == [("list", "text message")]
    assert member_conflicts("We'll email you 30 days before your price changes.", kb) == []


def test_spoken_negation_ends_at_a_new_subject() -> None:
    """Unpunctuated speech: "can't take a new claim they can answer questions" rules out no
    option of the KB's list."""
    kb = (
        "Our chat team can answer questions, make changes and cancel a policy, but can't take "
        "a new claim."
    )
    answer = "no sorry the chat team can't take a new claim they can answer questions make changes"
    assert member_conflicts(answer, kb) == []


BOOKINGS = "Tables can be booked online or in the app. We don't take table bookings by phone."
SHOP = "Our shop takes card and contactless payments only, not cash."


@pytest.mark.parametrize(
    "answer",
    [
        "Yes, you can book a table over the phone or in the app.",
        "Sure, I can take the booking by phone right now.",
    ],
)
def test_a_way_the_kb_rules_out_offered_is_a_polarity_conflict(answer: str) -> None:
    conflicts = member_conflicts(answer, BOOKINGS, entry_id="e")
    assert [c.kind for c in conflicts] == ["polarity"]
    assert "phone" in conflicts[0].answer_value
    assert "by phone" in conflicts[0].kb_text


@pytest.mark.parametrize(
    ("answer", "kb"),
    [
        # the answer denies it too, or only mentions the way without offering it
        ("No, we can't take bookings over the phone, book online.", BOOKINGS),
        ("Phone lines are busy today, so booking online is quickest.", BOOKINGS),
        # what the KB denies is the charge, not the way ("no charge for paying by card")
        (
            "Yes, you can pay by credit card and there's no fee for it.",
            "We don't accept cheques or cash, and there's no extra charge for paying by credit card.",
        ),
        # the negation ends at the colon: "in the app" is where to ask, not ruled out
        (
            "Sure, you can ask for the code in the app.",
            "We don't charge for unlocking older phones: request a code in the app.",
        ),
        # a gift card is not the card the KB says it can't refund to
        (
            "Yes, the gift card part goes onto a new gift card.",
            "We can't refund to a different card.",
        ),
    ],
)
def test_no_way_ruled_out(answer: str, kb: str) -> None:
    assert [c for c in member_conflicts(answer, kb, entry_id="e") if c.kind == "polarity"] == []


def test_a_way_ruled_out_is_read_in_the_shops_own_words() -> None:
    conflicts = member_conflicts("Yes, they only take cash at the till.", SHOP, entry_id="e")
    assert [(c.kind, c.answer_value) for c in conflicts] == [("polarity", "cash")]


def test_a_universal_word_with_its_own_audience_is_no_widening() -> None:
    kb = "Posted bills cost £2 a month. Posted bills are free for customers aged 70 or over."
    answer = "Posted bills are free for anyone aged 70 or over."
    assert [c for c in member_conflicts(answer, kb) if c.kind == "scope"] == []
    # "anyone" alone still widens the KB's audience
    (c,) = [
        c for c in member_conflicts("Posted bills are free for anyone.", kb) if c.kind == "scope"
    ]
    assert c.answer_value == "anyone"


# invented: lenses sent by tracked post
LENSES = (
    "After your fitting we send a 3-month supply every 3 months by tracked post, free of "
    "charge. You can have them delivered to your home or to your branch."
)


def test_the_question_says_what_a_one_sentence_reply_is_about() -> None:
    answer = "They come by courier rather than through the post, free of charge."
    # the reply alone shares no word with the KB's sentence but the member's ...
    assert member_conflicts(answer, LENSES) == []
    # ... the question it answers does: "sent"
    (c,) = member_conflicts(answer, LENSES, question="How are my lenses sent out?")
    assert (c.kind, c.answer_value, c.kb_value) == ("categorical", "courier", "tracked post")


def test_a_preamble_does_not_take_the_questions_words() -> None:
    kb = "You get 10% off your broadband every month. The discount starts from your next bill."
    answer = "I can see two lines on your account. Your broadband is 10% cheaper each month."
    question = "Do I get a discount for having mobile and broadband?"
    assert member_conflicts(answer, kb, question=question) == []


def test_a_greeting_in_a_longer_reply_does_not_take_the_questions_words() -> None:
    kb = "Unlimited costs £35 a month on a 12-month plan, and we'll text you before it renews."
    question = "Is there a cheaper plan with unlimited calls? Thanks, Zara"
    answer = "Hi Zara, thanks for your email. Essentials is £12.99 a month with unlimited calls."
    assert [c for c in member_conflicts(answer, kb, question=question)] == []


def test_a_rate_and_a_relative_clause_said_again_are_no_scope() -> None:
    kb = "Members earn 10 points for every £1 spent on stays booked directly with us."
    a = "Points are only earned on stays booked directly with us, 10 points per £1."
    assert [c for c in member_conflicts(a, kb) if c.kind == "scope"] == []
    kb = "You can register at any BrightSmile practice that has space, wherever you live."
    a = "Any of our practices with space can take you, wherever you live."
    assert [c for c in member_conflicts(a, kb) if c.kind == "scope"] == []
