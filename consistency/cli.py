"""The ``consistency`` command.

Results go to stdout, diagnostics to stderr. Exit codes (``check``): 0 consistent,
1 contradiction, 3 no_match or unverified, 2 usage or input error.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from consistency import __version__
from consistency.cli_support import BackendOption, ModelOption, NoCacheOption, load_kb_or_exit

app = typer.Typer(
    name="consistency",
    help="Find 'same company, different information': check answers against a knowledge base.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)
kb_app = typer.Typer(help="Work with a knowledge base.", no_args_is_help=True)
app.add_typer(kb_app, name="kb")

from consistency.lint_cli import kb_lint_command  # noqa: E402 - cheap: typer and rich only

kb_app.command("lint")(kb_lint_command)

EXIT_CODES = {"consistent": 0, "contradiction": 1, "no_match": 3, "unverified": 3}
EXIT_USAGE = 2


def _out() -> Console:
    return Console(soft_wrap=False)


def _err() -> Console:
    return Console(stderr=True, soft_wrap=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"consistency {__version__}")
        raise typer.Exit(0)


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Find 'same company, different information' in contact-centre answers."""


KBOption = Annotated[
    Path,
    typer.Option("--kb", help="Knowledge base directory or file.", show_default=False),
]


def _load_kb(path: Path):  # type: ignore[no-untyped-def]

    return load_kb_or_exit(path, _err())


def _quiet_model_loading() -> None:
    """The CLI owns the terminal: no third-party progress bars while the model loads."""
    try:
        from transformers.utils import logging as hf_logging
    except ImportError:  # pragma: no cover - the ONNX backend needs no transformers
        return
    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()


def _parse_day(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"expected a date YYYY-MM-DD, got {value!r}") from None


@app.command()
def check(
    question: Annotated[str, typer.Argument(help="What the customer asked.")],
    answer: Annotated[str, typer.Argument(help="The agent's (draft) answer.")],
    kb: KBOption,
    on: Annotated[
        str | None, typer.Option(help="The day the answer is given (YYYY-MM-DD).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the verdict as JSON.")] = False,
    model: ModelOption = None,
    backend: BackendOption = "auto",
    threshold: Annotated[
        float | None, typer.Option(help="no_match threshold (0-1); default: fitted on the KB.")
    ] = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Check one answer against the KB. Exit 0 consistent, 1 contradiction, 3 no_match/unverified."""
    day = _parse_day(on)
    if threshold is not None and not 0 <= threshold <= 1:
        raise typer.BadParameter("must be between 0 and 1", param_hint="--threshold")
    knowledge_base = _load_kb(kb)
    from consistency.checker import Checker
    from consistency.match.encoder import BACKENDS, make_encoder

    if backend not in BACKENDS:
        raise typer.BadParameter(f"one of {', '.join(BACKENDS)}", param_hint="--backend")
    _quiet_model_loading()
    encoder = make_encoder(backend, model)  # type: ignore[arg-type]
    checker = Checker(
        knowledge_base,
        encoder=encoder,
        no_match_threshold=threshold,
        cache_dir=False if no_cache else None,
    )
    verdict = checker.check(question, answer, on=day)
    if as_json:
        typer.echo(verdict.model_dump_json(indent=2))
    else:
        from consistency.render_cli import render_verdict

        _out().print(render_verdict(verdict, answer))
    raise typer.Exit(EXIT_CODES[verdict.status])


def _read_labelled(path: Path) -> list[tuple[str, str | None]]:
    """``question,entry_id`` rows (CSV with a header) or ``{"question", "entry_id"}`` JSON lines."""
    import csv

    rows: list[tuple[str, str | None]] = []
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            if path.suffix.lower() in (".jsonl", ".json"):
                for number, line in enumerate(handle, 1):
                    if not line.strip():
                        continue
                    try:
                        item = json.loads(line)
                        rows.append((str(item["question"]), item.get("entry_id") or None))
                    except (ValueError, KeyError, TypeError) as exc:
                        raise typer.BadParameter(
                            f"{path}:{number}: expected a JSON object with 'question' and "
                            f"'entry_id' ({exc})"
                        ) from None
            else:
                reader = csv.DictReader(handle)
                if not reader.fieldnames or not {"question", "entry_id"} <= set(reader.fieldnames):
                    raise typer.BadParameter(f"{path}: expected a header with question,entry_id")
                for row in reader:
                    rows.append((row["question"], (row["entry_id"] or "").strip() or None))
    except OSError as exc:
        raise typer.BadParameter(f"cannot read {path}: {exc}") from None
    return rows


@app.command()
def calibrate(
    labelled: Annotated[
        Path,
        typer.Argument(
            help="Labelled questions: CSV question,entry_id (empty entry_id = not covered) or JSONL."
        ),
    ],
    kb: KBOption,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    backend: BackendOption = "auto",
) -> None:
    """Fit the matching weights and no_match threshold on your labelled questions."""
    rows = _read_labelled(labelled)
    knowledge_base = _load_kb(kb)
    from consistency.checker import Checker
    from consistency.match.encoder import BACKENDS, make_encoder

    if backend not in BACKENDS:
        raise typer.BadParameter(f"one of {', '.join(BACKENDS)}", param_hint="--backend")
    _quiet_model_loading()
    checker = Checker(knowledge_base, encoder=make_encoder(backend))  # type: ignore[arg-type]
    try:
        result = checker.calibrate(rows)
    except ValueError as exc:
        _err().print(f"[red]cannot calibrate:[/red] {exc}")
        raise typer.Exit(EXIT_USAGE) from None
    typer.echo(result.model_dump_json(indent=2) if as_json else result.summary())


@kb_app.command("validate")
def kb_validate(
    path: Annotated[Path, typer.Argument(help="Knowledge base directory or file.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print problems as JSON.")] = False,
) -> None:
    """Validate a KB and print every problem found (file:line, entry, field).

    Exit 0 when it is valid, 2 when it has any problem or cannot be read: a bad KB is
    an input error, as for every command that takes --kb. (kb lint exits 1 for a KB
    that loads but has errors.)
    """
    from consistency.kb import KnowledgeBase, KnowledgeBaseError
    from consistency.render_cli import render_problems

    try:
        knowledge_base = KnowledgeBase.load(path)
    except KnowledgeBaseError as exc:
        if as_json:
            typer.echo(json.dumps(exc.errors(), indent=2, default=str))
        else:
            _err().print(render_problems(exc.problems))
        raise typer.Exit(EXIT_USAGE) from None
    versions = len(knowledge_base.entries)
    message = f"{path}: OK, {len(knowledge_base)} entries ({versions} versions)"
    typer.echo(json.dumps({"ok": True, "entries": len(knowledge_base)}) if as_json else message)


from consistency.audit.cli import audit_command  # noqa: E402 - the pipeline loads lazily
from consistency.macros.cli import check_macros_command  # noqa: E402 - the checker loads lazily
from consistency.server.cli import serve_command  # noqa: E402 - fastapi/uvicorn load lazily

app.command("audit")(audit_command)
app.command("check-macros")(check_macros_command)
app.command("serve")(serve_command)

from consistency.review_cli import review_command  # noqa: E402 - cheap: typer only

app.command("review")(review_command)
