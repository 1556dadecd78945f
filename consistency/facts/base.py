"""The extractor interface and the registry every fact kind is added to.

One extractor is one small class with a class-level ``kind``; it implements
``extract(text, *, reference=None) -> list[Fact]`` and ``render(fact) -> str``.
No extractor imports another. Users add their own kinds with
``default_registry.register(MyExtractor())``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import ClassVar

from consistency.models import Fact

__all__ = ["Extractor", "FactRegistry", "UnknownFactKindError", "default_registry"]


class UnknownFactKindError(KeyError):
    """Raised when asking a registry for a kind it does not hold; lists the known kinds."""

    def __init__(self, kind: str, known: Iterable[str]) -> None:
        self.kind = kind
        self.known = tuple(sorted(known))
        super().__init__(f"unknown fact kind {kind!r}; known kinds: {', '.join(self.known)}")

    def __str__(self) -> str:  # KeyError quotes its message otherwise
        return self.args[0]


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
            facts.append(
                Fact(
                    kind=self.kind,
                    value=value,
                    span=(start, end),
                    text=text[start:end],
                    extractor=type(self).__name__,
                )
            )
        return facts

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
        """Every fact of the selected kinds, sorted by span start then kind."""
        selected = [self.get(k) for k in kinds] if kinds is not None else list(self)
        facts: list[Fact] = []
        for extractor in selected:
            facts.extend(extractor.extract(text, reference=reference))
        facts.sort(key=lambda f: (f.span[0], f.span[1], f.kind))
        return facts


#: The registry the library uses unless told otherwise; filled by ``consistency.facts``.
default_registry = FactRegistry()
