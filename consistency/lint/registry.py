"""The lint checks in use, by name, and what each check is given to work on.

A check is a function of a :class:`LintContext` that yields :class:`LintIssue`
records, with the codes it reports and their severities. The shipped checks
register themselves in :data:`default_checks` (as fact extractors do in
``consistency.facts.default_registry``); add one with :func:`register_check`
or ``default_checks.register(LintCheck(...))``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from consistency.kb.knowledge_base import KnowledgeBase
from consistency.lint.models import (
    AMBIGUITY_MARGIN,
    DUPLICATE_COSINE,
    LintIssue,
    LintSpan,
    Severity,
)

if TYPE_CHECKING:
    from consistency.match import Index
    from consistency.models import KBEntry

__all__ = ["LintCheck", "LintContext", "LintRegistry", "default_checks", "register_check"]


@dataclass
class LintContext:
    """What one lint run gives every check: the KB, the day, the settings, an index.

    ``index`` is built on first use (the default offline encoder, seconds), so
    a run whose checks need no embeddings never loads a model.
    """

    kb: KnowledgeBase
    today: dt.date | None = None
    ambiguity_margin: float = AMBIGUITY_MARGIN
    duplicate_cosine: float = DUPLICATE_COSINE
    given_index: Index | None = None
    registry: LintRegistry | None = None
    _built: Any = field(default=None, repr=False)

    def issue(
        self, code: str, spans: Sequence[LintSpan], message: str, entries: Sequence[KBEntry] = ()
    ) -> LintIssue:
        """An issue of ``code`` (its severity from the registry this run uses)."""
        from consistency.lint.common import make_issue

        registry = self.registry if self.registry is not None else default_checks
        severity = registry.severity(code)
        return make_issue(code, spans, message, self.kb, entries, severity=severity)

    @property
    def index(self) -> Index:
        """The matcher's index over ``kb``: the one given, else one built once."""
        if self.given_index is not None:
            return self.given_index
        if self._built is None:
            from consistency.match import Index, make_encoder

            self._built = Index(self.kb, make_encoder())
        return self._built


@dataclass(frozen=True)
class LintCheck:
    """One KB-health check.

    Args:
        name: its name in the registry (``broken-links``).
        severities: each code it reports, with that code's one severity.
        run: the check itself: the issues it finds in ``ctx.kb``.
        needs_index: its codes need embeddings (``ctx.index``).
        dated: its codes judged on ``ctx.today``; skipped when no day is given.
    """

    name: str
    severities: Mapping[str, Severity]
    run: Callable[[LintContext], Iterable[LintIssue]]
    needs_index: bool = False
    dated: frozenset[str] = frozenset()

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self.severities)


class LintRegistry:
    """The checks in use, in registration order (their codes sort in that order)."""

    def __init__(self, checks: Iterable[LintCheck] = ()) -> None:
        self._by_name: dict[str, LintCheck] = {}
        for check in checks:
            self.register(check)

    def register(self, check: LintCheck, *, replace: bool = False) -> None:
        """Add ``check``; a name or code already taken is refused unless ``replace``."""
        if not check.name:
            raise ValueError("a lint check needs a name")
        if not check.severities:
            raise ValueError(f"lint check {check.name!r} reports no code")
        if check.name in self._by_name and not replace:
            raise ValueError(f"a {check.name!r} check is already registered; pass replace=True")
        taken = {c for other in self if other.name != check.name for c in other.codes}
        clash = sorted(taken & set(check.codes))
        if clash:
            raise ValueError(f"code(s) {', '.join(clash)} are reported by another check")
        self._by_name[check.name] = check

    def get(self, name: str) -> LintCheck:
        try:
            return self._by_name[name]
        except KeyError:
            raise KeyError(
                f"no lint check {name!r}; registered: {', '.join(self._by_name)}"
            ) from None

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __iter__(self) -> Iterator[LintCheck]:
        return iter(self._by_name.values())

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._by_name)

    @property
    def codes(self) -> tuple[str, ...]:
        """Every code, check by check in registration order."""
        return tuple(code for check in self for code in check.codes)

    def severity(self, code: str) -> Severity:
        for check in self:
            if code in check.severities:
                return check.severities[code]
        raise KeyError(f"no lint check reports {code!r}")

    @property
    def matcher_codes(self) -> frozenset[str]:
        """The codes that need embeddings."""
        return frozenset(code for check in self if check.needs_index for code in check.codes)


#: The checks ``lint`` runs unless told otherwise; filled by ``consistency.lint``.
default_checks = LintRegistry()


def register_check(
    name: str,
    severities: Mapping[str, Severity],
    *,
    needs_index: bool = False,
    dated: Iterable[str] = (),
    registry: LintRegistry | None = None,
) -> Callable[[Callable[[LintContext], Iterable[LintIssue]]], Callable[..., Any]]:
    """Register the decorated function as a lint check (in :data:`default_checks`).

    Example:
        >>> from consistency.kb import KnowledgeBase
        >>> from consistency.lint import LintRegistry, answer_span, lint
        >>> mine = LintRegistry()
        >>> @register_check("shouting", {"shouting": "info"}, registry=mine)
        ... def shouting(ctx):
        ...     for e in ctx.kb.entries:
        ...         if e.answer.isupper():
        ...             span = answer_span(e, (0, len(e.answer)), versioned=False)
        ...             yield ctx.issue("shouting", [span], f"'{e.id}' shouts.", (e,))
        >>> kb = KnowledgeBase.from_entries([
        ...     {"id": "hours", "questions": ["When are you open?"], "answer": "NINE TO FIVE."},
        ... ])
        >>> [(i.code, i.severity, i.message) for i in lint(kb, registry=mine).issues]
        [('shouting', 'info', "'hours' shouts.")]
    """

    def add(run: Callable[[LintContext], Iterable[LintIssue]]) -> Callable[..., Any]:
        check = LintCheck(name, dict(severities), run, needs_index, frozenset(dated))
        (registry if registry is not None else default_checks).register(check)
        return run

    return add
