"""Top-1 agreement of the default int8 ONNX encoder with the torch one, on real questions.

``bench_check.py`` measures agreement on its own benchmark questions; this puts the
same question to real customer utterances: the BANKING77 and CLINC150 test splits
against KBs built from their training utterances (as in ``bench_matching.py``). Both
backends go through the full ``Index.match`` (exact and fuzzy tiers included), so this
is the agreement a user switching backends would see. Where they differ, the score
gap of the torch ranking's top two says whether it was a near-tie.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/bench_agreement.py [--data DIR]

The datasets are read from ``--data`` (default ``../shared/eval/external``); a missing
one is reported and skipped.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "eval" / "external")
    args = parser.parse_args()

    from bench_matching import load_banking77, load_clinc150

    from consistency.match import Index, make_encoder

    tasks = []
    for name, loader in (("banking77", load_banking77), ("clinc150", load_clinc150)):
        folder = args.data / name
        if not folder.is_dir():
            print(f"{name}: not found under {args.data}, skipped")
            continue
        tasks += [t for t in loader(folder) if t.name in ("BANKING77 N=10", "CLINC150")]
    if not tasks:
        print("no dataset found: nothing to measure")
        return 0
    encoders = {b: make_encoder(b) for b in ("torch", "onnx")}  # type: ignore[arg-type]
    print(f"{'task':16} {'entries':>7} {'queries':>7} {'same top-1':>11} {'near-ties':>10}")
    total = same_all = 0
    for task in tasks:
        queries = sorted({q for q, gold in task.test if gold is not None})
        ranked = {
            b: Index(task.kb, enc, cache=None).match_many(queries, k=2)
            for b, enc in encoders.items()
        }
        same = ties = 0
        for t, o in zip(ranked["torch"], ranked["onnx"], strict=True):
            if t[0].entry_id == o[0].entry_id:
                same += 1
            elif len(t) > 1 and t[0].score - t[1].score <= 0.01:
                ties += 1
        total += len(queries)
        same_all += same
        differ = len(queries) - same
        print(
            f"{task.name:16} {len(task.kb):7} {len(queries):7} {same / len(queries):11.2%} "
            f"{ties:4}/{differ:<5}"
        )
    print(f"{'all':16} {'':7} {total:7} {same_all / total:11.2%}")
    print(
        "near-ties: of the questions whose top-1 differs, those where torch's top two are within 0.01"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
