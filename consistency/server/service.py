"""What the HTTP layer serves: one Checker behind a reference, fed by one worker thread.

Why one worker: the Checker's index keeps an LRU of question vectors and the
encoder's tokenizer is not safe to share between threads, so checks must not run
concurrently. The worker takes every request queued at that moment and answers
them with one ``check_many`` call: a lone request is answered at once (no waiting
window), and under load the encoder sees batches, which is where throughput comes
from on a small CPU.

Why a swap: a reload builds a complete new Checker aside (reusing the encoder, the
expensive part) and only then replaces the reference, so requests never see a
half-built KB and a bad KB never replaces a good one.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np

from consistency.checker import Checker
from consistency.kb import KnowledgeBase, KnowledgeBaseError
from consistency.match.encoder import Encoder
from consistency.models import Verdict

__all__ = [
    "CheckService",
    "CheckerFactory",
    "Loaded",
    "NotReadyError",
    "SerialEncoder",
    "default_checker_factory",
]

logger = logging.getLogger("consistency.server")

#: Builds a Checker for a KB with the given encoder (the same object on every reload).
CheckerFactory = Callable[[KnowledgeBase, Encoder], Checker]
Item = tuple[str, str, dt.date | None]


class NotReadyError(RuntimeError):
    """No Checker is serving yet (still loading, or the first load failed)."""


class SerialEncoder:
    """An encoder that lets one thread encode at a time.

    The worker's checks and a reload building its index (on a cache miss) may both
    encode; fast tokenizers fail with "Already borrowed" when shared across threads.
    """

    def __init__(self, inner: Encoder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
        with self._lock:
            return self.inner.encode(texts, batch_size=batch_size)


def default_checker_factory(kb: KnowledgeBase, encoder: Encoder) -> Checker:
    """``Checker(kb, encoder=encoder)`` with the default embedding cache."""
    return Checker(kb, encoder=encoder)


@dataclass(frozen=True)
class Loaded:
    """A KB and the Checker built for it; replaced whole, never mutated."""

    kb: KnowledgeBase
    checker: Checker
    loaded_at: dt.datetime


@dataclass
class _Job:
    items: list[Item]
    future: Future[list[Verdict]] = field(default_factory=Future)


class CheckService:
    """Loads the KB, serves checks from a worker thread, reloads atomically.

    Args:
        kb_path: the KB directory or file, read at start-up and on every reload.
        checker_factory: builds a Checker from a KB and the shared encoder.
        encoder: the encoder to share; ``None`` loads the default offline model
            (in the loading thread, so the process answers ``/healthz`` meanwhile).
        max_batch: the most items answered by one ``check_many`` call.
    """

    def __init__(
        self,
        kb_path: str | Path,
        *,
        checker_factory: CheckerFactory | None = None,
        encoder: Encoder | None = None,
        max_batch: int = 128,
    ) -> None:
        self.kb_path = Path(kb_path)
        self._factory = checker_factory or default_checker_factory
        self._given_encoder = encoder
        self._encoder: SerialEncoder | None = None
        self.max_batch = max_batch
        self._current: Loaded | None = None
        self.status: Literal["loading", "ready", "failed"] = "loading"
        self.failure = ""
        self._swap_lock = threading.Lock()
        self._reload_lock = threading.Lock()
        self._loaded = threading.Event()
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []

    # -- lifecycle -------------------------------------------------------------

    def start(self) -> None:
        """Start the worker and load the KB and model in the background."""
        if self._threads:
            return
        worker = threading.Thread(target=self._work, name="consistency-checker", daemon=True)
        loader = threading.Thread(target=self._load_first, name="consistency-loader", daemon=True)
        self._threads = [worker, loader]
        worker.start()
        loader.start()

    def stop(self) -> None:
        """Stop the worker after the jobs already queued."""
        if self._threads:
            self._queue.put(None)
            self._threads[0].join(timeout=10)
            self._threads = []

    # -- what responses may show of the server's files -----------------------

    def _roots(self) -> list[str]:
        """The KB's folder as given and as resolved, longest first (never "." or "/")."""
        root = self.kb_path if self.kb_path.is_dir() else self.kb_path.parent
        found = {str(root), os.path.abspath(root), str(root.resolve())}
        return sorted((r for r in found if r not in (".", "", os.sep)), key=len, reverse=True)

    def kb_relative(self, path: str | None) -> str | None:
        """``path`` relative to the KB's folder ("returns.yaml"): a response never shows where
        the server keeps its files. A path outside the folder keeps only its name."""
        if not path:
            return path
        for root in self._roots():
            if path.startswith(root + os.sep):
                return path[len(root) + len(os.sep) :]
        outside = os.path.isabs(path) or ".." in Path(path).parts
        return Path(path).name if outside else path

    def public_text(self, text: str) -> str:
        """``text`` (an error message) with the KB's folder cut from every path in it."""
        for root in self._roots():
            text = text.replace(root + os.sep, "")
        return text

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Block until the first load finished; True when it succeeded."""
        self._loaded.wait(timeout)
        return self.status == "ready"

    @property
    def current(self) -> Loaded | None:
        """The serving KB and Checker, or ``None`` before the first successful load."""
        return self._current

    def _load_first(self) -> None:
        try:
            loaded, _ = self.reload(warm=False)
        except KnowledgeBaseError as exc:
            self.failure = str(exc).splitlines()[0]
            self.status = "failed"
            logger.error("knowledge base refused:\n%s", exc)
            return
        except Exception as exc:
            self.failure = f"{type(exc).__name__}: {exc}"
            self.status = "failed"
            logger.exception("start-up failed")
            return
        finally:
            self._loaded.set()
        self._warm(loaded.checker)  # serving meanwhile

    # -- reload ----------------------------------------------------------------

    def reload(self, *, warm: bool = True) -> tuple[Loaded, bool]:
        """Read the KB from disk, build a new Checker and swap it in.

        ``warm``: also extract the new KB answers' facts before returning (answers
        already seen are kept from before, so an edit costs only its own entries).

        Returns:
            The new state, and whether the KB content changed.

        Raises:
            KnowledgeBaseError: the KB on disk is bad; the old KB keeps serving.
        """
        with self._reload_lock:
            kb = KnowledgeBase.load(self.kb_path)
            if self._encoder is None:
                if self._given_encoder is None:
                    from consistency.match.encoder import make_encoder

                    self._given_encoder = make_encoder()  # the library's default (ONNX)
                self._encoder = SerialEncoder(self._given_encoder)
            checker = self._factory(kb, self._encoder)
            # One throwaway check before serving: the first inference of a process pays
            # for lazy torch initialisation, which must not land on a customer's request.
            checker.check("warm-up", "")
            new = Loaded(kb=kb, checker=checker, loaded_at=dt.datetime.now(dt.UTC))
            with self._swap_lock:
                old, self._current = self._current, new
                self.status = "ready"
                self.failure = ""
            changed = old is None or old.kb.content_hash != kb.content_hash
            logger.info(
                "knowledge base %s: %d entries, %d versions, hash %s",
                "loaded" if changed else "unchanged",
                len(kb),
                len(kb.entries),
                kb.content_hash[:12],
            )
            if warm:
                self._warm(checker)
            return new, changed

    @staticmethod
    def _warm(checker: Checker) -> None:
        """Extract the KB answers' facts now rather than on each entry's first check.

        Not fatal: a check extracts what it needs itself if this fails.
        """
        started = time.perf_counter()
        try:
            prepared = checker.warm_up()
        except Exception:
            logger.exception("preparing the KB answers' facts failed; checks extract them")
            return
        logger.info(
            "facts of %d KB answers prepared in %.1f s", prepared, time.perf_counter() - started
        )

    # -- checks ----------------------------------------------------------------

    def submit(self, items: Sequence[Item]) -> Future[list[Verdict]]:
        """Queue items for the worker; the future holds their verdicts in order.

        The future fails with :class:`NotReadyError` when no Checker is serving.
        """
        job = _Job(list(items))
        if self._current is None:
            job.future.set_exception(NotReadyError(self.failure or "still loading"))
        else:
            self._queue.put(job)
        return job.future

    def _work(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            jobs = [job]
            size = len(job.items)
            stop = False
            while size < self.max_batch:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    stop = True
                    break
                jobs.append(more)
                size += len(more.items)
            self._answer(jobs)
            if stop:
                return

    def _answer(self, jobs: list[_Job]) -> None:
        loaded = self._current
        assert loaded is not None  # submit() only queues once a Checker serves
        live = [j for j in jobs if j.future.set_running_or_notify_cancel()]
        try:
            verdicts = loaded.checker.check_many([i for j in live for i in j.items])
        except Exception:
            # One bad item must not fail the requests it was batched with.
            for j in live:
                try:
                    j.future.set_result(loaded.checker.check_many(j.items))
                except Exception as exc:
                    j.future.set_exception(exc)
            return
        start = 0
        for j in live:
            j.future.set_result(verdicts[start : start + len(j.items)])
            start += len(j.items)
