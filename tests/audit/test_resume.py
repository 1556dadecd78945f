"""A killed audit, resumed, writes exactly the findings of an uninterrupted run."""

from __future__ import annotations

import json

import pytest

from consistency.audit import AuditUsageError, audit

from .conftest import SAMPLE


class Killed(Exception):
    pass


def _kill_after(n: int):
    def hook(processed: int) -> None:
        if processed >= n:
            raise Killed(processed)

    return hook


@pytest.mark.model
def test_resume_gives_identical_findings(sample_out, checker, tmp_path):
    with pytest.raises(Killed):
        audit([SAMPLE], checker.kb, out=tmp_path, checker=checker, progress=False,
              on_batch=_kill_after(100))  # fmt: skip
    assert not (tmp_path / "findings.jsonl").exists()
    done = [json.loads(line) for line in (tmp_path / "state" / "records.jsonl").open()]
    processed = {t for batch in done for t in batch["transcripts"]}
    assert 100 <= len(processed) < 294

    seen: list[int] = []
    summary = audit([SAMPLE], checker.kb, out=tmp_path, checker=checker, progress=False,
                    resume=True, on_batch=seen.append)  # fmt: skip
    assert summary.resumed
    assert seen and seen[0] > len(processed)  # the processed ones were not redone
    assert summary.conversations == 294
    assert (tmp_path / "findings.jsonl").read_bytes() == (
        sample_out / "findings.jsonl"
    ).read_bytes()


@pytest.mark.model
def test_torn_last_batch_is_redone(checker, tmp_path):
    """A crash in the middle of writing a batch leaves a torn line; resume redoes that batch."""
    lines = SAMPLE.read_text().splitlines()[:40]
    src = tmp_path / "t.jsonl"
    src.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out"
    full = audit([src], checker.kb, out=out, checker=checker, progress=False, batch_size=8)
    reference = (out / "findings.jsonl").read_bytes()
    records = out / "state" / "records.jsonl"
    data = records.read_bytes()
    records.write_bytes(data[: len(data) - 200])  # tear the last batch
    resumed = audit([src], checker.kb, out=out, checker=checker, progress=False, batch_size=8,
                    resume=True)  # fmt: skip
    assert resumed.exchanges == full.exchanges
    assert (out / "findings.jsonl").read_bytes() == reference


@pytest.mark.model
def test_resume_with_other_settings_is_refused(checker, tmp_path):
    lines = SAMPLE.read_text().splitlines()[:5]
    src = tmp_path / "t.jsonl"
    src.write_text("\n".join(lines) + "\n")
    audit([src], checker.kb, out=tmp_path / "out", checker=checker, progress=False)
    with pytest.raises(AuditUsageError) as info:
        audit([src], checker.kb, out=tmp_path / "out", checker=checker, progress=False,
              resume=True, since="2026-04-01")  # fmt: skip
    assert info.value.code == "resume-mismatch"
