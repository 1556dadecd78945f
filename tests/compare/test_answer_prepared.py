"""compare_answer(prepared=): facts extracted ahead give the same comparison, and only for their text."""

from __future__ import annotations

import datetime as dt

from consistency.compare.answer import answer_facts, compare_answer

CANONICAL = "You can return items within 30 days of delivery. Standard delivery costs £3.99."


def test_prepared_facts_give_the_same_comparison() -> None:
    answer = "you've got fourteen days to send it back and delivery is £3.99"
    fresh = compare_answer(answer, CANONICAL, entry_id="returns")
    ahead = compare_answer(answer, CANONICAL, entry_id="returns", prepared=answer_facts(answer))
    assert ahead == fresh
    assert fresh.status == "contradiction"


def test_prepared_facts_of_another_text_or_date_are_not_used() -> None:
    answer = "you have 30 days to return it"
    other = answer_facts("you have 14 days to return it")
    assert compare_answer(answer, CANONICAL, prepared=other) == compare_answer(answer, CANONICAL)
    day = dt.date(2026, 1, 5)
    undated = answer_facts(answer)
    assert compare_answer(answer, CANONICAL, reference=day, prepared=undated) == compare_answer(
        answer, CANONICAL, reference=day
    )
    assert compare_answer(answer, CANONICAL).status == "consistent"
