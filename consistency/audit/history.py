"""The audit history: one SQLite file that every nightly run adds its counts to.

Tables: ``runs`` (one row per audited period; a re-run of the same period
replaces it) and ``counts`` (per run, conversation day, agent, topic and
finding kind: how many findings; ``kind='exchanges'`` counts the exchanges an
agent handled, the denominator of a rate). ``trends`` reads the last runs back
for ``summary.json``, so a QA lead sees an agent or a topic getting better or
worse over the nights. Only the standard library's ``sqlite3`` is used.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from consistency.audit.models import ExchangeRecord, Finding

__all__ = ["record_run", "trends"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    label TEXT PRIMARY KEY,
    period_start TEXT,
    period_end TEXT,
    conversations INTEGER,
    exchanges INTEGER,
    findings INTEGER
);
CREATE TABLE IF NOT EXISTS counts (
    label TEXT NOT NULL REFERENCES runs(label) ON DELETE CASCADE,
    day TEXT NOT NULL,
    agent_id TEXT NOT NULL,
    topic TEXT NOT NULL,
    kind TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (label, day, agent_id, topic, kind)
);
"""


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path)
    con.execute("PRAGMA foreign_keys = ON")
    con.executescript(_SCHEMA)
    return con


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
    with _connect(Path(path)) as con:
        con.execute("DELETE FROM counts WHERE label = ?", (label,))
        con.execute("DELETE FROM runs WHERE label = ?", (label,))
        con.execute(
            "INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?)",
            (label, period[0], period[1], conversations, exchanges, total),
        )
        con.executemany(
            "INSERT INTO counts VALUES (?, ?, ?, ?, ?, ?)",
            [(label, *key, n) for key, n in sorted(counts.items())],
        )
    con.close()
    return label


def trends(path: str | Path, *, runs: int = 7) -> dict[str, Any]:
    """The last ``runs`` runs (by period end): totals and findings per agent and per topic.

    Returns ``{"runs": [labels...], "totals": {label: findings}, "by_agent":
    {agent: {label: findings}}, "by_topic": {topic: {label: findings}},
    "exchanges_by_agent": {agent: {label: exchanges}}}``; missing counts are 0.
    """
    con = _connect(Path(path))
    try:
        rows = con.execute(
            "SELECT label, findings FROM runs ORDER BY period_end DESC, label DESC LIMIT ?",
            (runs,),
        ).fetchall()
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
        marks = ",".join("?" * len(labels))
        for field, key in (("agent_id", "by_agent"), ("topic", "by_topic")):
            query = (
                f"SELECT {field}, label, SUM(n) FROM counts WHERE label IN ({marks}) "
                f"AND kind != 'exchanges' GROUP BY {field}, label ORDER BY {field}, label"
            )
            table: dict[str, dict[str, int]] = {}
            for name, label, n in con.execute(query, labels):
                table.setdefault(name, dict.fromkeys(labels, 0))[label] = n
            out[key] = table
        query = (
            f"SELECT agent_id, label, SUM(n) FROM counts WHERE label IN ({marks}) "
            "AND kind = 'exchanges' GROUP BY agent_id, label ORDER BY agent_id, label"
        )
        for name, label, n in con.execute(query, labels):
            out["exchanges_by_agent"].setdefault(name, dict.fromkeys(labels, 0))[label] = n
        return out
    finally:
        con.close()
