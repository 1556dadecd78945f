"""The options of a list: added, left out under "those are the only ways", or ruled out.

A policy often lists what is allowed: ways to pay, ways to complain, documents that
count, stations a rule applies to. An agent who adds an option ("by text message" to
the KB's "by email or app notification"), closes the list early ("the app or our
website - those are the only two ways" when the KB also takes bookings by phone), or
rules one out ("we don't take complaints by phone") misinforms the customer.

No lexicon is needed: the KB's own list says what the options are. An answer list is
the KB's list when at least two of its items name KB items (a shared content word,
with a few channel synonyms folded: "phone" is "calling"). Then:

* an answer item that names nothing the KB says anywhere is an **added** option;
* a KB item the answer leaves out counts only when the answer closes its list ("only",
  "those are the only two", "the two options");
* a KB item the answer negates as a way of doing it ("not by phone", "we don't take
  complaints by phone", "cash isn't accepted") is **ruled out**.

A shorter list without a closing word is a partial answer, never a conflict.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache

from consistency.compare.claims import _CONDITIONAL_BEFORE, denials, kb_says
from consistency.facts.polarity import stem
from consistency.models import Conflict

__all__ = [
    "ANY_OF_KIND",
    "BOUND_STEMS",
    "NEGATION",
    "NO_NEED",
    "SENTENCE",
    "ListItem",
    "abbreviates",
    "content_stems",
    "find_lists",
    "kb_denies",
    "list_conflicts",
    "said_stems",
]

#: A sentence ends at ".", "!", "?" or ";" before a space: "co.uk" and "4.30" go on.
SENTENCE = re.compile(r"\S.*?(?:[.!?;](?=\s|$)|$)", re.DOTALL)


def sentence_finder(text: str) -> Callable[[int], tuple[int, int]]:
    """The span of the sentence of ``text`` around a position, found by bisection (linear
    on long speech however many positions are asked); ``(pos, pos)`` between sentences."""
    spans = [m.span() for m in SENTENCE.finditer(text)]
    starts = [s for s, _ in spans]

    def at(pos: int) -> tuple[int, int]:
        i = bisect_right(starts, pos) - 1
        return spans[i] if i >= 0 and pos < spans[i][1] else (pos, pos)

    return at


# where an option ends: a comma, a dash or colon, a bracket, another "or"/"and"
#: A comma that separates, not one inside a number ("£1,000").
_SEPARATING_COMMA = r",(?!\d{3}(?!\d))"
_COMMA = re.compile(_SEPARATING_COMMA)
_BREAK = re.compile(rf"{_SEPARATING_COMMA}|\s[-–—]\s|:|\(|\)|\s(?:or|and)\s", re.IGNORECASE)
_FUNCTION = frozenset(
    [
        "a",
        "an",
        "the",
        "your",
        "our",
        "their",
        "my",
        "his",
        "her",
        "its",
        "by",
        "in",
        "at",
        "to",
        "with",
        "via",
        "using",
        "from",
        "on",
        "for",
        "of",
        "into",
        "onto",
        "through",
        "is",
        "are",
        "be",
        "was",
        "were",
        "been",
        "can",
        "could",
        "will",
        "would",
        "should",
        "may",
        "might",
        "must",
        "you",
        "we",
        "they",
        "it",
        "that",
        "this",
        "these",
        "those",
        "then",
        "also",
        "just",
        "only",
        "either",
        "both",
        "any",
        "all",
        "between",
        "before",
        "after",
        "within",
        "when",
        "if",
        "as",
        "so",
        "than",
        "until",
        "per",
        "each",
        "every",
        "which",
        "who",
        "there",
        "here",
        "up",
        "out",
        "off",
        "over",
        "under",
        "while",
        "where",
        "how",
        "what",
        "not",
        "no",
        "get",
        "got",
        "go",
        "make",
        "use",
        "paid",
        "pay",
        "have",
        "has",
        "had",
        "do",
        "does",
        "did",
        "be",
        "being",
        "any",
        "other",
        "same",
        "such",
        "whether",
        "yes",
        "yeah",
        "okay",
        "ok",
        "sure",
        "sorry",
        "right",
        "well",
        "please",
        "thanks",
        "and",
        "or",
        "but",
        "nor",
    ]
)
# words that end an item: what follows is no longer the option ("Newcastle between 16:00")
_ITEM_END = frozenset(
    [
        "between",
        "before",
        "after",
        "within",
        "when",
        "if",
        "as",
        "so",
        "than",
        "until",
        "for",
        "from",
        "with",
        "per",
        "each",
        "every",
        "which",
        "who",
        "while",
        "where",
        "because",
        "unless",
        "once",
        "during",
        "on",
        "at",
        "to",
        "by",
        # a clause after the last option: "drinks that you can add", "meat bundles you can"
        "that",
        "you",
        "we",
        "they",
        "it",
        "you'll",
        "we'll",
        "they'll",
        "is",
        "are",
        "can",
        "will",
        # what is said of the options after them: "dates, vehicle or depot free of charge"
        "free",
        "in",
    ]
)
# channel words said in several ways
_SYNONYMS = {
    "phone": "call",
    "telephone": "call",
    "calling": "call",
    "ring": "call",
    "ringing": "call",
    "rang": "call",
    "e-mail": "email",
    "emailing": "email",
    "website": "online",
    "web": "online",
    "internet": "online",
    "site": "online",
    "application": "app",
    "letter": "post",
    "mail": "post",
    "posting": "post",
    "text": "sms",
    "texting": "sms",
    "chat": "webchat",
    # sizes said two ways: "a little girl", "a small girl"
    "little": "small",
    "tiny": "small",
    "large": "big",
    # the usual rate said three ways: "the normal session rate", "the standard rate"
    "normal": "standard",
    "usual": "standard",
    "regular": "standard",
}
_CLOSURE = re.compile(
    r"\b(?:the\s+only\s+(?:\w+\s+){0,2}(?:ways?|options?|ones?|choices?|methods?|places?|"
    r"proofs?|documents?)|th(?:ose|ese|at)\s+(?:are|is|'re|'s)\s+(?:all\s+)?the\s+(?:only\s+)?"
    r"(?:two|three|four|five|\d)\b|(?:no|not\s+any)\s+other\s+(?:way|option|choice|method)s?|"
    # "that's all in your fees" says what is included, not that nothing else is
    r"nothing\s+else|that's\s+(?:it|all)(?!\s+(?:in|included|covered|part|for|of|on|with)\b))",
    re.IGNORECASE,
)
_ONLY_BEFORE = re.compile(r"\b(?:only|just)\b(?:\s+\S+){0,3}\s*$", re.IGNORECASE)
#: A plain negation word (the list and slot checks skip or read negated clauses by it).
NEGATION = re.compile(
    r"\b(?:not|never|cannot|can't|won't|don't|doesn't|isn't|aren't|no)\b|n't\b", re.IGNORECASE
)
#: Words for any thing of their kind: "your home" is the KB's "your property", "the
#: vehicle" any bike; a phrase of these names no other member.
ANY_OF_KIND = frozenset(
    stem(w)
    for w in ("home", "house", "property", "premises", "vehicle", "device", "item", "product")
)
#: "no X needed" denies the need of X, and nothing in the place or case said after it.
NO_NEED = re.compile(
    r"no\s+[\w'-]+(?:\s+[\w'-]+)?\s+(?:is\s+|are\s+)?(?:needed|required|necessary)\b", re.I
)
_WAY_BEFORE = re.compile(r"\b(?:by|via|through|over|on|in|at|with)\s+(?:the\s+|a\s+)?$", re.I)
_DENIED_AFTER = re.compile(
    r"^\W*(?:is|are)(?:n't|\s+not)\s+(?:an?\s+)?(?:option|accepted|available|possible|included|"
    r"covered|allowed|offered|supported)",
    re.IGNORECASE,
)


_POSSESSIVE = re.compile(r"'s?$")


def content_stems(text: str) -> frozenset[str]:
    """Content-word stems of ``text``, with channel words folded ("phone" is "call")."""
    out = set()
    for w in re.findall(r"[\w£&'+-]+", text.lower()):
        w = _POSSESSIVE.sub("", w)  # "tenants'" and "customer's" are the words themselves
        if not w or w in _FUNCTION or (w.isdigit() and len(w) < 3):
            continue
        w = _SYNONYMS.get(w, w)
        s = stem(w)
        if s.endswith("ication") and len(s) > 8:
            s = s[:-7] + "y"  # "applications" is what "applying" names: "apply"
        out.add(_SYNONYMS.get(s, s))
        if "-" in w:  # "top-up" is also "top up"
            out |= {stem(p) for p in w.split("-") if p and p not in _FUNCTION}
    return frozenset(out)


@lru_cache(maxsize=4096)
def said_stems(text: str) -> frozenset[str]:
    """:func:`content_stems` of a whole answer, kept: the list and slot checks both ask for
    the same KB answer's on every check."""
    return content_stems(text)


@dataclass(frozen=True)
class ListItem:
    """One option of a list, with its span and content stems."""

    text: str
    start: int
    end: int
    stems: frozenset[str]


@dataclass(frozen=True)
class _List:
    items: tuple[ListItem, ...]
    sentence: tuple[int, int]
    closed: bool

    @cached_property
    def stem_counts(self) -> Counter[str]:
        """In how many of the items each word stem appears (once per list, for linear time)."""
        return Counter(s for item in self.items for s in item.stems)


#: Words that carry a list on: "... and snacks, plus nappies, also sun cream".
_GOES_ON = frozenset({"plus", "also"})


#: A price said after an option: "a sack trolley for £8", "a pack of 10 blankets at £10 each".
_PRICE_TAIL = re.compile(
    r"\s+(?:for|at|from|costing)\s+[£$€]\d[\d,.]*(?:\s+(?:each|per\s+\w+|a\s+\w+))?\s*$", re.I
)


def _item(text: str, start: int, end: int, *, first: bool, last: bool) -> ListItem | None:
    price = None if first else _PRICE_TAIL.search(text[start:end])
    if price is not None and not _OWN_NUMBER.match(text, start):
        end = start + price.start()  # the option, not its price (the facts compare that)
    words = [(m.group(0), m.start() + start, m.end() + start) for m in re.finditer(
        r"[\w£][\w£&'/+-]*", text[start:end])]  # fmt: skip
    if first:
        # "pay by debit card": the item starts after the last function word
        cut = max((i + 1 for i, (w, _, _) in enumerate(words) if w.lower() in _FUNCTION), default=0)
        words = words[cut:][-3:]
    while words and (words[0][0].lower() in _FUNCTION or words[0][0].lower() in _GOES_ON):
        words = words[1:]
    if last:
        for i, (w, _, _) in enumerate(words):
            if i > 0 and w.lower() in _ITEM_END:
                words = words[:i]
                break
        words = words[:4]
    if not words or all(w.lower() in _NOT_AN_OPTION for w, _, _ in words):
        return None  # "with us on the phone", "just so you know": no option named
    s, e = words[0][1], words[-1][2]
    stems = content_stems(text[s:e]) | _small_numbers(text, s, e)
    return ListItem(text[s:e], s, e, stems) if stems else None


def _small_numbers(text: str, start: int = 0, end: int | None = None) -> frozenset[str]:
    """The short numbers of ``text[start:end]``, as options ("3, 5, 7 or 10 years"): content
    stems leave them out, so they are marked apart ("#7") and never meet a word. Read in
    their context: the "30" of "09:30" is no number of its own."""
    stop = len(text) if end is None else end
    return frozenset(f"#{m.group(1)}" for m in _SMALL_NUMBER.finditer(text, start, stop))


_SMALL_NUMBER = re.compile(r"(?<![\w.,:/£$€-])(\d{1,2})(?![\w.,:/%-])")


#: Words that are never an option on their own.
_NOT_AN_OPTION = frozenset(
    # and the agent's asides: "frozen food, I'm afraid, and ..."
    [
        "us",
        "you",
        "we",
        "them",
        "it",
        "me",
        "him",
        "her",
        "know",
        "see",
        "thanks",
        "thank",
        "okay",
        "ok",
        "i'm",
        "afraid",
        "unfortunately",
        "sadly",
        "sorry",
        "course",
        "though",
        "too",
        "either",
        # when, not which: "reach them any time, 24/7, on 0306 ... or at freight@..."
        "any",
        "anytime",
        "time",
        "24/7",
        # what closes a list of examples: "spills, soiling and the like", "and so on"
        "like",
        "etc",
        "so",
        "on",
        "forth",
        "similar",
    ]
)


_CONJ = re.compile(r",?\s+(?:or|and)\s+", re.IGNORECASE)
_PIECE_WORDS = 5  # a comma piece longer than this is a clause, not an option


def _has_digit(item: ListItem) -> bool:
    return any(ch.isdigit() for ch in item.text)


def _has_number(item: ListItem) -> bool:
    """A number of its own in the option ("24 December", "£5"); "over-60s" names a group."""
    return _OWN_NUMBER.search(item.text) is not None


_OWN_NUMBER = re.compile(r"(?<![\w-])[£$€]?\d")


def _amount(item: ListItem) -> bool:
    """An option that is a number, with its unit at most ("£1,000", "7", "10 years"), or a
    name with its number ("Full Fibre 500")."""
    return _AMOUNT.fullmatch(item.text) is not None or _NUMBERED.fullmatch(item.text) is not None


_MONTH = r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
#: a date ("25 December") is no amount: a name beside it restates it ("Christmas Eve")
_AMOUNT = re.compile(rf"[£$€]?\d[\d,.]*(?:\s*(?!(?:{_MONTH}))[a-z]+)?", re.IGNORECASE)
_NUMBERED = re.compile(r"(?:[A-Z][\w-]*\s+){1,3}\d+[A-Za-z]*")
_PHONE = re.compile(r"\b0\d{2,4}[ -]?\d{3}[ -]?\d{3,4}\b")


#: A piece that starts a clause of its own: the list cannot reach back past it; one that
#: starts a subordinate clause ("Because it was booked through a third party, ...") holds
#: none of the options when it is long (a main clause's tail is the first option: "but we
#: don't cover damage to fences, gates or hedges").
_SUBORDINATE = re.compile(
    r"\s*(?:because|as|since|if|when|once|unless|although|though|while|after|before)\b",
    re.IGNORECASE,
)
_OPENS_CLAUSE = re.compile(rf"{_SUBORDINATE.pattern}|\s*(?:so|but)\b", re.IGNORECASE)
#: A piece that gives an example of the item before it: "your records, including X-rays".
_ILLUSTRATES = re.compile(r"\s*(?:including|such\s+as|like|e\.g\.|especially)\s+", re.I)
#: "Just email us or ask at a practice": "just" tells how easy, not that those are all.
_JUST_DO = re.compile(r"\W*just\s+(?!the\b|a\b|an\b|one\b|two\b|by\b|in\b|on\b)", re.I)


def _last_comma(text: str, start: int, end: int) -> int:
    """The last separating comma of ``text[start:end]`` (-1 when none)."""
    last = -1
    for m in _COMMA.finditer(text, start, end):
        last = m.start()
    return last


@lru_cache(maxsize=4096)
def find_lists(text: str) -> tuple[_List, ...]:
    """The lists of ``text``, sentence by sentence (kept: KB answers come back often).

    Each "or"/"and" closes a list: one item after it (to the next comma or a word that
    ends an option), and the comma pieces before it, back to a longer piece (the clause
    the list sits in, whose last words are the first item).
    """
    out: list[_List] = []
    for sm in SENTENCE.finditer(text):
        s_start, s_end = sm.span()
        seen_end = s_start
        for conj in _CONJ.finditer(text, s_start, s_end):
            if conj.start() < seen_end:
                continue
            stop = _BREAK.search(text, conj.end(), s_end)
            last_end = stop.start() if stop is not None else s_end
            pieces: list[tuple[int, int]] = [(conj.end(), last_end)]
            right = conj.start()
            while True:
                comma = _last_comma(text, seen_end, right)
                left = max(comma + 1, seen_end)
                for b in _BREAK.finditer(text, left, right):
                    left = b.end()
                piece = text[left:right]
                # a number said with an option is one word: "by phone on 0306 999 0412"
                words = _PHONE.sub("0", piece).split()
                long = len(words) > _PIECE_WORDS
                opens = _OPENS_CLAUSE.match(piece)
                if not (long and _SUBORDINATE.match(piece)):
                    pieces.insert(0, (left, right))  # not "Because it was booked ..., any ..."
                if comma < seen_end or long or left != comma + 1 or opens:
                    break  # "..., so registering and searching": the list's clause starts
                right = comma
            # "proof, such as A, B or C", "your records, including X-rays, by email or ...":
            # the list starts at the example, what it illustrates is none of the options
            for n in range(len(pieces) - 1, -1, -1):
                example = _ILLUSTRATES.match(text, *pieces[n])
                if example is not None:
                    pieces = [(example.end(), pieces[n][1]), *pieces[n + 1 :]]
                    break
            items = [
                _item(text, a, b, first=i == 0, last=i == len(pieces) - 1)
                for i, (a, b) in enumerate(pieces)
            ]
            kept = tuple(i for i in items if i is not None)
            if len(kept) < 2:
                continue
            seen_end = kept[-1].end
            closed = bool(
                _CLOSURE.search(text, s_start, s_end)
                or _ONLY_BEFORE.search(text[max(s_start, kept[0].start - 30) : kept[0].start])
            ) and not _JUST_DO.match(text, s_start)
            out.append(_List(kept, (s_start, s_end), closed))
    return tuple(out)


def _unsaid(item: ListItem, own: _List, kb_said: frozenset[str]) -> bool:
    """The item names something the KB never says: none of its own words (not those its
    list shares, "Day" of "Boxing Day, New Year's Day") is said in the KB, or one word only
    of three or more."""
    if any(w.lower() in _NOT_AN_OPTION for w in re.findall(r"[\w']+", item.text)):
        return False  # "write to us", "tell them": a clause the list parse took for an item
    own_words = _distinctive(item, own)
    said = own_words & kb_said
    # "a yearly fluoride treatment" beside the KB's "other private treatment": most of what
    # the item names is new, and one shared word does not make it the KB's
    if not said or (len(own_words) >= 3 and len(said) == 1):
        return True
    # "mobile number" where the KB says "mobile tickets": the thing itself is new
    words = re.findall(r"[\w£&'+-]+", item.text)
    head = content_stems(words[-1]) if words else frozenset()
    return len(words) == 2 and bool(head) and not head & kb_said and head <= own_words


_SET_ASIDE_BEFORE = re.compile(
    r"\b(?:rather\s+than|instead\s+of|not|except)\s+(?:an?\s+|the\s+)?$", re.I
)


def _an_option(item: ListItem, text: str) -> bool:
    """The item names a thing: not a participle ("supported") nor one set aside."""
    words = item.text.split()
    if len(words) == 1 and re.search(r"(?:ed|ing)$", words[0], re.IGNORECASE):
        return False
    return not _SET_ASIDE_BEFORE.search(text[max(0, item.start - 20) : item.start])


def _distinctive(item: ListItem, own: _List) -> frozenset[str]:
    """The item's own words: not those its list shares ("Day" of "Boxing Day, New Year's
    Day"), unless it has no others."""
    counts = own.stem_counts
    return frozenset(s for s in item.stems if counts[s] < 2) or item.stems


def _match(item: ListItem, others: tuple[ListItem, ...], own: _List) -> ListItem | None:
    stems = _distinctive(item, own)
    return next((o for o in others if stems & o.stems or abbreviates(item.text, o.text)), None)


def abbreviates(short: str, long: str) -> bool:
    """ "Amex" for "American Express", "AE" for it too: a word made of the other's word
    beginnings, in order."""
    words = [w.lower() for w in long.split()]
    word = short.lower()
    if " " in word or not 2 <= len(words) <= 4 or not 2 <= len(word) <= 12:
        return False

    def fits(rest: str, i: int) -> bool:
        if not rest:
            return i == len(words)
        if i == len(words):
            return False
        return any(
            words[i].startswith(rest[:n]) and fits(rest[n:], i + 1) for n in range(1, len(rest) + 1)
        )

    return fits(word, 0)


def _conflict(
    kind_text: str, answer_value: str, kb_value: str, a_span: tuple[int, int], answer: str,
    kb: _List, canonical: str, entry_id: str | None,
) -> Conflict:  # fmt: skip
    kb_text = canonical[kb.sentence[0] : kb.sentence[1]].strip()
    return Conflict(
        kind="list",
        answer_value=answer_value,
        kb_value=kb_value,
        answer_span=a_span,
        kb_span=(kb.items[0].start, kb.items[-1].end),
        answer_text=answer[a_span[0] : a_span[1]],
        kb_text=canonical[kb.items[0].start : kb.items[-1].end],
        entry_id=entry_id,
        explanation=kb_says(entry_id, kb_text, kind_text),
    )


def list_conflicts(
    answer: str,
    canonical: str,
    *,
    entry_id: str | None = None,
    taken: list[tuple[int, int]] | None = None,
) -> list[Conflict]:
    """Options added to, left out of (under a closing word) or ruled out of a KB list."""
    kb_lists = find_lists(canonical)
    if not kb_lists:
        return []
    kb_said = said_stems(canonical) | _small_numbers(canonical)
    answer_said = said_stems(answer)
    out: list[Conflict] = []

    def free(span: tuple[int, int]) -> bool:
        return not any(s < span[1] and span[0] < e for s, e in [*(taken or []), *(
            c.answer_span for c in out if c.answer_span)])  # fmt: skip

    for a_list in find_lists(answer):
        for k_list in kb_lists:
            pairs = {id(i): _match(i, k_list.items, a_list) for i in a_list.items}
            hit = {id(k) for k in pairs.values() if k is not None}
            if len(hit) < 2:
                continue
            shown = ", ".join(i.text for i in k_list.items)
            unmatched = [i for i in a_list.items if pairs[id(i)] is None]
            # one word for the one KB item left, in a list as long as the KB's: that item
            # in other words ("letters" for "documents"), no option added
            reworded = (
                len(unmatched) == 1 == len(k_list.items) - len(hit)
                and len(a_list.items) == len(k_list.items)
                # unless the answer names that KB item elsewhere ("shows energy, fat, ...")
                # and the new item reads as an option, not a verb ("Safari is supported,
                # along with Chrome") or one set aside ("a wet room rather than a bath")
                and not (
                    any(
                        id(k) not in hit and _distinctive(k, k_list) <= answer_said
                        for k in k_list.items
                    )
                    and all(_an_option(i, answer) for i in unmatched)
                )
            )
            # a list of amounts or terms ("£0, £100 or £250"; "3, 5 or 10 years") has
            # numbers for options; elsewhere a number is the facts' job
            numeric = sum(_amount(i) for i in a_list.items if pairs[id(i)] is not None) >= 2
            near_ok = numeric  # in a list of numbers, numbers beside an option are options
            for n, i in enumerate(a_list.items):
                near = a_list.items[max(0, n - 1) : n + 2]
                if (
                    pairs[id(i)] is None
                    and not (reworded and len(i.text.split()) == 1)
                    and _unsaid(i, a_list, kb_said)
                    and (not _has_digit(i) or (numeric and _amount(i)))
                    # numbers are the facts' job, and so is a name beside one ("Christmas
                    # Eve, 24 December" restates the date); an option said with its phone
                    # number ("by phone on 0306 999 0412") is still an option
                    and (
                        near_ok
                        or not any(
                            _has_number(x)
                            and not (pairs[id(x)] is not None and _PHONE.search(x.text))
                            for x in near
                            if x is not i
                        )
                    )
                    and free((i.start, i.end))
                ):
                    out.append(_conflict(
                        f"the answer adds {i.text}, which the KB does not list.", i.text, shown,
                        (i.start, i.end), answer, k_list, canonical, entry_id))  # fmt: skip
            # an unmatched first KB item before a matched one is likely the clause's tail
            # ("before your train leaves, in the app, ...")
            first_suspect = id(k_list.items[0]) not in hit and id(k_list.items[1]) in hit
            span = (a_list.items[0].start, a_list.items[-1].end)
            # unpunctuated speech runs two options into one ("london manchester and
            # birmingham"): a KB option named anywhere in the answer's list is not left out
            named = content_stems(answer[span[0] : span[1]])
            left = [
                k
                for n, k in enumerate(k_list.items)
                if id(k) not in hit
                and not (n == 0 and first_suspect)
                and not _distinctive(k, k_list) <= named
            ]
            if a_list.closed and left and free(span):
                out.append(_conflict(
                    f"the answer gives only {', '.join(i.text for i in a_list.items)}, leaving out "
                    f"{', '.join(k.text for k in left)}.", "only " + answer[span[0] : span[1]],
                    shown, span, answer, k_list, canonical, entry_id))  # fmt: skip
            break
    out.extend(_ruled_out(answer, canonical, kb_lists, entry_id, free))
    return out


_CLAUSE_CUT = re.compile(
    r",|\s[-–—]\s|:|\s(?:so|but|because|whereas|although|though)\s"
    # unpunctuated speech: a new subject with its verb, or a filler, starts a new clause
    r"|\s(?:you'll|we'll|it'll|they'll|you\s+can|we\s+can|um|uh|erm)\s",
    re.IGNORECASE,
)


_TOKEN = re.compile(r"[\w£][\w£&'+-]*")
#: The most words of a KB option a negation can rule out ("by phone", "cash").
_SHORT_OPTION = 3


#: "we don't offer audio", "we can't accept cheques": the option is what is not offered.
_OFFER_BEFORE = re.compile(
    r"\b(?:offer|provide|accept|take|support|sell|issue)\s+(?:any\s+|the\s+)?$", re.IGNORECASE
)


#: Content words an answer's denial shares with a KB sentence that denies it too.
_KB_DENIES = 2


@lru_cache(maxsize=1024)
def _denied_sentences(canonical: str) -> tuple[frozenset[str], ...]:
    return tuple(
        content_stems(m.group(0))
        for m in SENTENCE.finditer(canonical)
        if NEGATION.search(denials(m.group(0)))
    )


def kb_denies(said: str, canonical: str, what: frozenset[str], offered: str) -> bool:
    """An answer's denial the KB makes too: a KB sentence that denies ``what`` the answer
    denies and says more of the answer's clause than the KB sentence that ``offered`` it
    ("offers don't apply to deliveries in Scotland", though the KB names Scotland in
    "prices in Scotland and Wales"). Where the KB offers it in one case and denies it in
    another, the answer's words say which case it speaks of."""
    stems = content_stems(said)
    offer = len(stems & content_stems(offered))
    return any(
        what <= d and len(stems & d) >= max(_KB_DENIES, offer + 1)
        for d in _denied_sentences(canonical)
    )


def _part_of(said: str, stems: frozenset[str], k: ListItem) -> bool:
    """The answer names a KB option by part of it: "Maestro" for "Maestro debit cards", "app
    chat" for "chat in the Ember app" (two of its words, or a name)."""
    if not stems or not stems < k.stems:
        return False
    if any(ch.isdigit() for w in k.stems - stems for ch in w):
        return False  # "Full Fibre" of "Full Fibre 500": the number names which one
    if len(stems) >= 2:
        return True
    names = [w for w in k.text.split() if w[:1].isupper()]
    return names == [said]  # the option's only name: "Maestro" of "Maestro debit cards"


#: An "option" that is only a bound ("with no more than 8 children"): "never more than
#: eight" keeps it, it rules nothing out.
BOUND_STEMS = frozenset(
    stem(w) for w in ("more", "less", "fewer", "longer", "later", "earlier", "sooner")
)


def _ruled_out(
    answer: str,
    canonical: str,
    kb_lists: tuple[_List, ...],
    entry_id: str | None,
    free: Callable[[tuple[int, int]], bool],
) -> list[Conflict]:
    """ "we don't take complaints by phone" against a KB list of ways that has phone.

    Only a short option of a KB list in a sentence with no negation of its own;
    only the whole option, said as a way ("by phone") after a negation in the same
    clause, or followed by "isn't accepted".
    """
    # the answer's runs of up to three words, with their stems, once for every KB option
    runs = []
    for sm in SENTENCE.finditer(answer):
        s_start, s_end = sm.span()
        toks = [m.span() for m in _TOKEN.finditer(answer, s_start, s_end)]
        runs.append(
            (
                s_start,
                s_end,
                [
                    (
                        toks[i][0],
                        toks[i + n - 1][1],
                        content_stems(answer[toks[i][0] : toks[i + n - 1][1]]),
                    )
                    for n in range(1, _SHORT_OPTION + 1)
                    for i in range(len(toks) - n + 1)
                    # "Not at all, it's open": an option is no run across a comma
                    if "," not in answer[toks[i][0] : toks[i + n - 1][1]]
                ],
            )
        )
    for k_list in kb_lists:
        k_start, k_end = k_list.sentence
        if NEGATION.search(denials(canonical[k_start:k_end])):
            continue  # "at no extra cost" denies nothing
        for k in (
            k
            for k in k_list.items
            if len(k.text.split()) <= _SHORT_OPTION and not k.stems <= BOUND_STEMS
        ):
            for s_start, s_end, sentence_runs in runs:
                for ws, we, stems in sentence_runs:
                    if stems != k.stems and not _part_of(answer[ws:we], stems, k):
                        continue
                    said = answer[ws:we]
                    prev = re.search(r"([\w'-]+)\s+$", answer[max(s_start, ws - 30) : ws])
                    if (
                        prev is not None
                        and prev.group(1).lower() not in _FUNCTION
                        and not _WAY_BEFORE.search(prev.group(0))
                        and re.search(
                            rf"\b{re.escape(prev.group(1))}\s+{re.escape(said)}", canonical, re.I
                        )
                    ):
                        continue  # "credit cards": the KB names that one itself
                    cut = [m.end() for m in _CLAUSE_CUT.finditer(answer, s_start, ws)]
                    clause_start = max([s_start, *cut])
                    before = denials(answer[clause_start:ws])
                    neg = NEGATION.search(before)
                    if neg is not None and _CONDITIONAL_BEFORE.search(before[: neg.start()]):
                        neg = None  # "if we can't get you going at the roadside": a condition
                    if neg is not None and NO_NEED.match(before, neg.start()):
                        neg = None  # "no docks needed in Sheffield": the docks are denied
                    way = _WAY_BEFORE.search(answer[max(clause_start, ws - 12) : ws]) or (
                        _OFFER_BEFORE.search(answer[max(clause_start, ws - 24) : ws])
                    )
                    denied = _DENIED_AFTER.match(answer[we : we + 40])
                    if not ((neg is not None and way is not None) or denied) or not free((ws, we)):
                        continue
                    clause_end = _CLAUSE_CUT.search(answer, we, s_end)
                    clause = answer[clause_start : clause_end.start() if clause_end else s_end]
                    if kb_denies(clause, canonical, stems, canonical[k_start:k_end]):
                        continue
                    return [_conflict(
                        f"the answer rules out {said}.", f"not {said}",
                        ", ".join(i.text for i in k_list.items), (ws, we), answer, k_list,
                        canonical, entry_id)]  # fmt: skip
    return []
