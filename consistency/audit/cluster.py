"""Clustering the questions no KB entry covers, near-linearly.

Questions are blocked by their few nearest KB entries (even below threshold);
inside a block each question links to its top-k neighbours by cosine; the
connected components of all links are the clusters. Blocks over a size are
split by LSH, so no step compares all questions with all questions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

import numpy as np

from consistency.audit.models import ExchangeRecord
from consistency.audit.options import AuditOptions
from consistency.match.text import match_key

__all__ = ["assign_cluster", "block_keys", "components", "find_root", "link_block"]


def block_keys(record: ExchangeRecord) -> list[str]:
    """The blocks an unmatched question is clustered in: its nearest KB entries, below threshold."""
    if record.entry_id is not None or record.vector is None:
        return []
    return [f"block:{e}" for e in (record.near or (record.nearest or "",))]


def find_root(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _lsh_split(
    ids: np.ndarray, vectors: np.ndarray, limit: int, depth: int = 0
) -> list[np.ndarray]:
    if len(ids) <= limit or depth >= 16:
        return [ids]
    rng = np.random.default_rng(1000 + depth)
    plane = rng.standard_normal(vectors.shape[1]).astype(np.float32)
    side = vectors[ids] @ plane >= 0
    out = []
    for part in (ids[side], ids[~side]):
        if len(part):
            out.extend(_lsh_split(part, vectors, limit, depth + 1))
    return out


def link_block(records: Sequence[ExchangeRecord], options: AuditOptions) -> list[tuple[str, str]]:
    """Links between one block's unmatched questions, as pairs of question keys.

    Identical questions (same :func:`match_key`) are one point. Each point links
    to its ``cluster_k`` nearest neighbours with cosine >= ``cluster_threshold``,
    and to those whose agents answered in nearly the same words (answer cosine >=
    ``answer_link``, question cosine >= ``answer_link_floor``); every point also
    links to itself so singletons are kept. A block over ``max_block`` points is
    split by LSH first, so the dense similarity stays bounded and the total cost
    grows near-linearly with the number of questions.
    """
    keys: dict[str, int] = {}
    rows: list[np.ndarray] = []
    answers: list[np.ndarray | None] = []
    for rec in records:
        key = match_key(rec.question)
        if key not in keys:
            keys[key] = len(keys)
            rows.append(np.asarray(rec.vector, dtype=np.float32))
            answers.append(None)
        if answers[keys[key]] is None and rec.answer_vector is not None:
            answers[keys[key]] = np.asarray(rec.answer_vector, dtype=np.float32)
    if not rows:
        return []
    names = list(keys)
    vectors = np.stack(rows)
    said = np.stack([a if a is not None else np.zeros_like(vectors[0]) for a in answers])
    by_answer = options.answer_link <= 1.0 and any(a is not None for a in answers)
    edges = [(k, k) for k in names]
    for part in _lsh_split(np.arange(len(names)), vectors, options.max_block):
        sub, sub_said = vectors[part], said[part]
        k = min(options.cluster_k + 1, len(part))
        for start in range(0, len(part), 512):
            sims = sub[start : start + 512] @ sub.T
            if k < len(part):
                top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
            else:
                top = np.broadcast_to(np.arange(len(part)), sims.shape)
            linked = [
                (r, int(j))
                for r in range(sims.shape[0])
                for j in top[r]
                if sims[r, j] >= options.cluster_threshold
            ]
            if by_answer:
                same_answer = (
                    sub_said[start : start + 512] @ sub_said.T >= options.answer_link
                ) & (sims >= options.answer_link_floor)
                linked += [(int(r), int(j)) for r, j in zip(*np.nonzero(same_answer), strict=True)]
            for r, j in linked:
                i, other = int(part[start + r]), int(part[j])
                if other != i:
                    a, b = names[i], names[other]
                    edges.append((a, b) if a < b else (b, a))
    return edges


def components(edges: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Question key -> cluster id: connected components of the links (union-find).

    A cluster's id hashes its smallest question key, so it is the same for the
    same input whatever the order the links arrive in.
    """
    index: dict[str, int] = {}
    parent: list[int] = []

    def node(key: str) -> int:
        if key not in index:
            index[key] = len(parent)
            parent.append(len(parent))
        return index[key]

    for a, b in edges:
        ra, rb = find_root(parent, node(a)), find_root(parent, node(b))
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    smallest: dict[int, str] = {}
    for key, i in index.items():
        root = find_root(parent, i)
        if root not in smallest or key < smallest[root]:
            smallest[root] = key
    return {
        key: "cluster:" + hashlib.sha1(smallest[find_root(parent, i)].encode()).hexdigest()[:12]
        for key, i in index.items()
    }


def assign_cluster(record: ExchangeRecord, labels: dict[str, str]) -> ExchangeRecord:
    """Set an unmatched record's ``group`` to its question's cluster."""
    if record.entry_id is None and record.vector is not None:
        record.group = labels.get(match_key(record.question))
    return record
