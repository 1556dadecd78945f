"""Check canned responses against the KB, each like an agent's answer.

A macro has no customer question, only a title ("Returns - window") and a
body. Help-desk titles are terse labels, so the title alone often matches
weakly or matches a neighbouring entry ("Volt Mobile support" is nearer to
Plus tech support than to mobile support by its words alone). The checker
matches on the question only (fusing the question's similarity to the KB's
phrasings and to its canonical answers), so each macro is asked several
questions: the title, the title with the body's first sentence that states a
fact, the title with the body, and the body; the best-scoring match wins
(ties go to the earlier question). A body that restates the KB's answer
matches that answer even when its title says nothing ("Macro: VIP").

Placeholders (``{{ticket.requester.first_name}}``, ``{% if %}``) are blanked
to spaces of the same length before checking, so they yield no facts while
every span still indexes the macro's body as written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from consistency.audit.analyse import kb_evidence, snippet_around, value_key
from consistency.facts import facts_for, render
from consistency.findings import Evidence, Finding
from consistency.macros.models import Macro, MacroReport, MacroResult
from consistency.models import Conflict, Verdict

if TYPE_CHECKING:
    from consistency.checker import Checker
    from consistency.facts import FactRegistry

__all__ = ["check_macros", "macro_findings", "mask_placeholders", "probe_questions"]

_PLACEHOLDER = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
#: How much of a body goes into a question: the encoder reads about this much anyway.
_MAX_QUESTION = 600


def mask_placeholders(text: str) -> str:
    """``text`` with every ``{{…}}`` and ``{%…%}`` replaced by as many spaces.

    The length never changes, so a span into the masked text is a span into the original.

    Example:
        >>> text = "Hi {{name}}, {% if vip %}30 days{% endif %}."
        >>> masked = mask_placeholders(text)
        >>> len(masked) == len(text), masked.split()
        (True, ['Hi', ',', '30', 'days', '.'])
    """
    return _PLACEHOLDER.sub(lambda m: " " * len(m.group()), text)


def _squash(text: str) -> str:
    return " ".join(text.split())


def probe_questions(title: str, answer: str, *, registry: FactRegistry | None = None) -> list[str]:
    """The questions a macro is matched with, most specific to the title first.

    Args:
        title: the macro's title.
        answer: its body, placeholders already masked.
        registry: the fact extractors that decide which sentence states a fact.

    Returns:
        Distinct, non-empty questions: the title; the title with the body's
        first sentence that states a fact (greetings state none); the title
        with the body; the body. Whitespace is squashed and each is cut at
        600 characters.
    """
    title = _squash(title)
    body = _squash(answer)
    sentences = [_squash(s) for s in _SENTENCE_END.split(answer) if s.strip()]
    first = next((s for s in sentences if facts_for(s, registry=registry)), "")
    joined = [f"{title}. {part}" if title else part for part in (first, body) if part]
    candidates = [title, *joined, body]
    return [q[:_MAX_QUESTION] for q in dict.fromkeys(c for c in candidates if c)]


def check_macros(
    macros: Sequence[Macro], checker: Checker, *, on: dt.date | None = None
) -> MacroReport:
    """Check every macro against the KB; one ``macro_contradiction`` finding per contradicted fact kind.

    Args:
        macros: the canned responses, e.g. from :func:`~consistency.macros.read_macros`.
        checker: a loaded :class:`~consistency.Checker` (its matching threshold,
            fact registry and KB are used as they are).
        on: the day the macros are judged for; each entry's version valid that
            day is used. ``None`` (the default) uses each entry's newest
            version: a macro is sent from now on, so it should say what the
            policy says now or will say once a change takes effect.

    Returns:
        A result per macro, in input order, and the findings in the same order.

    Example (run from the repository root, with the shipped sample KB and macros):
        >>> from consistency import Checker, KnowledgeBase
        >>> from consistency.macros import read_macros
        >>> checker = Checker(KnowledgeBase.load("knowledge_base/"))
        >>> report = check_macros(read_macros("examples/macros.csv"), checker)
        >>> next(f.values for f in report.findings if f.macro_id == "MAC-022")
        ('30 days', '28 days')
    """
    pairs: list[tuple[str, str]] = []
    owner: list[int] = []
    answers = [mask_placeholders(m.body) for m in macros]
    for i, (macro, answer) in enumerate(zip(macros, answers, strict=True)):
        for question in probe_questions(macro.title, answer, registry=checker.registry):
            pairs.append((question, answer))
            owner.append(i)
    verdicts = checker.check_many(pairs, on=on) if pairs else []
    best: dict[int, tuple[str, Verdict]] = {}
    for i, (question, _), verdict in zip(owner, pairs, verdicts, strict=True):
        if i not in best or verdict.score > best[i][1].score:
            best[i] = (question, verdict)
    results: list[MacroResult] = []
    findings: list[Finding] = []
    for i, macro in enumerate(macros):
        question, verdict = best.get(i, ("", _empty_verdict()))
        results.append(
            MacroResult(
                macro_id=macro.id,
                title=macro.title,
                status=verdict.status,
                entry_id=verdict.entry_id,
                score=round(verdict.score, 6),
                question=question,
                conflicts=verdict.conflicts,
                explanation=verdict.explanation,
                source_file=macro.source_file,
                row=macro.row,
            )
        )
        findings.extend(macro_findings(macro, verdict, checker, answer=answers[i], on=on))
    return MacroReport(results=tuple(results), findings=tuple(findings), on=on)


def _empty_verdict() -> Verdict:
    return Verdict(status="no_match", explanation="The macro has no text to match.")


def macro_findings(
    macro: Macro,
    verdict: Verdict,
    checker: Checker,
    *,
    answer: str | None = None,
    on: dt.date | None = None,
) -> list[Finding]:
    """``macro_contradiction`` findings of one checked macro: one per contradicted fact kind.

    Shaped like the audit's ``kb_contradiction`` findings (values are the
    rendered answer and KB values, evidence the differing spans with context),
    with ``macro_id`` set and no transcript, agent or customer: the answer side
    has ``transcript_id`` and ``turn`` ``None`` and its ``span`` indexes
    ``macro.body``.
    """
    if verdict.status != "contradiction" or verdict.entry_id is None:
        return []
    answer = mask_placeholders(macro.body) if answer is None else answer
    facts = facts_for(answer, on, registry=checker.registry)
    keys = {f.span: value_key(f) for f in facts}
    shown = [(render(f, checker.registry), f.span) for f in facts if f.kind != "condition"]
    entry = checker.kb.entry(verdict.entry_id, on=on)
    canonical = verdict.canonical_answer or ""
    by_kind: dict[str, list[Conflict]] = {}
    for conflict in verdict.conflicts:
        by_kind.setdefault(conflict.kind, []).append(conflict)
    out: list[Finding] = []
    for kind, conflicts in by_kind.items():
        evidence: list[Evidence] = []
        values: list[str] = []
        sentences: list[str] = []
        for c in conflicts:
            evidence.append(_answer_evidence(macro, c, keys, shown))
            evidence.append(
                kb_evidence(
                    verdict.entry_id, canonical, span=c.kb_span, text=c.kb_text, value=c.kb_value
                )
            )
            values.extend([c.answer_value, c.kb_value])
            sentences.append(
                f"Macro {macro.id} ({macro.title or 'untitled'}) says {c.answer_value}; "
                f"the KB ({verdict.entry_id}) says {c.kb_value}."
            )
        version = entry.valid_from.isoformat() if entry is not None and entry.valid_from else ""
        finding = Finding(
            kind="macro_contradiction",
            transcript_ids=(),
            agent_ids=(),
            customer_ids=(),
            entry_id=verdict.entry_id,
            fact_kind=kind,
            values=tuple(dict.fromkeys(values)),
            evidence=tuple(evidence),
            explanation=" ".join(dict.fromkeys(sentences)),
            severity="high",
            topic=entry.topic if entry is not None else None,
            group=f"entry:{verdict.entry_id}@{version}",
            kb_value=conflicts[0].kb_value,
            questions=(macro.title,) if macro.title else (),
            volume=1,
            macro_id=macro.id,
        )
        out.append(finding.with_id())
    return out


def _answer_evidence(
    macro: Macro,
    conflict: Conflict,
    keys: dict[tuple[int, int], str],
    shown: list[tuple[str, tuple[int, int]]],
) -> Evidence:
    """The macro's side; a dropped condition points at the one fact it was dropped from."""
    span = conflict.answer_span
    if span is None:
        spans = [s for value, s in shown if value == conflict.answer_value]
        span = spans[0] if len(spans) == 1 else None
    snippet, snippet_span = snippet_around(macro.body, span)
    if span is None:  # the whole statement is the evidence
        snippet = snippet[:300]
    return Evidence(
        transcript_id=None,
        turn=None,
        span=span,
        text=conflict.answer_text or (macro.body[span[0] : span[1]] if span else ""),
        value=keys.get(span, conflict.answer_value) if span is not None else conflict.answer_value,
        display=conflict.answer_value,
        source="answer",
        snippet=snippet,
        snippet_span=snippet_span,
    )
