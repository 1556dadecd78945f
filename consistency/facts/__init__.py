"""Typed, normalised facts in written and spoken text.

Importing this package registers the shipped extractors in ``default_registry``.
Each shipped module ``consistency.facts.<kind>`` defines ``EXTRACTOR``.
``facts_for`` is the stage's pipeline (extract, resolve overlaps, attach
conditions; :mod:`consistency.facts.pipeline`) and ``render`` the one way a fact
reads for people (:mod:`consistency.facts.render`).
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterable

from consistency.facts.base import (
    MAX_TEXT_CHARS,
    Extractor,
    FactRegistry,
    UnknownFactKindError,
    default_registry,
)
from consistency.facts.pipeline import facts_for
from consistency.facts.render import render
from consistency.models import Fact

__all__ = [
    "MAX_TEXT_CHARS",
    "Extractor",
    "FactRegistry",
    "UnknownFactKindError",
    "default_registry",
    "extract",
    "facts_for",
    "render",
]

_SHIPPED = (
    "money",
    "percent",
    "duration",
    "count",
    "ordinal",
    "date",
    "time",
    "phone",
    "email",
    "url",
    "address",
    "polarity",
    "condition",
)

for _name in _SHIPPED:
    _module = importlib.import_module(f"consistency.facts.{_name}")
    default_registry.register(_module.EXTRACTOR)


def extract(
    text: str, *, reference: dt.date | None = None, kinds: Iterable[str] | None = None
) -> list[Fact]:
    """Every fact in ``text`` with the default registry (see ``FactRegistry.extract``)."""
    return default_registry.extract(text, reference=reference, kinds=kinds)
