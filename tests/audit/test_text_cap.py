"""The audit reads at most MAX_TEXT_CHARS of each turn and of each exchange's answer."""

from __future__ import annotations

import datetime as dt

from consistency.audit.analyse import capped, promise_batch, segment_batch
from consistency.facts import MAX_TEXT_CHARS
from consistency.ingest import Transcript, Turn

LONG = "I'll call you back tomorrow and the refund takes 14 days. " * 400  # 23,200 chars


def _transcript(*turns: tuple[str, str]) -> Transcript:
    return Transcript(
        id="t1",
        started_at=dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC),
        customer_id="c1",
        turns=tuple(Turn(speaker=s, text=t) for s, t in turns),  # type: ignore[arg-type]
    )


def test_turns_are_cut_to_a_prefix_and_short_transcripts_kept_as_they_are() -> None:
    short = _transcript(("customer", "How long to return?"), ("agent", "28 days."))
    assert capped(short) is short
    long = _transcript(("customer", "How long to return?"), ("agent", LONG))
    cut = capped(long).turns[1].text
    assert len(cut) <= MAX_TEXT_CHARS and LONG.startswith(cut) and LONG[len(cut)].isspace()


def test_exchanges_and_promises_read_no_more_than_the_cap() -> None:
    many = [("agent", LONG[:8_000]) for _ in range(4)]  # each turn under the cap, joined over it
    transcript = _transcript(("customer", "Can you call me back?"), *many, ("agent", LONG))
    ((_, exchange),) = segment_batch([transcript])
    assert len(exchange.answer) <= MAX_TEXT_CHARS
    assert len(exchange.answer_turns) == len(exchange.answer_offsets) == 2
    assert exchange.answer.startswith(LONG[:8_000])
    promises = promise_batch([transcript])
    last_turn = [p for p in promises if p.turn == 5]
    assert last_turn and max(p.span[1] for p in last_turn) <= MAX_TEXT_CHARS
