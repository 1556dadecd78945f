"""The docstring examples of consistency.promises run and say what they show."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "consistency.promises.calendar",
    "consistency.promises.chase",
    "consistency.promises.extract",
    "consistency.promises.fulfilment",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


def test_public_names():
    import consistency.promises as promises

    assert sorted(promises.__all__) == sorted(set(promises.__all__))
    for name in promises.__all__:
        assert getattr(promises, name) is not None
