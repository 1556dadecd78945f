"""Match questions to KB entries: encoders, fuzzy scores, fusion, index and cache.

Nothing here imports torch until an encoder is built.
"""

from consistency.match.cache import EmbeddingCache, default_cache_dir
from consistency.match.encoder import (
    BACKENDS,
    DEFAULT_MODEL,
    Encoder,
    SentenceTransformerEncoder,
    make_encoder,
)
from consistency.match.index import FusionWeights, Index, LeaveOneOut
from consistency.match.text import match_key
from consistency.match.threshold import DEFAULT_THRESHOLD, fit_threshold

__all__ = [
    "BACKENDS",
    "DEFAULT_MODEL",
    "DEFAULT_THRESHOLD",
    "EmbeddingCache",
    "Encoder",
    "FusionWeights",
    "Index",
    "LeaveOneOut",
    "SentenceTransformerEncoder",
    "default_cache_dir",
    "fit_threshold",
    "make_encoder",
    "match_key",
]
