"""Promises as agents make them on other companies' words too: bookings already made,
work handed to a team, and refunds that were due."""

from __future__ import annotations

import datetime as dt

import pytest

from consistency.promises.chase import find_chases
from consistency.promises.extract import extract_promises

START = dt.datetime(2026, 5, 4, 11, 20, tzinfo=dt.UTC)  # a Monday


@pytest.mark.parametrize(
    ("text", "kind", "due"),
    [
        ("I've booked an engineer for Thursday between 8 and 1", "visit", "2026-05-07T13:00"),
        ("yes i've booked an engineer for thursday morning between eight and one", "visit",
         "2026-05-07T13:00"),
        ("I'll ask one of the billing team to call you back tomorrow before midday", "callback",
         "2026-05-05T12:00"),
        ("I'll get the team to email you by Friday", "email_or_letter", "2026-05-08T17:30"),
        ("we've arranged a callback for tomorrow afternoon", "callback", "2026-05-05T17:30"),
        ("I've requested a refund and it'll show within 5 working days", "refund",
         "2026-05-11T17:30"),
    ],
)  # fmt: skip
def test_commitments_with_their_due_time(text: str, kind: str, due: str) -> None:
    promises = extract_promises(text, 0, START)
    assert [p.kind for p in promises] == [kind]
    assert promises[0].due is not None
    assert promises[0].due.isoformat().startswith(due)
    assert text[promises[0].span[0] : promises[0].span[1]] == promises[0].text


@pytest.mark.parametrize(
    "text",
    [
        "I've checked your account and everything looks fine.",
        "I've updated your address for you.",
        "You've booked an engineer already, I can see it here.",
        "would you like me to ask the team to call you back?",
    ],
)
def test_what_is_done_or_offered_is_no_promise(text: str) -> None:
    assert extract_promises(text, 0, START) == []


def test_a_refund_said_to_be_missing_is_a_chase() -> None:
    text = (
        "i was told my refund would be in my bank within five working days and it's still not there"
    )
    assert [c.kind for c in find_chases(text)] == ["refund"]
    assert find_chases("when will my refund arrive?") == []
    assert find_chases("the refund is in my account now, thanks") == []
