"""Steps in another order: "a hard search first, then a soft one" for "a soft search first".

A policy often says what happens *first*: a repair before a replacement, a review by the
Head of Customer Experience before the council, a soft credit search before the hard one.
An agent who names the same steps in the other order misinforms without changing a word
the other checks look at.

Each text is cut into clauses; the clause with a "first" marker ("first", "firstly",
"to start with", "starts at") is its first step. The answer reverses the KB when both
hold:

* a word only the KB's first step says is in a later clause of the answer, not its first;
* a word the KB says only in a later step is in the answer's first step.

Both texts must therefore name both steps: an answer that names another first step the
KB never mentions is extra detail, and one that keeps the KB's first step is no reversal.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from consistency.compare.claims import kb_says, taken_by
from consistency.compare.lists import NEGATION, content_stems
from consistency.models import Conflict

__all__ = ["order_conflicts"]

# what marks a clause as the first step; "first thing", "first name", "first class" do not
_FIRST = re.compile(
    r"\b(?:first(?:ly)?(?!\s+(?:thing|name|names|class|time|come|of\s+the\s+month|language|aid)\b)"
    r"(?<!\bat\s)|initially|to\s+(?:start|begin)\s+with|starts?\s+(?:at|with|on)"
    r"|begins?\s+(?:at|with))\b",
    re.IGNORECASE,
)
# where a step ends: a sentence end, a comma or colon, or a word that starts another step
_CUT = re.compile(
    r"[.!?;:,](?=\s|$)|\s[-–—]\s|\b(?:then|and\s+then|after\s+that|afterwards|finally|once|"
    r"(?:and\s+)?only|if|unless|until|before|after|when)\b",
    re.IGNORECASE,
)
_CONDITIONAL = re.compile(r"(?:if|when|unless)\b", re.IGNORECASE)
# the marker words themselves say nothing about which step
_MARKERS = frozenset(
    {"first", "firstly", "initially", "start", "begin", "then", "finally", "second", "only"}
)


@dataclass(frozen=True)
class _Steps:
    first: tuple[int, int]
    """The span of the first step's clause."""
    first_stems: frozenset[str]
    later_stems: frozenset[str]


def _clauses(text: str) -> list[tuple[int, int]]:
    cuts = [0, *(m.start() for m in _CUT.finditer(text)), len(text)]
    out = []
    for s, e in itertools.pairwise(cuts):
        while s < e and not text[s].isalnum():
            s += 1
        if s < e:
            out.append((s, e))
    return out


def _steps(text: str) -> _Steps | None:
    """The first step of ``text`` and the stems of every other affirmative clause, or ``None``."""
    clauses = _clauses(text)
    first = next(
        (c for c in clauses if _FIRST.search(text, c[0], c[1]) and not NEGATION.search(text, *c)),
        None,
    )
    if first is None:
        return None
    later: set[str] = set()
    for c in clauses:
        # "only if it can't be repaired" names no step of its own; "if we still haven't had
        # one we'll send an email" does: its negation is the condition's
        conditional = _CONDITIONAL.match(text, c[0]) is not None and not re.search(
            r"\bonly\s*$", text[max(0, c[0] - 8) : c[0]], re.IGNORECASE
        )
        if c != first and (conditional or not NEGATION.search(text, *c)):
            later |= content_stems(text[c[0] : c[1]])
    return _Steps(
        first, content_stems(text[first[0] : first[1]]) - _MARKERS, frozenset(later - _MARKERS)
    )


# words that put what follows after an earlier step
_THEN = re.compile(
    r"\b(?:then|after|afterwards|later|second|next|if|once|only|finally|failing\s+that)\b",
    re.IGNORECASE,
)


def _later_step(answer: str, after: int, words: frozenset[str]) -> bool:
    """A step word the answer moved later follows "then", "if", "second", ...: the answer
    itself says it comes after, rather than only mentioning it later on."""
    for m in re.finditer(r"[\w£&'+-]+", answer[after:]):
        if content_stems(m.group(0)) & words:
            return bool(_THEN.search(answer, after, after + m.start()))
    return False


def order_conflicts(
    answer: str,
    canonical: str,
    *,
    entry_id: str | None = None,
    taken: list[tuple[int, int]] | None = None,
) -> list[Conflict]:
    """The answer's first step is one the KB puts later, and the KB's first comes later."""
    kb, ans = _steps(canonical), _steps(answer)
    if kb is None or ans is None:
        return []
    a_start, a_end = ans.first
    if taken_by(a_start, a_end, taken):
        return []
    kb_first_only = kb.first_stems - kb.later_stems
    moved_later = kb_first_only & ans.later_stems - ans.first_stems
    moved_first = ans.first_stems & (kb.later_stems - kb.first_stems)
    if not moved_later or not moved_first or not _later_step(answer, a_end, moved_later):
        return []
    a_text = answer[a_start:a_end].strip(" ,")
    k_start, k_end = kb.first
    k_text = canonical[k_start:k_end].strip(" ,")
    return [
        Conflict(
            kind="ordinal",
            answer_value=a_text,
            kb_value=k_text,
            answer_span=(a_start, a_start + len(a_text)),
            kb_span=(k_start, k_start + len(k_text)),
            answer_text=a_text,
            kb_text=k_text,
            entry_id=entry_id,
            explanation=kb_says(
                entry_id,
                k_text,
                f'the answer puts another step first: "{a_text}".',
            ),
        )
    ]
