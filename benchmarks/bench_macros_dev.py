"""`check-macros` on sets the team did not write: each labelled check becomes a canned response.

Every case of a set but ``no_match`` and ``versioned`` becomes a macro (title = the
customer's question, body = the agent's answer) and :func:`consistency.macros.check_macros`
judges them all at once, as ``consistency check-macros`` does. Scored against the case labels:

- false alarms: faithful macros (``expected_status == consistent``) flagged ``contradiction``;
- caught: contradicting macros flagged ``contradiction`` (against any entry).

Run: ``HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/bench_macros_dev.py
[--eval ../shared/eval] [--blind benchmarks/blind]``. A set whose files are absent is
skipped, saying so.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def sets(eval_dir: Path, blind_dir: Path) -> list[tuple[str, Path]]:
    out = [("dev: lumen-mobile", eval_dir / "dev" / "lumen-mobile")]
    if blind_dir.is_dir():
        out += [(f"blind: {p.name}", p) for p in sorted(blind_dir.iterdir()) if p.is_dir()]
    return out


def measure(folder: Path) -> dict[str, float | int]:
    from consistency import Checker, KnowledgeBase
    from consistency.macros import Macro, check_macros

    cases = [json.loads(line) for line in (folder / "cases.jsonl").open(encoding="utf-8")]
    cases = [c for c in cases if c["category"] not in ("no_match", "versioned")]
    macros = [
        Macro(id=c["id"], title=c["question"], body=c["answer"], row=i + 2)
        for i, c in enumerate(cases)
    ]
    checker = Checker(KnowledgeBase.load(folder / "kb"))
    report = check_macros(macros, checker)
    faithful = [
        r
        for r, c in zip(report.results, cases, strict=True)
        if c["expected_status"] == "consistent"
    ]
    wrong = [
        r
        for r, c in zip(report.results, cases, strict=True)
        if c["expected_status"] == "contradiction"
    ]
    alarms = sum(r.status == "contradiction" for r in faithful)
    caught = sum(r.status == "contradiction" for r in wrong)
    return {
        "macros": len(macros),
        "faithful": len(faithful),
        "false_alarms": alarms,
        "false_alarm_rate": alarms / len(faithful) if faithful else 0.0,
        "contradicting": len(wrong),
        "caught": caught,
        "recall": caught / len(wrong) if wrong else 0.0,
    }


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval")
    ap.add_argument("--blind", type=Path, default=ROOT / "benchmarks" / "blind")
    args = ap.parse_args(argv)
    print("| set | macros | false alarms on faithful | contradictions caught |")
    print("|---|---|---|---|")
    for name, folder in sets(args.eval, args.blind):
        if not (folder / "cases.jsonl").is_file() or not (folder / "kb").is_dir():
            print(f"| {name} | not found at {folder}; skipped | | |")
            continue
        m = measure(folder)
        print(
            f"| {name} | {m['macros']} | {m['false_alarm_rate']:.1%} ({m['false_alarms']} of "
            f"{m['faithful']}) | {m['recall']:.3f} ({m['caught']} of {m['contradicting']}) |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
