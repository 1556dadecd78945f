"""The fuzzy tier answers near-verbatim questions without embedding, and only then."""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from consistency.kb import KnowledgeBase
from consistency.match import Index
from consistency.match.fuzzy_tier import FuzzyTier
from consistency.match.text import match_key


class Counting:
    """Wraps an encoder and counts the texts it is asked to embed."""

    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.name = inner.name  # type: ignore[attr-defined]
        self.dim = inner.dim  # type: ignore[attr-defined]
        self.texts: list[str] = []

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
        self.texts.extend(texts)
        return self.inner.encode(texts, batch_size=batch_size)  # type: ignore[attr-defined]


def _swap(text: str, rng: random.Random) -> str:
    """One transposition inside a word of four letters or more: a typing slip."""
    words = text.split()
    long = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    i = rng.choice(long)
    w = words[i]
    j = rng.randrange(1, len(w) - 2)
    words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    return " ".join(words)


def test_typo_answers_without_embedding(sample_kb: KnowledgeBase, fake_encoder: object) -> None:
    enc = Counting(fake_encoder)
    index = Index(sample_kb, enc, cache=False)
    enc.texts.clear()
    entry = sample_kb.entry("returns-window")
    assert entry is not None
    question = "How long do I have to retrun an item?"
    assert match_key(question) not in {match_key(q) for q in entry.questions}
    (top,) = index.match(question)
    assert top.entry_id == "returns-window"
    assert top.components.tier == "fuzzy" and top.components.embedding is None
    assert 0.95 <= top.score < 1.0
    assert enc.texts == []
    # The audit path (question already embedded) puts the same entry first.
    vector = fake_encoder.encode([question])[0]  # type: ignore[attr-defined]
    assert index.match_vector(question, vector)[0].entry_id == "returns-window"


def test_paraphrase_goes_to_the_embedding(sample_kb: KnowledgeBase, fake_encoder: object) -> None:
    enc = Counting(fake_encoder)
    index = Index(sample_kb, enc, cache=False)
    enc.texts.clear()
    matches = index.match("is there any chance I could still send back the thing I bought")
    assert matches[0].components.tier == "embedding"
    assert len(enc.texts) == 1


def test_ambiguous_near_duplicates_are_left_to_the_embedding() -> None:
    keys = [match_key(q) for q in ("how do i cancel my order now", "how do i cancel my orders now")]
    tier = FuzzyTier(keys, [0, 1])
    assert tier.find(match_key("how do i cancell my order now")) is None
    same_entry = FuzzyTier(keys, [0, 0])
    hit = same_entry.find(match_key("how do i cancell my order now"))
    assert hit is not None and hit.phrase == 0


def test_short_questions_are_not_decided() -> None:
    tier = FuzzyTier(["cancel order"], [0])
    assert tier.find("cancel orders") is None


def test_off_switch(sample_kb: KnowledgeBase, fake_encoder: object) -> None:
    index = Index(sample_kb, fake_encoder, cache=False, fuzzy_decisive=None)  # type: ignore[arg-type]
    assert index.match("How long do I have to retrun an item?")[0].components.tier == "embedding"
    with pytest.raises(ValueError, match="decisive"):
        FuzzyTier(["a b c d"], [0], decisive=0)


@pytest.mark.model
def test_typos_go_to_their_own_entry(sample_kb: KnowledgeBase, encoder: object) -> None:
    """A typo'd KB phrasing: the fuzzy tier names its entry at least as often as embedding it.

    (On the sample KB the embedding alone misreads 4 of 224 such questions, e.g.
    "how long do repiars take" -> returns-refund-time; the fuzzy tier none.)
    """
    rng = random.Random(7)
    on = Index(sample_kb, encoder, cache=False)  # type: ignore[arg-type]
    off = Index(sample_kb, encoder, cache=False, fuzzy_decisive=None)  # type: ignore[arg-type]
    cases = [
        (e.id, _swap(q, rng))
        for e in sample_kb.entries
        for q in e.questions
        if len(q.split()) >= 5 and any(len(w) >= 5 and w.isalpha() for w in q.split())
    ]
    decided = [(own, q, on.match(q)[0]) for own, q in cases]
    decided = [(own, q, top) for own, q, top in decided if top.components.tier == "fuzzy"]
    assert len(decided) >= len(cases) // 2
    fuzzy_right = sum(top.entry_id == own for own, _, top in decided)
    embedding_right = sum(off.match(q)[0].entry_id == own for own, q, _ in decided)
    assert fuzzy_right / len(decided) >= 0.99
    assert fuzzy_right >= embedding_right


_WORDS = st.sampled_from(
    [
        "how",
        "long",
        "do",
        "i",
        "have",
        "to",
        "return",
        "an",
        "item",
        "my",
        "order",
        "refund",
        "cancel",
    ]
)


@given(
    phrasings=st.lists(
        st.lists(_WORDS, min_size=1, max_size=8).map(" ".join), min_size=1, max_size=12
    ),
    question=st.text(max_size=80) | st.lists(_WORDS, max_size=9).map(" ".join),
)
def test_a_hit_is_always_decisive(phrasings: list[str], question: str) -> None:
    owners = [i % 3 for i in range(len(phrasings))]
    tier = FuzzyTier(phrasings, owners)
    key = match_key(question)
    hit = tier.find(key)
    if hit is None:
        return
    assert hit.ratio >= 0.95 and hit.ratio - hit.runner_up >= 0.05
    assert len(key.split()) >= 4
    from rapidfuzz import fuzz

    assert fuzz.ratio(key, phrasings[hit.phrase]) / 100 == pytest.approx(hit.ratio)
    rivals = [p for p, o in zip(phrasings, owners, strict=True) if o != owners[hit.phrase]]
    assert all(fuzz.ratio(key, p) / 100 <= hit.ratio - 0.05 + 1e-9 for p in rivals)
