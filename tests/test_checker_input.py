"""The Python API refuses text UTF-8 cannot encode with a clear ValueError, up front."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.model


@pytest.mark.parametrize(
    ("question", "answer", "field"),
    [
        ("How long do I have to return an item?", "You have 14 days \ud800.", "answer"),
        ("How long \ud800 do I have to return an item?", "You have 14 days.", "question"),
    ],
)
def test_check_refuses_a_lone_surrogate(checker, question: str, answer: str, field: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=rf"^{field}: character \d+ is a lone surrogate"):
        checker.check(question, answer)
    with pytest.raises(ValueError, match=rf"^{field}: .*lone surrogate"):
        checker.check_many([("how much is delivery?", "£4.49"), (question, answer)])


def test_good_text_still_checks(checker) -> None:  # type: ignore[no-untyped-def]
    verdict = checker.check("How long do I have to return an item?", "You have 14 days. 🙂")
    assert verdict.status == "contradiction"
