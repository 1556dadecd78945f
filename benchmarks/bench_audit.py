"""Throughput and peak memory of the nightly audit at 10k and 100k exchanges.

The shipped sample (examples/transcripts.jsonl) is scaled synthetically: each
copy of a conversation gets a new id, new customer ids (so repeat contacts stay
within a copy), a date shifted by up to four weeks, and a share of customer
questions gets a filler prefix ("um", "hi there") so questions are not all
verbatim repeats (``--vary``). Each size runs in a fresh subprocess so peak
memory (``ru_maxrss``) is that size's alone; the audit time excludes loading
the model and building the checker, which is reported apart.

    .venv/bin/python benchmarks/bench_audit.py [--sizes 10000,100000] [--threads 2]

Goals: >= 250 exchanges/s on 2 cores, per-exchange cost ratio 100k/10k <= 1.2,
peak memory <= 1.5 GB at 100k.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "transcripts.jsonl"
KB = ROOT / "knowledge_base"
FILLERS = (
    "um ",
    "hi there ",
    "so ",
    "yeah hi ",
    "ok so ",
    "hello ",
    "right ",
    "erm ",
    "hiya ",
    "quick one ",
)


def exchanges_per_conversation() -> float:
    from consistency.ingest import read_jsonl, segment

    convs = list(read_jsonl(SAMPLE))
    return sum(len(segment(t)) for t in convs) / len(convs)


def scale(target_exchanges: int, path: Path, *, vary: float, seed: int = 7) -> int:
    """Write about ``target_exchanges`` exchanges' worth of conversations; returns conversations."""
    base = [json.loads(line) for line in SAMPLE.read_text().splitlines() if line.strip()]
    n = round(target_exchanges / exchanges_per_conversation())
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as handle:
        for i in range(n):
            copy, src = divmod(i, len(base))
            conv = dict(base[src])
            conv["id"] = f"{conv['id']}-r{copy}"
            if conv.get("customer_id"):
                conv["customer_id"] = f"{conv['customer_id']}-r{copy}"
            start = dt.datetime.fromisoformat(conv["started_at"].replace("Z", "+00:00"))
            conv["started_at"] = (start + dt.timedelta(days=copy % 28)).isoformat()
            turns = []
            for turn in conv["turns"]:
                if turn["speaker"] == "customer" and rng.random() < vary:
                    turn = {**turn, "text": rng.choice(FILLERS) + turn["text"]}
                turns.append(turn)
            conv["turns"] = turns
            handle.write(json.dumps(conv) + "\n")
    return n


def worker(path: str, out: str, encoder_name: str, threads: int) -> None:
    """Run one audit in this process and print its numbers as JSON."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from consistency.audit import audit
    from consistency.checker import Checker
    from consistency.kb import KnowledgeBase

    t0 = time.perf_counter()
    kb = KnowledgeBase.load(KB)
    if encoder_name == "torch":
        import torch

        torch.set_num_threads(threads)
    from consistency.match.encoder import make_encoder

    encoder = make_encoder(encoder_name, threads=threads)  # type: ignore[arg-type]
    checker = Checker(kb, encoder=encoder)
    t1 = time.perf_counter()
    start = resource.getrusage(resource.RUSAGE_SELF)
    cpu0 = start.ru_utime + start.ru_stime
    summary = audit([path], kb, out=out, checker=checker, progress=False)
    t2 = time.perf_counter()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    rss_kb = usage.ru_maxrss
    print(
        json.dumps(
            {
                "conversations": summary.conversations,
                "exchanges": summary.exchanges,
                "findings": summary.findings,
                "setup_s": t1 - t0,
                "audit_s": t2 - t1,
                "cpu_s": usage.ru_utime + usage.ru_stime - cpu0,
                "peak_mb": rss_kb / 1024,
                "encoded": getattr(getattr(checker.index, "lru", None), "misses", None),
            }
        )
    )


def run_size(size: int, threads: int, vary: float, tmp: Path, encoder: str) -> dict:
    src = tmp / f"transcripts-{size}.jsonl"
    scale(size, src, vary=vary)
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "OMP_NUM_THREADS": str(threads),
        "MKL_NUM_THREADS": str(threads),
        "TOKENIZERS_PARALLELISM": "false",
    }
    cmd = [sys.executable, __file__, "--worker", str(src), str(tmp / f"out-{size}")]
    cmd += ["--threads", str(threads), "--encoder", encoder]
    if hasattr(os, "sched_getaffinity") and threads < len(os.sched_getaffinity(0)):
        cores = sorted(os.sched_getaffinity(0))[:threads]
        cmd = ["taskset", "-c", ",".join(map(str, cores)), *cmd]
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"size {size} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="exchange counts, comma-separated")
    parser.add_argument("--threads", type=int, default=2, help="cores / torch threads")
    parser.add_argument("--vary", type=float, default=0.3, help="share of questions reworded")
    parser.add_argument(
        "--encoder", choices=("auto", "onnx", "torch"), default="auto", help="encoder backend"
    )
    parser.add_argument("--worker", nargs=2, metavar=("INPUT", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker, args.encoder, args.threads)
        return
    sizes = [int(s) for s in args.sizes.split(",") if s]
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-audit-") as tmp:
        for size in sizes:
            r = run_size(size, args.threads, args.vary, Path(tmp), args.encoder)
            r["size"] = size
            r["rate"] = r["exchanges"] / r["audit_s"]
            r["ms_per_exchange"] = 1000 * r["audit_s"] / r["exchanges"]
            r["cpu_ms"] = 1000 * r["cpu_s"] / r["exchanges"]
            rows.append(r)
            print(
                f"  done {size}: {r['exchanges']} exchanges in {r['audit_s']:.1f}s", file=sys.stderr
            )
    print(f"\nAudit throughput ({args.encoder}, {args.threads} threads, vary={args.vary})\n")
    print(
        f"{'target':>8} {'convs':>7} {'exchanges':>9} {'encoded':>8} {'setup s':>8} "
        f"{'audit s':>8} {'exch/s':>7} {'ms/exch':>8} {'cpu ms/ex':>9} {'peak MB':>8} "
        f"{'findings':>8}"
    )
    for r in rows:
        print(
            f"{r['size']:>8} {r['conversations']:>7} {r['exchanges']:>9} {r['encoded']!s:>8} "
            f"{r['setup_s']:>8.1f} {r['audit_s']:>8.1f} {r['rate']:>7.0f} "
            f"{r['ms_per_exchange']:>8.2f} {r['cpu_ms']:>9.2f} {r['peak_mb']:>8.0f} "
            f"{r['findings']:>8}"
        )
    if len(rows) >= 2:
        ratio = rows[-1]["ms_per_exchange"] / rows[0]["ms_per_exchange"]
        cpu_ratio = rows[-1]["cpu_ms"] / rows[0]["cpu_ms"]
        label = f"{rows[-1]['size']}/{rows[0]['size']}"
        ratios = f"{ratio:.2f} wall, {cpu_ratio:.2f} CPU"
        print(f"\nper-exchange cost ratio {label}: {ratios} (goal <= 1.2)")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print("goals: >= 250 exchanges/s on 2 cores; peak <= 1536 MB at 100k")
    print(
        f"load average at the end: {load:.1f} (wall times are only comparable on an idle machine)"
    )


if __name__ == "__main__":
    main()
