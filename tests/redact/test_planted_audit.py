"""End to end: the planted set (``tests/data/pii_planted.jsonl``) through an audit.

Every planted item is said by a customer and read back by an agent in transcripts
whose questions the KB does not answer (so they are quoted as a KB gap's examples)
or whose answers contradict it; customer-id items are the conversations' customer
ids. With ``redact_pii`` no planted item is in any file the audit writes, the
spreadsheet exports included; without it the same check finds leaks (it can fail).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from consistency.audit import audit
from tests.conftest import DATA

CASES = [json.loads(line) for line in (DATA / "pii_planted.jsonl").read_text("utf-8").splitlines()]
RETURNS = "How long do I have to return an item?"


def _transcripts(path: Path) -> Path:
    lines = []
    for n, case in enumerate(c for c in CASES if c["pii"]):
        customer = case["text"] if case["kind"] == "customer_id" else f"c-{n}"
        said = "Thanks for confirming." if case["kind"] == "customer_id" else case["text"]
        turns = [
            ("customer", f"Hi. {said} Can I recycle my old fridge with you?"),
            ("agent", f"Thanks, I've noted that: {said} You have 14 days to return it."),
            ("customer", RETURNS),
            ("agent", "You have 14 days to send it back."),
        ]
        lines.append(
            json.dumps(
                {
                    "id": f"t-{n}",
                    "started_at": f"2026-03-{2 + n % 5:02d}T10:00:00Z",
                    "channel": "chat",
                    "agent_id": f"a{n % 3}",
                    "customer_id": customer,
                    "turns": [{"speaker": s, "text": t} for s, t in turns],
                }
            )
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _leaks(out: Path) -> set[str]:
    blob = ""
    for f in sorted(out.rglob("*")):
        if f.is_file() and f.suffix in (".jsonl", ".json", ".html", ".csv"):
            blob += f.read_text(encoding="utf-8", errors="replace")
    squashed = re.sub(r"\s+", "", blob).lower()
    found = set()
    for case in CASES:
        for item in case["pii"]:
            plain = re.sub(r"\s+", "", item).lower()
            if item in blob or (len(plain) >= 6 and plain in squashed):
                found.add(item)
    return found


@pytest.mark.model
def test_no_planted_item_in_any_audit_output(checker, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = _transcripts(tmp_path / "t.jsonl")
    plain, out = tmp_path / "plain", tmp_path / "out"
    audit([src], checker.kb, out=plain, checker=checker, progress=False, formats=("jsonl", "csv"))
    assert len(_leaks(plain)) > 10  # without redaction the check sees the planted items
    audit(
        [src],
        checker.kb,
        out=out,
        checker=checker,
        progress=False,
        redact_pii=True,
        formats=("jsonl", "csv"),
    )
    assert (out / "findings.csv").exists()
    assert _leaks(out) == set()
