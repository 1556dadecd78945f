"""Run the service inside the current process, on a free loopback port.

For tests, the browser check and the screenshot script: the app runs on a
uvicorn server in a background thread, so a real browser or HTTP client can
reach it while the caller keeps control of the process.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI

__all__ = ["CHROMIUM_ARGS", "find_chromium", "serve_in_thread"]

#: Flags for a headless Chromium that stays off the network and needs no sandbox (CI, root).
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def find_chromium() -> str | None:
    """The path of a Chromium or Chrome binary: ``$CONSISTENCY_CHROMIUM``, then the usual names."""
    given = os.environ.get("CONSISTENCY_CHROMIUM")
    if given:
        return given if os.access(given, os.X_OK) else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


@contextmanager
def serve_in_thread(app: FastAPI, *, ready_timeout: float = 120.0) -> Iterator[str]:
    """Serve ``app`` on ``127.0.0.1`` and a free port; yields the base URL (``http://…/``).

    Returns only once the KB and model are loaded, so the first request is judged.

    Raises:
        RuntimeError: the server did not start, or the KB did not load in time.
    """
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="consistency-uvicorn", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the uvicorn server did not start")
            time.sleep(0.02)
        port = server.servers[0].sockets[0].getsockname()[1]
        service = app.state.service
        if not service.wait_ready(ready_timeout):
            raise RuntimeError(f"the service is not ready: {service.failure or 'timed out'}")
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
