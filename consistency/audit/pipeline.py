"""``audit()``: the nightly audit's public entry point.

It checks the settings (one :class:`~consistency.audit.config.AuditConfig`)
and runs the engine they name (:func:`consistency.audit.engines.run`). The
engines themselves live in :mod:`consistency.audit.engines`; the names they
used to be imported from here still are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from consistency.audit.engines.local import find, process

if TYPE_CHECKING:
    from consistency.audit.config import AuditConfig
    from consistency.audit.engines.common import PathLike
    from consistency.audit.models import AuditSummary
    from consistency.checker import Checker
    from consistency.kb import KnowledgeBase

__all__ = ["audit", "find", "process"]


def audit(
    paths: PathLike | Iterable[PathLike],
    kb: KnowledgeBase | PathLike,
    config: AuditConfig | None = None,
    *,
    checker: Checker | None = None,
    on_batch: Callable[[int], None] | None = None,
    **settings: Any,
) -> AuditSummary:
    """Audit transcripts against the KB and write findings, summary, errors and report.

    ``audit(paths, kb, out="audit-out", since="2026-03-01", engine="ray")``:
    the settings are :class:`~consistency.audit.config.AuditConfig`'s fields,
    given as a ``config`` or as keywords (which override ``config``'s).

    Args:
        paths: transcript files or directories (JSONL, CSV, Contact Lens; see
            :func:`consistency.ingest.read_transcripts`).
        kb: a loaded knowledge base or its directory.
        config: the settings; at least ``out``, the output folder:
            ``findings.jsonl`` (one finding a line, stable order),
            ``summary.json``, ``errors.jsonl`` (file, line, reason per skipped
            record) and ``report.html``, plus ``state/`` for resuming. The
            others: ``since`` / ``until`` (only conversations started on these
            days or between them, by ``started_at``'s date); ``resume``
            (continue the audit already in ``out``, same inputs and settings:
            findings identical to an uninterrupted run); ``history`` (an
            SQLite file each run adds its counts to: ``summary.json`` then
            shows trends over the last 7 runs); ``progress`` (a transient bar
            on stderr); ``options`` (the stages' knobs, :class:`AuditOptions`);
            ``batch_size`` (conversations per batch and checkpoint);
            ``engine`` (``"local"`` or ``"ray"``, the ``distributed`` extra:
            the same stage functions, the same outputs) with ``workers`` and
            ``ray_address``; ``formats`` (``findings.jsonl`` always, the
            contract; ``"parquet"`` adds ``findings.parquet``, the ``frames``
            extra; ``"csv"`` and ``"xlsx"`` one readable row per finding; an
            item may name several, ``"csv,xlsx"``); ``redact_pii`` (mask
            customers' personal data in every output, the KB's own facts
            visible, :class:`consistency.redact.Redactor`; ``OUT/state`` is
            deleted once the outputs are written, so a finished redacted
            audit cannot be resumed); ``fulfilment`` (a CSV of promised jobs
            done, :func:`consistency.promises.read_fulfilment`: a promise it
            shows kept late, or never, is a ``broken_promise`` even when
            nobody chased it; one kept on time is not; its bad rows go to
            ``errors.jsonl``); ``calendar`` (the working calendar promises'
            terms are resolved on; default England, Mon-Fri 09:00-17:30,
            Europe/London).
        checker: a ready checker (its model and threshold are reused); built
            from ``kb`` with the default offline model otherwise.
        on_batch: called with the count of processed conversations after each
            checkpoint (for tests and engines).
        settings: any of ``config``'s fields by name.

    Returns:
        The :class:`AuditSummary` also written to ``summary.json``. Findings are
        not failures: a successful audit returns whatever it found.

    Raises:
        AuditUsageError: a bad setting (period, engine, format, an unknown
            name), a resume with other settings, a missing fulfilment file.
        ImportError: ``"parquet"`` without pyarrow, or ``"xlsx"`` without
            openpyxl (checked before any work).
    """
    from consistency.audit.config import AuditConfig
    from consistency.audit.engines import run

    if config is None or settings:
        config = AuditConfig(**{**(dict(config) if config is not None else {}), **settings})
    return run(paths, kb, config, checker=checker, on_batch=on_batch)
