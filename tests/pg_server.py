"""A throwaway PostgreSQL server for history tests: initdb + pg_ctl in a temp folder.

Skips (saying why) when the postgres binaries or the psycopg driver are missing.
Run as root (containers), the server runs as the ``postgres`` user, which
PostgreSQL insists on.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

_BIN_DIRS = ("/usr/lib/postgresql",)


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for root in _BIN_DIRS:
        for version in sorted(Path(root).glob("*"), reverse=True):
            candidate = version / "bin" / name
            if candidate.exists():
                return str(candidate)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def postgres_url() -> Iterator[str]:
    """Start a server on 127.0.0.1 and a free port; yield its SQLAlchemy URL; stop it after."""
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    if not (initdb and pg_ctl):
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl): apt-get install postgresql")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("no psycopg driver: pip install 'consistency[postgres]'")
    prefix: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="consistency-pg-"))
    if os.geteuid() == 0:
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no 'postgres' user to run the server as")
        os.chown(folder, user.pw_uid, user.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    data, port = folder / "data", _free_port()
    run = dict(check=True, capture_output=True, text=True)
    try:
        subprocess.run([*prefix, initdb, "-D", str(data), "-U", "test", "-A", "trust"], **run)
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            [
                *prefix,
                pg_ctl,
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(folder / "log"),
                "-w",
                "start",
            ],
            **run,
        )
    except (subprocess.CalledProcessError, OSError) as exc:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"cannot start a throwaway PostgreSQL server: {getattr(exc, 'stderr', exc)}")
    try:
        yield f"postgresql+psycopg://test@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*prefix, pg_ctl, "-D", str(data), "-m", "immediate", "stop"],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)
