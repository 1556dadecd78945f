"""Latency of the pre-reply ``check()`` per encoder backend, tier and KB size.

In one run, for the torch and the int8 ONNX backends:
  * bare ``encoder.encode([answer])`` p50/p95/p99 (the unit the goals are stated in);
  * ``check()`` p50/p95/p99 at 70 (sample), 1k and 10k (synthetic) entries, for
    questions that hit a KB phrasing exactly (no embedding) and for paraphrases;
  * p95 of ``check()`` as a ratio of one bare encode of the same backend;
  * cold start (fresh process: import, load KB, build index, fit threshold) with an
    empty and with a warm embedding cache (the peak-memory column is the child's
    ru_maxrss, which Linux carries over from the parent at fork: an upper bound;
    ``bench_encoders.py`` measures per-backend memory cleanly);
  * top-1 agreement of the two backends on the benchmark questions.

    .venv/bin/python benchmarks/bench_check.py [--sizes 1000,10000] [--queries 300]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

ANSWERS = [
    "Sure, you have 14 days from delivery.",
    "Standard delivery is £3.99 and takes 3 to 5 working days.",
    "We're open 8am to 8pm Monday to Friday.",
    "so the refund takes about five working days to reach your account",
    "No, there's no fee, you can cancel at any time.",
    "you can call us on oh three three three oh one four two two double oh",
]
PARAPHRASES = [
    "how much would {s} be for my {p} {r}",
    "what's the price of {s} on a {p} {r}",
    "{r} what do you charge for {s} of a {p}",
]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(fn, n: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for i in range(n):
        t = time.perf_counter()
        fn(i)
        out.append((time.perf_counter() - t) * 1000)
    return out


def load_kb(size: int):  # type: ignore[no-untyped-def]
    from synthetic_kb import synthetic_entries

    from consistency import KnowledgeBase

    if size == 0:
        return KnowledgeBase.load(ROOT / "knowledge_base")
    return KnowledgeBase.from_entries(synthetic_entries(size))


def questions_for(kb, size: int, n: int) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
    """(exact-phrasing questions, paraphrased questions) for a KB."""
    rng = random.Random(size)
    entries = list(kb.entries)
    exact = [rng.choice(rng.choice(entries).questions) for _ in range(n)]
    if size == 0:
        cases = [json.loads(line) for line in (ROOT / "tests/data/fact_cases.jsonl").open()]
        para = [c["question"] for c in cases][:n]
    else:
        from synthetic_kb import PRODUCTS, REGIONS, SERVICES

        para = [
            " ".join(
                rng.choice(PARAPHRASES)
                .format(
                    s=rng.choice(SERVICES)[0],
                    p=rng.choice(PRODUCTS),
                    r=rng.choice(REGIONS[: max(1, size // 160)]),
                )
                .split()
            )
            for _ in range(n)
        ]
    return exact, para


def cold_start(backend: str, size: int, cache: str) -> tuple[float, float]:
    """(seconds, peak MB) for a fresh process to be ready to check."""
    code = (
        "import sys, time, resource; t=time.perf_counter();"
        "sys.path.insert(0, sys.argv[4]);"
        "from consistency import Checker;"
        "from consistency.match import make_encoder;"
        "from bench_check import load_kb;"
        "kb = load_kb(int(sys.argv[2]));"
        "Checker(kb, encoder=make_encoder(sys.argv[1]), cache_dir=sys.argv[3]);"
        "print(time.perf_counter()-t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, backend, str(size), cache, str(ROOT / "benchmarks")],
        capture_output=True,
        text=True,
        check=True,
    )
    seconds, mb = out.stdout.strip().splitlines()[-1].split()
    return float(seconds), float(mb)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="synthetic KB sizes (sample always)")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--backends", default="torch,onnx")
    parser.add_argument("--no-cold", action="store_true", help="skip the cold-start runs")
    args = parser.parse_args()
    sizes = [0, *(int(s) for s in args.sizes.split(",") if s)]
    backends = args.backends.split(",")
    n = args.queries

    from consistency import Checker
    from consistency.match import make_encoder

    print(
        f"# bench_check — {platform.machine()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}"
    )
    cache = tempfile.mkdtemp(prefix="bench-cache-")
    top1: dict[tuple[str, int], list[str]] = {}
    rows = []
    encode_p95: dict[str, float] = {}
    for backend in backends:
        encoder = make_encoder(backend)  # type: ignore[arg-type]
        for a in ANSWERS:
            encoder.encode([a])
        ms = timed(lambda i, e=encoder: e.encode([ANSWERS[i % len(ANSWERS)]]), n)
        encode_p95[backend] = pct(ms, 0.95)
        rows.append(
            (backend, "encode([answer])", "-", pct(ms, 0.5), pct(ms, 0.95), pct(ms, 0.99), 1.0)
        )
        for size in sizes:
            kb = load_kb(size)
            checker = Checker(kb, encoder=encoder, cache_dir=cache)
            checker.index.lru.maxsize = 0  # measure the encoder, not the question cache
            exact, para = questions_for(kb, size, n)
            label = f"{len(kb)}"
            for tier, qs in (("exact", exact), ("embedding", para)):
                for q in qs[:5]:
                    checker.check(q, ANSWERS[0])
                ms = timed(
                    lambda i, c=checker, qs=qs: c.check(qs[i % len(qs)], ANSWERS[i % len(ANSWERS)]),
                    n,
                )
                p95 = pct(ms, 0.95)
                rows.append(
                    (
                        backend,
                        f"check() {tier}",
                        label,
                        pct(ms, 0.5),
                        p95,
                        pct(ms, 0.99),
                        p95 / encode_p95[backend],
                    )
                )
            top1[(backend, size)] = [m[0].entry_id for m in checker.index.match_many(para, k=1)]
            checker.index.lru.maxsize = 10_000
            ms = timed(
                lambda i, c=checker, qs=para: c.check(qs[i % 20], ANSWERS[i % len(ANSWERS)]), n
            )
            p95 = pct(ms, 0.95)
            rows.append(
                (
                    backend,
                    "check() repeated q (LRU)",
                    label,
                    pct(ms, 0.5),
                    p95,
                    pct(ms, 0.99),
                    p95 / encode_p95[backend],
                )
            )

    print(
        f"\n{'backend':8} {'what':26} {'entries':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'p95/encode':>11}"
    )
    for backend, what, size, p50, p95, p99, ratio in rows:
        print(f"{backend:8} {what:26} {size:>8} {p50:8.2f} {p95:8.2f} {p99:8.2f} {ratio:11.2f}")

    if len(backends) == 2:
        print("\ntop-1 agreement torch vs onnx (paraphrased questions):")
        for size in sizes:
            a, b = top1[(backends[0], size)], top1[(backends[1], size)]
            same = sum(x == y for x, y in zip(a, b, strict=True))
            print(f"  {size or 'sample':>8}: {same}/{len(a)} = {same / len(a):.1%}")

    if args.no_cold:
        return
    print(
        f"\n{'cold start':26} {'entries':>8} {'empty cache s':>14} {'warm cache s':>13} {'peak MB':>8}"
    )
    for backend in backends:
        for size in sizes:
            empty = tempfile.mkdtemp(prefix="bench-empty-")
            cold, _ = cold_start(backend, size, empty)
            warm, mb = cold_start(backend, size, empty)
            print(f"{backend:26} {size or 'sample':>8} {cold:14.2f} {warm:13.2f} {mb:8.0f}")
    print(f"\n{n} queries per row; load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
