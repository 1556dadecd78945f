"""A thing counted another way: "every branch has a key drop box" against "most of our
branches have a secure key drop box"; "only at the branch that did your service" against
"any branch will top up your engine oil".

The scope check of :mod:`consistency.compare.members` compares whole clauses, and gives up
where a KB sentence says "all" of one thing and "selected" of another ("We fit winter tyres
at all branches, and selected branches can store your set"). Here each quantifier is read
with the noun it counts: all / every / any / each of a noun, against most / some / selected
/ certain of it, or "the <noun> that ..." (one in particular). An answer's quantified noun
is held against the KB's mention of the same noun whose clause says most of what the
answer's clause says; a different kind of quantifier there is a scope conflict.

Precision first: a noun with a qualifier after it ("all branches that do MOTs", "any
branch in Scotland") is the KB's narrower set said in full, not a wider one; the clauses
must share a word besides the noun; a KB that counts the noun the answer's way anywhere in
a clause as close to the answer's wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from consistency.compare.claims import said_instead, taken_by
from consistency.compare.lists import NEGATION, content_stems
from consistency.facts.numbers import find_numbers
from consistency.facts.polarity import stem
from consistency.models import Conflict

__all__ = ["quantified_conflicts"]

#: A determiner, and the company's or a product's name before the noun ("most Lumen stores").
_DET = r"(?:of\s+)?(?:our\s+|the\s+|your\s+|its\s+|their\s+)?(?-i:(?:[A-Z][\w-]*\s+){0,2})"
_UNIVERSAL = re.compile(rf"\b(?P<q>all|every|any|each)\s+(?:one\s+)?{_DET}(?P<noun>[a-z]+)\b", re.I)
_SOME = re.compile(
    rf"\b(?P<q>most|some|selected|certain|participating|several|many)\s+{_DET}(?P<noun>[a-z]+)\b",
    re.I,
)
#: One in particular: "the branch that did your service", "the store where you bought it".
_PARTICULAR = re.compile(
    r"\b(?P<q>the)\s+(?P<noun>[a-z]+)\s+(?:that|which|where|who)\s+(?:did|does|carried|"
    r"sold|made|issued|fitted|serviced|you\s+(?:used|bought|booked|visited|went))\b",
    re.I,
)
#: After the noun, a qualifier that names a narrower set: "all branches that do MOTs".
_QUALIFIED = re.compile(
    r"\s+(?:that|which|who|whose|where|with|in|near|on|across|outside|inside|except|apart|"
    r"other|listed|marked|shown|taking\s+part)\b",
    re.I,
)
_CLAUSE = re.compile(r"[.;:!?](?=\s|$)|,\s|\s[-–—]\s|\s(?:and|but|so|whereas)\s", re.I)
_QUANTIFIERS = frozenset(
    content_stems("all every any each most some selected certain participating several many only")
)


@dataclass(frozen=True)
class _Counted:
    universal: bool
    noun: str
    span: tuple[int, int]
    clause: tuple[int, int]
    words: frozenset[str]
    named: str = ""
    """The noun with the name said before it ("luton van" of "most of our Luton vans")."""


def _same_noun(a: _Counted, k: _Counted) -> bool:
    """The same things counted: "most of our Luton vans" are the KB's "all our Luton vans";
    "most plans" are not "all Premium plans", but "every store" is "most Acme stores"."""
    return (
        a.noun == k.noun
        or (not a.universal and a.named == k.noun)
        or (not k.universal and k.named == a.noun)
    )


def _clauses(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for m in _CLAUSE.finditer(text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return out


def _counted(text: str) -> list[_Counted]:
    clauses = _clauses(text)
    out: list[_Counted] = []
    for pattern, universal in ((_UNIVERSAL, True), (_SOME, False), (_PARTICULAR, False)):
        for m in pattern.finditer(text):
            name = [w for w in text[m.end("q") : m.start("noun")].split() if w[:1].isupper()]
            if universal and _QUALIFIED.match(text, m.end()):
                continue  # "all branches that do MOTs": a narrower set
            clause = next((c for c in clauses if c[0] <= m.start() < max(c[1], c[0] + 1)), None)
            if clause is None or NEGATION.search(text[clause[0] : clause[1]]):
                continue
            noun = stem(m.group("noun"))
            words = content_stems(text[clause[0] : clause[1]]) - _QUANTIFIERS - {noun}
            # "all Premium plans" is a narrower set than "plans": counted as its own noun
            words -= {stem(w.lower()) for w in name}
            named = " ".join([*(stem(w.lower()) for w in name), noun])
            key = named if universal else noun
            out.append(_Counted(universal, key, m.span(), clause, frozenset(words), named))
    return out


#: After a noun, the words that name a kind of it: "customers on Ember Fix tariffs".
_KIND_AFTER = (
    r"(?P<post>\s+(?:on|with|in|who|whose|aged|over|under)"
    r"(?:\s+(?!(?:and|or|but|so|is|are|it|it's|we|you)\b)[\w'-]+){1,3})"
)
#: Before a noun, a name: "our Ember Fix tariffs", "Premium members".
_NAME_BEFORE = r"(?P<mod>(?<=[a-z,] )(?-i:(?:[A-Z][\w-]*\s+){1,3}))"


_PRONOUNS = frozenset({"us", "we", "our", "you", "your", "them", "they", "their", "it", "its"})
_OWN_ONE = re.compile(r"\b(?:your|my)\s+$", re.IGNORECASE)


def _named_kinds(answer: str, canonical: str, kb: list[_Counted], question: str) -> list[_Counted]:
    """The answer's mentions of a noun the KB counts whole ("all our customers") that name
    one kind of it ("customers on Ember Fix tariffs", "our Ember Fix tariffs"): one in
    particular, when the kind is nothing the KB or the customer says."""
    nouns = {k.noun for k in kb if k.universal and " " not in k.noun}
    if not nouns:
        return []
    asked = content_stems(question)
    known = content_stems(canonical) | asked
    clauses = _clauses(answer)
    out: list[_Counted] = []
    for noun in nouns:
        pattern = re.compile(
            rf"{_NAME_BEFORE}?\b(?P<noun>{re.escape(noun)}[a-z]*)\b{_KIND_AFTER}?", re.I
        )
        for m in pattern.finditer(answer):
            if _OWN_ONE.search(answer, max(0, m.start() - 8), m.start()):
                continue  # "for your postcode": the customer's own one, not a kind of it
            kind = f"{m.group('mod') or ''} {m.group('post') or ''}"
            if stem(m.group("noun").lower()) != noun or find_numbers(kind):
                continue  # another noun, or a time or an amount ("slots from ten am")
            if content_stems(kind) & asked or not (content_stems(kind) - known - _PRONOUNS):
                continue  # the customer's kind, or the KB's own words ("phones from us")
            clause = next((c for c in clauses if c[0] <= m.start() < max(c[1], c[0] + 1)), None)
            if clause is None or NEGATION.search(answer[clause[0] : clause[1]]):
                continue
            if _UNIVERSAL.search(answer, clause[0], clause[1]):
                continue  # "all customers, including those on Ember Fix"
            words = content_stems(answer[clause[0] : clause[1]]) - _QUANTIFIERS - {noun}
            out.append(_Counted(False, noun, m.span(), clause, frozenset(words)))
    return out


def quantified_conflicts(
    answer: str,
    canonical: str,
    *,
    entry_id: str | None = None,
    taken: list[tuple[int, int]] | None = None,
    question: str = "",
) -> list[Conflict]:
    """One scope conflict where the answer counts the KB's noun the other way."""
    kb = _counted(canonical)
    said = _counted(answer) + _named_kinds(answer, canonical, kb, question)
    if not said:
        return []
    for a in said:
        if taken_by(*a.span, taken):
            continue
        same = [k for k in kb if _same_noun(a, k)]
        if not any(k.words & a.words for k in same):
            continue
        # where the KB counts the noun both ways, only what sets its clauses apart decides
        # ("all branches fit winter tyres, selected branches store them": "store")
        shared = frozenset.intersection(*(k.words for k in same)) if len(same) > 1 else frozenset()
        score = {id(k): len((k.words - shared) & a.words) for k in same}
        best = max(score.values())
        closest = [k for k in same if score[id(k)] == best]
        if not best:
            continue
        if len({k.universal for k in same}) > 1 and best < 2:
            continue  # counted both ways, and the answer's words barely choose between them
        if any(k.universal == a.universal for k in closest):
            continue  # the KB counts it the answer's way too
        k = closest[0]
        return [
            said_instead("scope", answer, a.span, a.clause, canonical, k.span, k.clause, entry_id)
        ]
    return []
