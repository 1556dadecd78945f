"""An answer that says what the KB rules out by name: "taken off your gas bill" against
"a discount on your electricity bill, not your gas bill"; "one of our subcontractor
partners" against "our own employed surveyors, never a subcontractor".

A KB names the alternative it rules out where that is the one people expect ("not by
Northline", "rather than account credit", "not over Wi-Fi", "never a subcontractor"). The
alternative is any noun phrase, so no lexicon can list them; the KB's own denial is the
list. An answer that affirms the alternative says what the KB denies, whatever the
category (who, where, which bill, which channel).

Held back, because each is a paraphrase more often than a conflict:

* the words of a ruled-out phrase the KB also says outside its denials ("bill" of "not
  your gas bill" when the KB says "electricity bill"): only the words the denial alone
  has count, and all of them must be said;
* an answer that denies anything itself: it may draw the KB's contrast in its own words
  ("a Wi-Fi result can't be used as evidence"), which this check cannot align;
* the alternative said after "rather than", "instead of", "not" or "than".
"""

from __future__ import annotations

import re
from functools import lru_cache

from consistency.compare.claims import denials, said_instead, taken_by
from consistency.compare.lists import NEGATION, SENTENCE, content_stems, sentence_finder
from consistency.models import Conflict

__all__ = ["ruled_out_conflicts"]

_PREP = r"(?:(?:by|to|on|as|over|in|with|from|at|through|via|into|for|onto)\s+)"
_PHRASE = (
    r"(?P<ruled>(?:(?:the|your|our|a|an|any|their|its)\s+)?[A-Za-z0-9][\w'&.-]*"
    r"(?:\s+[A-Za-z0-9][\w'&.-]*){0,3})"
)
#: "X, not Y", "not by Y", "rather than Y", "instead of Y", "never a Y", and a way denied
#: with its verb: "we can't take bookings by email" (by, over, via, through only: "we don't
#: charge for a missed payment" denies the charge, not the missed payment)
_DENIAL = re.compile(
    r"(?:(?:[,;]|\band\b|\bbut\b)\s*not\s+" + _PREP + r"?"
    r"|\bnot\s+" + _PREP + r"|\brather\s+than\s+" + _PREP + r"?"
    r"|\binstead\s+of\s+" + _PREP + r"?"
    r"|\bnever\s+" + _PREP + r"?(?=(?:a|an|the|your|our)\s)"
    r"|\b(?:isn't|aren't|is\s+not|are\s+not)\s+(?=(?:a|an|the|your|our)\s)"
    # (the words between are the denied verb's; "don't cover is collected by" has another)
    r"|\b(?:can't|cannot|won't|don't|doesn't|isn't|aren't)\s+"
    r"(?:(?!(?:is|are|was|were|will|be|gets?)\s)[a-z][\w'-]*\s+){1,4}?"
    r"(?:by|over|via|through)\s+)" + _PHRASE,
    re.IGNORECASE,
)
_DENIAL_WORD = re.compile(r"\b(?:not|never|rather|instead)\b|\b\w+n't\b|\bcannot\b", re.IGNORECASE)
_PUNCTUATION = re.compile(r"[.,;:!?)](?:\s|$)")
#: where a ruled-out noun phrase ends: a preposition, a conjunction, a verb, a subject
_PHRASE_END = re.compile(
    r"\s(?:on|at|in|for|from|to|by|with|before|after|within|when|if|as|so|and|or|but|unless|"
    r"until|where|which|who|that|than|because|once|while|of|is|are|was|will|can|you|we|it)\b.*$",
    re.IGNORECASE | re.DOTALL,
)
_CONTRASTED_BEFORE = re.compile(
    r"\b(?:rather\s+than|instead\s+of|not|never|than)\s+(?:\S+\s+){0,3}$", re.IGNORECASE
)
_WORD = re.compile(r"[\w£&'+-]+")
#: The customer's own case, said as the reason: "as you're under 3 metres high".
_OWN_CASE = re.compile(
    r"\b(?:as|since|because)\s+(?:you(?:'re|\s+are|'ve|\s+have)?|your\s+\w+\s+(?:is|are)|"
    r"it's|it\s+is|they're)\b",
    re.IGNORECASE,
)
#: A KB rule that holds for some cases only.
_KB_CASE = re.compile(
    r"\b(?:if|unless|when|only|over|under|more\s+than|less\s+than|longer\s+than|above|below)\b",
    re.IGNORECASE,
)
_SPAN_GAP = 40  # characters: matched words further apart than this are not one phrase


@lru_cache(maxsize=4096)
def _ruled_out(
    canonical: str,
) -> tuple[tuple[frozenset[str], frozenset[str], int, int, int, int], ...]:
    """Each phrase the KB rules out: its distinctive stems, all its stems, the denial's
    span, its sentence's span."""
    found = []
    for m in _DENIAL.finditer(canonical):
        phrase = _PUNCTUATION.split(m.group("ruled"))[0]
        phrase = _PHRASE_END.sub("", phrase)
        word = _DENIAL_WORD.search(m.group(0))
        start = m.start() + (word.start() if word else 0)
        found.append((phrase, start, m.start("ruled") + len(phrase)))
    # the KB text with every denial blanked: the words it says of itself
    rest = canonical
    for _, s, e in found:
        rest = rest[:s] + " " * (e - s) + rest[e:]
    said_itself = content_stems(rest)
    sentence_at = sentence_finder(canonical)
    out = []
    for phrase, start, end in found:
        distinctive = content_stems(phrase) - said_itself
        if not distinctive:
            continue
        sentence = sentence_at(start)
        if sentence[0] == sentence[1]:
            sentence = (start, end)
        out.append((distinctive, content_stems(phrase), start, end, *sentence))
    return tuple(out)


_CLAUSE_CUT = re.compile(r"[,;:]\s|\s[-–—]\s|\b(?:and|but|so|or)\b", re.IGNORECASE)


def _clause_negated(plain: str, sentence: tuple[int, int], at: int) -> bool:
    """Whether the clause of ``plain`` around ``at`` holds a negation."""
    cuts = (m.end() for m in _CLAUSE_CUT.finditer(plain, sentence[0], at))
    start = max([sentence[0], *cuts])
    nxt = _CLAUSE_CUT.search(plain, at, sentence[1])
    return bool(NEGATION.search(plain, start, nxt.start() if nxt else sentence[1]))


def _phrase_span(
    answer: str, words: list[re.Match[str]], hits: list[re.Match[str]], stems: frozenset[str]
) -> tuple[int, int]:
    """The answer's words for the ruled-out phrase: the distinctive words said, widened
    over the next words that are the phrase's too ("gas" -> "gas bill")."""
    first = hits[0]
    last = next((w for w in reversed(hits) if w.end() - first.start() <= _SPAN_GAP), first)
    i = words.index(last) + 1
    while i < len(words) and not answer[last.end() : words[i].start()].strip():
        if not content_stems(words[i].group(0)) <= stems or not content_stems(words[i].group(0)):
            break
        last, i = words[i], i + 1
    return first.start(), last.end()


def ruled_out_conflicts(
    answer: str,
    canonical: str,
    *,
    entry_id: str | None = None,
    taken: list[tuple[int, int]] | None = None,
) -> list[Conflict]:
    """One categorical conflict where the answer affirms a phrase the KB rules out."""
    ruled = _ruled_out(canonical)
    if not ruled:
        return []
    plain = denials(answer)
    if NEGATION.search(plain):
        return []  # the answer draws contrasts of its own
    # each answer sentence's words and their stems, read once for every KB denial
    sentences = []
    for sm in SENTENCE.finditer(answer):
        words = list(_WORD.finditer(answer, sm.start(), sm.end()))
        sentences.append((sm, words, [content_stems(w.group(0)) for w in words]))
    for distinctive, stems, d_start, d_end, ks_start, ks_end in ruled:
        for sm, words, word_stems in sentences:
            hits = [w for w, ws in zip(words, word_stems, strict=True) if ws & distinctive]
            said = frozenset().union(*(ws for ws in word_stems if ws & distinctive))
            if not hits or not distinctive <= said:
                continue
            first = hits[0]
            if _CONTRASTED_BEFORE.search(answer, sm.start(), first.start()):
                continue
            if _clause_negated(plain, sm.span(), first.start()):
                continue
            if _OWN_CASE.search(answer, sm.start(), sm.end()) and _KB_CASE.search(
                canonical, ks_start, ks_end
            ):
                continue  # "as you're under 3 metres high you can book online" for a KB rule
                # that holds "over 3 metres high": the other case, which the rule leaves open
            span = _phrase_span(answer, words, hits, stems)
            if taken_by(*span, taken):
                continue
            return [
                said_instead(
                    "categorical",
                    answer,
                    span,
                    sm.span(),
                    canonical,
                    (d_start, d_end),
                    (ks_start, ks_end),
                    entry_id,
                )
            ]
    return []
