"""Which promises are broken: chased after the due time, kept late, never kept."""

from __future__ import annotations

import datetime as dt

import pytest

from consistency.audit import AuditOptions, Finding
from consistency.audit.stages import compare_promises, load_promise_item, promise_item_dict
from consistency.promises import Chase, Fulfilment, Promise, extract_promises, judge_promises

UTC = dt.UTC


def promise(
    text: str = "i'll call you back tomorrow before five",
    *,
    at: str = "2026-03-30T10:00:00",
    tid: str = "call-1",
    agent: str = "a1",
    entry: str | None = "returns-window",
) -> Promise:
    (p,) = extract_promises(text, 3, dt.datetime.fromisoformat(at).replace(tzinfo=UTC))
    return p.model_copy(
        update={"transcript_id": tid, "agent_id": agent, "customer_id": "c1", "entry_id": entry}
    )


def chase(
    kind: str = "callback",
    *,
    at: str = "2026-04-01T09:00:00",
    tid: str = "chat-2",
    entries: tuple[str, ...] = (),
    text: str = "nobody called me back",
) -> Chase:
    return Chase(
        kind=kind,  # type: ignore[arg-type]
        text=text,
        span=(0, len(text)),
        turn=1,
        transcript_id=tid,
        agent_id="a2",
        customer_id="c1",
        started_at=dt.datetime.fromisoformat(at).replace(tzinfo=UTC),
        entry_ids=entries,
    )


def row(kind: str = "callback", when: str | None = None, tid: str | None = None) -> Fulfilment:
    stamp = dt.datetime.fromisoformat(when).replace(tzinfo=UTC) if when else None
    return Fulfilment(customer_id="c1", kind=kind, fulfilled_at=stamp, transcript_id=tid)  # type: ignore[arg-type]


def reasons(ps, cs=(), rows=(), **kw) -> list[tuple[str, str | None]]:
    return [(b.reason, b.chase.transcript_id if b.chase else None)
            for b in judge_promises(ps, cs, rows, **kw)]  # fmt: skip


def test_chased_after_the_due_time_is_broken():
    assert reasons([promise()], [chase()]) == [("chased", "chat-2")]


def test_a_chase_before_the_due_time_is_early_not_broken():
    assert reasons([promise()], [chase(at="2026-03-31T14:00:00")]) == []  # due 16:00 UTC
    both = [chase(at="2026-03-31T14:00:00", tid="early"), chase(tid="late")]
    assert reasons([promise()], both) == [("chased", "late")]


def test_a_chase_in_the_same_conversation_or_before_the_promise_does_not_count():
    assert reasons([promise()], [chase(tid="call-1")]) == []
    assert reasons([promise()], [chase(at="2026-03-29T09:00:00")]) == []


def test_only_a_chase_about_the_same_thing_counts():
    assert reasons([promise()], [chase("refund", text="still no refund")]) == []
    assert reasons([promise()], [chase("escalation")]) == [("chased", "chat-2")]  # same complaint
    other = chase("other", text="you said you'd sort it out")
    assert reasons([promise()], [other]) == []  # another topic
    same = chase("other", text="you said you'd sort it out", entries=("returns-window",))
    assert reasons([promise()], [same]) == [("chased", "chat-2")]


def test_fulfilment_on_time_settles_it_late_or_never_breaks_it():
    assert reasons([promise()], [chase()], [row(when="2026-03-31T12:00:00")]) == []
    assert reasons([promise()], [], [row(when="2026-04-01T08:00:00")]) == [("kept_late", None)]
    # kept late, but chased before it was done: the chase shows it
    late = [row(when="2026-04-01T12:00:00")]
    assert reasons([promise()], [chase()], late) == [("chased", "chat-2")]
    # a row of another kind says nothing about this promise
    assert reasons([promise()], [], [row("refund", "2026-04-02T08:00:00")]) == []


def test_never_kept_counts_once_the_file_is_past_the_due_time():
    never = [row(when=None)]
    late_export = dt.datetime(2026, 4, 3, tzinfo=UTC)
    assert reasons([promise()], [], never, as_of=late_export) == [("not_kept", None)]
    assert reasons([promise()], [], never, as_of=dt.datetime(2026, 3, 31, tzinfo=UTC)) == []
    assert reasons([promise()], [], never) == []


def test_rows_pinned_to_a_conversation_and_matched_in_time_order():
    first, second = promise(tid="call-1"), promise(at="2026-04-01T10:00:00", tid="call-3")
    rows = [row(when="2026-04-02T10:00:00"), row(when="2026-03-31T09:00:00")]
    assert reasons([first, second], [], rows) == []  # each on time, the earlier row first
    pinned = [row(when="2026-04-02T10:00:00", tid="call-1")]  # late for call-1's promise
    assert reasons([first, second], [], pinned) == [("kept_late", None)]


def test_no_due_time_waits_for_the_grace_period():
    p = promise("an engineer will come out to have a look")
    assert p.due is None
    visit = chase("visit", at="2026-03-30T20:00:00", text="the engineer didn't turn up")
    assert reasons([p], [visit]) == []
    assert reasons([p], [visit], grace=dt.timedelta(hours=6)) == [("chased", "chat-2")]


def test_one_finding_per_promise_conversation_kind_and_chase():
    two = [promise(), promise("someone will call you back by the end of the day")]
    assert len(judge_promises(two, [chase()])) == 1


def test_compare_promises_builds_the_finding():
    items = [promise(), chase()]
    (f,) = compare_promises(items, AuditOptions())
    assert isinstance(f, Finding)
    assert (f.kind, f.fact_kind, f.entry_id) == ("broken_promise", "promise", "returns-window")
    assert f.transcript_ids == ("call-1", "chat-2")
    assert (f.agent_ids, f.customer_ids, f.flagged_agents()) == (("a1",), ("c1",), ("a1",))
    assert f.values == ("callback due 2026-03-31T17:00+01:00", "chased 2026-04-01")
    said, chased = f.evidence
    assert (said.source, said.turn, said.text) == (
        "answer",
        3,
        "i'll call you back tomorrow before five",
    )
    assert (chased.source, chased.transcript_id, chased.text) == (
        "question",
        "chat-2",
        "nobody called me back",
    )
    assert f.promise is not None and (f.promise.reason, f.promise.due_text) == (
        "chased",
        "tomorrow before five",
    )
    assert f.explanation.startswith("Agent a1 promised a callback on 2026-03-30 (call-1:")
    assert "Customer c1 chased it on 2026-04-01" in f.explanation
    assert Finding.model_validate_json(f.model_dump_json()) == f
    assert compare_promises(list(reversed(items)), AuditOptions()) == [f]  # order-free


@pytest.mark.parametrize("item", [promise(), chase()])
def test_items_round_trip_through_the_checkpoint_json(item):
    assert load_promise_item(promise_item_dict(item)) == item
