"""The local engine: run the audit's stages over files in one process.

It streams transcripts in batches through :func:`segment_batch` and
:func:`analyse_batch`, spills each batch's compact records to ``OUT/state``
(the checkpoint a resumed audit continues from), then groups and compares
from the full state and writes the outputs. All logic lives in
:mod:`consistency.audit.stages`; this module only schedules and groups by key,
which is all a Ray Data engine would do too.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
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
from consistency.audit.stages import (
    AuditOptions,
    MatchedBatch,
    SlottedFact,
    assign_cluster,
    block_keys,
    compare_customer,
    compare_group,
    compare_promises,
    components,
    contradiction_findings,
    customer_key,
    finalise,
    group_key,
    in_period,
    judge_batch,
    link_block,
    match_batch,
    promise_batch,
    promise_key,
    segment_batch,
)
from consistency.audit.state import AuditState, AuditUsageError

if TYPE_CHECKING:
    from consistency.checker import Checker
    from consistency.ingest import IngestError, Transcript
    from consistency.kb import KnowledgeBase
    from consistency.models import Exchange
    from consistency.promises import Chase, Fulfilment, Promise, WorkingCalendar
    from consistency.redact import Redactor

__all__ = ["audit", "find", "process"]

PathLike = str | os.PathLike[str]


def _day(value: dt.date | str | None, name: str) -> dt.date | None:
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise AuditUsageError(
            f"{name} must be a date YYYY-MM-DD, got {str(value)[:50]!r}", code="bad-period"
        ) from None


def _count_lines(paths: Iterable[Path]) -> int | None:
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


def _input_files(paths: Iterable[PathLike]) -> list[Path]:
    out = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*") if p.is_file()))
        else:
            out.append(path)
    return out


def _batches(transcripts: Iterable[Transcript], size: int) -> Iterator[list[Transcript]]:
    batch: list[Transcript] = []
    for t in transcripts:
        batch.append(t)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class _Progress:
    """A transient Rich progress bar on stderr: conversations, exchanges/s, ETA."""

    def __init__(self, enabled: bool, total: int | None) -> None:
        self.bar: Any = None
        if not enabled:
            return
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.bar = Progress(
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

    def __enter__(self) -> _Progress:
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


def process(
    paths: PathLike | Iterable[PathLike],
    checker: Checker,
    state: AuditState,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    errors: list[IngestError] | None = None,
    batch_size: int = 64,
    progress: bool = True,
    on_batch: Callable[[int], None] | None = None,
    options: AuditOptions | None = None,
) -> None:
    """Stream → segment → analyse, appending each batch to ``state``.

    Transcripts already in ``state`` (a resumed audit) and transcripts out of
    the period are skipped; a repeated transcript id is reported as an error
    and skipped. ``on_batch`` is called with the number of transcripts
    processed so far after each batch is safely on disk (tests use it to
    simulate a crash).
    """
    from consistency.ingest import IngestError, read_transcripts

    files = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
    done = state.transcript_ids()
    sink: list[IngestError] = errors if errors is not None else []
    seen: set[str] = set()

    def report(error: IngestError) -> None:
        sink.append(error)
        if error.line is not None:
            bar.advance(1, 0)  # a bad line is a line of the progress bar's total too

    def fresh(stream: Iterable[Transcript]) -> Iterator[Transcript]:
        for t in stream:
            if t.id in seen:
                sink.append(
                    IngestError(
                        file="-",
                        line=None,
                        reason=f"duplicate conversation id {t.id!r}; the first one was kept",
                        type="bad-record",
                        record_id=t.id,
                    )
                )
                bar.advance(1, 0)
                continue
            seen.add(t.id)
            if t.id in done or not in_period(t, since, until):
                bar.advance(1, 0)
                continue
            yield t

    total = _count_lines(_input_files(files))
    processed = len(done)
    # Embedding (numpy/onnx/torch, GIL released) of batch i+1 overlaps the
    # pure-Python judging of batch i; results are used in input order.
    with _Progress(progress, total) as bar, ThreadPoolExecutor(max_workers=1) as pool:
        pending: tuple[list[Transcript], list[tuple[int, Exchange]], Future[MatchedBatch]] | None
        pending = None
        batches = _batches(fresh(read_transcripts(files, errors=report)), batch_size)
        while True:
            batch = next(batches, None)
            ahead = None
            if batch is not None:
                items = segment_batch(batch)
                ahead = (batch, items, pool.submit(match_batch, items, checker, options))
            if pending is not None:
                p_batch, p_items, p_future = pending
                records = judge_batch(p_items, p_future.result(), checker, options)
                promises = promise_batch(p_batch, records, options)
                state.append([t.id for t in p_batch], records, promises)
                processed += len(p_batch)
                bar.advance(len(p_batch), len(records))
                if on_batch is not None:
                    on_batch(processed)
            if ahead is None:
                break
            pending = ahead


def find(
    records: list[ExchangeRecord],
    checker: Checker,
    options: AuditOptions,
    promises: Iterable[Promise | Chase] = (),
    fulfilment: FulfilmentLog | None = None,
) -> list[Finding]:
    """Every finding from the full state: per record, per question group, per customer.

    ``promises`` are the promises and chases :func:`promise_batch` found;
    ``fulfilment`` the fulfilment file's rows (:func:`load_fulfilment`).
    """
    findings: list[Finding] = []
    for record in records:
        findings.extend(contradiction_findings(record, checker))
    blocks: dict[str, list[ExchangeRecord]] = defaultdict(list)
    for record in records:
        for key in block_keys(record):
            blocks[key].append(record)
    edges = [edge for key in sorted(blocks) for edge in link_block(blocks[key], options)]
    labels = components(edges)
    del edges
    for record in records:
        assign_cluster(record, labels)
    groups: dict[str, list[ExchangeRecord]] = defaultdict(list)
    for record in records:
        key = group_key(record)
        if key is not None:
            groups[key].append(record)
    customers: dict[str, list[SlottedFact]] = defaultdict(list)
    for key in sorted(groups):
        group_findings, slotted = compare_group(groups[key], options)
        findings.extend(group_findings)
        for item in slotted:
            ckey = customer_key(item)
            if ckey is not None:
                customers[ckey].append(item)
    for key in sorted(customers):
        findings.extend(compare_customer(customers[key], options))
    by_customer: dict[str, list[Promise | Chase]] = defaultdict(list)
    for item in promises:
        pkey = promise_key(item)
        if pkey is not None:
            by_customer[pkey].append(item)
    log = fulfilment or FulfilmentLog()
    for key in sorted(by_customer):
        findings.extend(
            compare_promises(by_customer[key], options, log.rows.get(key, ()), as_of=log.as_of)
        )
    return finalise(findings)


class FulfilmentLog:
    """A fulfilment file's good rows by customer, its latest entry and its bad rows.

    Both engines load it with :func:`load_fulfilment` and hand each customer's
    rows to :func:`compare_promises`; its errors go to ``errors.jsonl`` after
    the transcripts' own.
    """

    def __init__(
        self,
        rows: dict[str, tuple[Fulfilment, ...]] | None = None,
        as_of: dt.datetime | None = None,
        errors: list[IngestError] | None = None,
    ) -> None:
        self.rows = rows or {}
        self.as_of = as_of
        self.errors = errors or []


def promise_options(options: AuditOptions | None, calendar: WorkingCalendar | None) -> AuditOptions:
    """``options`` (or the defaults) with ``calendar`` as its working calendar when given."""
    import dataclasses

    options = options or AuditOptions()
    return options if calendar is None else dataclasses.replace(options, calendar=calendar)


def load_fulfilment(path: PathLike | None) -> FulfilmentLog:
    """Read a fulfilment CSV (see :func:`consistency.promises.read_fulfilment`); ``None``: empty.

    Raises:
        AuditUsageError: the file does not exist (bad rows are errors, not this).
    """
    if path is None:
        return FulfilmentLog()
    if not Path(path).is_file():
        raise AuditUsageError(f"fulfilment file not found: {path}", code="bad-option")
    from consistency.promises import read_fulfilment

    errors: list[IngestError] = []
    rows: dict[str, list[Fulfilment]] = defaultdict(list)
    for row in read_fulfilment(path, errors=errors):
        rows[row.customer_id].append(row)
    stamps = [r.fulfilled_at for group in rows.values() for r in group if r.fulfilled_at]
    return FulfilmentLog(
        {k: tuple(v) for k, v in rows.items()}, max(stamps) if stamps else None, errors
    )


def _summary(
    findings: list[Finding],
    records: list[ExchangeRecord],
    conversations: int,
    errors: int,
) -> AuditSummary:
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


#: The schedulers an audit can run on; both call the same stage functions.
ENGINES = ("local", "ray")


def check_engine(engine: str, workers: int | None, ray_address: str | None) -> None:
    """Refuse an unknown engine, and Ray's options without the Ray engine.

    Raises:
        AuditUsageError: ``code="bad-option"``; the CLI checks before loading anything.
    """
    if engine not in ENGINES:
        raise AuditUsageError(
            f"unknown engine {engine!r}; known: {', '.join(ENGINES)}", code="bad-option"
        )
    if engine != "ray" and (workers is not None or ray_address is not None):
        raise AuditUsageError(
            "--workers and --ray-address apply to the Ray engine: add --engine ray",
            code="bad-option",
        )


def audit(
    paths: PathLike | Iterable[PathLike],
    kb: KnowledgeBase | PathLike,
    *,
    out: PathLike,
    checker: Checker | None = None,
    since: dt.date | str | None = None,
    until: dt.date | str | None = None,
    resume: bool = False,
    history: PathLike | None = None,
    progress: bool = True,
    options: AuditOptions | None = None,
    batch_size: int = 64,
    on_batch: Callable[[int], None] | None = None,
    engine: str = "local",
    workers: int | None = None,
    ray_address: str | None = None,
    formats: Sequence[str] = ("jsonl",),
    redact_pii: bool = False,
    fulfilment: PathLike | None = None,
    calendar: WorkingCalendar | None = None,
) -> AuditSummary:
    """Audit transcripts against the KB and write findings, summary, errors and report.

    Args:
        paths: transcript files or directories (JSONL, CSV, Contact Lens; see
            :func:`consistency.ingest.read_transcripts`).
        kb: a loaded knowledge base or its directory.
        out: the output folder: ``findings.jsonl`` (one finding a line, stable
            order), ``summary.json``, ``errors.jsonl`` (file, line, reason per
            skipped record) and ``report.html``, plus ``state/`` for resuming.
        checker: a ready checker (its model and threshold are reused); built
            from ``kb`` with the default offline model otherwise.
        since / until: only conversations started on these days or between
            them (inclusive, by ``started_at``'s date).
        resume: continue the audit already in ``out`` (same inputs and
            settings): processed conversations are not read again and findings
            are identical to an uninterrupted run.
        history: an SQLite file each run adds its counts to; ``summary.json``
            then shows trends over the last 7 runs.
        progress: show a transient progress bar on stderr.
        options: grouping and clustering knobs (:class:`AuditOptions`).
        batch_size: conversations per batch (and per checkpoint).
        on_batch: called with the count of processed conversations after each
            checkpoint (for tests and engines).
        engine: ``"local"`` (this process) or ``"ray"`` (Ray Data, the extra
            ``distributed``): the same stage functions, the same outputs.
        workers: Ray workers (``engine="ray"`` only); default one per CPU.
        ray_address: a running Ray cluster (``engine="ray"`` only); default: a
            local one.
        formats: findings files to write: ``findings.jsonl`` always (the
            contract); ``"parquet"`` adds ``findings.parquet`` (the ``frames``
            extra; :func:`consistency.frames.read_findings` reads either back);
            ``"csv"`` and ``"xlsx"`` add ``findings.csv`` / ``findings.xlsx``, one
            readable row per finding for spreadsheets
            (:mod:`consistency.report.table`). An item may name several,
            comma-separated (``"csv,xlsx"``).
        redact_pii: mask customers' personal data (cards, phones, emails,
            postcodes, bank details, dates of birth, names) in every output
            with same-length masks; the KB's own facts stay visible
            (:class:`consistency.redact.Redactor`). ``OUT/state`` holds the
            unmasked records while the audit runs and is deleted once the
            outputs are written, so a finished redacted audit cannot be resumed.
        fulfilment: a CSV of promised jobs done (``customer_id, kind,
            fulfilled_at``; see :func:`consistency.promises.read_fulfilment`):
            a promise it shows kept late, or lists as never done, is a
            ``broken_promise`` even when nobody chased it; one kept on time is
            not, whatever the customer says later. Its bad rows go to
            ``errors.jsonl``.
        calendar: the working calendar promises' terms are resolved on
            (overrides ``options.calendar``; default England, Mon-Fri
            09:00-17:30, Europe/London).

    Returns:
        The :class:`AuditSummary` also written to ``summary.json``. Findings are
        not failures: a successful audit returns whatever it found.

    Raises:
        AuditUsageError: a bad period, a resume with other settings, or an
            unknown format.
        ImportError: ``"parquet"`` without pyarrow, or ``"xlsx"`` without
            openpyxl (checked before any work).
    """
    formats = checked_formats(formats)
    check_engine(engine, workers, ray_address)
    if engine == "ray":
        from consistency.distributed import run_ray

        return run_ray(
            paths,
            kb,
            out=out,
            workers=workers,
            address=ray_address,
            checker=checker,
            since=since,
            until=until,
            resume=resume,
            history=history,
            options=options,
            batch_size=batch_size,
            on_batch=on_batch,
            formats=formats,
            redact_pii=redact_pii,
            fulfilment=fulfilment,
            calendar=calendar,
        )
    setup = prepare(
        kb,
        out=out,
        checker=checker,
        since=since,
        until=until,
        options=options,
        calendar=calendar,
        fulfilment=fulfilment,
    )
    since_day, until_day, options = setup.since, setup.until, setup.options
    log, checker, out_dir = setup.fulfilment, setup.checker, setup.out_dir
    files = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
    settings = {
        "inputs": [str(Path(p).resolve()) for p in files],
        "since": since_day.isoformat() if since_day else None,
        "until": until_day.isoformat() if until_day else None,
        "kb": getattr(checker.kb, "content_hash", None),
        "threshold": round(checker.no_match_threshold, 6),
        "options": repr(options),
    }
    state = AuditState(out_dir)
    resumed = resume and state.resume(settings)
    if not resumed:
        state.reset(settings)
    errors: list[Any] = []
    process(
        files,
        checker,
        state,
        since=since_day,
        until=until_day,
        errors=errors,
        batch_size=batch_size,
        progress=progress,
        on_batch=on_batch,
        options=options,
    )
    state.mark_complete()
    records: list[ExchangeRecord] = []
    conversations = 0
    for ids, batch in state.batches():
        conversations += len(ids)
        records.extend(batch)
    findings = find(records, checker, options, state.promise_items(), log)
    errors.extend(log.errors)
    summary = publish(
        out_dir,
        findings,
        records,
        conversations,
        errors,
        since=since_day,
        until=until_day,
        resumed=bool(resumed),
        history=history,
        formats=formats,
        redactor=redactor_for(checker, kb) if redact_pii else None,
    )
    if redact_pii:  # the checkpoint holds customers' text: it does not outlive the run
        shutil.rmtree(state.dir, ignore_errors=True)
    return summary


def publish(
    out_dir: Path,
    findings: list[Finding],
    records: list[ExchangeRecord],
    conversations: int,
    errors: list[IngestError],
    *,
    since: dt.date | None,
    until: dt.date | None,
    resumed: bool,
    history: PathLike | None,
    formats: Sequence[str] = ("jsonl",),
    redactor: Redactor | None = None,
    context: Iterable[ExchangeRecord] | None = None,
) -> AuditSummary:
    """The last step of every engine: summary, history and the output files.

    Both engines end here, so ``summary.json``, the history and the report are
    written by one piece of code whichever scheduler ran the stages. With a
    ``redactor``, every file written is masked (the history holds counts only);
    ``context`` are the records with their texts when ``records`` lack them
    (the Ray engine's), so both engines mask the same.
    """
    from consistency.report.writers import write_outputs

    summary = _summary(findings, records, conversations, len(errors)).model_copy(
        update={
            "since": since.isoformat() if since else None,
            "until": until.isoformat() if until else None,
            "resumed": resumed,
            "out": str(out_dir),
        }
    )
    if history is not None:
        record_run(
            history,
            period=summary.period,
            conversations=conversations,
            exchanges=len(records),
            findings=findings,
            records=records,
        )
        summary = summary.model_copy(update={"trends": trends(history)})
    if redactor is not None:  # counts above are from the originals; files get masked text
        findings, summary, errors = redactor.redact_audit(
            findings, summary, errors, records=records if context is None else context
        )
    write_outputs(out_dir, findings, summary, errors, formats=formats)
    return summary


@dataclass(frozen=True)
class RunSetup:
    """What every engine settles before any work, the same way."""

    since: dt.date | None
    until: dt.date | None
    options: AuditOptions
    fulfilment: FulfilmentLog
    checker: Any  # a Checker; the Ray engine also takes a factory of one
    out_dir: Path


def checked_formats(formats: Sequence[str]) -> tuple[str, ...]:
    """The findings formats, refused before any work when one is unknown or unavailable."""
    from consistency.report.writers import check_formats

    try:
        return check_formats(formats)
    except ValueError as exc:
        raise AuditUsageError(str(exc), code="bad-option") from None


def prepare(
    kb: KnowledgeBase | PathLike,
    *,
    out: PathLike,
    checker: Any,
    since: dt.date | str | None,
    until: dt.date | str | None,
    options: AuditOptions | None,
    calendar: WorkingCalendar | None,
    fulfilment: PathLike | None,
) -> RunSetup:
    """The period checked, the options completed, the fulfilment file read, a checker
    built from ``kb`` when none is given, and the output folder made.

    Raises:
        AuditUsageError: a bad period or a missing fulfilment file.
    """
    since_day, until_day = _day(since, "since"), _day(until, "until")
    if since_day and until_day and since_day > until_day:
        raise AuditUsageError(
            f"since ({since_day}) is after until ({until_day})", code="bad-period"
        )
    options = promise_options(options, calendar)
    log = load_fulfilment(fulfilment)
    if checker is None:
        from consistency.checker import Checker
        from consistency.kb import KnowledgeBase

        knowledge_base = kb if not isinstance(kb, str | os.PathLike) else KnowledgeBase.load(kb)
        checker = Checker(knowledge_base)
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    return RunSetup(since_day, until_day, options, log, checker, out_dir)


def redactor_for(checker: Any, kb: KnowledgeBase | PathLike) -> Redactor:
    """A Redactor for the audited KB: the checker's, else ``kb`` itself (the Ray engine
    may hold only a factory of checkers)."""
    from consistency.kb import KnowledgeBase
    from consistency.redact import Redactor

    if hasattr(checker, "kb"):
        return Redactor(checker.kb)
    return Redactor(kb if isinstance(kb, KnowledgeBase) else KnowledgeBase.load(kb))
