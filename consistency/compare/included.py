"""An answer that names as included what the KB leaves out: "you can use your own router
on any package, Street 40 included" against "on Full Fibre ..., but not on Street 40";
"a 30-day rolling contract on any package, including Full Fibre 500" against "a 30-day
rolling contract is only offered on Street 40".

The answer says a claim holds for something it names with "including", "... included",
"even", "... too" or "... as well". The KB sentence that makes the same claim (a content
word in common besides that thing) either denies it for that thing (a negation in the
clause that names it: "not on Street 40", "new-build homes can't get it"), or gives it
"only" to something else and never names the thing. Either is a scope conflict.
"""

from __future__ import annotations

import re

from consistency.compare.claims import against_sentence, denials, taken_by
from consistency.compare.lists import NEGATION, content_stems, sentence_finder
from consistency.models import Conflict

__all__ = ["included_conflicts"]

_THING = r"(?P<what>(?:[\w'’-]+\s+){0,3}?[\w'’-]+)"
_END = r"(?=\s*(?:[,.;:!?()]|$|\s[-–—]\s)|\s+(?:and|but|so|as|at|for|with|on|in)\b)"
_INCLUDING = re.compile(r"\b(?:including|incl\.?|even)\s+" + _THING + _END, re.IGNORECASE)
#: "..., outlets included": the thing, not a claim ("..., towels are included free").
_INCLUDED = re.compile(
    r"(?<=[,(]\s)" + _THING + r"(?<!\bis)(?<!\bare)(?<!\bwas)(?<!\bwere)(?<!\bbe)(?<!\bbeen)"
    r"\s+(?:included|too|as\s+well)\b",
    re.I,
)
#: A clause ends at punctuation, "but", "so", or "and"/"or" before a new subject ("we cover
#: flats and we don't cover park homes"); "new-build homes and park homes can't" is one.
_CLAUSE = re.compile(
    r"[,;:()]|\s[-–—]\s|\s(?:but|so)\s|\s(?:and|or)\s+(?=(?:we|you|they|it|there|i)\b)",
    re.IGNORECASE,
)
#: Where a sentence turns to another claim ("..., but ..."), so a negation before it
#: does not reach an "including" after it.
_TURN = re.compile(r"[;:]|\s[-–—]\s|\b(?:but|so|although|though|however|whereas|while)\b", re.I)
_PRONOUN = re.compile(r"\b(?:it|they|them|this|these)\b", re.IGNORECASE)
_ONLY = re.compile(r"\bonly\b", re.IGNORECASE)
_GENERAL = content_stems("our the your a an all any every type kind")
_NEAR = 200


def _clause_around(text: str, start: int, end: int, sentence: tuple[int, int]) -> tuple[int, int]:
    left = max(sentence[0], start - _NEAR)
    cut = [m.end() for m in _CLAUSE.finditer(text, left, start)]
    right = _CLAUSE.search(text, end, min(sentence[1], end + _NEAR))
    return (max([left, *cut]), right.start() if right else min(sentence[1], end + _NEAR))


def included_conflicts(
    answer: str,
    canonical: str,
    *,
    entry_id: str | None = None,
    taken: list[tuple[int, int]] | None = None,
) -> list[Conflict]:
    """One scope conflict where the answer includes what the KB leaves out."""
    found = [*_INCLUDING.finditer(answer), *_INCLUDED.finditer(answer)]
    if not found:
        return []
    a_sentence, k_sentence = sentence_finder(answer), sentence_finder(canonical)
    k_words = [
        (m.start(), m.end(), content_stems(m.group(0)))
        for m in re.finditer(r"[\w£&'+-]+", canonical)
    ]
    for m in found:
        what = content_stems(m.group("what")) - _GENERAL
        if not what or NEGATION.search(m.group(0)) or taken_by(m.start(), m.end(), taken):
            continue
        sentence = a_sentence(m.start())
        # the clause it adds to, across commas: "we can't whiten under 18s, even privately"
        since = max(
            [sentence[0], *(c.end() for c in _TURN.finditer(answer, sentence[0], m.start()))]
        )
        if NEGATION.search(denials(answer[since : m.start()])):
            continue  # "not including new builds"
        near = answer[max(sentence[0], m.start() - _NEAR) : min(sentence[1], m.end() + _NEAR)]
        claim = content_stems(near) - what - _GENERAL
        # the KB denies the claim for the thing: a negation in the clause that names it
        for start, end, stems in k_words:
            if not stems & what:
                continue
            s = k_sentence(start)
            clause = _clause_around(canonical, start, end, s)
            named = content_stems(canonical[clause[0] : clause[1]])
            if not what <= named or not NEGATION.search(canonical, clause[0], clause[1]):
                continue
            said_there = canonical[s[0] : s[1]]
            if claim & content_stems(said_there) or (
                _PRONOUN.search(said_there) and len(claim & content_stems(canonical)) >= 2
            ):  # "park homes can't get it": the claim is the KB's earlier sentence's
                return [_conflict(answer, canonical, m, s, entry_id, "rules it out")]
        # the KB gives the claim only to something else and never names the thing
        if what <= content_stems(canonical):
            continue
        for o in _ONLY.finditer(canonical):
            s = k_sentence(o.start())
            if len(claim & content_stems(canonical[s[0] : s[1]])) >= 2:
                return [_conflict(answer, canonical, m, s, entry_id, "gives it only to another")]
    return []


def _conflict(
    answer: str,
    canonical: str,
    m: re.Match[str],
    kb_sentence: tuple[int, int],
    entry_id: str | None,
    how: str,
) -> Conflict:
    rest = f'the answer says "{m.group(0)}", where the KB {how}.'
    return against_sentence("scope", answer, m.span(), canonical, kb_sentence, entry_id, rest)
