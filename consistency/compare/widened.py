"""Scope widened past what the KB restricts it to.

"All members get 4 guest passes" against "Kestrel Plus members get 4 guest passes": the
answer puts a quantifier (all, every, any, both) where the KB narrows the same thing by a
name ("Kestrel Plus members"), a coordinated kind ("sofa and armchair frames"), a place or
a range after it ("branches in England", "any frame from our Kids range"), or a relative
clause ("customers who ..."). "Both Anytime and Off-Peak fares" against a KB that names
Off-Peak fares alone, or rules the other name out ("not to Ember Flex"), is the same
widening said by name.

A lowercase word that names a kind of the thing ("a smart meter", "an in-stock order",
"the specific train") restricts it too, when it starts the noun phrase and is no describing
word ("a full refund", "a single name").

Precision first (agents are scored on these flags): the KB must restrict the thing every
time it names it, the answer must not name the restriction itself, and the two sentences
must share at least two other content words (three for a lowercase kind, weaker evidence
than a name): the same claim, not a word in common.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from consistency.compare.claims import _CONDITIONAL_BEFORE, _STOP, Clause
from consistency.compare.lists import BOUND_STEMS
from consistency.facts.polarity import stem

__all__ = ["Widening", "widened"]


@dataclass(frozen=True)
class Widening:
    """The answer's widening words, the KB's restricted phrase and which KB clause."""

    said: str
    span: tuple[int, int]
    kb_said: str
    kb_clause: Clause


_WORD = re.compile(r"[A-Za-z][\w'-]*")
#: A quantifier and the (up to three) words it reaches: "all our furniture frames".
_QUANTIFIED = re.compile(
    r"\b(?:all|every|any|both)\s+(?:of\s+)?(?:(?:our|the|your|their|its|these|those)\s+)?"
    r"((?:[A-Za-z][\w'-]*\s+){0,2}[A-Za-z][\w'-]*)",
    re.IGNORECASE,
)
#: Examples or exceptions after the head: "any reason including weather".
_EXAMPLES = re.compile(r"\s+(?:including|excluding|except|such|like|apart|bar)\b", re.IGNORECASE)
#: The words of a bound ("up to 50 sq ft"): an answer that says "up to 16 weeks" elsewhere
#: does not name the KB's restriction by them.
_BOUND_WORDS = frozenset(
    ["up", "over", "under", "above", "below", "more", "less", "than", "least", "about"]
)
#: A plural noun, read by its ending: "vehicles", "holders" (not "bus", "access", "this").
_PLURAL = r"[A-Za-z][\w'-]{2,}(?<![sui]s)s"
#: The words to a plural head: what follows it is its verb ("all our vehicles meet").
_PLURAL_HEAD = re.compile(rf"(?:[\w'-]+\s+)*?{_PLURAL}(?=\s+(?!and\b|or\b|&)[\w'-])")
#: A determiner after the quantifier's first word starts another noun phrase.
_NEW_PHRASE = re.compile(r"\s+(?:your|our|the|their|its|my|his|her)\s+", re.IGNORECASE)
#: Heads a quantifier reaches that no policy narrows: "any time", "all the details".
#: A comparative is no thing either: "any later than that".
_NOT_SCOPED = BOUND_STEMS | frozenset(
    stem(w)
    for w in [
        "time",
        "times",
        "day",
        "days",
        "point",
        "moment",
        "questions",
        "question",
        "help",
        "way",
        "ways",
        "details",
        "information",
        "reason",
        "reasons",
        "case",
        "cases",
        "cost",
        "costs",
        "charge",
        "charges",
        "fee",
        "fees",
        "other",
        "others",
        "one",
        "kind",
        "kinds",
        "sort",
        "type",
        "types",
        "thing",
        "things",
        "year",
        "years",
        "month",
        "months",
        "week",
        "weeks",
        "hour",
        "hours",
        "minute",
        "minutes",
    ]
)
_DETERMINERS = frozenset(
    ["a", "an", "the", "our", "your", "their", "its", "this", "that", "these", "those", "each"]
)
#: Words that carry no restriction of their own ("and", "from", "our", "you").
_FUNCTION = _DETERMINERS | frozenset(
    [
        "and",
        "or",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "with",
        "by",
        "who",
        "that",
        "which",
        "all",
        "any",
        "every",
        "both",
        "if",
        "when",
        "you",
        "we",
        "they",
        "it",
        "is",
        "are",
        "be",
        "range",
        "yes",
        "no",
    ]
)
#: A lowercase word before a head that names a kind of it ("smart", "in-stock", "annual").
_KIND = re.compile(r"[a-z][a-z-]{2,}")
#: Words before a head that describe it without narrowing what the claim is for.
_PLAIN = _FUNCTION | frozenset(
    """new same other own full free whole usual normal standard extra first last next
    more most many some few such each either neither much no one two three single double
    entire different separate similar has have had having was were been get gets got
    need needs""".split()  # noqa: SIM905
)
#: Words a noun phrase follows: "a smart meter" names a kind; "are available Monday" does not.
_NOUN_PHRASE_START = _DETERMINERS | frozenset(
    ["in", "on", "for", "with", "to", "from", "of", "at", "by", "any", "all", "every"]
)
_UNIVERSAL_BEFORE = re.compile(r"\b(?:all|any|every)\s+(?:of\s+)?(?:our\s+|the\s+)?$", re.I)
#: What follows a head and narrows it: "in England", "from our Kids range", "who ...".
_PLACES = r"england|wales|scotland|northern\s+ireland|mainland|great\s+britain"
_AFTER = re.compile(
    rf"\s+(?:(?:in|within|across)\s+(?:the\s+)?(?:{_PLACES})\b"
    # a size that narrows it: "tables of 6 or more", "groups of ten or over"
    r"|of\s+(?:\d+|[a-z]+)\s+or\s+(?:more|over|above|fewer|less|under)\b"
    # "crossings of over 2 hours", "orders of at least £30"
    r"|of\s+(?:over|more\s+than|under|less\s+than|at\s+least|up\s+to)\s+[£\d]"
    # a bound said straight after it: "treatment over £1,000", "units up to 50 sq ft"
    r"|(?:over|under|above|below|up\s+to|more\s+than|less\s+than|at\s+least|costing|"
    r"worth|taller\s+than)\s+(?:about\s+)?[£\d][\d,.]*(?:\s*(?:%|sq\s*ft|square\s+(?:feet|metres)"
    r"|metres|meters|kg|inches|miles|years?|months?|weeks?|days?|hours?|kwh)\b)?"
    # a place or case it holds in: "homes where everyone is 75 or over"
    r"|where\s+(?:everyone|everybody|all|the|you|it|they|there|a|an)\b"
    r"|(?:from|in|on|with)\s+(?:our\s+|the\s+|your\s+)?(?:[a-z]+\s+)?[A-Z][\w-]*"
    # an age that says who: "account holders aged 18 or over"
    r"|aged\s+\d+"
    # a label that says which: "recipes tagged Family Friendly", "shows marked 'relaxed'"
    r"|(?:tagged|marked|labelled|flagged)\s+(?:as\s+)?['‘\"]?[A-Za-z][\w-]*(?:\s+[A-Z][\w-]*)*['’\"]?"
    # a relative clause, to its object: "that has space", "who pay by Direct Debit"
    r"|(?:who|that)\s+(?!is\b|are\b)[a-z]+(?:\s+(?:a|an|the|by|on|in)?\s*[a-z]+)?)"
)
#: A number of the things before the head: it names a share of them, not all.
_SHARE_OF = re.compile(r"\b\d+\s+of\s+(?:our|the|its|their)\s+(?:\d+\s+)?$", re.IGNORECASE)
_NAME = r"[A-Z][\w-]*(?:\s+(?:[A-Z0-9][\w-]*))*"
_BOTH_NAMES = re.compile(rf"\bboth\s+(?:the\s+)?({_NAME})\s+and\s+(?:the\s+)?({_NAME})")
_NEGATED_BEFORE = re.compile(r"\b(?:not|n't|no|except|excluding|apart\s+from)\W+(?:\w+\W+){0,2}$")


def widened(
    answer: str, a: Clause, canonical: str, kb_clauses: tuple[Clause, ...]
) -> Widening | None:
    """The first widening of the KB's scope in answer clause ``a``, if any."""
    return _by_name(answer, a, canonical, kb_clauses) or _by_quantifier(
        answer, a, canonical, kb_clauses
    )


def _by_quantifier(
    answer: str, a: Clause, canonical: str, kb_clauses: tuple[Clause, ...]
) -> Widening | None:
    text = a.text
    for q in _QUANTIFIED.finditer(text):
        before = text[max(0, q.start() - 80) : q.start()]
        reach = _NEW_PHRASE.split(q.group(1), maxsplit=1)[0]  # "every April [your plan]"
        reach = _EXAMPLES.split(reach, maxsplit=1)[0]  # "any reason [including weather]"
        plural = _PLURAL_HEAD.match(reach)
        if plural is not None:
            reach = plural.group(0)  # "all of our vehicles [meet ULEZ]": a verb after it
        if re.search(r"\bnot\s*$", before, re.IGNORECASE) or _CONDITIONAL_BEFORE.search(before):
            continue  # "not all members", "if any item ..."
        for head in _WORD.findall(reach):
            h = _head_stem(head)
            if head.lower() in _STOP or h in _NOT_SCOPED or len(head) < 3:
                continue
            found = _restricted_everywhere(h, canonical, kb_clauses)
            whole = found is None  # a head the KB never names: the quantifier's whole reach
            if found is None and q.group(0)[:3].lower() == "all" and not _THINGS.search(q.group(0)):
                continue  # "card and PayPal all work": "all" after its noun counts nothing
            if found is None:
                found = _only_instead(h, canonical, kb_clauses)
            if found is None:
                continue
            (kb_said, kind_only), k = found
            said_stems = {stem(w.lower()) for w in _WORD.findall(text)}
            # the answer's own phrase ("every docking station") may say part of the KB's
            # ("Docking stations marked with a symbol"): the rest is what it drops
            reached = {stem(w.lower()) for w in _WORD.findall(reach)}
            narrowing = {
                stem(w.lower())
                for w in _WORD.findall(kb_said)
                if w.lower() not in _FUNCTION and w.lower() not in _BOUND_WORDS
            } - {h}
            rest = (narrowing - reached) or narrowing
            if rest & said_stems or _figures(kb_said) & _figures(text):
                continue  # the answer names this restriction itself ("up to £500" too)
            # a lowercase kind ("smart meter") is weaker evidence than a name: more in common
            least = 3 if kind_only else 2
            if len((a.stems & k.stems) - {h}) < least:
                continue  # the KB restricts this word in another claim
            # the quantifier to its head: "any of our sites", not "... sites whenever one"
            stop = q.start(1) + (
                len(reach) if whole else reach.lower().find(head.lower()) + len(head)
            )
            span = (a.start + q.start(), a.start + stop)
            return Widening(text[q.start() : stop], span, kb_said, k)
    return None


#: A quantifier over things: "of our ...", or a plural noun ("all account holders").
_THINGS = re.compile(rf"\bof\s+(?:our|the|your)\b|\b{_PLURAL}\b", re.I)
#: What a KB clause allows and nothing else: "cars and small vans only", "only at Heathrow".
_ONLY_PHRASE = re.compile(
    r"((?:[\w'-]+\s+){0,3}[\w'-]+)\s+only\b|\bonly\s+((?:[\w'-]+\s+){0,3}[\w'-]+)", re.I
)

_NOT_ONLY = re.compile(r"\b(?:the|not|if|your|our)\s+only\b", re.IGNORECASE)


def _only_instead(
    h: str, canonical: str, kb_clauses: tuple[Clause, ...]
) -> tuple[tuple[str, bool], Clause] | None:
    """A head the KB never names, where a KB clause allows "cars and small vans only": the
    answer's "any of our vehicles" is the wider set (the clauses must still share two other
    words, checked by the caller)."""
    if re.search(rf"\b{re.escape(h)}", canonical, re.IGNORECASE):
        return None  # the KB names the head: the restriction check above decides
    for k in kb_clauses:
        if k.negations:
            continue
        m = _ONLY_PHRASE.search(k.text)
        if m is not None and not _NOT_ONLY.search(k.text):
            return (m.group(0), False), k
        named = _NAMED_SUBJECT.match(k.text)
        if named is not None:
            return (named.group("who"), False), k  # "Voltway Plus members get ..."
    return None


#: A clause whose subject is a group the KB names: "Voltway Plus members get a statement",
#: "NHS staff, teachers and members of the armed forces get 10% off".
_NAMED_SUBJECT = re.compile(
    r"\s*(?!(?:your|our|the|this|that|these|those|it|we|you|they|a|an|all|every|each|any|some|"
    r"most|if|when)\b)(?P<who>(?-i:[A-Z][\w-]*)(?:\s+(?-i:[A-Z][\w-]*)){0,2}\s+[a-z][\w-]*"
    # the rest of the group, bounded (a list of groups: ", teachers and members of ...")
    r"[^.;:!?]{0,80}?)\s+(?:get|gets|can|are|is|have|has|receive|receives|qualify|pay)\b"
)


def _figures(text: str) -> set[str]:
    """The numbers of ``text``, written one way: "£299.00" and "£1,000" as "299", "1000"."""
    return {re.sub(r"\.0+$", "", n.replace(",", "")) for n in re.findall(r"\d[\d,.]*\d|\d", text)}


def _head_stem(word: str) -> str:
    """The stem of a head noun, its plural in "-ings" too ("crossings" as "crossing")."""
    low = word.lower()
    return stem(low[:-1] if low.endswith("ings") and len(low) > 6 else low)


def _restricted_everywhere(
    h: str, canonical: str, kb_clauses: tuple[Clause, ...]
) -> tuple[tuple[str, bool], Clause] | None:
    """The KB's restriction (see :func:`_restriction`) for head stem ``h`` and its clause,
    when every mention of it is narrowed."""
    first: tuple[tuple[str, bool], Clause] | None = None
    seen = False
    for k in kb_clauses:
        for w in _WORD.finditer(k.text):
            if _head_stem(w.group(0)) != h:
                continue
            seen = True
            phrase = _restriction(k.text, w.start(), w.end())
            if phrase is None:
                return None  # the KB names it unrestricted somewhere: no narrowing to widen
            if first is None:
                first = (phrase, k)
    return first if seen else None


def _restriction(text: str, start: int, end: int) -> tuple[str, bool] | None:
    """The head at ``text[start:end]`` with what narrows it, and whether that is only a
    lowercase kind ("a smart meter"); None if nothing narrows it."""
    base = max(0, start - 80)  # a bounded look back: linear time on long clauses
    words = [(m.group(0), base + m.start()) for m in _WORD.finditer(text[base:start])]
    while words and words[-1][0].lower() in _DETERMINERS:
        words.pop()
    # a name before it ("Kestrel Plus members"), or two kinds ("sofa and armchair frames")
    pre: list[tuple[str, int]] = []
    kind_only = False
    for w, at in reversed(words[-3:]):
        if w[0].isupper() and w.lower() not in _FUNCTION:
            pre.insert(0, (w, at))
        else:
            break
    if (
        not pre
        and len(words) >= 3
        and words[-2][0].lower() in ("and", "or")
        and not ({words[-1][0].lower(), words[-3][0].lower()} & _FUNCTION)
    ):
        pre = words[-3:]
    if re.search(r"\bonly\s*$", text[max(0, start - 40) : start], re.IGNORECASE) and not pre:
        pre = [("only", start)]
    same = re.search(r"\b(?:the\s+)?same\s*$", text[max(0, start - 40) : start], re.IGNORECASE)
    if same is not None and not pre:
        pre = [(same.group(0).strip(), max(0, start - 40) + same.start())]  # "the same site"
    share = _SHARE_OF.search(text, max(0, start - 40), start)
    if share is not None and not pre:
        pre = [(share.group(0), share.start())]  # "25 of our hotels", "48 of our 60 hotels"
    if (
        not pre
        and _AFTER.match(text, end) is None
        and words
        and _KIND.fullmatch(words[-1][0])
        and words[-1][0].lower() not in _PLAIN
        and (len(words) == 1 or words[-2][0].lower() in _NOUN_PHRASE_START)
    ):
        pre = [words[-1]]  # a kind of its own: "a smart meter", "for in-stock orders"
        kind_only = True
    after = _AFTER.match(text, end)
    if not pre and after is None:
        return None
    if (
        after is None
        and pre[0][0] != "only"
        and _UNIVERSAL_BEFORE.search(text[max(0, pre[0][1] - 20) : pre[0][1]])
    ):
        return None  # "any Lumen SIM-only plan": the KB's own "any"; the name is a brand
    begin = pre[0][1] if pre else start
    return text[begin : after.end() if after else end], kind_only


def _by_name(
    answer: str, a: Clause, canonical: str, kb_clauses: tuple[Clause, ...]
) -> Widening | None:
    """ "Both Anytime and Off-Peak fares" where the KB names only one of the two."""
    for m in _BOTH_NAMES.finditer(a.text):
        names = [m.group(1), m.group(2)]
        named = [_kb_names(canonical, n) for n in names]
        if named.count(True) != 1:
            continue
        kept = names[named.index(True)]
        k = next(
            (c for c in kb_clauses if re.search(rf"\b{re.escape(kept)}\b", c.text)), kb_clauses[0]
        )
        span = (a.start + m.start(), a.start + m.end())
        return Widening(m.group(0), span, kept, k)
    return None


def _kb_names(canonical: str, name: str) -> bool:
    """The KB names ``name`` on its own (not inside a longer name) and does not rule it out."""
    for m in re.finditer(rf"\b{re.escape(name)}\b(?!\s+[A-Z0-9])", canonical):
        if not _NEGATED_BEFORE.search(canonical[max(0, m.start() - 40) : m.start()]):
            return True
    return False
