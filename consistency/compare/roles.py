"""The role of a fact: what it is about, read from the words around it.

Alignment "by kind and role" needs to know that in "standard delivery costs
£3.99, next day costs £6.99" the first price is about *standard* delivery. A
role is the set of content-word stems in a small window around the fact,
inside its sentence, with a few domain synonyms folded together ("send back"
and "return", "price" and "cost"). Numbers, units, fillers ("um", "so yeah")
and function words carry no role.

``extra`` marks facts that are about this conversation rather than the
policy: "I'll call you back in 10 minutes", "your order 12345", "you ordered
it 3 days ago". Such a fact is never taken as the answer's version of a KB fact
unless its role words say so clearly.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

from consistency.facts.words import FILLER_WORDS
from consistency.models import Fact

__all__ = [
    "RoledFact",
    "claim_similarity",
    "is_detail_for",
    "role_similarity",
    "roles_for",
    "stem",
]

_WORD = re.compile(r"[A-Za-z][A-Za-z'&-]*|[.!?;]|\d+")
_BOUNDARY = frozenset(".!?;")

_STOP = FILLER_WORDS | frozenset(
    {
        # conversation filler, contractions and small numbers: never a role
        "actually",
        "anything",
        "aren't",
        "basically",
        "bye",
        "can't",
        "cheers",
        "couldn't",
        "course",
        "didn't",
        "doesn't",
        "doing",
        "don't",
        "done",
        "dozen",
        "eighteen",
        "everything",
        "fifteen",
        "first",
        "fourteen",
        "get",
        "gets",
        "getting",
        "go",
        "goes",
        "going",
        "got",
        "great",
        "half",
        "hasn't",
        "haven't",
        "having",
        "hello",
        "hi",
        "hmm",
        "i'll",
        "i'm",
        "i've",
        "isn't",
        "it'll",
        "know",
        "let",
        "let's",
        "look",
        "lovely",
        "madam",
        "made",
        "make",
        "makes",
        "mate",
        "need",
        "nineteen",
        "nothing",
        "one's",
        "other",
        "ours",
        "perfect",
        "point",
        "really",
        "second",
        "see",
        "seventeen",
        "sir",
        "sixteen",
        "something",
        "sure",
        "take",
        "takes",
        "taking",
        "that's",
        "there's",
        "third",
        "thirteen",
        "took",
        "want",
        "we'll",
        "we're",
        "we've",
        "what's",
        "won't",
        "wouldn't",
        "yep",
        "you'll",
        "you've",
        "yours",
    }
)

# stem -> canonical role word (after stemming)
_SYNONYMS: dict[str, str] = {
    "send": "return",
    "sent": "return",
    "back": "return",
    "returnable": "return",
    "refunded": "refund",
    "money": "refund",
    "reimburse": "refund",
    "delivery": "deliver",
    "deliveri": "deliver",
    "shipping": "deliver",
    "ship": "deliver",
    "postage": "deliver",
    "post": "deliver",
    "arrive": "deliver",
    "arriv": "deliver",
    "price": "cost",
    "charg": "cost",
    "charge": "cost",
    "fee": "cost",
    "pay": "cost",
    "paid": "cost",
    "payabl": "cost",
    "cheap": "cost",
    "expens": "cost",
    "warranty": "guarante",
    "guarantee": "guarante",
    "membership": "member",
    "try": "attempt",
    "tri": "attempt",
    "go": "attempt",
    "goe": "attempt",
    "lockout": "lock",
    "tomorrow": "next",
    "expiri": "expir",
    "expire": "expir",
    "valid": "expir",
    "last": "expir",
    "sim": "sim",
    "phone": "phone",
    "mobile": "phone",
    "gadget": "devic",
    "device": "devic",
    "folk": "person",
    "people": "person",
    "household": "person",
    "box": "packag",
    "boxed": "packag",
    "packaging": "packag",
    "package": "packag",
    "unopened": "unus",
    "unused": "unus",
    "gig": "gb",
    "gigabyte": "gb",
    "more": "over",
    "above": "over",
}

_SUFFIXES = (
    "ations",
    "ation",
    "ions",
    "ion",
    "ings",
    "ing",
    "edly",
    "ed",
    "ies",
    "es",
    "s",
    "ly",
    "y",
    "e",
)

# words that show a fact is about this conversation, not the policy
_EXTRA = re.compile(
    r"\b(?:i'll|i will|i'm going to|let me|give me|bear with|hold on|ago|"
    r"your order(?: number)?|order number|reference|ref|case number|"
    # a support ticket, not a travel or event ticket ("an Anytime ticket is valid for...")
    r"ticket\s+(?:number|ref)|support\s+ticket|(?:raised?|opened?|logged)\s+a\s+ticket|"
    r"you ordered|you bought|you placed|you paid|you rang|you called|you phoned|you tried|"
    r"you've had|you have had|been waiting|"
    r"already|since|yesterday|last week|last month|earlier|on hold|transfer you|in a moment|"
    r"in a minute|in a sec|one moment|my name|speaking|"
    # what the agent has just arranged: "I've booked him in for 2:15pm on the 9th"
    r"i've\s+(?:booked|arranged|scheduled|noted|put\s+(?:you|him|her|them)\s+down)|"
    r"booked\s+(?:you|him|her|them)\s+in)\b",
    re.IGNORECASE,
)


_SENTENCE_START = re.compile(r"[.!?;]\s")


def _word_start(text: str, pos: int) -> int:
    """``pos`` moved back to the start of the word it falls in: a window never begins
    mid-word."""
    while 0 < pos < len(text) and text[pos - 1].isalnum():
        pos -= 1
    return pos


def _word_end(text: str, pos: int) -> int:
    """``pos`` moved on to the end of the word it falls in: a window cut at "ref" of
    "refunding" would read a reference number."""
    while 0 < pos < len(text) and text[pos - 1].isalnum() and text[pos].isalnum():
        pos += 1
    return pos


@lru_cache(maxsize=16384)
def stem(word: str) -> str:
    """A crude, stable stem: lower case, a common suffix off, synonyms folded.

    Kept per word: a check stems the same few hundred words again and again.
    """
    w = word.lower().strip("'-")
    if w.endswith("'s"):
        w = w[:-2]  # "order's"
    if w in _SYNONYMS:
        return _SYNONYMS[w]
    for suf in _SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            w = w[: -len(suf)]
            break
    if len(w) > 4 and w[-1] == w[-2] and w[-1] not in "aeiousz":
        w = w[:-1]  # "cancell(ation)" and "cancel"
    return _SYNONYMS.get(w, w)


@dataclass(frozen=True)
class RoledFact:
    """A fact with what it is about (``roles``) and whether it reads as conversation detail."""

    fact: Fact
    roles: frozenset[str] = field(default_factory=frozenset)
    near: frozenset[str] = field(default_factory=frozenset)
    extra: bool = False
    index: int = 0
    cue: str = ""
    """The stem of the word that made the fact read as conversation detail ("bought")."""
    inner: frozenset[str] = field(default_factory=frozenset)
    """Content-word stems inside the fact's own span (used for long polarity claims)."""


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(text)]


def roles_for(
    text: str, facts: list[Fact], *, left: int = 7, right: int = 5, near: int = 3
) -> list[RoledFact]:
    """Attach role words to each fact from its sentence neighbourhood.

    Args:
        text: the text the facts were extracted from (spans index it).
        facts: the facts.
        left / right: how many tokens to look at either side (sentence-bounded).
        near: the narrower window whose words weigh more (``RoledFact.near``).
    """
    toks = _tokens(text)
    # Tokens come in text order without overlapping, so their starts and ends both
    # ascend: the tokens before, after and inside a span are found by bisection
    # (scanning every token for every fact was quadratic in the text).
    starts = [t[1] for t in toks]
    ends = [t[2] for t in toks]
    out: list[RoledFact] = []
    for n, fact in enumerate(facts):
        s, e = fact.span
        before = bisect.bisect_right(ends, s)  # toks[:before] end at or before s
        after = bisect.bisect_left(starts, e)  # toks[after:] start at or after e
        lw: list[str] = []
        for word, _, _ in reversed(toks[max(0, before - left - 1) : before]):
            if word in _BOUNDARY or len(lw) >= left:
                break
            lw.append(word)
        rw: list[str] = []
        for word, _, _ in toks[after : after + right + 1]:
            if word in _BOUNDARY or len(rw) >= right:
                break
            rw.append(word)
        window = [w for w in lw + rw if w.lower() not in _STOP and not w.isdigit()]
        close = [w for w in lw[:near] + rw[:near] if w.lower() not in _STOP and not w.isdigit()]
        inside = toks[bisect.bisect_left(starts, s) : bisect.bisect_right(ends, e)]
        inner = frozenset(
            stem(w) for w, _, _ in inside if w.lower() not in _STOP and not w.isdigit()
        )
        left_text = _SENTENCE_START.split(text[_word_start(text, max(0, s - 40)) : s])[-1]
        cue_match = _EXTRA.search(left_text) or _EXTRA.search(text[e : _word_end(text, e + 12)])
        extra = cue_match is not None
        cue = stem(cue_match.group(0).split()[-1]) if cue_match is not None else ""
        out.append(
            RoledFact(
                fact=fact,
                roles=frozenset(stem(w) for w in window),
                near=frozenset(stem(w) for w in close),
                extra=extra,
                cue=cue,
                index=n,
                inner=inner,
            )
        )
    return out


# verbs that make the same claim about a policy: "we accept cash" / "you can pay cash"
_CLAIM_VERBS = {
    "pay": "accept",
    "take": "accept",
    "ship": "deliver",
    "send": "deliver",
    "post": "deliver",
}


def _claim_words(rf: RoledFact) -> tuple[str, set[str], set[str]]:
    """A polarity fact's verb, object words and context words, stemmed alike."""
    words = (rf.fact.subject or "").split()
    context = set(rf.roles) | set(rf.near) | set(rf.inner)
    if not words:
        return "", set(), context
    verb = _CLAIM_VERBS.get(words[0], words[0])
    objects = {stem(w) for w in words[1:]}
    return verb, objects, context


def claim_similarity(a: RoledFact, b: RoledFact) -> float:
    """How likely two polarity facts state one claim, in 0-1.

    With the same verb (the claim key's first word, or ``fee``; "pay cash" and
    "accept cash" count as one): the share of shared object words, or, at 0.8
    weight, of one side's objects found in the other's context ("we ship to the
    Republic of Ireland" against "we don't ship to other countries, including
    the Republic of Ireland"). Keys with no object word are too vague ("fee",
    "accept") to pair on their own: 0.4, plus their share of context words.
    With different verbs, one verb must be a word of the other claim and two
    words must be shared ("we can exchange it directly" against "we don't
    offer direct exchanges"), also at 0.8 weight; a charge (``fee``) only meets a
    charge. A word and its "un" form ("use" / "unuse") never match.
    """
    va, oa, ca = _claim_words(a)
    vb, ob, cb = _claim_words(b)
    if not va or not vb:
        return 0.0
    if any(("un" + w) in ob for w in oa) or any(("un" + w) in oa for w in ob):
        return 0.0
    if va != vb:
        if "fee" in (va, vb):
            return 0.0  # a charge is only ever the same claim as another charge
        if va not in ob | b.inner and vb not in oa | a.inner:
            return 0.0  # "exchange" vs "offer direct exchanges": one verb is the other's object
        fa, fb = oa | {va}, ob | {vb}
        shared = len((fa & (fb | b.inner)) | (fb & (fa | a.inner)))
        if shared < 2:
            return 0.0
        return 0.8 * min(1.0, shared / min(len(fa), len(fb)))
    scores = [0.0]
    if not (oa and ob) and (va == "fee" or not (oa or ob)):
        # "you won't be charged" / "you'll still be charged", or a charge that names nothing
        # ("there's a small charge") against one that does: only the context can tell
        both = min(len(ca), len(cb))
        scores.append(0.4 + (0.6 * len(ca & cb) / both if both else 0.0))
    if oa and ob:
        scores.append(len(oa & ob) / min(len(oa), len(ob)))
    if oa:
        scores.append(0.8 * len(oa & (ob | cb)) / len(oa))
    if ob:
        scores.append(0.8 * len(ob & (oa | ca)) / len(ob))
    return max(scores)


def role_similarity(a: RoledFact, b: RoledFact) -> float:
    """How sure we are that two facts play the same role, in 0-1.

    Overlap of role words relative to the smaller set, with the close words
    counted twice; plus agreement of ``subject`` and unit where the kind has them.
    """
    if a.fact.kind == "polarity":
        return claim_similarity(a, b)
    score = 0.0
    if a.roles and b.roles:
        inter = a.roles & b.roles
        near = (a.near & b.roles) | (b.near & a.roles)
        denom = min(len(a.roles), len(b.roles)) + 1
        score = min(1.0, (len(inter) + 0.5 * len(near)) / denom)
    fa, fb = a.fact, b.fact
    if fa.subject and fb.subject:
        score += 0.3 if fa.subject == fb.subject else -0.5
    if fa.kind == "count" and fa.unit and fb.unit:
        score += 0.3 if fa.unit == fb.unit else -0.1
    return max(0.0, min(1.0, score))


def is_detail_for(a: RoledFact, k: RoledFact) -> bool:
    """``a`` reads as conversation detail, and the KB fact ``k`` does not share its cue.

    "you bought it 3 days ago" is detail; "as long as you bought them before the
    18th" is not, when the KB fact itself is about when items were bought.
    """
    return a.extra and a.cue not in (k.roles | k.inner)
