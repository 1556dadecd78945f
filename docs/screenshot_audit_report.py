"""Take docs/audit-report.png: the report of the shipped sample week, with a week of history.

    HF_HUB_OFFLINE=1 .venv/bin/python docs/screenshot_audit_report.py [--out docs/audit-report.png]

Audits each day of ``examples/transcripts.jsonl`` into one history (so the charts
have nights to draw), then the whole week, and photographs the week's report
with the history's trends. Needs Chromium (``apt-get install -y chromium``, or
``$CONSISTENCY_CHROMIUM``), the ``playwright`` package and the model; no download.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = "from consistency.cli import app; app()"


def _audit(*args: str) -> None:
    subprocess.run([sys.executable, "-c", CLI, "audit", *args], check=True, cwd=ROOT)


def _days(transcripts: Path) -> list[str]:
    with transcripts.open(encoding="utf-8") as lines:
        return sorted({json.loads(line)["started_at"][:10] for line in lines if line.strip()})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "audit-report.png")
    parser.add_argument(
        "--work", type=Path, help="keep the audits here and reuse them when present (re-shoot fast)"
    )
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from consistency.audit.history import trends
    from consistency.report.html import render_report
    from consistency.server.report import read_audit
    from consistency.server.testing import CHROMIUM_ARGS, find_chromium

    chromium = find_chromium()
    if chromium is None:
        print("no Chromium found: apt-get install -y chromium", file=sys.stderr)
        return 2
    transcripts = ROOT / "examples" / "transcripts.jsonl"
    common = [
        "--kb",
        str(ROOT / "knowledge_base"),
        "--fulfilment",
        str(ROOT / "examples" / "fulfilment.csv"),
    ]
    with tempfile.TemporaryDirectory() as scratch:
        tmp = args.work or Path(scratch)
        tmp.mkdir(parents=True, exist_ok=True)
        history = Path(tmp) / "history.sqlite"
        for day in _days(transcripts) if not history.exists() else []:
            _audit(str(transcripts), *common, "--since", day, "--until", day,
                   "--history", str(history), "--out", str(Path(tmp) / day))  # fmt: skip
        week = Path(tmp) / "week"
        if not (week / "summary.json").exists():
            _audit(str(transcripts), *common, "--out", str(week))
        findings, summary = read_audit(week)
        summary = summary.model_copy(update={"trends": trends(history)})
        report = Path(tmp) / "report.html"
        report.write_text(render_report(findings, summary), encoding="utf-8")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=list(CHROMIUM_ARGS))
            page = browser.new_page(viewport={"width": 1280, "height": 2000}, device_scale_factor=1)
            page.goto(report.as_uri())
            page.screenshot(path=str(args.out))
            browser.close()
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
