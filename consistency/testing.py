"""Pin answers in a test suite: ``assert_consistent`` and ``assert_contradicts``.

A QA team keeps the answers its agents (or its bots, or its macros) give as
tests: ``assert_consistent(question, answer)`` passes only when the checker
calls the answer ``consistent`` with the KB, and fails with the verdict
explained (status, entry, each conflicting fact with both values and both
quoted spans). ``no_match`` and ``unverified`` fail too: an answer that cannot
be verified is not a pinned consistent answer (``allow_unverified=True``
relaxes the second).

Inside pytest, the :mod:`consistency.pytest_plugin` supplies the checker from
``pytest.ini`` (``consistency_kb`` ...), so ``checker=`` can be left out;
elsewhere pass one. Nothing here imports pytest or loads a model.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from consistency.checker import Checker
    from consistency.models import Conflict, Verdict

__all__ = ["assert_consistent", "assert_contradicts", "explain_verdict"]

#: Texts longer than this are cut in messages (a canonical answer is 1–3 sentences).
_MAX_TEXT = 240


def _cut(text: str, limit: int = _MAX_TEXT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _span(span: tuple[int, int] | None) -> str:
    return "" if span is None else f" at [{span[0]}:{span[1]}]"


def _conflict_line(c: Conflict) -> str:
    said = c.answer_value
    if c.answer_text:
        said += f" ({c.answer_text!r}{_span(c.answer_span)})"
    kb = f"{c.kb_value} ({_cut(c.kb_text, 80)!r}{_span(c.kb_span)})"
    return f"{c.kind}: the answer says {said}; the KB says {kb}"


def _details(verdict: Verdict, question: str, answer: str) -> list[str]:
    lines = [f"question:  {_cut(question)}", f"answer:    {_cut(answer)}"]
    if verdict.entry_id is not None:
        lines.append(f"entry:     {verdict.entry_id} (match {verdict.score:.2f})")
    if verdict.canonical_answer:
        lines.append(f"KB answer: {_cut(verdict.canonical_answer)}")
    if verdict.explanation:
        lines.append(f"why:       {verdict.explanation}")
    for c in verdict.conflicts:
        lines.append(f"conflict:  {_conflict_line(c)}")
        if c.explanation and c.explanation != verdict.explanation:
            lines.append(f"           {c.explanation}")
    return lines


def explain_verdict(verdict: Verdict, *, question: str, answer: str) -> str:
    """A few lines a person can act on: status, entry, KB answer, why, each conflict.

    Spans are half-open ``[start:end]`` into the answer and the KB answer.
    """
    return "\n".join([f"status:    {verdict.status}", *_details(verdict, question, answer)])


def _day(on: dt.date | str | None) -> dt.date | None:
    if on is None or isinstance(on, dt.date):
        return on.date() if isinstance(on, dt.datetime) else on
    try:
        return dt.date.fromisoformat(str(on))
    except ValueError:
        raise ValueError(f"on= must be a date or 'YYYY-MM-DD', got {str(on)[:50]!r}") from None


def _resolve(checker: Checker | None, on: dt.date | str | None) -> tuple[Checker, dt.date | None]:
    """The checker and date to use: the arguments, else the pytest plugin's settings."""
    plugin = sys.modules.get("consistency.pytest_plugin")
    config = plugin.current_config() if plugin is not None else None
    day = _day(on)
    if day is None and config is not None:
        day = plugin.default_on(config)  # type: ignore[union-attr]
    if checker is not None:
        return checker, day
    if config is None:
        raise TypeError(
            "no checker: pass checker=, or run under pytest with consistency_kb set in "
            "pytest.ini (the consistency pytest plugin then builds one)"
        )
    return plugin.session_checker(config), day  # type: ignore[union-attr]


def _fail(expected: str, verdict: Verdict, question: str, answer: str, why: str = "") -> None:
    __tracebackhide__ = True  # pytest shows the test's line, not this module's
    head = f"expected {expected}, got {verdict.status}"
    if why:
        head += f" ({why})"
    body = "\n".join("  " + line for line in _details(verdict, question, answer))
    raise AssertionError(f"{head}\n{body}")


def _wrong_entry(verdict: Verdict, entry: str | None) -> str:
    if entry is None or verdict.entry_id == entry:
        return ""
    return f"expected entry {entry}, matched {verdict.entry_id or 'none'}"


def assert_consistent(
    question: str,
    answer: str,
    *,
    checker: Checker | None = None,
    entry: str | None = None,
    on: dt.date | str | None = None,
    allow_unverified: bool = False,
) -> Verdict:
    """Fail unless ``answer`` is consistent with the KB entry that ``question`` matches.

    Args:
        question: what the customer asks.
        answer: the pinned answer.
        checker: the checker to use; under pytest, by default the plugin's
            (built once per session from ``pytest.ini``).
        entry: also require this KB entry id to be the one matched.
        on: judge against the KB version valid that day (a date or
            ``"YYYY-MM-DD"``); by default ``consistency_on`` from ``pytest.ini``,
            else each entry's newest version.
        allow_unverified: pass an ``unverified`` verdict too (the answer
            matches the entry but states none of its facts). ``no_match``
            always fails.

    Returns:
        The verdict, for further assertions.

    Raises:
        AssertionError: the verdict is not consistent (or the entry differs);
            the message explains it.
        TypeError: no ``checker`` and no pytest plugin configured.
    """
    __tracebackhide__ = True
    checker, day = _resolve(checker, on)
    verdict = checker.check(question, answer, on=day)
    allowed = ("consistent", "unverified") if allow_unverified else ("consistent",)
    wrong = _wrong_entry(verdict, entry)
    if verdict.status not in allowed or wrong:
        expected = "a consistent answer" + (" (or unverified)" if allow_unverified else "")
        _fail(expected, verdict, question, answer, wrong)
    return verdict


def assert_contradicts(
    question: str,
    answer: str,
    *,
    checker: Checker | None = None,
    entry: str | None = None,
    on: dt.date | str | None = None,
    kind: str | None = None,
) -> Verdict:
    """Fail unless the checker flags ``answer`` as contradicting the KB: pin known-bad answers.

    Args:
        question, answer, checker, entry, on: as for :func:`assert_consistent`.
        kind: also require a conflict of this fact kind (``duration``, ``money``...).

    Returns:
        The verdict, for further assertions.

    Raises:
        AssertionError: no contradiction (or not on ``entry`` / ``kind``).
    """
    __tracebackhide__ = True
    checker, day = _resolve(checker, on)
    verdict = checker.check(question, answer, on=day)
    why = _wrong_entry(verdict, entry)
    if not why and kind is not None and all(c.kind != kind for c in verdict.conflicts):
        found = ", ".join(sorted({c.kind for c in verdict.conflicts})) or "none"
        why = f"expected a {kind} conflict, found {found}"
    if verdict.status != "contradiction" or why:
        _fail("a contradiction", verdict, question, answer, why)
    return verdict
