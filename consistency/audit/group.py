"""Comparing answers within a question and within a customer's conversations.

A *group* is one question: a KB entry version, or a cluster of similar
unmatched questions. Inside it every fact goes to a *slot* (one claim answers
should agree on); values in a slot are bucketed by the fact engine's notion of
"the same"; differing buckets make agent_disagreement, and the same slots,
regrouped by customer, make repeat_contact_conflict. Clusters with volume and
no entry make kb_gap.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from consistency.audit.analyse import group_key
from consistency.audit.cluster import find_root
from consistency.audit.models import (
    Evidence,
    ExchangeRecord,
    FactRecord,
    Finding,
    PromiseDetail,
    ValueCount,
)
from consistency.audit.options import AuditOptions
from consistency.compare import align, relation
from consistency.compare.align import CONFIDENT
from consistency.compare.roles import RoledFact, role_similarity

if TYPE_CHECKING:
    from consistency.promises import Broken, Chase, Fulfilment, Promise

__all__ = [
    "SlottedFact",
    "compare_customer",
    "compare_group",
    "compare_promises",
    "customer_key",
    "finalise",
    "promise_key",
]

#: Kinds only compared where the fact engine aligned them with the KB: a bare
#: "no" or a condition read against another answer is too easy to misalign.
_KB_ONLY_KINDS = frozenset({"polarity", "condition"})
#: At most this many slots of one kind open in a group for facts the KB does not
#: state; a fact that fits none of them once the cap is reached is left out, so
#: a huge group costs (facts x cap) comparisons, never facts squared.
MAX_OPEN_SLOTS = 64


def _ids(values: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(sorted({v for v in values if v}))


@dataclass(frozen=True, slots=True, eq=False)
class SlottedFact:
    """A fact placed in a slot: one claim of one question (group) that answers should agree on."""

    slot: str
    record: ExchangeRecord
    fact: FactRecord


def _roled(fact: FactRecord, index: int = 0) -> RoledFact:
    return RoledFact(
        fact=fact.fact(),
        roles=frozenset(fact.roles),
        near=frozenset(fact.near),
        extra=fact.extra,
        index=index,
    )


def _same_claim(a: FactRecord, ra: RoledFact, p: FactRecord, rp: RoledFact) -> float:
    """How sure we are that two answers' facts state one claim (0: not at all).

    A clear role overlap decides; failing that, when each is the only fact of
    its kind in its answer, the fact engine's one-to-one rule does (not
    conversation detail, plausible magnitudes, no clashing role words).
    """
    sim = role_similarity(ra, rp)
    if sim >= CONFIDENT:
        return sim
    if a.sole and p.sole:
        paired = align([ra], [rp], one_to_one=True)
        if paired.conflicts or paired.supported:
            return max(sim, 0.01)
    return 0.0


def _assign_slots(records: Sequence[ExchangeRecord]) -> list[SlottedFact]:
    """Place each fact of each answer in a slot of the group.

    Facts the KB states go to the KB fact's slot (the fact engine aligned them).
    The others meet prototypes of their kind: the first fact of each slot, in
    conversation order; a fact joins the best prototype it states the same claim
    as (clear role overlap, or each the only fact of its kind in its answer),
    else it starts a slot. Conversation detail (order numbers, callbacks) and
    polarity/condition facts the KB did not align are left out.
    """
    out: list[SlottedFact] = []
    protos: dict[str, list[tuple[str, FactRecord, RoledFact]]] = defaultdict(list)
    for rec in records:
        taken: set[str] = set()
        for fact in rec.facts:
            if fact.kb_index is not None:
                slot = f"kb{fact.kb_index}:{fact.kind}"
            elif fact.extra or fact.kind in _KB_ONLY_KINDS:
                continue
            else:
                rf = _roled(fact)
                best: tuple[float, str] | None = None
                for name, proto, rp in protos[fact.kind]:
                    if name in taken:
                        continue
                    score = _same_claim(fact, rf, proto, rp)
                    if score > 0 and (best is None or score > best[0]):
                        best = (score, name)
                if best is None:
                    if len(protos[fact.kind]) >= MAX_OPEN_SLOTS:
                        continue
                    slot = f"u{len(protos[fact.kind])}:{fact.kind}"
                    protos[fact.kind].append((slot, fact, rf))
                else:
                    slot = best[1]
            if slot in taken:
                continue  # one value per answer and slot: the first said
            taken.add(slot)
            out.append(SlottedFact(slot, rec, fact))
    return out


def _buckets(items: Sequence[SlottedFact]) -> list[list[SlottedFact]]:
    """Answers grouped by value; values the fact engine calls the same are one bucket."""
    by_key: dict[str, list[SlottedFact]] = {}
    for item in items:
        by_key.setdefault(item.fact.key, []).append(item)
    keys = list(by_key)
    facts = [by_key[k][0].fact.fact() for k in keys]
    parent = list(range(len(keys)))
    for i in range(len(keys)):
        for j in range(i + 1, len(keys)):
            if relation(facts[i], facts[j]) == "same" or relation(facts[j], facts[i]) == "same":
                a, b = find_root(parent, i), find_root(parent, j)
                parent[max(a, b)] = min(a, b)
    merged: dict[int, list[SlottedFact]] = defaultdict(list)
    for i, key in enumerate(keys):
        merged[find_root(parent, i)].extend(by_key[key])
    return list(merged.values())


def _differ(a: SlottedFact, b: SlottedFact) -> bool:
    fa, fb = a.fact.fact(), b.fact.fact()
    return relation(fa, fb) == "differ" and relation(fb, fa) == "differ"


def _evidence(item: SlottedFact) -> Evidence:
    f, rec = item.fact, item.record
    return Evidence(
        transcript_id=rec.transcript_id,
        turn=f.turn,
        span=f.turn_span,
        text=f.text,
        value=f.key,
        display=f.display,
        agent_id=rec.agent_id,
        customer_id=rec.customer_id,
        started_at=rec.started_at,
        entry_id=rec.entry_id,
        snippet=f.snippet,
        snippet_span=f.snippet_span,
    )


def _order(bucket: Sequence[SlottedFact]) -> list[SlottedFact]:
    return sorted(
        bucket, key=lambda s: (s.record.started_at, s.record.transcript_id, s.record.index)
    )


def _distribution(buckets: Sequence[list[SlottedFact]], kb_bucket: int | None) -> list[ValueCount]:
    out = []
    for i, bucket in enumerate(buckets):
        out.append(
            ValueCount(
                value=_order(bucket)[0].fact.display,
                answers=len(bucket),
                agents=len({s.record.agent_id for s in bucket}),
                agent_ids=_ids(s.record.agent_id for s in bucket),
                transcript_ids=tuple(sorted({s.record.transcript_id for s in bucket})),
                kb=i == kb_bucket,
            )
        )
    return out


def _ranked(buckets: list[list[SlottedFact]]) -> list[list[SlottedFact]]:
    """Most answers first; ties by more agents, then by the earliest answer (stable)."""
    return sorted(
        buckets,
        key=lambda b: (
            -len(b),
            -len({s.record.agent_id for s in b}),
            min((s.record.started_at, s.record.transcript_id) for s in b),
        ),
    )


def _describe(dist: Sequence[ValueCount]) -> str:
    parts = []
    for v in dist:
        answers = "answer" if v.answers == 1 else "answers"
        agents = "agent" if v.agents == 1 else "agents"
        parts.append(f"{v.value}: {v.answers} {answers} by {v.agents} {agents}")
    return "; ".join(parts)


def _disagreement(
    slot: str,
    items: list[SlottedFact],
    records: Sequence[ExchangeRecord],
    options: AuditOptions,
) -> Finding | None:
    buckets = _ranked(_buckets(items))
    if len(buckets) < 2:
        return None
    major = buckets[0]
    rep = _order(major)[0]
    least = options.min_minority_answers
    minority = [b for b in buckets[1:] if len(b) >= least and _differ(rep, _order(b)[0])]
    if not minority:
        return None
    kept = [major, *minority]
    kb_bucket = next(
        (i for i, b in enumerate(kept) if any(s.fact.kb_relation == "same" for s in b)), None
    )
    dist = _distribution(kept, kb_bucket)
    rec0 = records[0]
    kind = rep.fact.kind
    involved = [s for b in kept for s in b]
    evidence = [_evidence(s) for b in minority for s in _order(b)]
    evidence += [_evidence(s) for s in _order(major)[: options.max_examples]]
    minority_agents = _ids(s.record.agent_id for b in minority for s in b)
    where = f"the KB entry {rec0.entry_id}" if rec0.entry_id else "a question the KB does not cover"
    majority_desc = dist[0].value
    kb_value = next((v.value for v in dist if v.kb), None)
    kb_says = f" The KB says {kb_value}." if kb_value else ""
    explanation = (
        f"Agents gave different {kind} values for the same question ({where}): "
        f"{_describe(dist)}. Most answers say {majority_desc}; "
        f"{', '.join(minority_agents) or 'unknown agents'} said otherwise.{kb_says}"
    )
    questions = list(dict.fromkeys(s.record.question for s in _order(involved)))
    days = sorted(s.record.started_at for s in involved)
    return Finding(
        kind="agent_disagreement",
        transcript_ids=tuple(sorted({s.record.transcript_id for s in involved})),
        agent_ids=_ids(s.record.agent_id for s in involved),
        customer_ids=_ids(s.record.customer_id for s in involved),
        entry_id=rec0.entry_id,
        fact_kind=kind,
        values=tuple(v.value for v in dist),
        evidence=tuple(evidence),
        explanation=explanation,
        severity="medium",
        topic=rec0.topic,
        group=f"{group_key(rec0)}/{slot}",
        kb_value=kb_value,
        distribution=tuple(dist),
        minority=tuple(v.value for v in dist[1:]),
        minority_agent_ids=minority_agents,
        questions=tuple(questions[: options.max_examples]),
        volume=len(involved),
        first_seen=days[0],
        last_seen=days[-1],
    )


def _gap(records: Sequence[ExchangeRecord], options: AuditOptions) -> Finding | None:
    # A gap is questions no entry answers: one the checker matched, only not surely
    # enough to score an agent on it, does not count towards one.
    records = [r for r in records if r.status != "weak_match"]
    conversations = {r.transcript_id for r in records}
    if (
        len(records) < options.gap_min_questions
        or len(conversations) < options.gap_min_conversations
    ):
        return None
    ordered = sorted(records, key=lambda r: (r.started_at, r.transcript_id, r.index))
    questions = list(dict.fromkeys(r.question for r in ordered))
    answers = []
    for r in ordered[: options.max_examples]:
        text = r.answer or ""
        answers.append(
            Evidence(
                transcript_id=r.transcript_id,
                turn=r.answer_turn,
                span=(0, len(text)) if text else None,
                text=text,
                value="",
                agent_id=r.agent_id,
                customer_id=r.customer_id,
                started_at=r.started_at,
                snippet=text,
            )
        )
    evidence = [
        Evidence(
            transcript_id=r.transcript_id,
            turn=r.question_turn,
            span=None,
            text=r.question,
            value="",
            source="question",
            agent_id=r.agent_id,
            customer_id=r.customer_id,
            started_at=r.started_at,
        )
        for r in ordered[: options.max_examples]
    ]
    values = sorted({f.display for r in records for f in r.facts if not f.extra})
    near = ordered[0].nearest
    explanation = (
        f"{len(records)} customer questions in {len(conversations)} conversations match no KB "
        f'entry (nearest: {near}), e.g. "{questions[0][:120]}". Agents answered them without '
        "a canonical answer."
    )
    return Finding(
        kind="kb_gap",
        transcript_ids=tuple(sorted(conversations)),
        agent_ids=_ids(r.agent_id for r in records),
        customer_ids=_ids(r.customer_id for r in records),
        entry_id=None,
        fact_kind=None,
        values=tuple(values),
        evidence=tuple(evidence),
        explanation=explanation,
        severity="low",
        group=ordered[0].group,
        questions=tuple(questions[: options.max_examples]),
        answers=tuple(answers),
        volume=len(records),
        first_seen=ordered[0].started_at,
        last_seen=ordered[-1].started_at,
    )


def compare_group(
    records: Sequence[ExchangeRecord], options: AuditOptions
) -> tuple[list[Finding], list[SlottedFact]]:
    """Findings within one question (KB entry version or cluster), and the slotted facts.

    agent_disagreement: a slot whose answers hold values the fact engine calls
    different (both ways; ranges containing a value and incomparable values
    are not disagreements). kb_gap: a cluster of unmatched questions with enough
    volume. The slotted facts feed :func:`compare_customer`.
    """
    ordered = sorted(records, key=lambda r: (r.started_at, r.transcript_id, r.index))
    if not ordered:
        return [], []
    slotted = _assign_slots(ordered)
    findings: list[Finding] = []
    by_slot: dict[str, list[SlottedFact]] = defaultdict(list)
    for item in slotted:
        by_slot[item.slot].append(item)
    for slot, items in by_slot.items():
        if slot.startswith("kb") and not options.kb_disagreement:
            continue
        finding = _disagreement(slot, items, ordered, options)
        if finding is not None:
            findings.append(finding)
    if ordered[0].entry_id is None:
        gap = _gap(ordered, options)
        if gap is not None:
            findings.append(gap)
    return findings, slotted


def compare_customer(items: Sequence[SlottedFact], options: AuditOptions) -> list[Finding]:
    """repeat_contact_conflict findings for one customer's slotted facts.

    Two conversations of one customer, the same question (entry version or
    cluster) and slot, values the fact engine calls different.
    """
    by_slot: dict[tuple[str, str], list[SlottedFact]] = defaultdict(list)
    for item in items:
        by_slot[(group_key(item.record) or "", item.slot)].append(item)
    out = []
    for (group, slot), slot_items in sorted(by_slot.items()):
        if len({s.record.transcript_id for s in slot_items}) < 2:
            continue
        buckets = _buckets(slot_items)
        if len(buckets) < 2:
            continue
        first = _order(slot_items)[0]
        home = next(b for b in buckets if any(s is first for s in b))
        kept = [home, *(b for b in buckets if b is not home and _differ(_order(b)[0], first))]
        convs = {s.record.transcript_id for b in kept for s in b}
        if len(kept) < 2 or len(convs) < 2:
            continue
        involved = _order([s for b in kept for s in b])
        rec0 = first.record
        dist = _distribution(
            _ranked(kept),
            next(
                (
                    i
                    for i, b in enumerate(_ranked(kept))
                    if any(s.fact.kb_relation == "same" for s in b)
                ),
                None,
            ),
        )
        told = "; ".join(
            f"{s.record.started_at[:10]} ({s.record.transcript_id}, agent {s.record.agent_id}): "
            f"{s.fact.display}"
            for s in involved
        )
        kind = first.fact.kind
        explanation = (
            f"Customer {rec0.customer_id} was told different {kind} values for the same question "
            f"on different conversations: {told}."
        )
        out.append(
            Finding(
                kind="repeat_contact_conflict",
                transcript_ids=tuple(sorted(convs)),
                agent_ids=_ids(s.record.agent_id for s in involved),
                customer_ids=_ids([rec0.customer_id]),
                entry_id=rec0.entry_id,
                fact_kind=kind,
                values=tuple(dict.fromkeys(s.fact.display for s in involved)),
                evidence=tuple(_evidence(s) for s in involved),
                explanation=explanation,
                severity="high",
                topic=rec0.topic,
                group=f"{group}/{slot}",
                kb_value=next((v.value for v in dist if v.kb), None),
                distribution=tuple(dist),
                questions=tuple(dict.fromkeys(s.record.question for s in involved)),
                volume=len(involved),
                first_seen=involved[0].record.started_at,
                last_seen=involved[-1].record.started_at,
            )
        )
    return out


def finalise(findings: Iterable[Finding]) -> list[Finding]:
    """Give every finding its stable id, drop duplicates, sort stably."""
    seen: dict[str, Finding] = {}
    for finding in findings:
        with_id = finding.with_id()
        seen.setdefault(with_id.id, with_id)
    return sorted(seen.values(), key=lambda f: f.sort_key())


def customer_key(item: SlottedFact) -> str | None:
    """Slotted facts meet per customer for repeat_contact_conflict."""
    return item.record.customer_id


# -- broken promises -----------------------------------------------------------------------

_PROMISED = {
    "callback": "a callback",
    "refund": "a refund",
    "email_or_letter": "an email or letter",
    "visit": "a visit",
    "escalation": "an answer to an escalation",
    "other": "to sort something out",
}


def _stamp(moment: dt.datetime | None) -> str | None:
    return moment.isoformat(timespec="minutes") if moment is not None else None


def _quote(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _broken_finding(b: Broken, options: AuditOptions) -> Finding:
    p, c, row = b.promise, b.chase, b.fulfilment
    made = p.started_at.isoformat() if p.started_at else ""
    due = _stamp(p.due)
    due_words = (
        f"due {due.replace('T', ' ')}"
        if due
        else f"with no due time (counted due {options.promise_grace_hours:g} hours after the call)"
    )
    done = row.fulfilled_at if row is not None else None
    if done is not None and p.due is not None:
        done = done.astimezone(p.due.tzinfo)  # read next to the due time, in its zone
    kept = _stamp(done)
    agent = p.agent_id or "unknown"
    sentence = (
        f"Agent {agent} promised {_PROMISED[p.kind]} on {made[:10]} ({p.transcript_id}: "
        f'"{_quote(p.text)}"), {due_words}.'
    )
    values = [f"{p.kind} due {due}" if due else f"{p.kind} (no due time)"]
    evidence = [
        Evidence(
            transcript_id=p.transcript_id,
            turn=p.turn,
            span=p.span,
            text=p.text,
            value=values[0],
            display=f"{p.kind}, {due_words}",
            agent_id=p.agent_id,
            customer_id=p.customer_id,
            started_at=made,
            entry_id=p.entry_id,
            snippet=p.snippet,
            snippet_span=p.snippet_span,
        )
    ]
    ids = [p.transcript_id or ""]
    last = made
    if c is not None:
        chased = c.started_at.isoformat() if c.started_at else ""
        values.append(f"chased {chased[:10]}")
        sentence += (
            f" Customer {p.customer_id} chased it on {chased[:10]} ({c.transcript_id}: "
            f'"{_quote(c.text)}").'
        )
        evidence.append(
            Evidence(
                transcript_id=c.transcript_id,
                turn=c.turn,
                span=c.span,
                text=c.text,
                value=f"chased {chased[:10]}",
                display=f"chased ({c.kind})",
                source="question",
                agent_id=c.agent_id,
                customer_id=c.customer_id,
                started_at=chased,
                snippet=c.snippet,
                snippet_span=c.snippet_span,
            )
        )
        ids.append(c.transcript_id or "")
        last = chased
    if b.reason == "kept_late" or (kept and c is not None):
        values.append(f"kept late {kept}")
        sentence += f" The fulfilment file shows it done {kept.replace('T', ' ') if kept else ''}."
    elif b.reason == "not_kept":
        values.append("not kept")
        sentence += " The fulfilment file lists it as not done."
    return Finding(
        kind="broken_promise",
        transcript_ids=tuple(dict.fromkeys(ids)),
        agent_ids=_ids([p.agent_id]),
        customer_ids=_ids([p.customer_id]),
        entry_id=p.entry_id,
        fact_kind="promise",
        values=tuple(values),
        evidence=tuple(evidence),
        explanation=sentence,
        severity="high",
        group=f"promise:{p.customer_id}:{p.transcript_id}#{p.turn}@{p.span[0]}",
        volume=1,
        first_seen=made,
        last_seen=last,
        promise=PromiseDetail(
            kind=p.kind,
            made_at=made,
            due=due,
            due_text=p.due_text,
            due_source=p.due_source,
            reason=b.reason,
            chased_at=c.started_at.isoformat() if c is not None and c.started_at else None,
            fulfilled_at=kept,
        ),
    )


def compare_promises(
    items: Sequence[Promise | Chase],
    options: AuditOptions,
    fulfilment: Sequence[Fulfilment] = (),
    *,
    as_of: dt.datetime | None = None,
) -> list[Finding]:
    """broken_promise findings for one customer's promises, chases and fulfilment rows.

    The rules are :func:`consistency.promises.judge_promises`'s: chased after
    it was due (same kind, or a generic chase on the same KB entry), or kept
    late / never kept by the fulfilment file (``as_of``: the file's latest
    entry). The finding names the promising agent (``agent_ids``), both
    conversations, the promise's and the chase's spans, and the due time.
    Input order does not matter.
    """
    from consistency.promises import Chase, Promise, judge_promises

    promises = [i for i in items if isinstance(i, Promise)]
    chases = [i for i in items if isinstance(i, Chase)]
    broken = judge_promises(
        promises,
        chases,
        fulfilment,
        grace=dt.timedelta(hours=options.promise_grace_hours),
        as_of=as_of,
    )
    return [_broken_finding(b, options) for b in broken]


def promise_key(item: Promise | Chase) -> str | None:
    """Promises and chases meet per customer for broken_promise."""
    return item.customer_id
