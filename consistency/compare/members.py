"""Which one, which ones, for whom: categorical values, list membership and scope.

Much of a policy names a member of a category rather than a number: *where* a
refund goes (the card you paid with, store credit), *how* to pay (card,
PayPal, Direct Debit), *which* documents count, *who* qualifies. An agent who
names another member of the same category, adds an option to the KB's list or
rules one out, or turns "all plans" into "only our top plan", misinforms the
customer as surely as a wrong price.

Categories come from two places:

* a small seed lexicon of what contact centres talk about (payment methods,
  channels, documents, where money goes, who does the work);
* the KB answer itself: the members of a list it names ("a store, a parcel
  locker or a Post Office") are one category, whatever they are.

A conflict needs an answer sentence and a KB sentence about the same thing
(they share a content word other than the members) that name members of one
category:

* ``categorical``: the KB names one member, the answer another ("store credit"
  for "the card you paid with");
* ``list``: the KB names several; the answer adds one, or rules one out
  ("lockers aren't an option");
* ``scope``: the KB says all/every/any, the answer only/just/selected, or the
  reverse.

A member that is more specific or more general than the KB's ("card" for "debit
or credit card") is the same member; a member the KB names anywhere in the
entry is never "another"; a negated member ("we don't take cash") is a
claim about that member, left to the polarity check unless the KB lists it.
Doubt never raises a conflict.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from consistency.compare.claims import (
    _CONDITIONAL_BEFORE,
    _NEGATION,
    Clause,
    _clause,
    _not_all,
    denials,
    kb_says,
    taken_by,
)
from consistency.compare.lists import BOUND_STEMS, NO_NEED, content_stems, kb_denies
from consistency.compare.widened import widened
from consistency.facts.polarity import stem
from consistency.models import Conflict

__all__ = ["SEED_CATEGORIES", "member_conflicts", "register_category"]

#: What contact centres talk about; each a category of interchangeable members.
SEED_CATEGORIES: dict[str, set[str]] = {
    "payment method": {
        "card",
        "debit card",
        "credit card",
        "cash",
        "cheque",
        "cheques",
        "paypal",
        "apple pay",
        "google pay",
        "bank transfer",
        "direct debit",
        "standing order",
        "klarna",
        "gift card",
        "voucher",
        "postal order",
        "contactless",
    },
    # said as a way of doing something ("by post"): "post the phone to us" is no channel
    "channel": {
        "by phone",
        "over the phone",
        "by telephone",
        "by email",
        "by e-mail",
        "by post",
        "in the post",
        "by letter",
        "webchat",
        "live chat",
        "in branch",
        "in a branch",
        "in store",
        "in a store",
        "in person",
        "by text",
        "by sms",
        "on whatsapp",
        "video call",
        "at reception",
        "into reception",
        "to reception",
        "email us",
        "by emailing",
        "emailing us",
        "in the app",
        "through the app",
        "via the app",
        "online",
        "on our website",
        "on the website",
        "through our website",
        "by phoning",
        "by calling",
        "call us",
        "ring us",
        "app",
        "website",
        "in the showroom",
        "in a showroom",
        "at the ticket office",
    },
    # how a company reaches the customer: "we'll text you" is no "email"
    "message": {
        "email",
        "e-mail",
        "text message",
        "sms",
        "letter",
        "whatsapp",
        "push notification",
        "voicemail",
        "text",
        "texted",
        "emailed",
        "phone call",
        "write to you",
    },
    "document": {
        "passport",
        "driving licence",
        "driving license",
        "utility bill",
        "bank statement",
        "council tax bill",
        "birth certificate",
        "payslip",
        "photo id",
        "death certificate",
        "marriage certificate",
        "tenancy agreement",
        "benefit letter",
        "student id",
        "student card",
        "bus pass",
        "award letter",
        "receipt",
        "order number",
        "booking reference",
        "prescription",
        "proof of address",
        "national insurance number",
    },
    "where money goes": {
        "original card",
        "same card",
        "card you paid with",
        "original payment method",
        "bank account",
        "store credit",
        "gift card",
        "voucher",
        "account credit",
        "your account",
        "next bill",
        "cheque",
    },
    "who": {
        "engineer",
        "courier",
        "contractor",
        "third party",
        "our team",
        "our own team",
        "openreach",
        "royal mail",
        "ombudsman",
        "local council",
        "council",
        "landlord",
        "gp",
        "midwife",
        "employer",
        "manufacturer",
        "insurer",
        "home insurance",
        "subcontractor",
        "electricity supplier",
        "energy supplier",
        "hmrc",
        "department for work and pensions",
        "dwp",
        "ofcom",
        "police",
        "school nurse",
        "optometrist",
        "branch manager",
        "station manager",
    },
    # what happens to something left or handed in
    "what happens to it": {
        "donated to charity",
        "donate them to charity",
        "thrown away",
        "destroyed",
        "recycled",
        "sold at auction",
        "handed to the police",
    },
    "colour": {"white", "blue", "red", "green", "amber", "orange", "yellow", "black", "purple"},
    "delivery": {
        "standard delivery",
        "next day delivery",
        "next-day delivery",
        "same day delivery",
        "click and collect",
        "click & collect",
        "collection",
        "parcel locker",
        "locker",
        "post office",
        "courier",
        "tracked post",
        "royal mail",
    },
}

_REGISTERED: dict[str, set[str]] = {}


_VERSION = [0]  # bumped by register_category, so kept patterns are rebuilt


def register_category(name: str, members: Iterable[str]) -> None:
    """Add a category of interchangeable members (lower case words or phrases)."""
    _REGISTERED.setdefault(name, set()).update(m.lower() for m in members)
    _VERSION[0] += 1


# "always" is not here: it ranges over time, not over who or where ("refunds always go back
# to the card you paid with" says what "refunds only go back to that card" says)
_UNIVERSAL = re.compile(
    # "every £1 spent", "every 1,000 points": a rate, no scope
    r"\b(?:all|every(?!\s+(?:[£$€\d]|one\b|two\b|three\b|four\b|five\b|ten\b|other\b|"
    r"pound|penny|pence|euro|dollar|hundred|thousand|million|half\b))|"
    r"everyone|everybody|anyone|anybody|nationwide|everywhere|"
    r"any\s+(?:plan|account|customer|item|order|card|branch|store|time))\b",
    re.IGNORECASE,
)
_RESTRICTIVE = re.compile(
    r"\b(?:only|exclusively|selected|certain|some|eligible)\b(?!\s+(?:a|one)\s+(?:few|"
    r"moment|minute|second)\b)(?!\s+(?:about|matters|counts|takes|needs?)\b)",
    re.IGNORECASE,
)
# a KB clause that names its audience or area restricts it: "for customers aged 65 or
# over", "members who", "in England", "on our Premium plan"
_AUDIENCE = re.compile(
    r"\b(?:aged|(?:over|under)\s+\d+\s*(?:s\b|\+|or\s+(?:over|under)|years)|(?:customers|members|people|households|students|"
    r"account\s+holders)\s+(?:who|with|on|aged|over|under|in|that)|"
    # "anyone UK-based who's 21 or over", "everyone who lives in your household"
    r"(?:any|every)(?:one|body)\s+(?:[\w-]+\s+)?(?:who|that|aged|living|based)|"
    # "anyone 16 or over", "anyone aged 40+"
    r"(?:any|every)(?:one|body)\s+(?:aged\s+)?[\w-]+\s*(?:\+|or\s+(?:over|older|above|under|younger))|"
    # an age range: "all children from 5 to 15"
    r"(?:from|between)\s+\d+\s+(?:to|and)\s+\d+|in\s+(?:england|wales|"
    r"scotland|northern\s+ireland|the\s+uk|the\s+eu|london)|inside\s+the|within\s+the\s+"
    r"m25|if\s+you(?:'re|\s+are)\s+(?:a|an|on|over|under|aged|eligible|registered))\b",
    re.IGNORECASE,
)
_OPTION_DENIED = re.compile(
    r"\W*(?:is|are)(?:n't|\s+not)\s+(?:an?\s+)?(?:option|accepted|available|possible|"
    r"covered)|"
    r"\W*(?:won't|don't|doesn't|can't)\s+(?:work|count|do)|"
    # "retired customers can't apply", "park homes don't qualify"
    r"(?:\s+[a-z]+)?\s+(?:can't|cannot|can\s+not|don't|do\s+not|won't)\s+"
    r"(?:apply|qualify)\b",
    re.IGNORECASE,
)
# a list of three or more short items: "a store, a parcel locker or a Post Office"
_WORD_NOT_OR = (
    r"\b(?!(?:or|and|is|are|isn't|aren't|was|were|can|can't|will|won't|do|don't|does|"
    r"doesn't|must|may|we|we'll|we're|you|you'll|you're|us|it|it's|they|i)\b)[A-Za-z][\w'&-]*"
)
_ITEM = rf"{_WORD_NOT_OR}(?:\s+{_WORD_NOT_OR}){{0,2}}"
_LIST = re.compile(
    rf"(?:{_ITEM},\s+){{1,6}}{_ITEM},?\s+(?:or|and)\s+{_ITEM}|(?:{_ITEM},\s+){{2,6}}(?:(?:or|and)\s+)?{_ITEM}"
)
_DETERMINERS = re.compile(
    r"^(?:a|an|the|your|our|by|in|at|to|with|via|using|from|or|and)\s+", re.IGNORECASE
)
# where a negation's reach ends inside a sentence: "so", "because", a new subject
_SCOPE_END = re.compile(
    r"\s(?:so|because|whereas|although|though)\s|\s[-–—]\s|[:;]\s"
    r"|,?\sand\s(?:the|you|we|it|they|your|our|there)\s"
    r"|\s(?:it's|it\s+is|that's|they're|we're|you're|it\s+covers|it\s+applies|there's|"
    r"there\s+is)\s"
    # unpunctuated speech: a new subject with its verb, or a filler, starts a new clause
    r"|\s(?:you'll|we'll|it'll|they'll|you\s+can|we\s+can|they\s+can|um|uh|erm)\s"
    # a case of its own: "... until we arrive if you need something like medication ..."
    r"|\s(?:if|when|unless)\s+(?:you|we|they|it)\s"
    # a new clause after a comma, with its own subject and verb: "no need to travel,
    # Newcastle is one of our airports"; "we can't post to Jersey, Guernsey is fine"
    r"|,\s+(?:[a-z]+\s+){0,2}(?:is|are|was|were)\s",
    re.IGNORECASE,
)
#: Words that end a list item without naming it ("the card you bought the ticket with")
_NOT_HEADS = frozenset(
    ["with", "from", "that", "this", "your", "their", "them", "there", "when", "what", "which"]
)
_SHORT = 40  # characters: a list item longer than this is a clause, not a member
_AFTER_MEMBER = 60  # characters after a member where "isn't an option" is read


# Members are read per sentence, not per clause: a list's commas are not clause ends.
_SENTENCE_END = re.compile(r"[.!?;](?=\s|$)|\s+but\s+", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _sentences(text: str) -> tuple[Clause, ...]:
    out: list[Clause] = []
    pos = 0
    for m in [*_SENTENCE_END.finditer(text), None]:
        stop = m.start() if m is not None else len(text)
        c = _clause(text, pos, stop, conditional=True)
        if c is not None:
            out.append(c)
        if m is not None:
            pos = m.end()
    return tuple(out)


@dataclass(frozen=True)
class _Mention:
    category: str
    member: str
    start: int
    end: int
    negated: bool


#: Channels a text names without saying them: a mailbox, a web address, a phone number.
_IMPLIED = re.compile(
    r"(?P<mailbox>\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?P<website>\b(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:co\.uk|com|org\.uk|org|uk|net)"
    r"(?:/[\w/-]*)?)"
    r"|(?P<phone>(?<![\w.])0\d{2,4}[ -]?\d{3}[ -]?\d{3,4}\b)"
)
#: Whom a customer phones or emails, up to three words: "the Patient Support Centre".
_WHOM = (
    r"(?:the|our|your|a|customer)\b(?:\s+(?!(?:to|and|with|on|for|within|by|in|at|if|or|"
    r"about|from|of|so|then|before|after)\b)[a-z][\w-]*){0,3}"
)
#: Channels said as what the customer does, in any words: "phone the Patient Support
#: Centre", "email your nursery manager", "through the parent app", "in My Orders > Report
#: a problem", "pop into your nearest branch". "We'll email you" is a message, not a way in.
_WAYS_SAID: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            rf"\b(?:phone|call|ring|telephone)\s+(?:us\b|{_WHOM})|\bgive\s+us\s+a\s+(?:call|ring)\b"
        ),
        "by phone",
    ),
    (re.compile(rf"\bemail\s+(?:us\b|(?!(?:the|an?)\s+address){_WHOM})"), "by email"),
    (
        re.compile(r"\b(?:in|through|via|using|on)\s+(?:the|our|your)\s+(?:[a-z][\w-]*\s+)?app\b"),
        "in the app",
    ),
    (
        re.compile(
            r"\b(?:in|through|via|using|on)\s+(?:the|our|your)\s+(?:[a-z][\w-]*\s+)?portal\b"
            r"|\bin\s+(?:my|your)\s+online\s+account\b"
            r"|(?:\bmy\s+)?\b[a-z][\w']*(?:\s>\s[a-z][\w']*)+"
        ),
        "online",
    ),
    (
        re.compile(
            r"\b(?:pop|come|walk|drop)\s+in(?:to|\b(?!\s+(?:your|the|my|a|an|it|them)\b))"
            r"|\bwalk-ins?\b|\b(?:visit|in)\s+(?:your|our|the|a|any)\s+"
            r"(?:nearest\s+|local\s+)?(?:branch|store|shop|office|practice)(?:es|s)?\b"
        ),
        "in person",
    ),
)
#: Where the KB sends the customer in person, said loosely: "borrow our keys from your
#: branch", "ask at the office". Read on the KB's side only, to know a way it allows; in
#: an answer, "at the branch" is mostly where something happens, not a way in.
_KB_WAYS_SAID: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"\b(?:at|from)\s+(?:your|our|the|a|any)\s+(?:nearest\s+|local\s+)?"
            r"(?:branch|store|shop|office|practice)(?:es|s)?\b"
        ),
        "in person",
    ),
)
# "card number", "card details": another thing, named after the member
_NOT_COMPOUND = r"(?!\s+(?:numbers?|details|readers?|machines?|holders?|terminals?|statements?))"


def _bare(item: str) -> str:
    """A list item without its leading determiners and prepositions ("from a store")."""
    item = item.strip().lower()
    while True:
        bare = _DETERMINERS.sub("", item)
        if bare == item:
            return item
        item = bare


def _categories(canonical: str) -> dict[str, set[str]]:
    cats = {name: set(members) for name, members in SEED_CATEGORIES.items()}
    for name, members in _REGISTERED.items():
        cats.setdefault(name, set()).update(members)
    for n, m in enumerate(_LIST.finditer(canonical)):
        parts = re.split(r",\s*|\s+(?:or|and)\s+", m.group(0))
        items = {_bare(p) for p in parts}
        items = {i for i in items if i and len(i) <= _SHORT}
        if len(items) >= 3:
            # "lockers" names the list's "parcel locker": a member by its head word too
            heads = {
                i.split()[-1]
                for i in items
                if len(i.split()[-1]) >= 4 and i.split()[-1] not in _NOT_HEADS
            }
            cats[f"list {n}"] = items | heads
    return cats


@lru_cache(maxsize=4096)
def _patterns(
    canonical: str, version: int
) -> tuple[tuple[str, frozenset[str], re.Pattern[str]], ...]:
    """One alternation per category, longest member first (kept per canonical answer)."""
    out = []
    for name, members in _categories(canonical).items():
        alternation = "|".join(re.escape(m) for m in sorted(members, key=len, reverse=True))
        out.append(
            (name, frozenset(members), re.compile(rf"\b(?:{alternation})s?\b{_NOT_COMPOUND}"))
        )
    return tuple(out)


def _mentions(
    text: str,
    start: int,
    end: int,
    patterns: tuple[tuple[str, frozenset[str], re.Pattern[str]], ...],
    *,
    kb: bool = False,
) -> list[_Mention]:
    out: list[_Mention] = []
    low = text.lower()
    # "we don't accept cash or cheques": a negation earlier in the sentence covers the
    # members after it in its clause (idioms such as "no problem" blanked)
    plain = denials(low[start:end])
    # a negation inside a condition ("if we can't fix it, ...") rules nothing out; each
    # other one reaches to the end of its clause ("no park homes aren't covered it's for
    # houses"), found in the words as said: a blanked idiom ("there's no charge") may hold
    # the cut. "X isn't available to A, and we don't deliver to B": both are ruled out.
    reach: list[tuple[int, int]] = []
    for n in _NEGATION.finditer(plain):
        if reach and start + n.start() < reach[-1][1]:
            continue  # inside the reach of the one before
        if _CONDITIONAL_BEFORE.search(plain[max(0, n.start() - 80) : n.start()]):
            continue
        cut = _SCOPE_END.search(low[start:end], n.end())
        stop = start + cut.start() if cut is not None else end
        needed = NO_NEED.match(low[start:end], n.start())
        if needed is not None:
            stop = start + needed.end()  # "no docks needed in Sheffield": not Sheffield
        reach.append((start + n.start(), stop))

    def negated_at(pos: int) -> bool:
        return any(a < pos < b for a, b in reach)

    # an address, a number or a mailbox names its channel: "at example.co.uk/cancel"
    if any(name == "channel" for name, _, _ in patterns):
        for m in _IMPLIED.finditer(low, start, end):
            member = next(k for k, v in m.groupdict().items() if v is not None)
            member = {"website": "website", "phone": "by phone", "mailbox": "by email"}[member]
            negated = negated_at(m.start())
            out.append(_Mention("channel", member, m.start(), m.end(), negated))
        for way, member in _WAYS_SAID + (_KB_WAYS_SAID if kb else ()):
            for m in way.finditer(low, start, end):
                negated = negated_at(m.start())
                out.append(_Mention("channel", member, m.start(), m.end(), negated))
    for name, members, pattern in patterns:
        for m in pattern.finditer(low, start, end):
            found = m.group(0)
            member = found if found in members else found[:-1]
            denied = _OPTION_DENIED.match(low, m.end(), min(end, m.end() + _AFTER_MEMBER))
            negated = negated_at(m.start()) or denied is not None
            out.append(_Mention(name, member, m.start(), m.end(), negated))
    return out


def _longest(mentions: list[_Mention]) -> list[_Mention]:
    """An answer's mentions less those inside a longer one: "the card you paid with" is
    where the money goes, not the payment method "card" (the KB's are all kept, so each of
    its categories can be set against the answer's)."""
    # per category, the furthest-reaching mention so far that says more than a preposition
    # around a shorter one ("by text" is still the message "text")
    reach: dict[str, tuple[int, int]] = {}
    inside: set[int] = set()
    for m in sorted(mentions, key=lambda m: (m.start, -m.end)):
        for category, (end, start) in reach.items():
            if category != m.category and (end > m.end or (end == m.end and start < m.start)):
                inside.add(id(m))
                break
        words = set(m.member.split()) - _LINKING_WORDS
        if m.end > reach.get(m.category, (-1, 0))[0] and len(words) > 1:
            reach[m.category] = (m.end, m.start)
    return [m for m in mentions if id(m) not in inside]


_LINKING_WORDS = frozenset({"by", "in", "on", "via", "to", "at", "the", "a", "an", "your", "our"})


#: Members named after a more general one that are another thing altogether.
_KINDS_OF_THEIR_OWN = frozenset({"gift card", "gift cards", "store credit"})


#: One way of doing something, said several ways ("by calling" is "by phone"); a website
#: and an app are both "online".
_CONCEPTS: dict[str, str] = {
    **dict.fromkeys(
        ["by phone", "over the phone", "by telephone", "by phoning", "by calling", "phone call",
         "call us", "ring us"],
        "phone",
    ),
    **dict.fromkeys(
        ["on our website", "on the website", "through our website", "website"], "website"
    ),
    **dict.fromkeys(["in the app", "through the app", "via the app", "app"], "app"),
    "online": "online",
    **dict.fromkeys(["in branch", "in a branch", "in store", "in a store", "in person",
                     "in the showroom", "in a showroom"], "in person"),
    **dict.fromkeys(["at reception", "into reception", "to reception"], "in person"),
    **dict.fromkeys(["by email", "by e-mail", "email us", "by emailing", "emailing us", "email",
                     "e-mail", "emailed"], "email"),
    **dict.fromkeys(["letter", "by letter", "by post", "in the post", "write to you"], "letter"),
    **dict.fromkeys(["account credit", "your account", "credit on your account"], "account"),
    # the way the customer paid, however it is said
    **dict.fromkeys(["original card", "same card", "card you paid with",
                     "original payment method"], "as paid"),
}  # fmt: skip
_ONLINE = {"online", "website", "app"}


def _same_concept(a: str, b: str) -> bool:
    ca, cb = _CONCEPTS.get(a), _CONCEPTS.get(b)
    if ca is None or cb is None:
        return False
    return ca == cb or ("online" in (ca, cb) and {ca, cb} <= _ONLINE)


def _same(a: str, b: str) -> bool:
    """One member, more or less specific: "card" and "debit card", "cheque" and "cheques"."""
    if _same_concept(a, b):
        return True
    if (a in _KINDS_OF_THEIR_OWN or b in _KINDS_OF_THEIR_OWN) and a.rstrip("s") != b.rstrip("s"):
        return False  # a gift card is no kind of "card" the KB's refund goes back to
    wa, wb = set(a.split()), set(b.split())
    sa, sb = {stem(w) for w in wa}, {stem(w) for w in wb}
    return bool(sa & sb) and (sa <= sb or sb <= sa or a.split()[-1] == b.split()[-1])


def _asked_about(question: str) -> frozenset[str]:
    """The content stems of the customer's question (none for an empty one)."""
    c = _clause(question, 0, len(question), conditional=True) if question.strip() else None
    return c.stems if c is not None else frozenset()


def _content(c: Clause, mentions: list[_Mention]) -> set[str]:
    words = {stem(m.member.split()[-1]) for m in mentions}
    return set(c.stems) - words


def _conflict(
    kind: str,
    a: Clause,
    k: Clause,
    answer_value: str,
    kb_value: str,
    sentence: str,
    span: tuple[int, int],
    entry_id: str | None,
) -> Conflict:
    return Conflict(
        kind=kind,
        answer_value=answer_value,
        kb_value=kb_value,
        answer_span=span,
        kb_span=(k.start, k.start + len(k.text)),
        answer_text=a.text,
        kb_text=k.text,
        entry_id=entry_id,
        explanation=kb_says(entry_id, k.text, sentence),
    )


def member_conflicts(
    answer: str,
    canonical: str,
    *,
    entry_id: str | None = None,
    taken: list[tuple[int, int]] | None = None,
    question: str = "",
) -> list[Conflict]:
    """Categorical, list and scope conflicts of ``answer`` against ``canonical``.

    A one-sentence answer replies to ``question``: its words say what the sentence is about
    ("How are my lenses sent?" -- "by courier") when the reply leaves them out. In a longer
    answer a sentence may be a greeting, a preamble ("I can see two lines on your account")
    or a sign-off ("Thanks for your email"), so the question's words are not lent to any.
    """
    patterns = _patterns(canonical, _VERSION[0])
    kb_clauses = _sentences(canonical)
    kb_low = canonical.lower().replace(" & ", " and ")
    # every member the entry names, in its clauses or not ("For large print, email ...")
    kb_all = _mentions(canonical, 0, len(canonical), patterns, kb=True)
    kb_m = {
        id(k): _mentions(canonical, k.start, k.start + len(k.text), patterns, kb=True)
        for k in kb_clauses
    }
    sentences = _sentences(answer)
    asked = _asked_about(question) if len(sentences) == 1 else frozenset()
    out: list[Conflict] = []
    for a in sentences:
        end = a.start + len(a.text)
        if taken_by(a.start, end, taken):
            continue
        a_m = _longest(_mentions(answer, a.start, end, patterns))
        found = _against_members(
            answer, a, a_m, kb_clauses, kb_m, kb_all, kb_low, entry_id,
            asked,
        )  # fmt: skip
        if found is None:
            found = _allowed_against_denied(answer, a, a_m, kb_clauses, kb_m, entry_id)
        if found is None:
            found = _against_scope(a, kb_clauses, entry_id)
        if found is None and (w := widened(answer, a, canonical, kb_clauses)) is not None:
            found = _conflict(
                "scope", a, w.kb_clause, w.said, w.kb_said,
                f'the answer says "{w.said}" where the KB says "{w.kb_said}".', w.span, entry_id,
            )  # fmt: skip
        if found is not None:
            out.append(found)
    return out


#: An answer that offers a way: "yes", "you can", "I'll take it", "they take", "is fine".
_OFFERS = re.compile(
    r"\b(?:yes|yeah|sure|you\s+can|i\s+can|we\s+can|i'll|we'll\s+take|(?:we|they)\s+"
    r"(?:only\s+)?(?:take|accept)|(?:is|are)\s+(?:fine|accepted)|works?)\b",
    re.IGNORECASE,
)
#: Categories whose members are ways of doing something the KB can rule out.
_WAYS = frozenset({"channel", "payment method"})


def _allowed_against_denied(
    answer: str,
    a: Clause,
    a_m: list[_Mention],
    kb_clauses: Sequence[Clause],
    kb_m: dict[int, list[_Mention]],
    entry_id: str | None,
) -> Conflict | None:
    """ "Yes, you can book classes over the phone" against "We don't take class bookings by
    phone": a way the KB rules out, offered by the answer."""
    offered = [m for m in a_m if m.category in _WAYS and not m.negated]
    if not offered or _NEGATION.search(denials(a.text)) or not _OFFERS.search(a.text):
        return None  # an answer sentence that denies something is left to the other checks
    a_content = _content(a, a_m)
    for k in kb_clauses:
        denied = [m for m in kb_m[id(k)] if m.category in _WAYS and m.negated]
        if not denied or not a_content & _content(k, kb_m[id(k)]):
            continue
        for m in offered:
            hit = next(
                (x for x in denied if x.category == m.category and _one(m.member, x.member)), None
            )
            if hit is None:
                continue
            said = answer[m.start : m.end]
            return _conflict(
                "polarity", a, k, said, f"not {hit.member}",
                f"the answer offers {said}, which the KB rules out.", (m.start, m.end), entry_id,
            )  # fmt: skip
    return None


def _said_by(words: frozenset[str], said: frozenset[str]) -> bool:
    """Every word of ``words`` is one of ``said``'s, or a longer form of it ("collection" of
    "collect"; five letters in common at least)."""
    return bool(words) and all(
        any(w == t or (len(t) >= 5 and w.startswith(t)) for t in said) for w in words
    )


def _denied_list(k: Clause, mentions: list[_Mention], cat: str) -> bool:
    """The KB's list opens its clause and is denied after it: "Fireworks, flares and other
    explosives are never allowed on board" (a member the answer denies, the KB denies too)."""
    members = [m for m in mentions if m.category == cat]
    if not members or k.text[: members[0].start - k.start].strip():
        return False
    return bool(_NEGATION.search(denials(k.text[max(m.end for m in members) - k.start :])))


#: The words that set a list apart just before it: "every day except Christmas Day, ...".
_EXCEPT_BEFORE = re.compile(
    r"\b(?:except|apart\s+from|other\s+than|excluding|but\s+not)\s+(?:for\s+)?(?:on\s+)?$", re.I
)
_EXCEPT_OPENS = re.compile(r"(?:except|apart\s+from|other\s+than|excluding)\b")
_AFTER_COLON = 2  # words between a colon and the list it opens ("the following: ...")


def _set_apart_list(k: Clause, mentions: list[_Mention], cat: str, kb_low: str) -> bool:
    """The KB's list is what it excepts ("we deliver on bank holidays except Christmas Day,
    Boxing Day and New Year's Day") or what a denial before a colon names ("never included
    in the box: salt, pepper, ..."): a member the answer rules out, the KB rules out too."""
    members = [m for m in mentions if m.category == cat]
    if not members:
        return False
    first = min(members, key=lambda m: m.start)
    head = kb_low[k.start : first.start]
    if _EXCEPT_BEFORE.search(head) or _EXCEPT_OPENS.match(first.member):
        return True
    colon = head.rfind(":")
    return (
        colon >= 0
        and len(head[colon + 1 :].split()) <= _AFTER_COLON
        and bool(_NEGATION.search(denials(head[:colon])))
    )


#: A KB clause that gives examples of what the sentence before it says: "This includes ...".
_EXAMPLES_OF = re.compile(
    r"^\W*(?:this|that|these|it|which)\s+(?:includes?|covers?|means?|applies\s+to)\b", re.I
)


def _examples_of_denial(k: Clause, kb_low: str) -> bool:
    """The KB's list gives examples of a denial before it: "We don't fit parts that
    customers supply. This includes engine oil, tyres and batteries" denies each of them."""
    if not _EXAMPLES_OF.match(k.text):
        return False
    before = kb_low[: k.start].rstrip()
    start = max(before.rfind(". "), before.rfind("; "), -1) + 1
    if before.endswith((".", ";")):
        start = max(before[:-1].rfind(". "), before[:-1].rfind("; "), -1) + 1
    return bool(_NEGATION.search(denials(before[start:])))


def _one(a: str, b: str) -> bool:
    """One member, one more specific than the other ("card", "credit card"), or one way said
    two ways ("by calling", "by phone"); a debit card is no credit card."""
    if (a in _KINDS_OF_THEIR_OWN) != (b in _KINDS_OF_THEIR_OWN):
        return False  # a gift card is no card the KB names
    sa, sb = {stem(w) for w in a.split()}, {stem(w) for w in b.split()}
    return _same_concept(a, b) or sa <= sb or sb <= sa


def _kb_names_it(answer: str, m: _Mention, kb_low: str) -> bool:
    """The answer's member with the word before it is the KB's own phrase: "credit cards"
    where the KB lists "debit card" and also says "we don't accept credit cards"."""
    prev = re.search(r"([a-z][\w'-]*)\s+$", answer[max(0, m.start - 30) : m.start].lower())
    if prev is None or prev.group(1) in _DETERMINERS_WORDS:
        return False
    return f"{prev.group(1)} {answer[m.start : m.end].lower()}" in kb_low


_DETERMINERS_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "your",
        "our",
        "by",
        "in",
        "at",
        "to",
        "with",
        "via",
        "using",
        "from",
        "or",
        "and",
    ]
)


def _against_members(
    answer: str,
    a: Clause,
    a_m: list[_Mention],
    kb_clauses: Sequence[Clause],
    kb_m: dict[int, list[_Mention]],
    kb_all: list[_Mention],
    kb_low: str,
    entry_id: str | None,
    asked: frozenset[str] = frozenset(),
) -> Conflict | None:
    if not a_m:
        return None
    a_content = _content(a, a_m) | asked
    # a member the KB names anywhere in the entry, more or less specifically, is no other
    everywhere = [m.member for m in kb_all]
    for k in kb_clauses:
        k_m = [m for m in kb_m[id(k)] if not m.negated]
        if not k_m:
            continue
        # about the same thing: another content word in common, or (to rule one out)
        # a member of the KB's own list
        same_topic = bool(a_content & _content(k, kb_m[id(k)]))
        for cat in sorted({m.category for m in a_m} & {m.category for m in k_m}):
            kb_members = [m.member for m in k_m if m.category == cat]
            listed = len(set(kb_members)) >= 2
            shown = " or ".join(dict.fromkeys(kb_members))
            for m in (x for x in a_m if x.category == cat):
                known = any(_same(m.member, x) for x in kb_members)
                if (
                    m.negated
                    and known
                    and listed
                    and not content_stems(m.member) <= BOUND_STEMS  # "never more than eight"
                    and cat.startswith("list")
                    and not _kb_names_it(answer, m, kb_low)
                    # the KB denies it too: "you can't change the address on an order",
                    # "fireworks, flares and other explosives are never allowed"
                    and not kb_denies(a.text, kb_low, content_stems(m.member), k.text)
                    and not _denied_list(k, kb_m[id(k)], cat)
                    and not _examples_of_denial(k, kb_low)
                    and not _set_apart_list(k, kb_m[id(k)], cat, kb_low)
                ):
                    return _conflict(
                        "list", a, k, f"not {answer[m.start : m.end]}", shown,
                        f"the answer rules out {answer[m.start : m.end]}.", (m.start, m.end),
                        entry_id,
                    )  # fmt: skip
                said = m.member.replace(" & ", " and ")
                if (
                    not same_topic
                    or m.negated
                    or known
                    or re.search(rf"\b{re.escape(said)}", kb_low)
                    # its words are a KB member's own: "collection" for "click and collect"
                    or any(_said_by(content_stems(m.member), content_stems(x)) for x in kb_members)
                    or any(_same(m.member, x) for x in everywhere)
                ):
                    continue
                if listed:
                    return _conflict(
                        "list", a, k, answer[m.start : m.end], shown,
                        f"the answer adds {answer[m.start : m.end]}, which the KB does not list.",
                        (m.start, m.end), entry_id,
                    )  # fmt: skip
                return _conflict(
                    "categorical", a, k, answer[m.start : m.end], shown,
                    f"the answer says {answer[m.start : m.end]} instead of {shown}.",
                    (m.start, m.end), entry_id,
                )  # fmt: skip
    return None


#: The share of a KB clause's words an answer clause must say to be about its scope.
_KB_SCOPE_SHARE = 0.5


def _against_scope(
    a: Clause, kb_clauses: Sequence[Clause], entry_id: str | None
) -> Conflict | None:
    """All/every against only/just on two clauses about the same thing."""
    # "anyone aged 75 or over" names its audience: restricted, as the KB's "customers aged"
    a_universal = bool(_UNIVERSAL.search(a.text))
    a_restrictive = bool(_RESTRICTIVE.search(a.text) or _AUDIENCE.search(a.text))
    if a_universal and _not_all(a.text):
        a_universal, a_restrictive = False, True  # "not in every postcode": only in some
    if a_universal == a_restrictive:
        return None
    found: Conflict | None = None
    for k in kb_clauses:
        shared = len(a.stems & k.stems)
        k_universal, k_restrictive = (
            bool(_UNIVERSAL.search(k.text)),
            bool(_RESTRICTIVE.search(k.text) or _AUDIENCE.search(k.text)),
        )
        if shared >= 2 and k_universal != k_restrictive and k_universal == a_universal:
            return None  # the KB says it the answer's way too ("... only offered on Street 40")
        # half of each clause's words are the other's (0.3 of the KB's was tried: "we only
        # ask for 30 days' notice" then met "cancelled at any time", a false alarm)
        if shared < 2 or shared / len(a.stems) < 0.5 or shared / len(k.stems) < _KB_SCOPE_SHARE:
            continue
        if k_universal in (k_restrictive, a_universal) or found is not None:
            continue
        word = (_UNIVERSAL if a_universal else _RESTRICTIVE).search(a.text)
        kb_word = (
            _UNIVERSAL.search(k.text)
            if k_universal
            else _RESTRICTIVE.search(k.text) or _AUDIENCE.search(k.text)
        )
        if word is None or kb_word is None:
            continue
        found = _conflict(
            "scope", a, k, word.group(0), kb_word.group(0),
            f'the answer says "{word.group(0)}" where the KB says "{kb_word.group(0)}".',
            (a.start + word.start(), a.start + word.end()), entry_id,
        )  # fmt: skip
    return found
