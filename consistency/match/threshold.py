"""The ``no_match`` threshold, derived from the KB itself.

Each phrasing is held out in turn: its own entry's best score is a positive
example, the best other entry's score a (hard) negative. The threshold is the one
that best separates the two (Youden's J; the middle of the best gap), capped so that at least ``keep`` of the
positives still match. Small KBs with too few examples fall back to a fixed value.
"""

from __future__ import annotations

import numpy as np

from consistency.match.index import LeaveOneOut

__all__ = ["DEFAULT_THRESHOLD", "fit_threshold"]

#: Used when the KB has too few multi-phrasing entries to fit one (fewer than 10 examples).
DEFAULT_THRESHOLD = 0.55


def fit_threshold(loo: LeaveOneOut, *, keep: float = 0.98) -> float:
    """The fused-score threshold under which a question is ``no_match``.

    Args:
        loo: leave-one-out scores from :meth:`Index.leave_one_out`.
        keep: the least share of held-out phrasings that must still match. 0.98
            reproduces, from the KB alone, the threshold fitted on CLINC150's
            validation split (in-scope 0.900, out-of-scope recall 0.757 on test);
            0.95 cost 5 points of in-scope accuracy there.

    Returns:
        A threshold in 0–1, rounded to 3 places.
    """
    pos, neg = loo.positive, loo.negative
    if pos.size < 10:
        return DEFAULT_THRESHOLD
    grid = np.unique(np.round(np.concatenate([pos, neg]), 3))
    tpr = (pos[None, :] >= grid[:, None]).mean(axis=1)
    tnr = (neg[None, :] < grid[:, None]).mean(axis=1)
    score = tpr + tnr
    plateau = grid[score >= score.max() - 1e-9]
    best = float((plateau.min() + plateau.max()) / 2)  # the middle of the best gap
    cap = float(np.quantile(pos, 1 - keep))
    return round(min(best, cap), 3)
