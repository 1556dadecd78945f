"""The fused BERT graph: the same function as a plain BERT forward pass, from either weight source."""

from __future__ import annotations

import json
import struct
from math import erf, sqrt
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

ort = pytest.importorskip("onnxruntime")
pytest.importorskip("onnx")

from consistency.match.bert_graph import (  # noqa: E402
    BertWeights,
    Int8Columns,
    _pack_nbits8,
    build_fused_graph,
    weights_from_safetensors,
)

HIDDEN, HEADS, FFN, LAYERS, VOCAB = 64, 4, 128, 2, 50


def _unpack(packed: np.ndarray, scales: np.ndarray, k: int) -> np.ndarray:
    """MatMulNBits' B and scales back to an ``(in, out)`` float weight."""
    n, blocks, block = packed.shape
    q = packed.astype(np.float32) - 128.0
    w = q * scales.reshape(n, blocks)[:, :, None]
    return w.reshape(n, blocks * block)[:, :k].T


def _tiny_bert(seed: int = 0) -> BertWeights:
    rng = np.random.default_rng(seed)
    t: dict[str, np.ndarray | Int8Columns] = {
        "embeddings.word_embeddings.weight": rng.normal(0, 1, (VOCAB, HIDDEN)),
        "embeddings.position_embeddings.weight": rng.normal(0, 0.5, (32, HIDDEN)),
        "embeddings.token_type_embeddings.weight": rng.normal(0, 0.5, (2, HIDDEN)),
        "embeddings.LayerNorm.weight": rng.uniform(0.5, 1.5, HIDDEN),
        "embeddings.LayerNorm.bias": rng.normal(0, 0.1, HIDDEN),
    }
    for i in range(LAYERS):
        p = f"encoder.layer.{i}."
        shapes = {
            "attention.self.query": (HIDDEN, HIDDEN),
            "attention.self.key": (HIDDEN, HIDDEN),
            "attention.self.value": (HIDDEN, HIDDEN),
            "attention.output.dense": (HIDDEN, HIDDEN),
            "intermediate.dense": (HIDDEN, FFN),
            "output.dense": (FFN, HIDDEN),
        }
        for name, shape in shapes.items():
            t[p + name + ".weight"] = rng.normal(0, 1 / sqrt(shape[0]), shape)
            t[p + name + ".bias"] = rng.normal(0, 0.1, shape[1])
        for ln in ("attention.output", "output"):
            t[p + ln + ".LayerNorm.weight"] = rng.uniform(0.5, 1.5, HIDDEN)
            t[p + ln + ".LayerNorm.bias"] = rng.normal(0, 0.1, HIDDEN)
    t = {k: np.asarray(v, dtype=np.float32) for k, v in t.items()}
    return BertWeights(tensors=t, layers=LAYERS)


def _layer_norm(x: np.ndarray, g: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * g + b


def _reference(w: BertWeights, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """A plain numpy BERT forward pass (float64), the thing the fused graph must equal."""
    f = {k: w.float(k).astype(np.float64) for k in w.tensors}
    s = ids.shape[1]
    x = (
        f["embeddings.word_embeddings.weight"][ids]
        + f["embeddings.position_embeddings.weight"][:s][None]
        + f["embeddings.token_type_embeddings.weight"][0]
    )
    x = _layer_norm(x, f["embeddings.LayerNorm.weight"], f["embeddings.LayerNorm.bias"], w.eps)
    d = HIDDEN // HEADS
    gelu = np.vectorize(lambda v: 0.5 * v * (1 + erf(v / sqrt(2))))
    for i in range(w.layers):
        p = f"encoder.layer.{i}."

        def lin(h: np.ndarray, name: str, p: str = p) -> np.ndarray:
            return h @ f[p + name + ".weight"] + f[p + name + ".bias"]

        def heads(h: np.ndarray) -> np.ndarray:
            return h.reshape(h.shape[0], s, HEADS, d).transpose(0, 2, 1, 3)

        q, k, v = (heads(lin(x, f"attention.self.{n}")) for n in ("query", "key", "value"))
        scores = q @ k.transpose(0, 1, 3, 2) / sqrt(d) + (1 - mask[:, None, None, :]) * -1e9
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        ctx = (scores / scores.sum(-1, keepdims=True)) @ v
        ctx = ctx.transpose(0, 2, 1, 3).reshape(x.shape)
        ln1 = p + "attention.output.LayerNorm."
        h1 = _layer_norm(
            lin(ctx, "attention.output.dense") + x, f[ln1 + "weight"], f[ln1 + "bias"], w.eps
        )
        ffn = lin(gelu(lin(h1, "intermediate.dense")), "output.dense")
        ln2 = p + "output.LayerNorm."
        x = _layer_norm(ffn + h1, f[ln2 + "weight"], f[ln2 + "bias"], w.eps)
    return x


def _run(w: BertWeights, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
    data = build_fused_graph(w, num_heads=HEADS).SerializeToString()
    session = ort.InferenceSession(data, providers=["CPUExecutionProvider"])
    feed = {
        "input_ids": ids.astype(np.int32),
        "attention_mask": mask.astype(np.int32),
        "token_type_ids": np.zeros_like(ids, dtype=np.int32),
    }
    return session.run(None, feed)[0]


def test_fused_graph_is_a_bert_forward_pass() -> None:
    w = _tiny_bert()
    ids = np.array([[1, 7, 9, 4, 2, 0, 0], [1, 5, 3, 8, 11, 12, 2]])
    mask = (np.arange(7)[None] < np.array([[5], [7]])).astype(np.int64)
    got, want = _run(w, ids, mask), _reference(w, ids, mask)
    for row, length in enumerate((5, 7)):  # padded positions are not defined outputs
        cos = (got[row, :length] * want[row, :length]).sum(-1) / (
            np.linalg.norm(got[row, :length], axis=-1) * np.linalg.norm(want[row, :length], axis=-1)
        )
        assert cos.min() > 0.999, cos
        np.testing.assert_allclose(got[row, :length], want[row, :length], atol=0.1)


def test_padding_does_not_change_a_row() -> None:
    w = _tiny_bert(1)
    alone = _run(w, np.array([[1, 7, 9, 2]]), np.ones((1, 4), dtype=np.int64))
    ids = np.array([[1, 7, 9, 2, 0, 0], [1, 5, 3, 8, 11, 2]])
    mask = (np.arange(6)[None] < np.array([[4], [6]])).astype(np.int64)
    batched = _run(w, ids, mask)
    np.testing.assert_allclose(batched[0, :4], alone[0], atol=1e-4)


def test_int8_columns_are_kept_exactly() -> None:
    rng = np.random.default_rng(3)
    q = rng.integers(-127, 128, size=(96, 40)).astype(np.int8)
    scale = rng.uniform(1e-3, 1e-1, 40).astype(np.float32)
    packed, scales = _pack_nbits8(Int8Columns(q, scale))
    assert packed.shape == (40, 3, 32) and packed.dtype == np.uint8
    np.testing.assert_array_equal(_unpack(packed, scales, 96), Int8Columns(q, scale).dequantized())


@settings(max_examples=60, deadline=None)
@given(
    arrays(
        np.float32,
        st.tuples(st.integers(1, 80), st.integers(1, 12)),
        elements=st.floats(-1e4, 1e4, width=32, allow_nan=False),
    )
)
def test_block_quantisation_error_is_half_a_step(weight: np.ndarray) -> None:
    k = weight.shape[0]
    packed, scales = _pack_nbits8(weight)
    back = _unpack(packed, scales, k)
    blocks = -(-k // 32)
    # each value is within half a quantisation step of its own block's scale
    step = np.repeat(scales.reshape(-1, blocks), 32, axis=1)[:, :k].T
    assert np.all(np.abs(back - weight) <= step * 0.5 + 1e-6 * np.abs(weight) + 1e-30)
    assert np.all(packed.reshape(packed.shape[0], -1)[:, k:] == 128)  # padding is zero


def _write_safetensors(path: Path, tensors: dict[str, np.ndarray], dtype: str = "F32") -> None:
    header, blobs, at = {}, [], 0
    for name, array in tensors.items():
        raw = np.ascontiguousarray(array, dtype=np.float32).tobytes()
        header[name] = {
            "dtype": dtype,
            "shape": list(array.shape),
            "data_offsets": [at, at + len(raw)],
        }
        blobs.append(raw)
        at += len(raw)
    head = json.dumps({"__metadata__": {"format": "pt"}, **header}).encode()
    path.write_bytes(struct.pack("<Q", len(head)) + head + b"".join(blobs))


def test_safetensors_round_trip(tmp_path: Path) -> None:
    w = _tiny_bert(2)
    torch_layout = {
        # torch keeps Linear weights (out, in), under a model prefix
        ("bert." + k): (v.T if v.ndim == 2 and "embeddings" not in k else v)
        for k, v in w.tensors.items()
    }
    path = tmp_path / "model.safetensors"
    _write_safetensors(path, torch_layout)
    read = weights_from_safetensors(path)
    assert read.layers == LAYERS and set(read.tensors) == set(w.tensors)
    for name in w.tensors:
        np.testing.assert_array_equal(read.float(name), w.float(name))


def test_bad_safetensors_are_refused_with_the_reason(tmp_path: Path) -> None:
    short = tmp_path / "short.safetensors"
    short.write_bytes(b"abc")
    with pytest.raises(ValueError, match="too short"):
        weights_from_safetensors(short)
    bf16 = tmp_path / "bf16.safetensors"
    _write_safetensors(bf16, {"embeddings.LayerNorm.weight": np.ones(4)}, dtype="BF16")
    with pytest.raises(ValueError, match="BF16"):
        weights_from_safetensors(bf16)
    partial = tmp_path / "partial.safetensors"
    tensors = {k: v for k, v in _tiny_bert().tensors.items() if "output.dense.bias" not in k}
    _write_safetensors(partial, {k: np.asarray(v) for k, v in tensors.items()})
    with pytest.raises(ValueError, match=r"not a BERT encoder: no tensor 'encoder\.layer\.0"):
        weights_from_safetensors(partial)


def test_first_difference_tells_the_same_model_from_another() -> None:
    from consistency.match.bert_graph import first_difference

    floats = _tiny_bert(4)
    rounded = BertWeights(tensors=dict(floats.tensors), layers=LAYERS)
    for name, value in floats.tensors.items():
        if name.endswith(".weight") and "embeddings" not in name and "LayerNorm" not in name:
            scale = (np.abs(value).max(axis=0) / 127.0).astype(np.float32)
            q = np.clip(np.rint(value / scale), -127, 127).astype(np.int8)
            rounded.tensors[name] = Int8Columns(q, scale)
    assert first_difference(floats, rounded) is None
    moved = BertWeights(tensors=dict(floats.tensors), layers=LAYERS)
    name = "encoder.layer.1.output.dense.weight"
    value = np.array(floats.tensors[name], copy=True)
    value[3, 5] += 2 * rounded.tensors[name].scale[5]  # two steps: not a rounding
    moved.tensors[name] = value
    assert first_difference(moved, rounded) == name
