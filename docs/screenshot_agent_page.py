"""Take docs/agent-page.png: the agent page showing a contradiction of the sample KB.

    HF_HUB_OFFLINE=1 .venv/bin/python docs/screenshot_agent_page.py [--out docs/agent-page.png]

Needs Chromium (``apt-get install -y chromium``, or ``$CONSISTENCY_CHROMIUM``) and the
``playwright`` package; no browser download.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

QUESTION = "hi, how long do I have to return something? it's still in the box"
ANSWER = "No problem! You have 14 days to return it, just start the return on our website."


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "agent-page.png")
    parser.add_argument("--kb", type=Path, default=ROOT / "knowledge_base")
    args = parser.parse_args()

    from playwright.sync_api import expect, sync_playwright

    from consistency.server import create_app
    from consistency.server.testing import CHROMIUM_ARGS, find_chromium, serve_in_thread

    chromium = find_chromium()
    if chromium is None:
        print("no Chromium found: apt-get install -y chromium", file=sys.stderr)
        return 2
    with serve_in_thread(create_app(args.kb)) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=list(CHROMIUM_ARGS))
        page = browser.new_page(viewport={"width": 1280, "height": 820}, device_scale_factor=1)
        page.goto(url)
        page.get_by_label("Customer's question").fill(QUESTION)
        page.get_by_label("Your draft answer").fill(ANSWER)
        expect(page.locator("#draft mark").first).to_be_visible()
        expect(page.locator("#verdict")).not_to_have_attribute("aria-busy", "true")
        page.screenshot(path=str(args.out), full_page=True)
        browser.close()
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
