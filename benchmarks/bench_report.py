"""The report of a 10k-exchange night in headless Chromium: time to open, to filter, to search.

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/bench_report.py [--exchanges 10000] [--rate 0.09]

Builds findings as the sample week has them (about 9 per 100 exchanges: 49 in
538), with their occurrences spread over 60 KB entries, 150 agents and 7 days,
renders the report (charts included when matplotlib is installed) and times in
Chromium: navigation to the load event, one kind filter, one agent filter and
one search (each until the page has re-laid out). The issue asks under a second.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from consistency.audit.models import AuditSummary  # noqa: E402
from consistency.report.html import render_report  # noqa: E402
from tests.report.helpers import broken_promise, contradiction, gap  # noqa: E402


def findings(n: int, seed: int = 0) -> list:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        day = f"2026-03-{23 + rng.randrange(7):02d}"
        roll = rng.random()
        if roll < 0.8:
            entry = f"entry-{rng.randrange(60)}"
            value = f"{rng.choice([10, 14, 21, 30, 60])} days"
            out.append(
                contradiction(
                    transcript_ids=(f"chat-{i}",),
                    agent_ids=(f"a{rng.randrange(150)}",),
                    entry_id=entry,
                    values=(value, "7 days"),
                    first_seen=f"{day}T10:00:00+00:00",
                )
            )
        elif roll < 0.9:
            out.append(
                broken_promise().model_copy(update={"transcript_ids": (f"call-{i}",)}).with_id()
            )
        else:
            out.append(gap().model_copy(update={"transcript_ids": (f"call-{i}",)}).with_id())
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exchanges", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=49 / 538)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from consistency.server.testing import CHROMIUM_ARGS, find_chromium

    chromium = find_chromium()
    if chromium is None:
        print("no Chromium found: apt-get install -y chromium", file=sys.stderr)
        return 2
    found = findings(round(args.exchanges * args.rate))
    agents: dict[str, dict[str, int]] = {}
    for f in found:
        for a in f.agent_ids:
            agents.setdefault(a, {"exchanges": args.exchanges // 150})
            agents[a][f.kind] = agents[a].get(f.kind, 0) + 1
    summary = AuditSummary(
        conversations=args.exchanges // 2,
        exchanges=args.exchanges,
        findings=len(found),
        agents=agents,
        by_entry={f"entry-{i}": 10 for i in range(60)},
        trends={
            "runs": [f"2026-03-{d}" for d in range(23, 30)],
            "totals": {f"2026-03-{d}": 90 for d in range(23, 30)},
        },
    )
    start = time.perf_counter()
    html = render_report(found, summary)
    render_s = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        path = Path(tmp) / "report.html"
        path.write_text(html, encoding="utf-8")
        browser = p.chromium.launch(executable_path=chromium, args=list(CHROMIUM_ARGS))
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        start = time.perf_counter()
        page.goto(path.as_uri(), wait_until="load")
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
        open_s = time.perf_counter() - start
        cards = page.locator("article.finding").count()

        def timed(action) -> float:  # type: ignore[no-untyped-def]
            t0 = time.perf_counter()
            action()
            page.evaluate("() => { document.body.offsetHeight; }")  # force layout
            return time.perf_counter() - t0

        kind_s = timed(lambda: page.select_option("#filter-kind", "kb_contradiction"))
        agent_s = timed(lambda: page.select_option("#filter-agents", "a7"))
        page.select_option("#filter-agents", "")
        page.select_option("#filter-kind", "")
        # the search is debounced 80 ms: time until its result is on the page
        t0 = time.perf_counter()
        page.fill("#search", "a12")
        page.wait_for_function(
            "n => !document.getElementById('shown').textContent.startsWith('Showing ' + n + ' of')",
            arg=cards,
        )
        search_s = time.perf_counter() - t0
        shown = page.locator("#shown").text_content()
        browser.close()
    print(
        f"{args.exchanges} exchanges, {len(found)} findings -> {cards} cards, {len(html) / 1e6:.1f} MB"
    )
    print(f"render (Python): {render_s:.2f} s")
    print(f"open in Chromium (to first frame): {open_s:.2f} s")
    print(f"filter by kind: {kind_s * 1000:.0f} ms; by agent: {agent_s * 1000:.0f} ms")
    print(f"search 'a12' (80 ms debounce included): {search_s * 1000:.0f} ms ({shown})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
