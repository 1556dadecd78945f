"""The audit report in a real headless Chromium: filters, sort, search, review buttons."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from fastapi import FastAPI

from consistency.server.report import add_report_routes
from consistency.server.testing import CHROMIUM_ARGS, find_chromium, serve_in_thread
from tests.server.report_data import write_audit

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no Chromium found (apt-get install -y chromium, or set CONSISTENCY_CHROMIUM)",
)


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
        yield browser
        browser.close()


def _open(browser, url: str):  # type: ignore[no-untyped-def]
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(url)
    return page, errors


def _visible(page) -> int:  # type: ignore[no-untyped-def]
    return page.locator("article.finding:visible").count()


def test_filters_and_search_change_what_is_shown(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    write_audit(tmp_path)
    page, errors = _open(browser, (tmp_path / "report.html").as_uri())
    assert _visible(page) == 4
    expect(page.locator("#shown")).to_have_text("Showing 4 of 4 problems")

    page.select_option("#filter-kind", "kb_contradiction")
    assert _visible(page) == 2
    expect(page.locator("#k-kb_gap")).to_be_hidden()
    expect(page.locator("#k-kb_contradiction h2")).to_have_text(
        "Contradictions of the knowledge base (2)"
    )

    page.select_option("#filter-agents", "a4")
    assert _visible(page) == 1
    expect(page.locator("article.finding:visible")).to_contain_text("60 days")

    page.select_option("#filter-agents", "")
    page.select_option("#filter-kind", "")
    page.select_option("#filter-days", "2026-04-01")
    assert _visible(page) == 1  # the gap, asked on the 1st of April

    page.select_option("#filter-days", "")
    page.fill("#search", "recycling")
    expect(page.locator("#shown")).to_have_text("Showing 1 of 4 problems")
    expect(page.locator("article.finding:visible")).to_contain_text("electricals")
    page.fill("#search", "")
    expect(page.locator("#shown")).to_have_text("Showing 4 of 4 problems")

    page.select_option("#filter-review", "false_alarm")
    assert _visible(page) == 0
    page.select_option("#filter-review", "")

    # most occurrences first within a group; the folded list opens
    page.select_option("#sort", "count")
    page.locator("summary", has_text="All 7 occurrences").click()
    expect(page.locator("details[open] li")).to_have_count(7)
    assert errors == []


def test_review_buttons_record_a_decision_when_served(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    from consistency.review import load_reviews

    found = write_audit(tmp_path / "audit")
    db = tmp_path / "history.sqlite"
    app = FastAPI()
    app.state.service = SimpleNamespace(wait_ready=lambda timeout: True, failure=None)
    add_report_routes(app, tmp_path / "audit", db, protected=[])
    with serve_in_thread(app) as url:
        page, errors = _open(browser, url + "report")
        card = page.locator("article.finding", has_text="7 occurrences")
        card.locator("button", has_text="False alarm").click()
        expect(card.locator(".review-state")).to_contain_text("give your name")
        assert load_reviews(db) == {}
        card.get_by_label("Reviewer").fill("Priya")
        card.get_by_label("Note").fill("KB changed on Monday")
        card.locator("button", has_text="False alarm").click()
        expect(card.locator(".review-state")).to_contain_text("False alarm by Priya")
        expect(card).to_have_attribute("data-review", "false_alarm")
        stored = load_reviews(db)
        assert sorted(stored) == sorted(f.id for f in found[:7])
        assert {(r.reviewer, r.note) for r in stored.values()} == {
            ("Priya", "KB changed on Monday")
        }
        # the review filter now finds it, and a reload shows the stored state
        page.select_option("#filter-review", "false_alarm")
        assert _visible(page) == 1
        page.reload()
        expect(page.locator('article[data-review="false_alarm"]')).to_have_count(1)
        assert errors == []
