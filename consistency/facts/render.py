"""Render a fact's normalised value for people, through its kind's extractor."""

from __future__ import annotations

from consistency.facts.base import default_registry
from consistency.models import Fact, set_fact_renderer


def render_value(fact: Fact) -> str:
    """``fact.value`` as a short human string; falls back to ``value unit``."""
    if fact.kind in default_registry:
        return default_registry.get(fact.kind).render(fact)
    return f"{fact.value} {fact.unit}" if fact.unit else str(fact.value)


set_fact_renderer(render_value)
