"""Scope-widening words in a hypothetical or under a negation are not a wider scope.

Found by the canned-response sample: "If anything goes wrong, just reply" and "don't
share your password with anyone" were flagged as changed conditions.
"""

from __future__ import annotations

import pytest

from consistency.compare import compare_answer

KB = "Plus members get free next-day delivery on orders over £20."


@pytest.mark.parametrize(
    "answer",
    [
        "Plus members get free next-day delivery on orders over £20. If anything goes wrong, just reply.",
        "Plus members get free next-day delivery on orders over £20, in case anyone asks.",
        "Plus members get free next-day delivery on orders over £20; don't share your login with anyone.",
    ],
)
def test_not_a_wider_scope(answer: str) -> None:
    result = compare_answer(answer, KB, entry_id="plus-delivery")
    assert [c.kind for c in result.conflicts] == []
    assert result.status == "consistent"


def test_a_real_widening_is_still_caught() -> None:
    result = compare_answer(
        "Anyone gets free next-day delivery on orders over £20.", KB, entry_id="plus-delivery"
    )
    assert [c.kind for c in result.conflicts] == ["condition"]
