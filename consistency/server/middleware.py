"""ASGI middleware: the body-size limit, the access log, security headers for the page.

Written as plain ASGI (not ``BaseHTTPMiddleware``) so the size limit can act while
the body is being read, before it is buffered in full.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["AccessLogMiddleware", "BodyLimitMiddleware", "PageHeadersMiddleware", "escape_controls"]

logger = logging.getLogger("consistency.server")

# C0 (CR, LF, NUL, ESC that starts an ANSI sequence…), DEL, C1, the Unicode line and
# paragraph separators, and the backslash the escapes are written with.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\\]")


def _escaped(m: re.Match[str]) -> str:
    c = m.group()
    if c == "\\":
        return "\\\\"
    code = ord(c)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """``text`` fit for one log line: every control character written as an escape.

    CR, LF, NUL and the rest of C0, DEL, C1, and U+2028/U+2029 become ``\\xNN`` or
    ``\\uNNNN`` (so an ANSI escape sequence loses its ESC), and a backslash is doubled,
    so a caller cannot start a forged line or make one escape look like another.

    Example:
        >>> print(escape_controls("/nope\\n2026-12-04 INFO FORGED\\x00\\x1b[31m"))
        /nope\\x0a2026-12-04 INFO FORGED\\x00\\x1b[31m
    """
    return _CONTROL.sub(_escaped, text)


def _too_large_detail(limit: int) -> str:
    return f"request body too large: the limit is {limit} bytes"


class BodyLimitMiddleware:
    """Refuse request bodies over ``max_bytes`` with 413 and a JSON ``detail``.

    A declared ``Content-Length`` over the limit is refused before anything is read.
    A body without one (chunked) or longer than declared is counted as it arrives
    and refused as soon as it passes the limit: nothing more of it is asked for,
    and the 413 says ``Connection: close``, so the server closes the connection
    instead of reading (and discarding) the rest to keep it alive.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _send_json(send, 400, {"detail": "invalid Content-Length header"})
                    return
                if declared > self.max_bytes:
                    await _send_json(send, 413, {"detail": _too_large_detail(self.max_bytes)})
                    return
        received = 0
        too_large = False
        started = False

        async def counted_receive() -> Message:
            nonlocal received, too_large
            if too_large:  # asked again after the refusal: never read past the limit
                raise HTTPException(413, detail=_too_large_detail(self.max_bytes))
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    too_large = True
                    # FastAPI re-raises an HTTPException met while reading the body,
                    # so this becomes the response of any route that reads one.
                    raise HTTPException(413, detail=_too_large_detail(self.max_bytes))
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if too_large:  # the rest of the body stays unread: the connection cannot be reused
                    message = {**message, "headers": _closing(message.get("headers", []))}
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except HTTPException as exc:
            if exc.status_code != 413 or started:
                raise
            await _send_json(send, 413, {"detail": exc.detail})


def _closing(headers: Any) -> list[tuple[bytes, bytes]]:
    """``headers`` with ``Connection: close`` (any other ``Connection`` header dropped)."""
    kept = [(k, v) for k, v in headers if k.lower() != b"connection"]
    return [*kept, (b"connection", b"close")]


class AccessLogMiddleware:
    """One log line per request: method, path, status, latency, verdict statuses.

    Never the query string or the body: those may hold customer text. Handlers
    put the verdict statuses in ``request.state.verdict_status``. ``redact``
    masks the path (a caller can put anything in it) before it is logged, and
    control characters in it are escaped (:func:`escape_controls`): a path with
    ``%0A`` or ``%00`` in it cannot write a second, forged line.
    """

    def __init__(self, app: ASGIApp, *, redact: Callable[[str], str] | None = None) -> None:
        self.app = app
        self.redact = redact

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        status = 500
        t0 = time.perf_counter()

        async def tracked_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, tracked_send)
        finally:
            ms = (time.perf_counter() - t0) * 1000
            verdict = state.get("verdict_status")
            path = scope["path"]
            if self.redact is not None:
                path = self.redact(path)
            logger.info(
                "%s %s %d %.1fms%s",
                escape_controls(scope["method"]),
                escape_controls(path),
                status,
                ms,
                f" verdict={escape_controls(str(verdict))}" if verdict else "",
            )


_PAGE_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
        b"img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]


class PageHeadersMiddleware:
    """A strict Content-Security-Policy for the pages: the agent page, ``/docs`` and their assets.

    Neither loads anything from elsewhere nor runs an inline script (FastAPI's
    Swagger UI, which did both, is off).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not (path in ("/", "/docs") or path.startswith("/static/")):
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *_PAGE_HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers)


async def _send_json(send: Send, status: int, body: dict[str, str]) -> None:
    payload = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})
