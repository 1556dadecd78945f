"""The agent page in a real headless Chromium: type, wait, see the conflict highlighted."""

from __future__ import annotations

import pytest

from consistency.server.testing import CHROMIUM_ARGS, find_chromium, serve_in_thread

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no Chromium found (apt-get install -y chromium, or set CONSISTENCY_CHROMIUM)",
)

QUESTION = "how long do I have to return something"
ANSWER = "You have 14 days to return it"


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
        yield browser
        browser.close()


def test_page_highlights_the_conflicting_fact(browser, make_app, checker) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    verdict = checker.check(QUESTION, ANSWER)
    expected = next(c for c in verdict.conflicts if c.kind == "duration")
    # Markup in the draft must come back as text, never as elements.
    answer = "<img src=x onerror=alert(1)> " + ANSWER
    with serve_in_thread(make_app()) as url:
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(url)
        page.get_by_label("Customer's question").fill(QUESTION)
        page.get_by_label("Your draft answer").fill(answer)

        status = page.locator("#verdict")
        expect(status).to_have_attribute("data-status", "contradiction")
        expect(status).to_have_attribute("aria-live", "polite")
        expect(status).to_contain_text("Contradicts the knowledge base")

        draft_mark = page.locator("#draft mark")
        expect(draft_mark).to_have_count(1)
        expect(draft_mark).to_have_text("14 days")
        expect(page.locator("#draft")).to_have_text(answer)
        assert page.locator("#draft img").count() == 0

        expect(page.locator("#entry-id")).to_have_text("returns-window")
        expect(page.locator("#canonical mark[data-kind=duration]")).to_have_text(expected.kb_text)
        expect(page.locator("#conflicts")).to_contain_text(
            f"Your draft says 14 days — the KB says {expected.kb_value}"
        )

        # Fixing the draft (here: pasting the canonical answer) clears the highlight.
        page.get_by_label("Your draft answer").fill(verdict.canonical_answer)
        expect(status).to_have_attribute("data-status", "consistent")
        expect(page.locator("#draft mark")).to_have_count(0)
        assert errors == []
