"""Matching logic with a fake encoder: tiers, fusion, cache, threshold."""

from __future__ import annotations

import numpy as np
import pytest

from consistency.kb import KnowledgeBase
from consistency.match import (
    DEFAULT_THRESHOLD,
    EmbeddingCache,
    FusionWeights,
    Index,
    LeaveOneOut,
    fit_threshold,
    match_key,
)

KB = KnowledgeBase.from_entries(
    [
        {
            "id": "returns-window",
            "questions": ["How long do I have to return an item?", "What is the returns period?"],
            "answer": "You can return unused items within 30 days of delivery.",
        },
        {
            "id": "delivery-fee",
            "questions": ["How much is delivery?", "What does shipping cost?"],
            "answer": "Standard delivery costs £3.99.",
        },
        {
            "id": "opening-hours",
            "questions": ["When are you open?", "What are your opening hours?"],
            "answer": "Our lines are open 8am to 8pm, Monday to Friday.",
        },
    ]
)


class CountingEncoder:
    def __init__(self, inner) -> None:  # type: ignore[no-untyped-def]
        self.inner, self.calls, self.name, self.dim = inner, 0, inner.name, inner.dim

    def encode(self, texts, *, batch_size=64):  # type: ignore[no-untyped-def]
        self.calls += 1
        return self.inner.encode(texts)


def test_match_key_folds_case_punctuation_and_contractions() -> None:
    assert match_key("What's the RETURNS period?") == "whats the returns period"
    assert match_key("can't") == match_key("cannot") == "can not"


def test_exact_key_answers_without_embedding(fake_encoder) -> None:  # type: ignore[no-untyped-def]
    counting = CountingEncoder(fake_encoder)
    index = Index(KB, counting, cache=False)
    before = counting.calls
    (match,) = index.match("how much is DELIVERY", k=1)
    assert counting.calls == before
    assert (match.entry_id, match.score, match.components.tier) == ("delivery-fee", 1.0, "exact")


def test_ranking_keeps_components_and_orders_scores(fake_encoder) -> None:  # type: ignore[no-untyped-def]
    index = Index(KB, fake_encoder, cache=False)
    matches = index.match("how long to return an item", k=3)
    assert matches[0].entry_id == "returns-window"
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    top = matches[0]
    w = index.weights
    expected = (1 - w.fuzzy) * top.embedding_score + w.fuzzy * top.fuzzy_score
    assert top.score == pytest.approx(expected, abs=1e-5)
    assert 0 <= top.fuzzy_score <= 1 and 0 <= top.embedding_score <= 1


def test_match_many_uses_one_encoder_call(fake_encoder) -> None:  # type: ignore[no-untyped-def]
    counting = CountingEncoder(fake_encoder)
    index = Index(KB, counting, cache=False)
    before = counting.calls
    many = index.match_many(["return period please", "what does shipping cost today"], k=2)
    assert counting.calls == before + 1
    assert [m[0].entry_id for m in many] == ["returns-window", "delivery-fee"]
    assert many[0] == index.match("return period please", k=2)


def test_cache_makes_second_build_skip_encoding(tmp_path, fake_encoder) -> None:  # type: ignore[no-untyped-def]
    counting = CountingEncoder(fake_encoder)
    first = Index(KB, counting, cache=EmbeddingCache(tmp_path))
    assert not first.cache_hit and counting.calls == 2
    second = Index(KB, counting, cache=EmbeddingCache(tmp_path))
    assert second.cache_hit and counting.calls == 2
    np.testing.assert_array_equal(first.phrase_vectors, second.phrase_vectors)
    changed = KnowledgeBase.from_entries(
        [{"id": "x", "questions": ["new question"], "answer": "new answer"}]
    )
    Index(changed, counting, cache=EmbeddingCache(tmp_path))
    assert counting.calls == 4


def test_corrupt_cache_file_is_ignored(tmp_path, fake_encoder) -> None:  # type: ignore[no-untyped-def]
    store = EmbeddingCache(tmp_path)
    Index(KB, fake_encoder, cache=store)
    for path in tmp_path.glob("*.npy"):
        path.write_bytes(b"garbage")
    index = Index(KB, fake_encoder, cache=store)
    assert not index.cache_hit


def test_fusion_weights_are_validated() -> None:
    with pytest.raises(ValueError, match="sum to 1"):
        FusionWeights(phrase=0.5, centroid=0.5, answer=0.5)
    with pytest.raises(ValueError, match="0–1"):
        FusionWeights(fuzzy=-0.1)


def test_threshold_separates_positives_from_negatives() -> None:
    rng = np.random.default_rng(0)
    loo = LeaveOneOut(rng.uniform(0.6, 0.9, 200), rng.uniform(0.1, 0.4, 200))
    threshold = fit_threshold(loo)
    assert 0.4 <= threshold <= 0.6 + 1e-9
    assert fit_threshold(LeaveOneOut(np.array([0.9]), np.array([0.1]))) == DEFAULT_THRESHOLD


def test_threshold_keeps_most_positives() -> None:
    pos = np.linspace(0.3, 0.9, 100)
    neg = np.linspace(0.5, 0.95, 100)
    assert fit_threshold(LeaveOneOut(pos, neg), keep=0.95) <= np.quantile(pos, 0.05) + 1e-3


def test_leave_one_out_holds_the_phrasing_out(fake_encoder) -> None:  # type: ignore[no-untyped-def]
    index = Index(KB, fake_encoder, cache=False)
    loo = index.leave_one_out()
    assert loo.positive.shape == loo.negative.shape == (6,)
    assert (loo.positive < 1.0).all()


def test_lru_encodes_repeated_texts_once(fake_encoder) -> None:  # type: ignore[no-untyped-def]
    counting = CountingEncoder(fake_encoder)
    index = Index(KB, counting, cache=False, lru_size=2)
    first = index.encode(["a b", "c d", "a b"])
    assert counting.calls == 3 and index.lru.misses == 2 and index.lru.hits == 1
    again = index.encode(["c d"])
    assert counting.calls == 3
    np.testing.assert_array_equal(again[0], first[1])
    index.encode(["e f", "g h"])  # evicts both older texts (maxsize 2)
    index.encode(["a b"])
    assert counting.calls == 5


def test_make_encoder_rejects_unknown_backend() -> None:
    from consistency.match import make_encoder

    with pytest.raises(ValueError, match="known: auto, onnx, torch"):
        make_encoder("gpu")  # type: ignore[arg-type]


def test_default_encoder_is_the_onnx_backend(encoder) -> None:  # type: ignore[no-untyped-def]
    assert "@onnx-int8-fused1" in encoder.name and encoder.fused and encoder.dim == 384


def test_prefilter_ranks_like_the_exact_scan(fake_encoder) -> None:  # type: ignore[no-untyped-def]
    products = ["laptop", "phone", "tablet", "fridge", "camera", "kettle", "router", "drone"]
    services = ["delivery", "repair", "warranty", "installation", "recycling"]
    kb = KnowledgeBase.from_entries(
        [
            {
                "id": f"{p}-{s}",
                "questions": [f"How much is {s} for a {p}?", f"{p} {s} price"],
                "answer": f"{s.capitalize()} for a {p} costs £{i + 5}.",
            }
            for i, (p, s) in enumerate((p, s) for p in products for s in services)
        ]
    )
    exact = Index(kb, fake_encoder, cache=False, prefilter=0)
    pre = Index(kb, fake_encoder, cache=False, prefilter=8)
    questions = [f"what would {s} cost on my {p}" for p in products for s in services]
    for a, b in zip(exact.match_many(questions, k=3), pre.match_many(questions, k=3), strict=True):
        assert a[0] == b[0]
    loo_exact, loo_pre = exact.leave_one_out(), pre.leave_one_out()
    assert (loo_exact.positive == loo_pre.positive).mean() > 0.9


def test_default_prefilter_follows_kb_size(fake_encoder) -> None:  # type: ignore[no-untyped-def]
    """Exact below 200 entries, 200 entries kept up to 2,000, 100 above (see Index)."""

    def kb_of(n: int) -> KnowledgeBase:
        return KnowledgeBase.from_entries(
            [{"id": f"e{i}", "questions": [f"question {i}"], "answer": f"{i}"} for i in range(n)]
        )

    assert [Index(kb_of(n), fake_encoder, cache=False).prefilter for n in (50, 2000, 2001)] == [
        200,
        200,
        100,
    ]
    assert Index(kb_of(2001), fake_encoder, cache=False, prefilter=0).prefilter == 0


def test_centroids_and_prefilter_basis_are_kept_and_reused(  # type: ignore[no-untyped-def]
    tmp_path, fake_encoder, monkeypatch
) -> None:
    from consistency.match import index as index_module

    kb = KnowledgeBase.from_entries(
        [
            {"id": f"e{i}", "questions": [f"question {i}", f"ask {i}"], "answer": f"{i}"}
            for i in range(30)
        ]
    )
    first = Index(kb, fake_encoder, cache=EmbeddingCache(tmp_path), prefilter=5)
    first.match("what about question 7", k=3)  # builds the prefilter's basis
    basis = first._coarse()[2].copy()

    def not_again(*args: object, **kwargs: object) -> None:
        raise AssertionError("recomputed although kept")

    monkeypatch.setattr(index_module, "_group_sums", not_again)
    monkeypatch.setattr(index_module.np.linalg, "eigh", not_again)
    second = Index(kb, fake_encoder, cache=EmbeddingCache(tmp_path), prefilter=5)
    np.testing.assert_array_equal(second.centroids, first.centroids)
    assert second.match("what about question 7", k=3) == first.match("what about question 7", k=3)
    np.testing.assert_array_equal(second._coarse()[2], basis)
    # other fusion weights: another basis, computed afresh
    second.weights = FusionWeights(phrase=0.2, centroid=0.4, answer=0.4)
    with pytest.raises(AssertionError, match="recomputed"):
        second._coarse()


def test_kept_centroids_follow_how_phrasings_group(tmp_path, fake_encoder) -> None:  # type: ignore[no-untyped-def]
    """Same phrasings and answers, grouped differently: the centroids are not reused."""
    together = KnowledgeBase.from_entries(
        [
            {"id": "a", "questions": ["one", "two"], "answer": "A"},
            {"id": "b", "questions": ["three"], "answer": "B"},
        ]
    )
    apart = KnowledgeBase.from_entries(
        [
            {"id": "a", "questions": ["one"], "answer": "A"},
            {"id": "b", "questions": ["two", "three"], "answer": "B"},
        ]
    )
    store = EmbeddingCache(tmp_path)
    Index(together, fake_encoder, cache=store)
    index = Index(apart, fake_encoder, cache=store)
    vectors = fake_encoder.encode(["one", "two", "three"])
    want = np.vstack([vectors[0], (vectors[1] + vectors[2]) / 2])
    np.testing.assert_allclose(index.centroids, want, atol=1e-6)


def test_alongside_runs_on_a_helper_thread_only_while_encoding(fake_encoder) -> None:  # type: ignore[no-untyped-def]
    import threading

    index = Index(KB, fake_encoder, cache=False)
    ran: list[int] = []

    def side() -> None:
        ran.append(threading.get_ident())

    embedded = index.match("what does it cost to get it delivered", k=2, alongside=side)
    assert ran and ran[0] != threading.get_ident()
    assert embedded == Index(KB, fake_encoder, cache=False).match(
        "what does it cost to get it delivered", k=2
    )
    ran.clear()
    index.match("How much is delivery?", alongside=side)  # exact tier: nothing embedded
    index.match("what does it cost to get it delivered", alongside=side)  # in the LRU
    assert ran == []


def test_an_error_alongside_is_raised_after_the_encode(fake_encoder) -> None:  # type: ignore[no-untyped-def]
    counting = CountingEncoder(fake_encoder)
    index = Index(KB, counting, cache=False)
    calls = counting.calls

    def side() -> None:
        raise KeyError("broken side work")

    with pytest.raises(KeyError, match="broken side work"):
        index.match("is there a charge for shipping to my house", alongside=side)
    assert counting.calls == calls + 1  # the encode itself ran to the end


def test_alongside_works_in_a_forked_child(fake_encoder) -> None:  # type: ignore[no-untyped-def]
    """A child forked after the helper thread started gets a helper of its own."""
    import multiprocessing

    index = Index(KB, fake_encoder, cache=False, lru_size=0)
    index.match("what does it cost to get it delivered", alongside=lambda: None)  # parent's helper
    want = index.match("is there a charge for shipping")[0].entry_id
    context = multiprocessing.get_context("fork")
    queue = context.Queue()

    def child() -> None:
        ran: list[bool] = []
        matches = index.match("is there a charge for shipping", alongside=lambda: ran.append(True))
        queue.put((matches[0].entry_id, ran))

    process = context.Process(target=child)
    process.start()
    process.join(30)
    if process.is_alive():
        process.kill()
    assert process.exitcode == 0, "the child hung or failed"
    assert queue.get(timeout=5) == (want, [True])
