"""``consistency serve``: run the HTTP service and the agent page with uvicorn."""

from __future__ import annotations

import importlib.util
import ipaddress
import logging
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

__all__ = ["serve_command"]

EXIT_USAGE = 2


#: What ``serve`` needs beyond a plain install: ``pip install 'consistency[server]'``.
SERVER_EXTRA = ("fastapi", "uvicorn")


def _missing(modules: tuple[str, ...] = SERVER_EXTRA) -> list[str]:
    """Those of ``modules`` that cannot be imported here (not installed, or blocked)."""
    missing = []
    for name in modules:
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            missing.append(name)
    return missing


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve_command(
    kb: Annotated[
        Path,
        typer.Option(
            "--kb", exists=True, resolve_path=True, help="Knowledge base directory or file."
        ),
    ],
    host: Annotated[
        str, typer.Option(help="Interface to bind. Only this machine can connect by default.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="TCP port.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            envvar="CONSISTENCY_TOKEN",
            help="Require 'Authorization: Bearer TOKEN' on /v1 calls. Prefer the "
            "CONSISTENCY_TOKEN variable: a command line is visible to other users.",
            show_default=False,
        ),
    ] = None,
    log_texts: Annotated[
        bool, typer.Option("--log-texts", help="Log questions and answers (customer data).")
    ] = False,
    redact_pii: Annotated[
        bool,
        typer.Option(
            "--redact-pii",
            help="Mask customers' personal data in everything logged (texts, paths, "
            "tracebacks); the KB's own facts stay. Verdicts go back unmasked.",
        ),
    ] = False,
    cors_origin: Annotated[
        list[str] | None,
        typer.Option(help="Allow browser calls from this origin (repeatable). Off by default."),
    ] = None,
    max_text_chars: Annotated[
        int, typer.Option(min=1, help="Longest question or answer accepted.")
    ] = 4000,
    max_body_bytes: Annotated[int, typer.Option(min=1, help="Largest request body.")] = 64_000,
    audit: Annotated[
        Path | None,
        typer.Option(
            "--audit",
            exists=True,
            file_okay=False,
            resolve_path=True,
            help="An audit's output folder (audit --out): its report is served at /report.",
        ),
    ] = None,
    history: Annotated[
        str | None,
        typer.Option(
            "--history",
            help="The audit history (file or database URL): /report then shows and records "
            "reviewers' decisions.",
        ),
    ] = None,
    torch_threads: Annotated[
        int,
        typer.Option(
            min=1,
            help="Threads torch uses inside one encode (only when the torch backend is in "
            "use: onnxruntime is missing). 1 degrades gracefully when the CPU "
            "is shared (a 2-thread encode can be 10x slower under load); more can lower "
            "latency on an idle machine. Requests are batched either way.",
        ),
    ] = 1,
) -> None:
    """Serve the pre-reply check over HTTP, with the agent page at /.

    With --audit, the audit's report is at /report; with --history too, its cards
    have review buttons (confirmed / false alarm / won't fix).

    Needs the server extra (fastapi, uvicorn): without it, says so and exits 2.
    """
    err = Console(stderr=True, soft_wrap=True)
    missing = _missing()
    if missing:
        needs = " and ".join(missing)
        err.print(
            f"[red]Error:[/] serve needs {needs}, which are not installed: "
            + escape("pip install 'consistency[server]'"),
            highlight=False,
        )
        raise typer.Exit(EXIT_USAGE)
    from consistency.cli_support import load_kb_or_exit

    # Refuse a bad KB here, with the usual rendering, rather than as a 503 later.
    load_kb_or_exit(kb, err)
    if history is not None and audit is None:
        err.print("[red]Error:[/] --history needs --audit (the audit whose findings are reviewed).")
        raise typer.Exit(EXIT_USAGE)
    if token is not None and not token:
        err.print("[red]Error:[/] --token is empty.")
        raise typer.Exit(EXIT_USAGE)
    if not _is_loopback(host) and token is None:
        err.print(
            f"[yellow]Warning:[/] listening on {host} without a token: anyone who can reach "
            "this port can query the knowledge base. Set CONSISTENCY_TOKEN."
        )

    import uvicorn

    # Only the torch backend needs this; the default ONNX one never imports torch.
    if importlib.util.find_spec("onnxruntime") is None and importlib.util.find_spec("torch"):
        import torch

        torch.set_num_threads(torch_threads)

    from consistency.server.app import create_app

    log = logging.getLogger("consistency.server")
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
    app = create_app(
        kb,
        token=token,
        log_texts=log_texts,
        redact_pii=redact_pii,
        cors_origins=tuple(cors_origin or ()),
        max_text_chars=max_text_chars,
        max_body_bytes=max_body_bytes,
        audit=audit,
        history=history,
    )
    # access_log=False: our own access log leaves out query strings and bodies.
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="info")
