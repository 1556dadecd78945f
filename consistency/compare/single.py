"""One against more: "One carer gets in free" against "up to two carers get in free".

The count facts leave a spoken "one" alone (it is mostly a pronoun or an article:
"one of our engineers", "a new one"), and "once" too unless a period follows ("once a
year"): read everywhere, they would pair with the KB's counts and raise false alarms.
Yet "one Booster is included", "you can exchange it once" and "we'll need one
estimate" are counts a customer acts on, and an agent who says two where the KB says
one misinforms as surely as with any other number.

So "one" and adverbial "once" are read here, and only against a count of the same thing
on the other side: the same head noun ("one replacement pair" against "two free
replacement pairs"), or "once" against "twice" / "3 times"; in sentences that share
another content word, with no negation before the number, and only when the side that
says "one" says no other number of that thing (a KB that also says "two estimates", or
"miss a payment" beside "miss 2 payments", has both). "One other person" and "one more
box" are one on top of others, not one in all, and are left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from consistency.compare.claims import said_instead, taken_by
from consistency.compare.lists import NEGATION, content_stems, sentence_finder
from consistency.facts.count import EXTRACTOR
from consistency.facts.words import FILLER_WORDS
from consistency.models import Conflict, Fact

__all__ = ["single_conflicts"]

#: "one carer", "a single estimate", "just one box"; not "no one", "any one", "one-off".
_ONE = re.compile(r"\b(?:one|a\s+single)\b(?![-'’])", re.IGNORECASE)
_NOT_A_COUNT_BEFORE = re.compile(
    r"\b(?:no|any|the|this|that|each|every|which|another|other|some|per|no\s+more\s+than"
    r"|more\s+than|at\s+least)\s+$",
    re.IGNORECASE,
)
#: "exchange it once for another", "covered once per aid": a count; "once you've sent it"
#: is a time.
_ONCE = re.compile(
    r"\bonce\b(?=\s*(?:[,.;:!?)]|$)|\s+(?:for|per|in|within|during|only|and|or|but|every|each)\b)",
    re.IGNORECASE,
)
#: Counts with these units are not "how many of a thing" ("aged 3", "5GB", "6-digit").
_NOT_THINGS = frozenset({"age", "digit", "character", "letter", "figure", "gb", "mb", "tb"})
#: "one other person", "one more box": one on top of others, not one in all.
_MORE = re.compile(r"\b(?:other|more|extra|additional|further|second|else)\b", re.IGNORECASE)
_NUMBER_WORDS = content_stems(
    "one two three four five six seven eight nine ten once twice single times time and or but"
)
_TIMES = "times"
_NEAR = 200  # characters either side of a number read for its clause and its words
_CLAUSE = re.compile(r"[,;:]\s|\s[-–—]\s|\s(?:but|and|so)\s", re.IGNORECASE)


@dataclass(frozen=True)
class _Count:
    value: Decimal
    unit: str
    span: tuple[int, int]
    sentence: tuple[int, int]


def _negated(text: str, start: int, sentence: tuple[int, int]) -> bool:
    """A negation in the clause before the number: "you can't bring two", "not twice"."""
    near = max(sentence[0], start - _NEAR)  # bounded: linear time on long speech
    clause = max([near, *(m.end() for m in _CLAUSE.finditer(text, near, start))])
    return NEGATION.search(text, clause, start) is not None


def _counted(fact: Fact) -> str | None:
    """The thing a count fact counts, or ``None`` when it is not a number of things."""
    unit = fact.unit or ""
    if fact.modifier in ("at_least", "over") or fact.upper is not None:
        return None  # "at least 3 photos" is met by three or more: not a plain number
    if unit == _TIMES:
        return _TIMES
    if not unit or unit in _NOT_THINGS or unit.startswith(("per ", "per_")):
        return None
    return unit


_VERBS = frozenset({"get", "gets", "go", "goes", "come", "comes", "lent", "given", "cost", "costs"})
_PHRASE_WORD = re.compile(r"\s+([A-Za-z][\w'’-]*)")


def _phrase(text: str, span: tuple[int, int], unit: str) -> tuple[int, int]:
    """The count's span carried on to the end of the thing counted: "two" -> "two free
    replacement pairs", "One Tollgate" -> "One Tollgate TV box" (the count facts stop at
    "free", left to the money facts, and at the first noun)."""
    if unit == _TIMES:
        return span
    pos, end = span[1], span[1]
    found = unit in text[span[0] : end].lower()
    for _ in range(4):
        m = _PHRASE_WORD.match(text, pos)
        if m is None:
            break
        word = m.group(1).lower()
        if word in FILLER_WORDS or word in _VERBS or (found and word.endswith(("ing", "ed"))):
            break
        pos = m.end()
        found = found or word.startswith(unit)
        if found:
            end = pos
    return (span[0], end) if found else span


def _many(text: str, facts: list[Fact]) -> list[_Count]:
    """Counts of two or more things, and "twice" / "3 times"."""
    out = []
    sentence_at = sentence_finder(text)
    for f in facts:
        unit = _counted(f)
        if unit is None or not isinstance(f.value, Decimal) or f.value < 2:
            continue
        sentence = sentence_at(f.span[0])
        if not _negated(text, f.span[0], sentence):
            span = _phrase(text, f.span, unit)
            out.append(_Count(f.value, unit, span, sentence))
    return out


def _ones(text: str) -> list[_Count]:
    """ "one carer", "a single estimate", and "once" said as a count."""
    out = []
    sentence_at = sentence_finder(text)
    for m in _ONE.finditer(text):
        if _NOT_A_COUNT_BEFORE.search(text[max(0, m.start() - 16) : m.start()]):
            continue
        fact = EXTRACTOR.noun_count(text, Decimal(1), m.start(), m.end())
        if fact is None or _counted(fact) in (None, _TIMES) or _MORE.search(fact.text):
            continue
        sentence = sentence_at(m.start())
        if not _negated(text, m.start(), sentence):
            span = _phrase(text, fact.span, fact.unit or "")
            out.append(_Count(Decimal(1), fact.unit or "", span, sentence))
    for m in _ONCE.finditer(text):
        sentence = sentence_at(m.start())
        if not _negated(text, m.start(), sentence):
            out.append(_Count(Decimal(1), _TIMES, m.span(), sentence))
    return out


def _numbers_of(text: str, facts: list[Fact], unit: str) -> set[Decimal]:
    """Every number of ``unit`` things ``text`` states, "a"/"an" thing included."""
    values = {f.value for f in facts if _counted(f) == unit and isinstance(f.value, Decimal)}
    if unit != _TIMES and re.search(
        rf"\b(?:a|an|per)\s+(?:\w+\s+)?{re.escape(unit)}\b", text, re.I
    ):
        values.add(Decimal(1))
    return values


def _near(text: str, c: _Count) -> frozenset[str]:
    """Content words of the count's sentence, at most ``_NEAR`` characters either side."""
    return content_stems(
        text[max(c.sentence[0], c.span[0] - _NEAR) : min(c.sentence[1], c.span[1] + _NEAR)]
    )


def _shared(answer: str, a: _Count, canonical: str, k: _Count) -> bool:
    """Both sentences say something else in common besides the number and the thing."""
    common = (_near(answer, a) & _near(canonical, k)) - _NUMBER_WORDS - content_stems(a.unit)
    return len(common) >= 1


def single_conflicts(
    answer: str,
    canonical: str,
    *,
    entry_id: str | None = None,
    taken: list[tuple[int, int]] | None = None,
) -> list[Conflict]:
    """One count conflict where one side says one of a thing and the other more of it."""
    a_ones, k_ones = _ones(answer), _ones(canonical)
    if not a_ones and not k_ones:
        return []  # most checks end here, before any count is extracted
    a_facts, k_facts = EXTRACTOR.extract(answer), EXTRACTOR.extract(canonical)
    a_many, k_many = _many(answer, a_facts), _many(canonical, k_facts)
    units = {c.unit for c in a_ones + a_many} & {c.unit for c in k_ones + k_many}
    kb_numbers = {u: _numbers_of(canonical, k_facts, u) for u in units}
    a_numbers = {u: _numbers_of(answer, a_facts, u) for u in units}
    pairs = [(a, k) for a in a_many for k in k_ones] + [(a, k) for a in a_ones for k in k_many]
    for a, k in pairs:
        if a.unit != k.unit:
            continue
        if taken_by(*a.span, taken):
            continue
        # the side that says one says no other number of it; the other side never says one
        if kb_numbers[k.unit] - {k.value} or a.value in kb_numbers[k.unit]:
            continue
        if len(a_numbers[a.unit] | {a.value}) > 1 or not _shared(answer, a, canonical, k):
            continue
        return [
            said_instead(
                "count", answer, a.span, a.sentence, canonical, k.span, k.sentence, entry_id
            )
        ]
    return []
