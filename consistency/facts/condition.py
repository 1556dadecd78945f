"""Conditions that qualify a fact ("for Volt Plus members", "if unused"), and attaching them.

:class:`ConditionExtractor` finds conditions; ``value`` is a normalised string
and ``unit`` names its family, so a caller can choose which families matter:

========== ===================================================== =============================
family     written / spoken                                      value
========== ===================================================== =============================
member     "for Volt Plus members", "Students get ...", "as a    ``volt plus members``,
           member", "for everyone", "everyone else"              ``everyone``
threshold  "on orders over £50", "if you spend over fifty quid", ``orders over £50``,
           "plans with 100GB of data or more"                    ``plans over 100gb``
region     "within the UK", "in the uk", "outside the UK"        ``within the uk``
period     "after the first year", "in the first 30 days"        ``after the first year``
state      "as long as they are unused", "unopened items",       ``if unused``,
           "in their original packaging", "unless faulty"        ``if in original packaging``
extra      "with a receipt", "subject to status", "out of        ``with receipt``,
           warranty", "in stock", "with a verified UNiDAYS       ``with unidays account``,
           account", "at the same address", "after the           ``over 55 inches``
           first", "over 55 inches"
clause     any other "if/unless/as long as/provided ..." clause, ``if cancel within 14 days``,
           split at "and haven't ..."                            ``if not used benefits``
========== ===================================================== =============================

"over", "above", "more than", "at least" and "... or more" all read ``over``
(agents use them interchangeably; flagging "£50 or more" against "over £50"
would be a false alarm), "under", "below", "less than" read ``under``.

:func:`attach_qualifiers` gives every other fact the conditions that qualify it,
as new frozen copies: a condition goes to the nearest fact of each kind in its
sentence (split at ``.!?;`` and "but", "however", "otherwise"), never to a fact
inside the condition itself (the £50 of "orders over £50"). Free-form
``clause`` conditions are not attached unless asked for: their wording varies
too much between a KB and a spoken answer to report a dropped one fairly.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import ClassVar

from consistency.facts.base import Extractor
from consistency.facts.numbers import find_numbers, words_to_number
from consistency.models import Fact

__all__ = [
    "ATTACHED_FAMILIES",
    "EXTRACTOR",
    "ConditionExtractor",
    "attach_qualifiers",
]


def _wordset(words: str) -> frozenset[str]:
    """A set of words written as one string, to keep long vocabularies readable."""
    return frozenset(words.split())


#: Condition families :func:`attach_qualifiers` attaches by default.
ATTACHED_FAMILIES: frozenset[str] = frozenset(
    {"member", "threshold", "region", "period", "state", "extra"}
)

_F = re.IGNORECASE
_NUM_WORDS = (
    r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen"
    r"|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty"
    r"|seventy|eighty|ninety|hundred|thousand|a|and)"
)
_AMOUNT = (
    rf"£\s?\d[\d,]*(?:\.\d\d)?|\d[\d,]*(?:\.\d\d)?\s*(?:pounds|quid|gbp)\b"
    rf"|(?:{_NUM_WORDS}[\s-]+){{0,5}}{_NUM_WORDS}\s+(?:pounds|quid)\b"
)
_WHO = r"(?:members?|customers?|subscribers?|account\s+holders?|students?|cardholders?)"
# Members are found from the word "members" (or "customers"...) back: these patterns are
# searched in a short window ending at that word, so "$" is the end of the window.
_WHO_WORD = re.compile(rf"\b{_WHO}\b", _F)
_MEMBER_FOR = re.compile(
    r"\b(?:for|to|as|only\s+for|exclusive\s+to|available\s+to)\s+(?:our\s+|all\s+|the\s+|any\s+|an?\s+|each\s+|every\s+)?"
    rf"(?P<who>(?:[a-z][a-z-]*\s+){{0,3}}?{_WHO})$",
    _F,
)
# "customers whose supplier is ...", "customers on our Premium plan": a narrower audience
_NARROWED = re.compile(
    r"\s+(?:who|whose|with|on|that|in|of|aged|over|under|living|using|paying)\b", _F
)
_MEMBER_SUBJECT = re.compile(rf"\b(?P<who>(?:[a-z][a-z-]*\s+){{0,2}}?{_WHO})$", _F)
_MEMBER_VERB = re.compile(r"\s+(?:get|gets|can|pay|receive|have|are|enjoy)\b", _F)
_THRESHOLD = re.compile(
    r"\b(?:orders?|purchases?|baskets?|spends?|spending|you\s+spend)\s+(?:of\s+)?"
    r"(?:(?P<cmp>over|above|more\s+than|under|below|less\s+than|at\s+least|of\s+at\s+least)\s+"
    rf"(?P<amt>{_AMOUNT})|(?P<amt2>{_AMOUNT})\s+(?:or|and)\s+(?P<cmp2>more|over|above|less|under))",
    _F,
)
_PLACE = (
    r"mainland\s+uk|uk\s+mainland|united\s+kingdom|uk|great\s+britain|england|scotland|wales"
    r"|northern\s+ireland|republic\s+of\s+ireland|ireland|eu|european\s+union|europe"
)
_REGION = re.compile(
    r"\b(?P<prep>within|in|inside|across|throughout|to|outside(?:\s+of)?|anywhere\s+in)\s+"
    rf"(?:the\s+)?(?P<place>{_PLACE})\b",
    _F,
)
_PERIOD = re.compile(
    r"\b(?P<prep>in|during|within|after|for)\s+(?:the|your)\s+first\s+"
    rf"(?:(?P<n>\d+|(?:{_NUM_WORDS}[\s-]+){{0,2}}{_NUM_WORDS})\s+)?"
    r"(?P<unit>days?|weeks?|months?|years?)\b",
    _F,
)
_STATE_WORD = (
    r"unused|unopened|unworn|undamaged|faulty|damaged|sealed|resaleable|resalable"
    r"|in\s+(?:its|their|the|it's)\s+original\s+(?:packaging|condition|box)"
    r"|in\s+original\s+(?:packaging|condition|box)|in\s+resal(?:e)?able\s+condition"
)
_STATE = re.compile(
    r"\b(?P<op>if|as\s+long\s+as|provided(?:\s+that)?|providing|only\s+if|unless)\s+"
    r"(?:(?:it|they|the\s+items?|items?|the\s+products?|the\s+goods|goods|the\s+device)\s+"
    r"(?:is|are|has\s+been|have\s+been|remains?|stays?)\s+|it's\s+|its\s+|they're\s+|theyre\s+)?"
    rf"(?P<states>(?:{_STATE_WORD})(?:\s*(?:,|and|or)\s*(?:(?:is|are)\s+)?(?:{_STATE_WORD}))*)\b"
    r"|\b(?P<adj>unused|unopened|unworn|undamaged|faulty|sealed)\s+"
    r"(?:items?|products?|goods|devices?|phones?|games?|software)\b",
    _F,
)
_STATE_SPLIT = re.compile(rf"{_STATE_WORD}", _F)
_EXTRA = re.compile(
    r"\b(?P<x>with(?:out)?\s+(?:a\s+|your\s+|the\s+|an\s+)?(?:valid\s+)?(?:receipt|proof\s+of\s+purchase)"
    r"|subject\s+to\s+status|out\s+of\s+warranty|under\s+warranty|in\s+warranty|in\s+stock"
    r"|with\s+(?:a\s+|an\s+|your\s+)?(?:[a-z]+\s+){0,2}account|at\s+the\s+same\s+address"
    r"|after\s+the\s+first(?!\s+(?:[a-z0-9]+\s+)?(?:days?|weeks?|months?|years?)\b)"
    r"|(?:over|under|above|below)\s+\d+\s*(?:inches|inch|\"))",
    _F,
)
_DATA = re.compile(
    r"\b(?:plans?|bundles?|tariffs?)\s+(?:with|of)\s+(?P<amt>\d+\s*[gm]b)\s+(?:of\s+data\s+)?"
    r"(?:or|and)\s+(?P<cmp>more|over|above|less|under)\b",
    _F,
)
_EVERYONE = re.compile(
    r"\b(?P<all>everyone|everybody|anyone|anybody|all\s+(?:our\s+)?customers)(?P<else>\s+else)?\b",
    _F,
)
_CLAUSE = re.compile(
    r"\b(?P<op>if|unless|as\s+long\s+as|provided(?:\s+that)?|providing|only\s+if)\s+"
    r"(?P<body>[^.;:!?,]{2,80}?)(?=\s*[.;:!?,]|\s+(?:and\s+(?:we|you|it|they|we'll|you'll)|but"
    r"|so|then|otherwise|please|call|email|tell|contact)\b|$)",
    _F,
)
# Cheap tests on the lower-cased text that decide whether a family's pattern runs at all.
_HAS_WHO = re.compile(r"member|customer|subscriber|holder|student").search
_HAS_THRESHOLD = re.compile(r"(?:order|purchase|basket|spend).*(?:\d|pound|quid)").search
_HAS_PLACE = re.compile(r"\b(?:uk|united|great|england|scotland|wales|ireland|eu|europe)").search
_HAS_STATE = re.compile(
    r"unused|unopened|unworn|undamaged|faulty|damaged|sealed|original|resal"
).search
_HAS_EXTRA = re.compile(
    r"receipt|proof|status|warranty|stock|account|same address|after the first|inch"
).search
_WHO_LEADING = re.compile(
    r"(?:(?:yeah|yes|so|um|uh|er|and|well|ok|okay|right|oh|the|our|all|an?|each|every)\s+)+(?=\S)",
    _F,
)
_HAS_CLAUSE = re.compile(r"\b(?:if|unless|as long as|provided|providing)\b").search
_CLAUSE_DROP = _wordset(
    """you your you're youre we our we'll it its it's they their they're the a an is are was
    were have has been be do does did any um uh just"""
)
_CLAUSE_AND = re.compile(
    r"\s+and\s+(?=(?:have|has|do|does|is|are|haven't|hasn't|havent|hasnt|don't|dont|didn't|didnt|isn't|isnt|aren't|arent|not|never|you|it|they)\b)"
)
_NEGATED = {
    "haven't": "not", "havent": "not", "hasn't": "not", "hasnt": "not", "don't": "not",
    "dont": "not", "didn't": "not", "didnt": "not", "isn't": "not", "isnt": "not",
    "aren't": "not", "arent": "not", "never": "not",
}  # fmt: skip
_SENTENCE_BREAK = re.compile(
    r"[.!?;]+(?=\s|$)|\n|\b(?:but|however|otherwise|whereas|although|except)\b"
    # a second verb with its own denial: "dispatched within 5 working days and can't be
    # returned unless they're faulty" (the "unless" is the return's, not the dispatch's)
    r"|\band\s+(?=(?:can't|cannot|can\s+not|won't|aren't|isn't|don't|doesn't|mustn't)\b)",
    _F,
)
_CMP = {
    "over": "over", "above": "over", "more than": "over", "at least": "over",
    "of at least": "over", "more": "over", "under": "under", "below": "under",
    "less than": "under", "less": "under",
}  # fmt: skip
_PLACES = {
    "united kingdom": "uk", "mainland uk": "uk mainland", "great britain": "great britain",
    "european union": "eu",
}  # fmt: skip
_ARTICLE_PLACES = frozenset({"uk", "uk mainland", "eu", "republic of ireland"})
_MAX_CLAUSE_WORDS = 8


def _norm(raw: str) -> str:
    return " ".join(raw.lower().replace("’", "'").split())


def _amount(raw: str) -> str | None:
    """``£50``, ``£49.99`` from "£50", "50 pounds", "fifty quid"."""
    s = _norm(raw).replace("£", "").replace(",", "")
    s = re.sub(r"\s*(?:pounds|quid|gbp)$", "", s).strip()
    value = Decimal(s) if re.fullmatch(r"\d+(?:\.\d\d)?", s) else words_to_number(s)
    if value is None:
        return None
    return f"£{value:.0f}" if value == value.to_integral_value() else f"£{value:.2f}"


def _plural(word: str) -> str:
    return word if word.endswith("s") else word + "s"


def _state(raw: str) -> str:
    s = _norm(raw)
    if s.startswith("in "):
        words = s.split()
        return "in original " + words[-1]
    return s


def _numbers_to_digits(text: str) -> str:
    """Spoken numbers as digits, so "fourteen days" and "14 days" read the same."""
    out, last = [], 0
    for token in find_numbers(text):
        start, end = token.span
        out.append(text[last:start])
        value = token.value
        out.append(str(int(value)) if value == value.to_integral_value() else str(value))
        last = end
    out.append(text[last:])
    return "".join(out)


class ConditionExtractor(Extractor):
    """Conditions as normalised strings; ``unit`` is the family (see the module docstring)."""

    kind: ClassVar[str] = "condition"

    def extract(self, text: str, *, reference: dt.date | None = None) -> list[Fact]:
        found: list[tuple[int, int, str, str]] = []
        low = text.lower()
        for w in _WHO_WORD.finditer(text) if _HAS_WHO(low) else ():
            lo = max(0, w.start() - 60)
            m = _MEMBER_FOR.search(text, lo, w.end())
            if m is None and _MEMBER_VERB.match(text, w.end()):
                m = _MEMBER_SUBJECT.search(text, lo, w.end())
            if m is None:
                continue
            lead = _WHO_LEADING.match(m.group("who"))
            start = m.start("who") + (lead.end() if lead else 0)
            words = _norm(text[start : w.end()]).split()
            words[-1] = _plural(words[-1])
            if words == ["customers"] and not _NARROWED.match(text, w.end()):
                continue  # "free for customers", "Customer Relations": no narrower audience
            found.append((start, w.end(), " ".join(words), "member"))
        for m in _EVERYONE.finditer(text) if "every" in low or "any" in low or "all" in low else ():
            value = "everyone else" if m.group("else") else "everyone"
            found.append((m.start(), m.end(), value, "member"))
        for m in _DATA.finditer(text) if "gb" in low or "mb" in low else ():
            cmp = _CMP[_norm(m.group("cmp"))]
            amount = _norm(m.group("amt")).replace(" ", "")
            found.append((m.start(), m.end(), f"plans {cmp} {amount}", "threshold"))
        if _HAS_THRESHOLD(low):
            for m in _THRESHOLD.finditer(text):
                amount = _amount(m.group("amt") or m.group("amt2"))
                cmp = _CMP.get(_norm(m.group("cmp") or m.group("cmp2")))
                if amount and cmp:
                    found.append((m.start(), m.end(), f"orders {cmp} {amount}", "threshold"))
        for m in _REGION.finditer(text) if _HAS_PLACE(low) else ():
            place = _norm(m.group("place"))
            place = _PLACES.get(place, place)
            prep = "outside" if _norm(m.group("prep")).startswith("outside") else "within"
            the = "the " if place in _ARTICLE_PLACES else ""
            found.append((m.start(), m.end(), f"{prep} {the}{place}", "region"))
        for m in _PERIOD.finditer(text) if "first" in low else ():
            prep = _norm(m.group("prep"))
            prep = "after" if prep == "after" else "within"
            unit = _norm(m.group("unit"))
            n = m.group("n")
            if n:
                value = words_to_number(n) if not n.isdigit() else Decimal(n)
                if value is None:
                    continue
                unit = unit if unit.endswith("s") or value == 1 else unit + "s"
                phrase = f"{prep} the first {int(value)} {unit}"
            else:
                phrase = f"{prep} the first {unit.rstrip('s')}"
            found.append((m.start(), m.end(), phrase, "period"))
        for m in _STATE.finditer(text) if _HAS_STATE(low) else ():
            if m.group("adj"):
                found.append((m.start(), m.end(), f"if {_norm(m.group('adj'))}", "state"))
                continue
            op = "unless" if _norm(m.group("op")) == "unless" else "if"
            for s in _STATE_SPLIT.finditer(m.group("states")):
                found.append((m.start(), m.end(), f"{op} {_state(s.group())}", "state"))
        for m in _EXTRA.finditer(text) if _HAS_EXTRA(low) else ():
            x = _norm(m.group("x"))
            x = re.sub(r"\s(?:a|your|an|valid|verified)\b", "", x)
            x = re.sub(
                r"^(over|under|above|below)\s+(\d+)\s*(?:inches|inch|\")$", r"\1 \2 inches", x
            )
            found.append((m.start(), m.end(), x, "extra"))
        specific = list(found)
        for m in _CLAUSE.finditer(text) if _HAS_CLAUSE(low) else ():
            if any(m.start() <= s < m.end() for s, _, _, _ in specific):
                continue
            op = "if" if _norm(m.group("op")) != "unless" else "unless"
            body = _numbers_to_digits(_norm(m.group("body")))
            # "if you cancel within 14 days and haven't used any benefits": two conditions
            for part in _CLAUSE_AND.split(body):
                words = [_NEGATED.get(w, w) for w in part.split() if w not in _CLAUSE_DROP][
                    :_MAX_CLAUSE_WORDS
                ]
                if words:
                    found.append((m.start(), m.end(), f"{op} {' '.join(words)}", "clause"))
        found.sort(key=lambda f: (f[0], f[1], f[2]))
        facts: list[Fact] = []
        seen: set[tuple[int, int, str]] = set()
        for start, end, value, family in found:
            if (start, end, value) in seen or start >= end:
                continue
            seen.add((start, end, value))
            facts.append(
                Fact(
                    kind=self.kind,
                    value=value,
                    unit=family,
                    span=(start, end),
                    text=text[start:end],
                    extractor=type(self).__name__,
                )
            )
        return facts

    def render(self, fact: Fact) -> str:
        """The normalised condition, e.g. ``orders over £50``."""
        return str(fact.value)


EXTRACTOR = ConditionExtractor()


def _segments(text: str) -> list[tuple[int, int]]:
    """Sentence-like stretches a condition can qualify facts within."""
    bounds, last = [], 0
    for m in _SENTENCE_BREAK.finditer(text):
        bounds.append((last, m.start()))
        last = m.end()
    bounds.append((last, len(text)))
    return bounds


def attach_qualifiers(
    text: str,
    facts: list[Fact],
    *,
    families: Iterable[str] | None = None,
) -> list[Fact]:
    """``facts`` with ``qualifiers`` filled from the conditions in ``text``.

    Args:
        text: the text the facts were extracted from (spans index it).
        facts: facts of any kinds; ``condition`` facts among them are used as the
            conditions, otherwise :data:`EXTRACTOR` finds them.
        families: the condition families to attach; default
            :data:`ATTACHED_FAMILIES` (every family but free-form ``clause``).

    Returns:
        The facts in the same order: new copies where qualifiers were added,
        the same objects otherwise. Qualifiers already present are kept,
        new ones appended in text order without duplicates.

    Example:
        >>> from consistency.models import Fact
        >>> t = "Returns are free for Volt Plus members."
        >>> f = Fact(kind="money", value="0", unit="GBP", span=(12, 16), text="free")
        >>> attach_qualifiers(t, [f])[0].qualifiers
        ('volt plus members',)
    """
    allowed = ATTACHED_FAMILIES if families is None else frozenset(families)
    conditions = [f for f in facts if f.kind == "condition"] or EXTRACTOR.extract(text)
    conditions = [c for c in conditions if c.unit in allowed or c.unit is None]
    if not conditions:
        return list(facts)
    segments = _segments(text)

    def segment_of(pos: int) -> int:
        for i, (s, e) in enumerate(segments):
            if s <= pos < e or (pos == e and i == len(segments) - 1):
                return i
        return len(segments) - 1

    added: dict[int, list[str]] = {}
    targets = [(i, f) for i, f in enumerate(facts) if f.kind != "condition"]
    for cond in sorted(conditions, key=lambda c: c.span):
        cs, ce = cond.span
        seg = segment_of(cs)
        best: dict[str, tuple[tuple[int, int], int]] = {}
        for i, fact in targets:
            fs, fe = fact.span
            if cs <= fs and fe <= ce and (fs, fe) != (cs, ce):
                continue  # the fact is part of the condition ("£50" in "orders over £50")
            if segment_of(fs) != seg:
                continue
            distance = max(0, max(fs, cs) - min(fe, ce))
            key = (distance, 0 if fs <= cs else 1)
            if fact.kind not in best or key < best[fact.kind][0]:
                best[fact.kind] = (key, i)
        for _, i in best.values():
            values = added.setdefault(i, [])
            if cond.value not in values:
                values.append(cond.value)
    out: list[Fact] = []
    for i, fact in enumerate(facts):
        if i in added:
            merged = tuple(dict.fromkeys([*fact.qualifiers, *added[i]]))
            out.append(fact.model_copy(update={"qualifiers": merged}))
        else:
            out.append(fact)
    return out
