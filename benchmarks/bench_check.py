"""Latency of the pre-reply ``check()``, next to one bare ``encode`` of the answer.

Prints, in one run: p50/p95 of ``check()`` on the sample KB and on a synthetic
10k-entry KB; p50/p95 of ``encoder.encode([answer])`` alone; their ratio; and
cold-start time (load KB + build index) with an empty and with a warm cache.

    .venv/bin/python benchmarks/bench_check.py [--entries 10000] [--queries 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

QUERIES = [
    ("can I still send it back after 3 weeks?", "Sure, you have 14 days from delivery."),
    ("how much do you charge to deliver", "Standard delivery is £3.99."),
    ("what time do your phone lines open", "We're open 8am to 8pm Monday to Friday."),
    ("um yeah how long does a refund take", "so the refund takes about five working days"),
    ("is there a fee to cancel plus", "No, there's no fee, you can cancel at any time."),
    ("whats the number for tech support", "you can call us on oh eight hundred one two three"),
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def timed(fn, n: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for i in range(n):
        t = time.perf_counter()
        fn(i)
        out.append((time.perf_counter() - t) * 1000)
    return out


def cold_start(kb_arg: str, cache: str) -> float:
    """Seconds for a fresh process to import, load the KB and build the checker."""
    code = (
        "import sys, time; t=time.perf_counter();"
        "sys.path.insert(0, sys.argv[3]);"
        "from consistency import Checker, KnowledgeBase;"
        "from synthetic_kb import synthetic_entries;"
        "kb = KnowledgeBase.load(sys.argv[1]) if not sys.argv[1].isdigit() "
        "else KnowledgeBase.from_entries(synthetic_entries(int(sys.argv[1])));"
        "Checker(kb, cache_dir=sys.argv[2]);"
        "print(time.perf_counter()-t)"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    out = subprocess.run(
        [sys.executable, "-c", code, kb_arg, cache, str(ROOT / "benchmarks")],
        capture_output=True, text=True, check=True, env=env,
    )
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()

    from consistency import Checker, KnowledgeBase
    from consistency.match import SentenceTransformerEncoder
    from synthetic_kb import synthetic_entries

    encoder = SentenceTransformerEncoder()
    cache = tempfile.mkdtemp(prefix="bench-cache-")
    kbs = {
        "sample": KnowledgeBase.load(ROOT / "knowledge_base"),
        f"synthetic-{args.entries}": KnowledgeBase.from_entries(synthetic_entries(args.entries)),
    }
    n = args.queries
    encode_ms = timed(lambda i: encoder.encode([QUERIES[i % len(QUERIES)][1]]), n)
    enc50, enc95 = percentile(encode_ms, 0.5), percentile(encode_ms, 0.95)
    print(f"{'what':32} {'p50 ms':>8} {'p95 ms':>8} {'p95 / encode p95':>18}")
    print(f"{'encoder.encode([answer])':32} {enc50:8.2f} {enc95:8.2f} {1.0:18.2f}")
    for name, kb in kbs.items():
        t = time.perf_counter()
        checker = Checker(kb, encoder=encoder, cache_dir=cache)
        build = time.perf_counter() - t
        for q, a in QUERIES:  # warm-up
            checker.check(q, a)
        ms = timed(lambda i, c=checker: c.check(*QUERIES[i % len(QUERIES)]), n)
        p50, p95 = percentile(ms, 0.5), percentile(ms, 0.95)
        label = f"check() {name} ({len(kb)} entries)"
        print(f"{label:32} {p50:8.2f} {p95:8.2f} {p95 / enc95:18.2f}   (index build {build:.1f}s)")

    print()
    print(f"{'cold start (import+load+index)':40} {'empty cache s':>14} {'warm cache s':>13}")
    for name, arg in (("sample", str(ROOT / "knowledge_base")), (f"synthetic-{args.entries}", str(args.entries))):
        empty = tempfile.mkdtemp(prefix="bench-empty-")
        cold = cold_start(arg, empty)
        warm = cold_start(arg, empty)
        print(f"{name:40} {cold:14.2f} {warm:13.2f}")
    print(f"\n{n} queries per row; median of encode {statistics.median(encode_ms):.2f} ms")


if __name__ == "__main__":
    main()
