"""Contradiction detection on public data, next to plain baselines, in one run.

Datasets (read from ``--data``, by default ``../shared/eval/external`` from the repo
root; nothing is copied into the repo; a missing folder is skipped with a note on
where to get it):

* Breaking NLI (``breaking_nli/dataset.jsonl``): one-word swaps. The premise is the
  "canonical" answer, the hypothesis the "answer". Recall on contradiction rows per
  category (cardinals, ordinals and antonyms are the goal categories), false alarms
  on entailment rows (synonyms above all).
* Naik et al. numerical stress set (``multinli_0.9_quant_hard.jsonl``): recall on
  contradiction, false alarms on entailment (and, apart, on neutral).
* NaN-NLI (``nan_nli/nan.csv``): sub-clausal negation; recall on contradiction, false
  alarms on entailment and neutral rows.
* Real canonical answers, perturbed: sentences with facts from the HDFC bank FAQ
  answers, the ABCD agent guidelines and the tau2 Rho-Bank documents. Each is the
  canonical answer (with ``--context`` neighbouring sentences of its document on
  each side); the agent answer is a variant of the sentence made by rules:
  faithful ones (money re-formatted "Rs.500" -> "500 rupees", numbers spelled out,
  units converted "12 months" -> "one year", phone numbers re-grouped, dates
  re-formatted, contractions, clauses reordered, speech-recognition style) and
  contradicting ones (one number, unit, date, phone digit or polarity changed; half
  of them, at random, also in speech-recognition style). Seeded, so deterministic.

Every dataset is scored with the library (``compare_answer``: status
``contradiction`` is a flag) and, in the same run on the same pairs, with three
baselines: embedding cosine (``cosine < t``), rapidfuzz ``token_sort_ratio``
(``ratio < t``), both at their best threshold (max recall minus false-alarm rate)
chosen on the same data (an upper bound for them), and the naive rule (the number set or the negation count differs).
Large sets are subsampled deterministically (``--nli-cap``, ``--naik-rows``,
``--per-source``) to keep the run under 10 minutes on 2 cores.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/bench_contradiction.py [--data DIR]
        [--markdown OUT.md] [--plot benchmarks/plots/contradiction_pr.png]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import bench_facts as bf  # noqa: E402

from consistency.compare import compare_answer  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "external"
WHERE = {
    "breaking_nli": "GitHub BIU-NLP/Breaking_NLI, breaking_nli_dataset.zip -> dataset.jsonl",
    "naik_stress_numerical": (
        "Naik et al. 2018 NLI stress tests (mirror: GitHub nvk518/fp-dataset-artifacts, "
        "Numerical_Reasoning/multinli_0.9_quant_hard.jsonl)"
    ),
    "nan_nli": "GitHub joey234/nan-nli, data/nan.csv",
    "hdfc_bank_faq": "GitHub Shrimoyee/BankFAQ, BankFAQs.csv",
    "abcd": "GitHub asappresearch/abcd, data/guidelines.json",
    "tau2_banking_knowledge": (
        "GitHub sierra-research/tau2-bench, data/tau2/domains/banking_knowledge/documents/*.json "
        "(one JSON object a line in documents.jsonl)"
    ),
}


# -- one pair, scored by every method ----------------------------------------------------


@dataclass
class Pair:
    answer: str
    canonical: str
    label: bool  # True: a contradiction
    group: str  # category / perturbation type
    source: str = ""
    expected_kind: str | None = None
    style: str = "written"
    original: str = ""  # the unperturbed sentence (perturbed set)
    status: str = ""
    kinds: set[str] = field(default_factory=set)
    conflicts: list = field(default_factory=list)
    cosine: float = 0.0
    fuzz: float = 0.0
    naive: bool = False

    @property
    def flagged(self) -> bool:
        return self.status == "contradiction"

    @property
    def found(self) -> bool:
        if not self.flagged:
            return False
        return self.expected_kind is None or self.expected_kind in self.kinds


def score(pairs: list[Pair], encoder: bf.CachedEncoder | None) -> float:
    t0 = time.perf_counter()
    for p in pairs:
        comp = compare_answer(p.answer, p.canonical)
        p.status = comp.status
        p.conflicts = list(comp.conflicts)
        p.kinds = {c.kind for c in comp.conflicts}
    lib_s = time.perf_counter() - t0
    if encoder is not None:
        cos = encoder.cosines([p.answer for p in pairs], [p.canonical for p in pairs])
        for p, v in zip(pairs, cos, strict=True):
            p.cosine = float(v)
    for p in pairs:
        p.fuzz = bf.fuzz_score(p.answer, p.canonical)
        p.naive = bf.naive_rule(p.answer, p.canonical)
    return lib_s


@dataclass
class Fitted:
    ops: dict[str, bf.Operating]
    flags: dict[str, Callable[[Pair], bool]]
    heads: dict[str, str]
    curves: dict[str, tuple[np.ndarray, np.ndarray]]


def fit(pairs: Sequence[Pair], with_cosine: bool) -> Fitted:
    """Best thresholds on ``pairs`` (label True = contradiction) and every method's flag."""
    y = [p.label for p in pairs]
    ops = {
        "library": bf.confusion([p.flagged for p in pairs], y),
        "fuzz": bf.best_threshold([p.fuzz for p in pairs], y),
        "naive": bf.confusion([p.naive for p in pairs], y),
    }
    curves = {"fuzz": bf.pr_curve([p.fuzz for p in pairs], y)}
    if with_cosine:
        ops["cosine"] = bf.best_threshold([p.cosine for p in pairs], y)
        curves["cosine"] = bf.pr_curve([p.cosine for p in pairs], y)
    tf = ops["fuzz"].threshold
    flags: dict[str, Callable[[Pair], bool]] = {
        "library": lambda p: p.flagged,
        "fuzz": lambda p: p.fuzz < tf,
        "naive": lambda p: p.naive,
    }
    heads = {
        "library": "library",
        "fuzz": f"token_sort_ratio < {ops['fuzz'].threshold:.1f}",
        "naive": "naive rule",
    }
    if with_cosine:
        tc = ops["cosine"].threshold
        flags["cosine"] = lambda p: p.cosine < tc
        heads["cosine"] = f"cosine < {tc:.3f}"
    return Fitted(ops, flags, heads, curves)


def methods(f: Fitted) -> list[str]:
    return ["library"] + [m for m in ("cosine", "fuzz", "naive") if m in f.ops]


def rate(items: Sequence[Pair], pred: Callable[[Pair], bool]) -> float | None:
    return sum(1 for p in items if pred(p)) / len(items) if items else None


def table(
    f: Fitted,
    rows: list[tuple[str, Sequence[Pair], str]],
    *,
    strict: bool = False,
) -> list[str]:
    """Rows of (label, pairs, what): what is "recall" or "false alarms" (or "unverified")."""
    ms = methods(f)
    out = ["| rows | n | " + " | ".join(f.heads[m] for m in ms) + " |"]
    out.append("|---|---|" + "---|" * len(ms))
    for label, items, what in rows:
        vals = []
        for m in ms:
            if what == "recall":
                if m == "library" and strict:
                    r, r_any = rate(items, lambda p: p.found), rate(items, f.flags[m])
                    vals.append(f"{bf.fmt(r)} ({bf.fmt(r_any)})")
                else:
                    vals.append(bf.fmt(rate(items, f.flags[m])))
            elif what == "unverified":
                vals.append(
                    bf.pct(rate(items, lambda p: p.status == "unverified"))
                    if m == "library"
                    else "—"
                )
            else:
                vals.append(bf.pct(rate(items, f.flags[m])))
        out.append(f"| {label} | {len(items)} | " + " | ".join(vals) + " |")
    return out


def summary(f: Fitted, pairs: Sequence[Pair]) -> list[str]:
    ms = methods(f)
    out = []
    out.append(
        "Overall: "
        + "; ".join(
            f"{f.heads[m]} P {f.ops[m].precision:.3f} R {f.ops[m].recall:.3f} "
            f"F1 {f.ops[m].f1:.3f} FA {100 * f.ops[m].false_alarm:.1f}%"
            for m in ms
        )
        + "."
    )
    if "cosine" in f.ops:
        y = [p.label for p in pairs]
        fa = f.ops["library"].false_alarm
        at_c = bf.recall_at_false_alarm([p.cosine for p in pairs], y, fa)
        at_f = bf.recall_at_false_alarm([p.fuzz for p in pairs], y, fa)
        out.append(
            f"At the library's false-alarm rate ({100 * fa:.1f}%): cosine recall "
            f"{at_c.recall:.3f}, token_sort_ratio recall {at_f.recall:.3f}."
        )
    return out


def examples(title: str, items: Iterable[Pair], limit: int) -> list[str]:
    items = list(items)
    if not items:
        return []
    out = [f"{title} ({len(items)}):"]
    for p in items[:limit]:
        got = "; ".join(f"{c.kind}: {c.answer_value} vs {c.kb_value}" for c in p.conflicts)
        extra = f" [{p.source}, {p.style}]" if p.source else ""
        out.append(f"  status={p.status}{extra} {got}")
        out.append(f"    answer:    {p.answer[:300]}")
        out.append(f"    canonical: {p.canonical[:300]}")
    return out


# -- Breaking NLI --------------------------------------------------------------------------

GOAL_CATEGORIES = ("cardinals", "ordinals", "antonyms", "antonyms_wordnet")


def breaking_nli(folder: Path, cap: int, other_cap: int, seed: int) -> list[Pair]:
    rows = [json.loads(x) for x in (folder / "dataset.jsonl").read_text().splitlines() if x]
    by_cat: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_cat[r["category"]].append(r)
    pairs = []
    for cat in sorted(by_cat):
        items = sorted(by_cat[cat], key=lambda r: r["pairID"])
        n = cap if cat in GOAL_CATEGORIES or cat == "synonyms" else other_cap
        if n and len(items) > n:
            items = random.Random(f"{seed}-{cat}").sample(items, n)
        for r in items:
            pairs.append(
                Pair(
                    answer=r["sentence2"],
                    canonical=r["sentence1"],
                    label=r["gold_label"] == "contradiction",
                    group=f"{cat}/{r['gold_label']}",
                )
            )
    return pairs


def report_breaking(pairs: list[Pair], f: Fitted) -> list[str]:
    cats = sorted({p.group.split("/")[0] for p in pairs})
    order = [c for c in GOAL_CATEGORIES if c in cats] + [
        c for c in cats if c not in GOAL_CATEGORIES
    ]
    rows: list[tuple[str, Sequence[Pair], str]] = []
    for c in order:
        items = [p for p in pairs if p.group == f"{c}/contradiction"]
        if items:
            rows.append(
                (f"recall: {c}" + (" (goal)" if c in GOAL_CATEGORIES else ""), items, "recall")
            )
    goal = [p for p in pairs if p.label and p.group.split("/")[0] in GOAL_CATEGORIES]
    rows.append(("**recall: cardinals+ordinals+antonyms**", goal, "recall"))
    syn = [p for p in pairs if p.group == "synonyms/entailment"]
    ent = [p for p in pairs if p.group.endswith("/entailment")]
    neu = [p for p in pairs if p.group.endswith("/neutral")]
    rows.append(("**false alarms: synonyms (entailment)**", syn, "false alarms"))
    rows.append(("false alarms: all entailment rows", ent, "false alarms"))
    if neu:
        rows.append(("flagged: neutral rows", neu, "false alarms"))
    return table(f, rows)


# -- Naik numerical stress -----------------------------------------------------------------


def naik(folder: Path, n: int, seed: int) -> list[Pair]:
    path = folder / "multinli_0.9_quant_hard.jsonl"
    rows = [json.loads(x) for x in path.read_text().splitlines() if x]
    by_label: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_label[r["gold_label"]].append(r)
    pairs = []
    for label in sorted(by_label):
        items = by_label[label]
        k = n // 3 if n else len(items)
        if len(items) > k:
            items = random.Random(f"{seed}-naik-{label}").sample(items, k)
        for r in items:
            pairs.append(
                Pair(
                    answer=r["sentence2"],
                    canonical=r["sentence1"],
                    label=label == "contradiction",
                    group=label,
                )
            )
    return pairs


def report_labels(pairs: list[Pair], f: Fitted, negatives: Sequence[str]) -> list[str]:
    rows: list[tuple[str, Sequence[Pair], str]] = [
        ("recall: contradiction", [p for p in pairs if p.group == "contradiction"], "recall")
    ]
    for g in negatives:
        rows.append((f"false alarms: {g}", [p for p in pairs if p.group == g], "false alarms"))
    return table(f, rows)


# -- NaN-NLI -------------------------------------------------------------------------------


def nan_nli(folder: Path) -> list[Pair]:
    with (folder / "nan.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [
        Pair(
            answer=r["hypothesis"],
            canonical=r["premise"],
            label=r["label"] == "contradiction",
            group=r["label"],
            source=r.get("Construction", ""),
        )
        for r in rows
    ]


# -- perturbed real answers ----------------------------------------------------------------

_ONES = bf._words(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
)
_TENS = bf._words("_ _ twenty thirty forty fifty sixty seventy eighty ninety")
_ORD = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}
MONTHS = bf._words(
    "January February March April May June July August September October November December"
)


def words_int(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return _ONES[n // 100] + " hundred" + ("" if not rest else " and " + words_int(rest))
    for size, name in ((10**9, "billion"), (10**6, "million"), (1000, "thousand")):
        if n >= size:
            rest = n % size
            head = words_int(n // size) + " " + name
            if not rest:
                return head
            return head + (" and " if rest < 100 else " ") + words_int(rest)
    raise ValueError(n)


def words_num(value: Decimal) -> str:
    """A number in words: 500 -> five hundred, 2.75 -> two point seven five."""
    if value == value.to_integral_value():
        return words_int(int(value))
    whole, _, frac = format(value.normalize(), "f").partition(".")
    return words_int(int(whole)) + " point " + " ".join(_ONES[int(d)] for d in frac)


def ordinal_words(n: int) -> str:
    w = words_int(n).split()
    last = w[-1]
    if last in _ORD:
        w[-1] = _ORD[last]
    elif last.endswith("y"):
        w[-1] = last[:-1] + "ieth"
    else:
        w[-1] = last + "th"
    return " ".join(w)


def year_words(y: int) -> str:
    if 2000 <= y < 2010:
        return "two thousand" + ("" if y == 2000 else " and " + _ONES[y % 10])
    hi, lo = divmod(y, 100)
    return words_int(hi) + " " + (words_int(lo) if lo >= 10 else f"oh {_ONES[lo]}")


def parse_num(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def show_num(value: Decimal, like: str) -> str:
    """``value`` in digits, with thousands commas when ``like`` had them."""
    if value == value.to_integral_value():
        s = str(int(value))
        if "," in like and abs(value) >= 1000:
            s = f"{int(value):,}"
        return s
    return format(value.normalize(), "f")


_CUR = r"(?P<cur>Rs\.?\s?|INR\s?|₹\s?|\$|USD\s?)"
_AMOUNT = r"(?P<num>\d[\d,]*(?:\.\d+)?)"
_MAG = r"(?P<mag>\s?(?i:lakhs?|lacs?|crores?|million|billion|k)\b)?"
_DUR_UNIT = (
    r"(?P<qual>(?:working|business|calendar|banking)\s)?"
    r"(?P<unit>minute|hour|day|week|month|year)s?\b"
)
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "date",
        re.compile(
            r"\b(?P<day>\d{1,2})(?P<suf>st|nd|rd|th)?\s(?P<month>"
            + "|".join(MONTHS)
            + r"),?(?:\s(?P<year>(?:19|20)\d\d))?\b"
        ),
    ),
    (
        "date",
        re.compile(
            r"\b(?P<month>"
            + "|".join(MONTHS)
            + r")\s(?P<day>\d{1,2})(?P<suf>st|nd|rd|th)?(?:,?\s(?P<year>(?:19|20)\d\d))?\b"
        ),
    ),
    ("money", re.compile(_CUR + _AMOUNT + _MAG + r"(?P<tail>\s(?:dollars|rupees))?")),
    ("money", re.compile(_AMOUNT + _MAG + r"\s(?P<word>rupees|dollars)\b")),
    ("percent", re.compile(r"(?<![\w.])" + _AMOUNT + r"\s?(?P<pc>%|percent\b|per cent\b)")),
    ("time", re.compile(r"\b\d{1,2}(?::\d\d)?\s?(?:am|pm|a\.m\.|p\.m\.|hrs)\b", re.I)),
    (
        "phone",
        re.compile(r"(?<![\w.,/$])(?:\+\d{1,3}[ -])?\d{3,5}(?:[ -]?\d{1,5}){1,4}(?![\w,/])"),
    ),
    ("duration", re.compile(r"(?<![\w.,$])" + _AMOUNT + r"[\s-]" + _DUR_UNIT)),
    (
        "count",
        re.compile(
            r"(?<![\w.,$₹/-])(?P<num>\d{1,3}(?:,\d{3})*|\d+)\s(?P<noun>[A-Za-z][a-z-]{1,}s)\b"
        ),
    ),
]
_NOT_COUNT_NOUNS = frozenset(
    bf._words(
        "am pm hrs and or to of in on at for from by the a an is are was per times x "
        "percent rupees dollars lakh lakhs crore crores is was has does minutes hours days "
        "weeks months years views"
    )
)


@dataclass
class Span:
    kind: str
    start: int
    end: int
    m: re.Match[str]

    def g(self, name: str) -> str:
        try:
            return self.m.group(name) or ""
        except IndexError:
            return ""


def spans(text: str) -> list[Span]:
    out: list[Span] = []
    for kind, pat in PATTERNS:
        for m in pat.finditer(text):
            s, e = m.span()
            if any(x.start < e and s < x.end for x in out):
                continue
            if kind == "phone":
                digits = re.sub(r"\D", "", m.group(0))
                if not 7 <= len(digits) <= 13:
                    continue
            if kind == "count":
                v = parse_num(m.group("num"))
                noun = m.group("noun").lower()
                if v is None or noun in _NOT_COUNT_NOUNS or 1900 <= v <= 2100:
                    continue
            if kind in ("money", "percent", "duration") and parse_num(m.group("num")) is None:
                continue
            out.append(Span(kind, s, e, m))
    return sorted(out, key=lambda x: x.start)


def replace(text: str, repl: dict[int, str], sp: list[Span]) -> str:
    """``text`` with the spans whose index is in ``repl`` replaced."""
    out, last = [], 0
    for i, x in enumerate(sp):
        if i in repl:
            out.append(text[last : x.start])
            out.append(repl[i])
            last = x.end
    out.append(text[last:])
    return "".join(out)


def currency_of(x: Span) -> str:
    cur = (x.g("cur") or x.g("word") or x.g("tail")).strip().lower()
    if cur.startswith(("rs", "inr", "₹", "rupee")) or "rupee" in x.g("tail"):
        return "rupees"
    return "dollars"


def money_alt(x: Span) -> str:
    """A faithful re-wording of a money span: Rs.500 -> 500 rupees, $50 -> 50 dollars."""
    num, mag = x.g("num"), x.g("mag")
    cur = currency_of(x)
    if x.g("word"):  # "500 rupees" -> "Rs. 500" / "$500"
        return ("Rs. " if cur == "rupees" else "$") + num + mag
    value = parse_num(num)
    if cur == "dollars" and value is not None and value < 1 and not mag:
        return f"{int(value * 100)} cents"
    if cur == "rupees":
        return (
            f"INR {num}{mag}"
            if x.g("cur").strip().lower().startswith("rs")
            else f"{num}{mag} rupees"
        )
    return f"{num}{mag} dollars"


def spoken(x: Span) -> str | None:
    """A span as a speech recogniser writes it (lower case, words)."""
    if x.kind == "money":
        value = parse_num(x.g("num"))
        if value is None:
            return None
        cur = currency_of(x)
        mag = x.g("mag").strip().lower()
        mag = {"lac": "lakh", "lacs": "lakh", "lakhs": "lakh", "crores": "crore"}.get(mag, mag)
        if cur == "dollars" and value < 1 and not mag:
            return f"{words_num(value * 100)} cents"
        if cur == "dollars" and value != value.to_integral_value() and not mag:
            whole = int(value)
            cents = int((value - whole) * 100)
            return f"{words_int(whole)} dollars and {words_int(cents)} cents"
        mag_w = {"k": "thousand"}.get(mag, mag)
        return f"{words_num(value)}{' ' + mag_w if mag_w else ''} {cur}"
    if x.kind == "percent":
        value = parse_num(x.g("num"))
        return None if value is None else f"{words_num(value)} percent"
    if x.kind == "duration":
        value = parse_num(x.g("num"))
        if value is None:
            return None
        qual = x.g("qual").lower()
        unit = x.g("unit").lower() + ("" if value == 1 else "s")
        return f"{words_num(value)} {qual}{unit}"
    if x.kind == "count":
        value = parse_num(x.g("num"))
        return None if value is None else f"{words_num(value)} {x.g('noun').lower()}"
    if x.kind == "phone":
        digits = [d for d in x.m.group(0) if d.isdigit()]
        return " ".join(_ONES[int(d)] for d in digits)
    if x.kind == "date":
        day = int(x.g("day"))
        out = f"{x.g('month').lower()} {ordinal_words(day)}"
        if x.g("year"):
            out += " " + year_words(int(x.g("year")))
        return out
    return None


_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")


def asr(text: str, sp: list[Span] | None = None) -> str:
    """Speech-recognition style: facts in words, lower case, no punctuation but apostrophes."""
    sp = spans(text) if sp is None else sp
    repl = {i: s for i, x in enumerate(sp) if (s := spoken(x)) is not None}
    out = replace(text, repl, sp)

    def num(m: re.Match[str]) -> str:
        v = parse_num(m.group(0).rstrip(",."))
        return f" {words_num(v)} " if v is not None and v < 10**9 else m.group(0)

    out = _DIGITS.sub(num, out)
    out = out.replace("&", " and ").replace("%", " percent")
    out = out.lower()
    out = re.sub(r"[^\w\s']", " ", out)
    out = re.sub(r"(?<!\w)'|'(?!\w)", " ", out)
    return re.sub(r"\s+", " ", out).strip()


def spell_out(text: str, sp: list[Span]) -> str:
    """Numbers in words, the rest as written: '90 days' -> 'ninety days'."""
    repl = {}
    for i, x in enumerate(sp):
        if x.kind in ("money", "percent", "duration", "count", "date"):
            s = spoken(x)
            if s is not None:
                repl[i] = s
    return replace(text, repl, sp)


_CONVERT = {
    ("month", Decimal(12)): "one year",
    ("month", Decimal(24)): "two years",
    ("month", Decimal(6)): "half a year",
    ("hour", Decimal(24)): "one day",
    ("hour", Decimal(48)): "two days",
    ("day", Decimal(7)): "one week",
    ("day", Decimal(14)): "two weeks",
    ("minute", Decimal(60)): "one hour",
    ("minute", Decimal(30)): "half an hour",
    ("year", Decimal(1)): "twelve months",
}


def faithful_variants(text: str, sp: list[Span]) -> dict[str, str]:
    out: dict[str, str] = {}
    money = {i: money_alt(x) for i, x in enumerate(sp) if x.kind == "money"}
    if money:
        out["money_reworded"] = replace(text, money, sp)
    if any(x.kind in ("money", "percent", "duration", "count", "date") for x in sp):
        out["spelled_out"] = spell_out(text, sp)
    conv = {}
    for i, x in enumerate(sp):
        if x.kind == "duration" and not x.g("qual"):
            v = parse_num(x.g("num"))
            if v is not None and (x.g("unit").lower(), v) in _CONVERT:
                conv[i] = _CONVERT[(x.g("unit").lower(), v)]
    if conv:
        out["unit_converted"] = replace(text, conv, sp)
    phones = {}
    for i, x in enumerate(sp):
        if x.kind == "phone":
            d = re.sub(r"\D", "", x.m.group(0))
            phones[i] = d if d != x.m.group(0) else f"{d[: len(d) // 2]} {d[len(d) // 2 :]}"
    if phones:
        out["phone_regrouped"] = replace(text, phones, sp)
    dates = {}
    for i, x in enumerate(sp):
        if x.kind == "date":
            y = f", {x.g('year')}" if x.g("year") else ""
            dates[i] = (
                f"{x.g('month')} {int(x.g('day'))}{y}"
                if x.m.group(0)[0].isdigit()
                else f"{int(x.g('day'))} {x.g('month')}{' ' + x.g('year') if x.g('year') else ''}"
            )
    if dates:
        out["date_reformatted"] = replace(text, dates, sp)
    contracted = contract(text)
    if contracted != text:
        out["contracted"] = contracted
    reordered = reorder(text)
    if reordered and reordered != text:
        out["reordered"] = reordered
    out["asr"] = asr(text, sp)
    return out


_CONTRACTIONS = [
    (r"\bdo not\b", "don't"),
    (r"\bdoes not\b", "doesn't"),
    (r"\bis not\b", "isn't"),
    (r"\bare not\b", "aren't"),
    (r"\bwill not\b", "won't"),
    (r"\bcannot\b", "can't"),
    (r"\bcan not\b", "can't"),
    (r"\bshould not\b", "shouldn't"),
    (r"\bhave not\b", "haven't"),
    (r"\bhas not\b", "hasn't"),
]


def contract(text: str) -> str:
    for pat, rep in _CONTRACTIONS:
        text = re.sub(pat, rep, text)
    return text


_LEAD = re.compile(
    r"^(?P<sub>(?:If|When|Once|After|Before|Unless|Until|In case|As long as|Provided)\b"
    r"[^,;:]{3,}),\s"
    r"(?P<main>[^;:]{8,}?)(?P<end>[.!?]?)$"
)
_TRAIL = re.compile(
    r"^(?P<main>[^,;:]{8,}?)\s(?P<sub>(?:if|when|once|after|before|unless|until|provided)\s[^,;:]{3,}?)"
    r"(?P<end>[.!?]?)$"
)


def _lower_first(s: str) -> str:
    first = s.split(" ", 1)[0]
    if (first.isupper() and len(first) > 1) or first == "I":
        return s
    return s[:1].lower() + s[1:]


def reorder(text: str) -> str | None:
    """Move a leading conditional clause to the end, or a trailing one to the front."""
    m = _LEAD.match(text.strip())
    if m:
        main = re.sub(r"^then\s+", "", m.group("main").strip(), flags=re.I)
        return f"{main[:1].upper()}{main[1:]} {_lower_first(m.group('sub'))}{m.group('end') or '.'}"
    m = _TRAIL.match(text.strip())
    if m:
        sub = m.group("sub")
        return f"{sub[:1].upper()}{sub[1:]}, {_lower_first(m.group('main'))}{m.group('end') or '.'}"
    return None


def new_number(value: Decimal, rng: random.Random, *, kind: str) -> Decimal:
    cands = [value + 1, value * 2, value + 5, value * 10]
    if value > 1:
        cands.append(value - 1)
    if value >= 4 and value == value.to_integral_value():
        cands.append((value / 2).to_integral_value())
    if kind == "percent":
        cands = [c for c in cands if c <= 100] or [value / 2]
    cands = [c for c in cands if c != value and c > 0]
    return rng.choice(cands)


_UNIT_SWAP = {
    "minute": ["hour"],
    "hour": ["day", "minute"],
    "day": ["week", "month"],
    "week": ["day", "month"],
    "month": ["year", "week"],
    "year": ["month"],
}
_NEG_REMOVE = [
    (re.compile(r"\b(can)not\b|\b(can) not\b|\b(can)'t\b", re.I), None),
    (
        re.compile(
            r"\b(do|does|did|is|are|was|were|will|should|must|may|would|could|has|have|need)"
            r" not\b",
            re.I,
        ),
        None,
    ),
    (re.compile(r"\b(do|does|is|are|was|were|should|has|have)n't\b", re.I), None),
    (re.compile(r"\bwon't\b", re.I), "will"),
]
_NEG_INSERT = re.compile(r"\b(can|will|must|should|is|are|may)\b(?!\s+not\b)")
_YES_NO = re.compile(r"(?<=:\s)(Yes|No)\b(?=\.?\s*$)")


def flip_polarity(text: str) -> str | None:
    """One polarity flip: remove the only negation, or negate the first modal/copula."""
    m = _YES_NO.search(text)
    if m:
        return text[: m.start()] + ("No" if m.group(1) == "Yes" else "Yes") + text[m.end() :]
    negs = bf.naive_negations(text)
    if negs == 1:
        for pat, fixed in _NEG_REMOVE:
            m = pat.search(text)
            if m:
                word = fixed or next(g for g in m.groups() if g)
                return text[: m.start()] + word + text[m.end() :]
        return None
    if negs == 0:
        m = _NEG_INSERT.search(text)
        if m:
            w = m.group(1)
            return (
                text[: m.start()]
                + ("cannot" if w.lower() == "can" else f"{w} not")
                + text[m.end() :]
            )
    return None


def contradicting_variants(
    text: str, sp: list[Span], rng: random.Random
) -> list[tuple[str, str, str]]:
    """(type, expected kind, text) for each kind of change the sentence allows (one each)."""
    out: list[tuple[str, str, str]] = []
    by_kind: dict[str, list[int]] = defaultdict(list)
    for i, x in enumerate(sp):
        by_kind[x.kind].append(i)
    for kind in ("money", "percent", "duration", "count"):
        if by_kind.get(kind):
            i = rng.choice(by_kind[kind])
            x = sp[i]
            value = parse_num(x.g("num"))
            if value is None:
                continue
            new = show_num(new_number(value, rng, kind=kind), x.g("num"))
            s = x.m.group(0)
            a, b = x.m.span("num")
            changed = s[: a - x.start] + new + s[b - x.start :]
            out.append((f"number ({kind})", kind, replace(text, {i: changed}, sp)))
    # a unit swap needs a non-zero amount (0 days = 0 weeks); "2 business days" -> "2 weeks"
    durations = [i for i in by_kind.get("duration", []) if parse_num(sp[i].g("num"))]
    if durations:
        i = rng.choice(durations)
        x = sp[i]
        unit = x.g("unit").lower()
        new_unit = rng.choice(_UNIT_SWAP[unit])
        s = x.m.group(0)
        a = x.m.start("qual") if x.g("qual") else x.m.start("unit")
        b = x.m.end("unit")
        changed = s[: a - x.start] + new_unit + s[b - x.start :]
        out.append(("unit (duration)", "duration", replace(text, {i: changed}, sp)))
    money = [i for i in by_kind.get("money", []) if x_has_symbol(sp[i])]
    if money:
        i = rng.choice(money)
        x = sp[i]
        cur = currency_of(x)
        s = x.m.group(0)
        a, b = x.m.span("cur")
        new_cur = "$" if cur == "rupees" else "Rs. "
        changed = s[: a - x.start] + new_cur + s[b - x.start :]
        changed = changed.replace(" dollars", " rupees") if cur == "dollars" else changed
        out.append(("unit (currency)", "money", replace(text, {i: changed}, sp)))
    if by_kind.get("date"):
        i = rng.choice(by_kind["date"])
        x = sp[i]
        day = int(x.g("day"))
        new_day = rng.choice([d for d in (day - 1, day + 1, day + 7, day - 7) if 1 <= d <= 28])
        s = x.m.group(0)
        a, b = x.m.span("day")
        changed = s[: a - x.start] + str(new_day) + s[b - x.start :]
        if x.g("suf"):
            suf = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd"}.get(new_day, "th")
            b2 = x.m.end("suf")
            changed = s[: a - x.start] + str(new_day) + suf + s[b2 - x.start :]
        out.append(("date", "date", replace(text, {i: changed}, sp)))
    if by_kind.get("phone"):
        i = rng.choice(by_kind["phone"])
        x = sp[i]
        s = x.m.group(0)
        positions = [k for k, ch in enumerate(s) if ch.isdigit()][1:]  # keep the first digit
        k = rng.choice(positions)
        d = int(s[k])
        new_d = rng.choice([v for v in range(10) if v != d])
        out.append(
            ("phone digit", "phone", replace(text, {i: s[:k] + str(new_d) + s[k + 1 :]}, sp))
        )
    flipped = flip_polarity(text)
    if flipped and flipped != text:
        out.append(("polarity", "polarity", flipped))
    return out


def x_has_symbol(x: Span) -> bool:
    return bool(x.g("cur"))


_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")


def split_sentences(text: str) -> list[str]:
    text = re.sub(r"\s+", " ", text).strip()
    parts = _SENT.split(text)
    return [p.strip() for p in parts if p.strip()]


def hdfc_docs(folder: Path) -> list[list[str]]:
    with (folder / "BankFAQs.csv").open(newline="", encoding="utf-8") as fh:
        answers = sorted({r["Answer"] for r in csv.DictReader(fh)})
    return [split_sentences(a) for a in answers]


def abcd_docs(folder: Path) -> list[list[str]]:
    data = json.loads((folder / "guidelines.json").read_text(encoding="utf-8"))
    docs: list[list[str]] = []

    def walk(o: object) -> None:
        if isinstance(o, dict):
            for v in o.values():
                walk(v)
        elif isinstance(o, list):
            if o and all(isinstance(v, str) for v in o):
                sents: list[str] = []
                for v in o:
                    for part in re.split(r"\s+>\s+|\s*<or>\s*", v):
                        sents.extend(split_sentences(part))
                docs.append(sents)
            else:
                for v in o:
                    walk(v)
        elif isinstance(o, str):
            sents = []
            for part in re.split(r"\s+>\s+|\s*<or>\s*", o):
                sents.extend(split_sentences(part))
            docs.append(sents)

    walk(data)
    return docs


def tau2_docs(folder: Path) -> list[list[str]]:
    docs = []
    for line in (folder / "documents.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        content = json.loads(line)["content"]
        sents: list[str] = []
        for raw in content.splitlines():
            s = raw.strip()
            if not s or s.startswith("#"):
                continue
            s = re.sub(r"^(?:[-*]\s+|\d+[.)]\s+)", "", s)
            s = s.replace("**", "").replace("`", "")
            if s.startswith("|"):  # a markdown table row: "| a | b |" -> "a: b"
                cells = [c.strip() for c in s.strip("|").split("|")]
                s = ": ".join(c for c in cells if c)
            sents.extend(split_sentences(s))
        docs.append(sents)
    return docs


def usable(sentence: str) -> bool:
    """A statement of 5 to 60 words: no question, heading, address or table rule."""
    n = len(sentence.split())
    if not 5 <= n <= 60 or "http" in sentence or "@" in sentence:
        return False
    s = sentence.rstrip()
    return not (s.endswith(("?", ":")) or s.startswith(("Q:", "Q.")) or "---" in s)


def perturbed(data: Path, per_source: int, context: int, seed: int) -> tuple[list[Pair], list[str]]:
    loaders = {
        "hdfc_bank_faq": hdfc_docs,
        "abcd": abcd_docs,
        "tau2_banking_knowledge": tau2_docs,
    }
    notes: list[str] = []
    pairs: list[Pair] = []
    for name, loader in loaders.items():
        folder = data / name
        if not folder.is_dir():
            notes.append(f"{name}: not found at {folder}; get it from {WHERE[name]}. Skipped.")
            continue
        docs = loader(folder)
        cands: dict[str, str] = {}
        for sents in docs:
            for j, s in enumerate(sents):
                if not usable(s) or s in cands:
                    continue
                if not any(x.kind != "time" for x in spans(s)):
                    continue  # a sentence that carries a fact
                lo, hi = max(0, j - context), min(len(sents), j + context + 1)
                # a line of a list or table is a sentence: end it so it reads as one
                cands[s] = " ".join(
                    x if x.endswith((".", "!", "?", ":", ";")) else x + "." for x in sents[lo:hi]
                )
        keys = sorted(cands)
        rng = random.Random(f"{seed}-{name}")
        # stratified: up to per_source // 6 sentences holding each kind (rare kinds
        # first), then a plain random fill up to per_source
        chosen: list[str] = []
        for kind in ("phone", "date", "percent", "count", "duration", "money"):
            with_kind = [
                k for k in keys if k not in chosen and any(x.kind == kind for x in spans(k))
            ]
            chosen += rng.sample(with_kind, min(per_source // 6, len(with_kind)))
        rest = [k for k in keys if k not in chosen]
        chosen += rng.sample(rest, max(0, min(per_source - len(chosen), len(rest))))
        notes.append(
            f"{name}: {len(keys)} sentences with a fact; {len(chosen)} sampled "
            "(stratified by kind)."
        )
        for s in chosen:
            canonical = cands[s]
            sp = spans(s)
            for vtype, text in faithful_variants(s, sp).items():
                if text.strip() == s.strip():
                    continue
                style = "spoken" if vtype == "asr" else "written"
                pairs.append(Pair(text, canonical, False, vtype, name, None, style, s))
            for vtype, kind, text in contradicting_variants(s, sp, rng):
                if text == s:
                    continue
                style = "written"
                if rng.random() < 0.5:
                    text, style = asr(text), "spoken"
                pairs.append(Pair(text, canonical, True, vtype, name, kind, style, s))
    return pairs, notes


FAITHFUL_TYPES = (
    "money_reworded",
    "spelled_out",
    "unit_converted",
    "phone_regrouped",
    "date_reformatted",
    "contracted",
    "reordered",
    "asr",
)
CONTRA_TYPES = (
    "number (money)",
    "number (percent)",
    "number (duration)",
    "number (count)",
    "unit (duration)",
    "unit (currency)",
    "date",
    "phone digit",
    "polarity",
)


_INDIAN = re.compile(r"\bRs\.?|\bINR\b|₹|rupee", re.I)


def report_perturbed(pairs: list[Pair], f: Fitted) -> list[str]:
    rows: list[tuple[str, Sequence[Pair], str]] = []
    for t in CONTRA_TYPES:
        items = [p for p in pairs if p.group == t]
        if items:
            rows.append((f"recall: {t}", items, "recall"))
        if t in ("number (money)", "unit (currency)", "phone digit"):
            inr = [p for p in items if _INDIAN.search(p.original) or p.source == "hdfc_bank_faq"]
            rest = [p for p in items if p not in inr]
            if inr and rest:
                rows.append(("  of which Indian (Rs./INR, Indian numbers)", inr, "recall"))
                rows.append(("  of which others ($, US numbers)", rest, "recall"))
    pos = [p for p in pairs if p.label]
    rows.append(("**recall: all changes**", pos, "recall"))
    for style in ("written", "spoken"):
        rows.append((f"recall: {style}", [p for p in pos if p.style == style], "recall"))
    for src in sorted({p.source for p in pairs}):
        rows.append((f"recall: {src}", [p for p in pos if p.source == src], "recall"))
    neg = [p for p in pairs if not p.label]
    for t in FAITHFUL_TYPES:
        items = [p for p in neg if p.group == t]
        if items:
            rows.append((f"false alarms: {t}", items, "false alarms"))
    rows.append(("**false alarms: all faithful**", neg, "false alarms"))
    for src in sorted({p.source for p in pairs}):
        rows.append((f"false alarms: {src}", [p for p in neg if p.source == src], "false alarms"))
    rows.append(("faithful judged unverified (library)", neg, "unverified"))
    rows.append(("changes judged unverified (library)", pos, "unverified"))
    return table(f, rows, strict=True)


# -- the plot ------------------------------------------------------------------------------


def plot(panels: list[tuple[str, Fitted]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = len(panels)
    cols = min(3, n)
    rows = (n + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(5 * cols, 4.2 * rows), squeeze=False)
    for ax, (title, f) in zip(axes.flat, panels, strict=False):
        for name, style in (("cosine", "-"), ("fuzz", "--")):
            if name in f.curves:
                prec, rec = f.curves[name]
                ax.plot(rec, prec, style, label=f.heads[name].split(" <")[0] + " (all t)")
                op = f.ops[name]
                ax.plot([op.recall], [op.precision], "o", ms=5, color=ax.lines[-1].get_color())
        lib, naive = f.ops["library"], f.ops["naive"]
        ax.plot([naive.recall], [naive.precision], "s", ms=8, label="naive rule")
        ax.plot([lib.recall], [lib.precision], "*", ms=16, color="crimson", label="library")
        ax.set_title(title, fontsize=10)
        ax.set_xlim(0, 1.02)
        ax.set_ylim(0, 1.02)
        ax.set_xlabel("recall (contradictions found)")
        ax.set_ylabel("precision")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, loc="lower left")
    for ax in list(axes.flat)[n:]:
        ax.axis("off")
    fig.suptitle(
        "Contradiction detection: baselines' precision/recall over every threshold "
        "(dot = chosen threshold), library's single operating point",
        fontsize=10,
    )
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)


# -- main ------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument(
        "--nli-cap",
        type=int,
        default=300,
        help="Breaking NLI rows per goal category and synonyms (0: all)",
    )
    ap.add_argument(
        "--other-cap", type=int, default=60, help="Breaking NLI rows per other category"
    )
    ap.add_argument(
        "--naik-rows", type=int, default=900, help="Naik rows, a third per label (0: all)"
    )
    ap.add_argument("--per-source", type=int, default=150, help="sentences per real source")
    ap.add_argument(
        "--context", type=int, default=1, help="neighbouring sentences in the canonical"
    )
    ap.add_argument("--no-embedding", action="store_true")
    ap.add_argument(
        "--no-labelled", action="store_true", help="leave the labelled set off the plot"
    )
    ap.add_argument("--examples", type=int, default=4)
    ap.add_argument("--markdown", type=Path)
    ap.add_argument("--plot", type=Path, default=HERE / "plots" / "contradiction_pr.png")
    args = ap.parse_args(argv)

    t_start = time.perf_counter()
    data = args.data if args.data.is_absolute() else (Path.cwd() / args.data)
    out: list[str] = [
        f"date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"machine: {bf.machine_line()}",
        f"data: {data}",
        bf.nli_cross_encoder_status(),
        "",
    ]
    ex: list[str] = []
    encoder = None if args.no_embedding else bf.CachedEncoder()
    panels: list[tuple[str, Fitted]] = []

    def missing(name: str) -> bool:
        if (data / name).is_dir():
            return False
        out.append(f"{name}: not found at {data / name}; get it from {WHERE[name]}. Skipped.")
        out.append("")
        return True

    if not missing("breaking_nli"):
        pairs = breaking_nli(data / "breaking_nli", args.nli_cap, args.other_cap, args.seed)
        lib_s = score(pairs, encoder)
        f = fit(pairs, encoder is not None)
        out.append(
            f"### Breaking NLI ({len(pairs)} pairs: up to {args.nli_cap} per goal category and "
            f"synonyms, {args.other_cap} per other category, seeded sample; library "
            f"{1000 * lib_s / len(pairs):.1f} ms/pair)"
        )
        out.append("")
        out.extend(report_breaking(pairs, f))
        out.append("")
        out.extend(summary(f, pairs))
        out.append("")
        panels.append(("Breaking NLI (premise vs hypothesis)", f))
        for c in GOAL_CATEGORIES:
            ex += examples(
                f"Breaking NLI missed {c}",
                [p for p in pairs if p.group == f"{c}/contradiction" and not p.flagged],
                args.examples,
            )
        ex += examples(
            "Breaking NLI false alarms (entailment)",
            [p for p in pairs if p.group.endswith("/entailment") and p.flagged],
            args.examples,
        )

    if not missing("naik_stress_numerical"):
        pairs = naik(data / "naik_stress_numerical", args.naik_rows, args.seed)
        lib_s = score(pairs, encoder)
        ent = [p for p in pairs if p.group != "neutral"]
        f = fit(ent, encoder is not None)
        out.append(
            f"### Naik numerical stress set ({len(pairs)} pairs, a third per label, seeded sample; "
            f"thresholds fitted on contradiction vs entailment; library "
            f"{1000 * lib_s / len(pairs):.1f} ms/pair)"
        )
        out.append("")
        out.extend(report_labels(pairs, f, ("entailment", "neutral")))
        out.append("")
        out.extend(summary(f, ent))
        out.append("")
        panels.append(("Naik numerical (contradiction vs entailment)", f))
        ex += examples(
            "Naik missed contradictions",
            [p for p in pairs if p.label and not p.flagged],
            args.examples,
        )
        ex += examples(
            "Naik false alarms (entailment)",
            [p for p in pairs if p.group == "entailment" and p.flagged],
            args.examples,
        )

    if not missing("nan_nli"):
        pairs = nan_nli(data / "nan_nli")
        lib_s = score(pairs, encoder)
        f = fit(pairs, encoder is not None)
        out.append(
            f"### NaN-NLI ({len(pairs)} pairs, all; "
            f"library {1000 * lib_s / len(pairs):.1f} ms/pair)"
        )
        out.append("")
        out.extend(report_labels(pairs, f, ("entailment", "neutral")))
        out.append("")
        out.extend(summary(f, pairs))
        out.append("")
        panels.append(("NaN-NLI (negation)", f))
        ex += examples(
            "NaN-NLI missed contradictions",
            [p for p in pairs if p.label and not p.flagged],
            args.examples,
        )
        ex += examples(
            "NaN-NLI false alarms",
            [p for p in pairs if not p.label and p.flagged],
            args.examples,
        )

    pairs, notes = perturbed(data, args.per_source, args.context, args.seed)
    out.extend(n for n in notes if "Skipped" in n)
    if pairs:
        lib_s = score(pairs, encoder)
        f = fit(pairs, encoder is not None)
        out.append(
            f"### Real canonical answers, perturbed ({len(pairs)} pairs: "
            f"{sum(p.label for p in pairs)} changed, {sum(not p.label for p in pairs)} faithful; "
            f"canonical = the sentence with {args.context} neighbour(s) each side; library "
            f"{1000 * lib_s / len(pairs):.1f} ms/pair)"
        )
        out.append("")
        out.extend(n for n in notes if "Skipped" not in n)
        out.append("")
        out.append(
            "Library recall: status contradiction with a conflict of the changed kind; in "
            "brackets, any contradiction."
        )
        out.append("")
        out.extend(report_perturbed(pairs, f))
        out.append("")
        out.extend(summary(f, pairs))
        out.append("")
        panels.append(("Real answers perturbed (HDFC, ABCD, tau2)", f))
        for t in CONTRA_TYPES:
            ex += examples(
                f"Perturbed: missed {t}",
                [p for p in pairs if p.group == t and not p.found],
                args.examples,
            )
        for t in FAITHFUL_TYPES:
            ex += examples(
                f"Perturbed: false alarms on {t}",
                [p for p in pairs if p.group == t and p.flagged],
                args.examples,
            )

    if not args.no_labelled:
        cases = bf.load_cases()
        bf.run_library(cases)
        bf.run_baselines(cases, encoder)
        lab = [
            Pair(
                c.row["answer"],
                c.canonical,
                c.expected_contradiction,
                c.row["category"],
                status=c.status,
                kinds=c.kinds,
                cosine=c.cosine,
                fuzz=c.fuzz,
                naive=c.naive,
            )
            for c in bf.scored(cases)
        ]
        panels.insert(
            0, ("Labelled set (tests/data/fact_cases.jsonl)", fit(lab, encoder is not None))
        )

    if panels and args.plot:
        plot(panels, args.plot)
        out.append(
            f"plot: {args.plot.relative_to(ROOT) if args.plot.is_relative_to(ROOT) else args.plot}"
        )
    out.append(
        "Baseline thresholds maximise recall minus false-alarm rate on the same data: an "
        "upper bound for those baselines (0 recall and 0% false alarms: no threshold beats "
        "chance). Library: no threshold."
    )
    if encoder is not None:
        out.append(
            f"embedding: model load {encoder.load_s:.0f} s, encoding {encoder.encode_s:.0f} s "
            f"for {len(encoder.cache)} distinct texts"
        )
    out.append(f"run time {time.perf_counter() - t_start:.0f} s")
    text = "\n".join(out)
    print(text)
    print()
    print("Examples of shortfalls")
    print("\n".join(ex))
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
