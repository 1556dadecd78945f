"""The review store: decisions round-trip, the latest wins, false alarms suppress the same answer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from consistency.audit.models import Finding
from consistency.review import (
    Review,
    answer_key,
    is_suppressed,
    load_reviews,
    record_review,
    suppression_keys,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _finding(transcripts: tuple[str, ...] = ("t1",), value: str = "14 days") -> Finding:
    return Finding(
        kind="kb_contradiction",
        transcript_ids=transcripts,
        agent_ids=("a1",),
        customer_ids=("c1",),
        entry_id="returns-window",
        fact_kind="duration",
        values=(value, "30 days"),
        kb_value="30 days",
        evidence=(),
        explanation="The agent said 14 days; the KB says 30 days.",
    ).with_id()


def test_round_trip_fills_identity_from_finding(history_db):
    db = history_db
    f = _finding()
    stored = record_review(
        db, Review(finding_id=f.id, decision="false_alarm", reviewer="ana", decided_at=T0), f
    )
    assert stored.kind == "kb_contradiction"
    assert stored.entry_id == "returns-window"
    assert stored.answer_key == "14 days"
    assert load_reviews(db) == {f.id: stored}


def test_latest_decision_wins_by_time_not_order(history_db):
    db = history_db
    record_review(db, Review(finding_id="x", decision="confirmed", reviewer="a", decided_at=T0))
    early = T0 - timedelta(days=1)
    record_review(db, Review(finding_id="x", decision="wont_fix", reviewer="b", decided_at=early))
    record_review(db, Review(finding_id="y", decision="false_alarm", reviewer="c", decided_at=T0))
    got = load_reviews(db)
    assert got["x"].decision == "confirmed" and got["x"].reviewer == "a"
    assert got["y"].decision == "false_alarm"


def test_suppression_matches_same_answer_on_other_conversations(history_db):
    db = history_db
    f = _finding(("t1",))
    record_review(db, Review(finding_id=f.id, decision="false_alarm", reviewer="ana"), f)
    keys = suppression_keys(load_reviews(db))
    later_same = _finding(("t9",))
    later_other = _finding(("t9",), value="21 days")
    assert later_same.id != f.id
    assert is_suppressed(later_same, keys)
    assert not is_suppressed(later_other, keys)


def test_confirmed_does_not_suppress(tmp_path):
    db = tmp_path / "h.sqlite"
    f = _finding()
    record_review(db, Review(finding_id=f.id, decision="confirmed", reviewer="ana"), f)
    assert not is_suppressed(f, suppression_keys(load_reviews(db)))


def test_review_for_another_finding_is_refused(tmp_path):
    with pytest.raises(ValueError, match="review is for"):
        record_review(
            tmp_path / "h.sqlite",
            Review(finding_id="other", decision="confirmed", reviewer="a"),
            _finding(),
        )


def test_bad_decision_and_empty_reviewer_are_refused():
    with pytest.raises(ValidationError, match="decision"):
        Review(finding_id="x", decision="maybe", reviewer="a")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="reviewer"):
        Review(finding_id="x", decision="confirmed", reviewer="")


def test_answer_key_ignores_case_spacing_and_kb_value():
    assert answer_key(_finding(value="14  Days")) == "14 days"


_text = st.text(min_size=1, max_size=30).filter(lambda s: s.strip() and "\x00" not in s)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    fid=_text,
    decision=st.sampled_from(["confirmed", "false_alarm", "wont_fix"]),
    reviewer=_text,
    note=st.text(max_size=200).filter(lambda s: "\x00" not in s),
    when=st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
    ),
)
def test_any_review_round_trips(tmp_path_factory, fid, decision, reviewer, note, when):
    db = tmp_path_factory.mktemp("r") / "h.sqlite"
    review = Review(
        finding_id=fid, decision=decision, reviewer=reviewer, note=note, decided_at=when
    )
    stored = record_review(db, review)
    assert load_reviews(db) == {fid: stored}
