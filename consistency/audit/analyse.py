"""Per-exchange stages: segment, match, judge, keep a compact record; kb_contradiction.

Everything here works on one batch at a time and needs nothing from other
batches, so an engine can run it anywhere the checker is loaded.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np

from consistency.audit.models import Evidence, ExchangeRecord, FactRecord, Finding
from consistency.audit.options import AuditOptions
from consistency.choose import ANSWER_CHARS
from consistency.compare import align, roles_for
from consistency.compare.align import CONFIDENT
from consistency.compare.roles import RoledFact, role_similarity
from consistency.facts import facts_for, render
from consistency.models import Exchange, Fact

if TYPE_CHECKING:
    from consistency.checker import Checker
    from consistency.ingest import Transcript
    from consistency.promises import Chase, Promise

__all__ = [
    "MatchedBatch",
    "analyse_batch",
    "capped",
    "contradiction_findings",
    "group_key",
    "in_period",
    "judge_batch",
    "kb_evidence",
    "load_promise_item",
    "match_batch",
    "promise_batch",
    "promise_item_dict",
    "segment_batch",
    "snippet_around",
    "value_key",
]


# -- read / segment ---------------------------------------------------------------------


def in_period(transcript: Transcript, since: dt.date | None, until: dt.date | None) -> bool:
    """``since <= started_at.date() <= until`` (both inclusive, either open)."""
    day = transcript.started_at.date()
    return not ((since is not None and day < since) or (until is not None and day > until))


def capped(transcript: Transcript) -> Transcript:
    """``transcript`` with each turn cut to :data:`~consistency.facts.base.MAX_TEXT_CHARS`.

    The audit reads no more of a turn than that, before anything else reads it (a
    runaway turn, a pasted log, costs a bounded time); the cut keeps a prefix, so spans
    in what is read index the turn as given.
    """
    from consistency.facts.base import MAX_TEXT_CHARS, cap_text

    if all(len(turn.text) <= MAX_TEXT_CHARS for turn in transcript.turns):
        return transcript
    turns = tuple(
        turn
        if len(turn.text) <= MAX_TEXT_CHARS
        else turn.model_copy(update={"text": cap_text(turn.text)})
        for turn in transcript.turns
    )
    return transcript.model_copy(update={"turns": turns})


def _capped_exchange(exchange: Exchange) -> Exchange:
    """An exchange's question and answer cut to ``MAX_TEXT_CHARS`` (many long turns joined)."""
    from consistency.facts.base import MAX_TEXT_CHARS, cap_text

    if len(exchange.question) <= MAX_TEXT_CHARS and len(exchange.answer) <= MAX_TEXT_CHARS:
        return exchange
    answer = cap_text(exchange.answer)
    kept = [
        (turn, start)
        for turn, start in zip(exchange.answer_turns, exchange.answer_offsets, strict=False)
        if start < len(answer) or start == 0
    ]
    update: dict[str, Any] = {"question": cap_text(exchange.question), "answer": answer}
    if exchange.answer_offsets:
        update["answer_turns"] = tuple(t for t, _ in kept)
        update["answer_offsets"] = tuple(o for _, o in kept)
    return exchange.model_copy(update=update)


def segment_batch(transcripts: Sequence[Transcript]) -> list[tuple[int, Exchange]]:
    """Exchanges of each transcript with their ordinal in it (a stable exchange id).

    Turns and each exchange's question and answer are read up to
    :data:`~consistency.facts.base.MAX_TEXT_CHARS` (see :func:`capped`).
    """
    from consistency.ingest import segment

    out: list[tuple[int, Exchange]] = []
    for transcript in transcripts:
        out.extend((n, _capped_exchange(e)) for n, e in enumerate(segment(capped(transcript))))
    return out


# -- match + extract --------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A JSON-safe form of a fact value that ``Fact`` coerces back to its type."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def value_key(fact: Fact) -> str:
    """The normalised value as one string, e.g. ``14 day``, ``3.99 GBP``, ``5..7 business_day``."""
    value = _plain(fact.value)
    text = str(value).lower() if isinstance(value, str) else str(value)
    if isinstance(fact.value, Decimal):
        text = str(fact.value.normalize()) if fact.value == fact.value.to_integral() else text
        text = text if "E" not in text else format(fact.value, "f")
    if fact.upper is not None:
        text += f"..{_plain(fact.upper)}"
    if fact.unit:
        text += f" {fact.unit}"
    if fact.subject and fact.kind in ("money", "percent"):
        text += f" [{fact.subject}]"
    return text


_KB_FACTS: dict[tuple[int, str, dt.date | None], tuple[RoledFact, ...]] = {}


def _kb_roled(canonical: str, on: dt.date | None, registry: Any) -> tuple[RoledFact, ...]:
    """The canonical answer's facts with roles; cached, as every answer meets them again."""
    key = (id(registry), canonical, on)
    cached = _KB_FACTS.get(key)
    if cached is None:
        if len(_KB_FACTS) > 4096:
            _KB_FACTS.clear()
        facts = facts_for(canonical, on, registry=registry)
        cached = tuple(roles_for(canonical, [f for f in facts if f.kind != "condition"]))
        _KB_FACTS[key] = cached
    return cached


def _fact_record(
    rf: RoledFact,
    exchange: Exchange,
    registry: Any,
    *,
    kb_index: int | None,
    kb_relation: str | None,
    sole: bool,
) -> FactRecord:
    f = rf.fact
    turn, offset = exchange.locate(f.span[0])
    s, e = f.span
    lo = max(0, s - 70)
    hi = min(len(exchange.answer), e + 70)
    return FactRecord(
        kind=f.kind,
        value=_plain(f.value),
        unit=f.unit,
        upper=_plain(f.upper),
        modifier=f.modifier,
        subject=f.subject,
        display=render(f, registry),
        key=value_key(f),
        span=(s, e),
        text=f.text,
        turn=turn,
        turn_span=(offset, offset + (e - s)),
        roles=tuple(sorted(rf.roles)),
        near=tuple(sorted(rf.near)),
        extra=rf.extra,
        kb_index=kb_index,
        kb_relation=kb_relation,
        sole=sole,
        snippet=exchange.answer[lo:hi],
        snippet_span=(s - lo, e - lo),
    )


def _conflict_dict(conflict: Any, exchange: Exchange, facts: list[FactRecord]) -> dict[str, Any]:
    span = conflict.answer_span
    if span is not None:
        turn, offset = exchange.locate(span[0])
        turn_span: tuple[int, int] | None = (offset, offset + span[1] - span[0])
        lo, hi = max(0, span[0] - 70), min(len(exchange.answer), span[1] + 70)
        snippet, snippet_span = exchange.answer[lo:hi], (span[0] - lo, span[1] - lo)
    else:
        turn, turn_span = exchange.answer_turns[0], None
        snippet, snippet_span = exchange.answer[:160], None
    key = next((f.key for f in facts if span is not None and f.span == tuple(span)), None)
    return {
        "kind": conflict.kind,
        "answer_value": conflict.answer_value,
        "answer_key": key or conflict.answer_value,
        "kb_value": conflict.kb_value,
        "answer_text": conflict.answer_text,
        "kb_text": conflict.kb_text,
        "kb_span": list(conflict.kb_span) if conflict.kb_span else None,
        "turn": turn,
        "turn_span": list(turn_span) if turn_span else None,
        "snippet": snippet,
        "snippet_span": list(snippet_span) if snippet_span else None,
        "explanation": conflict.explanation,
    }


def _records_of(
    roled: list[RoledFact],
    ex: Exchange,
    registry: Any,
    pairs: dict[int, tuple[int, str]],
) -> list[FactRecord]:
    kinds = [r.fact.kind for r in roled]
    return [
        _fact_record(
            r,
            ex,
            registry,
            kb_index=pairs[r.index][0] if r.index in pairs else None,
            kb_relation=pairs[r.index][1] if r.index in pairs else None,
            sole=kinds.count(r.fact.kind) == 1,
        )
        for r in roled
    ]


def _pairs(alignment: Any) -> dict[int, tuple[int, str]]:
    pairs: dict[int, tuple[int, str]] = {}
    for a, k in alignment.supported:
        pairs[a.index] = (k.index, "same")
    for a, k in alignment.conflicts:
        pairs[a.index] = (k.index, "differ")
    return pairs


@dataclass(frozen=True)
class MatchedBatch:
    """A batch's distinct questions, their embeddings and ranked KB entries.

    ``by_answer`` holds, for answers to weakly matched questions, the KB entries
    whose canonical answers are nearest to them (the answer often shows which
    question it was when ASR wording sinks the question's match).
    """

    rows: dict[str, int]
    vectors: np.ndarray
    ranked: list[list[Any]]
    by_answer: dict[str, tuple[str, ...]]
    #: each answer's embedding (first ``ANSWER_CHARS`` characters): the answer takes
    #: part in choosing the entry, as in the pre-reply check
    answers: dict[str, np.ndarray] = field(default_factory=dict)


def match_batch(
    items: Sequence[tuple[int, Exchange]], checker: Checker, options: AuditOptions | None = None
) -> MatchedBatch:
    """Embed and rank each distinct question of a batch once (the heavy, GIL-free part).

    Answers to questions under the audit threshold are embedded too (once each)
    and ranked against the KB's canonical answers. Kept apart from
    :func:`judge_batch` so an engine can embed the next batch while the current
    one is judged.
    """
    options = options or AuditOptions()
    index = checker.index
    rows: dict[str, int] = {}
    for _, ex in items:
        rows.setdefault(ex.question, len(rows))
    texts = list(rows)
    answers = list(dict.fromkeys(ex.answer[:ANSWER_CHARS] for _, ex in items if ex.answer))
    encode = getattr(index, "encode", None) or index.encoder.encode
    both = [*texts, *answers]
    embedded = encode(both) if both else np.zeros((0, 0), dtype=np.float32)
    vectors = embedded[: len(texts)] if texts else np.zeros((0, 0), dtype=np.float32)
    answer_vectors = {a: embedded[len(texts) + i] for i, a in enumerate(answers)}
    ranked = [index.match_vector(t, vectors[i], k=10) for i, t in enumerate(texts)]
    threshold = checker.no_match_threshold + options.match_margin
    weak = list(
        dict.fromkeys(
            ex.answer[:ANSWER_CHARS]
            for _, ex in items
            if ex.answer
            and (not ranked[rows[ex.question]] or ranked[rows[ex.question]][0].score < threshold)
        )
    )
    by_answer: dict[str, tuple[str, ...]] = {}
    if weak and options.answer_probes > 0:
        sims = np.stack([answer_vectors[a] for a in weak]) @ index.answer_vectors.T
        k = min(options.answer_probes, sims.shape[1])
        top = np.argsort(-sims, axis=1, kind="stable")[:, :k]
        for answer, row in zip(weak, top, strict=True):
            by_answer[answer] = tuple(index.entry_ids[int(j)] for j in row)
    return MatchedBatch(rows, vectors, ranked, by_answer, answer_vectors)


def analyse_batch(
    items: Sequence[tuple[int, Exchange]],
    checker: Checker,
    options: AuditOptions | None = None,
) -> list[ExchangeRecord]:
    """Match every question, judge every answer, extract facts: exchanges in, records out.

    Identical questions in the batch are embedded once (and the index's LRU keeps
    recent ones across batches); see :func:`judge_batch` for the rest.
    """
    return judge_batch(items, match_batch(items, checker, options), checker, options)


def judge_batch(
    items: Sequence[tuple[int, Exchange]],
    matched: MatchedBatch,
    checker: Checker,
    options: AuditOptions | None = None,
) -> list[ExchangeRecord]:
    """Judge each answer against its question's entry and keep a compact record.

    A question matched above the audit threshold (the checker's plus
    ``match_margin``) is judged like the checker does, for the day the
    conversation started (the KB version valid that day), and its answer's
    facts are aligned with that version's facts so agents are later compared
    on the same roles. A weaker match is *covered* by an entry (grouped with
    it, never flagged against it) when the answer states an informative fact
    of that entry and contradicts none; the candidates are the question's
    nearest entries and the entries whose canonical answers are nearest to the
    answer. ASR wording ("telly") can sink a question's match, but the answer
    shows which question it was. The rest are unmatched: they keep their
    embedding for clustering. Only a compact
    :class:`ExchangeRecord` leaves this stage.
    """
    options = options or AuditOptions()
    kb = checker.kb
    registry = checker.registry
    statements = (
        checker.statements
        if options.statement_model
        else dataclasses.replace(checker.statements, enabled=False)
    )
    unique, vectors, ranked = matched.rows, matched.vectors, matched.ranked
    threshold = checker.no_match_threshold + options.match_margin

    records: list[ExchangeRecord] = []
    for ordinal, ex in items:
        row = unique[ex.question]
        matches = ranked[row]
        best = matches[0] if matches else None
        on = ex.started_at.date() if ex.started_at else None
        record = ExchangeRecord(
            transcript_id=ex.transcript_id,
            index=ordinal,
            started_at=ex.started_at.isoformat() if ex.started_at else "",
            agent_id=ex.agent_id,
            customer_id=ex.customer_id,
            channel=ex.channel,
            question=ex.question,
            question_turn=ex.question_turns[-1] if ex.question_turns else 0,
            status="no_match",
            score=round(best.score, 6) if best else 0.0,
            nearest=best.entry_id if best else None,
            near=tuple(m.entry_id for m in matches[: options.probes]),
        )
        facts = facts_for(ex.answer, on, registry=registry)
        a_roled = roles_for(ex.answer, [f for f in facts if f.kind != "condition"])
        # The pre-reply check's judgement chooses the entry (the answer takes part); the
        # audit scores agents, so it holds an answer against it only on a sure match.
        answer_vector = matched.answers.get(ex.answer[:ANSWER_CHARS])
        verdict = checker.judge(
            ex.question,
            ex.answer,
            matches,
            on=on,
            answer_vector=answer_vector,
            statements=statements,
        )
        strong = verdict.status != "no_match" and (
            verdict.score >= threshold
            or verdict.confidence >= checker.policy.no_match_below + options.confidence_margin
        )
        if strong and verdict.entry_id is not None:
            entry = kb.entry(verdict.entry_id, on=on)
            if entry is None:  # no version valid that day: nothing to judge against
                record.status, record.entry_id = "unverified", verdict.entry_id
                record.facts = _records_of(a_roled, ex, registry, {})
                records.append(record)
                continue
            alignment = align(a_roled, list(_kb_roled(entry.answer, on, registry)))
        else:
            by_answer = matched.by_answer.get(ex.answer[:ANSWER_CHARS], ())
            candidates = dict.fromkeys([*record.near, *by_answer])
            # an entry only the answer proposed must share a claim, not just a value:
            # "voicemails are kept for 30 days" is not about a "30-day rolling plan"
            claimed = {e for e in candidates if e not in record.near}
            found = _covering_entry(a_roled, candidates, kb, on, registry, claimed)
            if found is None:
                if verdict.status != "no_match":
                    # matched, but not surely enough to score the agent: unmatched for the
                    # audit, yet the KB may well cover it, so it is no evidence of a gap
                    record.status = "weak_match"
                record.facts = _records_of(a_roled, ex, registry, {})
                # clustered beside the entries its answer is nearest to as well: one
                # question worded two ways can be near different entries, its answers not
                record.near = tuple(candidates)
                _keep_unmatched(record, ex, vectors[row], answer_vector)
                records.append(record)
                continue
            entry, alignment = found
        record.entry_id = entry.id
        record.version = entry.valid_from.isoformat() if entry.valid_from else None
        record.topic = entry.topic
        record.facts = _records_of(a_roled, ex, registry, _pairs(alignment))
        record.status = "consistent" if alignment.supported else "unverified"
        if strong:
            conflicts = [
                c
                for c in verdict.conflicts
                if options.dropped_conditions or c.kind != "condition" or c.answer_span is not None
            ]
            record.conflicts = [_conflict_dict(c, ex, record.facts) for c in conflicts]
            if conflicts:
                record.status = "contradiction"
        records.append(record)
    return records


def _informative(fact: Fact) -> bool:
    """A fact that can tell which entry an answer is about: not a bare yes/no or "free"."""
    if fact.kind == "polarity":
        return False
    return not (isinstance(fact.value, Decimal) and fact.value == 0)


def _covering_entry(
    a_roled: list[RoledFact],
    candidates: Iterable[str],
    kb: Any,
    on: dt.date | None,
    registry: Any,
    claimed: set[str] | frozenset[str] = frozenset(),
) -> tuple[Any, Any] | None:
    """The first candidate entry the answer states an informative fact of and contradicts
    none; for an entry in ``claimed`` the fact must also play the same role (a clear
    overlap of role words), not only carry an equal value."""
    for entry_id in candidates:
        entry = kb.entry(entry_id, on=on) if entry_id in kb else None
        if entry is None:
            continue
        alignment = align(a_roled, list(_kb_roled(entry.answer, on, registry)))
        if alignment.conflicts:
            continue
        if any(
            _informative(a.fact) and (entry_id not in claimed or role_similarity(a, k) >= CONFIDENT)
            for a, k in alignment.supported
        ):
            return entry, alignment
    return None


def _keep_unmatched(
    record: ExchangeRecord, ex: Exchange, vector: np.ndarray, answer_vector: np.ndarray | None
) -> None:
    """What an unmatched exchange keeps: its embeddings (clustering), a cut answer (kb_gap)."""
    record.vector = np.asarray(vector, dtype=np.float16)
    if answer_vector is not None:
        record.answer_vector = np.asarray(answer_vector, dtype=np.float16)
    record.answer = ex.answer[:ANSWER_CHARS]
    record.answer_turn = ex.answer_turns[0] if ex.answer_turns else None


# -- per-record findings ------------------------------------------------------------------


def contradiction_findings(record: ExchangeRecord, checker: Checker) -> list[Finding]:
    """kb_contradiction findings of one record: one per contradicted fact kind."""
    if not record.conflicts or record.entry_id is None:
        return []
    entry = checker.kb.entry(record.entry_id, on=record.day)
    canonical = entry.answer if entry is not None else ""
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in record.conflicts:
        by_kind[c["kind"]].append(c)
    out = []
    agent = record.agent_id or "unknown"
    for kind, conflicts in by_kind.items():
        evidence: list[Evidence] = []
        values: list[str] = []
        sentences = []
        for c in conflicts:
            turn_span = tuple(c["turn_span"]) if c["turn_span"] else None
            evidence.append(
                Evidence(
                    transcript_id=record.transcript_id,
                    turn=c["turn"],
                    span=turn_span,  # type: ignore[arg-type]
                    text=c["answer_text"],
                    value=c["answer_key"],
                    display=c["answer_value"],
                    agent_id=record.agent_id,
                    customer_id=record.customer_id,
                    started_at=record.started_at,
                    snippet=c["snippet"],
                    snippet_span=tuple(c["snippet_span"]) if c["snippet_span"] else None,  # type: ignore[arg-type]
                )
            )
            evidence.append(
                kb_evidence(
                    record.entry_id,
                    canonical,
                    span=tuple(c["kb_span"]) if c["kb_span"] else None,  # type: ignore[arg-type]
                    text=c["kb_text"],
                    value=c["kb_value"],
                )
            )
            values.extend([c["answer_value"], c["kb_value"]])
            said, kb_says = c["answer_value"], c["kb_value"]
            entry = record.entry_id
            sentences.append(f"Agent {agent} said {said}; the KB ({entry}) says {kb_says}.")
        out.append(
            Finding(
                kind="kb_contradiction",
                transcript_ids=(record.transcript_id,),
                agent_ids=_ids([record.agent_id]),
                customer_ids=_ids([record.customer_id]),
                entry_id=record.entry_id,
                fact_kind=kind,
                values=tuple(dict.fromkeys(values)),
                evidence=tuple(evidence),
                explanation=" ".join(dict.fromkeys(sentences)),
                severity="high",
                topic=record.topic,
                group=group_key(record),
                kb_value=conflicts[0]["kb_value"],
                questions=(record.question,),
                volume=1,
                first_seen=record.started_at,
                last_seen=record.started_at,
            )
        )
    return out


def snippet_around(
    text: str, span: tuple[int, int] | None, *, margin: int = 70
) -> tuple[str, tuple[int, int] | None]:
    """``text`` cut to ``margin`` characters either side of ``span``, and ``span`` in the cut.

    Without a span the whole text comes back: there is nothing to centre on.
    """
    if span is None:
        return text, None
    lo, hi = max(0, span[0] - margin), min(len(text), span[1] + margin)
    return text[lo:hi], (span[0] - lo, span[1] - lo)


def kb_evidence(
    entry_id: str, canonical: str, *, span: tuple[int, int] | None, text: str, value: str
) -> Evidence:
    """The KB side of a contradiction: the canonical answer's words, with context for reports.

    Shared by every finding that holds an answer against the KB (transcripts,
    canned responses), so the KB side reads the same everywhere.
    """
    snippet, snippet_span = snippet_around(canonical, span)
    return Evidence(
        transcript_id=None,
        turn=None,
        span=span,
        text=text,
        value=value,
        display=value,
        source="kb",
        entry_id=entry_id,
        snippet=snippet,
        snippet_span=snippet_span,
    )


def _ids(values: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(sorted({v for v in values if v}))


def group_key(record: ExchangeRecord) -> str | None:
    """The question a record answers: its KB entry version, or its cluster (once clustered)."""
    if record.entry_id is not None:
        return f"entry:{record.entry_id}@{record.version or ''}"
    return record.group


# -- promises and chases ------------------------------------------------------------------


def promise_batch(
    transcripts: Sequence[Transcript],
    records: Sequence[ExchangeRecord] = (),
    options: AuditOptions | None = None,
) -> list[Promise | Chase]:
    """The promises agents made and the chases customers sent, per transcript.

    Each promise gets the KB entry of the exchange it was said in (the last
    question before its turn) and each chase the entries of its whole
    conversation: the topics ``compare_promises`` uses to tell a generic chase
    ("you said you'd sort it") about the same thing from one about something
    else. ``records`` are the batch's exchange records (none: no topics).
    Conversations without a customer id are skipped: nobody can chase them.
    Terms resolve on ``options.working_calendar`` with ``options.terms``.
    """
    from consistency.promises import chases_in, promises_in

    options = options or AuditOptions()
    calendar, terms = options.working_calendar, options.terms
    by_transcript: dict[str, list[ExchangeRecord]] = defaultdict(list)
    for record in records:
        by_transcript[record.transcript_id].append(record)
    out: list[Promise | Chase] = []
    for transcript in map(capped, transcripts):
        if not transcript.customer_id:
            continue
        mine = sorted(by_transcript.get(transcript.id, ()), key=lambda r: r.question_turn)
        for promise in promises_in(transcript, calendar, defaults=terms):
            asked = [r for r in mine if r.question_turn < promise.turn]
            entry = asked[-1].entry_id if asked else None
            out.append(promise.model_copy(update={"entry_id": entry}))
        entries = tuple(sorted({r.entry_id for r in mine if r.entry_id}))
        out.extend(c.model_copy(update={"entry_ids": entries}) for c in chases_in(transcript))
    return out


def promise_item_dict(item: Promise | Chase) -> dict[str, Any]:
    """A promise or chase as the plain JSON the checkpoint and the Ray engine carry."""
    from consistency.promises import Promise

    kind = "promise" if isinstance(item, Promise) else "chase"
    return {"item": kind, **item.model_dump(mode="json")}


def load_promise_item(data: dict[str, Any]) -> Promise | Chase:
    """The promise or chase :func:`promise_item_dict` wrote."""
    from consistency.promises import Chase, Promise

    data = dict(data)
    model = Promise if data.pop("item") == "promise" else Chase
    return model.model_validate(data)
