"""What the statement model costs: check() latency with and without it, its load time and memory.

In one run, on the dev set's cases (``--cases``, default the Lumen dev set beside the
repository): ``check()`` p50/p95 with the statement model and with it turned off
(``StatementPolicy(enabled=False)``), the cases alternated so both see the same machine;
the model's cold load (session and tokenizer, first pair) and the resident memory it adds.

    .venv/bin/python benchmarks/bench_statements.py [--dev ../shared/eval/dev/lumen-mobile]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--dev", type=Path, default=ROOT.parent / "shared" / "eval" / "dev" / "lumen-mobile"
    )
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    if not (args.dev / "cases.jsonl").is_file():
        print(f"no cases at {args.dev}: nothing to measure (pass --dev)")
        sys.exit(0)
    import tempfile

    from consistency import Checker, KnowledgeBase
    from consistency.statements import StatementModel
    from consistency.statements.judge import StatementPolicy

    with tempfile.TemporaryDirectory() as cache:
        kb = KnowledgeBase.load(args.dev / "kb", cache=False)
        before = _rss_mb()
        t0 = time.perf_counter()
        model = StatementModel()
        model.contradiction(kb.entry(kb.ids[0]).answer, ["Yes, that's right."])
        cold = time.perf_counter() - t0
        added = _rss_mb() - before
        on = Checker(kb, cache_dir=cache, statement_model=model)
        off = Checker(kb, cache_dir=cache, statements=StatementPolicy(enabled=False))
        cases = [
            json.loads(x) for x in (args.dev / "cases.jsonl").read_text().splitlines() if x.strip()
        ]
        times: dict[str, list[float]] = {"with": [], "without": []}
        for _ in range(args.repeat):
            for case in cases:
                date = dt.date.fromisoformat(case["on"]) if case.get("on") else None
                for name, checker in (("with", on), ("without", off)):
                    t = time.perf_counter()
                    checker.check(case["question"], case["answer"], on=date)
                    times[name].append((time.perf_counter() - t) * 1000)
    print(
        f"statement model: cold load + first pair {cold:.2f} s, resident memory added {added:.0f} MB"
    )
    for name, xs in times.items():
        print(
            f"check() {name:7} the model: p50 {_pct(xs, 0.5):.2f} ms  p95 {_pct(xs, 0.95):.2f} ms  (n={len(xs)})"
        )
    w, wo = times["with"], times["without"]
    print(
        f"p50 added {statistics.median(w) - statistics.median(wo):+.2f} ms; p95 ratio {_pct(w, 0.95) / _pct(wo, 0.95):.2f}"
    )


if __name__ == "__main__":
    main()
