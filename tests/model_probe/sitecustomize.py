"""Tell the test session when a subprocess it started loads the real embedding model.

Why: the ``model`` marker must mark exactly the tests that load the model, and many
tests load it in a subprocess (the CLI as cron runs it, a blocked-torch interpreter).
``tests/conftest.py`` puts this folder on the children's ``PYTHONPATH`` and names a
folder in ``$CONSISTENCY_TEST_MODEL_PROBE``; Python imports ``sitecustomize`` at start,
and this one notes each encoder a child builds as a file there. Nothing happens
without that variable.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import os
import sys
from pathlib import Path
from typing import Any

_PROBE = os.environ.get("CONSISTENCY_TEST_MODEL_PROBE")
#: The encoder classes that load a model, by module.
_ENCODERS = {
    "consistency.match.onnx_encoder": "OnnxEncoder",
    "consistency.match.encoder": "SentenceTransformerEncoder",
}


class _Counted(importlib.abc.Loader):
    """Runs the module as its own loader would, then counts each encoder built."""

    def __init__(self, loader: Any, name: str) -> None:
        self._loader, self._name = loader, name

    def create_module(self, spec: Any) -> Any:
        return self._loader.create_module(spec)

    def exec_module(self, module: Any) -> None:
        self._loader.exec_module(module)
        cls = getattr(module, _ENCODERS[self._name])
        original = cls.__init__

        def counted(obj: Any, *args: Any, **kwargs: Any) -> None:
            original(obj, *args, **kwargs)
            Path(_PROBE, f"{os.getpid()}-{id(obj)}").touch()  # type: ignore[arg-type]

        cls.__init__ = counted


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name not in _ENCODERS:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _Counted(spec.loader, name)
        return spec


if _PROBE:
    sys.meta_path.insert(0, _Finder())
