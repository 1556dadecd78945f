"""The grouping stages on hand-made records: no model, no files."""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pytest

from consistency.audit.models import ExchangeRecord, FactRecord, Finding
from consistency.audit.stages import (
    AuditOptions,
    assign_cluster,
    block_keys,
    compare_customer,
    compare_group,
    components,
    finalise,
    link_block,
    value_key,
)
from consistency.compare import facts_for, roles_for
from consistency.match.text import match_key

_ids = itertools.count()


def record(
    answer: str,
    *,
    agent="a1",
    customer="c1",
    day="2026-03-02",
    entry="returns-window",
    version=None,
    kb_index=None,
    question="how long do i have to return it",
) -> ExchangeRecord:
    """A record as judge_batch would keep it; every fact aligned to ``kb_index`` when given."""
    facts = [f for f in facts_for(answer) if f.kind not in ("condition", "polarity")]
    roled = roles_for(answer, facts)
    n = next(_ids)
    return ExchangeRecord(
        transcript_id=f"t-{n:03d}",
        index=0,
        started_at=f"{day}T10:00:00+00:00",
        agent_id=agent,
        customer_id=customer,
        channel="chat",
        question=question,
        question_turn=0,
        status="consistent",
        score=0.9,
        nearest=entry,
        entry_id=entry,
        version=version,
        facts=[
            FactRecord(
                kind=r.fact.kind,
                value=str(r.fact.value),
                unit=r.fact.unit,
                upper=r.fact.upper,
                modifier=r.fact.modifier,
                subject=r.fact.subject,
                display=r.fact.text,
                key=value_key(r.fact),
                span=r.fact.span,
                text=r.fact.text,
                turn=1,
                turn_span=r.fact.span,
                roles=tuple(sorted(r.roles)),
                near=tuple(sorted(r.near)),
                extra=r.extra,
                kb_index=kb_index,
                kb_relation="same" if kb_index is not None else None,
            )
            for r in roled
        ],
    )


def kinds(findings: list[Finding]) -> list[str]:
    return [f.kind for f in findings]


def test_equal_values_in_other_words_are_one_value():
    """'48 hours' and '2 days', 'thirty days' and '30 days': no disagreement."""
    recs = [
        record("It takes 48 hours.", agent="a1"),
        record("It takes 48 hours.", agent="a2"),
        record("It takes 2 days.", agent="a3"),
        record("It takes two days.", agent="a4"),
    ]
    findings, _ = compare_group(recs, AuditOptions())
    assert findings == []


def test_a_habit_is_a_disagreement_a_slip_is_not():
    majority = [record("You have 30 days to return it.", agent=f"a{i}") for i in range(5)]
    slip = [record("You have 14 days to return it.", agent="a9")]
    findings, _ = compare_group(majority + slip, AuditOptions())
    assert findings == []  # one stray answer: kb_contradiction / repeat contact catch it
    habit = [*slip, record("You have 14 days to return it.", agent="a8")]
    findings, _ = compare_group(majority + habit, AuditOptions())
    assert kinds(findings) == ["agent_disagreement"]
    f = findings[0]
    assert f.values == ("30 days", "14 days")
    assert f.minority_agent_ids == ("a8", "a9")
    assert [(v.answers, v.agents) for v in f.distribution] == [(5, 5), (2, 2)]
    assert "30 days: 5 answers by 5 agents; 14 days: 2 answers by 2 agents" in f.explanation


def test_weak_matches_are_no_evidence_of_a_gap():
    """Questions the checker matched, only not surely, do not make a kb_gap."""
    kw = {"entry": None, "question": "how do i take my number to a new provider"}
    recs = [record("Text PAC to 65075.", agent=f"a{i}", **kw) for i in range(4)]
    for r in recs:
        r.status = "no_match"
    findings, _ = compare_group(recs, AuditOptions())
    assert kinds(findings) == ["kb_gap"]
    for r in recs:
        r.status = "weak_match"
    findings, _ = compare_group(recs, AuditOptions())
    assert findings == []


def test_order_numbers_and_extra_detail_are_not_compared():
    recs = [
        record("You have 30 days to return it. Your order 12345 shipped.", agent="a1"),
        record("You have 30 days to return it. Your order 99881 shipped.", agent="a2"),
        record("You have 30 days to return it, your order 55555.", agent="a3"),
    ]
    findings, _ = compare_group(recs, AuditOptions())
    assert findings == []


def test_repeat_contact_needs_two_conversations_and_a_real_difference():
    first = record("You have 30 days to return it.", customer="c7", day="2026-03-02")
    same = record("It's thirty days.", customer="c7", day="2026-03-05")
    other = record("You have 14 days to return it.", customer="c7", day="2026-03-09")
    _, slotted = compare_group([first, same], AuditOptions())
    assert compare_customer(slotted, AuditOptions()) == []
    _, slotted = compare_group([first, same, other], AuditOptions())
    found = compare_customer(slotted, AuditOptions())
    assert kinds(found) == ["repeat_contact_conflict"]
    assert set(found[0].transcript_ids) == {
        first.transcript_id,
        same.transcript_id,
        other.transcript_id,
    }
    assert found[0].customer_ids == ("c7",)


def test_policy_change_is_not_a_repeat_contact_conflict():
    """Two KB versions are two questions: £3.99 before the change and £4.49 after are both right."""
    old = record(
        "Standard delivery is £3.99.",
        customer="c5",
        entry="delivery-standard",
        version=None,
        kb_index=0,
    )
    new = record(
        "Standard delivery is £4.49.",
        customer="c5",
        entry="delivery-standard",
        version="2026-04-01",
        kb_index=0,
        day="2026-04-01",
    )
    slotted = []
    for group in ([old], [new]):
        slotted += compare_group(group, AuditOptions())[1]
    assert compare_customer(slotted, AuditOptions()) == []


def _unmatched(question: str, vector: np.ndarray, near: tuple[str, ...]) -> ExchangeRecord:
    r = record("We don't do that.", entry=None, question=question)
    r.entry_id = None
    r.near = near
    r.vector = vector.astype(np.float32)
    return r


def test_clusters_cross_blocks_and_are_stable():
    rng = np.random.default_rng(0)
    base = rng.standard_normal(16)
    a = base / np.linalg.norm(base)
    b = rng.standard_normal(16)
    b /= np.linalg.norm(b)
    near_a = [a + 0.05 * rng.standard_normal(16) for _ in range(3)]
    recs = [
        _unmatched("do you recycle batteries", near_a[0] / np.linalg.norm(near_a[0]), ("x", "y")),
        _unmatched("can you recycle my printer", near_a[1] / np.linalg.norm(near_a[1]), ("y", "z")),
        _unmatched("recycling old kettles?", near_a[2] / np.linalg.norm(near_a[2]), ("z",)),
        _unmatched("what is the loyalty scheme", b, ("x",)),
    ]
    options = AuditOptions(cluster_threshold=0.8)
    blocks: dict[str, list[ExchangeRecord]] = {}
    for r in recs:
        for key in block_keys(r):
            blocks.setdefault(key, []).append(r)
    edges = [e for key in sorted(blocks) for e in link_block(blocks[key], options)]
    labels = components(edges)
    assert components(list(reversed(edges))) == labels  # order does not matter
    for r in recs:
        assign_cluster(r, labels)
    assert recs[0].group == recs[1].group == recs[2].group != recs[3].group
    findings, _ = compare_group(recs[:3], options)
    assert kinds(findings) == ["kb_gap"]
    assert findings[0].volume == 3
    assert labels[match_key("do you recycle batteries")] == recs[0].group


def _unit(*parts: float) -> np.ndarray:
    v = np.array(parts, dtype=np.float32)
    return v / np.linalg.norm(v)


def test_agents_answering_alike_link_questions_worded_apart():
    # questions at cosine 0.45 (one question worded two ways), answers at 0.96; a third
    # question on another subject (cosine 0.1) got the same stock answer
    q1, q2, q3 = _unit(1, 0, 0), _unit(0.45, 0.893, 0), _unit(0.1, -0.05, 0.994)
    said = _unit(1, 0.29)
    recs = [_unmatched(q, v, ("x",)) for q, v in (("q one", q1), ("q two", q2), ("q three", q3))]
    for r in recs:
        r.answer_vector = said.astype(np.float16)
    recs[1].answer_vector = _unit(1, 0).astype(np.float16)  # cosine 0.96 to the others

    def groups(options: AuditOptions) -> list[str]:
        labels = components(link_block(recs, options))
        return [labels[match_key(r.question)] for r in recs]

    linked = groups(AuditOptions())
    assert linked[0] == linked[1] != linked[2]
    alone = groups(AuditOptions(answer_link=1.1))
    assert len(set(alone)) == 3


def test_large_blocks_are_split_and_stay_bounded():
    rng = np.random.default_rng(1)
    vecs = rng.standard_normal((300, 8)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    recs = [_unmatched(f"question {i}", vecs[i], ("x",)) for i in range(300)]
    edges = link_block(recs, AuditOptions(max_block=64, cluster_k=3, cluster_threshold=0.9))
    # each point links to itself and to at most cluster_k neighbours
    assert len(edges) <= 300 * (1 + 3)


def test_finalise_gives_stable_ids_and_order():
    recs = [record("You have 30 days.", agent=f"a{i}") for i in range(3)]
    recs += [record("You have 14 days.", agent=f"b{i}") for i in range(2)]
    findings, _ = compare_group(recs, AuditOptions())
    once = finalise(findings)
    twice = finalise(list(reversed(findings)) + findings)
    assert [f.id for f in once] == [f.id for f in twice]
    assert all(len(f.id) == 16 for f in once)


def test_record_round_trips_through_json():
    import json

    r = _unmatched("hello", np.arange(4, dtype=np.float32), ("x",))
    r.answer_vector = np.arange(4, 8, dtype=np.float16)
    back = ExchangeRecord.from_dict(json.loads(json.dumps(r.to_dict(), default=str)))
    assert back.question == r.question and back.near == r.near
    assert np.array_equal(back.vector, r.vector)
    assert np.array_equal(back.answer_vector, r.answer_vector)
    assert back.facts == r.facts
    assert back.day == dt.date(2026, 3, 2)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("It's £3.99.", "3.99 GBP"),
        ("within 14 days", "14 day"),
        ("3 to 5 working days", "3..5 business_day"),
    ],
)
def test_value_key(text, key):
    fact = next(f for f in facts_for(text) if f.kind in ("money", "duration"))
    assert value_key(fact) == key
