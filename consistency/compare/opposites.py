"""Opposite words for one thing: "escape of water is an optional extra" against "escape of
water is covered as standard"; "data saver is off by default" against "on by default";
"prices are shown excluding VAT" against "all our prices include VAT".

Many yes/no claims of a policy are said with a pair of opposite terms rather than a
negation: standard or optional, on or off by default, in advance or in arrears, including or
excluding VAT, refundable or not, a soft or a hard search, a fixed or a variable price. An
agent who picks the other term misinforms as surely as one who adds a "not", and the polarity
facts, which look for negations, see nothing.

A conflict needs one sentence of each side, each saying one term of a pair plainly (no
negation of a positive term, no condition), about the same thing: two content words in
common besides the terms (a sentence that opens "It's ..." or "This ..." speaks of the one
before it). A KB that also says the answer's term as closely, or an answer that says both
terms, is left alone. Users add pairs with :func:`register_opposites`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from consistency.compare.claims import said_instead, taken_by
from consistency.compare.lists import NEGATION, SENTENCE, content_stems
from consistency.models import Conflict

__all__ = ["OPPOSITES", "Opposites", "opposite_conflicts", "register_opposites", "topic"]


@dataclass(frozen=True)
class Opposites:
    """Two terms that say the opposite of one thing; ``words`` are what they are made of,
    left out when two sentences are compared for what they are about."""

    one: re.Pattern[str]
    other: re.Pattern[str]
    words: frozenset[str]
    kind: str = "polarity"


def _pair(one: str, other: str, words: str, kind: str = "polarity") -> Opposites:
    return Opposites(
        re.compile(one, re.IGNORECASE),
        re.compile(other, re.IGNORECASE),
        content_stems(words),
        kind,
    )


OPPOSITES: list[Opposites] = [
    _pair(
        r"\b(?:(?:comes?|included|covered|provided|supplied)\s+)?as\s+standard\b",
        r"\boptional\s+(?:extra|add-on)s?\b|\b(?:isn't|is\s+not|aren't|are\s+not)\s+included\b",
        "standard optional extra add-on included include come comes covered provided supplied",
    ),
    # "every hire includes breakdown cover": in each one, not an extra
    _pair(
        r"\b(?:every|each)\s+[\w-]+\s+(?:includes|comes\s+with)\b",
        r"\boptional\s+(?:extra|add-on)s?\b",
        "every each includes include comes come with optional extra add-on",
    ),
    _pair(
        r"\b(?:on|enabled|switched\s+on|turned\s+on)\s+by\s+default\b",
        r"\b(?:off|disabled|switched\s+off|turned\s+off)\s+by\s+default\b",
        "on off default enabled disabled switched turned",
    ),
    _pair(r"\bin\s+advance\b", r"\bin\s+arrears\b", "advance arrears"),
    _pair(
        r"\b(?:include|includes|including|inclusive\s+of)\s+VAT\b",
        r"\b(?:exclude|excludes|excluding|exclusive\s+of|plus)\s+VAT\b|\bVAT\s+(?:is\s+)?added\b",
        "include includes including inclusive exclude excludes excluding exclusive plus vat added",
    ),
    _pair(
        r"\bsoft\s+(?:credit\s+)?(?:search|check)(?:es)?\b",
        r"\bhard\s+(?:credit\s+)?(?:search|check)(?:es)?\b",
        "soft hard credit search check searches checks",
    ),
    _pair(
        r"\bfixed\s+(?:price|rate|tariff)s?\b",
        r"\bvariable\s+(?:price|rate|tariff)s?\b",
        "fixed variable price rate tariff",
    ),
    _pair(
        r"\bupper\b",
        r"\blower\b(?!\s+(?:than|price|rate|band|cost))",
        "upper lower",
        "categorical",
    ),
    _pair(
        r"\bpaper\s+(?:bills?|cop(?:y|ies)|forms?|tickets?|statements?|documents?)\b",
        r"\b(?:digital|electronic|online|e-?)\s*(?:bills?|cop(?:y|ies)|forms?|tickets?|"
        r"statements?|documents?)\b",
        "paper digital electronic online bill bills copy copies form forms ticket tickets "
        "statement statements document documents",
        "categorical",
    ),
    _pair(
        r"\b(?:up\s*front|in\s+one\s+go|in\s+a\s+single\s+payment)\b",
        r"\bin\s+(?:monthly\s+)?instal?ments\b",
        "upfront up front one go single payment monthly instalments installments",
        "categorical",
    ),
    _pair(
        r"\bremotely\b|\bwithout\s+(?:an?\s+)?engineer\s+(?:visit|coming|calling)",
        r"\bsend\s+(?:you\s+)?an?\s+engineer\b|\ban?\s+engineer\s+(?:will|would|needs\s+to)\s+"
        r"(?:visit|come|call)",
        "remotely without engineer visit visiting coming calling send come call",
        "categorical",
    ),
    _pair(
        r"(?<!non-)\brefundable\b",
        r"\bnon-refundable\b|\bnot\s+refundable\b",
        "refundable non-refundable non refund",
    ),
]


def register_opposites(one: str, other: str, words: str, kind: str = "polarity") -> None:
    """Add a pair of opposite terms (two regular expressions, the words they are made of,
    and the conflict kind to report): ``register_opposites(r"\\bpeak\\b", r"\\boff-peak\\b",
    "peak off-peak")``."""
    OPPOSITES.append(_pair(one, other, words, kind))


#: A sentence that speaks of the one before it: "It's included as standard", "This is free".
_CARRIED = re.compile(
    r"^\W*(?:there(?:'s|\s+is|\s+will\s+be)|it(?:'s|\s+is)?|they(?:'re|\s+are)?|this|that)\b",
    re.IGNORECASE,
)
_CONDITION = re.compile(r"\b(?:if|unless|as\s+long\s+as|provided|only)\b", re.IGNORECASE)
_SHARED = 2  # content words two sentences share, besides the terms


def sentences(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in SENTENCE.finditer(text)]


def topic(text: str, spans: list[tuple[int, int]], n: int, drop: frozenset[str]) -> frozenset[str]:
    """What sentence ``n`` is about: its content words less ``drop``, and the sentence
    before it's when it carries that one."""
    words = content_stems(text[spans[n][0] : spans[n][1]])
    if n and _CARRIED.match(text[spans[n][0] : spans[n][1]]):
        words |= content_stems(text[spans[n - 1][0] : spans[n - 1][1]])
    return frozenset(words - drop)


def _terms(
    text: str, spans: list[tuple[int, int]], pair: Opposites
) -> list[tuple[int, bool, re.Match[str]]]:
    """Each sentence's plain term of ``pair``: (sentence, the first term?, the phrase)."""
    out = []
    for n, (start, end) in enumerate(spans):
        if _CONDITION.search(text, start, end):
            continue
        for first, pattern in ((True, pair.one), (False, pair.other)):
            m = pattern.search(text, start, end)
            if m is None:
                continue
            if first and NEGATION.search(text, start, m.start()):
                continue  # "it isn't included as standard": the other term, said with a not
            out.append((n, first, m))
    return out


def opposite_conflicts(
    answer: str,
    canonical: str,
    *,
    entry_id: str | None = None,
    taken: list[tuple[int, int]] | None = None,
) -> list[Conflict]:
    """One polarity conflict where the answer says the other term of a pair of opposites."""
    a_spans: list[tuple[int, int]] | None = None
    k_spans: list[tuple[int, int]] | None = None
    for pair in OPPOSITES:
        if not (pair.one.search(canonical) or pair.other.search(canonical)):
            continue
        if not (pair.one.search(answer) or pair.other.search(answer)):
            continue
        a_spans = a_spans if a_spans is not None else sentences(answer)
        k_spans = k_spans if k_spans is not None else sentences(canonical)
        said, kb = _terms(answer, a_spans, pair), _terms(canonical, k_spans, pair)
        if len({first for _, first, _ in said}) != 1 or not kb:
            continue  # the answer says neither plainly, or both
        kb_about = {k: topic(canonical, k_spans, k, pair.words) for k, _, _ in kb}
        for n, first, m in said:
            if taken_by(*m.span(), taken):
                continue
            about = topic(answer, a_spans, n, pair.words)
            scored = [(len(about & kb_about[k]), k, f, km) for k, f, km in kb]
            best = max(scored, key=lambda s: (s[0], s[2] == first))
            if best[0] < _SHARED or best[2] == first:
                continue  # about something else, or the KB says it the answer's way as closely
            _, k, _, km = best
            return [
                said_instead(
                    pair.kind, answer, m.span(), a_spans[n], canonical, km.span(),
                    k_spans[k], entry_id,
                )
            ]  # fmt: skip
    return []
