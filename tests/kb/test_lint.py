"""``consistency kb lint``: every planted problem found, nothing else; the sample KB clean."""

from __future__ import annotations

import datetime as dt
import doctest
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from consistency.kb import KnowledgeBase
from consistency.lint import (
    LINT_CODES,
    MATCHER_CODES,
    SEVERITIES,
    LintIssue,
    LintReport,
    lint,
)
from consistency.lint_cli import kb_lint_command
from consistency.match import Index

from ..conftest import DATA, SAMPLE_KB

PLANTED = DATA / "kb_lint"
TODAY = dt.date(2026, 10, 1)
FAST = [c for c in LINT_CODES if c not in MATCHER_CODES]

# Every issue in tests/data/kb_lint: (code, entry ids, fields, span texts).
# fmt: off
EXPECTED: list[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = [
    ("conflicting-facts", ("fraud-line", "report-fraud"), ("answer",),
     ("020 7946 0321", "020 7946 0999")),
    ("conflicting-facts", ("plus-price", "plus-join"), ("answer",), ("£59", "£49")),
    ("conflicting-facts", ("payment-methods", "pay-in-store"), ("answer",),
     ("We do not accept cheques", "you can pay by cheque")),
    ("broken-url", ("help-centre",), ("answer",), ("https://www.voltstream/help",)),
    ("broken-url", ("help-centre",), ("answer",), ("http//www.voltstream.co.uk/guides",)),
    ("broken-url", ("track-order",), ("answer",), ("https://www.voltstream.co .uk/track",)),
    ("broken-email", ("complaints",), ("answer",), ("complaints@voltstream",)),
    ("broken-email", ("contact-email",), ("answer",), ("help@@voltstream.co.uk",)),
    ("ambiguous-question", ("warranty-own-brand", "returns-window"), ("questions.2",),
     ("How do I return something I bought?", "Can I send something back?")),
    ("duplicate-question", ("store-hours", "store-finder"), ("questions.0", "questions.1"),
     ("What time do stores open?", "What time do stores open?")),
    ("near-duplicate-answer", ("gift-card-balance", "gift-card-check"), ("answer",), ()),
    ("version-gap", ("delivery-standard",), ("valid_to", "valid_from"),
     ("2026-03-31", "2026-04-10")),
    ("expired-entry", ("summer-sale",), ("valid_to",), ("2026-08-31",)),
    ("no-checkable-fact", ("gift-wrap",), ("answer",),
     ("Gift wrapping is available on selected items in the basket.",)),
]
# The shipped sample KB is lint-clean: no warning is allowed.
SAMPLE_KNOWN_WARNINGS: set[tuple[str, tuple[str, ...]]] = set()
# fmt: on


@pytest.fixture(scope="module")
def planted_kb() -> KnowledgeBase:
    return KnowledgeBase.load(PLANTED)


@pytest.fixture(scope="module")
def planted_index(planted_kb: KnowledgeBase, encoder) -> Index:  # type: ignore[no-untyped-def]
    return Index(planted_kb, encoder, cache=False)


@pytest.fixture(scope="module")
def planted(planted_kb: KnowledgeBase, planted_index: Index) -> LintReport:
    return lint(planted_kb, index=planted_index, today=TODAY)


def _key(issue: LintIssue) -> tuple[str, tuple[str, ...]]:
    return issue.code, issue.entry_ids


def _field_text(kb: KnowledgeBase, entry_id: str, field: str, valid_from: dt.date | None) -> str:
    versions = kb.versions(entry_id)
    entry = next(v for v in versions if valid_from is None or v.valid_from == valid_from)
    if field.startswith("questions."):
        return entry.questions[int(field.split(".")[1])]
    return str(getattr(entry, field))


# -- the planted KB ------------------------------------------------------------------------


@pytest.mark.model
def test_every_planted_problem_is_found_and_nothing_else(planted: LintReport) -> None:
    got = [(i.code, i.entry_ids) for i in planted.issues]
    assert sorted(got) == sorted((code, ids) for code, ids, _, _ in EXPECTED)


@pytest.mark.model
@pytest.mark.parametrize("expected", EXPECTED, ids=lambda e: f"{e[0]}:{'+'.join(e[1])}")
def test_planted_issue_has_code_entries_fields_and_spans(
    planted: LintReport, expected: tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]
) -> None:
    code, ids, fields, texts = expected
    matches = [i for i in planted.issues if _key(i) == (code, ids)]
    if texts:
        matches = [i for i in matches if tuple(s.text for s in i.spans)[: len(texts)] == texts]
    assert len(matches) == 1, [i.model_dump() for i in planted.issues if i.code == code]
    issue = matches[0]
    assert issue.severity == SEVERITIES[code]
    assert issue.fields == fields
    assert issue.message and all(e in issue.message for e in ids)
    assert len(issue.sources) == len(ids) and all(".yaml:" in s for s in issue.sources)


@pytest.mark.model
def test_spans_quote_the_field_they_point_into(planted_kb: KnowledgeBase, planted: LintReport):
    for issue in planted.issues:
        assert issue.spans, issue
        for span in issue.spans:
            field = _field_text(planted_kb, span.entry_id, span.field, span.valid_from)
            if span.span is None:
                assert field == span.text  # a date field, as ISO text
            else:
                assert field[span.span[0] : span.span[1]] == span.text


@pytest.mark.model
def test_issues_are_sorted_by_severity_then_code(planted: LintReport) -> None:
    order = {"error": 0, "warning": 1, "info": 2}
    keys = [(order[i.severity], LINT_CODES.index(i.code)) for i in planted.issues]
    assert keys == sorted(keys)
    assert (planted.errors, planted.warnings, planted.infos) == (8, 5, 1)
    assert not planted.ok


@pytest.mark.model
def test_report_round_trips_through_json(planted: LintReport) -> None:
    again = LintReport.model_validate_json(planted.model_dump_json())
    assert again == planted


def test_docstring_examples_run() -> None:
    import consistency.lint as module

    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted and result.failed == 0


def test_every_code_has_a_planted_case_and_a_severity() -> None:
    planted_codes = {code for code, _, _, _ in EXPECTED}
    assert planted_codes == set(LINT_CODES)
    assert set(SEVERITIES) == set(LINT_CODES)


def test_fast_checks_need_no_model(planted_kb: KnowledgeBase) -> None:
    report = lint(planted_kb, today=TODAY, checks=FAST)
    assert set(report.checks) == set(FAST)
    expected = sorted((c, ids) for c, ids, _, _ in EXPECTED if c not in MATCHER_CODES)
    assert sorted(_key(i) for i in report.issues) == expected


# -- options ---------------------------------------------------------------------------------


def test_unknown_check_names_the_known_codes(planted_kb: KnowledgeBase) -> None:
    with pytest.raises(
        ValueError, match=r"unknown lint code.*'typo'.*known codes: conflicting-facts"
    ):
        lint(planted_kb, checks=["typo"])  # type: ignore[list-item]


def test_without_today_expiry_is_not_checked(planted_kb: KnowledgeBase) -> None:
    report = lint(planted_kb, checks=["expired-entry", "version-gap"])
    assert report.checks == ("version-gap",) and report.today is None
    assert [i.code for i in report.issues] == ["version-gap"]


def test_an_index_over_another_kb_is_refused(planted_kb: KnowledgeBase, fake_encoder) -> None:  # type: ignore[no-untyped-def]
    other = KnowledgeBase.from_entries(
        [{"id": "x", "questions": ["q?"], "answer": "A 5 day wait."}]
    )
    with pytest.raises(ValueError, match="another KB"):
        lint(planted_kb, index=Index(other, fake_encoder, cache=False), checks=FAST)


# -- single checks on small KBs ------------------------------------------------------------------


def _kb(*entries: dict[str, object]) -> KnowledgeBase:
    return KnowledgeBase.from_entries(entries)  # type: ignore[arg-type]


def _entry(entry_id: str, answer: str, **extra: object) -> dict[str, object]:
    return {"id": entry_id, "questions": [f"question about {entry_id}?"], "answer": answer, **extra}


def _codes(kb: KnowledgeBase, *checks: str, today: dt.date | None = None) -> list[tuple[str, ...]]:
    report = lint(kb, checks=checks or FAST, today=today)  # type: ignore[arg-type]
    return [(i.code, *i.entry_ids) for i in report.issues]


def test_conflicts_only_between_versions_valid_at_the_same_time() -> None:
    old = _entry("fraud-old", "Call our fraud team on 020 7946 0321.", valid_to="2026-03-31")
    new = _entry("fraud-new", "Call our fraud team on 020 7946 0999.", valid_from="2026-04-01")
    assert _codes(_kb(old, new), "conflicting-facts") == []
    both = _entry("fraud-new", "Call our fraud team on 020 7946 0999.", valid_from="2026-03-01")
    assert _codes(_kb(old, both), "conflicting-facts") == [
        ("conflicting-facts", "fraud-old", "fraud-new")
    ]


# fmt: off
CONFLICT = [
    # a condition clause after the number sets the scene, it does not change the line
    ("If you think someone has used your account, call our fraud team on 020 7946 0321.",
     "Call the fraud team on 020 7946 0000 if your account is hacked.",
     ("020 7946 0321", "020 7946 0000")),
    # "and covers ..." starts another statement
    ("Volt Care for phones costs £7.99 a month and covers accidental damage and theft.",
     "Volt Care for phones costs £8.99 a month.", ("£7.99", "£8.99")),
    ("Call our customer service team on 0333 014 2200.",
     "For help with an order, call our customer service team on 0333 014 2299.",
     ("0333 014 2200", "0333 014 2299")),
    ("After 5 incorrect password attempts your account is locked for 1 hour to keep it safe.",
     "After 3 incorrect password attempts your account is locked for 1 hour.",
     ("5 incorrect password attempts", "3 incorrect password attempts")),
    ("For advice, call our sales team free on 0800 048 7710.",
     "Call our sales team on 0800 048 7799 for advice.", ("0800 048 7710", "0800 048 7799")),
]
# fmt: on


@pytest.mark.parametrize(("a", "b", "texts"), CONFLICT)
def test_conflict_on_the_same_subject(a: str, b: str, texts: tuple[str, str]) -> None:
    report = lint(_kb(_entry("a", a), _entry("b", b)), checks=["conflicting-facts"])
    assert [tuple(s.text for s in i.spans) for i in report.issues] == [texts]
    assert [i.entry_ids for i in report.issues] == [("a", "b")]


# fmt: off
NO_CONFLICT = [
    # two things with one price shape: each names what the other does not
    ("Standard delivery costs £3.99.", "Next day delivery costs £6.99."),
    # a member price against everyone's price
    ("Volt Plus members get free next day delivery.", "Next day delivery costs £6.99."),
    # thresholds of two finance plans
    ("Pay over 12 months on orders over £299.", "Pay over 36 months on orders over £499."),
    # two helplines
    ("Call our sales team on 0800 048 7710.", "Call our repairs team on 0333 014 2255."),
    # "call us" names nothing
    ("Call us on 0800 048 7710.", "Call us on 0333 014 2255."),
    # the same value is no conflict
    ("Call our fraud team on 020 7946 0321.", "For fraud, call our fraud team on 020 7946 0321."),
]
# fmt: on


@pytest.mark.parametrize(("a", "b"), NO_CONFLICT)
def test_no_conflict_without_the_same_subject(a: str, b: str) -> None:
    assert _codes(_kb(_entry("a", a), _entry("b", b)), "conflicting-facts") == []


def test_version_gap_needs_a_missing_day() -> None:
    v1 = _entry("x", "It takes 5 days.", valid_to="2026-03-31")
    v2 = _entry("x", "It takes 6 days.", valid_from="2026-04-01")
    assert _codes(_kb(v1, v2), "version-gap") == []
    v2 = _entry("x", "It takes 6 days.", valid_from="2026-04-02")
    report = lint(_kb(v1, v2), checks=["version-gap"])
    (issue,) = report.issues
    assert "from 2026-04-01 to 2026-04-01 (1 day)" in issue.message
    assert [s.valid_from for s in issue.spans] == [None, dt.date(2026, 4, 2)]


def test_expired_only_without_a_successor() -> None:
    kb = _kb(_entry("x", "It takes 5 days.", valid_to="2026-03-31"))
    assert _codes(kb, "expired-entry", today=dt.date(2026, 3, 31)) == []
    assert _codes(kb, "expired-entry", today=dt.date(2026, 4, 1)) == [("expired-entry", "x")]


# fmt: off
URLS = [
    ("See https://www.voltstream.co.uk/returns.", None),
    ("See www.voltstream.co.uk/returns, or call.", None),
    ("See http://voltstream.co.uk/a?b=c#d.", None),
    ("See voltstream.co.uk/returns.", None),                     # no scheme: fine
    ("See https://voltstream.co.uk:8080/x.", None),
    ("See https://www.voltstream/help.", "https://www.voltstream/help"),
    ("See https://voltstream/help.", "https://voltstream/help"),
    ("See http//www.voltstream.co.uk.", "http//www.voltstream.co.uk"),
    ("See https:/voltstream.co.uk.", "https:/voltstream.co.uk"),
    ("See htps://voltstream.co.uk.", "htps://voltstream.co.uk"),
    ("See ftp://voltstream.co.uk/x.", "ftp://voltstream.co.uk/x"),
    ("See https://volt_stream.co.uk.", "https://volt_stream.co.uk"),
    ("See https://voltstream.co.uk:99999/x.", "https://voltstream.co.uk:99999/x"),
    ("See https://www.voltstream.co .uk/track now.", "https://www.voltstream.co .uk/track"),
]
# fmt: on


@pytest.mark.parametrize(("text", "broken"), URLS)
def test_url_syntax(text: str, broken: str | None) -> None:
    report = lint(_kb(_entry("x", text)), checks=["broken-url"])
    assert [s.text for i in report.issues for s in i.spans] == ([broken] if broken else [])


# fmt: off
EMAILS = [
    ("Email help@voltstream.co.uk.", None),
    ("Email first.last+tag@voltstream.co.uk today.", None),
    ("Tweet @VoltstreamHelp any time.", None),                   # a handle, not an address
    ("[Email us](mailto:help@voltstream.co.uk).", None),
    ("[Email us](mailto:help@voltstream).", "help@voltstream"),
    ("Email help@voltstream.", "help@voltstream"),
    ("Email help@@voltstream.co.uk.", "help@@voltstream.co.uk"),
    ("Email help.@voltstream.co.uk.", "help.@voltstream.co.uk"),
    ("Email help@voltstream..co.uk.", "help@voltstream..co.uk"),
    ("Email help @ voltstream.co.uk.", "help @ voltstream.co.uk"),
    ("Email help@ voltstream.co.uk.", "help@ voltstream.co.uk"),
    ("Email @voltstream.co.uk.", "@voltstream.co.uk"),
]
# fmt: on


@pytest.mark.parametrize(("text", "broken"), EMAILS)
def test_email_syntax(text: str, broken: str | None) -> None:
    report = lint(_kb(_entry("x", text)), checks=["broken-email"])
    assert [s.text for i in report.issues for s in i.spans] == ([broken] if broken else [])


def test_duplicate_questions_are_matched_by_key() -> None:
    a = {"id": "a", "questions": ["Can't I return it?"], "answer": "Within 30 days."}
    b = {"id": "b", "questions": ["can not i return it"], "answer": "Within 14 days."}
    assert _codes(_kb(a, b), "duplicate-question") == [("duplicate-question", "a", "b")]


# -- the shipped sample KB -------------------------------------------------------------------------


@pytest.mark.model
def test_sample_kb_has_no_errors(checker, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    report = lint(checker.kb, index=checker.index, today=dt.date(2026, 11, 24))
    assert report.errors == 0, [i.message for i in report.issues if i.severity == "error"]
    warnings = {_key(i) for i in report.issues if i.severity == "warning"}
    assert warnings <= SAMPLE_KNOWN_WARNINGS, warnings - SAMPLE_KNOWN_WARNINGS
    assert report.infos == 0
    with capsys.disabled():
        print(f"\nsample KB lint: {report.errors} errors, {report.warnings} warnings")


# -- the command ---------------------------------------------------------------------------


def _app() -> typer.Typer:
    app = typer.Typer()
    kb_app = typer.Typer()
    app.add_typer(kb_app, name="kb")
    kb_app.command("lint")(kb_lint_command)
    return app


runner = CliRunner()


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")


def test_cli_groups_by_severity_and_exits_1_on_errors() -> None:
    args = ["kb", "lint", str(PLANTED), "--no-model", "--today", "2026-10-01"]
    result = runner.invoke(_app(), args)
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert out.index("Errors (8)") < out.index("Warnings (3)") < out.index("Info (1)")
    assert "[conflicting-facts] fraud-line, report-fraud" in out
    assert "report-fraud.answer [71, 84]: '020 7946 0999'" in out
    assert "Not checked: ambiguous-question, near-duplicate-answer" in out


@pytest.mark.model
def test_cli_json_is_the_report(encoder, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("consistency.lint_cli._encoder", lambda model: encoder)
    args = ["kb", "lint", str(PLANTED), "--json", "--today", "2026-10-01", "--no-cache"]
    result = runner.invoke(_app(), args)
    assert result.exit_code == 1, result.output
    report = LintReport.model_validate(json.loads(result.stdout))
    assert sorted(_key(i) for i in report.issues) == sorted((c, ids) for c, ids, _, _ in EXPECTED)


def test_cli_sample_kb_passes_without_model() -> None:
    args = ["kb", "lint", str(SAMPLE_KB), "--no-model", "--today", "2026-11-24"]
    result = runner.invoke(_app(), args)
    assert result.exit_code == 0, result.output
    assert "71 entries, 0 errors, 0 warnings, 0 info" in result.stdout


def test_cli_kb_that_does_not_load_exits_2(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("- id: x\n  questions: []\n  answer: hi\n")
    result = runner.invoke(_app(), ["kb", "lint", str(tmp_path), "--no-model"])
    assert result.exit_code == 2
    assert "problem" in result.stderr and "bad.yaml" in result.stderr


def test_cli_bad_today_exits_2() -> None:
    result = runner.invoke(_app(), ["kb", "lint", str(PLANTED), "--today", "tomorrow"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output


def test_holiday_hours_and_two_teams_lines_are_not_conflicts() -> None:
    kb = _kb(
        {"id": "store-hours", "questions": ["When are stores open?"],
         "answer": "Most stores are open 9am to 6pm Monday to Saturday and 10am to 4pm on Sunday."},
        {"id": "holiday-hours", "questions": ["Are you open on bank holidays?"],
         "answer": "On bank holidays, our stores open 10am to 4pm and Customer Support is open 9am to 5pm."},
        {"id": "contact", "questions": ["How do I call you?"],
         "answer": "Call Customer Support on 0808 157 0100."},
        {"id": "arrears", "questions": ["I can't pay my bill"],
         "answer": "Call our Financial Support team on 0808 157 0275 to set up a plan."},
    )  # fmt: skip
    # (the same team with two numbers is still a conflict: the planted KB's fraud lines)
    assert lint(kb, checks=["conflicting-facts"]).by_code("conflicting-facts") == []
