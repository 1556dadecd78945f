"""Customers chasing promises: "nobody called me back", "still no refund"."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.ingest import Transcript
from consistency.promises import chases_in, find_chases

# fmt: off
CHASES = [
    # (customer turn, kind, the chase as quoted)
    ("nobody called me back", "callback", "nobody called me back"),
    ("Hi, nobody called me back yesterday.", "callback", "nobody called me back"),
    ("I was promised a call", "callback", "I was promised a call"),
    ("hi i was promised a call back yesterday", "callback", "i was promised a call back"),
    ("Nobody's been in touch.", "callback", "Nobody's been in touch"),
    ("you said you'd call me back", "callback", "you said you'd call me back"),
    ("i still haven't had a call back", "callback", "i still haven't had a call back"),
    ("Still no refund!", "refund", "Still no refund"),
    ("i still havent received my refund", "refund", "i still havent received my refund"),
    ("My refund hasn't come through yet.", "refund", "My refund hasn't come"),
    ("still waiting for my refund", "refund", "still waiting for my refund"),
    ("I never got the email", "email_or_letter", "I never got the email"),
    ("i never got the email with the form", "email_or_letter", "i never got the email"),
    ("The letter never arrived.", "email_or_letter", "The letter never arrived"),
    ("i'm still waiting for the returns label", "email_or_letter", "still waiting for the returns label"),
    ("the engineer didn't turn up", "visit", "the engineer didn't turn up"),
    ("The engineer never showed up.", "visit", "The engineer never showed up"),
    ("nobody turned up on wednesday", "visit", "nobody turned up"),
    ("I haven't heard anything from the complaints team", "escalation", "I haven't heard anything from the complaints team"),
    ("still waiting to hear back about my complaint", "escalation", "still waiting to hear"),
    ("you said you'd sort it out and nothing's happened", "other", "you said you'd sort it out"),
]

NOT_CHASES = [
    "when will i get my refund",                # asking, not chasing
    "I sent my return back last week, where's my money?",
    "can you call me back tomorrow",
    "my order never arrived",                   # a delivery problem, no promise
    "thanks for calling me back",
    "i got the email thanks",
    "the engineer came yesterday and fixed it",
    "how long do refunds take",
]
# fmt: on


@pytest.mark.parametrize(("text", "kind", "quoted"), CHASES)
def test_chases(text, kind, quoted):
    found = find_chases(text, 3)
    assert found, text
    first = found[0]
    assert (first.kind, first.text) == (kind, quoted)
    assert text[first.span[0] : first.span[1]] == first.text
    assert first.turn == 3
    assert {c.kind for c in found} == {kind}


@pytest.mark.parametrize("text", NOT_CHASES)
def test_not_chases(text):
    assert find_chases(text) == []


def test_two_chases_in_one_turn():
    found = find_chases("the engineer never showed up and i waited in all day")
    assert [(c.kind, c.pattern) for c in found] == [
        ("visit", "engineer-no-show"),
        ("visit", "waited-in"),
    ]


def test_chases_in_reads_only_customer_turns():
    t = Transcript.model_validate(
        {
            "id": "chat-9",
            "started_at": "2026-04-01T09:00:00Z",
            "customer_id": "c9",
            "agent_id": "a9",
            "turns": [
                {"speaker": "agent", "text": "Sorry nobody called you back."},
                {"speaker": "customer", "text": "Yes, nobody called me back and still no refund."},
            ],
        }
    )
    found = chases_in(t)
    assert [(c.kind, c.turn, c.transcript_id, c.customer_id) for c in found] == [
        ("callback", 1, "chat-9", "c9"),
        ("refund", 1, "chat-9", "c9"),
    ]


WORDS = ["nobody", "called", "me", "back", "still", "no", "refund", "never", "got", "the",
         "email", "engineer", "didn't", "turn", "up", "haven't", "heard", "i", "was", "promised",
         "a", "call", "you", "said", "you'd", "waiting", "for", "my", ",", "."]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), st.lists(st.sampled_from(WORDS)).map(" ".join)))
def test_never_raises_and_spans_index_the_text(text):
    found = find_chases(text)
    for c in found:
        assert c.text and text[c.span[0] : c.span[1]] == c.text
    spans = [c.span for c in found]
    assert spans == sorted(spans)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))  # no overlaps
