"""Two steps in the other order, however each text says the order.

"We book your installation first and then apply for the grant" against "we only book the
installation once the grant voucher has been issued"; "ring our claims line first, then
report it to the police" against "report it to the police straight away, then call our
claims line". A policy says which step comes first in many ways: "A before B", "before B,
A", "A once B", "after B, A", "A, then B", "A, followed by B", "A first, and B", "A first
... B afterwards". Each text is read into ordered pairs (the earlier step's words, the later
step's words); the answer reverses the KB when an answer pair's earlier step names the
KB pair's later step and its later step the KB's earlier one, and neither names its own
counterpart.

Precision first: a step's words are those its pair does not share with the other step; a
clause with a negation is left alone ("you can't cancel after installation"); "after
that" and "the day before" order nothing here (the previous sentence, a day: the ordinal
facts read those); a pair the KB states in the answer's order anywhere wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from consistency.compare.claims import denials, said_instead, taken_by
from consistency.compare.lists import NEGATION, SENTENCE, content_stems
from consistency.models import Conflict

__all__ = ["sequence_conflicts"]

#: Words that mark the order, or say nothing of which step it is.
_MARKERS = frozenset(
    content_stems(
        "first firstly then afterwards after before once followed later straight away need "
        "can just and we'll you'll it's they'll"
    )
)
_END = r"(?=[,.;:!?]|\s[-–—]\s|\s(?:and|but|so|then|which)\b|$)"
_STEP = r"[^,.;:!?]{2,80}?"
_LONG_STEP = r"[^.;!?]{3,100}"
#: "first" after a determiner is an adjective ("her first order", "the first month"), no step
_NOT_OWNED = "".join(
    rf"(?<!\b{w})" for w in ("the", "your", "our", "her", "his", "their", "my", "its", "a", "an")
)
#: (pattern, whether the "a" group is the earlier step)
_PATTERNS: tuple[tuple[re.Pattern[str], bool], ...] = (
    (re.compile(rf"\b(?P<a>{_STEP})\s+(?:before|prior\s+to|ahead\s+of)\s+(?P<b>{_STEP}){_END}",
                re.I), True),
    (re.compile(rf"(?:^|[.!?]\s+)(?:before|prior\s+to)\s+(?P<b>[^,]{{2,60}}),\s*\b(?P<a>{_LONG_STEP})",
                re.I), True),
    (re.compile(rf"\b(?P<a>{_STEP})\s+(?:after|once|as\s+soon\s+as|following)\s+(?P<b>{_STEP}){_END}",
                re.I), False),
    (re.compile(rf"(?:^|[.!?]\s+|,\s+)(?:after|once|as\s+soon\s+as)\s+(?P<b>[^,]{{2,60}}),\s*"
                rf"\b(?P<a>{_LONG_STEP})", re.I), False),
    (re.compile(rf"\b(?P<a>{_LONG_STEP}?)(?:,\s*|\s+)(?:and\s+)?(?:then|followed\s+by|after\s+that)\s+"
                rf"(?P<b>{_LONG_STEP})", re.I), True),
    (re.compile(rf"\b(?P<a>{_LONG_STEP}?){_NOT_OWNED}\s+first\b(?P<b>{_LONG_STEP}?)\s+(?:afterwards|after\s+that|"
                rf"later)\b", re.I), True),
    # "the small items usually arrive first ... and the large items follow": the two
    # subjects are the steps, their verb is one
    (re.compile(r"(?P<a>\b(?:the|your|our|any)\s+(?:[\w-]+\s+){0,3}?[\w-]+)\s+(?:usually\s+|normally\s+|"
                r"always\s+|will\s+|should\s+)?[\w-]+\s+first\b[^.;!?]*?\s+and\s+"
                r"(?P<b>(?:the|your|our|any)\s+[^,.;!?]{2,40}?)\s+follows?\b", re.I), True),
)  # fmt: skip
#: Said, not written: "we'll book it first, and our engineer surveys it on the day" puts
#: the booking first in an answer; a KB that means an order says "then", "before", "once".
_SPOKEN_ORDER = (
    re.compile(rf"\b(?P<a>{_LONG_STEP}?){_NOT_OWNED}\s+first\s*,?\s+(?:and\s+)?(?:then\s+)?(?P<b>{_LONG_STEP})",
               re.I),
    True,
)  # fmt: skip
_TRIGGER = re.compile(
    r"\b(?:before|prior|ahead|after|once|as\s+soon|following|then|followed|first)\b", re.I
)
#: After the relation word, no event: "after that" (the previous sentence), "before then";
#: "after the first" (SIM, month) is a position, no step.
_NO_EVENT = re.compile(
    r"\s*(?:that|this|which|it|then|instead|(?:the\s+)?(?:first|second|third)\b(?!\s+(?:time|day)))\b",
    re.IGNORECASE,
)
#: Before the relation word, a day or a period: "the day before", "two weeks after" (the
#: ordinal and duration facts read those).
_PERIOD_BEFORE = re.compile(
    r"\b(?:day|days|evening|night|week|weeks|month|months|year|years|hours?|minutes?)\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Pair:
    earlier: frozenset[str]
    later: frozenset[str]
    span: tuple[int, int]
    sentence: tuple[int, int]


_CLOCK = re.compile(
    r"\s*(?:\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)|noon|midday|midnight)\s*", re.IGNORECASE
)


@lru_cache(maxsize=4096)
def _pairs(text: str, *, answer: bool = False) -> tuple[_Pair, ...]:
    """The ordered pairs of steps ``text`` states, each with its span and sentence; an
    answer's spoken "A first, and B" too."""
    plain = denials(text)  # "No, we book it first": the answer particle denies no step
    out: list[_Pair] = []
    for sm in SENTENCE.finditer(plain):
        for pattern, a_first in (*_PATTERNS, _SPOKEN_ORDER) if answer else _PATTERNS:
            for m in pattern.finditer(plain, sm.start(), sm.end()):
                a, b = _last_clause(m.group("a")), m.group("b")
                if _NO_EVENT.match(b) or _PERIOD_BEFORE.search(a):
                    continue
                if _CLOCK.fullmatch(a) or _CLOCK.fullmatch(b):
                    continue  # "place it before 9pm": a time, which the time facts compare
                first, then = (a, b) if a_first else (b, a)
                pair = _pair(first, then, m.span(), sm.span())
                if pair is not None:
                    out.append(pair)
    for m in _FIRST_THEN.finditer(plain):  # "First, get a quote. Then post your device."
        pair = _pair(m.group("a"), m.group("b"), m.span(), m.span())
        if pair is not None:
            out.append(pair)
    return tuple(out)


def _pair(
    earlier: str, later: str, span: tuple[int, int], sentence: tuple[int, int]
) -> _Pair | None:
    """Two steps in order, by their words; none where either is denied or says nothing."""
    if NEGATION.search(earlier) or NEGATION.search(later):
        return None
    e_stems, l_stems = content_stems(earlier) - _MARKERS, content_stems(later) - _MARKERS
    return _Pair(e_stems, l_stems, span, sentence) if e_stems and l_stems else None


#: Steps said as sentences of their own: "First, get a quote. Then post your device."
_FIRST_THEN = re.compile(
    r"(?:^|(?<=[.!?]\s))(?:first(?:ly)?|to\s+start(?:\s+with)?)\s*,?\s+(?P<a>(?:[^.!?]|[.!?](?=\S)){3,100})[.!?]\s+"
    r"(?:then|next|after\s+that|afterwards)\s*,?\s+(?P<b>(?:[^.!?;]|[.!?](?=\S)){3,100})",
    re.IGNORECASE,
)


def _last_clause(step: str) -> str:
    """A step from its last comma, when a clause there says it: "If it hasn't arrived,
    check your junk folder first" is the check, not the condition before it."""
    _, sep, tail = step.rpartition(",")
    return tail if sep and len(content_stems(tail) - _MARKERS) >= 2 else step


def _steps(pair: _Pair) -> tuple[frozenset[str], frozenset[str]]:
    """Each step's own words: not those both steps say."""
    common = pair.earlier & pair.later
    return pair.earlier - common, pair.later - common


def sequence_conflicts(
    answer: str,
    canonical: str,
    *,
    entry_id: str | None = None,
    taken: list[tuple[int, int]] | None = None,
) -> list[Conflict]:
    """One ordinal conflict where the answer puts two of the KB's steps the other way round."""
    if not _TRIGGER.search(answer):
        return []  # most answers state no order: no pattern runs on them
    kb_pairs = _pairs(canonical)
    if not kb_pairs:
        return []
    for a in _pairs(answer, answer=True):
        if taken_by(*a.span, taken):
            continue
        first, then = _steps(a)
        for k in kb_pairs:
            k_first, k_then = _steps(k)
            if not (first & k_then and then & k_first):
                continue
            # the words that say the swap outnumber those that say the KB's order: a step
            # said with a word of its neighbour ("post it first using the pack, and once it
            # arrives we'll quote") is still the other way round
            swapped = len(first & k_then) + len(then & k_first)
            if swapped <= len(first & k_first) + len(then & k_then):
                continue
            if any(first & p_first and then & p_then for p_first, p_then in map(_steps, kb_pairs)):
                continue  # the KB says the answer's order too
            said, kb_said = _trimmed(answer, a.span), _trimmed(canonical, k.span)
            return [
                said_instead(
                    "ordinal", answer, said, a.sentence, canonical, kb_said, k.sentence, entry_id
                )
            ]
    return []


_LEADING_AND = re.compile(r"(?:and|but|so)\s+", re.IGNORECASE)


def _trimmed(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """``span`` without the spaces and the leading sentence punctuation around it."""
    start, end = span
    while start < end and (text[start].isspace() or text[start] in ".!?,"):
        start += 1
    lead = _LEADING_AND.match(text, start, end)
    if lead is not None:
        start = lead.end()
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
