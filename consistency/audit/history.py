"""The audit history's trends: the counts every nightly run adds.

Tables: ``runs`` (one row per audited period; a re-run of the same period
replaces it) and ``counts`` (per run, conversation day, agent, topic and
finding kind: how many findings; ``kind='exchanges'`` counts the exchanges an
agent handled, the denominator of a rate). ``trends`` reads the last runs back
for ``summary.json``, so a QA lead sees an agent or a topic getting better or
worse over the nights. SQLAlchemy Core: a SQLite path or a database URL.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import Column, ForeignKey, Integer, String, Table, delete, func, insert, select

from consistency.audit.models import ExchangeRecord, Finding
from consistency.store import METADATA, engine

__all__ = ["record_run", "trends"]

RUNS = Table(
    "runs",
    METADATA,
    Column("label", String(64), primary_key=True),
    Column("period_start", String(10)),
    Column("period_end", String(10)),
    Column("conversations", Integer),
    Column("exchanges", Integer),
    Column("findings", Integer),
)
COUNTS = Table(
    "counts",
    METADATA,
    Column("label", String(64), ForeignKey("runs.label", ondelete="CASCADE"), primary_key=True),
    Column("day", String(10), primary_key=True),
    Column("agent_id", String(200), primary_key=True),
    Column("topic", String(200), primary_key=True),
    Column("kind", String(40), primary_key=True),
    Column("n", Integer, nullable=False),
)


def record_run(
    path: str | Path,
    *,
    period: tuple[str | None, str | None],
    conversations: int,
    exchanges: int,
    findings: Iterable[Finding],
    records: Iterable[ExchangeRecord],
) -> str:
    """Add (or replace) this run's counts; returns the run's label (``start..end``).

    A finding is counted once for each agent it counts against
    (:meth:`Finding.flagged_agents`; ``-`` for none, e.g. a KB gap), on the
    day of its first conversation, under its topic (``-`` when it has none).
    """
    label = f"{period[0] or '-'}..{period[1] or '-'}"
    counts: Counter[tuple[str, str, str, str]] = Counter()
    total = 0
    for f in findings:
        total += 1
        day = (f.first_seen or "")[:10] or "-"
        for agent in f.flagged_agents() or ("-",):
            counts[(day, agent, f.topic or "-", f.kind)] += 1
    for r in records:
        counts[(r.started_at[:10] or "-", r.agent_id or "-", r.topic or "-", "exchanges")] += 1
    with engine(path).begin() as con:
        con.execute(delete(COUNTS).where(COUNTS.c.label == label))
        con.execute(delete(RUNS).where(RUNS.c.label == label))
        con.execute(
            insert(RUNS).values(
                label=label,
                period_start=period[0],
                period_end=period[1],
                conversations=conversations,
                exchanges=exchanges,
                findings=total,
            )
        )
        rows = [
            {"label": label, "day": d, "agent_id": a, "topic": t, "kind": k, "n": n}
            for (d, a, t, k), n in sorted(counts.items())
        ]
        if rows:
            con.execute(insert(COUNTS), rows)
    return label


def trends(path: str | Path, *, runs: int = 7) -> dict[str, Any]:
    """The last ``runs`` runs (by period end): totals and findings per agent and per topic.

    Returns ``{"runs": [labels...], "totals": {label: findings}, "by_agent":
    {agent: {label: findings}}, "by_topic": {topic: {label: findings}},
    "exchanges_by_agent": {agent: {label: exchanges}}}``; missing counts are 0.
    """
    with engine(path).connect() as con:
        rows = con.execute(
            select(RUNS.c.label, RUNS.c.findings)
            .order_by(RUNS.c.period_end.desc(), RUNS.c.label.desc())
            .limit(runs)
        ).all()
        labels = [r[0] for r in reversed(rows)]
        out: dict[str, Any] = {
            "runs": labels,
            "totals": {r[0]: r[1] for r in reversed(rows)},
            "by_agent": {},
            "by_topic": {},
            "exchanges_by_agent": {},
        }
        if not labels:
            return out
        n = func.sum(COUNTS.c.n)
        for column, key, kinds in (
            (COUNTS.c.agent_id, "by_agent", COUNTS.c.kind != "exchanges"),
            (COUNTS.c.topic, "by_topic", COUNTS.c.kind != "exchanges"),
            (COUNTS.c.agent_id, "exchanges_by_agent", COUNTS.c.kind == "exchanges"),
        ):
            query = (
                select(column, COUNTS.c.label, n)
                .where(COUNTS.c.label.in_(labels), kinds)
                .group_by(column, COUNTS.c.label)
                .order_by(column, COUNTS.c.label)
            )
            table: dict[str, dict[str, int]] = {}
            for name, label, count in con.execute(query):
                table.setdefault(name, dict.fromkeys(labels, 0))[label] = int(count)
            out[key] = table
        return out
