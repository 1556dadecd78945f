"""The history's nightly state: records and promises kept per night, retention, reported findings."""

from __future__ import annotations

from consistency.audit.models import Finding
from consistency.audit.nightly import (
    forget_night,
    history_bytes,
    load_prior,
    load_reported,
    mark_reported,
    prune,
    save_night,
    select_new,
)
from consistency.audit.stages import AuditOptions, compare_customer, compare_group
from tests.audit.test_stages import record


def _night(db, day, records):
    ids = sorted({r.transcript_id for r in records})
    save_night(db, f"{day}..{day}", (day, day), [(ids, records, [])])


def test_prior_records_round_trip_within_retention(history_db):
    monday = record("You have 14 days to return it.", day="2026-03-02")
    tuesday = record("You have 30 days to return it.", day="2026-03-03")
    _night(history_db, "2026-03-02", [monday])
    _night(history_db, "2026-03-03", [tuesday])
    prior = load_prior(history_db, before="2026-03-05", retention_days=30)
    assert [r.transcript_id for r in prior.records] == [monday.transcript_id, tuesday.transcript_id]
    assert prior.records[0].facts[0].value == monday.facts[0].value
    assert prior.transcript_days == {
        monday.transcript_id: "2026-03-02",
        tuesday.transcript_id: "2026-03-03",
    }
    # Only nights before the one being audited, and within retention.
    assert [
        r.transcript_id
        for r in load_prior(history_db, before="2026-03-03", retention_days=30).records
    ] == [monday.transcript_id]
    assert load_prior(history_db, before="2026-03-05", retention_days=2).transcript_days == {
        tuesday.transcript_id: "2026-03-03"
    }


def test_prior_records_let_a_later_night_see_a_repeat_contact(history_db):
    monday = record("You have 14 days to return it.", day="2026-03-02", customer="c9")
    thursday = record("You have 30 days to return it.", day="2026-03-05", customer="c9")
    _night(history_db, "2026-03-02", [monday])
    prior = load_prior(history_db, before="2026-03-05", retention_days=30)
    _, slotted = compare_group([*prior.records, thursday], AuditOptions())
    found = compare_customer(slotted, AuditOptions())
    assert found, "the Monday answer from the history must meet Thursday's"
    assert set(found[0].transcript_ids) == {monday.transcript_id, thursday.transcript_id}


def test_prune_forgets_old_nights_and_counts_bytes(history_db):
    _night(history_db, "2026-01-01", [record("You have 14 days to return it.", day="2026-01-01")])
    _night(history_db, "2026-03-01", [record("You have 30 days to return it.", day="2026-03-01")])
    size, convs = history_bytes(history_db)
    assert convs == 2 and size > 0
    assert prune(history_db, today="2026-03-02", retention_days=30) == 1
    assert history_bytes(history_db)[1] == 1
    forget_night(history_db, "2026-03-01..2026-03-01")
    assert history_bytes(history_db) == (0, 0)


def _f(kind, ids):
    return Finding(
        kind=kind,
        transcript_ids=ids,
        agent_ids=(),
        customer_ids=("c1",),
        entry_id="returns-window",
        fact_kind="duration",
        values=("14 days", "30 days"),
        evidence=(),
        explanation="x",
    ).with_id()


def test_select_new_reports_once_and_again_only_when_grown(history_db):
    first = _f("repeat_contact_conflict", ("t1", "t2"))
    mark_reported(history_db, "n1", "2026-03-02", [first])
    reported = load_reported(history_db)
    assert reported == {first.id: first}
    same, old_only, grown = (
        first,
        _f("agent_disagreement", ("t1",)),
        _f("repeat_contact_conflict", ("t1", "t2", "t3")),
    )
    new, updated = select_new([same, old_only, grown], {"t3"}, reported)
    assert new == [grown]
    assert updated == [first.id]
