"""Scale-out benchmark: the local engine against the Ray engine, and blocking's recall cost.

Throughput (default)::

    python benchmarks/bench_scaleout.py --exchanges 100000 [--workers 1 2] [--json out.json]

builds a synthetic night by copying ``examples/transcripts.jsonl`` with new
conversation and customer ids (and a copy tag on each customer turn, so every
question is new text and the encoder's LRU does not flatter the figures), then
audits it with the local engine and with Ray at each worker count, each in a
fresh process with one intra-op thread per worker (``OMP_NUM_THREADS=1``,
``torch.set_num_threads(1)``) so the comparison is fair on a small machine.
It reports exchanges per second end to end and in the analyse stage alone,
Ray's overhead as a ratio of the local engine's time, peak memory per worker
and the shuffle volume per exchange (bytes of the records each group-by moves).

Blocking recall::

    python benchmarks/bench_scaleout.py --recall

clusters the sample's unmatched questions with the audit's blocking (nearest
KB entries, :func:`~consistency.audit.stages.block_keys`) and without (one
block), and reports the share of question pairs clustered together without
blocking that blocking keeps together. As the sample leaves few questions
unmatched, it also does so for every question of the sample treated as
unmatched (a stress case: many more questions share blocks).
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "transcripts.jsonl"
KB = ROOT / "knowledge_base"


# -- synthetic input ------------------------------------------------------------------------


def synthesise(path: Path, exchanges: int) -> int:
    """Copy the sample until it holds ``exchanges`` exchanges; returns the conversation count."""
    from consistency.ingest import read_transcripts, segment

    base = [json.loads(line) for line in SAMPLE.read_text().splitlines() if line.strip()]
    per = {t.id: len(segment(t)) for t in read_transcripts([SAMPLE])}
    total = conversations = 0
    with open(path, "w", encoding="utf-8") as handle:
        for copy in itertools.count():
            for item in base:
                if total >= exchanges:
                    return conversations
                data = dict(item)
                data["id"] = f"{item['id']}-x{copy}"
                if item.get("customer_id"):
                    data["customer_id"] = f"{item['customer_id']}-x{copy}"
                if copy:
                    data["turns"] = [
                        {**turn, "text": f"{turn['text']} ref {copy}"}
                        if turn["speaker"] == "customer"
                        else turn
                        for turn in item["turns"]
                    ]
                handle.write(json.dumps(data) + "\n")
                total += per.get(item["id"], 0)
                conversations += 1
    return conversations


# -- one engine run, in a fresh process ---------------------------------------------------------


def _one(engine: str, workers: int, transcripts: Path, out: Path, kb_dir: Path) -> dict[str, Any]:
    import resource

    from consistency import Checker
    from consistency.kb import KnowledgeBase
    from consistency.match.encoder import make_encoder

    kb = KnowledgeBase.load(kb_dir)
    # One intra-op thread for the local engine's encoder too (Ray's workers get one each).
    checker = Checker(kb, encoder=make_encoder(threads=1))
    if "torch" in sys.modules:  # a torch encoder: one intra-op thread as well
        sys.modules["torch"].set_num_threads(1)
    import consistency

    result: dict[str, Any] = {"engine": engine, "workers": workers}
    result["package"] = str(Path(consistency.__file__).resolve())
    if engine == "local":
        from consistency.audit import audit

        start = time.perf_counter()
        summary = audit([transcripts], kb, out=out, checker=checker, progress=False)
        result["seconds"] = time.perf_counter() - start
        result["peak_rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    else:
        import ray

        from consistency.distributed import run_ray

        ray.init(num_cpus=max(2, workers), include_dashboard=False, log_to_driver=False)
        stats: dict[str, Any] = {}
        start = time.perf_counter()
        summary = run_ray([transcripts], kb, out=out, checker=checker, workers=workers, stats=stats)
        result["seconds"] = time.perf_counter() - start
        result["stats"] = stats
        result["peak_rss"] = stats["worker_peak_rss"]
        ray.shutdown()
    result["exchanges"] = summary.exchanges
    result["findings"] = summary.findings
    return result


def throughput(args: argparse.Namespace) -> list[dict[str, Any]]:
    work = Path(tempfile.mkdtemp(prefix="bench-scaleout-"))
    transcripts = work / "night.jsonl"
    conversations = synthesise(transcripts, args.exchanges)
    print(
        f"synthetic night: {conversations} conversations, "
        f"{transcripts.stat().st_size / 1e6:.1f} MB -> {transcripts}",
        file=sys.stderr,
    )
    # Every engine runs one frozen copy of the package (Ray's workers included, through
    # PYTHONPATH), so an edit to the working tree during the run cannot skew the comparison.
    snapshot = work / "src"
    shutil.copytree(ROOT / "consistency", snapshot / "consistency")
    shutil.copytree(KB, work / "kb")  # the KB too: an edited entry changes matches
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(snapshot), os.environ.get("PYTHONPATH")])),
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "HF_HUB_OFFLINE": "1",
    }
    runs = [("local", 1)] + [("ray", w) for w in args.workers]
    results = []
    for engine, workers in runs:
        out = work / f"{engine}-{workers}"
        command = [sys.executable, __file__, "--one", engine, str(workers), str(transcripts)]
        proc = subprocess.run(
            [*command, str(out), "--kb", str(work / "kb")],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr[-4000:])
            raise SystemExit(f"{engine} x{workers} failed")
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        assert result["package"].startswith(str(snapshot)), result["package"]
        results.append(result)
        print(f"{engine} x{workers}: {result['seconds']:.1f}s", file=sys.stderr)
    base = results[0]
    same = all(
        (work / f"{r['engine']}-{r['workers']}" / "findings.jsonl").read_bytes()
        == (work / "local-1" / "findings.jsonl").read_bytes()
        for r in results
    )
    print(f"\n{base['exchanges']} exchanges; findings identical across runs: {same}\n")
    print(
        "| engine | workers | seconds | exchanges/s | analyse-stage exchanges/s "
        "| time vs local | peak RSS per worker | shuffle bytes/exchange |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        rate = r["exchanges"] / r["seconds"]
        stats = r.get("stats", {})
        analyse = stats.get("seconds", {}).get("analyse")
        shuffle = "-"
        if stats:
            r["shuffle_per_exchange"] = {
                k: v / r["exchanges"] for k, v in stats["shuffle_bytes"].items()
            }
            shuffle = f"{sum(stats['shuffle_bytes'].values()) / r['exchanges']:.0f}"
        print(
            f"| {r['engine']} | {r['workers']} | {r['seconds']:.1f} | {rate:.1f} "
            f"| {r['exchanges'] / analyse if analyse else rate:.1f} "
            f"| {r['seconds'] / base['seconds']:.2f}x | {r['peak_rss'] / 2**20:.0f} MiB "
            f"| {shuffle} |"
        )
    return results


# -- blocking recall -------------------------------------------------------------------------


def _clusters(records: list[Any], options: Any, blocked: bool) -> dict[str, str]:
    from collections import defaultdict

    from consistency.audit.stages import block_keys, components, link_block

    if not blocked:
        whole = dataclasses.replace(options, max_block=10**9)
        return components(link_block(records, whole))
    blocks: dict[str, list[Any]] = defaultdict(list)
    for record in records:
        for key in block_keys(record):
            blocks[key].append(record)
    return components(e for key in sorted(blocks) for e in link_block(blocks[key], options))


def _pairs(labels: dict[str, str], keys: list[str]) -> set[tuple[str, str]]:
    return {
        (a, b)
        for a, b in itertools.combinations(sorted(set(keys)), 2)
        if labels.get(a) is not None and labels.get(a) == labels.get(b)
    }


def _recall_of(records: list[Any], options: Any) -> dict[str, Any]:
    from consistency.match.text import match_key

    keys = [match_key(r.question) for r in records]
    full = _pairs(_clusters(records, options, blocked=False), keys)
    part = _pairs(_clusters(records, options, blocked=True), keys)
    # Pairs of exchanges (a question asked twice counts twice), as well as of distinct questions.
    weight = {k: keys.count(k) for k in set(keys)}
    same_key = sum(n * (n - 1) // 2 for n in weight.values())
    ex_full = sum(weight[a] * weight[b] for a, b in full) + same_key
    ex_kept = sum(weight[a] * weight[b] for a, b in full & part) + same_key
    # Pairs similar enough to link directly (not only through a chain of others).
    vector = {k: r.vector for k, r in zip(keys, records, strict=True)}
    close = {(a, b) for a, b in full if float(vector[a] @ vector[b]) >= options.cluster_threshold}
    return {
        "pairs_direct_unblocked": len(close),
        "pairs_direct_kept": len(close & part),
        "recall_direct": len(close & part) / len(close) if close else 1.0,
        "questions": len(records),
        "distinct": len(weight),
        "pairs_unblocked": len(full),
        "pairs_blocked": len(part),
        "pairs_kept": len(full & part),
        "recall_distinct": len(full & part) / len(full) if full else 1.0,
        "recall_exchanges": ex_kept / ex_full if ex_full else 1.0,
    }


def recall(args: argparse.Namespace) -> dict[str, Any]:
    import numpy as np

    from consistency import Checker
    from consistency.audit import AuditOptions
    from consistency.audit.stages import analyse_batch, segment_batch
    from consistency.ingest import read_transcripts
    from consistency.kb import KnowledgeBase

    options = AuditOptions()
    checker = Checker(KnowledgeBase.load(KB))
    records = analyse_batch(segment_batch(list(read_transcripts([SAMPLE]))), checker, options)
    unmatched = [r for r in records if r.entry_id is None and r.vector is not None]
    out = {"sample_unmatched": _recall_of(unmatched, options)}
    # Stress: every question of the sample as if no entry matched it, blocked by its
    # nearest `probes` entries exactly as analyse_batch blocks an unmatched one.
    texts = list(dict.fromkeys(r.question for r in records))
    vectors = checker.index.encode(texts)
    near = {
        t: tuple(m.entry_id for m in checker.index.match_vector(t, v, k=5)[: options.probes])
        for t, v in zip(texts, vectors, strict=True)
    }
    everything = [
        dataclasses.replace(
            r,
            entry_id=None,
            near=near[r.question],
            vector=np.asarray(vectors[texts.index(r.question)], dtype=np.float32),
        )
        for r in records
    ]
    out["sample_all_questions"] = _recall_of(everything, options)
    for probes in (1, 2, 5):
        opts = dataclasses.replace(options, probes=probes)
        probed = [
            dataclasses.replace(
                r,
                near=tuple(
                    m.entry_id for m in checker.index.match_vector(r.question, r.vector, k=5)
                )[:probes],
            )
            for r in everything
        ]
        out[f"sample_all_questions_probes_{probes}"] = _recall_of(probed, opts)
    print(json.dumps(out, indent=1))
    return out


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        engine, workers, transcripts, out, _, kb_dir = sys.argv[2:8]
        print(json.dumps(_one(engine, int(workers), Path(transcripts), Path(out), Path(kb_dir))))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--exchanges", type=int, default=100_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--recall", action="store_true", help="measure blocking recall instead")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    result: Any = recall(args) if args.recall else throughput(args)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, default=str))


if __name__ == "__main__":
    main()
