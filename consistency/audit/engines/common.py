"""What every engine does the same way: set up before the stages, publish after them.

:func:`prepare` settles the run (a checker, the fulfilment file, the output
folder) and :func:`publish` ends it (summary, history, the output files), so
``summary.json``, the history and the report are written by one piece of code
whichever engine scheduled the stages. :class:`Progress` is the local
engine's progress bar (Ray Data draws its own).
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from consistency.audit.history import record_run, trends
from consistency.audit.models import (
    FINDING_KINDS,
    NOT_AUDIT_KINDS,
    AuditSummary,
    ExchangeRecord,
    Finding,
)

if TYPE_CHECKING:
    from consistency.audit.config import AuditConfig
    from consistency.audit.nightly import Night
    from consistency.ingest import IngestError, Transcript
    from consistency.kb import KnowledgeBase
    from consistency.promises import FulfilmentLog
    from consistency.redact import Redactor

__all__ = [
    "PathLike",
    "Progress",
    "RunSetup",
    "batches",
    "close_night",
    "count_lines",
    "input_files",
    "open_night",
    "path_list",
    "prepare",
    "publish",
    "redactor_for",
    "summarise",
]

PathLike = str | os.PathLike[str]


def path_list(paths: PathLike | Iterable[PathLike]) -> list[PathLike]:
    """One path or many, as a list."""
    return [paths] if isinstance(paths, str | os.PathLike) else list(paths)


def input_files(paths: Iterable[PathLike]) -> list[Path]:
    """The files under ``paths`` (a folder: every file below it, sorted)."""
    out = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*") if p.is_file()))
        else:
            out.append(path)
    return out


def count_lines(paths: Iterable[Path]) -> int | None:
    """Conversations to expect (JSONL: one a line), for the progress bar's ETA; else ``None``."""
    total = 0
    for path in paths:
        if path.suffix.lower() not in (".jsonl", ".ndjson"):
            return None
        try:
            with open(path, "rb") as handle:
                total += sum(
                    chunk.count(b"\n") for chunk in iter(lambda h=handle: h.read(1 << 20), b"")
                )
        except OSError:
            return None
    return total


def batches(transcripts: Iterable[Transcript], size: int) -> Iterator[list[Transcript]]:
    """``transcripts`` in lists of ``size`` (the last one shorter)."""
    batch: list[Transcript] = []
    for t in transcripts:
        batch.append(t)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class Progress:
    """A transient Rich progress bar on stderr: conversations, exchanges/s, ETA."""

    def __init__(self, enabled: bool, total: int | None) -> None:
        self.bar: Any = None
        if not enabled:
            return
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as RichProgress

        self.bar = RichProgress(
            TextColumn("auditing"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("conversations"),
            TextColumn("{task.fields[rate]:>7.0f} exchanges/s"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.task = self.bar.add_task("audit", total=total, rate=0.0)
        self.start = dt.datetime.now()
        self.exchanges = 0

    def __enter__(self) -> Progress:
        if self.bar is not None:
            self.bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)

    def advance(self, conversations: int, exchanges: int) -> None:
        if self.bar is None:
            return
        self.exchanges += exchanges
        elapsed = max((dt.datetime.now() - self.start).total_seconds(), 1e-6)
        self.bar.update(self.task, advance=conversations, rate=self.exchanges / elapsed)


@dataclass(frozen=True)
class RunSetup:
    """What every engine settles before any work, the same way."""

    config: AuditConfig
    kb: Any  # the KnowledgeBase or its path, as given (the redactor's fallback)
    checker: Any  # a Checker; the Ray engine also takes a factory of one
    fulfilment: FulfilmentLog

    @property
    def out_dir(self) -> Path:
        return self.config.out


def prepare(kb: KnowledgeBase | PathLike, config: AuditConfig, checker: Any) -> RunSetup:
    """The fulfilment file read, a checker built from ``kb`` when none is given, and the
    output folder made. The settings themselves were checked when ``config`` was built."""
    from consistency.promises import load_fulfilment_log

    log = load_fulfilment_log(config.fulfilment)
    if checker is None:
        from consistency.checker import Checker
        from consistency.kb import KnowledgeBase

        knowledge_base = kb if not isinstance(kb, str | os.PathLike) else KnowledgeBase.load(kb)
        checker = Checker(knowledge_base)
    config.out.mkdir(parents=True, exist_ok=True)
    return RunSetup(config, kb, checker, log)


def summarise(
    findings: list[Finding],
    records: list[ExchangeRecord],
    conversations: int,
    errors: int,
) -> AuditSummary:
    """The run's counts: by kind, topic, agent and entry, and the period the records span."""
    by_kind = {k: 0 for k in FINDING_KINDS if k not in NOT_AUDIT_KINDS}
    by_topic: Counter[str] = Counter()
    by_agent: Counter[str] = Counter()
    by_entry: Counter[str] = Counter()
    agents: dict[str, Counter[str]] = defaultdict(Counter)
    for r in records:
        agents[r.agent_id or "-"]["exchanges"] += 1
    for f in findings:
        by_kind[f.kind] += 1
        by_topic[f.topic or "-"] += 1
        by_entry[f.entry_id or "-"] += 1
        for agent in f.flagged_agents():
            by_agent[agent] += 1
            agents[agent][f.kind] += 1
    days = sorted(r.started_at[:10] for r in records if r.started_at)
    return AuditSummary(
        conversations=conversations,
        exchanges=len(records),
        matched=sum(1 for r in records if r.entry_id is not None),
        unmatched=sum(1 for r in records if r.entry_id is None),
        errors=errors,
        findings=len(findings),
        by_kind=by_kind,
        by_topic=dict(sorted(by_topic.items())),
        by_agent=dict(sorted(by_agent.items())),
        by_entry=dict(sorted(by_entry.items())),
        agents={a: dict(sorted(c.items())) for a, c in sorted(agents.items())},
        period=(days[0] if days else None, days[-1] if days else None),
    )


def publish(
    setup: RunSetup,
    findings: list[Finding],
    records: list[ExchangeRecord],
    conversations: int,
    errors: list[IngestError],
    *,
    resumed: bool,
    context: Iterable[ExchangeRecord] | None = None,
    night: Night | None = None,
) -> AuditSummary:
    """The last step of every engine: summary, history and the output files.

    The fulfilment file's bad rows are added after the transcripts' own. With
    ``redact_pii``, every file written is masked (the history holds counts
    only); ``context`` are the records with their texts when ``records`` lack
    them (the Ray engine's), so both engines mask the same.
    """
    from consistency.report.writers import write_outputs

    config = setup.config
    errors = [*errors, *setup.fulfilment.errors]
    summary = summarise(findings, records, conversations, len(errors)).model_copy(
        update={
            "since": config.since.isoformat() if config.since else None,
            "until": config.until.isoformat() if config.until else None,
            "resumed": resumed,
            "out": str(config.out),
        }
    )
    if config.history is not None:
        record_run(
            config.history,
            period=summary.period,
            conversations=conversations,
            exchanges=len(records),
            findings=findings,
            records=records,
        )
        from consistency.review import load_reviews, reviewed_precision

        summary = summary.model_copy(
            update={
                "trends": trends(config.history),
                "history": str(config.history),
                "suppressed": night.suppressed if night else 0,
                "updated": tuple(night.updated) if night else (),
                "reviewed_precision": reviewed_precision(load_reviews(config.history).values()),
            }
        )
    if config.redact_pii:  # counts above are from the originals; files get masked text
        redactor = redactor_for(setup.checker, setup.kb)
        findings, summary, errors = redactor.redact_audit(
            findings, summary, errors, records=records if context is None else context
        )
    reviews = None
    if config.history is not None:
        from consistency.review import load_reviews

        reviews = load_reviews(config.history)
    write_outputs(config.out, findings, summary, errors, formats=config.formats, reviews=reviews)
    return summary


def open_night(config: AuditConfig, records: list[ExchangeRecord]) -> Night | None:
    """With a history: tonight's night, earlier nights' records and promises loaded."""
    if config.history is None:
        return None
    from consistency.audit.nightly import Night

    return Night.open(config.history, records, config.retention_days, redacted=config.redact_pii)


def close_night(
    night: Night, setup: RunSetup, findings: list[Finding], tonight: Iterable[Any]
) -> list[Finding]:
    """Store tonight in the history (masked under ``redact_pii``); the findings to report."""
    mask = redactor_for(setup.checker, setup.kb) if setup.config.redact_pii else None
    return night.close(findings, tonight, mask=mask)


def redactor_for(checker: Any, kb: KnowledgeBase | PathLike) -> Redactor:
    """A Redactor for the audited KB: the checker's, else ``kb`` itself (the Ray engine
    may hold only a factory of checkers)."""
    from consistency.kb import KnowledgeBase
    from consistency.redact import Redactor

    if hasattr(checker, "kb"):
        return Redactor(checker.kb)
    return Redactor(kb if isinstance(kb, KnowledgeBase) else KnowledgeBase.load(kb))
