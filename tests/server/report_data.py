"""An audit folder for the served report's tests: folded, promised and gap findings."""

from __future__ import annotations

from pathlib import Path

from consistency.audit.models import Finding
from consistency.report.writers import write_outputs
from tests.report.helpers import broken_promise, contradiction, gap, summary_of


def findings() -> list[Finding]:
    """Seven occurrences of one contradiction (a1..a3), one by a4 on another entry, a gap, a promise."""
    seven = [
        contradiction(transcript_ids=(f"chat-{i}",), agent_ids=(f"a{i % 3 + 1}",)) for i in range(7)
    ]
    other = contradiction(
        transcript_ids=("chat-20",),
        agent_ids=("a4",),
        entry_id="returns-window",
        values=("60 days", "30 days"),
        explanation="Agent a4 said 60 days; the KB (returns-window) says 30 days.",
    )
    return [*seven, other, gap(), broken_promise()]


def write_audit(folder: Path) -> list[Finding]:
    """``findings.jsonl``, ``summary.json`` and ``report.html`` in ``folder``, as an audit writes them."""
    found = findings()
    write_outputs(folder, found, summary_of(found), [])
    return found
