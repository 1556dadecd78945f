"""Claims that say the opposite of the KB's: "eSIM isn't available on every plan" against
"eSIM is available on all plans".

Typed facts catch a wrong price or period; a claim with no number is caught
here. Each answer clause is aligned with the KB clause it speaks about (most
of its content words are that clause's), and the two are held against each
other for polarity: negations ("not", "n't", "never", "no", "without",
"unable") and antonyms ("closed" against "open", "excluded" against
"included", "stops" against "keeps", "a claim form" against "automatically").
An odd number of differences is a conflict.

Why clause alignment and not a bag of negations: the naive rule "a negation
differs" flags almost half of all faithful answers (an answer says "we'll never
ask for your password" beside a KB that does not). Requiring the clauses to
share most of their content words keeps what the rule catches and drops its
false alarms. A clause that only concerns a charge ("there's no extra cost") is
left to the money and fee facts, which compare amounts better than yes/no.

The antonym pairs are a small lexicon written for contact-centre policy text:
no packaged WordNet or ConceptNet data installs offline from PyPI (``nltk`` and
``wn`` fetch their data at run time), and the pairs that matter here are few.
Register more with :func:`register_antonyms`.

Example:
    >>> [c.kind for c in claim_conflicts("eSIM isn't available on every plan.",
    ...                                  "eSIM is available on all plans at no extra cost.")]
    ['polarity']
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from consistency.facts.polarity import stem
from consistency.facts.words import FILLER_WORDS
from consistency.models import Conflict

__all__ = [
    "Clause",
    "about_the_rest",
    "against_sentence",
    "claim_conflicts",
    "clauses",
    "denials",
    "excepts",
    "kb_agrees",
    "kb_says",
    "may_follow",
    "only_if_unless",
    "register_antonyms",
    "said_instead",
    "taken_by",
    "until_met",
]

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
# Clause ends: sentence ends, commas (not inside numbers), and the conjunctions that start
# a new claim, spoken ones too ("... a bill so you won't ...").
_CLAUSE_END = re.compile(
    r"[.!?;:](?=\s|$)|(?<!\d),|,(?!\s*\d)|\s+[-–—]\s+"
    r"|\s+(?:but|so|although|though|while|whereas)\s+"
    r"|\s+and\s+(?=(?:you|we|it|they|there|i|that|he|she)(?:'\w+)?\b)"
    # speech runs sentences together; a filler is where one ends: "... four eight two um
    # after that it's gone into production"
    r"|\s+(?:um|uh|erm)\s+(?=(?:you|we|it|it's|they|there|after|before|once|then|if|when)\b)"
    # a second verb of the same subject is its own claim: "can't be pre-booked and are first
    # come, first served", "isn't included and is booked separately"
    r"|(?P<verb>\s+and\s+(?=(?:is|are|will|can|must|may|should|has|have|gets?)\s+(?!not\b|n't)\w))"
    # and a denied second verb after a plain one: "is applied automatically ... and can't be
    # added to an existing account" says two things, one of them no
    r"|(?P<denied>\s+and\s+(?=(?:can't|cannot|won't|isn't|aren't|doesn't|don't|mustn't|shouldn't)\s+\w))"
    # what is chosen instead is its own (denied) claim: "a wet room rather than a bath"
    r"|\s+(?=(?:rather\s+than|instead\s+of)\b)",
    re.IGNORECASE,
)
_SUBORDINATE = re.compile(
    r"\b(?:until|till|unless|if|once|before|after|when|whenever)\b", re.IGNORECASE
)
# a short phrase split off by a comma that starts with a preposition is not a claim
_QUALIFIER = re.compile(
    r"^\W*(?:in|on|for|with|without|at|from|to|by|outside|inside|within|during|across|except|"
    r"apart\s+from|including|excluding|like)\b",
    re.IGNORECASE,
)
_QUALIFIER_WORDS = 8
_LEADING_CONDITION = re.compile(
    r"^\W*(?:if|unless|once|when|whenever|as\s+long\s+as|provided|in\s+case"
    # a reason that states the customer's case: "as you don't pay by Direct Debit, ..."
    r"|(?:as|since)\s+(?:you|you've|you're|your|we\s+(?:haven't|didn't|hadn't|weren't))\b)\b",
    re.IGNORECASE,
)
#: A condition that goes on after a comma: "If we haven't resolved it, or you're unhappy, ..."
_MORE_CONDITION = re.compile(r"^\W*(?:or|and)\s+(?:if\s+)?(?:you|we|it|your|our|the)\b", re.I)
# "no, we don't...", "yes it is": an answer particle, not the claim's negation
_PARTICLE = re.compile(
    r"^\W*(?:(?:sorry|so|um|uh|oh|well|right|ah|erm|i'm|i’m|im|i\s+am)\W+)*(?:no(?:\s+need)?|nope|yes|yeah|yep"
    # spoken "unfortunately not the free wifi is only on ...": the answer, then its claim
    r"|(?:unfortunately|sadly|afraid)\s+not(?=\s+(?:the|your|our|it|that|we|you|this|there)\b))\b"
    # "no phone calls in there" is a negation; "no, we don't" and "no we can't" are answers
    r"(?=\s*(?:[,.!-]|$)|\s+(?:i|we|you|it|that|there|they|sorry|unfortunately|not|so|um|uh"
    # unpunctuated speech: "no the ten percent applies to ..." ("no the" denies nothing)
    r"|the|your|our|this|these|those|its|don't\s+worry)\b)"
    r"[\s,.!-]*(?:unfortunately\b)?",
    re.IGNORECASE,
)
_NEGATION = re.compile(
    r"\b(?:not|never|cannot|can't|cant|won't|wont|don't|dont|doesn't|doesnt|isn't|isnt|"
    r"aren't|arent|didn't|haven't|hasn't|shouldn't|wouldn't|couldn't|no(?!-)|nor|without|"
    r"unable|nothing|none|nobody|waived)\b|n't\b|\brather\s+than\b|\binstead\s+of\b",
    re.IGNORECASE,
)
# a negation inside a condition ("if we haven't fixed it", "unless you don't") belongs to
# the condition, which the condition facts compare
_CONDITIONAL_BEFORE = re.compile(
    r"(?:\b(?:if|unless|once|whether|until|till|as\s+long\s+as|provided)\b"
    r"|^\W*(?:as|since)\s+you\b)(?:\W+\w+){0,4}\W*$",
    re.IGNORECASE,
)
# negation words that negate nothing
_IDIOMS = re.compile(
    r"\bno\s+(?:problem|problems|worries|worry|bother|trouble|questions\s+asked)\b"
    r"|\bnot\s+(?:a\s+problem|at\s+all|sure|only|just)\b|\bif\s+not\b|\bno\s+matter\b"
    r"|\b(?:don't|do\s+not)\s+worry\b"
    # a relative clause says whom a claim is for: "for someone who doesn't live with you"
    r"|\bwho\s+(?:don't|doesn't|didn't|isn't|aren't|haven't|hasn't|can't|won't|do\s+not|"
    r"does\s+not|are\s+not|is\s+not|have\s+not|has\s+not)\b"
    # a limit said with a negated verb: "rent can't go up more than once a year" is "no
    # more than once a year"
    r"|\b(?:can't|cannot|can\s+not|won't|mustn't|shouldn't)\s+(?:\w+\s+){1,3}?"
    r"(?:more|longer|later|fewer|less)\s+(?:often\s+)?than\b"
    r"|\bnever\s+mind\b|\bno\.?\s*\d|\bno\W*$|\bno\s+longer\s+than\b|\bnot\s+more\s+than\b|\bno\s+more\s+than\b"
    r"|\bnot\s+less\s+than\b|\bno\s+later\s+than\b|\bno\s+earlier\s+than\b"
    r"|\bno\s+(?:less|fewer|sooner)\s+than\b|\bwith\s+no\b"
    # a leading "without a lift, ..." is the claim's condition, not its negation
    r"|^\W*without\s+(?:a|an|any|the|your)\s+\w+"
    # "orders without any medicines in them" names which orders, as "with no" does
    r"|\b(?!(?:is|was|has|does|goes|takes|lasts|happens|means)\b)\w+[^s\W]s\s+without"
    r"(?=\s+(?:any|a|an)\s+(?!\w+ing\b)\w)"
    # a denial that says which thing, not whether: "anything not used by the end of the day
    # is thrown away", "any balance the vouchers don't cover is collected by Direct Debit"
    r"|\b(?:anything|everything|something|whatever|items?|any\s+\w+)\s+not\s+(?=\w+ed\b)"
    r"|\b(?:any|the|all)\s+\w+\s+(?:the\s+\w+|you|we|they)\s+(?:don't|doesn't|didn't|haven't|"
    r"hasn't|can't|won't)(?=\s+\w+\s+(?:is|are|will|gets?|goes)\b)",
    re.IGNORECASE,
)
# a charge said free or not: the money and fee facts own it
_CHARGES = r"(?:cost|charge|fee|penalty|surcharge|excess)s?"
_FEE = re.compile(
    rf"\b(?:free(?:\s+of\s+charge)?|(?:at\s+)?no\s+(?:\w+\s+){{0,2}}{_CHARGES}"
    rf"|without\s+(?:any\s+)?(?:paying\s+)?(?:an?\s+)?(?:\w+\s+){{0,2}}{_CHARGES}"
    r"|won't\s+cost(?:\s+you)?(?:\s+anything)?|doesn't\s+cost(?:\s+anything)?"
    r"|(?:there's|there\s+is|is)\s+no\s+(?:\w+\s+){0,2}(?:charge|fee|cost|surcharge|excess)s?"
    r"|(?:pay|costs?|or|for)\s+nothing|(?:nothing|no)\s+(?:extra|more|else)\b(?:\s+(?:to\s+pay|added(?:\s+on\s+top)?))?)\b",
    re.IGNORECASE,
)
# conditions carry their own negations ("if you don't pay"); they are compared elsewhere
_CONDITION = re.compile(
    r"^\s*(?:if|unless|when|once|as\s+long\s+as|provided)\b[^,]*,", re.IGNORECASE
)
# amounts belong to the typed facts; they say nothing of what a claim is about
_NUMBER_WORDS = frozenset(
    """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty
    ninety hundred thousand million pound pounds pence percent quid""".split()  # noqa: SIM905
)
_STOP = (
    _NUMBER_WORDS
    | FILLER_WORDS
    | frozenset(
        """again aren't arent can't cannot cant couldn't didn't doesn't doesnt don't done dont even
    get gets go goes going got hasn't haven't having hello hi i'll i'm i've isn't isnt let
    made make makes need needs never nobody none nothing once other ours really shouldn't
    sorry still there's till unable unless until rather instead we'll we're we've won't wont wouldn't
    you'll you've yours they're they've they'll it's it'll that's he's she's i'd you'd
    we'd they'd you're""".split()  # noqa: SIM905
    )
)


# Phrases that say one thing in several words, read as the one word the antonym pairs know
# ("switched off" is "disabled", "at any time" is "anytime", "written off" is "waived");
# single words that mean the same are mapped by stem in ``_SAME_VERB`` below.
_DENYING = (
    r"(?:doesn't|does\s+not|don't|do\s+not|won't|will\s+not|didn't|did\s+not|isn't|is\s+not|"
    r"aren't|are\s+not)(?:\s+be(?:ing)?)?"
)
_PHRASES = (
    (re.compile(r"\b(?:switch(?:ed|es)?|turn(?:ed|s)?)\s+off\b", re.IGNORECASE), "disabled"),
    (re.compile(r"\b(?:switch(?:ed|es)?|turn(?:ed|s)?)\s+on\b", re.IGNORECASE), "enabled"),
    (
        re.compile(r"\b(?:at\s+)?any\s*time\b|\bwhenever\s+you\s+(?:like|want)\b", re.IGNORECASE),
        "anytime",
    ),
    (re.compile(r"\bwrit(?:ten|e|es)\s+off\b", re.IGNORECASE), "waived"),
    # "we waive any early termination charge": there is no charge
    (
        re.compile(
            r"\bwaiv(?:e|es|ed|ing)\s+(?:any\s+|the\s+|your\s+)?(?=(?:[\w-]+\s+){0,2}"
            r"(?:charge|fee|cost|penalty)s?\b)",
            re.IGNORECASE,
        ),
        "no ",
    ),
    # "titles that licensing keeps off Basic" are excluded from it
    (re.compile(r"\bkeeps?\s+((?:\w+\s+){0,2})off\b", re.IGNORECASE), r"excludes \1"),
    # a closing time is not "closed": "we close at half five" is "open until half five"
    (re.compile(r"\bclos(?:e|es|ing)\s+(?=at\b|by\b)", re.IGNORECASE), "open until "),
    # a particle makes another verb: "sign in" on a TV is not "sign up" on one
    (re.compile(r"\bsign(?:s|ed|ing)?\s+up\b", re.IGNORECASE), "register"),
    (re.compile(r"\b(?:sign|log)(?:s|ged|ed|ging|ing)?\s+(?:in|on)(?:to)?\b", re.I), "login"),
    # "the landlord can only say no for a good reason" is "can only refuse"
    (re.compile(r"\bsay(?:s|ing)?\s+no\b", re.IGNORECASE), "refuse"),
    (re.compile(r"\bcom(?:e|es|ing)\s+out\s+of\b", re.IGNORECASE), "included in"),
    (
        re.compile(
            r"\b(?:sits?|falls?|is|are)?\s*outside\s+(?:of\s+)?(?=(?:your|the|any)\s+"
            r"(?:\w+\s+)?(?:allowance|bundle|plan|contract|package)s?\b)",
            re.IGNORECASE,
        ),
        " excluded from ",
    ),
    # "rise", "increase", "added", "credited" need no phrase: _SAME_VERB maps their stems
    (re.compile(r"\bgo(?:es|ing)?\s+up\b|\brisen\b|\brose\b", re.IGNORECASE), "change"),
    # "phones stop working in a power cut" says "phones don't work"
    (re.compile(r"\bstop(?:s|ped)?\s+working\b", re.IGNORECASE), "do not work"),
    # a negative verb denied is a plain claim: "doesn't stop your premium going up" says it
    # can go up; "won't cut off your supply" says the supply stays on
    # (after "stop working" above, so "doesn't stop working" is read there)
    (re.compile(rf"\b{_DENYING}\s+(?:stop|prevent)\b", re.IGNORECASE), "allows"),
    (re.compile(rf"\b{_DENYING}\s+cut\s+((?:\w+\s+){{0,2}})off\b", re.IGNORECASE), r"keeps \1on"),
    (re.compile(r"\b(?:stays?|staying|kept|remains?)\s+on\b", re.IGNORECASE), "keeps on"),
    (re.compile(r"\bcut(?:s|ting)?\s+(?:(?:\w+\s+){1,2})?off\b", re.IGNORECASE), "stops"),
)


def _phrased(text: str) -> str:
    for pattern, word in _PHRASES:
        text = pattern.sub(word, text)
    return text


@dataclass(frozen=True)
class _Antonyms:
    positive: frozenset[str]
    negative: frozenset[str]


_PAIRS: list[_Antonyms] = []


def register_antonyms(
    positive: set[str] | frozenset[str], negative: set[str] | frozenset[str]
) -> None:
    """Add a pair of opposite word sets (stems are taken): ``({"open"}, {"closed"})``."""
    _PAIRS.append(
        _Antonyms(frozenset(stem(w) for w in positive), frozenset(stem(w) for w in negative))
    )


for _pos, _neg in (
    ({"open", "opens"}, {"closed", "close", "shut"}),
    ({"included", "includes", "include", "inclusive"}, {"excluded", "exclude", "excludes"}),
    ({"available"}, {"unavailable"}),
    ({"allowed", "allow", "allows", "permitted", "permit"}, {"banned", "prohibited", "forbidden"}),
    ({"accept", "accepts", "accepted"}, {"refuse", "refused", "reject", "rejected", "decline"}),
    ({"keep", "keeps", "continue", "continues", "carries"}, {"stop", "stops", "stopped", "lose"}),
    ({"automatically", "automatic"}, {"claim", "manually", "manual"}),
    ({"enabled", "works", "work", "working"}, {"disabled"}),
    ({"anytime", "immediately"}, {"wait", "waiting"}),
    ({"required", "mandatory", "compulsory"}, {"optional"}),
    (
        {"waived", "waive", "drop", "exempt"},
        {"applies", "apply", "charged", "due", "payable", "owed"},
    ),
):
    register_antonyms(_pos, _neg)


#: The pairs whose negative word says "not" by itself ("closed", "excluded", "banned"), the
#: first six and "disabled"; "wait" or "applies" deny nothing on their own.
_NEGATIVE_MEANS_NOT = frozenset({0, 1, 2, 3, 4, 5, 7})


@dataclass(frozen=True)
class Clause:
    """One clause of a text: its span, content stems, negations and antonym sides."""

    start: int
    end: int
    text: str
    stems: frozenset[str]
    negations: int
    sides: tuple[int, ...]  # per antonym pair: +1 positive word, -1 negative, 0 neither
    scope: frozenset[str] = frozenset()  # content stems right after the negation
    main: frozenset[str] = frozenset()  # stems before a subordinate ("until it's dispatched")
    fee: bool = False  # a claim that something is charged for or free
    fee_only: bool = False  # names what is free from before "is free": pairs with fee claims only
    verbless: bool = False  # a list item split off by a comma: "..., clearance items"
    sentence_negations: int = 0  # whether the whole sentence around it denies something


#: How far around a negation its condition and its scope are read (bounded: linear time).
_BEFORE_CHARS = 80
_AFTER_CHARS = 120

#: Words for a charge, one stem: "costs", "charged" and "fee" are one claim's subject.
_FEE_STEMS = {"cost": "fee", "charg": "fee", "fees": "fee"}
#: Verbs that say the same thing of a claim's object, one stem: "the discount is added"
#: and "the discount is applied" are one claim, so "isn't added" can deny "is applied".
#: A rise or an increase is a change: "add-on prices rise" denies "add-on prices don't change".
_SAME_VERB = {
    "add": "apply",
    "credit": "apply",
    "dispatch": "send",
    "ship": "send",
    "ris": "chang",
    "increas": "chang",
}
_CANON = {**_FEE_STEMS, **_SAME_VERB}


def _pair_token(word_stem: str) -> str:
    """The antonym pair a stem belongs to, as one token, or the stem itself."""
    for n, pair in enumerate(_PAIRS):
        if word_stem in pair.positive or word_stem in pair.negative:
            return f"antonym-pair-{n}"
    return word_stem


def _plain(raw: str) -> tuple[str, str]:
    """The clause without its leading condition and charges (``body``), and that without
    answer particles and idioms (``plain``, where negations are counted)."""
    body = _phrased(_CONDITION.sub(" ", raw))
    body = _FEE.sub(" ", body)  # a charge denied is its own claim (see _fee_claims)
    return body, _IDIOMS.sub(" ", _PARTICLE.sub(" ", body))


def _negations(plain: str) -> list[re.Match[str]]:
    return [
        m
        for m in _NEGATION.finditer(plain)
        if not _CONDITIONAL_BEFORE.search(plain[max(0, m.start() - _BEFORE_CHARS) : m.start()])
    ]


def _clause(text: str, start: int, end: int, *, conditional: bool = False) -> Clause | None:
    """One clause; ``conditional`` keeps a sentence that opens with its condition ("If you
    paid in cash, we refund by bank transfer"), whose stems are then the main clause's."""
    raw = text[start:end]
    if _LEADING_CONDITION.match(raw) and not conditional:
        return None  # a condition: the condition facts compare it
    if _QUALIFIER.match(raw) and len(raw.split()) <= _QUALIFIER_WORDS:
        return None  # "In countries not covered by Roam Further," qualifies the claim after it
    body, plain = _plain(raw)
    counted = _negations(plain)
    # negated or not: "we never ask for X and we'll never ask for Y" is one negated claim
    negations = int(bool(counted))
    scope: set[str] = set()
    for m in counted:
        after = [w.lower() for w in _WORD.findall(plain[m.end() : m.end() + _AFTER_CHARS])]
        if after and after[0] in _CONTRAST_PREPOSITIONS:
            # "goes from Heysham not from Scotland": the denial reaches the place it names
            # and no further
            rest = list(itertools.dropwhile(lambda w: w in _STOP, after[1:]))
            after = list(itertools.takewhile(lambda w: w not in _STOP, rest))
        content = [_CANON.get(stem(w), stem(w)) for w in after if w not in _STOP and len(w) > 1]
        scope |= {_pair_token(w) for w in content[:_SCOPE_WORDS]}
    words = [w.lower().replace("’", "'") for w in _WORD.findall(body)]
    stems = {_CANON.get(stem(w), stem(w)) for w in words if w not in _STOP and len(w) > 1}
    sides = []
    for n, pair in enumerate(_PAIRS):
        pos, neg = bool(stems & pair.positive), bool(stems & pair.negative)
        sides.append(1 if pos and not neg else -1 if neg and not pos else 0)
        if pos or neg:
            # one token for the pair, so "open" and "closed" align as the same claim
            stems = (stems - pair.positive - pair.negative) | {f"antonym-pair-{n}"}
    if not stems:
        return None
    lead = len(raw) - len(raw.lstrip())
    head = _SUBORDINATE.split(plain, maxsplit=1)[0]
    main = {
        _pair_token(_CANON.get(stem(w.lower()), stem(w.lower())))
        for w in _WORD.findall(head)
        if w.lower() not in _STOP
    }
    return Clause(
        start + lead,
        end,
        raw.strip(),
        frozenset(stems),
        negations,
        tuple(sides),
        frozenset(scope),
        frozenset(main),
        verbless=_HAS_VERB.search(raw) is None,
    )


_SENTENCE_END = re.compile(r"[.!?;:](?=\s|$)")
_CHOICE = re.compile(r"\b(?:rather\s+than|instead\s+of)\b", re.IGNORECASE)
#: What marks a clause as having a verb of its own; a comma-split piece without one
#: ("the Isle of Man or the Scottish islands") is a list item of the clause before it.
_HAS_VERB = re.compile(
    r"\b(?:is|are|was|were|be|been|being|am|can|could|will|would|may|might|must|shall|"
    r"should|do|does|did|has|have|had|get|gets|got|we|you|they|i|he|she|it|there|"
    r"please|let|need|needs|pay|pays|take|takes|call|ring|send|go|come|comes|keep|use)\b"
    r"|'s\b|'re\b|'ll\b|'ve\b|'d\b|n't\b|\b\w{3,}ed\b"
    # an -ing word, but not one that works as a preposition: "explosives including fireworks"
    r"|\b(?!(?:includ|exclud|follow|accord|regard|concern|pend|bar|anyth|someth|everyth|noth)"
    r"ing\b)\w{3,}ing\b"
    # a verb in -s before its particle or object: "your plan carries on", "it goes to"
    r"|\b\w{3,}s\s+(?:on|off|up|out|to|the|a|an|your|our|you|it|them|back|in|at|for|from|with|by|"
    r"over|into|every|all|any)\b"
    r"|\b(?:covers|includes|accepts|delivers|ships|offers|refunds|supports|allows|requires|"
    r"excludes|provides|charges|applies|works|means|gives|lets|"
    # adjectives that are the claim: "closed on bank holidays"
    r"open|closed|shut|available|unavailable|optional|automatic|automatically|free)\b",
    re.IGNORECASE,
)


def _spaces(m: re.Match[str]) -> str:
    return " " * len(m.group(0))


def denials(text: str) -> str:
    """``text`` with the negations that rule no option out blanked, offsets kept: answer
    particles ("No - batteries are zero-rated"), idioms ("no problem"), charges ("there's
    no early repayment fee") and choices ("a refund rather than a repair")."""
    for pattern in (_PARTICLE, _IDIOMS, _FEE, _CHOICE):
        text = pattern.sub(_spaces, text)
    return text


def taken_by(start: int, end: int, taken: Iterable[tuple[int, int]] | None) -> bool:
    """Whether ``[start, end)`` overlaps an answer span an earlier check already reported."""
    return any(s < end and start < e for s, e in taken or ())


def said_instead(
    kind: str,
    answer: str,
    said: tuple[int, int],
    sentence: tuple[int, int],
    canonical: str,
    kb_said: tuple[int, int],
    kb_sentence: tuple[int, int],
    entry_id: str | None,
) -> Conflict:
    """A conflict between two phrases, each quoted with its sentence: 'the answer says "X"
    where the KB says "Y"'."""
    a_value, k_value = answer[said[0] : said[1]], canonical[kb_said[0] : kb_said[1]]
    kb_text = canonical[kb_sentence[0] : kb_sentence[1]].strip()
    return Conflict(
        kind=kind,
        answer_value=a_value,
        kb_value=k_value,
        answer_span=said,
        kb_span=kb_said,
        answer_text=answer[sentence[0] : sentence[1]].strip(),
        kb_text=kb_text,
        entry_id=entry_id,
        explanation=kb_says(
            entry_id, kb_text, f'the answer says "{a_value}" where the KB says "{k_value}".'
        ),
    )


def against_sentence(
    kind: str,
    answer: str,
    said: tuple[int, int],
    canonical: str,
    kb_sentence: tuple[int, int],
    entry_id: str | None,
    rest: str,
) -> Conflict:
    """A conflict between an answer phrase and a whole KB sentence, ``rest`` saying how."""
    a_value = answer[said[0] : said[1]]
    kb_text = canonical[kb_sentence[0] : kb_sentence[1]].strip()
    return Conflict(
        kind=kind,
        answer_value=a_value,
        kb_value=kb_text,
        answer_span=said,
        kb_span=(kb_sentence[0], kb_sentence[0] + len(kb_text)),
        answer_text=a_value,
        kb_text=kb_text,
        entry_id=entry_id,
        explanation=kb_says(entry_id, kb_text, rest),
    )


def kb_says(entry_id: str | None, kb_text: str, rest: str) -> str:
    """The reason a QA analyst reads: which KB entry, what it says, then how the answer differs
    (one wording for the claim, list, member and slot conflicts)."""
    where = f" ({entry_id})" if entry_id else ""
    return f'The KB{where} says "{kb_text}"; {rest}'


def clauses(text: str) -> list[Clause]:
    """The clauses of ``text`` (split at sentence ends and at "but", "so", "and, ...")."""
    return list(_clauses(text))


#: A charge stated without an amount: "there's a small charge for collection".
_CHARGED = re.compile(
    r"\b(?:there's|there\s+is|there\s+will\s+be|you'll\s+pay|we\s+charge|we\s+make)\s+"
    # "there's a small annual membership fee for the card"
    r"(?:a|an)\s+(?:[\w-]+\s+){0,3}?(?:charge|fee)\s+for\s+"
    r"((?:the\s+)?(?:[\w'-]+\s+){0,2}[\w'-]+)",
    re.IGNORECASE,
)
#: A charge said after what is charged for: "Caller Display is a paid extra", "shuttlecocks
#: are sold separately", "the card costs extra".
_CHARGED_AFTER = re.compile(
    r"\b(?:(?:is|are)\s+(?:an?\s+)?(?:(?:paid|chargeable)\s+(?:extra|add-on|option)\b|"
    r"sold\s+separately|charged\s+(?:separately|extra)|chargeable)|costs?\s+extra)\b",
    re.IGNORECASE,
)
_COPULA_END = re.compile(
    r"\b(?:is|are)\s+(?:(?:provided|given|supplied|included|offered|available)\s+)?$",
    re.IGNORECASE,
)
#: "a free 15-minute assessment": what is free comes right after "free".
_FREE_WHAT = re.compile(r"\s+((?:[\w'-]+\s+){0,2}[\w'-]+)", re.IGNORECASE)
#: The words of a charge that name nothing charged for ("without paying a fee").
_BARE_FEE = frozenset({"without", "pay", "paying", "any", "fee", "charg", "cost", "penalty"})
#: "You can pay off your finance early without a fee": the clause before names what is free.
_WITHOUT_FEE = re.compile(r"^\s*without\b", re.IGNORECASE)
#: Words before "is free" taken as what is free.
_SUBJECT_WORDS = 4
_FOR_WHAT = re.compile(r"\s+(?:for|on|to)\s+((?:[\w'-]+\s+){0,2}[\w'-]+)", re.IGNORECASE)


def _fee_claims(text: str, start: int, end: int) -> list[Clause]:
    """Each charge a clause denies, as its own negated claim about a fee.

    "There's no early termination fee if you leave early" denies the charge the KB's
    "an early termination fee applies" states. The claim is the denial and what it
    names ("early termination", "for eSIM"); a bare "it's free" names nothing and
    aligns with no KB clause (the money facts compare it).
    """
    out: list[Clause] = []
    raw = text[start:end]
    if _LEADING_CONDITION.match(raw):
        return out
    for m in _CHARGED.finditer(raw):
        named = [w for w in _WORD.findall(m.group(1)) if w.lower() not in _STOP and len(w) > 1]
        stems = {"fee"} | {_CANON.get(stem(w.lower()), stem(w.lower())) for w in named}
        if len(stems) > 1:
            out.append(_fee_clause(raw, start, m.start(), m.end(), stems, 0, fee_only=False))
    for m in _CHARGED_AFTER.finditer(raw):
        before = [w for w in _WORD.finditer(raw, 0, m.start()) if w.group(0).lower() not in _STOP]
        subject = before[-_SUBJECT_WORDS:]
        stems = {"fee"} | {
            _CANON.get(stem(w.group(0).lower()), stem(w.group(0).lower()))
            for w in subject
            if len(w.group(0)) > 1
        }
        if len(stems) > 1:
            s = subject[0].start()
            out.append(_fee_clause(raw, start, s, m.end(), stems, 0, fee_only=False))
    for m in _FEE.finditer(raw):
        named = _WORD.findall(m.group(0))
        after = _FOR_WHAT.match(raw, m.end())
        if after is not None:
            named += _WORD.findall(after.group(1))
        subject = _COPULA_END.search(raw[: m.start()]) is not None
        if subject:
            # "Collecting your item is free": what is free is said before it
            before = [w for w in _WORD.findall(raw[: m.start()]) if w.lower() not in _STOP]
            named += before[-_SUBJECT_WORDS:]
        elif m.group(0).lower() == "free" and after is None:
            # "a free 15-minute assessment": what is free is said after it
            what = _FREE_WHAT.match(raw, m.end())
            if what is not None:
                named += [w for w in _WORD.findall(what.group(1)) if w.lower() not in _STOP]
        elif (
            _WITHOUT_FEE.match(m.group(0))
            and not {stem(w.lower()) for w in _WORD.findall(m.group(0)) if w.lower() not in _STOP}
            - _BARE_FEE
        ):
            # "pay off your finance early at any time without a fee": the claim before it
            before = [w for w in _WORD.findall(raw[: m.start()]) if w.lower() not in _STOP]
            named += before[-_SUBJECT_WORDS:]
        stems = {"fee"} | {
            _FEE_STEMS.get(stem(w.lower()), stem(w.lower()))
            for w in named
            if w.lower() not in _STOP and w.lower() != "free" and len(w) > 1
        }
        stop = after.end() if after is not None else m.end()
        out.append(_fee_clause(raw, start, m.start(), stop, stems, 1, fee_only=subject))
    return out


def _fee_clause(
    raw: str, start: int, s: int, e: int, stems: set[str], negated: int, *, fee_only: bool
) -> Clause:
    return Clause(
        start + s,
        start + e,
        raw[s:e],
        frozenset(stems),
        negated,
        tuple(0 for _ in _PAIRS),
        frozenset({"fee"}),
        frozenset(stems),
        fee=True,
        fee_only=fee_only,
    )


@lru_cache(maxsize=4096)
def _sentence_negations(text: str) -> tuple[list[int], list[int]]:
    """Where each sentence of ``text`` starts, and whether it denies anything (its commas
    ignored): one pass, looked up per clause by bisection."""
    starts, negated, pos = [], [], 0
    for m in [*_SENTENCE_END.finditer(text), None]:
        stop = len(text) if m is None else m.start()
        starts.append(pos)
        negated.append(int(bool(_negations(_plain(text[pos:stop])[1]))))
        if m is not None:
            pos = m.end()
    return starts, negated


def _clauses(text: str) -> tuple[Clause, ...]:
    """Kept: a check compares one answer with up to three close entries, and the same
    canonical answers come back on every check."""
    out: list[Clause] = []
    pos = 0
    before: Clause | None = None  # the clause before, in the same sentence
    starts, negated = _sentence_negations(text)
    in_condition = False  # the clause before, in the same sentence, was a leading condition
    head_scope: frozenset[str] = frozenset()  # the scope of the clause a list's items follow
    subject = ""  # the first word of the sentence before: what its "They ..." speaks of
    opens = True  # the next clause opens a sentence
    shared: frozenset[str] = frozenset()  # the subject a denied second verb shares
    for m in [*_CLAUSE_END.finditer(text), None]:
        stop = len(text) if m is None else m.start()
        raw = text[pos:stop]
        if m is not None and m.group("verb") and not _negations(_plain(raw)[1]):
            continue  # a second verb splits off only to end a negation's reach
        leading = _LEADING_CONDITION.match(raw) is not None
        c = None if in_condition and _MORE_CONDITION.match(raw) else _clause(text, pos, stop)
        in_condition = leading or (in_condition and c is None)
        if c is not None:
            if c.verbless and not c.negations and before is not None:
                # "we don't deliver to Northern Ireland, the Isle of Man or ...": the items
                # after the comma are denied (or stated) with the first, each item with the
                # first's own words, not every item's before it
                scope = head_scope | c.stems if before.negations else c.scope
                c = replace(c, negations=before.negations, scope=scope)
            else:
                head_scope = c.scope
            if _CHOICE.match(c.text):
                c = _set_aside(c, out, text)
                before = None  # the option set aside ("rather than a bath") denies nothing after it
            else:
                before = c
            sentence = negated[bisect_right(starts, c.start) - 1]
            if shared and len(c.stems) <= _SHORT_CLAIM:
                c = replace(c, stems=c.stems | shared)  # "[unused services] aren't refunded"
            if opens:
                if _THEY.match(c.text) and subject and len(c.stems) <= _SHORT_CLAIM:
                    # "Add-ons are delivered ... They can't be ordered on their own"
                    c = replace(c, stems=c.stems | {subject})
                else:
                    first = _content_list(c.text)
                    subject = first[0] if first else ""
            out.append(replace(c, sentence_negations=sentence))
        opens = m is not None and m.group(0).strip() in _SENTENCE_STOPS
        denied = m is not None and m.group("denied")
        shared = frozenset(_content_list(_VERB_ON.split(raw, 1)[0])) if denied else frozenset()
        out.extend(_fee_claims(text, pos, stop))
        if m is None:
            break
        if m.group(0).strip() != ",":
            before = None  # a new sentence, or "but ...": no list goes on past it
            in_condition = False
        pos = m.end()
    return tuple(out)


#: A claim this short says too little to align without the subject it leaves out.
_SHORT_CLAIM = 3
#: The first verb of a clause: what comes before it is the subject ("unused services").
_VERB_ON = re.compile(
    r"\b(?:is|are|was|were|can|can't|cannot|will|won't|do|don't|does|doesn't|has|have|must|"
    r"may|should)\b",
    re.IGNORECASE,
)
#: A sentence that goes on about the one before by a plural pronoun: "They can't be ...".
_THEY = re.compile(r"\W*(?:they|these)\b", re.IGNORECASE)
_SENTENCE_STOPS = frozenset(".!?;")


def _set_aside(c: Clause, out: list[Clause], text: str) -> Clause:
    """The option set aside ("rather than to your card") with the first word of the claim
    it is set against, its verb or subject ("We *refund* by gift card"): enough to align it
    with the KB's claim of that verb, not the whole claim, which the answer affirms."""
    last = out[-1] if out else None
    if last is None or _SENTENCE_END.search(text, last.end, c.start):
        return c
    for w in _WORD.findall(last.text):
        low = w.lower().replace("’", "'")
        if low not in _STOP and len(low) > 1:
            return replace(c, stems=c.stems | {_pair_token(_CANON.get(stem(low), stem(low)))})
    return c


#: Prepositions after "not" that set a place or party against another: "not from Scotland".
_CONTRAST_PREPOSITIONS = frozenset({"from", "to", "at", "in", "via", "through", "into"})
#: Words after a negation that say what it negates.
_SCOPE_WORDS = 2
#: Content words an answer clause and a KB clause must share, and the share of each
#: clause's words that must be shared, before they are taken as the same claim.
MIN_SHARED = 2
MIN_ANSWER_SHARE = 0.5
MIN_KB_SHARE = 0.5
#: A short answer clause whose words the KB clause states all but one of ("tethering isn't
#: allowed on our plans" inside "personal hotspot (tethering) is included on every plan")
#: is about that KB clause even where the KB clause says more around it.
MIN_KB_SHARE_COVERED = 1 / 3


def _aligned(a: Clause, kb: list[Clause]) -> Clause | None:
    best: tuple[float, Clause] | None = None
    for k in kb:
        score = _alignment_score(a, k)
        if score is not None and (best is None or score > best[0]):
            best = (score, k)
    return best[1] if best else None


def _alignment_score(a: Clause, k: Clause) -> float | None:
    """How well ``a`` is about ``k`` (the sum of both shares), or ``None`` when it is not."""
    if (k.fee_only and not a.fee) or (a.fee_only and not k.fee):
        return None
    shared = len(a.stems & k.stems)
    if shared < MIN_SHARED:
        return None
    sa, sk = shared / len(a.stems), shared / len(k.stems)
    covered = len(a.stems) - shared <= 1
    if sa < MIN_ANSWER_SHARE or sk < (MIN_KB_SHARE_COVERED if covered else MIN_KB_SHARE):
        return None
    return sa + sk


def _also_agrees(a: Clause, k: Clause, kb: list[Clause], answer: str) -> bool:
    """Another KB clause says what ``a`` says and is more about it than ``k``: "If you're
    at one of our Premium clubs, towels are included free" beside the KB's "Towels aren't
    included at standard clubs" and "Towels are included free at Premium clubs" repeats
    the second. Where the two are as close to the clause, the words of the answer's
    sentence choose (its "Premium clubs"); agreement wins a tie, as for facts."""
    score = _alignment_score(a, k) or 0.0
    around: frozenset[str] | None = None
    for other in kb:
        if other is k or other.fee != a.fee:
            continue
        same = _alignment_score(a, other)
        if same is None or same < score or _opposite(a, other):
            continue
        if same > score:
            return True
        if around is None:
            around = _stems(_sentence_at(answer, a.start))
        if len((other.stems - a.stems) & around) > len((k.stems - a.stems) & around):
            return True
    return False


def _stems(text: str) -> frozenset[str]:
    """A text's content stems as clauses key them (antonym pairs as one token)."""
    return frozenset(
        _pair_token(_CANON.get(stem(w), stem(w)))
        for w in (w.lower().replace("’", "'") for w in _WORD.findall(text))
        if w not in _STOP and len(w) > 1
    )


def kb_agrees(answer: str, canonical: str, span: tuple[int, int]) -> bool:
    """Whether the KB makes the answer's denial around ``span`` too, in a clause at least
    as close to it as any clause it contradicts: "we can't book by email" beside the KB's
    "we can't take bookings by email", whatever "appointments can be booked online" says.
    A conflict found there is against the KB's other claim, not a denial of the KB's."""
    kb = clauses(canonical)
    for a in clauses(answer):
        if not (a.start < span[1] and span[0] < a.end) or not a.negations % 2 or a.fee:
            continue  # only a denial can be found the KB's own: both sides say "not"
        best_same = best_opposite = 0.0
        for k in kb:
            score = _alignment_score(a, k)
            if score is None:
                continue
            if _opposite(a, k):
                best_opposite = max(best_opposite, score)
            elif k.negations % 2 and not k.fee:
                best_same = max(best_same, score)
        if best_same and best_same >= best_opposite:
            return True
    return False


_UP_TO = re.compile(r"\b(?:until|till|up\s+to|before)\b", re.IGNORECASE)
_FROM_ON = re.compile(r"\b(?:once|after|from\s+the\s+moment|as\s+soon\s+as)\b", re.IGNORECASE)


def _complementary_times(a: str, k: str) -> bool:
    """One clause bounds a time from above ("until the train leaves"), the other from below
    ("once the train has left"): "you can change it until it leaves" and "you can't change it
    once it has left" are one rule, not opposites."""
    ua, la = bool(_UP_TO.search(a)), bool(_FROM_ON.search(a))
    uk, lk = bool(_UP_TO.search(k)), bool(_FROM_ON.search(k))
    return (ua and not la and lk and not uk) or (la and not ua and uk and not lk)


_OPTIONS = re.compile(r"\b(?:or|either|instead|rather)\b", re.IGNORECASE)


def _only_a_choice(a: Clause, k: Clause) -> bool:
    """The one denial is a choice ("to your branch instead of your home") and the other
    clause offers options too ("to your home or to your branch", "a bank transfer
    instead"): two ways of naming the same options, not a yes against a no."""
    negated, other = (a, k) if a.negations > k.negations else (k, a)
    choices = len(_CHOICE.findall(negated.text))
    return 0 < choices == negated.negations - other.negations and bool(_OPTIONS.search(other.text))


def _opposite(a: Clause, k: Clause) -> bool:
    """An odd number of differences; a negation counts only where it negates words the
    other clause states ("we don't ship abroad" beside "we deliver within the UK" adds a
    claim, it does not deny one)."""
    flips = 0
    if a.negations != k.negations and _complementary_times(a.text, k.text):
        return False
    if a.negations != k.negations and _only_a_choice(a, k):
        return False
    if a.negations != k.negations:
        negated, other = (a, k) if a.negations else (k, a)
        # "the deck is closed until the announcement" says "you can't return until" with a
        # negative word of its own, one the negated clause has no counterpart for
        lone = any(
            so == -1 and sn == 0 and n in _NEGATIVE_MEANS_NOT
            for n, (so, sn) in enumerate(zip(other.sides, negated.sides, strict=True))
        )
        if not lone and negated.scope and len(negated.scope & other.main) * 2 >= len(negated.scope):
            flips += 1
    for sa, sk in zip(a.sides, k.sides, strict=True):
        if sa and sk and sa != sk:
            flips += 1
    return flips % 2 == 1


#: A thing named with its number: "Full Fibre 150", "Coach 3", "Zone 2".
_NUMBERED_NAME = re.compile(r"\b[A-Z][\w-]*\s+(\d+)\b")
#: A KB clause about everyone the rest of the sentence leaves out: "Everyone else pays".
_THE_REST = re.compile(
    r"^\W*(?:everyone|anyone|everybody|anybody)\s+else\b|^\W*all\s+other\b", re.IGNORECASE
)
_UNLESS_AFTER = re.compile(r"[^.;!?]*\bunless\b", re.IGNORECASE)


def other_numbered_names(a_text: str, k_text: str) -> bool:
    """Both texts name things by number, and none of the same: "Full Fibre 150" beside
    "Full Fibre 500 and 900" are other packages, whatever the words around them share."""
    a_nums = set(_NUMBERED_NAME.findall(a_text))
    k_nums = set(_NUMBERED_NAME.findall(k_text))
    return bool(a_nums and k_nums and not a_nums & k_nums)


def _about_others(a: Clause, k: Clause, answer: str) -> bool:
    """Two clauses with opposite polarity that are not about the same thing: another
    numbered name ("isn't offered on Full Fibre 150" / "only offered on Full Fibre 500"),
    the KB's clause for everyone else ("Everyone else pays" beside the answer's free test),
    or an answer denial with its own exception ("isn't available unless you add a little
    more", the KB's own condition said the other way round)."""
    if other_numbered_names(a.text, k.text):
        return True
    if _THE_REST.search(k.text):
        return True
    return bool(a.negations % 2 and _UNLESS_AFTER.match(answer, a.start))


#: A sentence that opens with the case it speaks of: "If you add another £5.40, ...".
_OPENING_CASE = re.compile(
    r"\W*(?:if|unless|once|as\s+long\s+as|as\s+you(?:'re|\s+are))\b([^,]{3,120}),", re.I
)


def _case(text: str, pos: int) -> frozenset[str] | None:
    """The content stems of the case that opens the sentence around ``pos``, if any."""
    start = _sentence_start(text, pos)
    found = _OPENING_CASE.match(text, start)
    if found is None or found.end() > pos:
        return None
    words = [w.lower() for w in _WORD.findall(found.group(1))]
    return frozenset(_CANON.get(stem(w), stem(w)) for w in words if w not in _STOP and len(w) > 1)


_ONLY_IF = re.compile(r"\bonly\b[^.!?;]{0,80}?\b(?:if|when|where)\b", re.IGNORECASE)
_UNLESS = re.compile(r"\b(?:unless|except\s+(?:if|when|where))\b", re.IGNORECASE)


def _sentence_start(text: str, pos: int) -> int:
    """Where the sentence around ``pos`` starts (after the last sentence end before it)."""
    return max([0, *(m.end() for m in _SENTENCE_END.finditer(text, 0, pos))])


def _sentence_at(text: str, pos: int) -> str:
    start = _sentence_start(text, pos)
    end = _SENTENCE_END.search(text, pos)
    return text[start : end.start() if end else len(text)]


def only_if_unless(answer: str, a_pos: int, canonical: str, k_pos: int) -> bool:
    """ "Only if X" on one side and "not ... unless X" on the other: one rule said two ways."""
    mine, theirs = _sentence_at(answer, a_pos), _sentence_at(canonical, k_pos)
    return bool(
        (_ONLY_IF.search(mine) and _UNLESS.search(theirs))
        or (_UNLESS.search(mine) and _ONLY_IF.search(theirs))
    )


def _other_case(answer: str, a: Clause, canonical: str, k: Clause) -> bool:
    """The answer's clause speaks of a case its sentence opens with, and the KB's of another
    ("If you add another £5.40 to reach £40, the charge drops off" / "If your basket is
    between £25 and £40 we add a £4 charge"): two cases, no opposite claims."""
    mine = _case(answer, a.start)
    if not mine:
        return False
    theirs = _case(canonical, k.start)
    return theirs is not None and not (mine & theirs)


_INSTEAD = re.compile(r"\b(?:instead|rather\s+than|in\s+place\s+of)\b", re.IGNORECASE)


def _same_choice(a: Clause, answer: str, canonical: str) -> bool:
    """The answer sets an option aside ("a coffee kiosk rather than the Galley café") for
    the option a KB clause chooses instead ("there's a coffee kiosk instead"): the KB's own
    choice, not a denial of its claim about the other option."""
    if not _CHOICE.match(a.text):
        return False
    start = _sentence_start(answer, a.start)
    words = [w.lower() for w in _WORD.findall(answer[start : a.start])]
    chosen = {_CANON.get(stem(w), stem(w)) for w in words if w not in _STOP and len(w) > 1}
    for part in re.split(r"[.;!?](?=\s|$)", canonical):
        said = {_CANON.get(stem(w), stem(w)) for w in (x.lower() for x in _WORD.findall(part))}
        if _INSTEAD.search(part) and (chosen & said) - a.stems:
            return True
    return False


#: A claim about everything but the one at hand: "any other late payment fees".
_OTHERS = re.compile(
    r"(?<!\blike\s)(?<!\bas\s)(?<!\bwith\s)\b(?:any|no|all)\s+other\b"
    r"|\b(?:anything|anyone|nothing)\s+else\b",
    re.IGNORECASE,
)
#: What may follow, not what the policy is: "delays can mean we miss the deadline".
_MAY_MEAN = re.compile(r"\b(?:can|could|may|might)\s+mean\s+(?:that\s+)?", re.IGNORECASE)


#: An exception a claim makes of itself: "every day apart from Christmas Day".
_EXCEPTION = re.compile(
    r"\b(?:apart\s+from|except(?:\s+for)?|other\s+than|excluding|but\s+not)\b", re.IGNORECASE
)


def _excepts(plain: Clause, negated: Clause, text: str) -> bool:
    """An affirmed clause whose exception names what the other clause denies, and that
    grants none of the rest of it: "we deliver every day apart from Christmas Day" says
    "we don't deliver on Christmas Day"; "hearing aids, anything apart from Lens Plan
    payments" does not say "they can't be used for Lens Plan payments or hearing aids"."""
    if plain.negations or not negated.negations:
        return False
    start = max([0, *(m.end() for m in _SENTENCE_END.finditer(text, 0, plain.start))])
    end = _SENTENCE_END.search(text, plain.start + len(plain.text))
    return excepts(text[start : end.start() if end else len(text)], negated.text)


def excepts(plain: str, negated: str) -> bool:
    """:func:`_excepts` on two texts: ``plain`` affirms with an exception, ``negated``
    denies."""
    found = _EXCEPTION.search(plain)
    denied = _NEGATION.search(negated)
    if found is None or denied is None:
        return False
    excepted = _content_words(plain[found.end() :])
    # what the other clause denies, less its verb ("deliver on Christmas Day" names days)
    named = set(_content_list(negated[denied.end() :])[1:])
    return bool(excepted & named) and not (named - excepted) & _content_words(
        plain[: found.start()]
    )


def _content_list(text: str) -> list[str]:
    words = [w.lower().replace("’", "'") for w in _WORD.findall(text)]
    return [_CANON.get(stem(w), stem(w)) for w in words if w not in _STOP and len(w) > 1]


def _content_words(text: str) -> set[str]:
    return set(_content_list(text))


def about_the_rest(text: str) -> bool:
    """Whether a claim is about everything else ("we don't charge any other fees"): it
    neither states nor denies the one thing the other side speaks of."""
    return _OTHERS.search(text) is not None


def may_follow(text: str, pos: int) -> bool:
    """Whether the claim at ``pos`` is what may follow ("as delays can mean we miss the
    deadline"), said in its clause before it: a consequence, not a rule to contradict."""
    start = max([0, *(m.end() for m in _CLAUSE_MARK.finditer(text, 0, pos))])
    return any(m.end() <= pos for m in _MAY_MEAN.finditer(text, start, pos))


_CLAUSE_MARK = re.compile(r"[,.;:!?](?=\s|$)")


_NOT_ALL = re.compile(
    r"(?:\bnot|n't)\s+(?:\w+\s+){0,4}?(?:every|all|each)\b"
    r"|\bnot\s+(?:every|all|each)\b",
    re.IGNORECASE,
)
_ONLY_SOME = re.compile(
    r"\b(?:only|just)\s+(?:\w+\s+){0,4}?(?:some|certain|selected|a\s+few|most|a\s+number\s+of)\b"
    r"|\b(?:some|certain|selected|most)\b",
    re.IGNORECASE,
)


def _not_all(text: str) -> bool:
    """ "isn't available in every postcode", "not all branches": some, not all."""
    return _NOT_ALL.search(text) is not None


#: A clause that only says what something is: "Methylphenidate is a Schedule 2 controlled
#: drug". It has no yes or no of its own to oppose the KB's "we don't post Schedule 2 drugs".
_CLASSIFIES = re.compile(
    r"\W*(?!(?:there|it|this|that)\b)(?:[\w'’-]+\s+){1,4}?(?:is|are)\s+(?:a|an|one\s+of\s+"
    r"(?:the|our))\s+(?:(?!(?:that|which|who|can|will|to|not|never|if|when|for|on|in|with|at|"
    r"from|by|of)\b)[\w'’-]+\s*){1,6}\W*",
    re.IGNORECASE,
)


def _classifies(text: str) -> bool:
    """The clause says which named class a thing is in ("a Schedule 2 controlled drug",
    "a Class A drug"): a capital or a number past "is a" names the class."""
    m = _CLASSIFIES.fullmatch(text)
    if m is None:
        return False
    tail = re.split(r"\b(?:is|are)\s+(?:a|an|one\s+of)\b", text, maxsplit=1, flags=re.I)[-1]
    return any(ch.isdigit() or ch.isupper() for ch in tail)


_NOT_UNTIL = re.compile(
    r"(?:n't|\bnot|\bnever|\bno)\b[^.;!?]{0,120}?\b(?:until|till)\s+(?P<when>[^,;.!?]{1,120})",
    re.IGNORECASE,
)


def until_met(a: str, k: str) -> bool:
    """One side's "not ... until Y" says when, and the other says it happens at Y: "you don't
    pay anything until you collect" against "Pay at Depot bookings are paid when you
    collect". Against "you can return at any time" it still denies."""
    for one, other in ((a, k), (k, a)):
        m = _NOT_UNTIL.search(one)
        if m is None:
            continue
        when = _content_list(m.group("when"))
        if when and when[0] in _content_words(other):
            return True  # its first word, the event: "collect" of "you collect the vehicle"
    return False


def claim_conflicts(
    answer: str,
    canonical: str,
    *,
    entry_id: str | None = None,
    taken: list[tuple[int, int]] | None = None,
) -> list[Conflict]:
    """Answer clauses that say the opposite of the KB clause they align with.

    Args:
        answer: the agent's answer.
        canonical: the KB entry's answer.
        entry_id: quoted in the explanation.
        taken: answer spans already in conflict (a fact's own conflict is not repeated).
    """
    kb = clauses(canonical)
    out: list[Conflict] = []
    for a in clauses(answer):
        if taken_by(a.start, a.end, taken):
            continue
        if any(c.answer_span == (a.start, a.start + len(a.text)) for c in out):
            continue  # a charge and its clause: one claim, reported once
        k = _aligned(a, kb)
        if k is None or not _opposite(a, k) or _also_agrees(a, k, kb, answer):
            continue
        if (a.verbless or k.verbless) and a.sentence_negations == k.sentence_negations:
            continue  # a list item: "we don't cover cash, bank cards ..." said either way
        if _about_others(a, k, answer) or _other_case(answer, a, canonical, k):
            continue
        if _same_choice(a, answer, canonical):
            continue
        if (_not_all(a.text) and _ONLY_SOME.search(k.text)) or (
            _not_all(k.text) and _ONLY_SOME.search(a.text)
        ):
            continue  # "isn't available in every postcode": "only in some postcodes"
        if only_if_unless(answer, a.start, canonical, k.start):
            continue  # "we only accept returns if faulty" / "we can't accept returns unless faulty"
        if _classifies(a.text) or _classifies(k.text):
            continue  # "methylphenidate is a Schedule 2 drug" says what it is, not what we do
        if about_the_rest(a.text) or about_the_rest(k.text) or _MAY_MEAN.search(k.text):
            continue
        if _excepts(a, k, answer) or _excepts(k, a, canonical):
            continue  # "we deliver every day apart from Christmas Day"
        if until_met(a.text, k.text):
            continue  # "you don't pay until you collect" / "you pay when you collect"
        if k.fee:
            # "free" alone says little: quote the KB clause the charge belongs to
            k = next((c for c in kb if not c.fee and c.start <= k.start < c.end), k)
        out.append(
            Conflict(
                kind="polarity",
                answer_value=a.text,
                kb_value=k.text,
                answer_span=(a.start, a.start + len(a.text)),
                kb_span=(k.start, k.start + len(k.text)),
                answer_text=a.text,
                kb_text=k.text,
                entry_id=entry_id,
                explanation=kb_says(entry_id, k.text, f'the answer says the opposite: "{a.text}".'),
            )
        )
    return out
