"""``consistency audit``: the nightly audit from the command line.

Register it on the app with ``app.command("audit")(audit_command)``. The
encoder options are ``check``'s: the int8 ONNX MiniLM by default, about a third
of torch's CPU per question (the audit's cost is mostly embedding questions). Results
go to files in ``--out``; a one-line summary goes to stdout and diagnostics to
stderr.

Exit codes, for schedulers (cron, Airflow, ...):

* 0: the audit ran and wrote its outputs. Findings are not failures, and
  neither are bad transcript lines (each is reported in ``errors.jsonl`` and
  skipped) unless ``--fail-on`` says otherwise.
* 1: the audit ran, wrote its outputs, and found a finding of a kind named in
  ``--fail-on``.
* 2: bad usage or input that cannot be read: an unknown option value (format,
  finding kind, date, backend, engine), a bad KB, a transcript file or folder
  that cannot be opened, an ``--out`` that is not a folder or cannot be
  written in, a resume that does not match the earlier run. Nothing is audited.
* 3: the audit failed for another reason: a bug (the traceback is on stderr),
  or the system (a full disk); never used for findings, so that a crash is
  never read as "findings found".
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from consistency.cli_support import BackendOption, ModelOption, encoder_or_exit, load_kb_or_exit

__all__ = ["EXIT_FAILED", "EXIT_FINDINGS", "EXIT_OK", "EXIT_USAGE", "audit_command"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_FAILED = 3


def _day(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"expected a date YYYY-MM-DD, got {value[:50]!r}", param_hint=option
        ) from None


def _split(values: list[str] | None) -> list[str]:
    """Repeated and comma-separated option values as one list: ``["a,b", "c"]`` -> a, b, c."""
    return [v.strip() for item in values or () for v in item.split(",") if v.strip()]


def _fail_on(values: list[str] | None) -> tuple[str, ...]:
    """The finding kinds ``--fail-on`` names, checked against the audit's kinds."""
    from consistency.audit.models import FINDING_KINDS, NOT_AUDIT_KINDS

    known = [k for k in FINDING_KINDS if k not in NOT_AUDIT_KINDS]
    kinds = _split(values)
    if values is not None and not kinds:
        raise typer.BadParameter(f"name finding kinds: {', '.join(known)}", param_hint="--fail-on")
    for kind in kinds:
        if kind in NOT_AUDIT_KINDS:
            raise typer.BadParameter(
                f"{kind!r} is reported by check-macros, never by the audit; "
                f"the audit's kinds: {', '.join(known)}",
                param_hint="--fail-on",
            )
        if kind not in known:
            raise typer.BadParameter(
                f"unknown finding kind {kind[:50]!r}; known: {', '.join(known)}",
                param_hint="--fail-on",
            )
    return tuple(dict.fromkeys(kinds))


def _probe(path: Path, problems: list[str]) -> None:
    try:
        with open(path, "rb"):
            pass
    except OSError as exc:
        problems.append(f"{path}: {exc.strerror or exc}")


def unreadable_inputs(paths: list[Path]) -> list[str]:
    """Why each transcript file (or folder) the audit would read cannot be opened.

    A file named on the command line is opened whatever its name; in a folder,
    every file with a transcript extension is, and every subfolder listed. Only
    opening is tried: what a file holds is the readers' business (a bad line is
    reported in ``errors.jsonl`` and skipped).
    """
    from consistency.ingest import UnsupportedFormatError, detect_format

    problems: list[str] = []
    for path in paths:
        if not path.is_dir():
            _probe(path, problems)
            continue

        def walk_error(exc: OSError) -> None:
            problems.append(f"{exc.filename}: {exc.strerror or exc}")

        for root, _dirs, files in os.walk(path, onerror=walk_error):
            for name in sorted(files):
                child = Path(root) / name
                try:
                    detect_format(child)
                except UnsupportedFormatError:
                    continue  # the readers skip it too
                _probe(child, problems)
    return problems


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
        str | None,
        typer.Option(
            help="The history: a SQLite file (or postgresql+psycopg:// URL) that keeps what "
            "later nights compare against, trends and reviewers' decisions."
        ),
    ] = None,
    retention_days: Annotated[
        int, typer.Option("--retention-days", help="Days the history keeps conversations.")
    ] = 90,
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
            metavar="FORMATS",
            help="Findings files beside findings.jsonl (always written), comma-separated or "
            "repeated: parquet (findings.parquet; the 'frames' extra), csv (findings.csv) and "
            "xlsx (findings.xlsx): one row per finding, for spreadsheets.",
            show_default="jsonl",
        ),
    ] = None,
    fail_on: Annotated[
        list[str] | None,
        typer.Option(
            "--fail-on",
            metavar="KINDS",
            help="Exit 1 (after writing every output) when the audit finds any finding of "
            "these kinds, comma-separated: kb_contradiction, agent_disagreement, "
            "repeat_contact_conflict, kb_gap, broken_promise.",
            show_default=False,
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
    """Audit transcripts: KB contradictions, disagreements, repeat contacts, gaps, broken promises.

    Exit codes: 0 the audit ran (findings and bad transcript lines are not failures);
    1 it ran and found a kind named in --fail-on; 2 bad usage or unreadable input;
    3 it failed otherwise (the traceback is on stderr).
    """
    err = Console(stderr=True, soft_wrap=True)
    since_day, until_day = _day(since, "--since"), _day(until, "--until")
    if since_day and until_day and since_day > until_day:
        raise typer.BadParameter(f"{since_day} is after --until {until_day}", param_hint="--since")
    from consistency.report.writers import FINDINGS_FORMATS, check_formats

    try:
        chosen = check_formats(["jsonl", *_split(formats)])
    except ValueError:
        bad = next((f for f in _split(formats) if f.lower() not in FINDINGS_FORMATS), "")
        raise typer.BadParameter(
            f"one of {', '.join(FINDINGS_FORMATS)} (got {bad[:50]!r})", param_hint="--format"
        ) from None
    except ImportError as exc:
        err.print(f"[red]Error:[/red] {exc}")
        raise typer.Exit(EXIT_USAGE) from None
    failing = _fail_on(fail_on)
    from consistency.audit.config import AuditConfig
    from consistency.audit.state import AuditUsageError

    try:  # the settings, checked together before the KB and the model load
        config = AuditConfig(
            out=out,
            since=since_day,
            until=until_day,
            resume=resume,
            history=history,
            retention_days=retention_days,
            progress=not no_progress,
            engine=engine,
            workers=workers,
            ray_address=ray_address,
            formats=chosen,
            redact_pii=redact_pii,
            fulfilment=fulfilment,
        )
    except AuditUsageError as exc:
        err.print(f"[red]Error:[/red] {escape(str(exc))}", highlight=False)
        raise typer.Exit(EXIT_USAGE) from None
    if out.exists() and not out.is_dir():
        raise typer.BadParameter(f"{out} exists and is not a folder", param_hint="--out")
    home = next((p for p in (out, *out.absolute().parents) if p.exists()), None)
    if home is not None and not os.access(home, os.W_OK | os.X_OK):
        raise typer.BadParameter(f"cannot write in {home}", param_hint="--out")
    problems = unreadable_inputs(transcripts)
    if fulfilment is not None:
        _probe(fulfilment, problems)
    if problems:
        for problem in problems:
            err.print(f"[red]Error:[/red] cannot read {escape(problem)}", highlight=False)
        raise typer.Exit(EXIT_USAGE)

    try:
        knowledge_base = load_kb_or_exit(kb, err)
    except OSError as exc:
        err.print(f"[red]Error:[/red] cannot read the KB: {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from None

    from consistency.audit import engines
    from consistency.checker import Checker
    from consistency.ingest import UnsupportedFormatError

    encoder = encoder_or_exit(backend, model, err)
    checker = Checker(knowledge_base, encoder=encoder)
    try:
        summary = engines.run(transcripts, knowledge_base, config, checker=checker)
    except ImportError as exc:
        err.print(f"[red]Error:[/red] --engine ray needs the 'distributed' extra ({exc})")
        raise typer.Exit(EXIT_USAGE) from None
    except (AuditUsageError, UnsupportedFormatError) as exc:
        err.print(f"[red]Error:[/red] {exc}")
        raise typer.Exit(EXIT_USAGE) from None
    except OSError as exc:  # the disk filled, a file went away mid-run: a rerun may work
        err.print(f"[red]Error:[/red] the audit failed: {escape(str(exc))}")
        raise typer.Exit(EXIT_FAILED) from None
    except Exception:
        err.print("[red]Error:[/red] the audit failed:")
        err.print_exception()
        raise typer.Exit(EXIT_FAILED) from None
    kinds = ", ".join(f"{n} {k}" for k, n in summary.by_kind.items())
    typer.echo(
        f"{summary.conversations} conversations, {summary.exchanges} exchanges, "
        f"{summary.findings} findings ({kinds}), {summary.errors} input errors -> {out}"
    )
    found = {k: summary.by_kind.get(k, 0) for k in failing if summary.by_kind.get(k, 0)}
    if found:
        listed = ", ".join(f"{n} {k}" for k, n in found.items())
        err.print(f"--fail-on: found {listed}", markup=False, highlight=False)
        raise typer.Exit(EXIT_FINDINGS)
