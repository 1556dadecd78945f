"""The pytest plugin: pin agents' answers against the KB in your own test suite.

Installed with the package as the ``pytest11`` entry point ``consistency``, so
pytest loads it in every run; importing it loads nothing heavy (no model, no
KB) and a suite that does not set ``consistency_kb`` is not affected. Settings
go in ``pytest.ini`` (or ``[tool.pytest.ini_options]`` in ``pyproject.toml``):

``consistency_kb``
    the KB directory or file, relative to the ini file's directory. Required
    by the ``consistency_checker`` fixture.
``consistency_backend`` / ``consistency_model``
    the encoder, as ``consistency check --backend/--model`` (default: the
    offline int8 ONNX MiniLM).
``consistency_cache_dir``
    where KB embeddings are cached (default: ``$CONSISTENCY_CACHE_DIR`` or
    ``~/.cache/consistency``).
``consistency_on``
    the day (``YYYY-MM-DD``) answers are judged on when a test gives no
    ``on=``; default: each entry's newest version.

The session-scoped ``consistency_checker`` fixture builds the checker on first
use; :func:`consistency.testing.assert_consistent` uses the same one when
given no ``checker=``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from consistency.checker import Checker

__all__ = ["consistency_checker", "current_config", "default_on", "session_checker"]

#: Encoder backends, as :func:`consistency.match.encoder.make_encoder` names them
#: (repeated here so that loading the plugin imports nothing of the model stack).
_BACKENDS = ("auto", "onnx", "torch")

_INI = {
    "consistency_kb": "consistency: the KB directory or file (relative to the ini file)",
    "consistency_backend": "consistency: encoder backend, auto (default), onnx or torch",
    "consistency_model": "consistency: a sentence-transformers model name or path, or an .onnx file",
    "consistency_cache_dir": "consistency: where KB embeddings are cached",
    "consistency_on": "consistency: judge answers against the KB valid on this day (YYYY-MM-DD)",
}


@dataclass(frozen=True)
class _Settings:
    kb: Path
    backend: str
    model: str | None
    cache_dir: Path | None
    on: dt.date | None


_SETTINGS = pytest.StashKey["_Settings | str"]()
_CHECKER = pytest.StashKey["Checker | str"]()

#: Configs of the pytest runs in progress, innermost last (pytester nests runs in one process).
_ACTIVE: list[pytest.Config] = []


def pytest_addoption(parser: pytest.Parser) -> None:
    for name, help_text in _INI.items():
        parser.addini(name, help_text, type="string", default="")


def pytest_configure(config: pytest.Config) -> None:
    _ACTIVE.append(config)


def pytest_unconfigure(config: pytest.Config) -> None:
    if config in _ACTIVE:
        _ACTIVE.remove(config)


def pytest_report_header(config: pytest.Config) -> str | None:
    raw = str(config.getini("consistency_kb")).strip()
    if not raw:
        return None
    settings = _settings(config)
    if isinstance(settings, str):
        return f"consistency: {settings.splitlines()[0]}"
    on = settings.on.isoformat() if settings.on else "newest versions"
    return f"consistency: kb={settings.kb}, backend={settings.backend}, on={on}"


def current_config() -> pytest.Config | None:
    """The innermost pytest run in progress, or ``None`` outside pytest."""
    return _ACTIVE[-1] if _ACTIVE else None


def _base(config: pytest.Config) -> Path:
    return config.inipath.parent if config.inipath is not None else config.rootpath


def _read_settings(config: pytest.Config) -> _Settings | str:
    """The ini settings, or the message saying what is wrong with them."""
    raw = {name: str(config.getini(name)).strip() for name in _INI}
    where = str(config.inipath) if config.inipath is not None else "pytest.ini"
    if not raw["consistency_kb"]:
        return (
            f"consistency_kb is not set in {where}: add `consistency_kb = path/to/kb` to its "
            "[pytest] section ([tool.pytest.ini_options] in pyproject.toml)"
        )
    kb = _base(config) / raw["consistency_kb"]
    if not kb.exists():
        return f"consistency_kb = {raw['consistency_kb']} in {where}: {kb} does not exist"
    backend = raw["consistency_backend"] or "auto"
    if backend not in _BACKENDS:
        return f"consistency_backend = {backend} in {where}: expected one of {', '.join(_BACKENDS)}"
    on = _on(config)
    if isinstance(on, str):
        return on
    cache = _base(config) / raw["consistency_cache_dir"] if raw["consistency_cache_dir"] else None
    return _Settings(kb, backend, raw["consistency_model"] or None, cache, on)


def _settings(config: pytest.Config) -> _Settings | str:
    if _SETTINGS not in config.stash:
        config.stash[_SETTINGS] = _read_settings(config)
    return config.stash[_SETTINGS]


def _on(config: pytest.Config) -> dt.date | str | None:
    raw = str(config.getini("consistency_on")).strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        where = str(config.inipath) if config.inipath is not None else "pytest.ini"
        return f"consistency_on = {raw[:50]} in {where}: expected a date YYYY-MM-DD"


def default_on(config: pytest.Config) -> dt.date | None:
    """``consistency_on`` from the ini file, ``None`` when unset; a bad date fails the test."""
    on = _on(config)
    if isinstance(on, str):
        pytest.fail(on, pytrace=False)
    return on


def _build(settings: _Settings) -> Checker | str:
    from consistency.checker import Checker
    from consistency.kb import KnowledgeBase, KnowledgeBaseError

    try:
        kb = KnowledgeBase.load(settings.kb)
    except KnowledgeBaseError as exc:
        return f"consistency_kb: the KB at {settings.kb} has problems:\n{exc}"
    encoder = None  # the Checker's default: the offline int8 ONNX MiniLM
    if settings.backend != "auto" or settings.model is not None:
        from consistency.match.encoder import make_encoder

        try:
            encoder = make_encoder(settings.backend, settings.model)  # type: ignore[arg-type]
        except (ImportError, OSError, ValueError) as exc:
            return f"consistency: cannot load the encoder ({settings.backend}): {exc}"
    return Checker(kb, encoder=encoder, cache_dir=settings.cache_dir)


def session_checker(config: pytest.Config) -> Checker:
    """The run's checker, built from the ini settings on first use and kept for the session.

    A configuration problem fails the calling test (or fixture) with a message
    naming the setting and what was expected; it is remembered, so the KB is
    not reloaded for every test that asks.
    """
    if _CHECKER not in config.stash:
        settings = _settings(config)
        config.stash[_CHECKER] = settings if isinstance(settings, str) else _build(settings)
    checker = config.stash[_CHECKER]
    if isinstance(checker, str):
        pytest.fail(checker, pytrace=False)
    return checker


@pytest.fixture(scope="session")
def consistency_checker(pytestconfig: pytest.Config) -> Checker:
    """The :class:`~consistency.Checker` configured by ``consistency_kb`` & co. in ``pytest.ini``."""
    return session_checker(pytestconfig)
