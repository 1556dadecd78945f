"""Open the audit history database: a SQLite path or a database URL, one SQLAlchemy engine.

Why SQLAlchemy Core: the same tables and queries run on SQLite (the default,
embedded, nothing to start) and on PostgreSQL (``postgresql+psycopg://...``)
when several machines share one history.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, MetaData, create_engine, event

__all__ = ["METADATA", "engine", "is_url"]

#: Every table the history holds; each module adds its own to it.
METADATA = MetaData()


def is_url(history: str | Path) -> bool:
    """True for a database URL (``scheme://...``), False for a file path."""
    return isinstance(history, str) and "://" in history


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.close()


@lru_cache(maxsize=16)
def _engine(url: str) -> Engine:
    eng = create_engine(url, future=True)
    if eng.dialect.name == "sqlite":
        event.listen(eng, "connect", _sqlite_pragmas)
    return eng


_created: dict[str, int] = {}


def _ready(url: str) -> Engine:
    """The engine, with every table registered so far created (modules add tables on import)."""
    eng = _engine(url)
    if _created.get(url, -1) < len(METADATA.tables):
        METADATA.create_all(eng)
        _created[url] = len(METADATA.tables)
    return eng


def engine(history: str | Path) -> Engine:
    """The engine for ``history`` (a path: SQLite, created with its folder), tables created."""
    if is_url(history):
        return _ready(str(history))
    path = Path(history).expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    return _ready(f"sqlite:///{path}")
