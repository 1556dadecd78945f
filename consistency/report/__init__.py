"""Render audit findings: JSON Lines, JSON and a self-contained HTML report.

Renderers only read finished :class:`~consistency.audit.models.Finding` records.
"""

from consistency.report.html import highlight, render_report
from consistency.report.writers import (
    write_errors,
    write_findings,
    write_outputs,
    write_report,
    write_summary,
)

__all__ = [
    "highlight",
    "render_report",
    "write_errors",
    "write_findings",
    "write_outputs",
    "write_report",
    "write_summary",
]
