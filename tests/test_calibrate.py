"""Calibration of fusion weights and the no_match threshold, with the fake encoder."""

from __future__ import annotations

import json

import numpy as np
import pytest

from consistency.calibrate import (
    DEFAULT_GRID,
    CalibrationResult,
    calibrate,
    calibrate_index,
    fit_labelled_threshold,
    fuse,
    rank,
    score_parts,
    weight_grid,
)
from consistency.kb import KnowledgeBase
from consistency.match import FusionWeights, Index

KB = KnowledgeBase.from_entries(
    [
        {
            "id": "returns-window",
            "questions": ["How long do I have to return an item?", "What is the returns period?"],
            "answer": "You can return unused items within 30 days of delivery for a refund.",
        },
        {
            "id": "delivery-fee",
            "questions": ["How much is delivery?", "What does shipping cost?"],
            "answer": "Standard delivery costs £3.99 and shipping is free over £50.",
        },
        {
            "id": "opening-hours",
            "questions": ["When are you open?", "What are your opening hours?"],
            "answer": "Our phone lines are open 8am to 8pm, Monday to Friday.",
        },
        {
            "id": "gift-cards",
            "questions": ["Do you sell gift cards?"],
            "answer": "Gift cards from £10 to £200 are sold online and in store.",
        },
    ]
)

LABELLED: list[tuple[str, str | None]] = [
    ("how long is the returns period", "returns-window"),
    ("can I get a refund on unused items", "returns-window"),
    ("what is the delivery cost", "delivery-fee"),
    ("is shipping free", "delivery-fee"),
    ("what hours are your phone lines open", "opening-hours"),
    ("are you open on monday", "opening-hours"),
    ("can I buy a gift card in store", "gift-cards"),
    ("what colour is the sky", None),
    ("tell me a joke about penguins", None),
]


def test_weight_grid_is_valid_and_sized() -> None:
    assert len(DEFAULT_GRID) == 66 * 6
    no_answer = weight_grid(answer=False, fuzzy=(0.0, 0.1))
    assert len(no_answer) == 11 * 2
    assert all(w.answer == 0 for w in no_answer)
    assert all(isinstance(w, FusionWeights) for w in DEFAULT_GRID)


@pytest.mark.parametrize(
    "weights",
    [
        FusionWeights(),
        FusionWeights(phrase=1.0, centroid=0.0, answer=0.0, fuzzy=0.0),
        FusionWeights(phrase=0.3, centroid=0.2, answer=0.5, fuzzy=0.3),
    ],
)
def test_fuse_ranks_exactly_as_index(fake_encoder, weights) -> None:  # type: ignore[no-untyped-def]
    index = Index(KB, fake_encoder, cache=False, weights=weights, candidates=3)
    questions = [q for q, _ in LABELLED] + ["How much is DELIVERY?"]
    parts = score_parts(index, questions)
    top, best = rank(fuse(parts, weights, candidates=3), k=3)
    for row, question in enumerate(questions):
        got = index.match(question, k=3)
        assert [m.entry_id for m in got] == [index.entry_ids[i] for i in top[row, : len(got)]]
        assert got[0].score == pytest.approx(float(best[row]), abs=1e-5)


def test_exact_hit_ranks_first_with_score_one(fake_encoder) -> None:  # type: ignore[no-untyped-def]
    index = Index(KB, fake_encoder, cache=False)
    parts = score_parts(index, ["what does SHIPPING cost"])
    top, best = rank(fuse(parts, FusionWeights()))
    assert index.entry_ids[top[0, 0]] == "delivery-fee"
    assert best[0] == 1.0


def test_fit_labelled_threshold_keeps_all_but_the_allowed_share() -> None:
    scores = np.asarray([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05])
    correct = np.ones(10, dtype=bool)
    assert fit_labelled_threshold(scores, correct, max_recall_loss=0.0) == 0.05
    assert fit_labelled_threshold(scores, correct, max_recall_loss=0.2) == 0.2
    # Wrong matches may be rejected for free: only correct ones count as a loss.
    correct[-2:] = False
    assert fit_labelled_threshold(scores, correct, max_recall_loss=0.0) == 0.2
    assert fit_labelled_threshold(scores, np.zeros(10, dtype=bool)) == 0.0


def test_calibrate_fits_weights_and_threshold(fake_encoder) -> None:  # type: ignore[no-untyped-def]
    result = calibrate(KB, fake_encoder, LABELLED, cache=False, max_recall_loss=0.0)
    assert isinstance(result, CalibrationResult)
    assert (result.n, result.n_no_match) == (9, 2)
    assert 0.0 <= result.threshold <= 1.0
    assert result.top1 >= 6 / 7
    assert result.recall == pytest.approx(result.top1)  # max_recall_loss=0 keeps every hit
    assert 0.0 < result.precision <= 1.0
    assert result.no_match_recall is not None
    # The fitted weights really do rank at least as well as the shipped defaults here.
    index = Index(KB, fake_encoder, cache=False)
    default_top1 = np.mean(
        [index.match(q, k=1)[0].entry_id == gold for q, gold in LABELLED if gold is not None]
    )
    assert result.top1 >= default_top1
    payload = json.loads(result.model_dump_json())
    assert set(payload["weights"]) == {"phrase", "centroid", "answer", "fuzzy"}
    assert "threshold" in result.summary()


def test_calibrate_picks_the_better_weighting(fake_encoder) -> None:  # type: ignore[no-untyped-def]
    # Questions that share words only with the answers: answer weight must win.
    labelled: list[tuple[str, str | None]] = [
        ("unused items refund within 30 days", "returns-window"),
        ("standard free over £50", "delivery-fee"),
        ("phone lines 8am to 8pm", "opening-hours"),
        ("sold online from £10", "gift-cards"),
    ]
    phrase_only = FusionWeights(phrase=1.0, centroid=0.0, answer=0.0, fuzzy=0.0)
    answer_only = FusionWeights(phrase=0.0, centroid=0.0, answer=1.0, fuzzy=0.0)
    index = Index(KB, fake_encoder, cache=False)
    result = calibrate_index(index, labelled, grid=[phrase_only, answer_only])
    assert result.weights == answer_only
    assert result.top1 == 1.0


def test_calibrate_refuses_bad_labels(fake_encoder) -> None:  # type: ignore[no-untyped-def]
    index = Index(KB, fake_encoder, cache=False)
    with pytest.raises(ValueError, match="not in the KB"):
        calibrate_index(index, [("hello", "no-such-entry")])
    with pytest.raises(ValueError, match="at least one"):
        calibrate_index(index, [("hello", None)])
    with pytest.raises(ValueError, match="empty"):
        calibrate_index(index, LABELLED, grid=[])
