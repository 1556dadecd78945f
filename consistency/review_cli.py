"""``consistency review``: record reviewers' decisions on findings, export them as labelled data.

The target is an audit's output folder (its ``findings.jsonl`` names the
findings; decisions go to the history the audit used) or a history itself
(a SQLite file or a database URL; it knows every finding a night reported).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from consistency.review import DECISIONS, Review

__all__ = ["review_command"]

EXIT_USAGE = 2


def _err(message: str) -> None:
    Console(stderr=True, soft_wrap=True).print(message, markup=False, highlight=False)


def _fail(message: str) -> typer.Exit:
    _err(message)
    return typer.Exit(EXIT_USAGE)


def _resolve(target: str, history: str | None) -> tuple[str, Path | None]:
    """(history, audit folder or None) for what the user named."""
    folder = Path(target)
    if "://" not in target and folder.is_dir():
        if history is None:
            summary = folder / "summary.json"
            try:
                history = json.loads(summary.read_text(encoding="utf-8")).get("history")
            except (OSError, ValueError):
                history = None
        if not history:
            raise _fail(
                f"{folder}: this audit kept no history; give --history FILE_OR_URL "
                "(the one the nightly audit uses) so later nights see the decisions"
            )
        return history, folder
    if "://" not in target and not folder.exists():
        raise _fail(f"{target}: no such audit folder or history file")
    return target, None


def _findings(history: str, folder: Path | None) -> dict:
    from consistency.audit.nightly import load_reported
    from consistency.findings import Finding

    found = load_reported(history)
    if folder is not None:
        path = folder / "findings.jsonl"
        try:
            with path.open(encoding="utf-8") as handle:
                for number, line in enumerate(handle, 1):
                    if line.strip():
                        try:
                            f = Finding.model_validate_json(line)
                        except ValueError as exc:
                            raise _fail(f"{path}:{number}: not a finding ({exc})") from None
                        found[f.id] = f
        except OSError as exc:
            raise _fail(f"cannot read {path}: {exc}") from None
    return found


def review_command(
    target: Annotated[
        str,
        typer.Argument(
            help="An audit output folder, or the history (SQLite file or database URL)."
        ),
    ],
    finding: Annotated[str | None, typer.Option("--finding", help="The finding's id.")] = None,
    decision: Annotated[
        str | None, typer.Option("--decision", help="confirmed, false_alarm or wont_fix.")
    ] = None,
    reviewer: Annotated[str | None, typer.Option("--reviewer", help="Who decided.")] = None,
    note: Annotated[str, typer.Option("--note", help="Why (free text).")] = "",
    from_csv: Annotated[
        Path | None,
        typer.Option("--from", help="A CSV of decisions: finding_id,decision,reviewer,note."),
    ] = None,
    export: Annotated[
        Path | None,
        typer.Option("--export", help="Write the decisions as labelled questions (JSON lines)."),
    ] = None,
    false_alarms: Annotated[
        bool,
        typer.Option(
            "--with-false-alarms",
            help="Also export false alarms (for accuracy work; not for calibrate).",
        ),
    ] = False,
    history: Annotated[
        str | None,
        typer.Option("--history", help="The history to record in, when TARGET is an audit folder."),
    ] = None,
) -> None:
    """Mark findings confirmed, false alarm or won't fix; later nights do not repeat false alarms.

    Exit 0 done, 2 bad usage or input (bad CSV rows are listed with their line
    and field; the good rows are still recorded).
    """
    from consistency.review import labelled_rows, load_reviews, read_decisions, record_review

    if finding is None and from_csv is None and export is None:
        raise _fail(
            "nothing to do: give --finding with --decision and --reviewer, --from, or --export"
        )
    store, folder = _resolve(target, history)
    known = _findings(store, folder)
    problems: list[str] = []
    todo: list[tuple[Review, str]] = []
    if finding is not None:
        if decision not in DECISIONS:
            raise _fail(f"--decision: expected one of {', '.join(DECISIONS)} (got {decision!r})")
        if not reviewer:
            raise _fail("--reviewer: say who decided")
        todo.append(
            (
                Review(finding_id=finding, decision=decision, reviewer=reviewer, note=note),
                "--finding",
            )
        )
    if from_csv is not None:
        try:
            rows, problems = read_decisions(from_csv)
        except (OSError, UnicodeDecodeError) as exc:
            raise _fail(f"cannot read {from_csv}: {exc}") from None
        todo.extend((r, f"{from_csv}:{line}") for line, r in rows)
    recorded = 0
    for review, where in todo:
        f = known.get(review.finding_id)
        if f is None:
            problems.append(f"{where}: finding_id: no finding {review.finding_id!r} in {target}")
            continue
        record_review(store, review, f)
        recorded += 1
    if todo:
        typer.echo(f"recorded {recorded} decision(s) in {store}")
    if export is not None:
        rows = labelled_rows(load_reviews(store), known, false_alarms=false_alarms)
        try:
            with export.open("w", encoding="utf-8") as handle:
                for row in rows:
                    handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        except OSError as exc:
            raise _fail(f"cannot write {export}: {exc}") from None
        typer.echo(f"wrote {len(rows)} labelled question(s) to {export}")
    for problem in problems:
        _err(problem)
    if problems:
        raise typer.Exit(EXIT_USAGE)
