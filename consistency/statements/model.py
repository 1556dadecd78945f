"""Runs the shipped statement model: p(contradiction) for (KB answer, agent answer) pairs.

Why ONNX: the same runtime as the default encoder, no torch at run time; the int8
file loads in well under a second and scores a pair in a few milliseconds on one core.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from consistency.match.onnx_encoder import SHIPPED_TOKENIZER, _load_tokenizer

#: The shipped model (see ``data/NOTICE`` and ``training/train_statement_model.py``).
SHIPPED_MODEL = Path(__file__).parent / "data" / "statement-minilm-int8.onnx"
#: Tokens of KB answer and agent answer together; longer pairs are cut, longest first.
MAX_LENGTH = 256


class StatementModel:
    """p(the answer contradicts the KB answer), from a cross-encoder ONNX file.

    Args:
        path: the ONNX file (inputs ``input_ids``, ``attention_mask``,
            ``token_type_ids``; output ``logits``, class 1 = contradiction).
        threads: onnxruntime's intra-op threads (``None``: its default).
    """

    def __init__(self, path: str | Path = SHIPPED_MODEL, *, threads: int | None = 1) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise FileNotFoundError(f"statement model not found: {self.path}")
        self.threads = threads
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        """Only the path and threads: a worker process loads its own session."""
        return {"path": self.path, "threads": self.threads}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["path"], threads=state["threads"])  # type: ignore[misc]

    def _load(self) -> tuple[Any, Any]:
        with self._lock:
            if self._session is None:
                import onnxruntime as ort

                options = ort.SessionOptions()
                options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
                if self.threads:
                    options.intra_op_num_threads = int(self.threads)
                tokenizer = _load_tokenizer(SHIPPED_TOKENIZER)
                tokenizer.enable_truncation(max_length=MAX_LENGTH, strategy="longest_first")
                tokenizer.enable_padding()
                self._tokenizer = tokenizer
                self._session = ort.InferenceSession(
                    str(self.path), sess_options=options, providers=["CPUExecutionProvider"]
                )
        return self._session, self._tokenizer

    def contradiction(self, kb_answer: str, answers: Sequence[str]) -> np.ndarray:
        """p(contradiction) of each answer against ``kb_answer``, one float per answer."""
        if not answers:
            return np.zeros(0, dtype=np.float32)
        session, tokenizer = self._load()
        encodings = tokenizer.encode_batch([(kb_answer, a) for a in answers])
        feed = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        logits = session.run(["logits"], feed)[0].astype(np.float64)
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        return (probs[:, 1] / probs.sum(axis=1)).astype(np.float32)


@functools.cache
def default_statement_model() -> StatementModel | None:
    """The shipped model, shared by every checker of the process (``None`` if absent)."""
    return StatementModel() if SHIPPED_MODEL.is_file() else None
