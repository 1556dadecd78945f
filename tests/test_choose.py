"""The answer takes part in choosing the entry and in deciding no_match."""

from __future__ import annotations

import numpy as np
import pytest

from consistency.choose import ChoicePolicy, answer_proposed, rank_candidates
from consistency.models import Match, MatchComponents


def _match(entry: str, score: float, tier: str = "embedding") -> Match:
    return Match(
        entry_id=entry,
        score=score,
        matched_question="q",
        components=MatchComponents(embedding=score, fuzzy=0.0, tier=tier),
    )


def test_the_answer_reorders_close_candidates() -> None:
    answers = np.eye(3, dtype=np.float32)  # canonical answers of entries a, b, c
    position = {"a": 0, "b": 1, "c": 2}
    matches = [_match("a", 0.62), _match("b", 0.60), _match("c", 0.30)]
    ranked = rank_candidates(matches, answers[1], answers, position, ChoicePolicy())
    assert [c.entry_id for c in ranked] == ["b", "a", "c"]
    assert ranked[0].answer_similarity == pytest.approx(1.0)
    assert ranked[0].combined == pytest.approx(0.6 * 0.60 + 0.4 * 1.0)


def test_without_an_answer_vector_the_question_decides() -> None:
    answers = np.eye(2, dtype=np.float32)
    ranked = rank_candidates(
        [_match("a", 1.0, "exact")], None, answers, {"a": 0, "b": 1}, ChoicePolicy()
    )
    assert [(c.entry_id, c.combined, c.answer_similarity) for c in ranked] == [("a", 1.0, None)]


def test_the_answer_proposes_entries_the_question_missed() -> None:
    answers = np.eye(4, dtype=np.float32)  # canonical answers of entries a, b, c, d
    ids = ["a", "b", "c", "d"]
    matches = [_match("a", 0.55), _match("b", 0.50)]
    proposed = answer_proposed(matches, answers[3], answers, ids, ChoicePolicy(), {"d": "q of d"})
    assert [c.entry_id for c in proposed][:1] == ["d"]
    assert all(c.by_answer for c in proposed)
    assert "a" not in [c.entry_id for c in proposed]
    # its question score is unknown: the weakest of the question's candidates stands in
    assert proposed[0].match.score == pytest.approx(0.50)
    assert proposed[0].combined == pytest.approx(0.6 * 0.50 + 0.4 * 1.0)
    assert proposed[0].match.matched_question == "q of d"
    none = answer_proposed(matches, answers[3], answers, ids, ChoicePolicy(answer_proposals=0))
    assert none == []


def test_policy_values_are_checked() -> None:
    with pytest.raises(ValueError, match="answer_weight"):
        ChoicePolicy(answer_weight=1.5)


@pytest.mark.model
def test_a_neighbouring_entry_the_answer_states_is_not_a_contradiction(checker) -> None:
    # "How much is delivery?" is a phrasing of the standard-delivery entry, but this
    # answer states the next-day entry's price and cut-off.
    v = checker.check(
        "how much is delivery?",
        "Next day delivery is £6.99 if you order by 10pm, Sunday to Thursday.",
    )
    assert (v.status, v.entry_id) == ("consistent", "delivery-next-day")
    assert "delivery-standard" in v.choice and "delivery-next-day" in v.choice


@pytest.mark.model
def test_a_wrong_value_of_the_matched_entry_is_still_a_contradiction(checker) -> None:
    v = checker.check("how much is delivery?", "Standard delivery is £5.49.")
    assert (v.status, v.entry_id) == ("contradiction", "delivery-standard")
    v = checker.check(
        "Returns - how long", "you can return items within 14 days of delivery, no receipt needed"
    )
    assert (v.status, v.entry_id) == ("contradiction", "returns-window")


@pytest.mark.model
def test_an_uncovered_question_and_answer_are_no_match(checker) -> None:
    v = checker.check(
        "do you sell concert tickets?",
        "Yes, we sell tickets for most big gigs through our events partner.",
    )
    assert v.status == "no_match"
    assert "answer likeness" in v.explanation
    assert 0.0 < v.confidence < checker.policy.no_match_below


@pytest.mark.model
def test_a_short_answer_does_not_veto_a_sure_question(checker) -> None:
    v = checker.check("how long have I got to send it back?", "14 days.")
    assert v.status == "contradiction"
    assert v.entry_id == "returns-window"


@pytest.mark.model
def test_an_answer_naming_the_entry_is_held_against_it(checker) -> None:
    """'next day' names the next-day entry: that the standard-delivery entry states the
    answer's values (free over £50) does not excuse it."""
    v = checker.check(
        "is next day free", "yeah next day delivery is free on orders over fifty pounds"
    )
    assert (v.status, v.entry_id) == ("contradiction", "delivery-next-day")


def test_the_sure_margin_counts_from_a_floor() -> None:
    policy = ChoicePolicy()
    assert policy.sure_above(0.0) == pytest.approx(policy.sure_floor + policy.sure_margin)
    assert policy.sure_above(0.5) == pytest.approx(0.5 + policy.sure_margin)
    with pytest.raises(ValueError, match="sure_floor"):
        ChoicePolicy(sure_floor=2.0)


@pytest.fixture(scope="module")
def zero_threshold_checker(encoder, sample_kb, tmp_path_factory):
    """A KB whose own phrasings lie far apart fits a threshold of 0 (two study KBs did)."""
    from consistency import Checker

    return Checker(
        sample_kb,
        encoder=encoder,
        cache_dir=tmp_path_factory.mktemp("cache"),
        no_match_threshold=0.0,
    )


@pytest.mark.model
def test_a_threshold_of_zero_does_not_make_every_question_covered(
    zero_threshold_checker,
) -> None:
    v = zero_threshold_checker.check(
        "do you sell concert tickets?",
        "Yes, we sell tickets for most big gigs through our events partner.",
    )
    assert v.status == "no_match"


@pytest.mark.model
def test_an_answer_repeating_an_entrys_figure_keeps_a_vague_question_covered(
    zero_threshold_checker,
) -> None:
    question = "my mate says something about the timing thing"
    v = zero_threshold_checker.check(question, "You've got 28 days from delivery to return it.")
    assert v.entry_id == "returns-window"
    assert v.status != "no_match"
    # the same vague question with an answer that states no figure of any entry is not
    v = zero_threshold_checker.check(question, "Honestly no idea, sorry about that.")
    assert v.status == "no_match"


def test_the_customers_figure_is_explained_by_an_entry_that_reads_it_as_theirs() -> None:
    from consistency.checker import _explains
    from consistency.compare.answer import compare_answer

    q = "I pay £36 a month and I've got 5 months left, how much to leave?"
    a = "It'd be £36 for each of the 5 remaining months, less the 10% discount."
    rise = "Your monthly price goes up by a fixed £3 each April."
    leave = "The early termination charge is your monthly price for each remaining month, "
    leave += "less a 10% discount."
    first, other = compare_answer(a, rise, question=q), compare_answer(a, leave, question=q)
    assert (first.status, other.status) == ("contradiction", "consistent")
    assert _explains(first, other, a, q)
    # a figure the customer never said is the answer's own claim: not explained away
    q2 = "how much to leave with 5 months left?"
    assert not _explains(compare_answer(a, rise, question=q2), other, a, q2)


def test_the_customers_story_names_no_entry_but_the_entrys_own_question_words_do() -> None:
    from consistency.checker import _names_the_first
    from consistency.models import KBEntry

    final = KBEntry(
        id="final",
        questions=["When will I get a final response to my complaint?"],
        answer="We aim to send you a final response within 8 weeks.",
    )
    how = KBEntry(
        id="how",
        questions=["How do I complain?"],
        answer="Email us. We acknowledge every complaint within 2 working days.",
    )
    a = "We acknowledge complaints within 2 working days; I've chased it for you."
    assert not _names_the_first("Sent my complaint on Monday, no reply", a, final, how)
    assert _names_the_first("when do I get a final response?", a, final, how)


def test_a_weak_match_the_answer_says_nothing_of_is_no_match(
    encoder, sample_kb, tmp_path_factory
) -> None:
    from consistency import Checker

    strict = Checker(
        sample_kb,
        encoder=encoder,
        cache_dir=tmp_path_factory.mktemp("cache"),
        policy=ChoicePolicy(unverified_no_match_below=0.6),
    )
    vague = ("what about delivery?", "Our couriers are friendly and text you when they're close.")
    v = strict.check(*vague)
    assert v.status == "no_match"
    assert "weak match" in v.explanation
    # a question matched surely enough stays covered, whatever the answer says
    sure = strict.check("can I change my order?", "Give us a ring and the team will see.")
    assert (sure.status, sure.entry_id) == ("unverified", "order-cancel")
    lenient = Checker(
        sample_kb,
        encoder=encoder,
        cache_dir=tmp_path_factory.mktemp("cache"),
        policy=ChoicePolicy(unverified_no_match_below=0.0),
    )
    assert lenient.check(*vague).status == "unverified"
