"""The local engine: run the audit's stages over files in one process.

It streams transcripts in batches through the analysing stages, spills each
batch's compact records to ``OUT/state`` (the checkpoint a resumed audit
continues from), then groups and compares from the full state and publishes.
All logic lives in :mod:`consistency.audit.stages`; this module only
schedules and groups by key, as the Ray engine does.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from consistency.audit.engines.common import (
    PathLike,
    Progress,
    RunSetup,
    batches,
    close_night,
    count_lines,
    input_files,
    open_night,
    path_list,
    prepare,
    publish,
)
from consistency.audit.models import AuditSummary, ExchangeRecord, Finding
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
from consistency.audit.state import AuditState

if TYPE_CHECKING:
    from consistency.audit.config import AuditConfig
    from consistency.checker import Checker
    from consistency.ingest import IngestError, Transcript
    from consistency.kb import KnowledgeBase
    from consistency.models import Exchange
    from consistency.promises import Chase, FulfilmentLog, Promise

__all__ = ["find", "process", "run_local"]


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

    files = path_list(paths)
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

    total = count_lines(input_files(files))
    processed = len(done)
    # Embedding (numpy/onnx/torch, GIL released) of batch i+1 overlaps the
    # pure-Python judging of batch i; results are used in input order.
    with Progress(progress, total) as bar, ThreadPoolExecutor(max_workers=1) as pool:
        pending: tuple[list[Transcript], list[tuple[int, Exchange]], Future[MatchedBatch]] | None
        pending = None
        stream = batches(fresh(read_transcripts(files, errors=report)), batch_size)
        while True:
            batch = next(stream, None)
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
    earlier: Iterable[ExchangeRecord] = (),
) -> list[Finding]:
    """Every finding from the full state: per record, per question group, per customer.

    ``promises`` are the promises and chases :func:`promise_batch` found;
    ``fulfilment`` the fulfilment file's rows
    (:func:`consistency.promises.load_fulfilment_log`).
    """
    from consistency.promises import FulfilmentLog

    findings: list[Finding] = []
    for record in records:
        findings.extend(contradiction_findings(record, checker))
    records = [*earlier, *records]
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


def _tonight(state: AuditState) -> Iterator[tuple[list[str], list[ExchangeRecord], list[Any]]]:
    """Tonight's batches as the history stores them: ids, records, promises and chases."""
    from consistency.audit.analyse import load_promise_item

    for batch in state._lines():
        yield (
            batch["transcripts"],
            [ExchangeRecord.from_dict(r) for r in batch["records"]],
            [load_promise_item(p) for p in batch.get("promises", ())],
        )


def _settings(files: list[PathLike], setup: RunSetup) -> dict[str, Any]:
    """What a resumed audit must share with the run it continues."""
    config, checker = setup.config, setup.checker
    return {
        "inputs": [str(Path(p).resolve()) for p in files],
        "since": config.since.isoformat() if config.since else None,
        "until": config.until.isoformat() if config.until else None,
        "kb": getattr(checker.kb, "content_hash", None),
        "threshold": round(checker.no_match_threshold, 6),
        "options": repr(config.options),
    }


def run_local(
    paths: PathLike | Iterable[PathLike],
    kb: KnowledgeBase | PathLike,
    config: AuditConfig,
    *,
    checker: Checker | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> AuditSummary:
    """The audit in this process: analyse into ``OUT/state``, then find and publish."""
    setup = prepare(kb, config, checker)
    files = path_list(paths)
    state = AuditState(config.out)
    resumed = config.resume and state.resume(_settings(files, setup))
    if not resumed:
        state.reset(_settings(files, setup))
    errors: list[Any] = []
    process(
        files,
        setup.checker,
        state,
        since=config.since,
        until=config.until,
        errors=errors,
        batch_size=config.batch_size,
        progress=config.progress,
        on_batch=on_batch,
        options=config.options,
    )
    state.mark_complete()
    records: list[ExchangeRecord] = []
    conversations = 0
    for ids, batch in state.batches():
        conversations += len(ids)
        records.extend(batch)
    promises = list(state.promise_items())
    night = open_night(config, records)
    earlier = night.prior.records if night else []
    said = [*night.prior.promises, *promises] if night else promises
    found = find(records, setup.checker, config.options, said, setup.fulfilment, earlier)
    if night is not None:  # only what tonight adds: new or grown, not judged false alarms
        found = close_night(night, setup, found, _tonight(state))
    summary = publish(
        setup, found, records, conversations, errors, resumed=bool(resumed), night=night
    )
    if config.redact_pii:  # the checkpoint holds customers' text: it does not outlive the run
        shutil.rmtree(state.dir, ignore_errors=True)
    return summary
