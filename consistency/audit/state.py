"""The audit's on-disk state, so an interrupted audit resumes where it stopped.

``OUT/state/records.jsonl`` holds one line per processed batch: the ids of the
transcripts it covered, their compact exchange records, and the promises and
chases said in them (``broken_promise`` is decided from these at the end). A batch is written
as one line and flushed before the next starts, so after a crash every whole
line is a batch done and a torn last line is a batch to redo. Grouping and
findings are always redone from the full state at the end, which is why a
resumed audit writes exactly the findings of an uninterrupted one.
``OUT/state/checkpoint.json`` records what the audit was asked to do; resuming
with other settings is refused rather than mixed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from consistency.audit.models import ExchangeRecord, json_default

if TYPE_CHECKING:
    from consistency.promises import Chase, Promise

__all__ = ["AuditState", "AuditUsageError"]


class AuditUsageError(ValueError):
    """The audit was asked something it cannot do (bad options, a mismatched resume).

    ``code`` is a stable slug: ``resume-mismatch``, ``bad-period``, ``bad-option``,
    ``no-cluster`` (``--ray-address`` names no running Ray cluster).
    """

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


class AuditState:
    """Processed transcript ids and their records, spilled to ``OUT/state``."""

    def __init__(self, out: Path) -> None:
        self.dir = out / "state"
        self.records_path = self.dir / "records.jsonl"
        self.checkpoint_path = self.dir / "checkpoint.json"

    def reset(self, settings: dict[str, Any]) -> None:
        """Start afresh: forget any earlier state and record the settings."""
        self.dir.mkdir(parents=True, exist_ok=True)
        self.records_path.write_text("")
        self._write_checkpoint({"settings": settings, "complete": False})

    def resume(self, settings: dict[str, Any]) -> bool:
        """Continue an earlier audit; ``False`` when there is none to continue.

        Raises:
            AuditUsageError: the earlier audit ran with other settings.
        """
        if not self.checkpoint_path.exists() or not self.records_path.exists():
            return False
        saved = json.loads(self.checkpoint_path.read_text())
        if saved.get("settings") != settings:
            raise AuditUsageError(
                f"cannot resume: {self.dir} holds an audit run with other settings "
                f"({saved.get('settings')}); run without --resume to start afresh",
                code="resume-mismatch",
            )
        self._truncate_torn_tail()
        return True

    def _truncate_torn_tail(self) -> None:
        data = self.records_path.read_bytes()
        if data and not data.endswith(b"\n"):
            cut = data.rfind(b"\n") + 1
            with open(self.records_path, "r+b") as handle:
                handle.truncate(cut)

    def _write_checkpoint(self, payload: dict[str, Any]) -> None:
        tmp = self.checkpoint_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(payload, indent=1, default=json_default))
        os.replace(tmp, self.checkpoint_path)

    def mark_complete(self) -> None:
        payload = json.loads(self.checkpoint_path.read_text())
        payload["complete"] = True
        self._write_checkpoint(payload)

    def _lines(self) -> Iterator[dict[str, Any]]:
        if not self.records_path.exists():
            return
        with open(self.records_path, encoding="utf-8") as handle:
            for line in handle:
                if not line.endswith("\n"):
                    break
                try:
                    yield json.loads(line)
                except json.JSONDecodeError:
                    break

    def batches(self) -> Iterator[tuple[list[str], list[ExchangeRecord]]]:
        """Every whole batch written so far: (transcript ids, records)."""
        for batch in self._lines():
            yield batch["transcripts"], [ExchangeRecord.from_dict(r) for r in batch["records"]]

    def transcript_ids(self) -> set[str]:
        """The conversations already processed (their records are not built)."""
        return {t for batch in self._lines() for t in batch["transcripts"]}

    def promise_items(self) -> Iterator[Promise | Chase]:
        """Every promise and chase written so far, in batch order (none in older states)."""
        from consistency.audit.analyse import load_promise_item

        for batch in self._lines():
            for item in batch.get("promises", ()):
                yield load_promise_item(item)

    def append(
        self,
        transcript_ids: Sequence[str],
        records: Sequence[ExchangeRecord],
        promises: Sequence[Promise | Chase] = (),
    ) -> None:
        """Write one batch as one line and flush it to disk before returning."""
        from consistency.audit.analyse import promise_item_dict

        line = json.dumps(
            {
                "transcripts": list(transcript_ids),
                "records": [r.to_dict() for r in records],
                "promises": [promise_item_dict(p) for p in promises],
            },
            default=json_default,
            separators=(",", ":"),
        )
        with open(self.records_path, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")
            handle.flush()
            os.fsync(handle.fileno())
