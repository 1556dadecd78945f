"""Two outcomes with their conditions swapped: "the test is free if the meter is working; if
it's faulty there's a £65 charge" against "free if the meter is faulty; £65 if it's working".

Each value is read with the condition of its own part of the sentence (the parts are
split at ";", at a sentence end and before a new "if"/"when"/"for"): the "if ..." phrase
there, or a leading "for partial faults". A value the answer gives is the KB's own, but
under the condition the KB gives to *another* value of the same kind: the words that set
the KB's two conditions apart say the answer's condition is the other one. Every value is
right and every condition is the KB's; only their pairing is wrong, which no value check
and no single condition check can see.

Precision first: the answer's condition must share more of what sets one KB condition
apart than of the other, and at least two such words, or all of them; a condition with a
negation ("if it's not faulty") is left alone; and so is an answer that also gives the
value under its own KB condition.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from consistency.compare.claims import kb_says, taken_by
from consistency.compare.lists import NEGATION, content_stems
from consistency.compare.values import relation
from consistency.facts.pipeline import facts_for
from consistency.models import Conflict, Fact

__all__ = ["swapped_conflicts"]

_VALUE_KINDS = frozenset({"money", "duration", "count", "percent"})
#: Where one outcome's part ends: ";", a sentence end, or a comma before a new condition.
_PART_END = re.compile(
    r"[;.!?](?=\s|$)|,\s*(?=(?:but\s+|and\s+|or\s+)?(?:if|when|for|unless|otherwise)\b)", re.I
)
_IF = re.compile(
    r"\b(?:if|when|unless|once|where)\b[^,;.!?]{3,80}?(?=,|;|[.!?](?:\s|$)|$"
    r"|\s+(?:we|we'll|you|you'll|it's|it'd|it\s+is|there's|there\s+is|the\s+\w+\s+is)\b)",
    re.IGNORECASE,
)
_FOR = re.compile(
    r"^\s*(?:for|with|on|during)\s+([^,;.!?]{3,40}?)(?=,|\s+(?:it|it's|we|we'll|you|you'll|"
    r"there|there's|they|an?|the|our|your)\b)",
    re.IGNORECASE,
)
_GENERAL = content_stems("it it's we you there is are be would will can the a an")
_MIN_SHARED = 2


@dataclass(frozen=True)
class _Outcome:
    fact: Fact
    condition: str  # the condition as written
    span: tuple[int, int]  # of the condition
    stems: frozenset[str]
    part: tuple[int, int]


def _parts(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in _PART_END.finditer(text):
        out.append((start, m.end()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out


def _outcomes(text: str) -> tuple[_Outcome, ...]:
    """Each value with the condition of its part, where its part has one."""
    if not _IF.search(text) and not re.search(r"\b(?:for|with|on|during)\b", text, re.I):
        return ()  # no condition to pair a value with: spare the fact extraction
    facts = [f for f in facts_for(text) if f.kind in _VALUE_KINDS]
    out: list[_Outcome] = []
    for start, end in _parts(text):
        inside = [f for f in facts if start <= f.span[0] < end]
        if len(inside) != 1:
            continue  # no value, or two whose conditions cannot be told apart
        cond = _IF.search(text, start, end)
        lead = _FOR.match(text[start:end])
        if cond is not None:
            span = cond.span()
        elif lead is not None:
            lead_start = start + lead.start() + len(lead.group(0)) - len(lead.group(0).lstrip())
            span = (lead_start, start + lead.end(1))
        else:
            continue
        said = text[span[0] : span[1]]
        if NEGATION.search(said):
            continue
        stems = content_stems(said) - _GENERAL
        stems -= {s for f in inside for s in content_stems(f.text)}
        if stems:
            out.extend(_Outcome(f, said.strip(), span, stems, (start, end)) for f in inside)
    return tuple(out)


#: A KB answer's outcomes, kept: the same KB answers come back on every check (answers
#: are read afresh: each is new, and keeping them would only push the KB's out).
_kb_outcomes = lru_cache(maxsize=4096)(_outcomes)


def _same(a: Fact, b: Fact) -> bool:
    return a.kind == b.kind and relation(a, b) == "same"


def swapped_conflicts(
    answer: str,
    canonical: str,
    *,
    entry_id: str | None = None,
    taken: list[tuple[int, int]] | None = None,
) -> list[Conflict]:
    """One condition conflict where the answer gives a KB value under another value's condition."""
    kb = _kb_outcomes(canonical)
    if len(kb) < 2:
        return []
    said = _outcomes(answer)
    for a in said:
        if taken_by(*a.span, taken):
            continue
        for own in (k for k in kb if _same(a.fact, k.fact)):
            for other in kb:
                if other.part == own.part or other.fact.kind != a.fact.kind:
                    continue
                if _same(other.fact, own.fact) or _same(a.fact, other.fact):
                    continue
                own_only, other_only = own.stems - other.stems, other.stems - own.stems
                to_other, to_own = len(a.stems & other_only), len(a.stems & own_only)
                if to_other <= to_own or not (
                    to_other >= _MIN_SHARED or to_other == len(other_only)
                ):
                    continue
                # the answer also gives the value under the KB's own condition: no swap
                if any(
                    _same(b.fact, own.fact) and len(b.stems & own_only) > len(b.stems & other_only)
                    for b in said
                ):
                    continue
                first, last = sorted((own.part, other.part))
                kb_text = (
                    canonical[first[0] : last[1]]
                    if canonical[first[1] : last[0]].strip() == ""
                    else f"{canonical[first[0] : first[1]].strip()} … "
                    f"{canonical[last[0] : last[1]].strip()}"
                ).strip()
                return [
                    Conflict(
                        kind="condition",
                        answer_value=a.condition,
                        kb_value=own.condition,
                        answer_span=a.span,
                        kb_span=own.span,
                        answer_text=answer[a.part[0] : a.part[1]].strip(),
                        kb_text=kb_text,
                        entry_id=entry_id,
                        explanation=kb_says(
                            entry_id,
                            kb_text,
                            f'the answer gives {a.fact.text} "{a.condition}", where the KB '
                            f'gives it "{own.condition}" and {other.fact.text} '
                            f'"{other.condition}".',
                        ),
                    )
                ]
    return []
