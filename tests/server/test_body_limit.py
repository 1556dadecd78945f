"""A body over the limit is refused as soon as it passes the limit, never read to its end."""

from __future__ import annotations

import asyncio
import select
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from tests.server.helpers import TOKEN

LIMIT = 4000
CHUNK = 1000
CHUNKS = 300  # 300 kB offered: 75 times the limit


class CountingBody:
    """An ASGI ``receive`` streaming a JSON body in chunks, counting what was taken."""

    def __init__(self, chunks: int = CHUNKS) -> None:
        self.parts = [b'{"question": "q", "answer": "'] + [b"x" * CHUNK] * chunks + [b'"}']
        self.taken = 0
        self.bytes = 0
        self.after_end = 0

    async def __call__(self) -> dict:  # type: ignore[type-arg]
        if self.taken >= len(self.parts):
            self.after_end += 1
            await asyncio.sleep(3600)  # a client that sent everything: nothing more comes
        part = self.parts[self.taken]
        self.taken += 1
        self.bytes += len(part)
        return {"type": "http.request", "body": part, "more_body": self.taken < len(self.parts)}


def _scope(path: str = "/v1/check") -> dict:  # type: ignore[type-arg]
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [
            (b"host", b"test"),
            (b"content-type", b"application/json"),
            (b"transfer-encoding", b"chunked"),
            (b"authorization", f"Bearer {TOKEN}".encode()),
        ],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
        "state": {},
    }


@pytest.mark.parametrize("path", ["/v1/check", "/v1/check/batch"])
def test_the_app_stops_reading_at_the_limit(make_app, path: str) -> None:  # type: ignore[no-untyped-def]
    app = make_app(token=TOKEN, max_body_bytes=LIMIT)
    body = CountingBody()
    sent: list[dict] = []  # type: ignore[type-arg]

    async def send(message: dict) -> None:  # type: ignore[type-arg]
        sent.append(message)

    asyncio.run(asyncio.wait_for(app(_scope(path), body, send), 30))
    (start,) = [m for m in sent if m["type"] == "http.response.start"]
    assert start["status"] == 413
    assert (b"connection", b"close") in start["headers"]
    assert body.bytes <= LIMIT + CHUNK + len(body.parts[0])  # one chunk past the limit at most
    assert body.taken < len(body.parts) // 10 and body.after_end == 0


def test_the_counting_body_can_see_a_full_read() -> None:
    """The counter itself: an app that reads everything takes every chunk."""
    body = CountingBody(chunks=5)

    async def read_all() -> None:
        more = True
        while more:
            more = (await body())["more_body"]

    asyncio.run(read_all())
    assert body.taken == len(body.parts) and body.bytes == sum(map(len, body.parts)) > 5 * CHUNK


@pytest.fixture
def served(make_app, request) -> Iterator[int]:  # type: ignore[no-untyped-def]
    """The app behind a real uvicorn on a free port (``request.param``: its HTTP parser)."""
    import uvicorn

    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    config = uvicorn.Config(
        make_app(token=TOKEN, max_body_bytes=LIMIT),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        http=request.param,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    yield port
    server.should_exit = True
    thread.join(10)


@pytest.mark.parametrize("served", ["h11", "httptools"], indirect=True)
def test_a_chunked_body_over_the_limit_is_not_read_to_its_end(served: int) -> None:
    """Over a socket: the 413 comes, and the server closes while most is still unsent."""
    with socket.create_connection(("127.0.0.1", served), timeout=10) as conn:
        conn.sendall(
            b"POST /v1/check HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
            b"Authorization: Bearer " + TOKEN.encode() + b"\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        offered = [b'{"question": "q", "answer": "'] + [b"x" * CHUNK] * CHUNKS
        sent = 0
        reply = b""
        closed = False
        try:
            for part in offered:
                conn.sendall(b"%x\r\n%s\r\n" % (len(part), part))
                sent += len(part)
                readable, _, _ = select.select([conn], [], [], 0.02)
                if readable:
                    got = conn.recv(65536)
                    if not got:
                        closed = True
                        break
                    reply += got
        except (BrokenPipeError, ConnectionResetError):
            closed = True
    assert reply.startswith(b"HTTP/1.1 413"), reply[:200]
    assert b"connection: close" in reply.lower()
    assert closed and sent < CHUNKS * CHUNK // 10, sent  # it stopped well before the end
