"""Promises and broken promises, next to naive baselines, in one run.

1. **Promise extraction** on two labelled sets: the tuned set
   ``tests/promises/data/promise_cases.jsonl`` (its misses were used to fix the
   extractor, so its figures flatter it) and the held-out set
   ``tests/promises/data/held_out.jsonl`` (written after the extractor, never
   used to tune it: the honest figures). Each has turns (written and spoken; promises of
   every kind, and offers, conditionals, past tense, negations, reports, routine
   in-call actions, policy statements and questions that are not promises).
   A found promise is a true positive when the case expects a promise of that
   kind (each expected one matched once). "due exact" is the share of true
   positives whose due time equals the labelled one (``None`` included).
   Baseline: keywords ("call you back", "refund", "email", "engineer",
   "escalat"...) say a promise of that kind, with no rejection and no due time.
2. **Broken promises** on the shipped sample (``examples/transcripts.jsonl``,
   ``examples/ground_truth.json``), by ``consistency audit`` with and without
   ``examples/fulfilment.csv``. A finding is a true positive when it matches a
   planted ``broken_promise`` (same KB entry, a shared conversation). Baseline:
   any agent turn saying "call you back" (or "ring you back") plus any later
   contact from the same customer is a broken promise (one claim per promise
   conversation, paired with the next contact); it is right when it shares the
   promise conversation with a planted one.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/bench_promises.py [--examples]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from consistency.promises import extract_promises  # noqa: E402

CASES = ROOT / "tests" / "promises" / "data" / "promise_cases.jsonl"
#: Written after the extractor and never used to tune it: the honest figures.
HELD_OUT = ROOT / "tests" / "promises" / "data" / "held_out.jsonl"
SAMPLE = ROOT / "examples" / "transcripts.jsonl"
TRUTH = ROOT / "examples" / "ground_truth.json"
FULFILMENT = ROOT / "examples" / "fulfilment.csv"

_KEYWORDS = (
    ("callback", r"\b(?:call|ring|phone)\s+(?:you\s+)?back\b|\bcall\s+you\b|\bin\s+touch\b"),
    ("refund", r"\brefund|\bmoney\s+back\b"),
    ("email_or_letter", r"\be-?mail|\bletter\b|\btext\s+you\b|\bpost\b"),
    ("visit", r"\bengineer|\btechnician|\bcollect\b"),
    ("escalation", r"\bescalat|\bcomplaints\s+team\b|\bmanager\b"),
)


def keyword_kinds(text: str) -> list[str]:
    """The naive extractor: one promise of each kind whose keyword appears."""
    return [kind for kind, pattern in _KEYWORDS if re.search(pattern, text, re.IGNORECASE)]


def _pr(tp: int, fp: int, fn: int) -> tuple[float, float]:
    return (tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0)


def score_cases(path: Path) -> tuple[dict[str, Counter[str]], list[str], list[dict]]:
    """Per-system counters (``library``/``baseline``, and by style, kind, category) and misses."""
    cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    scores: dict[str, Counter[str]] = defaultdict(Counter)
    misses: list[str] = []
    for case in cases:
        start = dt.datetime.fromisoformat(case["started_at"].replace("Z", "+00:00"))
        expected = [(p["kind"], p["due"]) for p in case["promises"]]
        found = extract_promises(case["text"], 0, start)
        for system, kinds in (
            ("library", [(p.kind, p.due.isoformat() if p.due else None) for p in found]),
            ("baseline", [(k, None) for k in keyword_kinds(case["text"])]),
        ):
            left = list(expected)
            for kind, due in kinds:
                hit = next((e for e in left if e[0] == kind), None)
                if hit is None:
                    scores[system]["fp"] += 1
                    scores[f"{system}:{case['category']}"]["fp"] += 1
                    if system == "library":
                        misses.append(f"  false alarm {case['id']} {kind}: {case['text']!r}")
                    continue
                left.remove(hit)
                for key in (system, f"{system}:{case['style']}", f"{system}:{kind}"):
                    scores[key]["tp"] += 1
                    scores[key]["due"] += hit[1] == due
                if system == "library" and hit[1] != due:
                    misses.append(f"  due {case['id']} {kind}: {due} != {hit[1]}: {case['text']!r}")
            for kind, _ in left:
                for key in (system, f"{system}:{case['style']}", f"{system}:{kind}"):
                    scores[key]["fn"] += 1
                if system == "library":
                    misses.append(f"  missed {case['id']} {kind}: {case['text']!r}")
    return scores, misses, cases


def figures(scores: dict[str, Counter[str]], system: str = "library") -> tuple[float, float, float]:
    """(precision, recall, due exact) of one system; due exact is over its true positives."""
    s = scores[system]
    p, r = _pr(s["tp"], s["fp"], s["fn"])
    return p, r, (s["due"] / s["tp"] if s["tp"] else 0.0)


def extraction(show: bool, path: Path = CASES, title: str = "Promise extraction") -> list[str]:
    scores, misses, cases = score_cases(path)
    promises = sum(len(c["promises"]) for c in cases)
    negatives = sum(1 for c in cases if not c["promises"])
    out = [
        f"{title}: {len(cases)} labelled turns ({path.name}), {promises} promises, "
        f"{negatives} turns with none (offers, conditionals, past, negations, ...)",
        "",
        f"  {'':34}{'precision':>10}{'recall':>8}{'due exact':>11}",
    ]
    for system, name in (("library", "consistency.promises"), ("baseline", "keyword baseline")):
        p, r, due = figures(scores, system)
        shown = f"{due:.2f}" if system == "library" and scores[system]["tp"] else "-"
        out.append(f"  {name:34}{p:>10.2f}{r:>8.2f}{shown:>11}")
    out.append("")
    out.append("  consistency.promises by style and kind (recall, due exact):")
    for key in sorted(
        k for k in scores if k.startswith("library:") and scores[k]["tp"] + scores[k]["fn"]
    ):
        s = scores[key]
        _, r = _pr(s["tp"], s["fp"], s["fn"])
        due = s["due"] / s["tp"] if s["tp"] else 0.0
        out.append(f"    {key[8:]:18} recall {r:.2f}  due exact {due:.2f}  (n={s['tp'] + s['fn']})")
    alarms = {
        k[8:]: v["fp"]
        for k, v in scores.items()
        if k.startswith("library:") and v["fp"] and k[8:] not in ("written", "spoken")
    }
    base = {
        k[9:]: v["fp"]
        for k, v in scores.items()
        if k.startswith("baseline:") and v["fp"] and k[9:] not in ("written", "spoken")
    }
    out.append(f"  false alarms by category: library {dict(sorted(alarms.items())) or 0}, "
               f"baseline {dict(sorted(base.items()))}")  # fmt: skip
    if show and misses:
        out += ["", "  library misses:", *misses]
    return out


def _planted() -> list[dict]:
    truth = json.loads(TRUTH.read_text(encoding="utf-8"))
    return [f for f in truth["findings"] if f["kind"] == "broken_promise"]


def _score(found: list[dict], planted: list[dict]) -> tuple[float, float, int]:
    def same(f: dict, p: dict) -> bool:
        return f.get("entry_id") == p["entry_id"] and bool(
            set(f["transcript_ids"]) & set(p["transcript_ids"])
        )

    tp = sum(1 for f in found if any(same(f, p) for p in planted))
    hit = sum(1 for p in planted if any(same(f, p) for f in found))
    precision = tp / len(found) if found else 1.0
    return precision, hit / len(planted), len(found)


def naive_baseline(planted: list[dict]) -> tuple[float, float, int]:
    convs = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    convs.sort(key=lambda t: (t["started_at"], t["id"]))
    said = re.compile(r"\b(?:call|ring)\s+you\s+back\b", re.IGNORECASE)
    claims = []
    for i, t in enumerate(convs):
        if not any(x["speaker"] == "agent" and said.search(x["text"]) for x in t["turns"]):
            continue
        later = [u for u in convs[i + 1 :] if u.get("customer_id") == t.get("customer_id")]
        if later:
            claims.append({"transcript_ids": [t["id"], later[0]["id"]]})
    first = {p["transcript_ids"][0] for p in planted}
    tp = sum(1 for c in claims if c["transcript_ids"][0] in first)
    hit = sum(
        1 for p in planted if any(p["transcript_ids"][0] == c["transcript_ids"][0] for c in claims)
    )
    return (tp / len(claims) if claims else 1.0), hit / len(planted), len(claims)


def broken(show: bool) -> list[str]:
    from consistency.audit import audit
    from consistency.checker import Checker
    from consistency.kb import KnowledgeBase

    planted = _planted()
    checker = Checker(KnowledgeBase.load(ROOT / "knowledge_base"))
    rows = []
    for name, fulfilment in (("with fulfilment.csv", FULFILMENT), ("transcripts only", None)):
        with tempfile.TemporaryDirectory() as tmp:
            audit(
                [SAMPLE],
                checker.kb,
                out=tmp,
                checker=checker,
                progress=False,
                fulfilment=fulfilment,
            )
            found = [
                json.loads(line)
                for line in (Path(tmp) / "findings.jsonl").read_text().splitlines()
                if '"kind":"broken_promise"' in line
            ]
        rows.append((f"consistency audit, {name}", *_score(found, planted)))
        if show and fulfilment is not None:
            for f in found:
                print(f"  {f['transcript_ids']} {f['values']}", file=sys.stderr)
    rows.append(('naive: "call you back" + any later contact', *naive_baseline(planted)))
    out = [
        f"Broken promises on the shipped sample: {len(planted)} planted "
        f"({sum(1 for p in planted if len(p['transcript_ids']) == 2)} chased, "
        f"{sum(1 for p in planted if len(p['transcript_ids']) == 1)} shown by the fulfilment file)",
        "",
        f"  {'':46}{'precision':>10}{'recall':>8}{'flagged':>9}",
    ]
    out += [f"  {n:46}{p:>10.2f}{r:>8.2f}{k:>9}" for n, p, r, k in rows]
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--examples", action="store_true", help="list the misses and findings")
    ap.add_argument("--no-audit", action="store_true", help="skip the sample audit (no model)")
    args = ap.parse_args(argv)
    lines = extraction(args.examples, CASES, "Promise extraction, tuned set (used to fix gaps)")
    lines += [
        "",
        *extraction(
            args.examples,
            HELD_OUT,
            "Promise extraction, held out (written after the extractor, not used to tune it)",
        ),
    ]
    if not args.no_audit:
        lines += ["", *broken(args.examples)]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
