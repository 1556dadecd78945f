"""What later nights need from earlier ones, kept in the history database.

A nightly audit sees one day of conversations; the findings that span days
(a customer told 14 days on Monday and 30 on Thursday, agents disagreeing
across the week, a promise due after the night it was made) need the earlier
nights' compact exchange records and promises. ``night_batches`` keeps them per
audited night (zlib-compressed JSON, the same compact form as the resume
state); :func:`load_prior` reads back the nights inside the retention window,
and :func:`prune` forgets older ones. ``reported`` remembers each finding a
night reported, so a later night reports a finding again only when it grew.

Tables live in the same database as the trends (``--history``): a SQLite path,
or a ``postgresql+psycopg://`` URL when several machines share it.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Column,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
)

from consistency.audit.models import ExchangeRecord, Finding, json_default
from consistency.store import METADATA, engine

if TYPE_CHECKING:
    from consistency.promises import Chase, Promise

__all__ = [
    "NIGHTS",
    "Night",
    "Prior",
    "forget_night",
    "forget_overlapping",
    "history_bytes",
    "load_prior",
    "load_reported",
    "mark_reported",
    "prune",
    "save_night",
    "select_new",
]

NIGHTS = Table(
    "nights",
    METADATA,
    Column("label", String(64), primary_key=True),
    Column("day_start", String(10), nullable=False),
    Column("day_end", String(10), nullable=False),
    Column("conversations", Integer, nullable=False),
)
NIGHT_BATCHES = Table(
    "night_batches",
    METADATA,
    Column("night", String(64), ForeignKey("nights.label", ondelete="CASCADE"), index=True),
    Column("seq", Integer, nullable=False),
    Column("payload", LargeBinary, nullable=False),
)
REPORTED = Table(
    "reported",
    METADATA,
    Column("finding_id", String(64), primary_key=True),
    Column("night", String(64), nullable=False, index=True),
    Column("day", String(10), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("finding", Text, nullable=False),
)


@dataclass
class Prior:
    """Earlier nights' state: records, promises and chases, and which night saw each conversation."""

    records: list[ExchangeRecord] = field(default_factory=list)
    promises: list[Any] = field(default_factory=list)
    transcript_days: dict[str, str] = field(default_factory=dict)


def _pack(transcripts: Sequence[str], records: Sequence[ExchangeRecord], promises: Sequence[Any]):
    from consistency.audit.analyse import promise_item_dict

    body = {
        "transcripts": list(transcripts),
        "records": [r.to_dict() for r in records],
        "promises": [promise_item_dict(p) for p in promises],
    }
    text = json.dumps(body, default=json_default, separators=(",", ":"))
    return zlib.compress(text.encode(), 6)


def save_night(
    history: str | Path,
    label: str,
    period: tuple[str, str],
    batches: Iterable[tuple[Sequence[str], Sequence[ExchangeRecord], Sequence[Promise | Chase]]],
) -> int:
    """Store (or replace) one night's batches; returns the conversations stored."""
    rows = []
    conversations = 0
    for seq, (transcripts, records, promises) in enumerate(batches):
        conversations += len(transcripts)
        rows.append({"night": label, "seq": seq, "payload": _pack(transcripts, records, promises)})
    with engine(history).begin() as con:
        con.execute(delete(NIGHT_BATCHES).where(NIGHT_BATCHES.c.night == label))
        con.execute(delete(NIGHTS).where(NIGHTS.c.label == label))
        con.execute(
            insert(NIGHTS).values(
                label=label, day_start=period[0], day_end=period[1], conversations=conversations
            )
        )
        if rows:
            con.execute(insert(NIGHT_BATCHES), rows)
    return conversations


def forget_night(history: str | Path, label: str) -> None:
    """Drop one night (re-running a night replaces its state and what it reported)."""
    with engine(history).begin() as con:
        con.execute(delete(NIGHT_BATCHES).where(NIGHT_BATCHES.c.night == label))
        con.execute(delete(NIGHTS).where(NIGHTS.c.label == label))
        con.execute(delete(REPORTED).where(REPORTED.c.night == label))


def forget_overlapping(history: str | Path, period: tuple[str, str]) -> list[str]:
    """Forget the nights that share a day with ``period`` (it is audited again); their labels."""
    overlap = (NIGHTS.c.day_end >= period[0]) & (NIGHTS.c.day_start <= period[1])
    with engine(history).connect() as con:
        labels = [r[0] for r in con.execute(select(NIGHTS.c.label).where(overlap))]
    for label in [*labels, f"{period[0]}..{period[1]}"]:
        forget_night(history, label)
    return labels


def load_prior(history: str | Path, *, before: str, retention_days: int | None) -> Prior:
    """The nights that end before ``before`` (a day) and within ``retention_days`` of it."""
    from consistency.audit.analyse import load_promise_item

    query = select(NIGHTS.c.label, NIGHTS.c.day_end).where(NIGHTS.c.day_end < before)
    if retention_days is not None:
        oldest = (date.fromisoformat(before) - timedelta(days=retention_days)).isoformat()
        query = query.where(NIGHTS.c.day_end >= oldest)
    prior = Prior()
    with engine(history).connect() as con:
        nights = dict(con.execute(query).all())
        if not nights:
            return prior
        rows = con.execute(
            select(NIGHT_BATCHES.c.night, NIGHT_BATCHES.c.payload)
            .where(NIGHT_BATCHES.c.night.in_(list(nights)))
            .order_by(NIGHT_BATCHES.c.night, NIGHT_BATCHES.c.seq)
        )
        for night, payload in rows:
            body = json.loads(zlib.decompress(payload))
            for t in body["transcripts"]:
                prior.transcript_days[t] = nights[night]
            prior.records.extend(ExchangeRecord.from_dict(r) for r in body["records"])
            prior.promises.extend(load_promise_item(p) for p in body["promises"])
    return prior


def prune(history: str | Path, *, today: str, retention_days: int) -> int:
    """Forget nights that ended more than ``retention_days`` before ``today``; returns how many."""
    oldest = (date.fromisoformat(today) - timedelta(days=retention_days)).isoformat()
    with engine(history).begin() as con:
        old = [r[0] for r in con.execute(select(NIGHTS.c.label).where(NIGHTS.c.day_end < oldest))]
        if old:
            con.execute(delete(NIGHT_BATCHES).where(NIGHT_BATCHES.c.night.in_(old)))
            con.execute(delete(NIGHTS).where(NIGHTS.c.label.in_(old)))
            con.execute(delete(REPORTED).where(REPORTED.c.day < oldest))
    return len(old)


def load_reported(history: str | Path) -> dict[str, Finding]:
    """Every finding an earlier night reported, by id."""
    with engine(history).connect() as con:
        rows = con.execute(select(REPORTED.c.finding_id, REPORTED.c.finding)).all()
    return {fid: Finding.model_validate_json(body) for fid, body in rows}


def mark_reported(history: str | Path, label: str, day: str, findings: Iterable[Finding]) -> None:
    """Remember that night ``label`` reported ``findings``."""
    rows = [
        {
            "finding_id": f.id,
            "night": label,
            "day": day,
            "kind": f.kind,
            "finding": f.model_dump_json(),
        }
        for f in findings
    ]
    with engine(history).begin() as con:
        if rows:
            con.execute(
                delete(REPORTED).where(REPORTED.c.finding_id.in_([r["finding_id"] for r in rows]))
            )
            con.execute(insert(REPORTED), rows)


def select_new(
    findings: Iterable[Finding], tonight: set[str], reported: dict[str, Finding]
) -> tuple[list[Finding], list[str]]:
    """Tonight's findings: those touching tonight's conversations (or a promise now broken)
    not reported before. Returns them and the ids of earlier findings they update (grew from).
    """
    new: list[Finding] = []
    updated: list[str] = []
    for f in findings:
        if f.id in reported:
            continue
        if f.kind != "broken_promise" and not tonight.intersection(f.transcript_ids):
            continue
        new.append(f)
        for old in reported.values():
            if _same_problem(old, f):
                updated.append(old.id)
    return new, sorted(set(updated))


def _same_problem(old: Finding, new: Finding) -> bool:
    return (
        old.kind == new.kind
        and old.entry_id == new.entry_id
        and old.fact_kind == new.fact_kind
        and (old.group == new.group or old.kind == "kb_gap")  # a growing cluster is renamed
        and set(old.transcript_ids) <= set(new.transcript_ids)
    )


def history_bytes(history: str | Path) -> tuple[int, int]:
    """(stored payload bytes, conversations stored): the history's size per conversation."""
    with engine(history).connect() as con:
        size = con.execute(
            select(func.coalesce(func.sum(func.length(NIGHT_BATCHES.c.payload)), 0))
        ).scalar_one()
        convs = con.execute(select(func.coalesce(func.sum(NIGHTS.c.conversations), 0))).scalar_one()
    return int(size), int(convs)


# -- one night, end to end ----------------------------------------------------------------


@dataclass
class Night:
    """One audited night against its history: what earlier nights left, what tonight adds."""

    history: str | Path
    label: str
    period: tuple[str, str]
    retention_days: int | None
    prior: Prior
    suppressed: int = 0
    updated: list[str] = field(default_factory=list)

    @classmethod
    def open(
        cls,
        history: str | Path,
        records: Sequence[ExchangeRecord],
        retention_days: int | None,
        *,
        redacted: bool = False,
    ) -> Night | None:
        """Tonight's night (its period from ``records``) with the earlier nights' state loaded.

        ``redacted``: earlier nights stored personal customer ids as pseudonyms; those of
        tonight's customers are given back their ids, so their repeat contacts still meet.
        """
        days = sorted(r.started_at[:10] for r in records if r.started_at)
        if not days:
            return None
        period = (days[0], days[-1])
        label = f"{period[0]}..{period[1]}"
        forget_overlapping(history, period)  # re-auditing days replaces what they left
        prior = load_prior(history, before=period[0], retention_days=retention_days)
        if redacted:
            known = {_pseudonym(r.customer_id): r.customer_id for r in records if r.customer_id}
            for r in prior.records:
                r.customer_id = known.get(r.customer_id or "", r.customer_id)
            prior.promises = [
                p.model_copy(update={"customer_id": known[p.customer_id]})
                if p.customer_id in known
                else p
                for p in prior.promises
            ]
        return cls(history, label, period, retention_days, prior)

    def close(
        self,
        findings: Sequence[Finding],
        tonight: Iterable[tuple[Sequence[str], Sequence[ExchangeRecord], Sequence[Any]]],
        *,
        mask: Any = None,
    ) -> list[Finding]:
        """Tonight's findings to report: new or grown, not already judged false alarms.

        Stores tonight's state (masked by ``mask``, a Redactor, when given) and
        what was reported, and forgets nights older than the retention.
        """
        from consistency.review import is_suppressed, load_reviews, suppression_keys

        batches = [(list(t), list(r), list(p)) for t, r, p in tonight]
        ids = {t for transcripts, _, _ in batches for t in transcripts}
        new, self.updated = select_new(findings, ids, load_reported(self.history))
        keys = suppression_keys(load_reviews(self.history))
        kept = [f for f in new if not is_suppressed(f, keys)]
        self.suppressed = len(new) - len(kept)
        if mask is not None:
            batches = [
                (t, [_masked(r, mask) for r in rs], [_masked_promise(p, mask) for p in ps])
                for t, rs, ps in batches
            ]
        save_night(self.history, self.label, self.period, batches)
        mark_reported(
            self.history,
            self.label,
            self.period[1],
            [mask.redact_finding(f) if mask is not None else f for f in kept],
        )
        if self.retention_days is not None:
            prune(self.history, today=self.period[1], retention_days=self.retention_days)
        return kept


def _masked(record: ExchangeRecord, mask: Any) -> ExchangeRecord:
    """The record with its customer's words masked: what the history may keep under --redact-pii."""
    data = record.to_dict()
    for name in ("question", "answer"):
        if data.get(name):
            data[name] = mask.redact_text(data[name])
    if data.get("customer_id"):
        data["customer_id"] = _stored_id(data["customer_id"], mask)
    for fact in data["facts"]:
        fact["text"] = mask.redact_text(fact["text"])
        fact["display"] = mask.redact_text(fact["display"])
        fact["snippet"] = mask.redact_text(fact["snippet"])
    return ExchangeRecord.from_dict(json.loads(json.dumps(data, default=json_default)))


def _masked_promise(item: Any, mask: Any) -> Any:
    update: dict[str, Any] = {}
    for name in ("text", "snippet", "due_text"):
        value = getattr(item, name, None)
        if isinstance(value, str) and value:
            update[name] = mask.redact_text(value)
    if getattr(item, "customer_id", None):
        update["customer_id"] = _stored_id(item.customer_id, mask)
    return item.model_copy(update=update)


def _pseudonym(customer_id: str) -> str:
    return "customer-" + hashlib.sha256(customer_id.encode()).hexdigest()[:16]


def _stored_id(customer_id: str, mask: Any) -> str:
    """A customer id as the history keeps it under --redact-pii: a personal one (a name, an
    email) as a one-way pseudonym, so later nights can still link that customer's contacts."""
    return customer_id if mask.redact_id(customer_id) == customer_id else _pseudonym(customer_id)
