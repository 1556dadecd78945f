"""Macros checked against the sample KB: planted wrong ones found, correct ones left alone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from consistency.macros import Macro, check_macros, mask_placeholders
from consistency.macros.check import probe_questions

from .conftest import TRUTH

WRONG = {w["id"]: w for w in TRUTH["wrong"]}
NOT_COVERED = {n["id"] for n in TRUTH["not_covered"]}


def _ids_of(sample_macros) -> list[str]:
    return [m.id for m in sample_macros[0]]


def _findings_by_macro(report) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in report.findings:
        out.setdefault(f.macro_id, []).append(f)
    return out


@pytest.mark.parametrize("macro_id", sorted(WRONG))
def test_every_planted_wrong_macro_is_found(sample_report, macro_id: str) -> None:
    truth = WRONG[macro_id]
    found = _findings_by_macro(sample_report).get(macro_id, [])
    assert [(f.entry_id, f.fact_kind) for f in found] == [(truth["entry_id"], truth["fact_kind"])]
    (finding,) = found
    assert finding.kind == "macro_contradiction"
    assert finding.transcript_ids == () and finding.agent_ids == ()
    assert finding.severity == "high"
    assert macro_id in finding.explanation and truth["entry_id"] in finding.explanation


def _correct_ids() -> list:
    from consistency.macros import read_macros

    from .conftest import MACROS_CSV, ZENDESK_JSON

    ids = [m.id for m in read_macros([MACROS_CSV, ZENDESK_JSON], errors=[])]
    return [i for i in ids if i not in WRONG]


@pytest.mark.parametrize("macro_id", _correct_ids())
def test_correct_macros_raise_no_finding(sample_report, macro_id: str) -> None:
    assert _findings_by_macro(sample_report).get(macro_id, []) == []
    result = next(r for r in sample_report.results if r.macro_id == macro_id)
    assert result.status != "contradiction"
    if macro_id not in NOT_COVERED:
        assert result.status == "consistent", result.explanation


def test_macros_the_kb_does_not_cover_are_not_consistent(sample_report) -> None:
    by_id = {r.macro_id: r for r in sample_report.results}
    assert by_id["MAC-021"].status == "no_match"
    assert by_id["MAC-020"].status in ("no_match", "unverified")


def test_evidence_spans_index_the_macro_body_and_the_kb_answer(
    sample_report, sample_macros, checker
) -> None:
    bodies = {m.id: m.body for m in sample_macros[0]}
    assert sample_report.findings
    for f in sample_report.findings:
        answer, kb = f.evidence[0], f.evidence[1]
        assert (answer.source, kb.source, kb.entry_id) == ("answer", "kb", f.entry_id)
        if answer.span is not None:
            assert bodies[f.macro_id][answer.span[0] : answer.span[1]] == answer.text
        if kb.span is not None:
            canonical = checker.kb.entry(f.entry_id).answer
            assert canonical[kb.span[0] : kb.span[1]] == kb.text
        assert list(f.values) == list(dict.fromkeys([answer.display, kb.display]))


def test_wrong_values_are_normalised_like_audit_findings(sample_report) -> None:
    by_id = {f.macro_id: f for f in sample_report.findings}
    assert by_id["MAC-022"].values == ("30 days", "28 days")
    # the macro's side carries the normalised key, as the audit's answer evidence does
    assert by_id["MAC-023"].evidence[0].value == "24 GBP [per_month]"
    assert by_id["MAC-024"].evidence[0].value == "+443330142209"
    assert by_id["MAC-024"].values == ("0333 014 2209", "0333 014 2290")
    dropped = by_id["MAC-026"].evidence
    assert (dropped[0].text, dropped[1].text) == ("free", "Volt Plus members")


def test_finding_ids_are_unique_and_stable(sample_report, checker, sample_macros) -> None:
    ids = [f.id for f in sample_report.findings]
    assert len(set(ids)) == len(ids) and all(ids)
    again = check_macros(sample_macros[0][:30], checker)
    assert [f.id for f in again.findings] == [
        f.id for f in sample_report.findings if f.macro_id in {m.id for m in sample_macros[0][:30]}
    ]


def test_summary_counts(sample_report, sample_macros) -> None:
    summary = sample_report.summary(sample_macros[1])
    assert summary.macros == len(sample_macros[0]) == 35
    assert summary.matched + summary.no_match == summary.macros
    assert summary.contradictions == len({f.macro_id for f in sample_report.findings})
    assert summary.findings == len(sample_report.findings)
    assert summary.errors == 1 and summary.errors_by_type == {"no-text": 1}
    assert sum(summary.by_entry.values()) == summary.findings
    assert summary.by_entry["returns-window"] >= 1


def test_placeholders_produce_no_facts(checker) -> None:
    import re

    from consistency.compare import facts_for

    body = (
        "Hi {{ticket.requester.first_name}}, you can return most items within 28 days of "
        "delivery, as long as they are unused and in their original packaging. "
        "{{ticket.custom_fields.note | default: 'Refunds within 14 days'}} "
        "{% if ticket.brand %}Call {{ticket.phone | default: '0333 014 2299'}}{% endif %}"
    )
    holes = [m.span() for m in re.finditer(r"\{\{.*?\}\}|\{%.*?%\}", body)]

    def in_holes(facts):  # type: ignore[no-untyped-def]
        return {f.kind for f in facts if any(s <= f.span[0] < e for s, e in holes)}

    assert {"duration", "phone"} <= in_holes(facts_for(body))  # unmasked, they would count
    assert in_holes(facts_for(mask_placeholders(body))) == set()
    report = check_macros([Macro(id="p1", title="Returns - window", body=body)], checker)
    assert (report.results[0].status, report.results[0].entry_id) == (
        "consistent",
        "returns-window",
    )
    assert report.findings == ()


def test_a_body_that_states_kb_facts_matches_without_a_helpful_title(checker) -> None:
    body = "Volt Plus tech support covers up to 5 devices and is available 24/7 on 0333 014 2299."
    (result,) = check_macros([Macro(id="v", title="Macro: VIP", body=body)], checker).results
    assert checker.check("Macro: VIP", body).status == "no_match"  # the title alone
    assert (result.status, result.entry_id) == ("contradiction", "plus-tech-support")
    assert result.question != "Macro: VIP"


def test_on_judges_against_the_version_valid_that_day(checker, sample_macros) -> None:
    stale = next(m for m in sample_macros[0] if m.id == "MAC-022")  # 30 days: the old policy
    current = next(m for m in sample_macros[0] if m.id == "MAC-001")  # 28 days: the new one
    report = check_macros([stale, current], checker, on=dt.date(2026, 6, 1))
    assert [f.macro_id for f in report.findings] == ["MAC-001"]
    assert report.findings[0].values == ("28 days", "30 days")
    assert report.summary().on == dt.date(2026, 6, 1)


def test_no_macros_no_findings(checker) -> None:
    report = check_macros([], checker)
    assert (report.results, report.findings, report.summary().macros) == ((), (), 0)


# -- helpers without the model ------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        (
            "Returns - window",
            "Hi there, thanks. You can return within 28 days.",
            [
                "Returns - window",
                "Returns - window. You can return within 28 days.",
                "Returns - window. Hi there, thanks. You can return within 28 days.",
                "Hi there, thanks. You can return within 28 days.",
            ],
        ),
        ("", "Call   us on 0333 014 2200.", ["Call us on 0333 014 2200."]),
        ("Thanks", "Thank you!", ["Thanks", "Thanks. Thank you!", "Thank you!"]),
    ],
)
def test_probe_questions(title: str, body: str, expected: list[str]) -> None:
    assert probe_questions(title, mask_placeholders(body)) == expected


def test_samples_exist() -> None:
    root = Path(__file__).resolve().parents[2] / "examples"
    assert {w["file"] for w in TRUTH["wrong"]} == {"macros.csv", "zendesk_macros.json"}
    assert all((root / w["file"]).exists() for w in TRUTH["wrong"])
