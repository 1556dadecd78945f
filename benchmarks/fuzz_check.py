"""Random inputs against ``Checker.check``: zero crashes over many thousand inputs.

Inputs mix KB phrasings and answers, random Unicode (lone surrogates included), numbers,
dates, money, spoken forms, long runs and dates from ``date.min`` to ``date.max``. A
lone surrogate must give the documented ``ValueError``; anything else raised is a crash.
Seeded, so a run is repeatable.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/fuzz_check.py [--n 10000] [--seed 7]

The embedding cache lives in a temporary folder.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

from consistency import Checker, KnowledgeBase

ROOT = Path(__file__).resolve().parents[1]
PIECES = [
    "£", "$", "€", "%", "14 days", "fourteen", "next Monday", "the 3rd", "0800 123 4567", "at",
    "dot co dot uk", "www.", "@", "no", "not", "never", "free", "only", "all", "if", "unless",
    "\ud800", "\udfff", "\x00", "\u202e", "🙂", "ﬁ", "İ", "١٢٣", "½", "1e309", "-0", "9" * 40,
    "one hundred and", "twenty third", "up to", "more than", "between 8 and 1", "24/7",
]  # fmt: skip


def _text(rng: random.Random, seeds: list[str]) -> str:
    parts = []
    for _ in range(rng.randint(0, 12)):
        r = rng.random()
        if r < 0.35:
            parts.append(rng.choice(seeds))
        elif r < 0.7:
            parts.append(rng.choice(PIECES))
        else:
            parts.append("".join(chr(rng.randint(0, 0x2FFFF)) for _ in range(rng.randint(1, 8))))
    text = " ".join(parts)
    if rng.random() < 0.02:
        text = text * rng.randint(50, 400)
    return text


def _day(rng: random.Random) -> dt.date | None:
    r = rng.random()
    if r < 0.5:
        return None
    if r < 0.6:
        return dt.date.min
    if r < 0.7:
        return dt.date.max
    return dt.date.fromordinal(rng.randint(1, dt.date.max.toordinal()))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    kb = KnowledgeBase.load(ROOT / "knowledge_base")
    seeds = [q for e in kb.entries for q in e.questions] + [e.answer for e in kb.entries]
    rng = random.Random(args.seed)
    crashes = refused = 0
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="fuzz-check-") as tmp:
        checker = Checker(kb, cache_dir=tmp)
        for i in range(args.n):
            question, answer, on = _text(rng, seeds), _text(rng, seeds), _day(rng)
            try:
                checker.check(question, answer, on=on)
            except ValueError as exc:
                if "surrogate" in str(exc):
                    refused += 1
                    continue
                crashes += 1
                print(f"crash {i}: {exc!r}\n{traceback.format_exc()}")
            except Exception as exc:  # every other exception is a crash
                crashes += 1
                print(f"crash {i}: {exc!r}\n{traceback.format_exc()}")
    took = time.perf_counter() - start
    print(
        f"{args.n} random checks in {took:.0f} s: {crashes} crashes, "
        f"{refused} refused as unencodable text (ValueError, as documented)"
    )
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
