"""Render audit findings: JSON Lines, JSON, a self-contained HTML report, CSV and XLSX.

Renderers only read finished :class:`~consistency.findings.Finding` records.
"""

from consistency.report.html import highlight, render_report
from consistency.report.labels import KIND_LABELS, kind_label
from consistency.report.table import finding_rows, write_findings_csv, write_findings_xlsx
from consistency.report.writers import (
    write_errors,
    write_findings,
    write_outputs,
    write_report,
    write_summary,
)

__all__ = [
    "KIND_LABELS",
    "finding_rows",
    "highlight",
    "kind_label",
    "render_report",
    "write_errors",
    "write_findings",
    "write_findings_csv",
    "write_findings_xlsx",
    "write_outputs",
    "write_report",
    "write_summary",
]
