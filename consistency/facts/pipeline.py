"""The facts stage's own pipeline: extract, resolve overlaps, attach conditions.

Why here and not in ``compare/``: every consumer (the checker, the audit, the
canned-response check, KB lint) needs a text's facts the same way before it
compares anything, so extracting them is the facts stage's job; ``compare/`` only
compares.

Example (the condition is attached to each fact it restricts):
    >>> facts = facts_for("Delivery is free for Volt Plus members, within 2 days.")
    >>> [(f.kind, f.text, f.qualifiers) for f in facts if f.kind != "condition"]
    [('polarity', 'Delivery is free', ('volt plus members',)), ('money', 'free', ('volt plus members',)), ('duration', '2 days', ('volt plus members',))]
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
from collections.abc import Callable
from functools import cache

from consistency.facts.base import FactRegistry
from consistency.models import Fact

__all__ = ["facts_for", "registry_or_default"]

# When two value facts overlap, the first kind listed keeps the text.
_PRIORITY = (
    "email",
    "url",
    "address",
    "phone",
    "money",
    "percent",
    "date",
    "time",
    "duration",
    "count",
    "ordinal",
)
_SIDE_KINDS = ("condition", "polarity")  # may overlap value facts


def registry_or_default(registry: FactRegistry | None) -> FactRegistry:
    """``registry``, or the default one with every shipped extractor registered."""
    if registry is not None:
        return registry
    from consistency.facts import default_registry

    return default_registry


@cache
def _qualifier_attacher() -> Callable[[str, list[Fact]], list[Fact]] | None:
    """``consistency.facts.condition.attach_qualifiers`` when that module is installed."""
    if importlib.util.find_spec("consistency.facts.condition") is None:
        return None
    module = importlib.import_module("consistency.facts.condition")
    return getattr(module, "attach_qualifiers", None)


def _dedupe(facts: list[Fact]) -> list[Fact]:
    """Drop value facts whose text another, higher-priority kind already holds."""
    rank = {k: i for i, k in enumerate(_PRIORITY)}
    value = [f for f in facts if f.kind not in _SIDE_KINDS]
    # a frequency holds its period: "three times in a year" is a count, not "a year"
    rates = [f for f in value if f.kind == "count" and str(f.unit or "").startswith("per_")]
    if rates:
        freq = bytearray(max(f.span[1] for f in value) + 1)
        for f in rates:
            freq[f.span[0] : f.span[1]] = b"\x01" * (f.span[1] - f.span[0])
        value = [
            f
            for f in value
            if not (f.kind == "duration" and f.span[0] < f.span[1] and freq.find(0, *f.span) == -1)
        ]
    value.sort(key=lambda f: (rank.get(f.kind, len(rank)), -(f.span[1] - f.span[0]), f.span))
    # A fact is dropped when it overlaps a kept one (g.start < f.end and f.start < g.end).
    # Kept non-empty spans never overlap one another, so the characters they cover are
    # marked once and a fact looks only under its own span: linear in the text, where
    # comparing each fact with every kept one was quadratic ("£1" * 2000: ~1 s).
    size = max((f.span[1] for f in value), default=0) + 1
    covered = bytearray(size)  # 1 under each kept non-empty span
    starts = bytearray(size)  # 1 where a kept non-empty span starts
    points = bytearray(size)  # 1 at each kept empty span
    kept: list[Fact] = []
    for f in value:
        start, end = f.span
        if start < end:
            if covered.find(1, start, end) != -1 or points.find(1, start + 1, end) != -1:
                continue  # a kept span shares a character, or a kept empty one is inside
            covered[start:end] = b"\x01" * (end - start)
            starts[start] = 1
        else:
            if covered[start] and not starts[start]:
                continue  # strictly inside a kept span (empty spans never overlap each other)
            points[start] = 1
        kept.append(f)
    kept.extend(f for f in facts if f.kind in _SIDE_KINDS)
    kept.sort(key=lambda f: (f.span[0], f.span[1], f.kind))
    return kept


def facts_for(
    text: str, reference: dt.date | None = None, *, registry: FactRegistry | None = None
) -> list[Fact]:
    """Every fact in ``text``, overlaps resolved, with conditions attached as qualifiers.

    Args:
        text: an answer or a canonical answer.
        reference: the date relative expressions resolve against (never the clock).
        registry: the extractors to use; the default registry otherwise.
    """
    facts = _dedupe(registry_or_default(registry).extract(text, reference=reference))
    attach = _qualifier_attacher()
    if attach is not None and facts:
        facts = list(attach(text, facts))
    return facts
