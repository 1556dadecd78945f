"""The extractor interface and the registry every fact kind is added to.

One extractor is one small class with a class-level ``kind``; it implements
``extract(text, *, reference=None) -> list[Fact]`` and ``render(fact) -> str``.
No extractor imports another. Users add their own kinds with
``default_registry.register(MyExtractor())``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

from consistency.models import Fact

__all__ = [
    "AHEAD",
    "MAX_TEXT_CHARS",
    "Extractor",
    "FactRegistry",
    "TakenSpans",
    "UnknownFactKindError",
    "ahead",
    "cap_text",
    "default_registry",
    "in_web_address",
]


class UnknownFactKindError(KeyError):
    """Raised when asking a registry for a kind it does not hold; lists the known kinds."""

    def __init__(self, kind: str, known: Iterable[str]) -> None:
        self.kind = kind
        self.known = tuple(sorted(known))
        super().__init__(f"unknown fact kind {kind!r}; known kinds: {', '.join(self.known)}")

    def __str__(self) -> str:  # KeyError quotes its message otherwise
        return self.args[0]


#: The most characters of one text that facts are read from (about 1,500 words:
#: the longest answer in the sample week is 350 characters, the HTTP service accepts
#: 4,000). Facts past it are not extracted, so one runaway answer (a pasted log, a
#: transcript with no turn breaks) costs a bounded time; the extractors are linear
#: in the text, this bounds the constant. The cut falls on a blank where one is near,
#: so no fact is cut in two. :meth:`FactRegistry.extract` applies it, and the audit
#: to every turn before anything else reads it.
MAX_TEXT_CHARS = 10_000


def cap_text(text: str, limit: int = MAX_TEXT_CHARS) -> str:
    """``text``, or its first ``limit`` characters cut back to the last blank (at most
    200 back; else exactly at ``limit``). Spans in the result index ``text`` unchanged."""
    if len(text) <= limit:
        return text
    for k in range(limit, max(0, limit - 200), -1):
        if text[k].isspace():
            return text[:k]
    return text[:limit]


#: How far past a number an extractor reads the words that qualify it ("per month",
#: "pence", "off"): ``pattern.match(text[end : end + AHEAD])``. Matching against
#: ``text[end:]`` copied the rest of the text for every number, quadratic in its length;
#: every such pattern matches a few words, so only a run of 200 blanks reads otherwise.
AHEAD = 200


def ahead(text: str, pos: int) -> str:
    """The :data:`AHEAD` characters of ``text`` from ``pos``: what to match a qualifier in."""
    return text[pos : pos + AHEAD]


_WEB = re.compile(r"://|^www\.|%[0-9a-f]{2}", re.IGNORECASE)
_RUN_END = re.compile(r"\S+$")
_RUN_START = re.compile(r"\S+")


def in_web_address(text: str, start: int) -> bool:
    """Whether ``start`` falls inside a web address (the blank-free run around it holds
    ``://``, starts ``www.`` or carries %-escapes): "?q=30%25" states no percentage.
    Looks at most :data:`AHEAD` characters each way, so a caller stays linear."""
    before = _RUN_END.search(text, max(0, start - AHEAD), start)
    after = _RUN_START.match(text, start, start + AHEAD)
    run = (before.group() if before else "") + (after.group() if after else "")
    return bool(_WEB.search(run))


class TakenSpans:
    """Spans already taken in one text: does a new span overlap one of them?

    The answer is ``any(a < end and start < b for a, b in taken)``, found in time
    linear in the new span's length (the characters taken spans cover are marked),
    where comparing with every taken span made an extractor quadratic in its text.

    Args:
        size: the text's length; spans lie within ``0..size``.
        spans: spans taken from the start.
    """

    __slots__ = ("_covered", "_interior", "_points")

    def __init__(self, size: int, spans: Iterable[tuple[int, int]] = ()) -> None:
        n = size + 2
        self._covered = bytearray(n)  # under a non-empty span
        self._interior = bytearray(n)  # strictly inside a non-empty span: a < p < b
        self._points = bytearray(n)  # where an empty span lies
        for a, b in spans:
            self.add(a, b)

    def add(self, start: int, end: int) -> None:
        if start < end:
            self._covered[start:end] = b"\x01" * (end - start)
            self._interior[start + 1 : end] = b"\x01" * (end - start - 1)
        else:
            self._points[start] = 1

    def overlaps(self, start: int, end: int) -> bool:
        if start < end:
            return (
                self._covered.find(1, start, end) != -1
                or self._points.find(1, start + 1, end) != -1
            )
        return bool(self._interior[start])  # two empty spans never overlap

    def free(self, start: int, end: int) -> bool:
        return not self.overlaps(start, end)


class Extractor:
    """Base class for one fact kind.

    Subclasses set ``kind`` and implement :meth:`extract`. ``reference`` is the
    date relative expressions ("tomorrow") resolve against; extractors never read
    the clock. Spans index the original ``text`` exactly.
    """

    kind: ClassVar[str] = ""

    def extract(self, text: str, *, reference: dt.date | None = None) -> list[Fact]:
        raise NotImplementedError

    def leftmost_longest(self, text: str, found: Iterable[tuple[int, int, str]]) -> list[Fact]:
        """Facts from ``(start, end, value)`` candidates, left to right, the longest at
        each start; a candidate overlapping one already taken, or empty, is dropped
        (a typed match and the spoken reading of the same words give one fact)."""
        facts: list[Fact] = []
        last_end = -1
        for start, end, value in sorted(found, key=lambda f: (f[0], -f[1])):
            if start < last_end or start >= end:
                continue
            last_end = end
            facts.append(self.fact_at(text, start, end, value))
        return facts

    def fact_at(self, text: str, start: int, end: int, value: Any, **fields: Any) -> Fact:
        """A fact of this extractor's kind for ``text[start:end]``; ``fields`` are the rest
        (``unit``, ``modifier``...)."""
        return Fact(
            kind=self.kind,
            value=value,
            span=(start, end),
            text=text[start:end],
            extractor=type(self).__name__,
            **fields,
        )

    def render(self, fact: Fact) -> str:
        """A short human rendering of ``fact.value`` (``14 days``, ``£5.00``)."""
        if fact.unit:
            return f"{fact.value} {fact.unit}"
        return str(fact.value)


class FactRegistry:
    """The extractors in use, one per kind, in registration order."""

    def __init__(self, extractors: Iterable[Extractor] = ()) -> None:
        self._by_kind: dict[str, Extractor] = {}
        #: Bumped by every registration, so caches of extracted facts know they are stale.
        self.version = 0
        for extractor in extractors:
            self.register(extractor)

    def register(self, extractor: Extractor, *, replace: bool = False) -> None:
        kind = extractor.kind
        if not kind:
            raise ValueError(f"{type(extractor).__name__} has no `kind`")
        if kind in self._by_kind and not replace:
            raise ValueError(f"a {kind!r} extractor is already registered; pass replace=True")
        self._by_kind[kind] = extractor
        self.version += 1

    def get(self, kind: str) -> Extractor:
        try:
            return self._by_kind[kind]
        except KeyError:
            raise UnknownFactKindError(kind, self._by_kind) from None

    def __contains__(self, kind: object) -> bool:
        return kind in self._by_kind

    def __iter__(self) -> Iterator[Extractor]:
        return iter(self._by_kind.values())

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(self._by_kind)

    def extract(
        self,
        text: str,
        *,
        reference: dt.date | None = None,
        kinds: Iterable[str] | None = None,
    ) -> list[Fact]:
        """Every fact of the selected kinds, sorted by span start then kind.

        Only the first :data:`MAX_TEXT_CHARS` characters are read (see :func:`cap_text`).
        """
        selected = [self.get(k) for k in kinds] if kinds is not None else list(self)
        text = cap_text(text)
        facts: list[Fact] = []
        for extractor in selected:
            facts.extend(extractor.extract(text, reference=reference))
        facts.sort(key=lambda f: (f.span[0], f.span[1], f.kind))
        return facts


#: The registry the library uses unless told otherwise; filled by ``consistency.facts``.
default_registry = FactRegistry()
