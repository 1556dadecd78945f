"""``consistency kb lint``: a KB's contradictions, ambiguities and stale entries, for people and CI.

The CLI layer's face of :mod:`consistency.lint` (every check registered there
runs). Register it with ``kb_app.command("lint")(kb_lint_command)``. The report goes to
stdout (grouped by severity, or ``--json``), diagnostics to stderr. Exit codes:
0 no errors (warnings allowed), 1 at least one error, 2 a KB that does not load
or a bad option. "Today" is read once, here, and passed down.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console, Group
from rich.text import Text

from consistency.cli_support import NoCacheOption

if TYPE_CHECKING:
    from consistency.lint import LintIssue, LintReport
    from consistency.match.encoder import Encoder

__all__ = ["kb_lint_command", "render_lint"]

EXIT_ERRORS = 1
EXIT_USAGE = 2

_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "bold blue"}
_TITLE = {"error": "Errors", "warning": "Warnings", "info": "Info"}


def _day(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"expected a date YYYY-MM-DD, got {value[:50]!r}", param_hint="--today"
        ) from None


def _encoder(model: str | None) -> Encoder:
    """The embedding model; a seam tests replace to reuse the session's model."""
    try:
        from transformers.utils import logging as hf_logging
    except ImportError:  # pragma: no cover - the ONNX backend needs no transformers
        pass
    else:
        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
    from consistency.match import make_encoder

    return make_encoder("auto", model)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _render_issue(issue: LintIssue) -> Text:
    text = Text("  ")
    text.append(f"[{issue.code}]", style=_STYLE[issue.severity])
    text.append(" " + ", ".join(issue.entry_ids))
    if issue.sources:
        text.append("  (" + ", ".join(issue.sources) + ")", style="dim")
    text.append("\n    " + issue.message)
    for span in issue.spans:
        where = f"{span.entry_id}.{span.field}"
        if span.valid_from is not None:
            where += f" (from {span.valid_from})"
        at = f" {list(span.span)}" if span.span is not None else ""
        quoted = span.text if len(span.text) <= 80 else span.text[:79] + "…"
        text.append(f"\n      {where}{at}: {quoted!r}", style="dim")
    return text


def render_lint(report: LintReport, source: str) -> Group:
    """The report for a terminal: a summary line, then one block per severity."""
    counts = (
        f"{_plural(report.errors, 'error')}, {_plural(report.warnings, 'warning')}, "
        f"{report.infos} info"
    )
    head = Text(f"{source}: {report.entries} entries, {counts}")
    head.stylize(
        "bold green" if not report.issues else _STYLE["error" if report.errors else "warning"]
    )
    parts: list[Text] = [head]
    for severity in ("error", "warning", "info"):
        issues = [i for i in report.issues if i.severity == severity]
        if not issues:
            continue
        parts.append(Text(f"\n{_TITLE[severity]} ({len(issues)})", style=_STYLE[severity]))
        parts.extend(_render_issue(i) for i in issues)
    skipped = [c for c in _all_codes() if c not in report.checks]
    if skipped:
        parts.append(Text(f"\nNot checked: {', '.join(skipped)}", style="dim"))
    return Group(*parts)


def _all_codes() -> tuple[str, ...]:
    from consistency.lint import default_checks

    return default_checks.codes


def kb_lint_command(
    path: Annotated[Path, typer.Argument(help="Knowledge base directory or file.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    today: Annotated[
        str | None,
        typer.Option(help="The day expiry is judged on (YYYY-MM-DD); default: today."),
    ] = None,
    model: Annotated[
        str | None, typer.Option(help="A sentence-transformers model name or path.")
    ] = None,
    no_model: Annotated[
        bool,
        typer.Option(
            "--no-model", help="Skip the checks that need the embedding model (fast, for CI)."
        ),
    ] = False,
    no_cache: NoCacheOption = False,
) -> None:
    """Lint a KB: conflicting facts, ambiguous questions, duplicates, version gaps, broken links.

    Exit 0 without errors (warnings allowed), 1 when it finds errors, 2 when the KB
    does not load (kb validate lists why) or an option is bad.
    """
    day = _day(today)
    err = Console(stderr=True, soft_wrap=True)
    from consistency.kb import KnowledgeBase, KnowledgeBaseError
    from consistency.lint import default_checks, lint

    try:
        knowledge_base = KnowledgeBase.load(path)
    except KnowledgeBaseError as exc:
        from consistency.render_cli import render_problems

        err.print(render_problems(exc.problems))
        raise typer.Exit(EXIT_USAGE) from None
    index = None
    matcher = default_checks.matcher_codes  # registered checks run here too
    checks = [c for c in default_checks.codes if not (no_model and c in matcher)]
    if not no_model:
        from consistency.match import Index

        index = Index(knowledge_base, _encoder(model), cache=False if no_cache else None)
    report = lint(knowledge_base, index=index, today=day, checks=checks)
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
    else:
        Console(soft_wrap=True).print(render_lint(report, str(path)))
    raise typer.Exit(EXIT_ERRORS if report.errors else 0)
