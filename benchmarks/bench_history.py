"""The nightly run with a history: same findings as one run, its cost, its size.

For each transcript set (the shipped sample week, the dev set's 14 days) the
whole period is audited once, then night by night with one history. Printed:

1. **Equality**: the nightly findings (each night's new ones, less those a
   later night reports grown) against the one run's, by kind, transcript ids
   and values; and both scored by ``score_audit.py`` where a truth file is given.
2. **Overhead**: every night audited with the history and without it (same
   checker, warm, best of ``--repeats``); the ratio of the totals and of the
   last night (the one with the most history behind it). Target: ≤ 1.2×.
3. **Size**: the history's stored bytes per conversation (compressed records
   and promises) and the SQLite file's bytes per conversation.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/bench_history.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV = Path("/work/shared/eval/dev/lumen-mobile")
SCORE = Path("/work/shared/tools/score_audit.py")


def _rows(out: Path) -> list[dict]:
    return [json.loads(x) for x in (out / "findings.jsonl").read_text().splitlines()]


def _key(f: dict) -> tuple:
    return (f["kind"], tuple(sorted(f["transcript_ids"])), tuple(sorted(f["values"])))


def _score(path: Path, truth: Path | None) -> str:
    if truth is None or not truth.exists() or not SCORE.exists():
        return "-"
    res = subprocess.run(
        [sys.executable, str(SCORE), str(path), str(truth)], capture_output=True, text=True
    )
    lines = [x for x in res.stdout.splitlines() if x.startswith("SUMMARY")]
    return lines[-1].removeprefix("SUMMARY ") if lines else res.stderr.strip()[-200:]


def bench(
    name: str, src: Path, kb_path: Path, truth: Path | None, repeats: int, work: Path
) -> None:
    from consistency.audit import audit
    from consistency.audit.nightly import history_bytes
    from consistency.checker import Checker
    from consistency.kb import KnowledgeBase

    kb = KnowledgeBase.load(kb_path)
    checker = Checker(kb)
    audit([src], kb, out=work / "warm", checker=checker, progress=False)
    audit([src], kb, out=work / "one", checker=checker, progress=False)
    one = _rows(work / "one")
    days = sorted(
        {json.loads(x)["started_at"][:10] for x in src.read_text().splitlines() if x.strip()}
    )

    def nightly(history: Path | None, tag: str) -> tuple[list[float], dict, set]:
        times, reported, superseded = [], {}, set()
        for day in days:
            out = work / tag / day
            start = time.perf_counter()
            summary = audit([src], kb, out=out, checker=checker, progress=False,
                            history=history, since=day, until=day)  # fmt: skip
            times.append(time.perf_counter() - start)
            reported.update({f["id"]: f for f in _rows(out)})
            superseded |= set(summary.updated)
        return times, reported, superseded

    best_with: list[float] | None = None
    best_without: list[float] | None = None
    for r in range(repeats):
        history = work / f"h{r}.sqlite"
        with_t, reported, superseded = nightly(history, f"with{r}")
        without_t, _, _ = nightly(None, f"without{r}")
        best_with = (
            with_t
            if best_with is None
            else [min(a, b) for a, b in zip(best_with, with_t, strict=True)]
        )
        best_without = (
            without_t
            if best_without is None
            else [min(a, b) for a, b in zip(best_without, without_t, strict=True)]
        )
    night = [f for i, f in reported.items() if i not in superseded]
    path = work / "nightly.jsonl"
    path.write_text("".join(json.dumps(f) + "\n" for f in night))
    equal = sorted(map(_key, one)) == sorted(map(_key, night))
    size, convs = history_bytes(history)
    file_size = sum(p.stat().st_size for p in history.parent.glob(history.name + "*"))
    print(f"\n== {name}: {len(days)} nights, {convs} conversations")
    print(f"one run : {dict(Counter(f['kind'] for f in one))}")
    print(f"nightly : {dict(Counter(f['kind'] for f in night))}")
    print(f"same findings (kind, transcript ids, values): {equal}")
    print(f"score one run : {_score(work / 'one' / 'findings.jsonl', truth)}")
    print(f"score nightly : {_score(path, truth)}")
    total = sum(best_with) / sum(best_without)
    last = best_with[-1] / best_without[-1]
    print(f"nights with history {sum(best_with):.2f}s, without {sum(best_without):.2f}s: "
          f"{total:.2f}x (last night {last:.2f}x)")  # fmt: skip
    print(f"history: {size / max(convs, 1):.0f} stored bytes/conversation, "
          f"{file_size / max(convs, 1):.0f} file bytes/conversation")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        import os

        os.environ.setdefault("CONSISTENCY_CACHE_DIR", str(Path(tmp) / "cache"))
        bench("sample week", ROOT / "examples" / "transcripts.jsonl", ROOT / "knowledge_base",
              None, args.repeats, Path(tmp) / "sample")  # fmt: skip
        if DEV.exists():
            bench("dev lumen-mobile", DEV / "transcripts.jsonl", DEV / "kb", DEV / "truth.jsonl",
                  args.repeats, Path(tmp) / "dev")  # fmt: skip


if __name__ == "__main__":
    main()
