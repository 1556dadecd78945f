"""``consistency check-macros``: a help desk's canned responses checked against the KB.

Register it on the app with ``app.command("check-macros")(check_macros_command)``.
Findings go to stdout (one line each, or JSON lines with ``--json``) and, with
``--out``, to files as the audit writes them; skipped macros and the summary
line go to stderr. Exit codes: 0 no macro contradicts the KB, 1 at least one
does, 2 usage or input error (bad option, bad KB, a macros file that cannot
be read at all).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from consistency.cli_support import (
    BackendOption,
    ModelOption,
    NoCacheOption,
    encoder_or_exit,
    load_kb_or_exit,
)

__all__ = ["check_macros_command"]

EXIT_CONTRADICTION = 1
EXIT_USAGE = 2


def check_macros_command(
    macros: Annotated[
        list[Path],
        typer.Argument(
            help="Macros: CSV (id, title, body) or a Zendesk macros export (.json).",
            exists=True,
            dir_okay=False,
        ),
    ],
    kb: Annotated[
        Path, typer.Option("--kb", help="Knowledge base directory or file.", show_default=False)
    ],
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write findings.jsonl, summary.json and report.html here."),
    ] = None,
    on: Annotated[
        str | None,
        typer.Option(help="Judge against the KB as on this day (YYYY-MM-DD); default: newest."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print findings as JSON lines.")] = False,
    model: ModelOption = None,
    backend: BackendOption = "auto",
    no_cache: NoCacheOption = False,
    redact_pii: Annotated[
        bool,
        typer.Option(
            "--redact-pii",
            help="Mask personal data (cards, phones and emails the KB does not state, "
            "postcodes, addresses, bank details, NHS, NI and passport numbers, dates of birth, "
            "names) in everything printed or written, macro titles included.",
        ),
    ] = False,
) -> None:
    """Check canned responses against the KB. Exit 0 none contradicts it, 1 some do, 2 bad input."""
    err = Console(stderr=True, soft_wrap=True)
    day = None
    if on is not None:
        try:
            day = dt.date.fromisoformat(on)
        except ValueError:
            raise typer.BadParameter(
                f"expected a date YYYY-MM-DD, got {on[:50]!r}", param_hint="--on"
            ) from None
    from consistency.macros.models import MacroError
    from consistency.macros.readers import MacroFileError, read_macros

    knowledge_base = load_kb_or_exit(kb, err)
    errors: list[MacroError] = []
    try:
        items = read_macros(macros, errors=errors)
    except MacroFileError as exc:
        err.print(f"[red]Error:[/red] {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from None
    redactor = None
    if redact_pii:
        from consistency.macros.redact import redact_macro_errors
        from consistency.redact import Redactor

        redactor = Redactor(knowledge_base)
        errors = redact_macro_errors(errors, redactor)
    for error in errors:
        text = str(error) if redactor is None else redactor.redact_text(str(error))
        err.print(f"[yellow]skipped:[/yellow] {escape(text)}")

    from consistency.checker import Checker
    from consistency.macros.check import check_macros

    encoder = encoder_or_exit(backend, model, err)
    checker = Checker(knowledge_base, encoder=encoder, cache_dir=False if no_cache else None)
    report = check_macros(items, checker, on=day)
    if redactor is not None:  # once, here: stdout and every file show the masked report
        from consistency.macros.redact import redact_macro_report

        report = redact_macro_report(report, items, redactor)
    for f in report.findings:
        if as_json:
            typer.echo(f.model_dump_json())
        else:
            typer.echo(f"{f.macro_id}\t{f.entry_id}\t{f.fact_kind}\t{f.explanation}")
    if out is not None:
        from consistency.macros.outputs import write_macro_outputs

        summary = write_macro_outputs(out, report, errors)
        if redactor is not None:  # what the writers add themselves (paths, headings)
            from consistency.redact import redact_outputs

            redact_outputs(out, redactor=redactor)
    else:
        summary = report.summary(errors)
    where = f" -> {out}" if out is not None else ""
    err.print(
        f"{summary.macros} macros, {summary.matched} matched a KB entry, "
        f"{summary.contradictions} contradict it ({summary.findings} findings), "
        f"{summary.unverified} unverified, {summary.no_match} no KB entry, "
        f"{summary.errors} skipped{where}",
        highlight=False,
        markup=False,
    )
    raise typer.Exit(EXIT_CONTRADICTION if report.findings else 0)
