"""Whatever the price, against a KB that draws a line: "cover is included free with every
pair, whatever the price" against "included free with glasses costing £99 or more".

An answer that says its claim holds whatever the value of something (the price, the
age, the size, the balance, how many, how long) drops any limit the KB puts on that
value. The KB's limit is a fact of the same dimension with a bound: a price "over £500"
or "£99 or more", an age "17 to 85" or "more than 10 years old", a size "up to 3.68kW",
a number "no more than 2". Each is a changed condition, reported with both spans.

Precision first: the answer's own bound ("any age over 18"), a negation before the
phrase ("not whatever the price"), a question or "if" before it, and a KB that says
"whatever the price" too are left alone; the KB's line must sit in a sentence that
shares a content word with the answer's, besides the dimension's own words.
"""

from __future__ import annotations

import re

from consistency.compare.claims import kb_says, taken_by
from consistency.compare.lists import NEGATION, content_stems, sentence_finder
from consistency.facts.measure import is_measure
from consistency.facts.pipeline import facts_for
from consistency.models import Conflict, Fact

__all__ = ["threshold_conflicts"]

_THE = r"(?:the|its|their|your|his|her|it's|it\s+is)"
#: "whatever the price", "of any age", "however many": the claim said to hold for every value.
_REGARDLESS: dict[str, str] = {
    "price": (
        rf"whatever\s+{_THE}\s+(?:price|cost|value)|whatever\s+(?:it|they|you)\s+(?:costs?|spend)"
        r"|however\s+much\s+(?:it|they|you)\s+(?:costs?|spend|paid|pay)"
        r"|(?:at|of|for)\s+any\s+(?:price|value)|whatever\s+you\s+spend"
        rf"|(?:regardless|irrespective)\s+of\s+(?:{_THE}\s+)?(?:price|cost|value|how\s+much)"
        r"|no\s+matter\s+(?:the\s+price|what\s+(?:it|they)\s+costs?|how\s+much)"
        r"|on\s+(?:all|every|any)\s+orders?\b"
    ),
    "age": (
        rf"whatever\s+(?:{_THE}\s+)?age|(?:of|at)\s+any\s+age|however\s+old"
        rf"|no\s+matter\s+(?:how\s+old|{_THE}\s+age)"
        rf"|(?:regardless|irrespective)\s+of\s+(?:{_THE}\s+)?age"
    ),
    "size": (
        rf"whatever\s+(?:{_THE}\s+)?(?:size|weight)|(?:of|at)\s+any\s+(?:size|weight)"
        r"|however\s+(?:big|large|small|heavy)"
        rf"|no\s+matter\s+(?:how\s+(?:big|large|heavy)|{_THE}\s+(?:size|weight))"
        rf"|(?:regardless|irrespective)\s+of\s+(?:{_THE}\s+)?(?:size|weight)"
    ),
    "balance": (
        rf"whatever\s+{_THE}\s+(?:balance|amount)|(?:for\s+)?any\s+amount"
        rf"|(?:regardless|irrespective)\s+of\s+(?:{_THE}\s+)?(?:balance|amount)"
    ),
    "number": (
        r"however\s+many|any\s+number\s+of|no\s+matter\s+how\s+many"
        r"|(?:regardless|irrespective)\s+of\s+how\s+many"
    ),
    "time": (
        r"however\s+long|no\s+matter\s+how\s+long|(?:regardless|irrespective)\s+of\s+how\s+long"
        r"|for\s+any\s+length\s+of\s+time"
    ),
}
_PHRASES = re.compile(
    r"\b(?:" + "|".join(f"(?P<{k}>{v})" for k, v in _REGARDLESS.items()) + r")\b", re.IGNORECASE
)
#: The answer's own line right after the phrase: "any age over 18", "any amount up to £50".
_OWN_BOUND = re.compile(
    r"\s*(?:over|under|above|below|from|between|up\s+to|of\s+up\s+to|more\s+than|less\s+than)\b",
    re.IGNORECASE,
)
_ASKED_BEFORE = re.compile(r"\b(?:if|unless|whether|as\s+long\s+as|provided)\b[^,.;]*$", re.I)
#: "£99 or more", "£40 and over", "18+": a bound said after the value.
_BOUND_AFTER = re.compile(
    r"\s*(?:\+|or\s+(?:more|over|above|less|under|below|older|younger)"
    r"|and\s+(?:over|above|under|below|upwards))\b",
    re.IGNORECASE,
)
_OLD_AFTER = re.compile(r"\s*old\b", re.IGNORECASE)
_BOUNDS = frozenset({"over", "under", "at_least", "up_to"})
_DIMENSION_WORDS = content_stems(
    "price cost costs value age old size weight big large heavy balance amount many number "
    "long time whatever however regardless irrespective matter any every all orders order "
    "and or but more less"
)
_NEAR = 200


def _bounded(canonical: str, fact: Fact) -> bool:
    return (
        fact.modifier in _BOUNDS
        or fact.upper is not None
        or _BOUND_AFTER.match(canonical, fact.span[1]) is not None
    )


def _dimension(canonical: str, fact: Fact) -> str | None:
    """Which dimension a KB fact draws a line on, or ``None`` when it draws none."""
    if fact.kind == "condition" and fact.unit == "threshold" and "£" in str(fact.value):
        return "price"
    if not _bounded(canonical, fact):
        return None
    old = _OLD_AFTER.match(canonical, fact.span[1]) is not None
    if fact.kind == "money":
        return "price"
    if fact.kind == "duration":
        return "age" if old else "time"
    if fact.kind == "count":
        if fact.unit == "age":
            return "age"
        return "size" if is_measure(fact.unit) else "number"
    return None


_BOUND_BEFORE = re.compile(
    r"(?:more\s+than|less\s+than|fewer\s+than|no\s+more\s+than|at\s+least|up\s+to|over|under"
    r"|above|below|aged|costing|from)\s+$",
    re.IGNORECASE,
)


def _line_said(canonical: str, fact: Fact) -> tuple[int, int]:
    """The span of the KB's line in its own words: "more than 10 years old", "£99 or more"."""
    start, end = fact.span
    if fact.kind != "condition":
        before = _BOUND_BEFORE.search(canonical, max(0, start - 25), start)
        start = before.start() if before else start
        after = _BOUND_AFTER.match(canonical, end) or _OLD_AFTER.match(canonical, end)
        if after is not None:
            old = _OLD_AFTER.match(canonical, after.end())
            end = old.end() if old is not None else after.end()
    return start, end


def _words(text: str, sentence: tuple[int, int], pos: int) -> frozenset[str]:
    start, end = max(sentence[0], pos - _NEAR), min(sentence[1], pos + _NEAR)
    return content_stems(text[start:end]) - _DIMENSION_WORDS


def threshold_conflicts(
    answer: str,
    canonical: str,
    *,
    entry_id: str | None = None,
    taken: list[tuple[int, int]] | None = None,
) -> list[Conflict]:
    """One condition conflict where the answer says "whatever the X" and the KB limits X."""
    found = list(_PHRASES.finditer(answer))
    if not found or _PHRASES.search(canonical):
        return []  # nothing said whatever its value, or the KB says it too
    lines: dict[str, list[Fact]] = {}
    for f in facts_for(canonical):
        dim = _dimension(canonical, f)
        # a line on a price is a line on a balance or an amount too ("below £1")
        for each in ("price", "balance") if dim == "price" else (dim,) if dim else ():
            lines.setdefault(each, []).append(f)
    if not lines:
        return []
    a_sentence, k_sentence_at = sentence_finder(answer), sentence_finder(canonical)
    for m in found:
        dim = m.lastgroup or ""
        if dim not in lines or taken_by(m.start(), m.end(), taken):
            continue
        if _OWN_BOUND.match(answer, m.end()):
            continue  # "any age over 18": the answer draws its own line
        sentence = a_sentence(m.start())
        before = answer[max(sentence[0], m.start() - 60) : m.start()]
        before = re.split(r"[,;:]\s|\s[-–—]\s", before)[-1]  # its clause: not "No, it's free"
        if NEGATION.search(before) or _ASKED_BEFORE.search(before):
            continue  # "not whatever the price", "if it's any size"
        said = _words(answer, sentence, m.start())
        for fact in lines[dim]:
            k_sentence = k_sentence_at(fact.span[0])
            if not said & _words(canonical, k_sentence, fact.span[0]):
                continue
            kb_text = canonical[k_sentence[0] : k_sentence[1]].strip()
            kb_span = _line_said(canonical, fact)
            kb_value = canonical[kb_span[0] : kb_span[1]]
            return [
                Conflict(
                    kind="condition",
                    answer_value=m.group(0),
                    kb_value=kb_value,
                    answer_span=m.span(),
                    kb_span=kb_span,
                    answer_text=answer[sentence[0] : sentence[1]].strip(),
                    kb_text=kb_text,
                    entry_id=entry_id,
                    explanation=kb_says(
                        entry_id,
                        kb_text,
                        f'the answer says "{m.group(0)}", where the KB draws a line at {kb_value}.',
                    ),
                )
            ]
    return []
