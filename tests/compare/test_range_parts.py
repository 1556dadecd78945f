"""One end of a KB range confirmed does not confirm the other end."""

from __future__ import annotations

import pytest

from consistency.compare import compare_answer

_LOANS = "You can borrow between £3,000 and £25,000 with Sunmere finance."


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        ("You can borrow from £3,000 up to £25,000.", "consistent"),
        ("The most you can borrow is £25,000.", "consistent"),
        ("Yes, £10,000 is fine: you can borrow up to £25,000.", "consistent"),
        ("The minimum you can borrow is £2,000, and it goes up to £25,000.", "contradiction"),
    ],
)
def test_each_end_of_a_range_is_its_own_claim(answer: str, status: str) -> None:
    assert compare_answer(answer, _LOANS).status == status


def test_a_count_per_thing_counts_what_the_sentence_names() -> None:
    kb = "Wi-Fi Boosters cost £4 a month each, and you can have up to three per home."
    said = "You can have up to four boosters in the home at £4 a month each."
    assert compare_answer(said, kb).status == "contradiction"
    assert compare_answer("Up to three boosters, £4 a month each.", kb).status == "consistent"
