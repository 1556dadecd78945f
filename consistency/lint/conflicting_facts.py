"""``conflicting-facts`` (error): two entries valid at the same time give
different values of one kind for what is clearly the same thing.

Facts are placed in their sentence and clause (what they are about, under
which conditions); only facts about the same subject and occasion are compared,
so two thresholds for two different things are not a conflict.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from consistency.compare import facts_for, relation, render
from consistency.compare.roles import RoledFact, claim_similarity, roles_for, stem
from consistency.kb.knowledge_base import KnowledgeBase
from consistency.lint.common import answer_span, cut, cut_left, make_issue, version_label
from consistency.lint.models import LintIssue, shipped
from consistency.lint.registry import LintCheck, LintContext
from consistency.models import Fact, KBEntry

__all__ = ["CHECK", "check"]


# Kinds whose values two entries can state differently. Yes/no claims (polarity) are
# paired apart, on their claim key; conditions only qualify other facts.
_VALUE_KINDS = ("money", "percent", "duration", "date", "time", "phone", "email", "url", "count")
# A bound ("orders over £299", "TVs over 55 inches") is a condition's threshold,
# not the fact itself: two entries may set different thresholds for different things.
_THRESHOLD = frozenset({"over", "under", "at_least"})

_SENTENCE_END = re.compile(r"[.!?;](?=\s|$)")
_CLAUSE_END = re.compile(r"[,:()\u2013\u2014]|\s-\s")
_WORD = re.compile(r"[A-Za-z][A-Za-z'&-]*")
# After a fact, these start another statement: "£7.99 a month and covers theft",
# "020 7946 0321 if your account is hacked", "locked for 1 hour to keep it safe".
_NEXT_PART = re.compile(
    r"\b(?:and|or|but|if|when|unless|which|while|so|because|to|then|until)\b", re.IGNORECASE
)
# "plans with 100GB of data or more": a bound the extractor left unmarked.
_OPEN_BOUND = re.compile(
    r"[^.;,]{0,20}?\b(?:or (?:more|above|over|less|under)|and (?:above|over))\b"
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Function words, fillers and units: they never name what a fact is about.
_STOP = _words(
    """a an the and or but if so to of in on at by for from with within without into over
    under up out off about after before than then as is are was were be been being am it its
    it's this that these those there here you your you're you've you'll we we'll we're our
    us they their them i i'm my he she his her who which what when where how why will would
    can could should shall may might must do does did have has had not no nor yes please
    just only also too very more most less much many each every any all some other another
    same such own via per um uh er like yeah okay ok well so really sure get gets got
    day days week weeks month months year years hour hours minute minutes working business
    calendar percent pound pounds pence p am pm a.m p.m zero one two three four five six
    seven eight nine ten twelve twenty thirty hundred thousand first second extra"""
)
# Words that say how to reach or pay, not what about: "call our fraud team on ...".
_GENERIC = _words(
    """call ring dial phone email mail text write contact reach team line lines number
    open opening close closed cost costs price priced charge charged fee fees pay paid
    free available usually customer customers account order orders
    voltstream company website site online today monday tuesday wednesday thursday
    friday saturday sunday weekday weekdays weekend daily apply applies start starts
    subject status representative apr"""
)
_GENERIC_STEMS = frozenset(stem(w) for w in _GENERIC)
_NEAR = 3
#: ``claim_similarity`` two opposite yes/no claims with one key need to conflict.
_CLAIM_MIN = 0.8
#: Word overlap (Jaccard) two sentences need when one fact's anchors only contain the other's.
_WIDE_OVERLAP = 0.5


@dataclass(frozen=True)
class _Placed:
    """A value fact of one entry version with what it is about and under which conditions."""

    entry: KBEntry
    fact: Fact
    near: frozenset[str]
    wide: frozenset[str]
    conditions: frozenset[str]
    context: str
    """The clause up to and including the fact, for the message."""


def _bounds(pattern: re.Pattern[str], text: str, start: int, end: int) -> tuple[int, int]:
    s = 0
    for m in pattern.finditer(text, 0, start):
        s = m.end()
    m = pattern.search(text, end)
    return s, (m.start() if m else len(text))


def _content(words: Iterable[str]) -> list[str]:
    return [stem(w) for w in words if w.lower() not in _STOP and len(w) > 1]


def _place(
    entry: KBEntry, facts: list[Fact], conditions: list[Fact], common: frozenset[str]
) -> list[_Placed]:
    """Each value fact with its anchor words: content stems around it, facts masked.

    ``near`` holds the closest words either side within the clause, ``wide`` all
    words of the sentence; both without generic words ("call", "costs") and stems
    many entries share (the brand). ``conditions`` are the fact's qualifiers and
    the conditions stated in its sentence ("for Volt Plus members").
    """
    text = entry.answer
    masked = [f.span for f in facts]
    # "If you think someone has used your account, call ...": a clause sets the scene;
    # who pays what (members, thresholds, regions, the item's state) changes the fact.
    clauses = {str(c.value) for c in conditions if c.unit == "clause"}
    keep_out = _GENERIC_STEMS | common

    def anchors(words: Iterable[str]) -> list[str]:
        return [w for w in _content(words) if w not in keep_out]

    out = []
    for fact in facts:
        s0, s1 = _bounds(_SENTENCE_END, text, *fact.span)
        c0, c1 = _bounds(_CLAUSE_END, text, *fact.span)
        c0, c1 = max(c0, s0), min(c1, s1)
        after = _NEXT_PART.search(text, fact.span[1], c1)
        r1 = after.start() if after else c1
        words = [
            m
            for m in _WORD.finditer(text, s0, s1)
            if not any(a < m.end() and m.start() < b for a, b in masked)
        ]
        near_left = anchors(m.group() for m in reversed(words) if c0 <= m.start() < fact.span[0])
        near_right = anchors(m.group() for m in words if fact.span[1] <= m.start() < r1)
        stated = {str(c.value) for c in conditions if s0 <= c.span[0] < s1}
        qualifiers = (stated | set(fact.qualifiers)) - clauses
        out.append(
            _Placed(
                entry,
                fact,
                near=frozenset(near_left[:_NEAR] + near_right[:_NEAR]),
                wide=frozenset(anchors(m.group() for m in words)),
                conditions=frozenset(qualifiers),
                context=cut_left(text[c0 : fact.span[1]].strip()),
            )
        )
    return out


_CONTACT_KINDS = frozenset({"phone", "email", "url"})


def _same_subject(a: _Placed, b: _Placed) -> bool:
    """Clearly one thing: the same anchor words next to both facts ("call our fraud
    team on"), or one side's anchors all within the other's and the two sentences
    mostly alike ("Volt Plus costs" / "Volt Plus membership is"). "Standard
    delivery" and "next day delivery" each have a word the other lacks."""
    if not a.near or not b.near or not (a.near & b.near):
        return False
    if a.near == b.near:
        return True
    if not (a.near <= b.wide or b.near <= a.wide):
        return False
    if a.fact.kind in _CONTACT_KINDS and not (a.near <= b.wide and b.near <= a.wide):
        # "our Financial Support team on 0808 ..." beside "Customer Support on 0808 ...":
        # a word one side names and the other never says is another team or line
        return False
    union = a.wide | b.wide
    return len(a.wide & b.wide) / len(union) >= _WIDE_OVERLAP


def _is_bound(fact: Fact, text: str) -> bool:
    return fact.modifier in _THRESHOLD or _OPEN_BOUND.match(text, fact.span[1]) is not None


# Occasions that set their own values: bank-holiday or Christmas hours beside the usual ones.
_OCCASION = re.compile(
    r"\b(?:(?:bank|public)\s+holidays?|christmas|boxing\s+day|new\s+year|easter)\b", re.I
)


def _occasion(p: _Placed) -> frozenset[str]:
    """The occasions the fact's sentence names ("On bank holidays, ..."), lower case."""
    s0, s1 = _bounds(_SENTENCE_END, p.entry.answer, *p.fact.span)
    found = _OCCASION.findall(p.entry.answer[s0:s1])
    return frozenset(" ".join(o.lower().split()) for o in found)


def _comparable(a: _Placed, b: _Placed) -> bool:
    fa, fb = a.fact, b.fact
    if fa.kind != fb.kind or fa.unit != fb.unit:
        return False
    if _occasion(a) != _occasion(b):
        return False  # "on bank holidays, stores open 10am to 4pm" is not the usual hours
    if fa.subject and fb.subject and fa.subject != fb.subject:
        return False
    return a.conditions == b.conditions


def _overlap(a: KBEntry, b: KBEntry) -> bool:
    a0, a1 = a.valid_from or dt.date.min, a.valid_to or dt.date.max
    b0, b1 = b.valid_from or dt.date.min, b.valid_to or dt.date.max
    return a0 <= b1 and b0 <= a1


def _common_stems(kb: KnowledgeBase) -> frozenset[str]:
    """Stems in the answers of many ids (brand names, "delivery" in a shop's KB)."""
    df: dict[str, set[str]] = defaultdict(set)
    for entry in kb.entries:
        for w in set(_content(m.group() for m in _WORD.finditer(entry.answer))):
            df[w].add(entry.id)
    limit = max(3, len(kb) // 10)
    return frozenset(w for w, ids in df.items() if len(ids) > limit)


def _conflicting_facts(kb: KnowledgeBase) -> list[LintIssue]:
    common = _common_stems(kb)
    # Block on (kind, anchor word): only facts sharing a near word are ever paired.
    blocks: dict[tuple[str, str], list[_Placed]] = defaultdict(list)
    claims: dict[str, list[tuple[_Placed, RoledFact]]] = defaultdict(list)
    for entry in kb.entries:
        found = facts_for(entry.answer)
        values = [f for f in found if f.kind in _VALUE_KINDS and not _is_bound(f, entry.answer)]
        conditions = [f for f in found if f.kind == "condition"]
        for placed in _place(entry, values, conditions, common):
            for word in sorted(placed.near):
                blocks[placed.fact.kind, word].append(placed)
        # Yes/no claims ("we do not accept cheques") pair only on the same claim key;
        # charges ("free", "no fee") are the money facts' business.
        said = [f for f in found if f.kind == "polarity" and _claim_key(f)]
        roled = roles_for(entry.answer, said)
        for placed, rf in zip(_place(entry, said, conditions, common), roled, strict=True):
            claims[_claim_key(placed.fact)].append((placed, rf))
    seen: set[tuple[object, ...]] = set()
    issues = []
    for key in sorted(blocks):
        for a, b in itertools.combinations(blocks[key], 2):
            if a.entry.id == b.entry.id or not _overlap(a.entry, b.entry):
                continue
            if not _comparable(a, b) or not _same_subject(a, b):
                continue
            if relation(a.fact, b.fact) != "differ":
                continue
            ident = (a.entry.id, b.entry.id, a.fact.kind, str(a.fact.value), str(b.fact.value))
            if ident in seen:
                continue  # the same pair again: another anchor word, another version
            seen.add(ident)
            issues.append(_conflict_issue(kb, a, b))
    for key in sorted(claims):
        for (a, ra), (b, rb) in itertools.combinations(claims[key], 2):
            if a.entry.id == b.entry.id or not _overlap(a.entry, b.entry):
                continue
            if a.fact.value == b.fact.value or a.conditions != b.conditions:
                continue
            if claim_similarity(ra, rb) < _CLAIM_MIN:
                continue
            ident = (a.entry.id, b.entry.id, "polarity", key)
            if ident not in seen:
                seen.add(ident)
                issues.append(_conflict_issue(kb, a, b))
    return issues


def _claim_key(fact: Fact) -> str:
    key = fact.subject or ""
    return "" if not key or key.split()[0] == "fee" else key


def _conflict_issue(kb: KnowledgeBase, a: _Placed, b: _Placed) -> LintIssue:
    versioned = {e: len(kb.versions(e.id)) > 1 for e in (a.entry, b.entry)}
    spans = [
        answer_span(a.entry, a.fact.span, versioned=versioned[a.entry]),
        answer_span(b.entry, b.fact.span, versioned=versioned[b.entry]),
    ]
    if a.fact.kind == "polarity":
        message = (
            f"{version_label(kb, a.entry)} says {cut(a.fact.text)!r} and "
            f"{version_label(kb, b.entry)} says {cut(b.fact.text)!r}: one says yes, "
            "the other no, so agents will give both."
        )
    else:
        message = (
            f"{version_label(kb, a.entry)} says {render(a.fact)} ({a.context!r}) and "
            f"{version_label(kb, b.entry)} says {render(b.fact)} ({b.context!r}): "
            f"two {a.fact.kind} values for one thing, so agents will give both."
        )
    return make_issue("conflicting-facts", spans, message, kb, (a.entry, b.entry))


def check(ctx: LintContext) -> list[LintIssue]:
    """The ``conflicting-facts`` check, as the registry calls it."""
    return _conflicting_facts(ctx.kb)


CHECK = LintCheck(
    "conflicting-facts",
    shipped("conflicting-facts"),
    check,
)
