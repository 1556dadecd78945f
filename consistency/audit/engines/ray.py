"""The audit on Ray Data: the local engine's stages, scheduled across workers.

DESIGN.md: "the engine schedules, it never holds logic of its own". Every
decision here is a call into :mod:`consistency.audit.stages` (or the ingest
readers, or the report writers); this module only cuts the input into shards,
moves records between workers as the JSON the local engine's state uses, groups
them by the stages' own keys and restores the local engine's order where a
stage's output could depend on it. Data flow::

    files ─► plan_shards (driver: byte ranges on line boundaries)
          ─► map_batches(_Analyser, one actor per worker: checker loaded once)
               read shard (ingest parser) ─► in_period ─► segment_batch
               ─► match_batch ∥ judge_batch ─► contradiction_findings, block_keys
          ─► driver: reading-order manifest ─► duplicate ids, errors, counts
          ─► groupby(block) ─► link_block ─► driver: components (union-find)
          ─► assign_cluster, group_key ─► groupby(group) ─► compare_group
          ─► customer_key ─► groupby(customer) ─► compare_customer
          analysed promises/chases ─► groupby(customer) ─► compare_promises
          ─► driver: finalise ─► publish (summary, history, outputs)

A worker killed mid-shard is restarted by Ray and the shard's task retried
(``max_restarts`` / ``max_task_retries``); a shard's output depends only on
the shard, so the retry yields the same rows and nothing is lost or doubled.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from consistency.audit.engines.common import (
    PathLike,
    RunSetup,
    close_night,
    open_night,
    path_list,
    prepare,
    publish,
)
from consistency.audit.models import AuditSummary, ExchangeRecord, Finding, json_default
from consistency.audit.stages import AuditOptions

if TYPE_CHECKING:
    from consistency.audit.config import AuditConfig
    from consistency.checker import Checker
    from consistency.ingest import IngestError, Transcript
    from consistency.kb import KnowledgeBase

__all__ = ["Shard", "plan_shards", "run_on_ray", "run_ray"]

#: A shard's size when a JSONL file is cut: big enough that a worker's batches
#: stay full, small enough that a retried shard costs seconds, not minutes.
DEFAULT_SHARD_BYTES = 4 << 20


@dataclass(frozen=True)
class Shard:
    """A piece of the input a worker reads on its own.

    ``index`` is its place in reading order. A JSONL file larger than a shard
    is cut at line starts: bytes ``start`` to ``end``, whose first line is line
    ``first_line`` of the file (so errors name the same line as the local
    engine's). ``end`` is ``None`` for a whole file read by its format's reader
    (CSV, Contact Lens, gzip).
    """

    index: int
    file: str
    start: int = 0
    end: int | None = None
    first_line: int = 1


def plan_shards(files: Iterable[Path], shard_bytes: int = DEFAULT_SHARD_BYTES) -> list[Shard]:
    """Cut the input files into shards in reading order (one pass over each large JSONL)."""
    from consistency.ingest import detect_format

    shards: list[Shard] = []
    for path in files:
        fmt = detect_format(path)  # an unknown extension is refused before any work
        size = path.stat().st_size if path.exists() else 0
        plain_jsonl = fmt == "jsonl" and not path.name.lower().endswith(".gz")
        if not plain_jsonl or size <= shard_bytes:
            shards.append(Shard(len(shards), str(path)))
            continue
        start, line, pos = 0, 1, 0
        lines_in = 0
        with open(path, "rb") as handle:
            for raw in handle:
                pos += len(raw)
                lines_in += 1
                if pos - start >= shard_bytes:
                    shards.append(Shard(len(shards), str(path), start, pos, line))
                    start, line, lines_in = pos, line + lines_in, 0
        if pos > start:
            shards.append(Shard(len(shards), str(path), start, pos, line))
    return shards


def _read_shard(shard: Shard, report: Callable[[IngestError], None]) -> Iterator[Transcript]:
    """The shard's transcripts, reported errors going to ``report`` in reading order."""
    from consistency.ingest import IngestError, parse_jsonl_lines, read_transcripts

    if shard.end is None:
        yield from read_transcripts([shard.file], errors=report)
        return
    offset = shard.first_line - 1

    def renumbered(error: IngestError) -> None:
        line = error.line + offset if error.line is not None else None
        report(error.model_copy(update={"line": line}))

    read = 0
    try:
        with open(shard.file, "rb") as handle:
            handle.seek(shard.start)

            def lines() -> Iterator[bytes]:
                nonlocal read
                pos = shard.start
                while pos < (shard.end or 0):
                    raw = handle.readline()
                    if not raw:
                        return
                    pos += len(raw)
                    read += 1
                    yield raw

            yield from parse_jsonl_lines(lines(), file=shard.file, errors=renumbered)
    except OSError as exc:  # the same record read_jsonl writes for an unreadable file
        report(
            IngestError(
                file=shard.file,
                line=offset + read + 1 if read else None,
                reason=f"cannot read: {exc}",
                type="unreadable",
            )
        )


def _ship(checker: Checker) -> Any:
    """Put the checker in the object store once, for every worker to load.

    An ONNX encoder holds an onnxruntime session, which does not pickle: it
    travels as its files and settings and each worker opens its own session,
    with the worker's thread count. Anything else travels as it is.
    """
    import copy

    import ray

    from consistency.audit.state import AuditUsageError

    spec = None
    encoder = checker.encoder
    if type(encoder).__name__ == "OnnxEncoder" and hasattr(encoder, "model_path"):
        spec = {
            "model_path": str(encoder.model_path),
            "tokenizer_path": str(encoder.tokenizer_path),
            "max_length": encoder.max_length,
            "spinning": encoder.spinning,
            "fused": getattr(encoder, "fused", False),
            # the same float weights, so workers build (or open) the driver's graph
            "float_weights": (
                str(encoder.fused_from)
                if getattr(encoder, "fused_from", None) is not None
                and encoder.fused_from.suffix == ".safetensors"
                else None
            ),
            "threads": encoder.threads,
        }
        checker = copy.copy(checker)
        checker.index = copy.copy(checker.index)
        checker.encoder = checker.index.encoder = None  # type: ignore[assignment]
    try:
        return ray.put((checker, spec))
    except Exception as exc:  # Ray wraps pickling errors in several types
        raise AuditUsageError(
            f"the checker cannot be sent to Ray workers ({str(exc)[:200]}); pass "
            "checker=<a picklable function that builds it> instead",
            code="bad-option",
        ) from None


def _landed(checker: Checker, spec: dict[str, Any] | None, threads: int | None) -> Checker:
    """The shipped checker, with its ONNX encoder reopened in this worker."""
    if spec is not None:
        from consistency.match.onnx_encoder import OnnxEncoder

        encoder = OnnxEncoder(
            spec["model_path"],
            tokenizer_path=spec["tokenizer_path"],
            max_length=spec["max_length"],
            spinning=spec["spinning"],
            fused=spec["fused"],
            float_weights=spec["float_weights"],
            threads=threads or spec["threads"],
        )
        checker.encoder = checker.index.encoder = encoder
    return checker


def _dumps(value: Any) -> bytes:
    """The JSON the local engine's state uses, so records round-trip the same way."""
    return json.dumps(value, default=json_default, separators=(",", ":")).encode()


def _record(data: bytes) -> ExchangeRecord:
    return ExchangeRecord.from_dict(json.loads(data))


def _peak_rss() -> int:
    """This process's peak resident memory in bytes (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


#: The analysing stage's columns (every row has all of them; unused ones are empty).
_ANALYSED = (
    "kind",
    "shard",
    "seq",
    "index",
    "tid",
    "live",
    "data",
    "errdata",
    "findings",
    "blocks",
    "agent",
    "entry",
    "day",
    "topic",
    "customer",
    "rss",
)


class _Analyser:
    """One Ray worker: the checker (KB, index, encoder) loaded once, then shard after shard.

    Output rows, one per event in the shard's reading order: ``t`` a
    transcript (``live``: inside the period), ``e`` a skipped input record,
    ``r`` an exchange record with its kb_contradiction findings and block keys,
    ``p`` a promise or chase said in a transcript (keyed by ``customer``).
    """

    def __init__(
        self,
        checker: list[Any],
        options: AuditOptions,
        batch_size: int,
        since: dt.date | None,
        until: dt.date | None,
        threads: int | None,
        on_batch: Callable[[int], None] | None,
    ) -> None:
        import sys

        import ray

        if threads:
            os.environ["OMP_NUM_THREADS"] = str(threads)
        ref = checker[0]
        if isinstance(ref, ray.ObjectRef):
            shipped, spec = ray.get(ref)
            self.checker: Checker = _landed(shipped, spec, threads)
        else:
            self.checker = ref()
        if threads and "torch" in sys.modules:  # only an encoder that uses torch pays for it
            sys.modules["torch"].set_num_threads(threads)
        self.options = options
        self.batch_size = batch_size
        self.since, self.until = since, until
        self.on_batch = on_batch
        self.processed = 0
        self.pool = ThreadPoolExecutor(max_workers=1)

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        cols: dict[str, list[Any]] = defaultdict(list)
        for raw in batch["shard"]:
            self._shard(Shard(**json.loads(raw)), cols)
        rss = _peak_rss()
        cols["rss"] = [rss] * len(cols["kind"])
        return {name: cols.get(name, []) for name in _ANALYSED}

    def _shard(self, shard: Shard, cols: dict[str, list[Any]]) -> None:
        from consistency.audit.stages import (
            block_keys,
            contradiction_findings,
            in_period,
            judge_batch,
            match_batch,
            promise_batch,
            promise_item_dict,
            segment_batch,
        )

        seq = 0  # the next event's place in the shard's reading order
        pending: list[tuple[int, Transcript]] = []

        def emit(kind: str, at: int, **values: Any) -> None:
            row = {
                "kind": kind,
                "shard": shard.index,
                "seq": at,
                "index": -1,
                "tid": None,
                "live": False,
                "data": b"",
                "errdata": b"",
                "findings": b"",
                "blocks": "",
                "agent": None,
                "entry": None,
                "day": None,
                "topic": None,
                "customer": None,
                **values,
            }
            for name, value in row.items():
                cols[name].append(value)

        # As in the local engine: embedding batch i+1 (GIL released) overlaps judging batch i.
        ahead: list[tuple[list[Any], list[int], Future[Any], list[tuple[int, Transcript]]]] = []

        def judge() -> None:
            items, owners, future, transcripts = ahead.pop(0)
            records = judge_batch(items, future.result(), self.checker, self.options)
            for at, transcript in transcripts:  # one at a time: a repeated id is its own row
                said = promise_batch([transcript], records, self.options)
                for k, item in enumerate(said):
                    emit(
                        "p",
                        at,
                        index=k,
                        tid=item.transcript_id,
                        data=_dumps(promise_item_dict(item)),
                        customer=item.customer_id,
                    )
            for at, record in zip(owners, records, strict=True):
                findings = contradiction_findings(record, self.checker)
                emit(
                    "r",
                    at,
                    index=record.index,
                    tid=record.transcript_id,
                    data=_dumps(record.to_dict()),
                    findings=_dumps([f.model_dump(mode="json") for f in findings])
                    if findings
                    else b"",
                    blocks="\n".join(block_keys(record)),
                    agent=record.agent_id,
                    entry=record.entry_id,
                    day=record.started_at[:10],
                    topic=record.topic,
                )
            self.processed += len(transcripts)
            if self.on_batch is not None:
                self.on_batch(self.processed)

        def submit() -> None:
            items: list[Any] = []
            owners: list[int] = []
            for at, transcript in pending:
                exchanges = segment_batch([transcript])
                items.extend(exchanges)
                owners.extend([at] * len(exchanges))
            future = self.pool.submit(match_batch, items, self.checker, self.options)
            ahead.append((items, owners, future, list(pending)))
            pending.clear()
            if len(ahead) > 1:
                judge()

        def report(error: IngestError) -> None:
            nonlocal seq
            emit("e", seq, errdata=_dumps(error.model_dump(mode="json")))
            seq += 1

        for transcript in _read_shard(shard, report):
            live = in_period(transcript, self.since, self.until)
            emit("t", seq, tid=transcript.id, live=live)
            if live:
                pending.append((seq, transcript))
            seq += 1
            if len(pending) >= self.batch_size:
                submit()
        if pending:
            submit()
        while ahead:
            judge()


# -- group stages (stateless Ray tasks; every decision is a stage call) -------------------


def _rows(batch: dict[str, Any]) -> list[dict[str, Any]]:
    names = list(batch)
    return [dict(zip(names, values, strict=True)) for values in zip(*batch.values(), strict=True)]


def _reading_order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The local engine's record order: files, lines, exchanges."""
    return sorted(rows, key=lambda r: (int(r["shard"]), int(r["seq"]), int(r["index"])))


def _link_group(batch: dict[str, Any], options: AuditOptions) -> dict[str, list[Any]]:
    from consistency.audit.stages import link_block

    records = [_record(r["data"]) for r in _reading_order(_rows(batch))]
    edges = link_block(records, options)
    return {"a": [a for a, _ in edges], "b": [b for _, b in edges]}


def _compare_group(batch: dict[str, Any], options: AuditOptions) -> dict[str, list[Any]]:
    """compare_group on one question's records; slotted facts leave keyed by customer."""
    from consistency.audit.stages import compare_group, customer_key

    rows = _reading_order(_rows(batch))
    group = str(rows[0]["group"])
    records = [_record(r["data"]) for r in rows]
    findings, slotted = compare_group(records, options)
    out: dict[str, list[Any]] = {k: [] for k in ("kind", "key", "group", "pos", "data")}

    def put(kind: str, key: str | None, pos: int, data: bytes) -> None:
        out["kind"].append(kind)
        out["key"].append(key)
        out["group"].append(group)
        out["pos"].append(pos)
        out["data"].append(data)

    for k, finding in enumerate(findings):
        put("f", group, k, _dumps(finding.model_dump(mode="json")))
    # One row per (customer, record): the record once, with its slotted facts' places.
    per_record: dict[tuple[str, int], list[list[Any]]] = {}
    owner: dict[int, ExchangeRecord] = {}
    for pos, item in enumerate(slotted):
        ckey = customer_key(item)
        if ckey is None:
            continue
        fact_at = next(i for i, f in enumerate(item.record.facts) if f is item.fact)
        per_record.setdefault((ckey, id(item.record)), []).append([pos, item.slot, fact_at])
        owner[id(item.record)] = item.record
    for (ckey, rid), places in per_record.items():
        record = owner[rid]
        record.vector = None  # no stage reads it after clustering: not worth shipping
        put("s", ckey, places[0][0], _dumps({"record": record.to_dict(), "places": places}))
    return out


def _compare_customer(batch: dict[str, Any], options: AuditOptions) -> dict[str, list[Any]]:
    """compare_customer on one customer's slotted facts, in the local engine's order."""
    from consistency.audit.stages import SlottedFact, compare_customer

    rows = _rows(batch)
    items: list[tuple[str, int, SlottedFact]] = []
    for row in rows:
        payload = json.loads(row["data"])
        record = ExchangeRecord.from_dict(payload["record"])
        for pos, slot, fact_at in payload["places"]:
            items.append((str(row["group"]), pos, SlottedFact(slot, record, record.facts[fact_at])))
    items.sort(key=lambda t: (t[0], t[1]))
    findings = compare_customer([item for _, _, item in items], options)
    key = str(rows[0]["key"])
    return {
        "key": [key] * len(findings),
        "pos": list(range(len(findings))),
        "data": [_dumps(f.model_dump(mode="json")) for f in findings],
    }


def _compare_promises(
    batch: dict[str, Any], options: AuditOptions, log_ref: Any
) -> dict[str, list[Any]]:
    """compare_promises on one customer's promises and chases, with its fulfilment rows."""
    import ray

    from consistency.audit.stages import compare_promises, load_promise_item

    log = ray.get(log_ref)
    rows = _reading_order(_rows(batch))
    items = [load_promise_item(json.loads(r["data"])) for r in rows]
    key = str(rows[0]["customer"])
    findings = compare_promises(items, options, log.rows.get(key, ()), as_of=log.as_of)
    return {
        "key": [key] * len(findings),
        "pos": list(range(len(findings))),
        "data": [_dumps(f.model_dump(mode="json")) for f in findings],
    }


# -- the driver -------------------------------------------------------------------------------


def _connect(address: str | None, workers: int | None) -> bool:
    """Join the given cluster, or start a local one; ``True`` when this call started Ray."""
    import ray

    if ray.is_initialized():
        return False
    kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False}
    if address is None:
        kwargs["num_cpus"] = workers or os.cpu_count() or 1
    try:
        ray.init(address=address, **kwargs)
    except ConnectionError as exc:  # "auto" or an address with no cluster behind it
        from consistency.audit.state import AuditUsageError

        said = str(exc).strip()
        # Ray's first sentence; the rest advises its own flags (--address), not ours
        first = said.splitlines()[0].split(". ")[0].rstrip(".") if said else type(exc).__name__
        raise AuditUsageError(
            f"cannot connect to a Ray cluster at --ray-address {address}: {first}",
            code="no-cluster",
        ) from None
    return True


def _input_files(paths: list[Path]) -> list[Path]:
    """Files in the local engine's reading order (the ingest readers' own expansion)."""
    from consistency.ingest.readers import _expand

    return list(_expand(paths))


def _drop(batch: dict[str, Any], gone: frozenset[tuple[int, int]]) -> dict[str, Any]:
    """Rows of the conversations reported as repeated ids (the first copy is kept)."""
    keep = np.array(
        [(int(a), int(b)) not in gone for a, b in zip(batch["shard"], batch["seq"], strict=True)],
        dtype=bool,
    )
    return {name: column[keep] for name, column in batch.items()}


def _light(where: tuple[int, int], row: dict[str, Any]) -> ExchangeRecord:
    """The few fields the summary and history read (counts, agents, days, topics)."""
    return ExchangeRecord(
        transcript_id="",
        index=0,
        started_at=row["day"] or "",
        agent_id=row["agent"],
        customer_id=None,
        channel=None,
        question="",
        question_turn=0,
        status="",
        score=0.0,
        nearest=f"{where[0]}:{where[1]}",
        entry_id=row["entry"],
        topic=row["topic"],
    )


def _bytes_of(ds: Any, column: str = "data") -> int:
    from ray.data.aggregate import Sum

    sized = ds.map_batches(lambda b: {"n": [len(x) for x in b[column]]}, batch_format="numpy")
    total = sized.aggregate(Sum("n")) if sized.count() else {"sum(n)": 0}
    return int(next(iter(total.values())) or 0)


def _texts(records: Any) -> list[ExchangeRecord]:
    """The records' texts (no vectors) at the driver, for the redactor's context."""
    out = []
    for batch in records.select_columns(["data"]).iter_batches(batch_format="numpy"):
        for data in batch["data"]:
            record = _record(data)
            record.vector = None
            out.append(record)
    return out


def _by_block(row: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per block key of an unmatched question's record."""
    return [
        {"block": b, **{k: row[k] for k in ("shard", "seq", "index", "data")}}
        for b in row["blocks"].split("\n")
    ]


def _regroup(batch: dict[str, Any], labels_ref: Any) -> dict[str, list[Any]]:
    """Each record's cluster set from the labels, keyed by its question group."""
    import ray

    from consistency.audit.stages import assign_cluster, group_key

    table = ray.get(labels_ref)
    out: dict[str, list[Any]] = {k: [] for k in ("group", "shard", "seq", "index", "data")}
    for row in _rows(batch):
        record = assign_cluster(_record(row["data"]), table)
        key = group_key(record)
        if key is None:
            continue
        record.vector = None  # no stage reads it after clustering
        out["group"].append(key)
        out["shard"].append(row["shard"])
        out["seq"].append(row["seq"])
        out["index"].append(row["index"])
        out["data"].append(_dumps(record.to_dict()))
    return out


# -- the driver -------------------------------------------------------------------------------

#: A finding's place in the local engine's order: stage, then the stage's own keys.
_Placed = tuple[tuple[Any, ...], Finding]


def _ray_data() -> tuple[Any, Any]:
    """``ray`` and Ray Data's ``col``, or a usage error naming the extra."""
    try:
        import ray
        from ray.data.expressions import col
    except ImportError as exc:
        from consistency.audit.state import AuditUsageError

        raise AuditUsageError(
            f"the ray engine needs ray[data] ({exc}): pip install 'consistency[distributed]'",
            code="bad-option",
        ) from None
    return ray, col


def _configure(progress: bool) -> None:
    """Ray Data's settings for the audit: its progress bars, sort-based shuffles."""
    from ray.data import DataContext
    from ray.data.context import ShuffleStrategy

    context = DataContext.get_current()
    context.enable_progress_bars = progress
    context.print_on_execution_start = False
    # Sort-based shuffles run as plain tasks: no aggregator actors to start per
    # group-by, which dominates at the audit's shuffle sizes (records, not rows of floats).
    context.shuffle_strategy = ShuffleStrategy.SORT_SHUFFLE_PULL_BASED


@dataclass(frozen=True)
class _Plan:
    """The workers and their CPUs, and the shards they read."""

    workers: int
    per_worker: float
    shards: list[Shard]

    @property
    def partitions(self) -> int:
        return max(1, self.workers)


def _plan(files: list[Path], config: AuditConfig) -> _Plan:
    """One worker per CPU unless told; shards small enough to keep every worker busy."""
    import ray

    cpus = float(ray.cluster_resources().get("CPU", 1.0))
    workers = config.workers or max(1, int(cpus))
    # Fractional CPUs let more workers than cores be tested on a small machine.
    per_worker = min(1.0, cpus / workers)
    total = sum(Path(f).stat().st_size for f in files if Path(f).exists())
    target = config.shard_bytes or max(
        64 << 10, min(DEFAULT_SHARD_BYTES, total // (4 * workers) + 1)
    )
    return _Plan(workers, per_worker, plan_shards(files, target))


def _analyse(plan: _Plan, setup: RunSetup, on_batch: Callable[[int], None] | None) -> Any:
    """Every shard read and analysed by the pool of workers (materialised)."""
    import ray

    config, checker = setup.config, setup.checker
    if isinstance(checker, Callable) and not hasattr(checker, "index"):  # a factory
        handle: list[Any] = [checker]
    else:
        handle = [_ship(checker)]
    return (
        ray.data.from_items(
            [{"shard": json.dumps(asdict(s))} for s in plan.shards],
            override_num_blocks=max(1, len(plan.shards)),
        )
        .map_batches(
            _Analyser,
            batch_size=1,
            batch_format="numpy",
            fn_constructor_args=(
                handle,
                config.options,
                config.batch_size,
                config.since,
                config.until,
                config.threads_per_worker,
                on_batch,
            ),
            concurrency=plan.workers,
            num_cpus=plan.per_worker,
            # A killed worker is restarted and its shard's task retried: Ray
            # Data's actor pools default to max_restarts=-1, max_task_retries=-1
            # (passing them is deprecated); tests/distributed kills one to hold it.
        )
        .materialize()
    )


@dataclass
class _Scan:
    """The analysed rows' small columns, read once at the driver, in reading order."""

    placed: list[_Placed]  # kb_contradiction findings
    light: list[ExchangeRecord]  # the summary's and history's fields of each record
    errors: list[Any]
    conversations: int
    gone: frozenset[tuple[int, int]]  # (shard, seq) of repeated conversation ids
    worker_rss: int


def _scan(analysed: Any) -> _Scan:
    """Errors, repeated ids and counts from the reading-order manifest; kb_contradictions."""
    from consistency.ingest import IngestError

    manifest: list[tuple[int, int, str, str | None, bool, bytes]] = []
    placed: list[_Placed] = []
    light: list[ExchangeRecord] = []
    worker_rss = 0
    small = ["kind", "shard", "seq", "index", "tid", "live", "findings", "agent", "entry"]
    for batch in analysed.select_columns([*small, "day", "topic", "rss", "errdata"]).iter_batches(
        batch_format="numpy", batch_size=4096
    ):
        for r in _rows(batch):
            worker_rss = max(worker_rss, int(r["rss"]))
            if r["kind"] == "p":
                continue  # promises and chases meet per customer below
            where = (int(r["shard"]), int(r["seq"]))
            if r["kind"] != "r":
                manifest.append((*where, r["kind"], r["tid"], bool(r["live"]), r["errdata"]))
                continue
            if r["findings"]:
                for k, item in enumerate(json.loads(r["findings"])):
                    placed.append(((0, *where, int(r["index"]), k), Finding.model_validate(item)))
            light.append(_light(where, r))
    manifest.sort(key=lambda m: (m[0], m[1]))
    errors: list[Any] = []
    seen: set[str] = set()
    dropped: set[tuple[int, int]] = set()
    conversations = 0
    for shard_index, seq, kind, tid, live, data in manifest:
        if kind == "e":
            errors.append(IngestError.model_validate(json.loads(data)))
        elif tid in seen:
            errors.append(
                IngestError(
                    file="-",
                    line=None,
                    reason=f"duplicate conversation id {tid!r}; the first one was kept",
                    type="bad-record",
                    record_id=tid,
                )
            )
            dropped.add((shard_index, seq))
        else:
            seen.add(str(tid))
            conversations += int(live)
    if dropped:  # a later copy of a conversation id: its records and findings go
        placed = [o for o in placed if o[0][1:3] not in dropped]
        tags = {f"{a}:{b}" for a, b in dropped}
        light = [x for x in light if x.nearest not in tags]
    return _Scan(placed, light, errors, conversations, frozenset(dropped), worker_rss)


def _kept(ds: Any, gone: frozenset[tuple[int, int]]) -> Any:
    """``ds`` without the rows of repeated conversation ids."""
    if not gone:
        return ds
    return ds.map_batches(_drop, batch_format="numpy", fn_kwargs={"gone": gone})


def _cluster(records: Any, options: AuditOptions, partitions: int) -> tuple[Any, Any]:
    """Unmatched questions linked within blocks, components over all links.

    Returns the labels (in the object store) and the blocked rows (for stats).
    """
    import ray

    from consistency.audit.stages import components

    _, col = _ray_data()
    blocked = records.filter(expr=col("blocks") != "").flat_map(_by_block)
    edges = blocked.groupby("block", num_partitions=partitions).map_groups(
        _link_group, batch_format="numpy", fn_kwargs={"options": options}
    )
    labels = components(
        (str(a), str(b))
        for batch in edges.iter_batches(batch_format="numpy", batch_size=65536)
        for a, b in zip(batch["a"], batch["b"], strict=True)
    )
    return ray.put(labels), blocked


def _compare(
    records: Any, labels_ref: Any, options: AuditOptions, partitions: int
) -> tuple[list[_Placed], Any, Any]:
    """Question groups, then customers: their findings, and the grouped and slotted rows."""
    _, col = _ray_data()
    grouped = records.select_columns(["shard", "seq", "index", "data"]).map_batches(
        _regroup, batch_format="numpy", fn_kwargs={"labels_ref": labels_ref}
    )
    compared = (
        grouped.groupby("group", num_partitions=partitions)
        .map_groups(_compare_group, batch_format="numpy", fn_kwargs={"options": options})
        .materialize()
    )
    slotted = compared.filter(expr=col("kind") == "s")
    placed: list[_Placed] = []
    for r in compared.filter(expr=col("kind") == "f").iter_rows():
        placed.append(((1, str(r["key"]), int(r["pos"])), Finding.model_validate_json(r["data"])))
    for r in (
        slotted.groupby("key", num_partitions=partitions)
        .map_groups(_compare_customer, batch_format="numpy", fn_kwargs={"options": options})
        .iter_rows()
    ):
        placed.append(((2, str(r["key"]), int(r["pos"])), Finding.model_validate_json(r["data"])))
    return placed, grouped, slotted


def _broken_promises(
    analysed: Any,
    gone: frozenset[tuple[int, int]],
    setup: RunSetup,
    partitions: int,
    prior: Any = None,
) -> list[_Placed]:
    """Each customer's promises and chases (``prior``: earlier nights'), with its fulfilment rows."""
    import ray

    _, col = _ray_data()
    said = _kept(analysed.filter(expr=col("kind") == "p"), gone)
    said = said.select_columns(["shard", "seq", "index", "data", "customer"])
    if prior is not None:
        said = said.union(prior)
    if not said.count():
        return []
    log_ref = ray.put(setup.fulfilment)
    return [
        ((3, str(r["key"]), int(r["pos"])), Finding.model_validate_json(r["data"]))
        for r in said.groupby("customer", num_partitions=partitions)
        .map_groups(
            _compare_promises,
            batch_format="numpy",
            fn_kwargs={"options": setup.config.options, "log_ref": log_ref},
        )
        .iter_rows()
    ]


def _tonight(
    analysed: Any, gone: frozenset[tuple[int, int]]
) -> list[tuple[list[str], list[ExchangeRecord], list[Any]]]:
    """Tonight's conversations, records and promises at the driver, as the history stores them."""
    from consistency.audit.analyse import load_promise_item

    rows: list[dict[str, Any]] = []
    columns = ["kind", "shard", "seq", "index", "tid", "live", "data"]
    for batch in _kept(analysed, gone).select_columns(columns).iter_batches(batch_format="numpy"):
        rows.extend(_rows(batch))
    rows.sort(key=lambda r: (int(r["shard"]), int(r["seq"]), int(r["index"])))
    ids = [str(r["tid"]) for r in rows if r["kind"] == "t" and r["live"]]
    records = [_record(r["data"]) for r in rows if r["kind"] == "r"]
    said = [load_promise_item(json.loads(r["data"])) for r in rows if r["kind"] == "p"]
    return [(ids, records, said)]


def _prior_datasets(prior: Any) -> tuple[Any, Any]:
    """Earlier nights' records and promises as rows shaped like tonight's (shards below 0,
    so they come first, as in the local engine); ``None`` for an empty side."""
    import ray

    from consistency.audit.analyse import promise_item_dict
    from consistency.audit.stages import block_keys

    records = [
        {
            "shard": -1,
            "seq": i,
            "index": r.index,
            "data": _dumps(r.to_dict()),
            "blocks": "\n".join(block_keys(r)),
        }
        for i, r in enumerate(prior.records)
    ]
    said = [
        {
            "shard": -1,
            "seq": i,
            "index": 0,
            "data": _dumps(promise_item_dict(p)),
            "customer": p.customer_id,
        }
        for i, p in enumerate(prior.promises)
    ]
    return (
        ray.data.from_items(records) if records else None,
        ray.data.from_items(said) if said else None,
    )


def run_on_ray(
    paths: PathLike | Iterable[PathLike],
    kb: KnowledgeBase | PathLike,
    config: AuditConfig,
    *,
    checker: Checker | Callable[[], Checker] | None = None,
    on_batch: Callable[[int], None] | None = None,
    stats: dict[str, Any] | None = None,
) -> AuditSummary:
    """The audit on Ray Data, settings in ``config``; see :func:`run_ray`."""
    import time

    ray, col = _ray_data()
    from consistency.audit.stages import finalise

    clock: dict[str, float] = {"start": time.perf_counter()}
    setup = prepare(kb, config, checker)
    files = _input_files([Path(p) for p in path_list(paths)])
    started = _connect(config.ray_address, config.workers)
    try:
        _configure(config.progress)
        plan = _plan(files, config)
        clock["planned"] = time.perf_counter()
        analysed = _analyse(plan, setup, on_batch)
        clock["analysed"] = time.perf_counter()
        scan = _scan(analysed)
        records = _kept(analysed.filter(expr=col("kind") == "r"), scan.gone)
        records = records.select_columns(["shard", "seq", "index", "data", "blocks"])
        night, tonight, prior_said = None, [], None
        if config.history is not None:  # earlier nights' state joins tonight's rows
            tonight = _tonight(analysed, scan.gone)
            night = open_night(config, tonight[0][1])
            if night is not None:
                prior_records, prior_said = _prior_datasets(night.prior)
                if prior_records is not None:
                    records = records.union(prior_records)
        labels_ref, blocked = _cluster(records, config.options, plan.partitions)
        clock["clustered"] = time.perf_counter()
        placed, grouped, slotted = _compare(records, labels_ref, config.options, plan.partitions)
        placed += _broken_promises(analysed, scan.gone, setup, plan.partitions, prior_said)
        clock["compared"] = time.perf_counter()
        # The exchanges' texts, for redaction only: a name given in one exchange is
        # masked wherever a finding quotes its conversation (as the local engine does).
        context = _texts(records) if config.redact_pii else []
        if stats is not None:  # measured after the run, so it does not slow the audit
            stats["analysed_bytes"] = analysed.size_bytes()
            shuffle = {
                "blocks": _bytes_of(blocked),
                "groups": _bytes_of(grouped),
                "customers": _bytes_of(slotted),
            }
    finally:
        if started:
            ray.shutdown()

    placed = scan.placed + placed
    placed.sort(key=lambda t: t[0])
    findings = finalise(f for _, f in placed)
    if night is not None:  # only what tonight adds, as the local engine reports
        findings = close_night(night, setup, findings, tonight)
    summary = publish(
        setup,
        findings,
        scan.light,
        scan.conversations,
        scan.errors,
        resumed=False,
        context=context,
        night=night,
    )
    clock["written"] = time.perf_counter()
    if stats is not None:
        stats.update(
            workers=plan.workers,
            shards=len(plan.shards),
            exchanges=len(scan.light),
            conversations=scan.conversations,
            worker_peak_rss=scan.worker_rss,
            shuffle_bytes=shuffle,
            seconds=_seconds(clock),
        )
    return summary


def _seconds(clock: dict[str, float]) -> dict[str, float]:
    return {
        "plan": clock["planned"] - clock["start"],
        "analyse": clock["analysed"] - clock["planned"],
        "cluster": clock["clustered"] - clock["analysed"],
        "compare": clock["compared"] - clock["clustered"],
        "write": clock["written"] - clock["compared"],
        "total": clock["written"] - clock["start"],
    }


def run_ray(
    paths: PathLike | Iterable[PathLike],
    kb: KnowledgeBase | PathLike,
    config: AuditConfig | None = None,
    *,
    checker: Checker | Callable[[], Checker] | None = None,
    on_batch: Callable[[int], None] | None = None,
    stats: dict[str, Any] | None = None,
    address: str | None = None,
    **settings: Any,
) -> AuditSummary:
    """Audit transcripts on Ray Data; the same outputs as :func:`consistency.audit.audit`.

    Args:
        paths, kb: as for :func:`~consistency.audit.audit` (``findings.jsonl``
            and ``errors.jsonl`` are byte-identical to the local engine's).
        config: the settings (:class:`~consistency.audit.AuditConfig`); or give
            them as keywords (``out=..., workers=2``), which override
            ``config``'s. Here ``progress`` (Ray Data's bars) is off unless
            asked for; ``workers`` are analysing workers (Ray actors), each
            holding one checker, default one per CPU of the cluster;
            ``threads_per_worker`` the encoder's intra-op threads in each
            worker (a worker holds one CPU: more threads only contend;
            ``None`` keeps the shipped encoder's setting); ``shard_bytes`` the
            target shard size for cutting JSONL files (default 4 MiB, smaller
            when that would leave workers idle). ``resume`` is refused: Ray
            retries failed work instead.
        checker: a ready checker, shipped once through the object store to
            every worker, or a picklable zero-argument factory each worker
            calls; by default one is built here from ``kb`` (the default
            offline model, the KB's fitted threshold) and shipped.
        on_batch: called *in the worker* with the number of conversations that
            worker has analysed, after each batch (tests use it to kill one).
        stats: if given, filled with run figures (timings, shuffle bytes,
            peak worker memory) for benchmarks.
        address: a running cluster (``ray start --head`` prints it, or
            ``"auto"``); ``None`` starts a local one unless Ray is already
            initialised in this process (then that one is used). The same as
            the setting ``ray_address``.

    Returns:
        The :class:`AuditSummary` also written to ``summary.json``.

    Raises:
        AuditUsageError: a bad setting, ``resume=True``, no ray[data], or no
            cluster at ``address``.
    """
    from consistency.audit.config import AuditConfig

    base = dict(config) if config is not None else {"progress": False}
    if address is not None:
        settings["ray_address"] = address
    config = AuditConfig(**{**base, **settings, "engine": "ray"})
    return run_on_ray(paths, kb, config, checker=checker, on_batch=on_batch, stats=stats)
