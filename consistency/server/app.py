"""The FastAPI application: the pre-reply check over HTTP, and the agent page.

This module deliberately has no ``from __future__ import annotations``: the request
models are built per app (their limits are settings), and FastAPI must see the
real classes in the route signatures.
"""

import asyncio
import datetime as dt
import hmac
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from consistency import __version__
from consistency.kb import KnowledgeBaseError
from consistency.match.encoder import Encoder
from consistency.models import KBEntry, Verdict
from consistency.redact import RedactingFilter, Redactor
from consistency.server.docs import render_api_reference
from consistency.server.middleware import (
    AccessLogMiddleware,
    BodyLimitMiddleware,
    PageHeadersMiddleware,
)
from consistency.server.schemas import (
    BatchResponse,
    EntryResponse,
    ErrorMessage,
    Health,
    Readiness,
    ReloadProblems,
    ReloadResponse,
    request_models,
)
from consistency.server.service import CheckerFactory, CheckService, NotReadyError

__all__ = ["STATIC_DIR", "create_app"]

logger = logging.getLogger("consistency.server")

#: The agent page's files, served at ``/`` and ``/static/``.
STATIC_DIR = Path(__file__).resolve().parent / "static"

_DESCRIPTION = """
Check an agent's draft answer against the canonical knowledge base before it is sent.

A verdict is `consistent`, `contradiction` (each conflicting fact with both values and
both spans), `no_match` (the KB does not cover the question) or `unverified`.
Spans are `[start, end)` offsets in Unicode code points.

When the server was started with a token, every `/v1` call needs
`Authorization: Bearer <token>`. The agent page is at `/`.
"""

#: Loggers whose records are masked when the app runs with ``redact_pii``.
_REDACTED_LOGGERS = ("consistency.server", "uvicorn", "uvicorn.error", "uvicorn.access")

_NOT_READY = {503: {"model": ErrorMessage, "description": "The KB or the model is not loaded yet."}}
_UNAUTHORIZED = {401: {"model": ErrorMessage, "description": "Missing or wrong bearer token."}}
_TOO_LARGE = {413: {"model": ErrorMessage, "description": "The request body is over the limit."}}


def create_app(
    kb_path: str | Path,
    *,
    checker_factory: CheckerFactory | None = None,
    encoder: Encoder | None = None,
    token: str | None = None,
    max_text_chars: int = 4000,
    max_body_bytes: int = 64_000,
    max_batch_items: int = 100,
    log_texts: bool = False,
    cors_origins: Sequence[str] = (),
    redact_pii: bool = False,
    audit: str | Path | None = None,
    history: str | Path | None = None,
) -> FastAPI:
    """Build the service for the KB at ``kb_path``.

    The KB and the model load in a background thread when the app starts, so
    ``/healthz`` answers at once and ``/readyz`` says 503 until they are in.

    Args:
        kb_path: KB directory or file; read at start-up and by ``POST /v1/reload``.
        checker_factory: ``(kb, encoder) -> Checker``; receives the same encoder on
            every reload. Default: ``Checker(kb, encoder=encoder)``.
        encoder: the encoder to share; ``None`` loads the default offline model.
        token: when set, ``/v1`` calls need ``Authorization: Bearer <token>``.
        max_text_chars: the longest question or answer accepted (422 beyond).
        max_body_bytes: the largest request body accepted (413 beyond).
        max_batch_items: the most items in one ``/v1/check/batch`` call.
        log_texts: log questions and answers; off by default, as they are
            customer data. The access log never holds them.
        cors_origins: origins allowed to call the API from a browser; none by default.
        redact_pii: mask customers' personal data in everything the server logs
            (texts with ``log_texts``, request paths, tracebacks, uvicorn's and
            this package's log records), keeping the KB's own facts. Verdicts are
            returned unmasked: they go back to the agent who typed the draft,
            and the server stores nothing.
        audit: an audit's output folder, shown at ``/report``.
        history: the audit history (path or database URL) that review buttons write to.

    Raises:
        ValueError: a limit is not positive, or ``token`` is empty.
    """
    for name, value in (
        ("max_text_chars", max_text_chars),
        ("max_body_bytes", max_body_bytes),
        ("max_batch_items", max_batch_items),
    ):
        if value < 1:
            raise ValueError(f"{name} must be at least 1, got {value}")
    if token is not None and not token:
        raise ValueError("token must not be empty; pass None to turn authentication off")

    service = CheckService(kb_path, checker_factory=checker_factory, encoder=encoder)
    CheckBody, BatchBody = request_models(max_text_chars, max_batch_items)
    redactors: dict[str, Redactor] = {}

    def current_redactor() -> Redactor:
        """The Redactor for the KB now serving (its facts stay visible); rebuilt on reload."""
        loaded = service.current
        key = loaded.kb.content_hash if loaded is not None else ""
        found = redactors.get(key)
        if found is None:
            found = Redactor(loaded.kb if loaded is not None else None)
            redactors.clear()
            redactors[key] = found
        return found

    def scrub(text: str) -> str:
        return current_redactor().redact_text(text) if redact_pii else text

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        masking = RedactingFilter(current_redactor) if redact_pii else None
        if masking is not None:
            for name in _REDACTED_LOGGERS:
                logging.getLogger(name).addFilter(masking)
        service.start()
        try:
            yield
        finally:
            await run_in_threadpool(service.stop)
            if masking is not None:
                for name in _REDACTED_LOGGERS:
                    logging.getLogger(name).removeFilter(masking)

    app = FastAPI(
        title="consistency",
        summary="Pre-reply check: is this answer consistent with the knowledge base?",
        description=_DESCRIPTION,
        version=__version__,
        lifespan=lifespan,
        # Swagger UI and ReDoc load from a CDN (a blank page offline): /docs below is
        # a plain page rendered here from the same schema.
        docs_url=None,
        redoc_url=None,
    )
    app.state.service = service

    bearer = HTTPBearer(auto_error=False, description="The token the server was started with.")

    async def require_token(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> None:
        if token is None:
            return
        given = credentials.credentials if credentials is not None else ""
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise HTTPException(
                401,
                detail="missing or wrong bearer token",
                headers={"WWW-Authenticate": "Bearer"},
            )

    protected: list[Any] = [Depends(require_token)] if token is not None else []
    guarded = {**_UNAUTHORIZED} if token is not None else {}

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        # FastAPI's shape, minus "input": it would echo the customer's text back.
        errors = [
            {k: v for k, v in error.items() if k not in ("input", "url")} for error in exc.errors()
        ]
        return JSONResponse(status_code=422, content=jsonable_encoder({"detail": errors}))

    def _serving() -> Any:
        loaded = service.current
        if loaded is None:
            failure = service.public_text(service.failure)
            raise HTTPException(
                503,
                detail=f"not ready: {failure or 'the KB and model are loading'}",
                headers={"Retry-After": "1"},
            )
        return loaded

    async def _verdicts(items: list[tuple[str, str, dt.date | None]]) -> list[Verdict]:
        _serving()
        try:
            return await asyncio.wrap_future(service.submit(items))
        except NotReadyError as exc:  # pragma: no cover - only between the check and submit
            raise HTTPException(503, detail=f"not ready: {exc}") from None

    def _public_entry(entry: KBEntry) -> KBEntry:
        """The entry as a client may see it: its file relative to the KB's folder."""
        return entry.model_copy(update={"source_file": service.kb_relative(entry.source_file)})

    def _log_texts(items: Sequence[tuple[str, str, dt.date | None]]) -> None:
        if log_texts:
            for question, answer, on in items:
                if redact_pii:  # together: a name the question gives is masked in the answer
                    question, answer = current_redactor().redact_texts([question, answer])
                logger.info("check on=%s question=%r answer=%r", on, question, answer)

    # -- the page ----------------------------------------------------------------

    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    if audit is not None:
        from consistency.server.report import add_report_routes

        add_report_routes(app, Path(audit), history, protected=protected)

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        """The API reference, offline: no script and nothing fetched from elsewhere."""
        return HTMLResponse(render_api_reference(app.openapi()))

    # -- probes ------------------------------------------------------------------

    @app.get("/healthz", response_model=Health, tags=["probes"])
    async def healthz() -> Health:
        """The process is up (says nothing about the KB or the model)."""
        return Health()

    @app.get(
        "/readyz",
        response_model=Readiness,
        tags=["probes"],
        responses={503: {"model": Readiness, "description": "Still loading, or loading failed."}},
    )
    async def readyz() -> JSONResponse:
        """The KB and the model are loaded and checks can be served (503 until then)."""
        loaded = service.current
        body = Readiness(
            ready=loaded is not None,
            status=service.status,
            detail=service.public_text(service.failure),
            auth_required=token is not None,
            max_text_chars=max_text_chars,
        )
        if loaded is not None:
            body = body.model_copy(
                update={
                    "entries": len(loaded.kb),
                    "versions": len(loaded.kb.entries),
                    "kb_hash": loaded.kb.content_hash,
                    "loaded_at": loaded.loaded_at,
                }
            )
        return JSONResponse(
            status_code=200 if loaded is not None else 503,
            content=body.model_dump(mode="json"),
        )

    # -- the API -----------------------------------------------------------------

    @app.post(
        "/v1/check",
        response_model=Verdict,
        tags=["check"],
        dependencies=protected,
        responses={**guarded, **_TOO_LARGE, **_NOT_READY},
    )
    async def check(body: CheckBody, request: Request) -> Response:  # type: ignore[valid-type]
        """Judge one draft answer: the verdict, the matched entry and every conflicting fact."""
        items = [(body.question, body.answer, body.on)]  # type: ignore[attr-defined]
        _log_texts(items)
        (verdict,) = await _verdicts(items)
        request.state.verdict_status = verdict.status
        return Response(verdict.model_dump_json(), media_type="application/json")

    @app.post(
        "/v1/check/batch",
        response_model=BatchResponse,
        tags=["check"],
        dependencies=protected,
        responses={**guarded, **_TOO_LARGE, **_NOT_READY},
    )
    async def check_batch(body: BatchBody, request: Request) -> Response:  # type: ignore[valid-type]
        """Judge several answers in one call (same verdicts as one by one, in order)."""
        items = [(i.question, i.answer, i.on) for i in body.items]  # type: ignore[attr-defined]
        _log_texts(items)
        verdicts = await _verdicts(items)
        counts: dict[str, int] = {}
        for v in verdicts:
            counts[v.status] = counts.get(v.status, 0) + 1
        request.state.verdict_status = ",".join(f"{k}:{n}" for k, n in sorted(counts.items()))
        return Response(
            BatchResponse(verdicts=verdicts).model_dump_json(), media_type="application/json"
        )

    @app.get(
        "/v1/entries/{entry_id}",
        response_model=EntryResponse,
        tags=["knowledge base"],
        dependencies=protected,
        responses={**guarded, **_NOT_READY, 404: {"model": ErrorMessage}},
    )
    async def entry(
        entry_id: Annotated[str, PathParam(description="The entry id, e.g. `returns-window`.")],
        on: Annotated[
            dt.date | None,
            Query(description="Return the version valid on this day (YYYY-MM-DD)."),
        ] = None,
    ) -> EntryResponse:
        """One KB entry: the version valid on `on` (or the newest) and every version."""
        kb = _serving().kb
        if entry_id not in kb:
            raise HTTPException(404, detail=f"no KB entry {entry_id!r}")
        current = kb.entry(entry_id, on=on)
        if current is None:
            raise HTTPException(
                404, detail=f"the KB entry {entry_id!r} has no version valid on {on}"
            )
        return EntryResponse(
            entry=_public_entry(current),
            versions=[_public_entry(v) for v in kb.versions(entry_id)],
        )

    @app.post(
        "/v1/reload",
        response_model=ReloadResponse,
        tags=["knowledge base"],
        dependencies=protected,
        responses={
            **guarded,
            422: {"model": ReloadProblems, "description": "The KB on disk is bad."},
        },
    )
    async def reload() -> JSONResponse:
        """Read the KB from disk again and swap it in whole.

        A bad KB is refused with every problem found and the old KB keeps serving.
        """
        try:
            loaded, changed = await run_in_threadpool(service.reload)
        except KnowledgeBaseError as exc:
            problems = [
                p.model_copy(
                    update={"file": service.kb_relative(p.file), "msg": service.public_text(p.msg)}
                )
                for p in exc.problems
            ]
            detail = service.public_text(str(exc).splitlines()[0])
            body = ReloadProblems(detail=detail, problems=problems)
            return JSONResponse(status_code=422, content=body.model_dump(mode="json"))
        body = ReloadResponse(
            entries=len(loaded.kb),
            versions=len(loaded.kb.entries),
            kb_hash=loaded.kb.content_hash,
            changed=changed,
            loaded_at=loaded.loaded_at,
        )
        return JSONResponse(content=body.model_dump(mode="json"))

    # Outermost last: the log sees every response, including 413s and CORS preflights.
    if cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(PageHeadersMiddleware)
    app.add_middleware(BodyLimitMiddleware, max_bytes=max_body_bytes)
    app.add_middleware(AccessLogMiddleware, redact=scrub if redact_pii else None)
    return app
