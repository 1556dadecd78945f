"""An answer that repeats an entry's rare words is about that entry, whatever its likeness."""

from __future__ import annotations

from consistency import Checker
from consistency.checker import _content, _rare_words
from consistency.choose import Candidate
from consistency.models import Match, MatchComponents


def test_rare_words_are_those_few_answers_use() -> None:
    answers = [f"Our team replies within {n} days about your order." for n in range(40)]
    answers.append("The SignBridge video relay link is on our website.")
    rare = _rare_words(answers)
    assert _content("SignBridge video relay") <= rare[40]
    assert not _content("team replies order") & set().union(*rare)  # in every answer: no evidence
    assert rare[40] == _content("SignBridge video relay link website")


def _candidate(entry_id: str, score: float = 0.3) -> Candidate:
    match = Match(
        entry_id=entry_id,
        score=score,
        matched_question="",
        components=MatchComponents(embedding=score, fuzzy=0.0),
    )
    return Candidate(match, score, score)


def test_an_answer_in_the_entrys_own_words_shares_its_wording(checker: Checker) -> None:
    said = "If you think someone has got into your account, ring the fraud line, open all hours."
    assert checker._shares_wording(said, [_candidate("fraud-line")])
    # the same entry, an answer about something else
    assert not checker._shares_wording("We'll post a new card.", [_candidate("fraud-line")])
