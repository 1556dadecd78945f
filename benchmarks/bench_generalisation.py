"""The pre-reply check on companies the team did not write, beside the naive rule, in one table.

Every set is a KB folder and a ``cases.jsonl`` of labelled checks (``id, question,
answer, on, expected_status, expected_entry_id, expected_kinds, category``):

* ``dev/lumen-mobile``: the development set (``--eval``, default ``../shared/eval``),
  written by people who never read the code; studied for the general causes of
  failures.
* ``--study DIR``: further development sets written independently (e.g. a rail operator),
  studied like the dev set.
* ``blind/<company>``: the blind sets in ``benchmarks/blind/``, each written by an
  independent author who saw only the formats, the category list and a brief of the
  company; frozen when written (see each set's README).

For each set: contradiction recall, false alarms on faithful answers (consistent
categories and ``hard_negative``), consistent said consistent, ``no_match`` recall,
top-1 entry, and recall per contradiction category. Beside it, the naive rule "a
digit or a negation differs" *given the right entry* (so it needs no matching),
scored on the same cases. A set whose folder is absent is reported as absent.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/bench_generalisation.py [--eval DIR]
        [--blind DIR] [--markdown OUT.md]

The embedding cache lives in a temporary folder (never the user's ``~/.cache``).
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_facts as bf  # noqa: E402

from consistency import Checker, KnowledgeBase  # noqa: E402

CONSISTENT = ("consistent", "hard_negative")


@dataclass
class Scores:
    """Counts for one set, for the library or for the naive rule."""

    by_cat: dict[str, collections.Counter] = field(
        default_factory=lambda: collections.defaultdict(collections.Counter)
    )
    top1: list[int] = field(default_factory=lambda: [0, 0])

    def add(self, category: str, status: str) -> None:
        self.by_cat[category]["n"] += 1
        self.by_cat[category][status] += 1

    def _sum(self, prefix: tuple[str, ...], status: str) -> tuple[int, int]:
        cats = [c for c in self.by_cat if c.startswith(prefix)]
        return sum(self.by_cat[c][status] for c in cats), sum(self.by_cat[c]["n"] for c in cats)

    def headline(self) -> dict[str, float | None]:
        def ratio(pair: tuple[int, int]) -> float | None:
            return round(pair[0] / pair[1], 3) if pair[1] else None

        nm = self.by_cat.get("no_match", collections.Counter())
        return {
            "recall": ratio(self._sum(("contradiction",), "contradiction")),
            "false_alarms": ratio(self._sum(CONSISTENT, "contradiction")),
            "consistent_said_consistent": ratio(self._sum(CONSISTENT, "consistent")),
            "no_match_recall": ratio((nm["no_match"], nm["n"])),
            "top1": ratio((self.top1[1], self.top1[0])),
        }

    def per_category(self) -> dict[str, float]:
        return {
            c.removeprefix("contradiction_"): round(v["contradiction"] / v["n"], 3)
            for c, v in sorted(self.by_cat.items())
            if c.startswith("contradiction") and v["n"]
        }


def _own_case(case: dict) -> dict:
    """The team's own labelled set (``tests/data/fact_cases.jsonl``) in the dev-set format."""
    status = case["expected_status"]
    if status == "contradiction":
        category = f"contradiction_{case['expected_kind']}"
    elif status == "consistent":
        category = "hard_negative" if case["category"] == "hard_negative" else "consistent"
    else:
        category = "unverified_expected"
    return {**case, "category": category, "expected_entry_id": case["entry_id"]}


def score_set(
    kb_dir: Path, cases_path: Path, cache: Path, *, own: bool = False
) -> tuple[Scores, Scores, float]:
    """The library and the naive rule on one set; returns both and the p50 check in ms."""
    kb = KnowledgeBase.load(kb_dir)
    checker = Checker(kb, cache_dir=cache)
    lib, naive = Scores(), Scores()
    times: list[float] = []
    for line in cases_path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        case = json.loads(line)
        if own:
            case = _own_case(case)
        on = dt.date.fromisoformat(case["on"]) if case.get("on") else None
        category = case["category"]
        start = time.perf_counter()
        verdict = checker.check(case["question"], case["answer"], on=on)
        times.append((time.perf_counter() - start) * 1000)
        lib.add(category, str(verdict.status))
        if case.get("expected_entry_id"):
            lib.top1[0] += 1
            lib.top1[1] += verdict.entry_id == case["expected_entry_id"]
            entry = (
                kb.entry(case["expected_entry_id"], on=on)
                or kb.versions(case["expected_entry_id"])[-1]
            )
            flag = bf.naive_rule(case["answer"], entry.answer)
            naive.add(category, "contradiction" if flag else "consistent")
        else:
            naive.add(category, "unverified")  # the naive rule has no notion of no_match
    times.sort()
    return lib, naive, times[len(times) // 2] if times else 0.0


def sets(
    eval_dir: Path, blind_dir: Path, study: list[Path] | None = None
) -> list[tuple[str, Path | None]]:
    out: list[tuple[str, Path | None]] = [("own: labelled set (regression, not accuracy)", ROOT)]
    dev = eval_dir / "dev" / "lumen-mobile"
    out.append(("dev: lumen-mobile", dev if (dev / "cases.jsonl").exists() else None))
    for folder in study or []:
        found = (folder / "cases.jsonl").exists()
        out.append((f"study: {folder.name}", folder if found else None))
    if blind_dir.exists():
        for folder in sorted(p for p in blind_dir.iterdir() if (p / "cases.jsonl").exists()):
            out.append((f"blind: {folder.name}", folder))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval")
    ap.add_argument("--blind", type=Path, default=ROOT / "benchmarks" / "blind")
    ap.add_argument(
        "--study",
        type=Path,
        action="append",
        help="a further development set (KB folder kb/ and cases.jsonl); repeatable",
    )
    ap.add_argument("--markdown", type=Path, help="also write the table here")
    args = ap.parse_args()

    header = (
        "| set | method | recall | false alarms | consistent said consistent | "
        "no_match recall | top-1 | check p50 ms | recall per category |\n"
        "|---|---|---|---|---|---|---|---|---|"
    )
    rows = [header]
    with tempfile.TemporaryDirectory(prefix="bench-generalisation-") as tmp:
        for name, folder in sets(args.eval, args.blind, args.study):
            if folder is None:
                rows.append(f"| {name} | absent: data not found | | | | | | | |")
                continue
            if folder == ROOT:
                kb_dir, cases, own = (
                    ROOT / "knowledge_base",
                    ROOT / "tests/data/fact_cases.jsonl",
                    True,
                )
            else:
                kb_dir, cases, own = folder / "kb", folder / "cases.jsonl", False
            lib, naive, p50 = score_set(kb_dir, cases, Path(tmp), own=own)
            for method, s, ms in (("library", lib, f"{p50:.2f}"), ("naive rule*", naive, "")):
                h = s.headline()
                cats = ", ".join(f"{k} {v:.2f}" for k, v in s.per_category().items())
                cells = [h["recall"], h["false_alarms"], h["consistent_said_consistent"]]
                extra = [h["no_match_recall"], h["top1"]] if method == "library" else ["", ""]
                rows.append(
                    f"| {name} | {method} | "
                    + " | ".join("" if c is None else str(c) for c in [*cells, *extra])
                    + f" | {ms} | {cats} |"
                )
    rows.append("\n*the naive rule is handed the right entry: it needs no matching.")
    table = "\n".join(rows)
    print(table)
    if args.markdown:
        args.markdown.write_text(table + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
