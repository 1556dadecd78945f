"""Affirmed and negated claims: "we do not deliver to PO boxes", "there is no fee".

One fact per claim. ``value`` is ``True`` when the claim is affirmed and
``False`` when negated ("not", "n't", "never", "no", "unable", "no longer";
ASR spellings "cant", "dont", "wont", "theres" too; "no problem" is not a
negation). ``subject`` is a short normalised key of the claim, so the same
claim in other words gets the same key and an answer's claim can be aligned
with the KB's by plain equality:

* the main verb's stem first, then the sorted stems of up to two object or
  subject nouns: "We do not deliver to PO boxes", "PO boxes aren't delivered
  to" and "we dont deliver to po boxes" all give ``"deliver box po"``;
* stop words, pronouns, auxiliaries, adverbs, a few vague adjectives
  ("direct", "full"), numbers, amounts and units are dropped; contractions are
  expanded; some synonyms are merged ("send back" -> return, "ship" ->
  deliver, "take"/"pay" -> accept, country names -> abroad); a light verb gives
  way to its object ("we offer exchanges" = "we do exchanges": ``"exchang"``);
* a list of objects gives one claim each: "we do not accept cheques or cash"
  is ``"accept chequ"`` and ``"accept cash"``, both ``False``;
* the tail after the object ("within 30 days", "for Volt Plus members", "it
  just takes longer") is left out: other extractors own those facts;
* a charge is its own claim with a subject starting ``"fee"``: "free",
  "free of charge", "no fee", "at no extra cost", "without charge" are
  ``False``; "there is a fee", "you'll be charged" are ``True``, so "returns
  are free" and "there's a charge for returns" disagree on ``"fee return"``.
  A charge stated with its amount ("costs £4.49") is left to the money
  extractor, which compares amounts better than a yes/no can.

Only clauses that make a claim count: a negation, a modal or auxiliary
("can", "will", "must", "do"), "we/you/they" + verb, a claim verb ("covers",
"includes", "accepts"...) or a charge. Conditions ("if you cancel...",
"unless...") and the agent talking about themselves ("I can check that for
you") yield nothing. Speech has no full stops, so a new subject ("... po boxes
we do not ...", "... returns are free") starts a new clause. The span runs
from the clause's first word to the end of the claim. :func:`stem` makes the
stems; :func:`subject_similarity` scores two keys when equality is too strict.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from functools import lru_cache
from typing import ClassVar, NamedTuple

from consistency.facts.base import Extractor
from consistency.models import Fact

__all__ = ["EXTRACTOR", "PolarityExtractor", "stem", "subject_similarity"]


def _wordset(words: str) -> frozenset[str]:
    """A set of words written as one string, to keep long vocabularies readable."""
    return frozenset(words.split())


# Words, amounts ("£7.99" is one token) and clause punctuation (a full stop only before a
# space, so "voltstream.co.uk" and "7.99" do not end a clause).
_WORD = re.compile(
    r"[£$€]?\d+(?:[.,:]\d+)*(?:%|(?:st|nd|rd|th)\b)?|[A-Za-z0-9£$€%]+(?:['’][A-Za-z]+)?|[.!?;:](?=\s|$)|,"
)
#: "No need - ...", "no need, ...": the question answered, not a need denied.
_ANSWERED_NEED = re.compile(r"\s+need(?=\s*(?:[-–—,.!;:]|$))")
_CONTRACTIONS: dict[str, tuple[str, ...]] = {
    "can't": ("can", "not"), "cant": ("can", "not"), "cannot": ("can", "not"),
    "won't": ("will", "not"), "wont": ("will", "not"), "don't": ("do", "not"),
    "dont": ("do", "not"), "doesn't": ("does", "not"), "doesnt": ("does", "not"),
    "didn't": ("did", "not"), "didnt": ("did", "not"), "isn't": ("is", "not"),
    "isnt": ("is", "not"), "aren't": ("are", "not"), "arent": ("are", "not"),
    "wasn't": ("was", "not"), "wasnt": ("was", "not"), "weren't": ("were", "not"),
    "haven't": ("have", "not"), "havent": ("have", "not"), "hasn't": ("has", "not"),
    "hasnt": ("has", "not"), "shouldn't": ("should", "not"), "shouldnt": ("should", "not"),
    "wouldn't": ("would", "not"), "wouldnt": ("would", "not"), "couldn't": ("could", "not"),
    "couldnt": ("could", "not"), "mustn't": ("must", "not"), "needn't": ("need", "not"),
    "shan't": ("shall", "not"), "ain't": ("is", "not"), "we're": ("we", "are"),
    "you're": ("you", "are"), "they're": ("they", "are"), "it's": ("it", "is"),
    "there's": ("there", "is"), "that's": ("that", "is"), "we'll": ("we", "will"),
    "you'll": ("you", "will"), "it'll": ("it", "will"), "they'll": ("they", "will"),
    "we've": ("we", "have"), "you've": ("you", "have"), "they've": ("they", "have"),
    "i'm": ("i", "am"), "im": ("i", "am"), "i'll": ("i", "will"), "i've": ("i", "have"),
    "i'd": ("i", "would"), "we'd": ("we", "would"), "you'd": ("you", "would"),
    "let's": ("let", "us"), "theres": ("there", "is"), "thats": ("that", "is"),
    "youre": ("you", "are"), "theyre": ("they", "are"), "youll": ("you", "will"),
    "theyll": ("they", "will"), "itll": ("it", "will"), "youve": ("you", "have"),
    "weve": ("we", "have"), "theyve": ("they", "have"), "ive": ("i", "have"),
}  # fmt: skip
_CONTRACTIONS_ASR: dict[str, tuple[str, ...]] = {**_CONTRACTIONS, "its": ("it", "is")}
_NEGATIONS = frozenset(
    {"not", "never", "no", "nothing", "none", "neither", "nor", "unable", "impossible"}
)
_MODALS = _wordset(
    """can could will would may might must shall should need needs have has had do does did
    able allowed possible permitted available"""
)
_AUX = _wordset("""is are was were be been being am get gets got""")
_PRONOUNS = _wordset("""we you they it there he she i this that everyone everybody anyone""")
_CLAIM_SUBJECTS = frozenset({"we", "you", "they"})
_STOP = (
    _wordset(
        """a an the to of and or but if so as at by for on in with from into onto up out off any
    some all most more much many every each other another such same own only also just
    really still always ever even already again very quite please here then than too well
    yeah yes okay ok right um uh er erm hmm like actually basically definitely certainly
    absolutely obviously literally currently usually normally generally simply unfortunately
    afraid sorry sure us me him her them my our your their its his whose which who what whom
    whatever whichever whenever there this that these those it we you they i he she one ones
    thing things anything something everything able allowed possible permitted going gonna
    want wanna go goes went make makes made let lets bit lot lots way back after before
    within until till during including except via over under about around through across
    between without extra sometimes typically often mostly direct full whole entire new old
    other additional certain specific particular usual normal regular actual itself themselves
    yourself"""
    )
    | _MODALS
    | _AUX
    | _NEGATIONS
)
_UNIT_WORDS = _wordset(
    """day days week weeks month months year years hour hours minute minutes working business
    pound pounds quid pence p percent per cent zero one two three four five six seven eight
    nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen
    twenty thirty forty fifty sixty seventy eighty ninety hundred thousand first second
    third half am pm times"""
)
_CLAUSE_WORDS = _wordset(
    """but however although though because whereas otherwise unless if when once while which
    whilst so"""
)
# Words after which a pronoun does not start a new clause ("to you", "that we", "and we").
_BEFORE_SUBJECT = _wordset(
    """to that which who if when and or but so because unless once than as where what how for
    on in at by with from of about after before until till while whether nothing anything
    something everything"""
)
# Verbs after which "you"/"it" is an object: "we charge you", "we'll refund it".
_TAKES_OBJECT = _wordset(
    """let give send tell email text call charge refund ask help show thank pay make"""
)
_NEW_SUBJECT = _wordset("""and then your our their my""")
_CONDITIONAL_OPENERS = _wordset(
    """if unless when once whenever provided providing until which who"""
)
_CUT_AFTER_OBJECT = _wordset(
    """for on within in at by from after before until till with over under during including
    except via as than per once when while because if unless"""
)
_CHAT_VERBS = _wordset(
    """help check look see know think understand hold bear wait apologise apologize thank worry
    mind hope believe guess mean say tell confirm pop transfer put speak"""
)
# Verbs that carry no claim of their own: "we offer exchanges" and "we do exchanges" are
# the same claim, keyed by the object.
_LIGHT_VERBS = _wordset("""offer offers provide provides do does have has support supports""")
# Present-tense verbs that make a claim without a modal or pronoun ("Volt Care covers theft").
_CLAIM_VERBS = _wordset(
    """covers includes accepts delivers ships offers refunds supports allows requires excludes
    provides charges"""
)
# The same verbs as participles after "is/are": "hot meals are included", "cash is accepted".
_CLAIM_PARTICIPLES = _wordset(
    """covered included accepted delivered shipped offered refunded supported allowed required
    excluded provided charged permitted open closed"""
)
_COUNTRIES = _wordset(
    """france ireland spain germany italy portugal netherlands belgium usa america canada
    australia europe abroad overseas country countries"""
)
# Words after which the next word is a noun, not a verb ("to france it just takes").
_NOUN_BEFORE = _wordset("""to the a an your our their my his her its this that for on in at of""")
_OBJECT_PRONOUNS = _wordset("""it them us me him her""")
#: After "no", words that limit the claim before it: "to the UK, no other countries".
_NO_LIMITS = _wordset("""other others exceptions exception one else""")
_NO_IDIOMS = _wordset("""problem problems worries worry bother trouble show shows""")
_FILLERS = _wordset(
    """um uh er erm hmm so yeah yes no okay ok right well oh and but also actually basically
    unfortunately sadly honestly just"""
)
_SYNONYMS: dict[str, str] = {
    "ship": "deliver", "shipped": "deliver", "shipping": "deliver", "post": "deliver",
    "posted": "deliver", "delivery": "deliver", "deliveries": "deliver", "take": "accept",
    "takes": "accept", "took": "accept", "taken": "accept", "pay": "accept",
    "purchase": "buy", "purchased": "buy", "package": "parcel",
    "overseas": "abroad", "internationally": "abroad", "international": "abroad",
    "closed": "open", "shut": "open", "unavailable": "available", "nonrefundable": "refund",
    "non-refundable": "refund", "refundable": "refund", "ships": "deliver",
    "delivers": "deliver", "offers": "offer",
}  # fmt: skip
_SYNONYMS.update(dict.fromkeys(_COUNTRIES, "abroad"))
_SUBORDINATORS = frozenset({"until", "till", "who", "which", "whose", "unless", "whenever"})
_FLIPS = frozenset({"closed", "shut", "unavailable", "nonrefundable", "non-refundable", "waived"})
_IRREGULAR: dict[str, str] = {
    "sent": "send", "paid": "pay", "made": "make", "given": "give", "gave": "give",
    "bought": "buy", "kept": "keep", "held": "hold", "broken": "break", "broke": "break",
    "chosen": "choose", "got": "get", "left": "leave", "done": "do", "did": "do",
    "children": "child", "people": "person", "lost": "lose", "stolen": "steal", "won": "win",
    "sold": "sell", "told": "tell", "brought": "bring", "found": "find", "shown": "show",
    "written": "write", "arrived": "arrive", "used": "use", "unused": "unuse",
}  # fmt: skip
_KEEP = _wordset("""free address status access process bus gas plus lens news series us""")
_BENEFICIARIES = _wordset(
    """member members customer customers student students subscriber subscribers"""
)
_FEE_NOUNS = _wordset("""fee fees charge charges cost costs""")
#: "charging it fully", "charge your phone", "charging points": power, not a price.
_POWER = re.compile(
    r"charg\w*\s+(?:it|them|up|fully|point|points|cable|cables|station|stations|"
    r"(?:your|the|a|their|its|his|her)\s+(?:car|phone|device|battery|batteries|scooter|"
    r"vehicle|wheelchair|bike|laptop|ev))\b"
)
_FEE_AFFIRM = _wordset("""cost costs costing charge charges charged charging fee fees""")
_FEE_PHRASES: tuple[tuple[tuple[str, ...], bool], ...] = (
    (("free", "of", "charge"), False),
    (("at", "no", "extra", "cost"), False),
    (("at", "no", "extra", "charge"), False),
    (("at", "no", "cost"), False),
    (("at", "no", "charge"), False),
    (("no", "extra", "charge"), False),
    (("no", "extra", "cost"), False),
    (("without", "any", "charge"), False),
    (("without", "charge"), False),
    (("without", "paying"), False),
    (("no", "charge"), False),
    (("no", "cost"), False),
    (("complimentary",), False),
    (("free",), False),
)
_FEE_STEMS = frozenset({"cost", "charg", "fee"})
# Words before a charge that say how big, not what for: "a small charge".
_FEE_SIZES = _wordset("""small little tiny nominal modest minor slight extra additional separate""")
_MONEY_WORDS = _wordset(
    """pounds pound quid pence p one two three four five six seven eight nine ten eleven twelve
    fifteen twenty thirty forty fifty sixty seventy eighty ninety hundred"""
)
_FEE_FIRST = frozenset({p[0] for p, _ in _FEE_PHRASES} | _FEE_AFFIRM | {"no"})
_NOT_A_FEE_BEFORE = frozenset({"feel", "toll", "interest", "hands", "sugar", "duty", "tax"})


def _is_amount(word: str) -> bool:
    return word[:1] in "£$€" or word[:1].isdigit() or word in _MONEY_WORDS


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """A crude, deterministic stem: "deliveries" -> "delivery", "boxes" -> "box".

    Both sides of a comparison go through the same rules, so the stems need
    only agree with each other, not be dictionary words.
    """
    w = word.lower().replace("’", "'")
    w = _IRREGULAR.get(w, w)
    if w in _KEEP or len(w) <= 3:
        return w
    if (w.endswith("ies") and len(w) > 4) or (w.endswith("ied") and len(w) > 4):
        w = w[:-3] + "y"
    elif w.endswith(("sses", "shes", "ches", "xes", "zes")):
        w = w[:-2]
    elif w.endswith("ing") and len(w) > 5:
        w = w[:-3]
    elif w.endswith("eed") and len(w) > 5:
        w = w[:-1]  # "agreed" is "agree", "guaranteed" is "guarantee"
    elif w.endswith("ed") and len(w) > 4:
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if w.endswith("e") and len(w) > 3 and not w.endswith("ee"):
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1].isalpha() and w[-1] not in "aeious":
        w = w[:-1]  # "cancelled", "cancelling", "cancel" and "shipped" agree; "£100" is no "£10"
    return w


def subject_similarity(a: str, b: str) -> float:
    """How likely two ``subject`` keys name the same claim, in 0-1.

    0 when the first words (the verb, or ``fee``) differ; otherwise the share
    of the smaller key's words found in the other. A word and its "un" form
    ("use" vs "unuse") never match.
    """
    ta, tb = a.split(), b.split()
    if not ta or not tb or ta[0] != tb[0]:
        return 0.0
    sa, sb = set(ta), set(tb)
    if any(("un" + w) in sb for w in sa) or any(("un" + w) in sa for w in sb):
        return 0.0
    return len(sa & sb) / min(len(sa), len(sb))


class _W(NamedTuple):
    word: str
    start: int
    end: int


_COMPARATIVES = _wordset("""more less fewer later earlier longer sooner""")


def _bounding(clause: list[_W], k: int) -> bool:
    """A negation word that bounds or describes rather than denies: "no more than 2 guests"
    is "up to 2", "cancel with no penalty" is "without penalty" (the claim is the
    cancelling, which is allowed)."""
    if clause[k].word not in ("no", "not"):
        return False
    nxt = clause[k + 1].word if k + 1 < len(clause) else ""
    after = clause[k + 2].word if k + 2 < len(clause) else ""
    if nxt in _COMPARATIVES and after == "than":
        return True
    if clause[k].word == "not" and k > 0 and clause[k - 1].word in ("can", "will", "must"):
        # "we can't charge you more than a new customer would pay": a limit, as "no more than"
        ahead = [w.word for w in clause[k + 1 : k + 6]]
        return any(
            w in _COMPARATIVES | {"higher", "lower", "cheaper"} and ahead[i + 1 : i + 2] == ["than"]
            for i, w in enumerate(ahead)
        )
    if clause[k].word == "not" and nxt in ("just", "only", "merely", "simply"):
        return True  # "at any club, not just your home club" widens, it denies nothing
    if clause[k].word == "no" and k > 0 and clause[k - 1].word == ",":
        # "it rolls on monthly, no end date, until ...": a describing phrase set off by
        # commas, as "with no end date"; "..., no we can't" is an answer (it has a verb)
        ahead = itertools.takewhile(
            lambda w: w.word not in (",", ".", "!", "?", ";", ":"), clause[k + 1 : k + 5]
        )
        words = [w.word for w in ahead]
        return (
            bool(words)
            and len(words) < 4
            and words[0] not in _NO_LIMITS
            and not any(
                w in _AUX or w in _MODALS or w in _PRONOUNS or w.endswith("ed") for w in words
            )
        )  # "..., no receipt needed" is a claim
    return clause[k].word == "no" and k > 0 and clause[k - 1].word == "with"


def _words(text: str) -> list[_W]:
    """Lower-case words with their spans; contractions expanded (both parts share the span)."""
    low = text.lower()
    lowered = len(low) == len(text)
    if not lowered:  # a character whose lower case is longer: keep offsets exact
        low = text
    low = low.replace("’", "'")
    out: list[_W] = []
    append = out.append
    # speech recognition output drops apostrophes: there "its" is "it's"
    table = _CONTRACTIONS if "'" in low else _CONTRACTIONS_ASR
    skip_to = 0
    for m in _WORD.finditer(low):
        raw = m.group()
        if m.start() < skip_to:
            continue
        expanded = table.get(raw)
        answered = _ANSWERED_NEED.match(low, m.end()) if raw == "no" else None
        if answered is not None:
            skip_to = answered.end()  # "No need - every hire includes it": an answer, no claim
            continue
        if raw == "no" and low[m.end() : m.end() + 1] == "-":
            append(_W("no-", *m.span()))  # "no-claims discount": a name, no negation
            continue
        if expanded is None:
            if "'" in raw and raw.endswith("n't"):
                expanded = (raw[:-3], "not")
            else:
                append(_W(raw if lowered else raw.lower(), *m.span()))
                continue
        start, end = m.span()
        for w in expanded:
            append(_W(w, start, end))
    return _phrasal(out)


#: Verbs whose particle makes another claim: "sign in" on a TV is not "sign up" on one.
_PHRASAL = frozenset({"sign", "signed", "signing", "log", "logged", "logging", "opt", "opted"})
_PHRASAL_PARTICLES = frozenset({"in", "up", "out", "on", "off"})


def _phrasal(words: list[_W]) -> list[_W]:
    """ "sign up" read as one word, "signup", apart from "signin" (spans joined)."""
    if not any(w.word in _PHRASAL for w in words):
        return words
    out: list[_W] = []
    skip = False
    for i, w in enumerate(words):
        if skip:
            skip = False
            continue
        nxt = words[i + 1] if i + 1 < len(words) else None
        if w.word in _PHRASAL and nxt is not None and nxt.word in _PHRASAL_PARTICLES:
            out.append(_W(stem(w.word) + nxt.word, w.start, nxt.end))
            skip = True
        else:
            out.append(w)
    return out


def _clauses(words: list[_W]) -> list[list[_W]]:
    """Split at sentence punctuation, clause words and "and/or/," before a new subject."""
    clauses: list[list[_W]] = []
    current: list[_W] = []
    for i, w in enumerate(words):
        nxt = words[i + 1].word if i + 1 < len(words) else ""
        if w.word in ".!?;:":
            boundary, keep = True, False
        elif w.word in _CLAUSE_WORDS or (w.word == "as" and nxt in _PRONOUNS and current):
            # "... the quickest as there's no card number to type": a reason, its own clause
            boundary, keep = True, True
        elif w.word == "," and nxt == "not" and _contrast_after(words, i + 1) and current:
            # "we take cards only, not cash": the option set against the claim is no denial
            # of it; it is denied with the claim's own verb ("we take ... not cash")
            clauses.append(current)
            current = _verb_chain(current)
            continue
        elif w.word in (",", "and", "or", "then"):
            boundary = (
                nxt in _PRONOUNS
                or nxt in _CLAUSE_WORDS
                or nxt in _NEW_SUBJECT
                or (
                    w.word != ","
                    and (nxt in _MODALS or nxt in _NEGATIONS)  # "and don't ship"
                    and not (current and current[0].word in _CONDITIONAL_OPENERS)
                )
            )
            keep = False
        elif len(current) >= 2 and (
            (w.word in ("we", "they") and current[-1].word not in _BEFORE_SUBJECT)
            or (
                w.word in ("you", "it", "there")
                and current[-1].word not in _BEFORE_SUBJECT
                and (
                    nxt in _MODALS
                    or (nxt in _AUX and (w.word != "you" or current[-1].word not in _TAKES_OBJECT))
                )
            )
        ):
            # speech has no full stops: "... po boxes we do not deliver ..." starts a clause
            boundary, keep = True, True
        else:
            boundary, keep = False, False
        if boundary:
            opener = current[0] if current and current[0].word in _CONDITIONAL_OPENERS else None
            if current:
                clauses.append(current)
            current = [w] if keep else []
            if opener is not None and w.word in ("or", "and") and clauses[-1][-1].word == ",":
                # "If you're unhappy with it, or we haven't resolved it, ...": the condition
                # goes on, and is no claim
                current = [opener]
        else:
            current.append(w)  # inside a clause a comma or "and" is coordination
    if current:
        clauses.append(current)
    return [
        piece
        for clause in clauses
        for part in _split_predicates(clause)
        for piece in _bounded(part)
    ]


def _verb_chain(clause: list[_W]) -> list[_W]:
    """The words of ``clause`` up to its verb: "on board we take" of "on board we take card
    only" (the subject, auxiliaries and modals, then one word)."""
    last = max(
        (
            k
            for k, w in enumerate(clause)
            if w.word in _AUX or w.word in _MODALS or w.word in _PRONOUNS
        ),
        default=-1,
    )
    return clause[: last + 2] if last >= 0 else clause[:1]


def _contrast_after(words: list[_W], k: int) -> bool:
    """ "not" at ``k`` names the option set against a claim ("..., not cash", "..., not to
    a locker"), where no verb or modal follows it ("..., not if you've used it" is a case
    of its own; "..., not only" goes on)."""
    nxt = words[k + 1].word if k + 1 < len(words) else ""
    return bool(nxt) and nxt not in _AUX and nxt not in _MODALS and nxt not in (
        "only", "just", "even", "if", "unless", "when", "until", "before", "after",
    )  # fmt: skip


_WHICH_BEFORE = _wordset("""anything everything something whatever item items""")


def _says_which(words: list[_W], k: int) -> bool:
    """ "anything not used by the end of the day is thrown away": the "not" says which
    things the claim is about, not that the claim is denied."""
    return (
        words[k].word == "not"
        and k > 0
        and words[k - 1].word in _WHICH_BEFORE
        and k + 1 < len(words)
        and words[k + 1].word.endswith("ed")
    )


#: The most words one clause is read as. The longest clause in the shipped KB and
#: sample week is 30 words; a longer one has run on without punctuation (speech
#: recognition, a pasted list) and is read in pieces of this many words, so the work
#: per clause stays bounded and the extractor linear in its text (a clause of 8,000
#: words took seconds: each fee in it was held against every word).
MAX_CLAUSE_WORDS = 64


def _bounded(clause: list[_W]) -> list[list[_W]]:
    if len(clause) <= MAX_CLAUSE_WORDS:
        return [clause]
    return [clause[k : k + MAX_CLAUSE_WORDS] for k in range(0, len(clause), MAX_CLAUSE_WORDS)]


def _split_predicates(clause: list[_W]) -> list[list[_W]]:
    """ "we do not deliver to po boxes returns are free": a second subject + verb, no full stop.

    A second auxiliary or modal, not part of the first verb chain and with a verb
    between, starts a new clause at the noun just before it.
    """
    chain = [
        k
        for k, w in enumerate(clause)
        if w.word in _AUX
        or w.word in _MODALS
        or (w.word in _CLAIM_SUBJECTS and not (k and clause[k - 1].word in _TAKES_OBJECT))
        or (w.word in _NEGATIONS and w.word != "no")
    ]
    if len(chain) < 2:
        return [clause]
    parts: list[list[_W]] = []
    start = 0
    last = chain[0]
    for k in chain[1:]:
        if k - last > 2 and k - 1 > last + 1:
            noun = clause[k - 1].word
            if noun.isalpha() and noun not in _STOP and noun not in _UNIT_WORDS:
                parts.append(clause[start : k - 1])
                start = k - 1
        last = k
    parts.append(clause[start:])
    return [p for p in parts if p]


class PolarityExtractor(Extractor):
    """Affirmed/negated claims keyed by a normalised ``subject``."""

    kind: ClassVar[str] = "polarity"
    MAX_OBJECTS: ClassVar[int] = 2

    def extract(self, text: str, *, reference: dt.date | None = None) -> list[Fact]:
        facts: list[Fact] = []
        seen: set[tuple[int, int, str]] = set()
        for clause in _clauses(_words(text)):
            for start, end, value, subject in self._claims(clause):
                key = (start, end, subject)
                if key in seen or start >= end:
                    continue
                seen.add(key)
                facts.append(
                    Fact(
                        kind=self.kind,
                        value=value,
                        span=(start, end),
                        text=text[start:end],
                        subject=subject,
                        extractor=type(self).__name__,
                    )
                )
        facts.sort(key=lambda f: (f.span, f.subject or ""))
        return facts

    def _claims(self, clause: list[_W]) -> list[tuple[int, int, bool, str]]:
        clause = [
            w
            for k, w in enumerate(clause)
            if not (
                (w.word == "no" and k + 1 < len(clause) and clause[k + 1].word in _NO_IDIOMS)
                or (w.word in _NO_IDIOMS and k and clause[k - 1].word == "no")
                or _bounding(clause, k)
            )
        ]  # "no problem", "no worries", "no more than 2", "with no penalty": not negations
        i = 0
        while i < len(clause) and (clause[i].word in _FILLERS or clause[i].word == ","):
            nxt = clause[i + 1].word if i + 1 < len(clause) else ""
            if clause[i].word == "no" and not (
                nxt in _PRONOUNS or nxt in _FILLERS or nxt in (",", "sorry", "i", "im")
            ):
                break  # "no exit fees" is a negation, "no, we can't" an interjection
            i += 1
        # "I'm afraid we can't ...", "I think you can ..."
        if (
            i + 2 < len(clause)
            and clause[i].word == "i"
            and clause[i + 1].word in ("am", "think", "believe")
        ):
            j = i + 2
            while j < len(clause) and clause[j].word in ("afraid", "sorry", "that"):
                j += 1
            if j < len(clause) and clause[j].word in _PRONOUNS:
                i = j
        words = clause[i:]
        if len(words) > 1 and words[0].word in ("as", "since") and words[1].word == "you":
            # "as you're not a British citizen, ...": the customer's case, not a claim
            return []
        if words and words[0].word in _CONDITIONAL_OPENERS:
            words = self._after_condition(words)
        if not words or words[0].word in _CONDITIONAL_OPENERS or words[0].word in ("i", "let"):
            return []
        claims: list[tuple[int, int, bool, str]] = []
        fees = self._fees(words)
        in_fee = {k for idx, _, length in fees for k in range(idx, idx + length)}
        # "... a case handler who stays with it until it's closed": a negation or a flip in
        # a clause of its own after the claim says nothing of the claim
        cut = next(
            (k for k, w in enumerate(words) if k > 1 and w.word in _SUBORDINATORS), len(words)
        )
        negations = sum(
            1
            for k, w in enumerate(words[:cut])
            if (w.word in _NEGATIONS or w.word in _FLIPS)
            and k not in in_fee
            and not _says_which(words, k)
        )
        if words[0].word == "no" and len(words) > 1 and words[1].word in _PRONOUNS:
            negations -= 1  # "no, we can't": the interjection, not a negation
        negated = negations % 2 == 1
        for idx, base, length in fees:
            if length < 0:
                continue  # a charge with its amount: left to the money extractor
            topic = self._fee_topic(words, idx, length)
            value = (not negated) if base else negated
            end = self._end_of_topic(words, topic, words[idx + length - 1].end)
            claims.append((words[0].start, end, value, " ".join(["fee", *topic])))
        if fees:
            words = [w for k, w in enumerate(words) if k not in in_fee]
        topics = {c[3].split()[1] for c in claims if len(c[3].split()) > 1}
        claims.extend(
            c
            for c in self._main_claims(words, negated)
            if c[3].split()[0] not in topics and c[3].split()[0] not in _FEE_STEMS
        )
        return claims

    @staticmethod
    def _after_condition(words: list[_W]) -> list[_W]:
        """The main clause after an unpunctuated condition: "once it's sent [you can't...]"."""
        for k in range(2, len(words) - 1):
            w, nxt, prev = words[k].word, words[k + 1].word, words[k - 1].word
            if w not in _CLAIM_SUBJECTS or prev in _CONDITIONAL_OPENERS:
                continue
            if prev in _CUT_AFTER_OBJECT or prev in ("to", "and", "or"):
                continue
            if (
                nxt in _MODALS
                or nxt in _NEGATIONS
                or nxt in _AUX
                or (nxt.isalpha() and nxt not in _STOP)
            ):
                return words[k:]
        return []

    @staticmethod
    def _content(word: str) -> bool:
        return (
            word not in _STOP
            and not (word.endswith("ly") and len(word) > 4)  # adverbs: "directly"
            and word not in _UNIT_WORDS
            and word not in ".!?;:,"
            and not any(c.isdigit() for c in word)
            and not word.startswith(("£", "$", "€"))
        )

    @staticmethod
    def _end_of_topic(words: list[_W], topic: list[str], fee_end: int) -> int:
        end = fee_end
        for w in words:
            if topic and stem(_SYNONYMS.get(w.word, w.word)) in topic:
                end = max(end, w.end)
        return end

    @staticmethod
    def _fees(words: list[_W]) -> list[tuple[int, bool, int]]:
        """Where charges are mentioned: (index, affirmed, length in words) each."""
        seq = [w.word for w in words]
        found: list[tuple[int, bool, int]] = []
        k = 0
        while k < len(seq):
            hit: tuple[int, bool, int] | None = None
            if seq[k] not in _FEE_FIRST:
                k += 1
                continue
            for phrase, base in _FEE_PHRASES:
                if tuple(seq[k : k + len(phrase)]) == phrase:
                    if phrase == ("free",) and k and seq[k - 1] in _NOT_A_FEE_BEFORE:
                        continue
                    hit = (k, base, len(phrase))
                    break
            if seq[k] == "without" and (hit is None or hit[2] == 2):
                # "without paying an early termination fee": the fee named after it is
                # the negated charge, not a new affirmed one
                for n in range(1, 6):
                    if k + n >= len(seq) or not seq[k + n].isalpha():
                        break
                    if seq[k + n] in _FEE_NOUNS:
                        hit = (k, False, n + 1)
                        break
            if hit is None and seq[k] == "no":  # "no early settlement fee", "no exit fees"
                for n in range(1, 4):
                    if k + n >= len(seq) or not seq[k + n].isalpha():
                        break
                    if seq[k + n] in _FEE_NOUNS:
                        hit = (k, False, n + 1)
                        break
            if hit is None and seq[k] in _FEE_AFFIRM and not _POWER.match(" ".join(seq[k : k + 3])):
                hit = (k, True, 1)
                near = seq[max(0, k - 3) : k] + seq[k + 1 : k + 5]
                if any(_is_amount(w) for w in near):
                    found.append((k, True, -1))  # "costs £4.49": the amount is money's fact
                    k += 1
                    continue
            if hit is not None:
                found.append(hit)
                k += hit[2]
            else:
                k += 1
        return found

    def _fee_topic(self, words: list[_W], idx: int, length: int) -> list[str]:
        """The thing charged for: "no X fee" -> X; "free returns" -> returns; else nearby nouns."""
        inside = [w.word for w in words[idx + 1 : idx + length - 1] if self._content(w.word)]
        if inside:
            return [stem(inside[-1])]
        after = words[idx + length :]
        if words[idx].word == "free" and after and self._content(after[0].word):
            return [self._head(after)]
        for w in reversed(words[:idx]):
            if w.word in _CUT_AFTER_OBJECT:
                break
            if self._content(w.word) and w.word not in _FEE_SIZES:
                return [stem(_SYNONYMS.get(w.word, w.word))]
        nouns: list[str] = []
        for j, w in enumerate(after):
            if w.word in _CUT_AFTER_OBJECT and (nouns or j > 1):
                break
            if self._content(w.word):
                nouns.append(w.word)
            elif nouns:
                break
        if not nouns or nouns[-1] in _BENEFICIARIES:
            return []  # "free for Volt Plus members": who, not what
        return [stem(_SYNONYMS.get(nouns[-1], nouns[-1]))]

    def _head(self, words: list[_W]) -> str:
        """The last noun of the noun phrase at the start of ``words``."""
        head = words[0].word
        for w in words:
            if w.word in _UNIT_WORDS and w.word.isalpha():
                continue  # "next day delivery"
            if not self._content(w.word):
                break
            head = w.word
        return stem(_SYNONYMS.get(head, head))

    def _main_claims(self, words: list[_W], negated: bool) -> list[tuple[int, int, bool, str]]:
        has_trigger = negated
        in_predicate = False  # past the subject: an auxiliary, modal or negation was seen
        subject_pronoun = None
        pre: list[str] = []
        k = 0
        # Before the verb: a noun phrase, then pronouns, auxiliaries, modals and negations.
        while k < len(words):
            w = words[k].word
            if w in _PRONOUNS:
                subject_pronoun = subject_pronoun or w
            elif w in _MODALS or w in _NEGATIONS:
                has_trigger = in_predicate = True
            elif w in _CUT_AFTER_OBJECT:
                # "for large orders we may ...": skip the phrase to the subject; "returns are
                # [free] for members": no verb before the tail at all
                nxt = next(
                    (j for j in range(k + 1, len(words)) if words[j].word in _CLAIM_SUBJECTS), None
                )
                if nxt is None:
                    return []
                pre = []
                k = nxt
                continue
            elif w in _AUX or w in _STOP or not self._content(w):
                in_predicate = in_predicate or w in _AUX
            elif subject_pronoun is None and not in_predicate and self._next_is_aux(words, k):
                pre.append(stem(_SYNONYMS.get(w, w)))
            elif k + 1 < len(words) and words[k + 1].word == ",":
                pass  # "Sometimes, ...", "Yes, ...": an aside, not the verb
            else:
                break
            k += 1
        if k >= len(words):
            return []
        if subject_pronoun == "i":
            return []
        verb_word = words[k].word
        if (
            subject_pronoun in _CLAIM_SUBJECTS
            or verb_word in _CLAIM_VERBS
            or (in_predicate and verb_word in _CLAIM_PARTICIPLES)
        ):
            has_trigger = True
        elif not has_trigger:
            # "Volt Care for phones ... covers theft": a claim verb with a noun subject
            j = next((j for j in range(k, len(words)) if words[j].word in _CLAIM_VERBS), None)
            if j is not None:
                k, verb_word, has_trigger, pre = j, words[j].word, True, []
        if not has_trigger or verb_word in _CHAT_VERBS:
            return []
        if verb_word in ("send", "sent", "take", "took", "bring", "give") and "back" in [
            w.word for w in words[k + 1 : k + 3]
        ]:
            verb = "return"
        elif verb_word in ("pay", "pays", "paid", "paying") and subject_pronoun == "we":
            verb = "payout"  # "we pay up to £350" is the company paying, not a charge
        else:
            verb = stem(_SYNONYMS.get(verb_word, verb_word))
        # "hot meals are included [in First Class]": a passive's object came before it
        passive = bool(pre) and in_predicate and verb_word in _CLAIM_PARTICIPLES
        # After the verb: objects, split at "and/or/,", up to a preposition that starts a tail.
        groups: list[tuple[list[str], int]] = []
        current: list[str] = []
        end = words[k].end
        rest = words[k + 1 :]
        seen_object = False  # "exchange it for ...": a pronoun object ends the claim too
        for j, w in enumerate(rest):
            if w.word in ("and", "or", ","):
                if current:
                    groups.append((current, end))
                    current = []
                continue
            if w.word in _CUT_AFTER_OBJECT and (current or groups or seen_object or passive):
                break
            if (
                w.word in _PRONOUNS
                and (current or groups)
                and (j == 0 or rest[j - 1].word not in _TAKES_OBJECT)
            ):
                break  # "ship to france [it just takes longer]": a new subject
            if (
                j + 1 < len(rest)
                and rest[j + 1].word in _OBJECT_PRONOUNS
                and self._content(w.word)
                and (j == 0 or rest[j - 1].word not in _NOUN_BEFORE)
            ):
                break  # "we do exchanges [just bring it back]": a new verb with its object
            seen_object = seen_object or w.word in _OBJECT_PRONOUNS
            if w.word in ".!?;:":
                break
            if w.word == "any" and j + 1 < len(rest) and rest[j + 1].word == "time":
                current.append("anytime")
                end = rest[j + 1].end
                continue
            if not self._content(w.word) or (w.word == "time" and current[-1:] == ["anytime"]):
                continue
            current.append(stem(_SYNONYMS.get(w.word, w.word)))
            end = w.end
        if current:
            groups.append((current, end))
        if not groups:
            groups = [([], end)]
        claims = []
        for objects, group_end in groups:
            nouns = sorted(dict.fromkeys([*pre, *objects]))[: self.MAX_OBJECTS + 1]
            nouns = [n for n in nouns if n != verb][: self.MAX_OBJECTS]
            if verb_word in _LIGHT_VERBS and objects:
                # "we offer exchanges" = "we do exchanges": the object is the claim
                head = objects[-1]
                key = [head, *sorted(n for n in nouns if n != head)]
            else:
                key = [verb, *nouns]
            claims.append((words[0].start, group_end, not negated, " ".join(key)))
        return claims

    @staticmethod
    def _next_is_aux(words: list[_W], k: int) -> bool:
        """A noun before the verb belongs to the claim ("PO boxes are not ...")."""
        for w in words[k + 1 :]:
            if w.word in _AUX or w.word in _MODALS or w.word in _NEGATIONS:
                return True
            if w.word in ",.;:!?":
                return False
        return False

    def render(self, fact: Fact) -> str:
        """The claim in the text's own words, marked yes or no for a reader:
        ``no: "we don't deliver to PO boxes"``. (The stemmed ``subject`` key is for
        alignment only: "deliver box po" is no sentence a QA analyst reads.)"""
        words = " ".join(fact.text.split())
        return f'{"yes" if fact.value else "no"}: "{words}"'


EXTRACTOR = PolarityExtractor()
