"""What every command that takes ``--kb`` or ``--backend`` does the same way: load or exit 2."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

if TYPE_CHECKING:
    from consistency.kb import KnowledgeBase
    from consistency.match.encoder import Encoder

__all__ = ["BackendOption", "ModelOption", "NoCacheOption", "encoder_or_exit", "load_kb_or_exit"]

EXIT_USAGE = 2

#: The encoder options every command that embeds takes (``encoder_or_exit`` reads them).
ModelOption = Annotated[
    str | None,
    typer.Option(help="A sentence-transformers model name or path, or an .onnx file."),
]
BackendOption = Annotated[
    str, typer.Option(help="Encoder backend: auto (ONNX default), onnx or torch.")
]
#: One flag, ``--no-cache`` (named explicitly: typer would make a bool called ``no_cache``
#: the pair ``--no-cache/--no-no-cache``).
NoCacheOption = Annotated[
    bool, typer.Option("--no-cache", help="Do not read or write the embedding cache.")
]


def load_kb_or_exit(path: str | Path, console: Console) -> KnowledgeBase:
    """Load a KB for a command; a bad one is printed, every problem, and exits 2.

    One place for every command that takes ``--kb``, so they refuse a bad KB alike.
    """
    from consistency.kb import KnowledgeBase, KnowledgeBaseError
    from consistency.render_cli import render_problems

    try:
        return KnowledgeBase.load(path)
    except KnowledgeBaseError as exc:
        console.print(render_problems(exc.problems))
        raise typer.Exit(EXIT_USAGE) from None
    except (FileNotFoundError, NotADirectoryError) as exc:
        console.print(f"[red]Error:[/red] cannot read the KB: {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from None


def encoder_or_exit(backend: str, model: str | None, console: Console) -> Encoder:
    """The encoder for ``--backend``/``--model``; an unknown backend is a usage error and a
    model that cannot load is printed and exits 2."""
    from consistency.match.encoder import BACKENDS, make_encoder

    if backend not in BACKENDS:
        raise typer.BadParameter(f"one of {', '.join(BACKENDS)}", param_hint="--backend")
    try:
        return make_encoder(backend, model)  # type: ignore[arg-type]
    except (FileNotFoundError, ImportError, OSError) as exc:
        console.print(f"[red]Error:[/red] cannot load the encoder: {escape(str(exc))}")
        raise typer.Exit(EXIT_USAGE) from None
