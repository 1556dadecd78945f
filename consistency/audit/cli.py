"""``consistency audit``: the nightly audit from the command line.

Register it on the app with ``app.command("audit")(audit_command)``. The
encoder options are ``check``'s: the int8 ONNX MiniLM by default, about a third
of torch's CPU per question (the audit's cost is mostly embedding questions). Results
go to files in ``--out``; a one-line summary goes to stdout and diagnostics to
stderr. Exit codes: 0 when the audit ran (findings are not failures), 2 for a
bad KB, bad options or a resume that does not match the earlier run.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from consistency.cli_support import BackendOption, ModelOption, encoder_or_exit, load_kb_or_exit

__all__ = ["audit_command"]

EXIT_USAGE = 2


def _day(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"expected a date YYYY-MM-DD, got {value[:50]!r}", param_hint=option
        ) from None


def audit_command(
    transcripts: Annotated[
        list[Path],
        typer.Argument(help="Transcript files or folders (JSONL, CSV, Contact Lens).", exists=True),
    ],
    kb: Annotated[
        Path, typer.Option("--kb", help="Knowledge base directory or file.", show_default=False)
    ],
    out: Annotated[Path, typer.Option("--out", help="Output folder.", show_default=False)],
    since: Annotated[
        str | None, typer.Option(help="Only conversations from this day (YYYY-MM-DD).")
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Only conversations up to this day (YYYY-MM-DD).")
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue an interrupted audit in --out.")
    ] = False,
    history: Annotated[
        Path | None, typer.Option(help="SQLite file of earlier runs, for trends.")
    ] = None,
    no_progress: Annotated[
        bool, typer.Option("--no-progress", help="Do not show the progress bar.")
    ] = False,
    model: ModelOption = None,
    backend: BackendOption = "auto",
    engine: Annotated[
        str, typer.Option(help="Where the stages run: local (this process) or ray (Ray Data).")
    ] = "local",
    workers: Annotated[
        int | None, typer.Option(min=1, help="Ray workers (--engine ray); default one per CPU.")
    ] = None,
    ray_address: Annotated[
        str | None,
        typer.Option(help="A running Ray cluster's address (--engine ray); default: local."),
    ] = None,
    formats: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            help="Findings files: jsonl (always written) and/or parquet (adds "
            "findings.parquet; the 'frames' extra). Repeat for several.",
            show_default="jsonl",
        ),
    ] = None,
    redact_pii: Annotated[
        bool,
        typer.Option(
            "--redact-pii",
            help="Mask customers' personal data (cards, phones, emails, postcodes, bank "
            "details, dates of birth, names) in every output; the KB's own facts stay. "
            "OUT/state is deleted at the end, so the run cannot be resumed.",
        ),
    ] = False,
    fulfilment: Annotated[
        Path | None,
        typer.Option(
            "--fulfilment",
            help="CSV of promised jobs done (customer_id, kind, fulfilled_at; empty "
            "fulfilled_at: never done): promises it shows kept late or never are "
            "broken_promise findings.",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
) -> None:
    """Audit transcripts: KB contradictions, disagreements, repeat contacts, gaps, broken promises."""
    err = Console(stderr=True, soft_wrap=True)
    since_day, until_day = _day(since, "--since"), _day(until, "--until")
    if since_day and until_day and since_day > until_day:
        raise typer.BadParameter(f"{since_day} is after --until {until_day}", param_hint="--since")
    from consistency.report.writers import FINDINGS_FORMATS, check_formats

    try:
        chosen = check_formats(formats or ["jsonl"])
    except ValueError:
        raise typer.BadParameter(
            f"one of {', '.join(FINDINGS_FORMATS)}", param_hint="--format"
        ) from None
    except ImportError as exc:
        err.print(f"[red]Error:[/red] {exc}")
        raise typer.Exit(EXIT_USAGE) from None

    knowledge_base = load_kb_or_exit(kb, err)

    from consistency.audit.pipeline import audit
    from consistency.audit.state import AuditUsageError
    from consistency.checker import Checker
    from consistency.ingest import UnsupportedFormatError

    encoder = encoder_or_exit(backend, model, err)
    checker = Checker(knowledge_base, encoder=encoder)
    try:
        summary = audit(
            transcripts,
            knowledge_base,
            out=out,
            checker=checker,
            since=since_day,
            until=until_day,
            resume=resume,
            history=history,
            progress=not no_progress,
            engine=engine,
            workers=workers,
            ray_address=ray_address,
            formats=chosen,
            redact_pii=redact_pii,
            fulfilment=fulfilment,
        )
    except ImportError as exc:
        err.print(f"[red]Error:[/red] --engine ray needs the 'distributed' extra ({exc})")
        raise typer.Exit(EXIT_USAGE) from None
    except (AuditUsageError, UnsupportedFormatError) as exc:
        err.print(f"[red]Error:[/red] {exc}")
        raise typer.Exit(EXIT_USAGE) from None
    kinds = ", ".join(f"{n} {k}" for k, n in summary.by_kind.items())
    typer.echo(
        f"{summary.conversations} conversations, {summary.exchanges} exchanges, "
        f"{summary.findings} findings ({kinds}), {summary.errors} input errors -> {out}"
    )
