"""The report people navigate: folded cards, filters' data, contents, reviews, charts."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from consistency.report import render_report
from consistency.report.charts import have_charts
from consistency.report.html import fold
from tests.report.helpers import broken_promise, contradiction, gap, summary_of, visible_text


def _seven() -> list:
    """One problem (a1..a3 saying 14 days against the KB's 7) raised in seven conversations."""
    return [
        contradiction(
            transcript_ids=(f"chat-{i}",),
            agent_ids=(f"a{i % 3 + 1}",),
        )
        for i in range(7)
    ]


def test_one_problem_in_seven_conversations_is_one_card() -> None:
    findings = _seven()
    assert len({f.id for f in findings}) == 7
    groups = fold(findings)
    assert [len(g) for g in groups] == [7]
    html = render_report(findings, summary_of(findings))
    assert html.count("<article") == 1
    assert "<b>7</b> occurrences" in html
    assert "7 conversations" in visible_text(html)
    assert "agents: a1, a2, a3" in visible_text(html)
    assert "All 7 occurrences" in html
    # every occurrence stays reachable by its id (links from findings.jsonl, the review API)
    for f in findings:
        assert f'id="f-{f.id}"' in html


def test_other_values_or_kinds_are_not_folded_together() -> None:
    other = contradiction(values=("21 days", "7 days"), transcript_ids=("chat-9",))
    findings = [*_seven(), other, gap(), broken_promise()]
    assert sorted(len(g) for g in fold(findings)) == [1, 1, 1, 7]


def test_cards_carry_what_the_filters_read() -> None:
    findings = [*_seven(), gap(), broken_promise()]
    html = render_report(findings, summary_of(findings))
    card = re.search(r'<article class="finding high" ([^>]*)>', html).group(1)
    assert 'data-kind="kb_contradiction"' in card
    assert 'data-entry="click-and-collect"' in card
    assert 'data-agents="a1 a2 a3"' in card
    assert 'data-days="2026-03-30"' in card
    assert 'data-review="unreviewed"' in card
    assert 'data-count="7"' in card
    # the toolbar offers each agent, entry and day, and the kinds in plain words
    for option in ("a1", "a2", "a3", "click-and-collect", "2026-03-30", "2026-04-01"):
        assert f'<option value="{option}">' in html
    assert '<option value="kb_gap">Question the KB does not answer</option>' in html
    # inline script, nothing fetched
    assert "<script>" in html and "src=" not in html and "http" not in html.split("<script>")[1]


def test_contents_link_to_every_section() -> None:
    findings = [contradiction(), gap(), broken_promise()]
    html = render_report(findings, summary_of(findings))
    nav = html[html.index('<nav id="contents">') : html.index("</nav>")]
    for target in re.findall(r'href="#([^"]+)"', nav):
        assert f'id="{target}"' in html, target
    assert "Broken promises" in nav and "Agents" in nav


def test_broken_promises_are_filed_under_their_topic() -> None:
    with_topic = (
        broken_promise()
        .model_copy(update={"topic": "Refunds", "transcript_ids": ("call-7", "chat-8")})
        .with_id()
    )
    html = render_report([with_topic, broken_promise()], summary_of([with_topic]))
    section = html[html.index('id="k-broken_promise"') :]
    assert "<h3>Refunds</h3>" in section
    assert "<h3>Promised: callback</h3>" in section
    assert "<h3>-</h3>" not in html and "<h3>(no KB entry)</h3>" not in html


def test_agents_are_ranked_per_100_exchanges() -> None:
    findings = _seven()
    summary = summary_of(findings).model_copy(
        update={
            "agents": {
                "a1": {"exchanges": 200, "kb_contradiction": 3},
                "a2": {"exchanges": 10, "kb_contradiction": 2},
            }
        }
    )
    html = render_report(findings, summary)
    table = html[html.index('<section id="agents">') :]
    assert "<th>Per 100 exchanges</th>" in table
    assert "<td>20.0</td>" in table and "<td>1.5</td>" in table
    assert table.index("<td>a2</td>") < table.index("<td>a1</td>")


def test_a_static_report_shows_reviews_read_only() -> None:
    findings = _seven()
    reviews = {
        f.id: SimpleNamespace(
            decision="false_alarm", reviewer="Priya", note="policy changed", decided_at="2026-04-02"
        )
        for f in findings
    }
    html = render_report(findings, summary_of(findings), reviews=reviews)
    assert 'data-review="false_alarm"' in html
    assert "Review: <b>False alarm</b> by Priya: policy changed" in html
    assert "<button" not in html and "<body data-review-url" not in html
    one = render_report(findings, summary_of(findings), reviews=dict(list(reviews.items())[:1]))
    assert 'data-review="mixed"' in one


def test_a_served_report_has_buttons_for_every_occurrence() -> None:
    findings = _seven()
    html = render_report(findings, summary_of(findings), review_url="/report/review")
    assert 'data-review-url="/report/review"' in html
    assert html.count('data-decision="') == 3
    ids = re.search(r'<div class="review" data-ids="([^"]+)"', html).group(1).split()
    assert sorted(ids) == sorted(f.id for f in findings)


def test_review_text_is_escaped() -> None:
    findings = [contradiction()]
    reviews = {
        findings[0].id: SimpleNamespace(
            decision="confirmed",
            reviewer="<b>x</b>",
            note="<script>alert(1)</script>",
            decided_at="",
        )
    }
    html = render_report(findings, summary_of(findings), reviews=reviews)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


@pytest.mark.skipif(not have_charts(), reason="matplotlib is not installed")
def test_charts_are_inline_svg_from_the_history() -> None:
    findings = _seven()
    trends = {"runs": ["2026-03-30", "2026-03-31"], "totals": {"2026-03-30": 4, "2026-03-31": 3}}
    summary = summary_of(findings).model_copy(
        update={"by_entry": {"click-and-collect": 7, "returns": 2}, "trends": trends}
    )
    html = render_report(findings, summary)
    charts = html[html.index('<section id="charts">') :]
    assert charts.count("<svg") == 3
    assert "Findings per night" in charts and "KB entries behind most findings" in charts
    assert "<?xml" not in html


def test_without_matplotlib_charts_become_a_note(monkeypatch) -> None:
    import consistency.report.charts as charts

    monkeypatch.setattr(charts, "have_charts", lambda: False)
    findings = _seven()
    summary = summary_of(findings).model_copy(update={"by_entry": {"click-and-collect": 7}})
    html = render_report(findings, summary)
    assert "<svg" not in html
    assert "matplotlib is not installed" in html
    assert "<td>click-and-collect</td><td>7</td>" in html


def test_write_outputs_shows_reviews_in_the_file_report(tmp_path) -> None:
    from consistency.report.writers import write_outputs

    findings = [contradiction()]
    reviews = {
        findings[0].id: SimpleNamespace(
            decision="wont_fix", reviewer="Sam", note="", decided_at="2026-04-02"
        )
    }
    write_outputs(tmp_path, findings, summary_of(findings), [], reviews=reviews)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Review: <b>Won&#x27;t fix</b> by Sam" in html
    assert "<button" not in html


def test_reviewed_precision_is_shown_in_plain_words() -> None:
    findings = [contradiction()]
    precision = {
        "by_kind": {
            "kb_contradiction": {
                "reviewed": 4, "confirmed": 2, "false_alarm": 1, "wont_fix": 1, "precision": 0.75
            }
        },
        "by_fact_kind": {},
        "by_entry": {
            "unknown": {"reviewed": 1, "confirmed": 0, "false_alarm": 1, "wont_fix": 0, "precision": 0.0}
        },
    }  # fmt: skip
    summary = summary_of(findings).model_copy(
        update={"reviewed_precision": precision, "suppressed": 3}
    )
    html = render_report(findings, summary)
    section = html[html.index('<section id="precision">') : html.index('<section id="agents">')]
    assert (
        "<tr><td>KB contradiction</td><td>4</td><td>2</td><td>1</td><td>1</td><td><b>75%</b>"
        in section
    )
    assert "<td>Not recorded</td>" in section and "By fact" not in section
    assert '<a href="#precision">' in html
    assert "<b>3</b>Not raised again (judged false alarms)" in html
    assert "kb_contradiction" not in visible_text(html)
