"""Segmentation of chat and speech-recognised (ASR) conversations into exchanges."""

from __future__ import annotations

import pytest

from consistency.ingest import Transcript, Turn, is_question, is_social, segment


def _transcript(*turns: tuple[str, str], channel: str = "voice") -> Transcript:
    return Transcript(
        id="call-1",
        started_at="2026-03-02T10:00:00Z",
        channel=channel,
        agent_id="a1",
        customer_id="c1",
        turns=tuple(Turn(speaker=s, text=t) for s, t in turns),  # type: ignore[arg-type]
    )


A, C = "agent", "customer"

ASR = _transcript(
    (A, "thank you for calling northwind my name is sam how can i help you today"),
    (C, "hi yeah um i bought a jacket last week and i want to send it back how long do i have"),
    (A, "sure can i have your order number please"),
    (C, "yeah it's four five six seven"),
    (A, "thanks so you have thirty days from delivery to return it"),
    (C, "great and do you charge for return shipping"),
    (A, "let me check that for you"),
    (A, "one moment please"),
    (A, "okay returns are free with the prepaid label"),
    (C, "ok thanks that's all"),
    (A, "you're welcome have a great day bye"),
)

CHAT = _transcript(
    (C, "Hi!"),
    (C, "I ordered a lamp yesterday."),
    (C, "Can I still cancel it?"),
    (A, "Hello! Thanks for reaching out."),
    (A, "Thanks for waiting. Yes, you can cancel within 24 hours of ordering."),
    (C, "Great, thanks"),
    (C, "Also, do you price match?"),
    (A, "Let me check."),
    (C, "And when does the sale end?"),
    (A, "We don't price match, sorry. The sale ends Sunday."),
    (A, "Is there anything else I can help with?"),
    (C, "No that's all, bye"),
    channel="chat",
)


def test_asr_conversation() -> None:
    exchanges = segment(ASR)
    assert [(e.question_turns, e.answer_turns) for e in exchanges] == [
        ((1,), (2, 4)),
        ((5,), (8,)),
    ]
    first = exchanges[0]
    assert first.question.endswith("how long do i have")
    assert first.answer == (
        "sure can i have your order number please "
        "thanks so you have thirty days from delivery to return it"
    )
    assert first.answer_offsets == (0, 41)
    assert (first.transcript_id, first.agent_id, first.customer_id, first.channel) == (
        "call-1",
        "a1",
        "c1",
        "voice",
    )
    assert first.started_at == ASR.started_at
    assert exchanges[1].answer == "okay returns are free with the prepaid label"


def test_chat_conversation() -> None:
    exchanges = segment(CHAT)
    assert [(e.question_turns, e.answer_turns) for e in exchanges] == [
        ((1, 2), (4,)),
        ((6, 8), (9,)),
    ]
    # the greeting sentence is dropped from the question; the greeting turn from the answer
    assert exchanges[0].question == "I ordered a lamp yesterday. Can I still cancel it?"
    # a fact turn after a greeting is kept whole, so spans map back exactly
    assert exchanges[0].answer == CHAT.turns[4].text
    assert exchanges[1].question == "Also, do you price match? And when does the sale end?"


def test_locate_maps_answer_offsets_back_to_turns() -> None:
    first = segment(ASR)[0]
    offset = first.answer.index("thirty")
    turn, within = first.locate(offset)
    assert turn == 4
    assert ASR.turns[turn].text[within:].startswith("thirty days")


def test_opening_statement_without_a_cue_starts_an_exchange() -> None:
    transcript = _transcript(
        (A, "hello this is jo how can i help"),
        (C, "my parcel still hasn't shown up"),
        (A, "i'm sorry about that it was shipped on monday and should arrive by friday"),
        (C, "ok"),
        (A, "anything else"),
    )
    (exchange,) = segment(transcript)
    assert exchange.question_turns == (1,)
    assert exchange.answer_turns == (2,)


def test_no_exchange_without_question_or_answer() -> None:
    assert segment(_transcript((A, "thanks for calling how can i help"), (C, "hi"))) == []
    assert segment(_transcript((C, "how much is shipping"), (A, "please hold"))) == []
    assert segment(_transcript()) == []


def test_agent_yes_or_no_is_an_answer() -> None:
    (exchange,) = segment(_transcript((C, "can i return sale items"), (A, "no")))
    assert exchange.answer == "no"


# fmt: off
SOCIAL = [
    ("thank you for calling acme outfitters my name is sam how can i help you today", True),
    ("please hold", True),
    ("one moment please", True),
    ("let me check that for you", True),
    ("thanks for holding", True),
    ("Is there anything else I can help you with today?", True),
    ("you're welcome bye", True),
    ("Have a great day!", True),
    ("this is sam how can i help", True),
    ("thank you for holding so the fee is five dollars", False),
    ("this is covered by the warranty", False),
    ("thanks for calling we do not price match", False),
    ("no", False),
    ("sure can i have your order number please", False),
]
QUESTIONS = [
    ("how long do i have to return it", True),
    ("what about exchanges", True),
    ("do you price match", True),
    ("is it free", True),
    ("i need to change my address", True),
    ("i want to cancel my order", True),
    ("can i pay with paypal", True),
    ("Is there a fee?", True),
    ("I was told thirty days last time", True),
    ("My order number is 123. Where is it?", True),
    ("ok thanks", False),
    ("yes", False),
    ("yeah it's four five six seven", False),
    ("thanks that's all i needed", False),
    ("sorry what was that", False),
    ("can you repeat that", False),
    ("hi good morning", False),
    ("great and are returns free", True),
    ("they are fine thanks", False),
    ("and um while i've got you is delivery free", True),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), SOCIAL)
def test_is_social(text: str, expected: bool) -> None:
    assert is_social(text) is expected


@pytest.mark.parametrize(("text", "expected"), QUESTIONS)
def test_is_question(text: str, expected: bool) -> None:
    assert is_question(text) is expected


@pytest.mark.parametrize(
    "text",
    [
        "Hello, I have a few questions",
        "Hi there, quick question",
        "oh hi um yeah i was hoping you could help me",
        "hiya i'm just ringing about my account",
        "sorry it's a bit noisy i'm on the bus",
    ],
)
def test_a_preamble_is_not_the_question(text: str) -> None:
    """What callers say before the question states no topic: it must not become an
    exchange (clusters of them were reported as KB gaps)."""
    transcript = _transcript(
        (A, "thanks for calling how can i help"),
        (C, text),
        (A, "of course, go ahead"),
        (C, "how long do refunds take"),
        (A, "refunds take five working days"),
    )
    (exchange,) = segment(transcript)
    assert exchange.question == "how long do refunds take"


def test_a_preamble_with_the_question_keeps_the_question() -> None:
    text = "Hi there, quick question I work from home and need a static IP"
    assert not is_social(text, speaker="customer")
    assert is_question(text)


def test_the_reply_to_an_identity_check_is_not_the_reason_for_the_call() -> None:
    transcript = _transcript(
        (A, "Hi, you're chatting with Ravi. Can I take your name and postcode first?"),
        (C, "Joe Khan, G12 8QQ"),
        (A, "Thanks Joe, that's all verified. What can I do for you?"),
        (C, "what are your store hours"),
        (A, "Stores open 9am to 6pm Monday to Saturday."),
    )
    (exchange,) = segment(transcript)
    assert exchange.question == "what are your store hours"
    assert exchange.question_turns == (3,)
