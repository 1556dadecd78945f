"""Another member in the same place: "meet you at the information desk" for "at the ticket office".

Much of a policy names *where*, *to whom* or *from what*: staff meet you at the ticket
office, buses leave from the station forecourt, compensation is worked out from the daily
cost, the first appeal goes to Penalty Appeals North. An agent who keeps the sentence and
swaps the member misinforms as surely as a wrong price, and no lexicon can list every
office, body or place a company names.

So the KB's own sentence is the category: an answer sentence and a KB sentence about the
same thing (two content words in common) that put a noun phrase in the same slot (the same
preposition after a shared verb or noun, "meet ... at", "work out ... from") disagree when
each phrase has a word the other side never says ("information desk" / "ticket office";
"weekly cost" / "daily cost"). A phrase the other side says anywhere, a more or less
specific phrase ("the forecourt" / "the station forecourt"), a number (the facts' job) or a
negated clause is never a conflict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from consistency.compare.claims import kb_says, taken_by
from consistency.compare.lists import (
    ANY_OF_KIND,
    NEGATION,
    SENTENCE,
    abbreviates,
    content_stems,
    said_stems,
)
from consistency.facts.numbers import find_numbers
from consistency.facts.polarity import stem
from consistency.models import Conflict

__all__ = ["slot_conflicts"]

# the slot: a preposition and a phrase that starts like a noun phrase; a word may hold
# dots between letters, or start with one: "a valid .ac.uk email address", "Booking.com"
_WORD = r"\.?[A-Za-z][\w'&-]*(?:\.[A-Za-z][\w'&-]*)*"
_SLOT = re.compile(
    r"\b(?P<prep>at|from|to|by|via|into|onto|through|with|on)\s+"
    rf"(?P<obj>(?:(?:the|your|our|a|an|any|their)\s+)?{_WORD}(?:\s+{_WORD}){{0,3}})",
    re.IGNORECASE,
)
_PREPOSITION = re.compile(r"\b(?:at|from|to|by|via|into|onto|through|with|on)\b", re.IGNORECASE)
#: Verbs whose object is a member as a preposition's is: "includes the VE103 certificate",
#: "call our breakdown line", "have a tail lift" (the object must start with a determiner).
_VERB = re.compile(
    r"\b(?P<verb>includ(?:e|es|ed)|call(?:s|ed|ing)?|ring|contact|bring|show|send|"
    r"ha(?:ve|s)|comes?\s+with|needs?|requires?)\s+"
    # "have a word", "need a hand": an idiom names no member
    rf"(?!an?\s+(?:word|look|chat|go|think|try|question|minute|moment|hand|break)\b)"
    rf"(?P<obj>(?:the|your|our|a|an|their)\s+{_WORD}(?:\s+{_WORD}){{0,3}})",
    re.IGNORECASE,
)
_DETERMINED = re.compile(r"^(?:the|your|our|a|an|any|their)\s|^[A-Z]")
_OBJECT_END = re.compile(
    r"\s(?:on|at|in|for|from|to|by|with|before|after|within|when|if|as|so|and|or|but|unless|"
    r"until|where|which|who|that|than|because|once|while|of|you|we|they|it|it's|i|whenever|"
    r"wherever|whichever|however|whatever"
    # what is said about the phrase, not in it: "to your card automatically um"
    r"|um|uh|erm|otherwise|instead|too|then|though"
    # the verb after the phrase: "on the card needs to match", "on our website shows"
    r"|is|are|was|were|has|have|must|will|can|needs|shows|says|tells"
    # a participle that says how, after the phrase: "through UNiDAYS using your email"
    r"|using|including|quoting|showing|giving|paying|making|taking|[a-z]{3,}ed(?=\s+(?:to|by|at|for|"
    r"with|from)\b)|[a-z]+(?:ically|ately|ually|ectly|ously|"
    r"ently|antly|iately))\b.*$",
    re.IGNORECASE,
)
_REFERENCE_AFTER = re.compile(r"\s+(?:ending\s+(?:in\s+)?)?(?:[A-Z]+-?)?\d{3,}")
_SAME_PREFIX = 6  # letters: "delivery" and "deliver" are one word said two ways
_ENDING = 2  # letters an inflection adds ("deliver" + "ed"); "inform" is no "information"
_ANCHOR_WORDS = 3  # content words before the preposition that name the slot


@dataclass(frozen=True)
class _Slot:
    prep: str
    anchor: frozenset[str]
    phrase: str
    stems: frozenset[str]
    start: int
    end: int
    sentence: tuple[int, int]
    negated: bool
    said: frozenset[str]
    """The content stems of the slot's sentence."""
    shown: str = ""
    """The preposition as said before the phrase ("at"); none for a verb's object."""


#: Words that name the same position: "the following box" is "the next one".
_SAME_AS = {
    "following": "next",
    "subsequent": "next",
    "preceding": "previous",
    "prior": "previous",
}
#: "the next one": a pronoun stands for the noun the other side names.
_PRONOUNS = frozenset({"one", "ones"})


def _phrase_stems(phrase: str) -> frozenset[str]:
    words = re.findall(r"[A-Za-z][\w'&-]*", phrase)
    return content_stems(
        " ".join(_SAME_AS.get(w.lower(), w) for w in words if w.lower() not in _PRONOUNS)
    )


@lru_cache(maxsize=4096)
def _slots(text: str) -> tuple[_Slot, ...]:
    out: list[_Slot] = []
    for sm in SENTENCE.finditer(text):
        s_start, s_end = sm.span()
        # every preposition starts a slot, also one inside another's phrase ("to redeem at
        # a Post Office"): matched at each preposition, not consumed by the one before
        found = [
            (p, _SLOT.match(text, p.start(), s_end))
            for p in _PREPOSITION.finditer(text, s_start, s_end)
        ]
        found += [(v, v) for v in _VERB.finditer(text, s_start, s_end)]
        for p, m in found:
            if m is None:
                continue
            verb = m.re is _VERB
            prep = _verb_key(m.group("verb")) if verb else m.group("prep").lower()
            obj = _OBJECT_END.sub("", m.group("obj"))
            if (
                not verb
                and prep == "at"
                and obj[:1].isupper()
                and _NAME_BEFORE.search(text[s_start : p.start()])
            ):
                continue  # "Pay at Depot": a name, not a slot ("Monday to Friday" is a range)
            bare = not _DETERMINED.match(obj)
            if bare and not _MADE.search(text, s_start, p.start()):
                continue  # a bare phrase is a slot only after what it is made of or by
            if _DIGIT.search(obj) or _number(obj) or any(not n.ordinal for n in find_numbers(obj)):
                continue  # a number, spoken or not, is the facts' job
            if _REFERENCE_AFTER.match(text, m.start("obj") + len(obj)):
                continue  # "the Visa ending 4417": the customer's own card, no policy
            stems = _phrase_stems(obj)
            if not stems:
                continue
            start = m.start("obj")
            out.append(
                _Slot(
                    prep,
                    _last_words(text[s_start : m.start()]) | ({prep} if verb else set()),
                    obj,
                    stems,
                    start,
                    start + len(obj),
                    (s_start, s_end),
                    bool(NEGATION.search(text, _clause_start(text, s_start, m.start()), m.start())),
                    content_stems(text[s_start:s_end]),
                    "" if verb else prep,
                )
            )
    return tuple(out)


_CLAUSE_CUT = re.compile(r"[,;:]\s|\s[-–—]\s")
#: A number in a phrase; a code's digits ("the VE103 certificate") name a member.
_DIGIT = re.compile(r"(?<![A-Za-z\d])\d")
#: What a thing is made of takes a bare noun: "made from sheep's wool", "made of recycled
#: cotton" (a material, not "from home" or "by phone").
_MADE = re.compile(r"\b(?:made|produced|manufactured|built|woven|knitted|printed)\s+$", re.I)
#: A capitalised word inside a sentence just before the preposition: the name goes on.
_NAME_BEFORE = re.compile(r"(?<=\S\s)[A-Z][a-z]+\s+$")


def _clause_start(text: str, start: int, end: int) -> int:
    """Where the clause before ``end`` starts: "If it isn't provided, you can claim from X"
    makes no denial of X."""
    return max([start, *(m.end() for m in _CLAUSE_CUT.finditer(text, start, end))])


def _number(phrase: str) -> bool:
    """The phrase is a number and nothing else: "the first", "the twenty eighth" (the
    facts read those; "the first floor" names a floor, a member)."""
    words = content_stems(_DETERMINED.sub("", phrase))
    numbers = {w for n in find_numbers(phrase) for w in content_stems(n.text)}
    return bool(words) and words <= numbers


def _same_word(a: str, b: str) -> bool:
    short, long = sorted((a, b), key=len)
    return short == long or (
        len(short) >= _SAME_PREFIX and len(long) - len(short) <= _ENDING and long.startswith(short)
    )


def _unsaid(stems: frozenset[str], said: frozenset[str]) -> set[str]:
    """The stems of ``stems`` that ``said`` never says, in any form of the word."""
    return {s for s in stems if not any(_same_word(s, t) for t in said)}


def _within(a: frozenset[str], b: frozenset[str]) -> bool:
    """Every word of ``a`` is one of ``b``'s (a phrase as or less specific)."""
    return bool(a) and not _unsaid(a, b)


#: Verbs that send a thing on its way, one slot owner: "we post them to you by Royal Mail"
#: and "we send them by DPD" name the carrier in the same place.
_SAME_OWNER = {"post": "send", "ship": "send", "dispatch": "send", "deliver": "send"}


def _shortened(short: str, long: str) -> bool:
    """One phrase says the other's words shorter: an acronym ("EPC") or a clipped word
    ("exam" for "examination"), the rest the same."""
    s_said = re.findall(r"[A-Za-z][\w'-]*", short)
    l_words = [w.lower() for w in re.findall(r"[A-Za-z][\w'-]*", long)]
    acronyms = [w for w in s_said if len(w) >= 2 and w.isupper()]
    if any(abbreviates(w, " ".join(l_words[i:j])) for w in acronyms for i in range(len(l_words))
           for j in range(i + 2, min(len(l_words), i + 4) + 1)):  # fmt: skip
        return True
    s_words = [w.lower() for w in s_said]
    clipped = [
        w for w in s_words if w not in l_words and any(
            len(w) >= _CLIPPED and x.startswith(w) and x != w for x in l_words
        )
    ]  # fmt: skip
    return bool(clipped) and set(s_words) - set(clipped) <= set(l_words)


_CLIPPED = 4  # letters of a clipped word ("exam", "info", "vet")


def _verb_key(verb: str) -> str:
    """One key for a verb's forms: "includes" and "included" take the same object."""
    return stem(verb.split()[0].lower())


def _last_words(text: str) -> frozenset[str]:
    """The content stems of the last few words before a preposition (the slot's owner)."""
    words = re.findall(r"[A-Za-z][\w'&-]*", text)
    out: list[str] = []
    for w in reversed(words):
        s = {_SAME_OWNER.get(x, x) for x in content_stems(w)}
        if s:
            out.extend(s)
        if len(out) >= _ANCHOR_WORDS:
            break
    return frozenset(out)


# head words that name a kind of thing, not one member: any member fits them
_GENERIC = frozenset(
    {
        "method",
        "methods",
        "option",
        "options",
        "way",
        "ways",
        "means",
        "account",
        "details",
        "place",
        "address",
        "location",
        "person",
        "people",
        "team",
        "provider",
        "service",
        "services",
        "channel",
        "one",
        "ones",
        "thing",
        "things",
        "kind",
        "type",
        "source",
        "form",
        "document",
        "documents",
        "proof",
        "someone",
        "somewhere",
        "department",
    }
)


#: Words that describe a kind without naming one: "the usual team", "our own service".
_PLAIN_WORDS = content_stems(
    "own usual same new other free local nearest relevant right original payment preferred "
    "chosen registered nominated existing"
)
_PARTICIPLE = re.compile(r"\s[a-z]+(?:ing|ed)\b.*$", re.IGNORECASE)


def _head(phrase: str) -> frozenset[str]:
    """The phrase before a participle that follows its noun: "the solicitor [handling ...]".
    Empty where no participle follows one."""
    cut = _PARTICIPLE.sub("", phrase)
    return content_stems(cut) if cut != phrase else frozenset()


def _generic(phrase: str, other_said: frozenset[str]) -> bool:
    """The phrase names a kind, not a member: "the payment method you used", "our team";
    a kind named by a word the other side never says is a member ("our Payment Support
    team" beside "a free debt advice service")."""
    raw = re.findall(r"[A-Za-z][\w'&-]*", phrase)
    words = [w.lower() for w in raw]
    if content_stems(phrase) and content_stems(phrase) <= ANY_OF_KIND:
        return True  # "your home" is any home: the KB's "your property"
    if not any(w in _GENERIC for w in words[1:] or words):
        return False
    # a capitalised word is a name ("Payment Support"), whatever it would say in lower case
    named = content_stems(" ".join(w for w in raw[1:] if w[0].isupper()))
    plain = content_stems(" ".join(w for w in words if w not in _GENERIC)) - _PLAIN_WORDS
    return not _unsaid(named | plain, other_said)


def slot_conflicts(
    answer: str,
    canonical: str,
    *,
    entry_id: str | None = None,
    taken: list[tuple[int, int]] | None = None,
) -> list[Conflict]:
    """A noun phrase in the KB sentence's slot that names another member."""
    kb_slots = _slots(canonical)
    if not kb_slots:
        return []
    kb_said, answer_said = said_stems(canonical), said_stems(answer)
    for a in _slots(answer):
        if a.negated or taken_by(a.start, a.end, taken):
            continue
        for k in kb_slots:
            if k.negated or k.prep != a.prep or not (k.anchor & a.anchor):
                continue
            if len((a.said - a.stems) & (k.said - k.stems)) < 2:
                continue  # not the same statement
            if _within(a.stems, k.stems) or _within(k.stems, a.stems):
                continue  # "the forecourt" / "the station forecourt"
            if _shortened(a.phrase, k.phrase) or _shortened(k.phrase, a.phrase):
                continue  # "an EPC" / "an Energy Performance Certificate", "exam" / "examination"
            if _head(a.phrase) and _head(a.phrase) == _head(k.phrase):
                continue  # "the solicitor handling the estate" / "the solicitor dealing with it"
            if not _unsaid(a.stems, kb_said) or not _unsaid(k.stems, answer_said):
                continue  # each names something the other never says, or it is no swap
            if _generic(a.phrase, kb_said) or _generic(k.phrase, answer_said):
                continue  # "the card you paid with" is one "payment method you used"
            kb_text = canonical[k.sentence[0] : k.sentence[1]].strip()
            return [
                Conflict(
                    kind="categorical",
                    answer_value=a.phrase,
                    kb_value=k.phrase,
                    answer_span=(a.start, a.end),
                    kb_span=(k.start, k.end),
                    answer_text=a.phrase,
                    kb_text=k.phrase,
                    entry_id=entry_id,
                    explanation=kb_says(
                        entry_id,
                        kb_text,
                        f'the answer says {a.shown + " " if a.shown else ""}"{a.phrase}" '
                        f'instead of "{k.phrase}".',
                    ),
                )
            ]
    return []
