"""Render a fact's normalised value for people, through its kind's extractor.

The one place a fact becomes words ("14 days", "£4.49"): conflicts, findings and
:attr:`consistency.models.Fact.display` all read it from here.

Example:
    >>> from consistency.facts import extract
    >>> [render(f) for f in extract("You have fourteen days.")]
    ['14 days']
"""

from __future__ import annotations

from consistency.facts.base import FactRegistry
from consistency.facts.pipeline import registry_or_default
from consistency.models import Fact, set_fact_renderer

__all__ = ["render", "render_value"]


def render(fact: Fact, registry: FactRegistry | None = None) -> str:
    """A fact's normalised value for people, through its kind's extractor.

    Falls back to ``value unit`` for a kind ``registry`` (the default one if
    ``None``) does not know.
    """
    reg = registry_or_default(registry)
    if fact.kind in reg:
        return reg.get(fact.kind).render(fact)
    return f"{fact.value} {fact.unit}" if fact.unit else str(fact.value)


def render_value(fact: Fact) -> str:
    """``fact.value`` as a short human string, with the default registry."""
    return render(fact)


set_fact_renderer(render_value)
