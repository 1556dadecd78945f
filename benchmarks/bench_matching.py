"""Question → KB entry matching on public data, next to plain baselines, in one run.

Datasets (read from ``--data``, by default ``../shared/eval/external`` from the repo
root; nothing is copied into the repo):

* BANKING77: one entry per intent, phrased by N training utterances (N = 5, 10, all);
  10 training utterances per intent are held out as the validation split.
* CLINC150 (``data_full.json``): 150 intents from ``train``; ``val`` (with its
  out-of-scope queries) fits weights and threshold; ``test`` in-scope top-1 and
  out-of-scope (``no_match``) recall and precision.
* COVID-QA FAQ: 213 FAQ entries (question, answer); queries are the human
  paraphrases of FAQ questions; similar=0 pairs are hard negatives. Pairs are split
  even/odd into validation/test.
* tau2 banking_knowledge: 698 documents (title → phrasing, content → answer); queries
  are the 97 tasks' customer instructions, gold their ``required_documents``; tasks
  are split even/odd into validation/test.

For each: the library's :class:`Index` (proposed defaults, per-dataset fitted and
current defaults), embedding cosine to the nearest phrasing, rapidfuzz
``token_sort_ratio`` to the nearest phrasing and BM25Okapi over phrasings (max per
entry); latency is the p50 of one query at a time, the query's encoding included.
Every text is embedded once per dataset (batched) and reused by every method.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/bench_matching.py [--data DIR]
        [--markdown OUT.md] [--plot benchmarks/plots/no_match_pr.png] [--cache DIR]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import re
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from consistency.calibrate import (  # noqa: E402
    DEFAULT_GRID,
    ScoreParts,
    calibrate_index,
    fit_labelled_threshold,
    fuse,
    rank,
    score_parts,
    weight_grid,
)
from consistency.kb import KnowledgeBase  # noqa: E402
from consistency.match import (  # noqa: E402
    EmbeddingCache,
    FusionWeights,
    Index,
    SentenceTransformerEncoder,
    fit_threshold,
    match_key,
)

SEED = 0
LATENCY_QUERIES = 50
#: The defaults shipped before this benchmark (kept fixed so the row stays comparable).
CURRENT = FusionWeights(phrase=0.2, centroid=0.4, answer=0.4, fuzzy=0.1)
WHERE = {
    "banking77": "github.com/PolyAI-LDN/task-specific-datasets (banking_data/)",
    "clinc150": "github.com/clinc/oos-eval (data/data_full.json)",
    "covid_qa_faq": "github.com/deepset-ai/COVID-QA (data/faqs/faq_covidbert.csv, "
    "data/eval_question_similarity_en.csv)",
    "tau2_banking_knowledge": "github.com/sierra-research/tau2-bench "
    "(data/tau2/domains/banking_knowledge)",
}
#: Published figures, from the papers as we remember them (approximate; classifiers
#: trained on the data, not retrieval): labelled "published" wherever printed.
PUBLISHED = {
    "BANKING77": (
        "published (Casanueva et al. 2020, intent classifiers, accuracy): "
        "10 examples per intent ≈ 85.2 (USE+ConveRT), full training data ≈ 93.4 "
        "(USE+ConveRT) and ≈ 93.7 (fine-tuned BERT); no 5-shot figure"
    ),
    "CLINC150": (
        "published (Larson et al. 2019, 'full' data, classifiers trained on all 15,000 "
        "train queries plus oos_train as a 151st class): BERT in-scope accuracy ≈ 96, "
        "out-of-scope recall ≈ 40"
    ),
}


# -- encoding once --------------------------------------------------------------------


class VectorStore:
    """An Encoder that answers from vectors computed once (batched) per dataset."""

    def __init__(self, inner: SentenceTransformerEncoder, cache: EmbeddingCache | None) -> None:
        self.inner, self.cache = inner, cache
        self.name, self.dim = inner.name, inner.dim
        self.vectors: dict[str, np.ndarray] = {}
        self.encoded = 0

    def add(self, texts: Sequence[str]) -> None:
        """Embed every text not yet known, in one batched call (or from the disk cache)."""
        todo = sorted({t for t in texts if t not in self.vectors})
        if not todo:
            return
        key = self.cache.key(f"{self.name}|bench", todo) if self.cache else ""
        vectors = self.cache.get(key, len(todo)) if self.cache else None
        if vectors is None:
            vectors = self.inner.encode(todo)
            self.encoded += len(todo)
            if self.cache:
                self.cache.put(key, vectors)
        self.vectors.update(zip(todo, vectors, strict=True))

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
        self.add(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self.vectors[t] for t in texts])


# -- datasets ---------------------------------------------------------------------------

Gold = frozenset[str] | None  # None: out of scope, must be no_match


@dataclass
class Task:
    """One KB with a fitting split and a test split."""

    name: str
    kb: KnowledgeBase
    val: list[tuple[str, Gold]]
    test: list[tuple[str, Gold]]
    has_answers: bool
    notes: list[str] = field(default_factory=list)
    negatives: list[tuple[str, frozenset[str]]] = field(default_factory=list)
    multi_gold: bool = False
    latency_queries: int = LATENCY_QUERIES
    in_defaults: bool = True  # used to choose the shipped default weights


def readable(intent: str) -> str:
    return intent.replace("_", " ")


def intent_kb(by_intent: dict[str, list[str]]) -> KnowledgeBase:
    return KnowledgeBase.from_entries(
        {"id": i, "questions": qs, "answer": readable(i), "topic": readable(i)}
        for i, qs in by_intent.items()
    )


def load_banking77(folder: Path) -> list[Task]:
    def rows(name: str) -> list[tuple[str, str]]:
        with open(folder / name, newline="", encoding="utf-8") as f:
            return [(r["text"], r["category"]) for r in csv.DictReader(f)]

    rng = np.random.default_rng(SEED)
    train: dict[str, list[str]] = defaultdict(list)
    for text, intent in rows("train.csv"):
        train[intent].append(text)
    val: list[tuple[str, Gold]] = []
    pool: dict[str, list[str]] = {}
    for intent in sorted(train):
        texts = train[intent]
        order = rng.permutation(len(texts))
        val += [(texts[i], frozenset([intent])) for i in order[:10]]
        pool[intent] = [texts[i] for i in order[10:]]
    test = [(t, frozenset([i])) for t, i in rows("test.csv")]
    tasks = []
    for n in (5, 10, None):
        kb = intent_kb({i: qs[:n] if n else qs for i, qs in pool.items()})
        label = f"N={n}" if n else "N=all"
        tasks.append(
            Task(
                f"BANKING77 {label}",
                kb,
                val,
                test,
                has_answers=False,
                notes=[
                    f"77 entries, {sum(len(v.questions) for v in kb)} phrasings; validation: "
                    f"10 train utterances per intent held out (seed {SEED}), never phrasings; "
                    "'all' = the other ~120 per intent; answers = intent names, answer weight 0"
                ],
            )
        )
    return tasks


def load_clinc150(folder: Path) -> list[Task]:
    data = json.loads((folder / "data_full.json").read_text(encoding="utf-8"))
    train: dict[str, list[str]] = defaultdict(list)
    for text, intent in data["train"]:
        train[intent].append(text)

    def split(name: str) -> list[tuple[str, Gold]]:
        return [(t, frozenset([i])) for t, i in data[name]] + [
            (t, None) for t, _ in data[f"oos_{name}"]
        ]

    return [
        Task(
            "CLINC150",
            intent_kb(dict(train)),
            split("val"),
            split("test"),
            has_answers=False,
            notes=[
                "150 entries x 100 train phrasings; fitted on val (3,000 + 100 oos), "
                "reported on test (4,500 + 1,000 oos); answers = intent names, answer weight 0"
            ],
        )
    ]


def load_covid(folder: Path) -> list[Task]:
    with open(folder / "faq_covidbert.csv", newline="", encoding="utf-8") as f:
        faq = list(csv.DictReader(f))
    entries = [
        {"id": f"faq-{n:03d}", "questions": [r["question"]], "answer": r["answer"]}
        for n, r in enumerate(faq)
    ]
    by_question: dict[str, set[str]] = defaultdict(set)
    for e in entries:
        by_question[e["questions"][0]].add(e["id"])
    with open(folder / "eval_question_similarity_en.csv", newline="", encoding="utf-8") as f:
        pairs = [r for r in csv.DictReader(f) if r["question_1"] in by_question]
    positives = [
        (r["question_2"], frozenset(by_question[r["question_1"]]))
        for r in pairs
        if r["similar"] == "1"
    ]
    negatives = [
        (r["question_2"], frozenset(by_question[r["question_1"]]))
        for r in pairs
        if r["similar"] == "0"
    ]
    return [
        Task(
            "COVID-QA FAQ",
            KnowledgeBase.from_entries(entries),
            positives[0::2],
            positives[1::2],
            has_answers=True,
            negatives=negatives[1::2],
            notes=[
                f"213 entries (one phrasing each, real answers); {len(positives)} paraphrase "
                "queries whose question_1 is in the FAQ (20 pairs are not), split even/odd "
                f"into validation/test ({len(positives[0::2])}/{len(positives[1::2])}); "
                f"{len(negatives[1::2])} similar=0 pairs of the test half are hard negatives"
            ],
        )
    ]


_ROLE = re.compile(r"^You are playing the role of a customer[^.]*\.\s*", re.IGNORECASE)


def load_tau2(folder: Path) -> list[Task]:
    with open(folder / "documents.jsonl", encoding="utf-8") as f:
        docs = [json.loads(line) for line in f]
    entries = [{"id": d["id"], "questions": [d["title"]], "answer": d["content"]} for d in docs]
    tasks = json.loads((folder / "tasks.json").read_text(encoding="utf-8"))
    queries = [
        (
            _ROLE.sub("", t["user_scenario"]["instructions"]).strip(),
            frozenset(t["required_documents"]),
        )
        for t in tasks
        if t.get("required_documents")
    ]
    return [
        Task(
            "tau2 banking_knowledge",
            KnowledgeBase.from_entries(entries),
            queries[0::2],
            queries[1::2],
            has_answers=True,
            multi_gold=True,
            latency_queries=20,  # 256-token queries: each costs ~0.1-0.4 s to embed on CPU
            in_defaults=False,  # role-play scripts, not questions; 49 val queries: reported only
            notes=[
                f"698 entries (title as the one phrasing, content as answer); {len(queries)} "
                "tasks' customer instructions (role sentence stripped; the encoder reads the "
                f"first 256 tokens) split even/odd into validation/test "
                f"({len(queries[0::2])}/{len(queries[1::2])}); "
                "recall@k = |gold ∩ top-k| / min(k, |gold|), averaged"
            ],
        )
    ]


LOADERS: dict[str, Callable[[Path], list[Task]]] = {
    "banking77": load_banking77,
    "clinc150": load_clinc150,
    "covid_qa_faq": load_covid,
    "tau2_banking_knowledge": load_tau2,
}


# -- scoring ----------------------------------------------------------------------------


def gold_matrix(index: Index, golds: Sequence[Gold]) -> list[set[int]]:
    ordinal = {e: i for i, e in enumerate(index.entry_ids)}
    return [set() if g is None else {ordinal[e] for e in g} for g in golds]


@dataclass
class Ranked:
    """A method's top-5 entries and best score per query, and its latency."""

    top: np.ndarray
    best: np.ndarray
    second: np.ndarray | None = None
    latency_ms: float | None = None


def ranked_from(scores: np.ndarray) -> Ranked:
    """Top-5 and the best two scores (unclipped: BM25 scores are not in 0–1)."""
    top, _ = rank(scores, k=5)
    best = np.take_along_axis(scores, top[:, :1], axis=1)[:, 0]
    second = np.take_along_axis(scores, top[:, 1:2], axis=1)[:, 0]
    if scores.max(initial=0.0) <= 1.0 + 1e-5:  # fused scores: an exact hit shows as 1.0
        best, second = np.minimum(best, 1.0), np.minimum(second, 1.0)
    return Ranked(top, best, second)


def recall_at(top: np.ndarray, golds: list[set[int]], k: int, *, hit: bool) -> float:
    vals = []
    for row, gold in zip(top, golds, strict=True):
        if not gold:
            continue
        found = len(gold.intersection(row[:k].tolist()))
        vals.append(float(found > 0) if hit else found / min(k, len(gold)))
    return float(np.mean(vals)) if vals else float("nan")


def top1_correct(top: np.ndarray, golds: list[set[int]]) -> np.ndarray:
    return np.asarray([int(row[0]) in gold for row, gold in zip(top, golds, strict=True)])


class BM25:
    """rank_bm25.BM25Okapi over the phrasings, scored for many queries with one sparse product.

    The product gives exactly ``BM25Okapi.get_scores`` (checked on a few queries); the
    latency column times ``get_scores`` itself.
    """

    def __init__(self, docs: Sequence[str], owners: np.ndarray) -> None:
        from rank_bm25 import BM25Okapi
        from scipy import sparse

        self.tokens = [match_key(d).split() or ["_"] for d in docs]
        self.bm = BM25Okapi(self.tokens)
        self.owners = owners
        self.starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
        self.vocab = {w: i for i, w in enumerate(self.bm.idf)}
        rows, cols, vals = [], [], []
        k1, b, avgdl = self.bm.k1, self.bm.b, self.bm.avgdl
        for d, (freqs, dl) in enumerate(zip(self.bm.doc_freqs, self.bm.doc_len, strict=True)):
            for w, tf in freqs.items():
                rows.append(d)
                cols.append(self.vocab[w])
                vals.append(self.bm.idf[w] * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl)))
        self.matrix = sparse.csr_matrix(
            (vals, (rows, cols)), shape=(len(docs), len(self.vocab)), dtype=np.float64
        )

    def entry_scores(self, queries: Sequence[str]) -> np.ndarray:
        from scipy import sparse

        rows, cols = [], []
        for q, text in enumerate(queries):
            for w in match_key(text).split():
                if w in self.vocab:
                    rows.append(q)
                    cols.append(self.vocab[w])
        counts = sparse.csr_matrix(
            (np.ones(len(rows)), (rows, cols)), shape=(len(queries), len(self.vocab))
        )
        per_doc = np.asarray((counts @ self.matrix.T).todense())
        for q in range(min(3, len(queries))):
            exact = self.bm.get_scores(match_key(queries[q]).split())
            assert np.allclose(per_doc[q], exact), "sparse BM25 differs from get_scores"
        return np.maximum.reduceat(per_doc, self.starts, axis=1)

    def one(self, query: str) -> np.ndarray:
        scores = self.bm.get_scores(match_key(query).split())
        return np.maximum.reduceat(scores, self.starts)


def p50(fn: Callable[[str], object], queries: Sequence[str]) -> float:
    times = []
    for q in queries:
        t = time.perf_counter()
        fn(q)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def no_answer(w: FusionWeights) -> FusionWeights:
    """The weights with the answer share given to phrase/centroid (KBs without real answers)."""
    if not w.answer:
        return w
    rest = w.phrase + w.centroid
    if rest <= 0:
        return FusionWeights(phrase=0.5, centroid=0.5, answer=0.0, fuzzy=w.fuzzy)
    return FusionWeights(
        phrase=w.phrase / rest, centroid=1 - w.phrase / rest, answer=0.0, fuzzy=w.fuzzy
    )


def fmt_w(w: FusionWeights) -> str:
    return f"{w.phrase:.2g}/{w.centroid:.2g}/{w.answer:.2g}/{w.fuzzy:.2g}"


@dataclass
class Prepared:
    """A task with its index, score parts and gold, ready for any weighting."""

    task: Task
    index: Index
    val_parts: ScoreParts
    test_parts: ScoreParts
    val_gold: list[set[int]]
    test_gold: list[set[int]]
    test_vectors: np.ndarray
    val_vectors: np.ndarray
    grid_val: dict[FusionWeights, float] = field(default_factory=dict)

    def weights_for(self, w: FusionWeights) -> FusionWeights:
        return w if self.task.has_answers else no_answer(w)

    def val_top1(self, w: FusionWeights) -> float:
        w = self.weights_for(w)
        if w not in self.grid_val:
            top, _ = rank(fuse(self.val_parts, w, candidates=self.index.candidates), k=5)
            inside = [g for g in self.val_gold if g]
            rows = top[[i for i, g in enumerate(self.val_gold) if g]]
            self.grid_val[w] = recall_at(rows, inside, 1, hit=True)
        return self.grid_val[w]


def prepare(task: Task, store: VectorStore, workers: int) -> Prepared:
    texts = [q for q, _ in task.val + task.test + task.negatives]
    for entry in task.kb:
        texts += [*entry.questions, entry.answer]
    store.add(texts)
    index = Index(task.kb, store, cache=False)
    if hasattr(index, "lru"):  # time cold questions: no in-memory reuse of embeddings
        index.lru = type(index.lru)(0)
    val_q, test_q = [q for q, _ in task.val], [q for q, _ in task.test]
    val_v, test_v = store.encode(val_q), store.encode(test_q)
    return Prepared(
        task,
        index,
        score_parts(index, val_q, val_v, workers=workers),
        score_parts(index, test_q, test_v, workers=workers),
        gold_matrix(index, [g for _, g in task.val]),
        gold_matrix(index, [g for _, g in task.test]),
        test_v,
        val_v,
    )


# -- one table per task ----------------------------------------------------------------


def library_ranked(index: Index, queries: Sequence[str], vectors: np.ndarray) -> Ranked:
    """The real Index, query by query (match_vector: the exact library path)."""
    top = np.zeros((len(queries), 5), dtype=np.int64)
    best = np.zeros(len(queries))
    second = np.zeros(len(queries))
    ordinal = {e: i for i, e in enumerate(index.entry_ids)}
    for row, (q, v) in enumerate(zip(queries, vectors, strict=True)):
        matches = index.match_vector(q, v, k=5)
        ids = [ordinal[m.entry_id] for m in matches]
        top[row, : len(ids)] = ids
        best[row] = matches[0].score
        second[row] = matches[1].score if len(matches) > 1 else 0.0
    return Ranked(top, best, second)


def oos_metrics(r: Ranked, golds: list[set[int]], threshold: float) -> dict[str, float]:
    inside = np.asarray([bool(g) for g in golds])
    correct = top1_correct(r.top, golds)
    matched = r.best >= threshold
    right = matched & correct & inside
    rejected_oos = ~matched & ~inside
    flagged = ~matched
    return {
        "in_acc": float(right[inside].mean()),
        "oos_recall": float(rejected_oos.sum() / max(1, (~inside).sum())),
        "oos_precision": float(rejected_oos.sum() / flagged.sum()) if flagged.any() else 1.0,
    }


def val_threshold(r: Ranked, golds: list[set[int]]) -> float:
    """As ``fit_labelled_threshold`` (max 2-point loss), without its 0–1 cap (for BM25)."""
    inside = np.asarray([bool(g) for g in golds])
    correct = top1_correct(r.top, golds)
    if r.best.max(initial=0.0) <= 1.0:
        return fit_labelled_threshold(r.best[inside], correct[inside], max_recall_loss=0.02)
    good = np.sort(r.best[inside & correct])
    return float(np.floor(good[int(0.02 * inside.sum())] * 1000) / 1000)


@dataclass
class Method:
    """A row of a table: scores for any questions, and one-query latency."""

    label: str
    scores: Callable[[ScoreParts, Sequence[str]], np.ndarray]
    one: Callable[[str], object]
    real_index: bool = False


def run_task(
    prep: Prepared,
    proposed: FusionWeights,
    encoder: SentenceTransformerEncoder,
    out: list[str],
    plot: Path | None,
) -> None:
    """One table (and notes) for one task."""
    task, index = prep.task, prep.index
    store = index.encoder
    test_q = [q for q, _ in task.test]
    val_q = [q for q, _ in task.val]
    rng = np.random.default_rng(SEED)
    lat_q = [test_q[i] for i in sorted(rng.permutation(len(test_q))[: task.latency_queries])]
    oos = any(g is None for _, g in task.test)
    pool = DEFAULT_GRID if task.has_answers else weight_grid(answer=False)
    fitted = max(pool, key=lambda w: (prep.val_top1(w), -abs(w.fuzzy - 0.1)))
    index.weights = prep.weights_for(proposed)
    c = index.candidates
    owners = phrase_owners(index)
    starts = np.flatnonzero(np.r_[True, np.diff(owners) != 0])
    keys = [match_key(p) for p in index.phrasings]
    bm = BM25(index.phrasings, owners)

    from rapidfuzz import fuzz, process

    def lib_fn(w: FusionWeights) -> Callable[[ScoreParts, Sequence[str]], np.ndarray]:
        return lambda parts, _q: fuse(parts, w, candidates=c)

    def library_one(q: str) -> object:
        return index.match(q, k=5)

    def cosine_one(q: str) -> object:
        v = encoder.encode([q])[0]
        return np.argsort(-np.maximum.reduceat(index.phrase_vectors @ v, starts))[:5]

    def fuzzy_one(q: str) -> object:
        s = process.cdist([match_key(q)], keys, scorer=fuzz.token_sort_ratio, processor=None)[0]
        return np.argsort(-np.maximum.reduceat(s, starts))[:5]

    current = prep.weights_for(CURRENT)
    methods = [
        Method(
            f"library, proposed defaults {fmt_w(index.weights)}",
            lib_fn(index.weights),
            library_one,
            real_index=True,
        ),
        Method(f"library, fitted on val {fmt_w(fitted)}", lib_fn(fitted), library_one),
        Method(f"library, old defaults {fmt_w(current)}", lib_fn(current), library_one),
        Method("embedding cosine, nearest phrasing", lambda parts, _q: parts.nearest, cosine_one),
        Method(
            "rapidfuzz token_sort_ratio, nearest phrasing",
            lambda parts, _q: parts.fuzzy,
            fuzzy_one,
        ),
        Method(
            "BM25Okapi over phrasings, max per entry",
            lambda _p, q: bm.entry_scores(q),
            lambda q: np.argsort(-bm.one(q))[:5],
        ),
    ]
    if task.has_answers:
        docs = []
        for entry_id in index.entry_ids:
            entry = index.kb.versions(entry_id)[-1]
            docs.append(" ".join([*entry.questions, entry.answer]))
        bma = BM25(docs, np.arange(len(docs)))
        methods.append(
            Method(
                "BM25Okapi over phrasings + answer",
                lambda _p, q: bma.entry_scores(q),
                lambda q: np.argsort(-bma.one(q))[:5],
            )
        )

    neg_q = [q for q, _ in task.negatives]
    neg_gold = gold_matrix(index, [g for _, g in task.negatives])
    neg_parts = score_parts(index, neg_q, store.encode(neg_q)) if neg_q else None

    gold = prep.test_gold
    lines: list[str] = []
    lib_real: Ranked | None = None
    lib_val: Ranked | None = None
    agree = lib_s = 0.0
    lib_lat: float | None = None
    for method in methods:
        r = ranked_from(method.scores(prep.test_parts, test_q))
        rv = ranked_from(method.scores(prep.val_parts, val_q)) if oos else None
        if method.real_index:
            t0 = time.perf_counter()
            real = library_ranked(index, test_q, prep.test_vectors)
            lib_s = time.perf_counter() - t0
            agree = float((real.top[:, 0] == r.top[:, 0]).mean())
            r = lib_real = real
            lib_val = rv  # val: the fuse emulation (it agrees with Index, see the note)
        if method.one is library_one and lib_lat is not None:
            lat = lib_lat  # the same code path as the row above; only the weights differ
        else:
            index.encoder = encoder  # latency: the real encoder, one query at a time
            lat = p50(method.one, lat_q)
            index.encoder = store
            if method.one is library_one:
                lib_lat = lat
        inside = [i for i, g in enumerate(gold) if g]
        top1 = recall_at(r.top[inside], [gold[i] for i in inside], 1, hit=True)
        top5 = recall_at(r.top[inside], [gold[i] for i in inside], 5, hit=True)
        if oos:
            assert rv is not None
            th = val_threshold(rv, prep.val_gold)
            m = oos_metrics(r, gold, th)
            lines.append(
                f"| {method.label} | {top1:.3f} | {top5:.3f} | {th:.3f} | {m['in_acc']:.3f} | "
                f"{m['oos_recall']:.3f} | {m['oos_precision']:.3f} | {lat:.2f} |"
            )
        elif task.multi_gold:
            r1 = recall_at(r.top, gold, 1, hit=False)
            r5 = recall_at(r.top, gold, 5, hit=False)
            h5 = recall_at(r.top, gold, 5, hit=True)
            lines.append(f"| {method.label} | {r1:.3f} | {r5:.3f} | {h5:.3f} | {lat:.2f} |")
        else:
            neg = ""
            if neg_parts is not None:
                nr = rank(method.scores(neg_parts, neg_q), k=1)[0]
                neg = f" | {np.mean(top1_correct(nr, neg_gold)):.3f}"
            lines.append(f"| {method.label} | {top1:.3f} | {top5:.3f}{neg} | {lat:.2f} |")
    assert lib_real is not None

    out.append(f"### {task.name}\n")
    out.extend(f"- {n}" for n in task.notes)
    out.append(
        "- library rows: weights phrase/centroid/answer/fuzzy. The proposed-defaults row is the "
        f"real `Index.match_vector`, query by query ({lib_s:.1f} s for {len(test_q)} queries); "
        "the other library rows use `consistency.calibrate.fuse`, which ranks as Index does "
        f"(top-1 agrees with the real Index on {agree:.1%} of these queries). Latency: p50 of "
        f"{len(lat_q)} single test queries, encoding included."
    )
    out.append("")
    if oos:
        out.append(
            "| method | in-scope top-1 | top-5 | threshold (fitted on val) | in-scope acc. at "
            "threshold | oos recall | oos precision | p50 ms/query |"
        )
        out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    elif task.multi_gold:
        out.append("| method | recall@1 | recall@5 | hit@5 | p50 ms/query |")
        out.append("| --- | ---: | ---: | ---: | ---: |")
    elif neg_parts is not None:
        out.append(
            "| method | top-1 | top-5 | hard negatives whose top-1 is question_1's entry "
            "| p50 ms/query |"
        )
        out.append("| --- | ---: | ---: | ---: | ---: |")
    else:
        out.append("| method | top-1 | top-5 | p50 ms/query |")
        out.append("| --- | ---: | ---: | ---: |")
    out.extend(lines)
    out.append("")
    if oos:
        threshold_rules(prep, lib_real, lib_val, out, plot)
    else:
        loo = index.leave_one_out()
        top1 = recall_at(lib_real.top, gold, 1, hit=True)
        parts = []
        for keep in (0.98, 0.95, 0.9):
            th = fit_threshold(loo, keep=keep)
            parts.append(f"keep={keep}: {th:.3f} → {oos_metrics(lib_real, gold, th)['in_acc']:.3f}")
        how = (
            f"{loo.positive.size} held-out phrasings"
            if loo.positive.size >= 10
            else "too few phrasings to hold out, so the fixed fallback"
        )
        out.append(
            f"- KB leave-one-out threshold (`fit_threshold`, proposed weights; {how}) and the "
            f"in-scope accuracy left at it (top-1 without a threshold {top1:.3f}): "
            + "; ".join(parts)
        )
    key = task.name.split(" ")[0]
    if key in PUBLISHED:
        out.append(f"- {PUBLISHED[key]}")
    failures(task, index, lib_real, gold, out)
    out.append("")


def phrase_owners(index: Index) -> np.ndarray:
    ordinal = {e: i for i, e in enumerate(index.entry_ids)}
    owners = []
    for entry_id in index.entry_ids:
        seen: set[str] = set()
        for version in index.kb.versions(entry_id):
            for q in version.questions:
                k = match_key(q)
                if k not in seen:
                    seen.add(k)
                    owners.append(ordinal[entry_id])
    return np.asarray(owners, dtype=np.int64)


def failures(task: Task, index: Index, lib: Ranked, gold: list[set[int]], out: list[str]) -> None:
    """A few wrong top-1 matches of the library, for the report (deterministic choice)."""
    wrong = [i for i, g in enumerate(gold) if g and int(lib.top[i, 0]) not in g]
    if not wrong:
        return
    picks = [wrong[j] for j in np.linspace(0, len(wrong) - 1, min(3, len(wrong))).astype(int)]
    out.append(f"- library misses ({len(wrong)} of {sum(bool(g) for g in gold)}), e.g.:")
    for i in picks:
        q = task.test[i][0].replace("\n", " ").replace("|", "/")
        q = q[:110] + ("…" if len(q) > 110 else "")
        got = index.entry_ids[int(lib.top[i, 0])]
        want = ", ".join(sorted(index.entry_ids[g] for g in gold[i]))[:80]
        out.append(f'  - "{q}" → `{got}` (gold `{want}`)')
    out.append("")


def threshold_rules(
    prep: Prepared, lib: Ranked, lib_val: Ranked | None, out: list[str], plot: Path | None
) -> None:
    """no_match rules on CLINC150: val-fitted, KB leave-one-out with several keeps, margin."""
    assert lib_val is not None
    index, gold = prep.index, prep.test_gold
    loo = index.leave_one_out()
    rows = [("fitted on val (max 2-point in-scope loss)", val_threshold(lib_val, prep.val_gold))]
    for keep in (0.99, 0.98, 0.97, 0.95, 0.9, 0.8):
        rows.append((f"KB leave-one-out, keep={keep}", fit_threshold(loo, keep=keep)))
    rows.append(("KB leave-one-out, uncapped (Youden only)", fit_threshold(loo, keep=0.0)))
    out.append("no_match rules for the library (proposed weights), on test:\n")
    out.append("| rule | threshold | in-scope acc. | oos recall | oos precision |")
    out.append("| --- | ---: | ---: | ---: | ---: |")
    for name, th in rows:
        m = oos_metrics(lib, gold, th)
        out.append(
            f"| {name} | {th:.3f} | {m['in_acc']:.3f} | {m['oos_recall']:.3f} | "
            f"{m['oos_precision']:.3f} |"
        )
    # Margin rule: also no_match when the best two entries are within `margin`.
    assert lib.second is not None and lib_val.second is not None
    inside_v = np.asarray([bool(g) for g in prep.val_gold])
    correct_v = top1_correct(lib_val.top, prep.val_gold)
    th = val_threshold(lib_val, prep.val_gold)
    base = float((correct_v & inside_v & (lib_val.best >= th)).sum() / inside_v.sum())
    best_margin = 0.0
    for margin in np.arange(0.0, 0.2, 0.005):
        keep_v = (lib_val.best >= th) & (lib_val.best - lib_val.second >= margin)
        if (correct_v & inside_v & keep_v).sum() / inside_v.sum() >= base - 0.01:
            best_margin = float(margin)
    flag = (lib.best < th) | (lib.best - lib.second < best_margin)
    inside = np.asarray([bool(g) for g in gold])
    correct = top1_correct(lib.top, gold)
    out.append(
        f"| val threshold + margin ≥ {best_margin:.3f} (top-1 minus top-2, fitted on val "
        f"for 1 more point) | {th:.3f} | {(correct & inside & ~flag).sum() / inside.sum():.3f} | "
        f"{(flag & ~inside).sum() / (~inside).sum():.3f} | "
        f"{(flag & ~inside).sum() / flag.sum():.3f} |"
    )
    out.append("")
    out.append(
        f"- leave-one-out scores: positives median {np.median(loo.positive):.3f}, "
        f"negatives median {np.median(loo.negative):.3f} ({loo.positive.size} held-out phrasings)"
    )
    cal = calibrate_index(
        index,
        [(q, None if g is None else next(iter(g))) for q, g in prep.task.val],
        grid=weight_grid(answer=False),
        vectors=prep.val_vectors,
    )
    m = oos_metrics(
        ranked_from(fuse(prep.test_parts, cal.weights, candidates=index.candidates)),
        gold,
        cal.threshold,
    )
    out.append(
        f"- `calibrate()` on CLINC150 val (answer=0 grid): {cal.summary()}; on test: in-scope "
        f"acc. {m['in_acc']:.3f}, oos recall {m['oos_recall']:.3f}, oos precision "
        f"{m['oos_precision']:.3f}\n"
    )
    if plot is not None:
        draw_pr(lib, gold, rows[0][1], dict(rows)["KB leave-one-out, keep=0.95"], plot)
        out.append(f"![no_match precision/recall on CLINC150 test]({_relative(plot)})\n")


def draw_pr(lib: Ranked, gold: list[set[int]], val_th: float, loo_th: float, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    grid = np.linspace(0.2, 1.0, 161)
    curves = np.asarray([list(oos_metrics(lib, gold, t).values()) for t in grid])
    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=120)
    ax.plot(grid, curves[:, 1], label="no_match recall (oos rejected)")
    ax.plot(grid, curves[:, 2], label="no_match precision")
    ax.plot(grid, curves[:, 0], label="in-scope accuracy (matched and right)")
    ax.axvline(val_th, color="k", ls="--", lw=1, label=f"fitted on val ({val_th:.3f})")
    ax.axvline(loo_th, color="grey", ls=":", lw=1, label=f"KB leave-one-out ({loo_th:.3f})")
    ax.set_xlabel("threshold on the fused score")
    ax.set_ylim(0, 1.02)
    ax.set_title("CLINC150 test: no_match vs threshold (library, proposed weights)")
    ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)


# -- main ---------------------------------------------------------------------------------


def choose_defaults(preps: list[Prepared], out: list[str]) -> FusionWeights:
    """One weighting for all: best mean validation top-1 over every task (answer-less
    tasks get the answer share moved to phrase/centroid)."""
    candidates = [w for w in DEFAULT_GRID if w.answer < 1]
    used = [p.task.in_defaults for p in preps]
    scored = []
    for w in candidates:
        per = [p.val_top1(w) for p in preps]
        scored.append((float(np.mean([v for v, u in zip(per, used, strict=True) if u])), w, per))
    scored.sort(key=lambda s: (-s[0], abs(s[1].fuzzy - 0.1), s[1].answer))
    best = scored[0][1]
    names = [p.task.name for p in preps]
    out.append("### How the defaults were fitted\n")
    out.append(
        "Grid: phrase/centroid/answer on a 0.1 lattice (summing to 1) x fuzzy in "
        "{0, 0.05, 0.1, 0.15, 0.2, 0.3} (396 weightings), scored on the validation splits "
        "only (BANKING77: 10 held-out train utterances per intent; CLINC150: val; COVID-QA "
        "and tau2: the even half). Datasets without real answers use answer weight 0 (the "
        "answer share is given to phrase/centroid in proportion). Objective: mean "
        "validation top-1 over the tasks except tau2 (its queries are multi-paragraph "
        "role-play scripts, not customer questions, and its 49 validation queries move "
        "recall@1 by 2 points each: shown, not used); ties go to fuzzy nearer 0.1. "
        "No test query was used.\n"
    )
    out.append("| weights p/c/a/f | mean (objective) | " + " | ".join(names) + " |")
    out.append("| --- | ---: | " + " | ".join("---:" for _ in names) + " |")
    for mean, w, per in scored[:8]:
        out.append(f"| {fmt_w(w)} | {mean:.3f} | " + " | ".join(f"{v:.3f}" for v in per) + " |")
    for w in (CURRENT, FusionWeights(phrase=1.0, centroid=0.0, answer=0.0, fuzzy=0.0)):
        per = [p.val_top1(w) for p in preps]
        tag = "old default" if w == CURRENT else "nearest phrasing only"
        out.append(
            f"| {fmt_w(w)} ({tag}) | {np.mean([v for v, u in zip(per, used, strict=True) if u]):.3f} | "
            + " | ".join(f"{v:.3f}" for v in per)
            + " |"
        )
    per_task = []
    for p in preps:
        pool = DEFAULT_GRID if p.task.has_answers else weight_grid(answer=False)
        w = max(pool, key=p.val_top1)
        per_task.append(f"{p.task.name}: {fmt_w(w)} ({p.val_top1(w):.3f})")
    out.append("")
    out.append("- best weights per task on its validation split: " + "; ".join(per_task) + "\n")
    return best


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "eval" / "external")
    parser.add_argument("--markdown", type=Path, help="also write the tables here")
    parser.add_argument(
        "--plot", type=Path, default=ROOT / "benchmarks" / "plots" / "no_match_pr.png"
    )
    parser.add_argument(
        "--cache", type=Path, help="embedding cache folder (default: none, cold run)"
    )
    parser.add_argument(
        "--only", nargs="*", choices=sorted(LOADERS), help="run only these datasets"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    started = time.perf_counter()
    workers = 1
    out: list[str] = []
    datasets: list[list[Task]] = []
    for folder, loader in LOADERS.items():
        if args.only and folder not in args.only:
            continue
        path = args.data / folder
        if not path.is_dir():
            print(f"[skip] {path} is missing; get it from {WHERE[folder]} (see INDEX.md)")
            continue
        datasets.append(loader(path))
    if not datasets:
        print("no dataset found; nothing to do")
        return 0
    encoder = SentenceTransformerEncoder()
    cache = EmbeddingCache(args.cache) if args.cache else None
    preps = []
    t_enc = 0.0
    embedded = 0
    for tasks in datasets:
        store = VectorStore(encoder, cache)  # one per dataset: each text embedded once
        for task in tasks:
            t = time.perf_counter()
            before = store.encoded
            preps.append(prepare(task, store, workers))
            t_enc += time.perf_counter() - t
            embedded += store.encoded - before
            print(
                f"[prepared] {task.name}: {store.encoded - before} texts embedded", file=sys.stderr
            )
    proposed = choose_defaults(preps, out)
    for prep in preps:
        run_task(prep, proposed, encoder, out, args.plot if prep.task.name == "CLINC150" else None)
        print(f"[done] {prep.task.name}", file=sys.stderr)
    total = time.perf_counter() - started
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime
    load = os.getloadavg()[1] if hasattr(os, "getloadavg") else float("nan")
    head = [
        f"Command: `HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/bench_matching.py"
        f"{' --cache …' if args.cache else ''}` — "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"{platform.machine()}, {os.cpu_count()} CPU cores, torch threads "
        f"{_torch_threads()}, encoder {encoder.name}; wall {total:.0f} s "
        f"(preparing: embedding + score parts {t_enc:.0f} s; {embedded} texts embedded), "
        f"process CPU {cpu:.0f} s, load average (5 min) at the end {load:.1f}\n",
    ]
    text = "\n".join(head + out)
    print(text)
    if args.markdown:
        args.markdown.write_text(text + "\n", encoding="utf-8")
    return 0


def _relative(path: Path) -> str:
    """``path`` as RESULTS.md (in benchmarks/) links it."""
    try:
        return str(path.resolve().relative_to(ROOT / "benchmarks"))
    except ValueError:
        return str(path)


def _torch_threads() -> int:
    import torch

    return torch.get_num_threads()


if __name__ == "__main__":
    raise SystemExit(main())
