"""A charge where the KB says free: "there's a small admin charge for a copy of your records"
against "you can ask for a copy of your dental records ... It's free".

The polarity facts key a charge by the words around it ("fee record copy"), and an answer
that names the charge in other words ("a weekly hire fee" for "we can lend you a dehumidifier
free of charge") gets another key and is never compared. Here a charge is read the way a
customer hears it: one sentence of the answer says there is a charge, fee, surcharge or cost
on top; one sentence of the KB says the same thing is free. "The same thing" is what the two
sentences are about: at least two content words in common, besides the charge words (an
answer sentence that opens "There's a fee ..." or "It's ..." speaks of the sentence before
it, and a KB sentence that says only "It's free" of its sentence before).

Precision first: a charge or a "free" said under a condition ("if you cancel late", "free
within 30 days", "for members") is a condition, left to the condition checks; a KB that
names a charge for the same thing as closely (free for some, charged for others) and an
answer that also says free are no conflict; idioms ("feel free", "free up", "freephone",
"free to") say nothing of a price.
"""

from __future__ import annotations

import re

from consistency.compare.claims import said_instead, taken_by
from consistency.compare.lists import NEGATION, content_stems
from consistency.compare.opposites import sentences, topic
from consistency.models import Conflict

__all__ = ["charge_conflicts"]

#: "a small admin charge", "a weekly hire fee", "a surcharge", "charged separately", "on top"
_CHARGE = re.compile(
    r"\b(?:(?:an?|the|our|usual|small|admin|administration|extra|additional|hire|daily|"
    r"weekly|monthly|one-off|booking|handling|service)\s+)+(?:fee|charge|surcharge)s?\b"
    r"|\bsurcharge\b|\bcharged\s+(?:separately|extra|for\s+separately|on\s+top)\b"
    r"|\b(?:is|are)\s+charged\s+(?:for\b|per\b)|\b(?:fee|charge|cost)s?\s+(?:is|are)\s+"
    r"(?:added|charged)\s+on\s+top\b|\bon\s+top\s+of\s+(?:that|the\s+price|the\s+cost)\b"
    r"|\bat\s+an\s+extra\s+cost\b|\bfor\s+an\s+extra\s+(?:fee|charge|cost)\b",
    re.IGNORECASE,
)
#: "free", "free of charge", "no extra charge", "at no cost", "included in the price".
_FREE = re.compile(
    r"\b(?:free(?:\s+of\s+charge)?(?!\s+(?:to|up|from|of\s+(?!charge)))"
    r"|no\s+(?:extra\s+|additional\s+|admin\s+)?(?:charge|fee|cost)"
    r"|at\s+no\s+(?:extra\s+|additional\s+)?cost|without\s+(?:charge|paying|a\s+fee)"
    r"|(?:is|are)\s+included\s+in\s+the\s+(?:price|charge|cost|fee)"
    r"|(?:do\s+not|don't|doesn't|won't|will\s+not|never)\s+charge)\b",
    re.IGNORECASE,
)
_NOT_A_PRICE = re.compile(
    r"\bfeel\s+free\b|\bfree(?:phone|post)\b|\b\w+-free\b|\bfree\s+(?:time|space|slot)",
    re.IGNORECASE,
)
#: A charge or a "free" that holds only under a condition, or for some.
_CONDITIONAL = re.compile(
    r"\b(?:if|unless|as\s+long\s+as|provided|when|whenever|within|after|before|until|only|"
    r"except|otherwise|for\s+(?:members|customers|anyone|those|children|over|under)|"
    r"in\s+the\s+(?:first|last)|up\s+to|over|more\s+than|less\s+than)\b",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r"[,;:]\s|\s(?:and|but|so)\s|\s[-\u2013\u2014]\s", re.IGNORECASE)
_PRICE_WORDS = frozenset(
    content_stems(
        "fee fees charge charges charged surcharge free cost costs extra additional admin "
        "small usual hire daily weekly monthly top price included include separately pay paying"
    )
)
_SHARED = 2  # content words the two sentences share, besides the price words


def _priced(text: str, span: tuple[int, int], pattern: re.Pattern[str]) -> re.Match[str] | None:
    """The price phrase of a sentence that states it plainly: no condition, and (for a
    charge) no negation; idioms of "free" left out."""
    if pattern is _CHARGE and NEGATION.search(text, span[0], span[1]):
        return None
    for m in pattern.finditer(text, span[0], span[1]):
        if _NOT_A_PRICE.search(text, max(span[0], m.start() - 6), min(span[1], m.end() + 8)):
            continue
        starts = [b.end() for b in _CLAUSE_BREAK.finditer(text, span[0], m.start())]
        stop = _CLAUSE_BREAK.search(text, m.end(), span[1])
        clause = text[starts[-1] if starts else span[0] : stop.start() if stop else span[1]]
        if not _CONDITIONAL.search(clause):
            return m
    return None


def charge_conflicts(
    answer: str,
    canonical: str,
    *,
    entry_id: str | None = None,
    taken: list[tuple[int, int]] | None = None,
) -> list[Conflict]:
    """One polarity conflict: the answer charges for what the KB gives free."""
    if not _CHARGE.search(answer) or not _FREE.search(canonical):
        return []
    a_spans, k_spans = sentences(answer), sentences(canonical)
    kb_free = [
        (n, m, topic(canonical, k_spans, n, _PRICE_WORDS))
        for n, s in enumerate(k_spans)
        if (m := _priced(canonical, s, _FREE))
    ]
    if not kb_free:
        return []
    kb_charged = [
        topic(canonical, k_spans, n, _PRICE_WORDS)
        for n, s in enumerate(k_spans)
        if _CHARGE.search(canonical, s[0], s[1]) and not NEGATION.search(canonical[s[0] : s[1]])
    ]
    for n, span in enumerate(a_spans):
        said = _priced(answer, span, _CHARGE)
        if said is None or taken_by(*said.span(), taken):
            continue
        if _FREE.search(answer, span[0], span[1]):
            continue  # "free, but there's a fee for ...": the answer says both
        about = topic(answer, a_spans, n, _PRICE_WORDS)
        k_n, k_said, k_about = max(kb_free, key=lambda f: len(about & f[2]))
        shared = len(about & k_about)
        if shared < _SHARED or any(len(about & c) >= shared for c in kb_charged):
            continue
        return [
            said_instead(
                "polarity", answer, said.span(), span, canonical, k_said.span(),
                k_spans[k_n], entry_id,
            )
        ]  # fmt: skip
    return []
