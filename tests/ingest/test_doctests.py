"""Run the docstring examples of the ingest package, so they cannot go stale."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "consistency.ingest",
    "consistency.ingest.models",
    "consistency.ingest.readers",
    "consistency.ingest.segment",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
