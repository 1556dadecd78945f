"""The lint's registry: the shipped checks, checks users add, and kb/ staying below it."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from consistency.kb import KnowledgeBase
from consistency.lint import (
    LINT_CODES,
    MATCHER_CODES,
    SEVERITIES,
    LintCheck,
    LintRegistry,
    answer_span,
    default_checks,
    lint,
    register_check,
)

from ..conftest import SAMPLE_KB

FAST = [c for c in LINT_CODES if c not in MATCHER_CODES]


def _kb() -> KnowledgeBase:
    return KnowledgeBase.from_entries(
        [
            {"id": "hours", "questions": ["When are you open?"], "answer": "NINE TO FIVE."},
            {
                "id": "help",
                "questions": ["Where is help?"],
                "answer": "See https://www.example/help for help.",
            },
        ]
    )


def _shouting(ctx):
    for entry in ctx.kb.entries:
        if entry.answer.isupper():
            span = answer_span(entry, (0, len(entry.answer)), versioned=False)
            yield ctx.issue("shouting", [span], f"'{entry.id}' shouts.", (entry,))


def test_the_shipped_checks_report_the_shipped_codes_in_order():
    assert default_checks.codes == LINT_CODES
    assert {c: default_checks.severity(c) for c in LINT_CODES} == SEVERITIES
    assert default_checks.matcher_codes == MATCHER_CODES
    assert len(default_checks.names) == 7  # broken links and versions report two codes each


def test_a_registered_check_runs_with_its_own_severity_after_the_shipped_codes():
    mine = LintRegistry(default_checks)
    mine.register(LintCheck("shouting", {"shouting": "error"}, _shouting))
    report = lint(_kb(), checks=[*FAST, "shouting"], registry=mine)
    assert [(i.code, i.severity, i.entry_ids) for i in report.issues] == [
        ("broken-url", "error", ("help",)),
        ("shouting", "error", ("hours",)),
        ("no-checkable-fact", "info", ("hours",)),
    ]
    assert report.checks[-1] == "shouting" and not report.ok
    assert "shouting" not in lint(_kb(), checks=FAST).checks  # the default registry is untouched


def test_a_taken_name_or_code_is_refused_unless_replaced():
    mine = LintRegistry()
    register_check("shouting", {"shouting": "info"}, registry=mine)(_shouting)
    with pytest.raises(ValueError, match="already registered"):
        mine.register(LintCheck("shouting", {"shouting": "info"}, _shouting))
    with pytest.raises(ValueError, match="shouting are reported by another check"):
        mine.register(LintCheck("loud", {"shouting": "info"}, _shouting))
    mine.register(LintCheck("shouting", {"shouting": "warning"}, _shouting), replace=True)
    assert mine.severity("shouting") == "warning"
    assert [i.severity for i in lint(_kb(), registry=mine).issues] == ["warning"]


def test_an_unknown_code_lists_every_registered_one():
    mine = LintRegistry([LintCheck("shouting", {"shouting": "info"}, _shouting)])
    with pytest.raises(
        ValueError, match=r"unknown lint code\(s\) 'whispering'; known codes: shouting"
    ):
        lint(_kb(), checks=["whispering"], registry=mine)


def test_a_dated_code_is_skipped_without_a_day():
    seen: list[dt.date | None] = []

    def stale(ctx):
        seen.append(ctx.today)
        return []

    mine = LintRegistry(
        [LintCheck("stale", {"stale": "warning"}, stale, dated=frozenset({"stale"}))]
    )
    assert lint(_kb(), registry=mine).checks == () and seen == []
    assert lint(_kb(), registry=mine, today=dt.date(2026, 1, 2)).checks == ("stale",)
    assert seen == [dt.date(2026, 1, 2)]


def test_the_cli_runs_checks_registered_in_the_default_registry(monkeypatch):
    import typer
    from typer.testing import CliRunner

    from consistency.lint_cli import kb_lint_command

    monkeypatch.setattr(default_checks, "_by_name", dict(default_checks._by_name))
    register_check("shouting", {"shouting": "error"})(_shouting)
    app = typer.Typer()
    app.command("lint")(kb_lint_command)
    app.command("noop")(lambda: None)
    result = CliRunner().invoke(app, ["lint", str(SAMPLE_KB), "--no-model", "--json"])
    assert '"shouting"' in result.output and result.exit_code == 0


def test_the_old_kb_lint_path_gives_the_same_names():
    import consistency.kb.lint as old
    import consistency.lint as new

    assert old.lint is new.lint and old.LintReport is new.LintReport
    assert old.LINT_CODES == LINT_CODES
    with pytest.raises(AttributeError):
        old.default_checks  # noqa: B018 - only the names that moved are kept


def test_the_kb_stage_loads_nothing_above_it():
    code = (
        "import json, sys, consistency.kb, consistency.kb.lint; "
        "print(json.dumps(sorted({m.split('.')[1] for m in sys.modules "
        "if m.startswith('consistency.')})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(json.loads(out.stdout))
    assert loaded.isdisjoint({"lint", "match", "compare", "facts", "checker", "cli"}), loaded
