"""The pre-reply check end to end with the real offline model and the sample KB."""

from __future__ import annotations

import datetime as dt

import pytest

from consistency import Checker, KnowledgeBase, Verdict


def test_question_worded_unlike_any_phrasing_finds_entry_and_contradiction(
    checker: Checker, sample_kb: KnowledgeBase
) -> None:
    question = "can I still send it back after 3 weeks?"
    assert all(question.lower() not in (q.lower() for q in e.questions) for e in sample_kb)
    verdict = checker.check(question, "Sure, you have 14 days from delivery.")
    assert verdict.status == "contradiction"
    assert verdict.entry_id == "returns-window"
    assert verdict.conflicts[0].kind == "duration"
    conflict = verdict.conflicts[0]
    answer = "Sure, you have 14 days from delivery."
    assert answer[slice(*conflict.answer_span)] == conflict.answer_text == "14 days"
    assert verdict.canonical_answer is not None
    assert verdict.canonical_answer[slice(*conflict.kb_span)] == conflict.kb_text
    assert "14 days" in verdict.explanation and "returns-window" in verdict.explanation


def test_faithful_answer_is_consistent(checker: Checker, sample_kb: KnowledgeBase) -> None:
    kb_answer = sample_kb.entry("returns-window").answer
    verdict = checker.check("how long have I got to return my order?", kb_answer)
    assert verdict.status == "consistent"
    assert verdict.supported and not verdict.conflicts


def test_answer_with_no_support_is_unverified_never_consistent(checker: Checker) -> None:
    verdict = checker.check(
        "how long do I have to return an item?", "Let me check that for you and come back to you."
    )
    assert verdict.entry_id == "returns-window"
    assert verdict.status == "unverified"
    assert verdict.explanation


def test_off_topic_question_is_no_match(checker: Checker) -> None:
    verdict = checker.check("what is the capital of france", "Paris.")
    assert verdict.status == "no_match"
    assert verdict.entry_id is None
    assert verdict.matches and verdict.score < checker.no_match_threshold


def test_on_date_judges_against_the_version_valid_that_day(
    checker: Checker, sample_kb: KnowledgeBase
) -> None:
    old, new = sample_kb.versions("returns-window")[:2]
    assert old.valid_to is not None and new.valid_from is not None
    verdict_old = checker.check(
        "How long do I have to return an item?", old.answer, on=old.valid_to
    )
    verdict_new = checker.check(
        "How long do I have to return an item?", old.answer, on=new.valid_from
    )
    assert verdict_old.status == "consistent" and verdict_old.valid_to == old.valid_to
    assert verdict_new.status == "contradiction" and verdict_new.valid_from == new.valid_from


def test_check_many_gives_the_same_verdicts_as_one_by_one(checker: Checker) -> None:
    pairs = [
        ("can I still send it back after 3 weeks?", "Sure, you have 14 days from delivery."),
        ("how much is delivery", "It's free."),
        ("what is the capital of france", "Paris."),
        (
            "whats your phone number",
            "call us on oh three three three oh one four two two double oh",
        ),
    ]
    day = dt.date(2026, 3, 2)
    many = checker.check_many([(q, a, day) for q, a in pairs])
    assert many == [checker.check(q, a, on=day) for q, a in pairs]
    assert checker.check_many(pairs, on=day) == many


def test_check_many_rejects_malformed_pairs(checker: Checker) -> None:
    with pytest.raises(ValueError, match="question, answer"):
        checker.check_many([("only a question",)])  # type: ignore[list-item]


def test_verdict_json_round_trip(checker: Checker) -> None:
    verdict = checker.check("can I still send it back after 3 weeks?", "You have 14 days.")
    assert Verdict.model_validate_json(verdict.model_dump_json()) == verdict


def test_caller_threshold_overrides_the_fitted_one(encoder, sample_kb, tmp_path) -> None:  # type: ignore[no-untyped-def]
    strict = Checker(sample_kb, encoder=encoder, cache_dir=tmp_path, no_match_threshold=0.99)
    assert strict.threshold_source == "caller"
    assert strict.check("can I still send it back after 3 weeks?", "14 days").status == "no_match"
    with pytest.raises(ValueError, match="0–1"):
        Checker(sample_kb, encoder=encoder, cache_dir=tmp_path, no_match_threshold=1.5)


def test_fitted_threshold_is_cached(encoder, sample_kb, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    first = Checker(sample_kb, encoder=encoder, cache_dir=tmp_path)
    monkeypatch.setattr(
        "consistency.match.index.Index.leave_one_out",
        lambda self, **kw: (_ for _ in ()).throw(AssertionError("refitted")),
    )
    second = Checker(sample_kb, encoder=encoder, cache_dir=tmp_path)
    assert second.no_match_threshold == first.no_match_threshold
    assert second.index.cache_hit


def test_calibrate_applies_the_fitted_weights_and_threshold(encoder, sample_kb, tmp_path) -> None:  # type: ignore[no-untyped-def]
    fresh = Checker(sample_kb, encoder=encoder, cache_dir=tmp_path)
    result = fresh.calibrate(
        [
            ("can I still send it back after 3 weeks", "returns-window"),
            ("how much do you charge to deliver", "delivery-standard"),
            ("what is the capital of france", None),
        ]
    )
    assert fresh.threshold_source == "calibrated"
    assert fresh.no_match_threshold == result.threshold
    assert fresh.index.weights == result.weights
    assert fresh.check("what is the capital of france", "Paris.").status == "no_match"


def test_warm_up_prepares_every_kb_answer_and_changes_no_verdict(
    checker: Checker, sample_kb: KnowledgeBase
) -> None:
    from consistency.compare.answer import _canonical_facts

    pairs = [
        ("how long do I have to send something back?", "You have 14 days to return it."),
        ("what does standard delivery cost", "Standard delivery is £4.99."),
        ("can I pay by cheque", "Yes, we take cheques."),
    ]
    _canonical_facts.cache_clear()
    cold = [checker.check(q, a) for q, a in pairs]
    _canonical_facts.cache_clear()
    prepared = checker.warm_up()
    assert prepared == len({e.answer for e in sample_kb.entries})
    assert _canonical_facts.cache_info().currsize == prepared
    misses = _canonical_facts.cache_info().misses
    warm = [checker.check(q, a) for q, a in pairs]
    assert _canonical_facts.cache_info().misses == misses  # nothing extracted on the way
    assert [v.model_dump() for v in warm] == [v.model_dump() for v in cold]
    assert cold[0].status == "contradiction"  # the pairs exercise a real comparison
