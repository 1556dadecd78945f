"""The Ray engine gives the local engine's outputs, whatever the workers and faults.

One local Ray cluster (2 CPUs, loopback only) for the module. The input is the
shipped sample with a bad line and a repeated conversation id spliced in, so
every run also checks that input errors are reported and skipped the same way.
The checker uses a bag-of-words hashing encoder: it is batch-invariant (MiniLM
differs in the last float bit with batch composition, which no finding here
depends on but a byte comparison would see) and it keeps torch out of the
workers, so the whole file stays well inside its time budget. What is tested is
the engine: sharding, reading order, grouping, retries.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

ray = pytest.importorskip(
    "ray", reason="ray is not installed (pip install 'consistency[distributed]')"
)
pytest.importorskip("ray.data", reason="ray[data] is not installed")

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "transcripts.jsonl"
COMPARED = ("findings.jsonl", "errors.jsonl")


class HashEncoder:
    """Bag-of-words hashing: deterministic, instant, batch-invariant; shared words ⇒ similar."""

    name = "test-hash-bow"
    dim = 128

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                digest = hashlib.md5(word.strip("?.,!").encode()).digest()
                out[row, int.from_bytes(digest[:4], "little") % self.dim] += 1.0
            norm = float(np.linalg.norm(out[row]))
            if norm:
                out[row] /= norm
            else:
                out[row, 0] = 1.0
        return out


@pytest.fixture(scope="module")
def cluster():
    if not SAMPLE.exists():
        pytest.skip("examples/transcripts.jsonl is not there")
    # Workers cannot import this test module: ship its classes and functions by value.
    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    started = not ray.is_initialized()
    if started:
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    if started:
        ray.shutdown()


@pytest.fixture(scope="module")
def checker(sample_kb, tmp_path_factory):
    from consistency import Checker

    return Checker(sample_kb, encoder=HashEncoder(), cache_dir=tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="module")
def transcripts(tmp_path_factory) -> Path:
    """The sample, a bad line at line 101 and a repeat of line 7's conversation at 181."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(100, '{"id": "broken", "turns": [\n')
    lines.insert(180, lines[6])
    path = tmp_path_factory.mktemp("input") / "day.jsonl"
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def local(checker, transcripts, tmp_path_factory) -> Path:
    from consistency.audit import audit

    out = tmp_path_factory.mktemp("local")
    audit([transcripts], checker.kb, out=out, checker=checker, progress=False)
    return out


def _summary(out: Path) -> dict:
    data = json.loads((out / "summary.json").read_text())
    data.pop("out")
    return data


def _same(local: Path, other: Path) -> None:
    for name in COMPARED:
        assert (other / name).read_bytes() == (local / name).read_bytes(), name
    assert _summary(other) == _summary(local)


def test_local_reference_reports_the_bad_line_and_the_repeat(local) -> None:
    errors = [json.loads(line) for line in (local / "errors.jsonl").read_text().splitlines()]
    assert [(e["line"], e["type"]) for e in errors] == [(101, "bad-json"), (None, "bad-record")]
    assert (local / "findings.jsonl").stat().st_size > 0


@pytest.mark.parametrize("workers", [1, 4])
def test_findings_identical_to_local(cluster, checker, transcripts, local, tmp_path, workers):
    from consistency.distributed import run_ray

    stats: dict = {}
    run_ray([transcripts], checker.kb, out=tmp_path, checker=checker, workers=workers, stats=stats)
    assert stats["shards"] >= 4  # the file was cut, so line numbers were carried across shards
    _same(local, tmp_path)


def test_killed_worker_is_retried_and_loses_nothing(cluster, checker, transcripts, local, tmp_path):
    from consistency.distributed import run_ray

    marker = tmp_path / "killed"

    def die_once(processed: int, marker: str = str(marker)) -> None:
        """In the worker: exit hard after the second batch of its first shard, once."""
        import os as _os

        if processed >= 64 and not _os.path.exists(marker):
            open(marker, "w").close()
            _os._exit(1)

    out = tmp_path / "out"
    run_ray([transcripts], checker.kb, out=out, checker=checker, workers=2, on_batch=die_once)
    assert marker.exists(), "the fault was not injected"
    _same(local, out)


def test_resume_is_refused(cluster, checker, transcripts, tmp_path):
    from consistency.audit.state import AuditUsageError
    from consistency.distributed import run_ray

    with pytest.raises(AuditUsageError):
        run_ray([transcripts], checker.kb, out=tmp_path, checker=checker, resume=True)
    assert os.listdir(tmp_path) == []


def test_onnx_checker_ships_to_workers_as_files(cluster, sample_kb, tmp_path):
    """An onnxruntime session does not pickle: the default encoder travels as its files."""
    from consistency import Checker
    from consistency.audit.engines.ray import _landed, _ship

    try:
        from consistency.match.onnx_encoder import OnnxEncoder

        encoder = OnnxEncoder(threads=1)
    except (ImportError, FileNotFoundError) as exc:
        pytest.skip(f"no ONNX encoder here: {exc}")
    checker = Checker(sample_kb, encoder=encoder, cache_dir=tmp_path)
    shipped, spec = ray.get(_ship(checker))
    landed = _landed(shipped, spec, threads=1)
    assert checker.encoder is encoder  # the caller's checker is left as it was
    assert landed.index.encoder is landed.encoder and landed.encoder.name == encoder.name
    texts = ["how long do I have to return a jacket", "do you deliver on sundays"]
    assert np.array_equal(landed.index.encode(texts), checker.index.encode(texts))
    assert landed.no_match_threshold == checker.no_match_threshold


def test_audit_with_engine_ray_is_the_same_audit(cluster, checker, transcripts, local, tmp_path):
    from consistency.audit import audit

    audit(
        [transcripts],
        checker.kb,
        out=tmp_path,
        checker=checker,
        progress=False,
        engine="ray",
        workers=2,
    )
    _same(local, tmp_path)


def test_cli_engine_ray(cluster, checker, transcripts, local, tmp_path, monkeypatch):
    import typer
    from typer.testing import CliRunner

    import consistency.checker
    from consistency.audit.cli import audit_command

    monkeypatch.setattr(consistency.checker, "Checker", lambda kb, **kw: checker)
    app = typer.Typer()
    app.command("audit")(audit_command)
    app.command("noop")(lambda: None)  # keep "audit" a subcommand, as in the real app
    kb = ROOT / "knowledge_base"
    out = tmp_path / "out"
    args = ["audit", str(transcripts), "--kb", str(kb), "--out", str(out), "--no-progress"]
    result = CliRunner().invoke(app, [*args, "--engine", "ray", "--workers", "2"])
    assert result.exit_code == 0, result.output
    _same(local, out)
    bad = CliRunner().invoke(app, [*args, "--workers", "2"])
    assert bad.exit_code == 2 and "--engine ray" in bad.output
