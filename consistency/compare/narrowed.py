"""Only a part of what the KB gives: "personal accident cover only comes with Comprehensive
Plus" against "included with Comprehensive and Comprehensive Plus"; "only our bigger
centres have a hoist" against "every pool has a poolside hoist".

The answer narrows a claim with "only" (or "... only") to some things, and the KB sentence
that makes the same claim (two content words in common besides those things, no "only" of
its own) gives it more widely: to a list whose other options the answer leaves out or
rules out, or to every one of them ("every", "all", "any" + noun). That is a scope
conflict with both spans.

Not narrowings: "only if / when / once" (conditions), "only £5", "only one", "only takes
a minute", "you only need your card" (amounts and requirements, other checks' business),
"the only way" (a closed list, the list check's), "not only". A KB that restricts the
same claim with "only" anywhere is left to the list and condition checks.
"""

from __future__ import annotations

import re

from consistency.compare.claims import against_sentence, taken_by
from consistency.compare.lists import (
    NEGATION,
    ListItem,
    content_stems,
    find_lists,
    sentence_finder,
)
from consistency.models import Conflict

__all__ = ["narrowed_conflicts"]

_LEAD = (
    r"(?:(?:applies|apply|available|offered|valid|open|covered|included|works?|runs?|used|"
    r"comes?|paid|sold|given|allowed)\s+)?(?:to|on|for|with|in|at|under|by|from)\s+"
)
#: "only comes with Comprehensive Plus", "only for fully electric cars", "only online".
_ONLY_BEFORE = re.compile(
    r"\bonly\s+(?:be\s+(?=(?:used|available|offered|valid|open|covered|included|paid|sold|"
    r"given|allowed)\s))?(?!(?:if|when|once|after|before|until|till|while|need|needs|have|has|had|"
    r"takes?|took|costs?|charged?|pay|be|a|an|one|two|three|just|been|ever|recently|"
    r"way|ways|option|options|thing|difference)\b)"
    r"(?P<lead>" + _LEAD + r")?(?P<what>(?:[\w'’-]+\s+){0,5}?[\w'’-]+)"
    r"(?=\s*(?:[,.;:!?()]|$|\s[-–—]\s)|\s+(?:so|but|and\s+not|not|or\s+not|then|because)\b)",
    re.IGNORECASE,
)
#: "only our bigger centres have a hoist": the subjects a claim is narrowed to.
_ONLY_SUBJECT = re.compile(
    r"\bonly\s+(?P<what>(?:our|the|your)\s+(?:[\w'’-]+\s+){0,3}?[\w'’-]+)(?=\s+(?:have|has|get|"
    r"gets|are|is|can|qualify|qualifies|pass|passes|offer|offers)\b)",
    re.IGNORECASE,
)
#: "for the frame only", "online only".
_ONLY_AFTER = re.compile(
    r"\b(?:to|on|for|with|in|at|under|by)\s+(?P<what>(?:[\w'’-]+\s+){0,3}[\w'’-]+)\s+only\b"
    r"(?=\s*(?:[,.;:!?()]|$|\s[-–—]\s)|\s+(?:so|but|and|not)\b)",
    re.IGNORECASE,
)
#: What no scope is made of: times and amounts ("only off for half an hour").
_NOT_A_SCOPE = re.compile(
    r"\b(?:half|hour|hours|minute|minutes|day|days|week|weeks|month|months|year|years|once|"
    r"twice|free|cost|costs|charge|price|few|little|small\s+charge)\b",
    re.IGNORECASE,
)
_CONDITIONED = re.compile(
    r"\b(?:if|unless|when|whenever|provided|as\s+long\s+as|subject\s+to|once)\b", re.IGNORECASE
)
_NOT_NARROWING_BEFORE = re.compile(r"\b(?:not|the|if|your|our)\s+$", re.IGNORECASE)
_AMOUNT = re.compile(r"[£$€\d%]")
_UNIVERSAL = re.compile(
    r"\b(?:every|all|each|any)\s+(?!(?:time|day|days|point|of|other|more|further|extra|"
    r"additional|questions?|problems?|issues?|changes?|costs?)\b)[a-z]",
    re.IGNORECASE,
)
_RESTRICTS = re.compile(r"\b(?:only|just|exclusively|solely|except|excluding)\b", re.IGNORECASE)
_CLAIM_SHARED = 2
_WHAT_WORDS = content_stems("only our the your a an")
_NEAR = 200


def _narrowings(answer: str) -> list[tuple[tuple[int, int], frozenset[str]]]:
    """The spans of "only ..." phrases and the content stems of what each narrows to."""
    out = []
    found = [*_ONLY_BEFORE.finditer(answer), *_ONLY_SUBJECT.finditer(answer)]
    for m in [*found, *_ONLY_AFTER.finditer(answer)]:
        what = m.group("what")
        before = answer[max(0, m.start() - 8) : m.start()]
        if (
            _AMOUNT.search(what)
            or _NOT_A_SCOPE.search(what)
            or _NOT_NARROWING_BEFORE.search(before)
        ):
            continue
        stems = content_stems(what) - _WHAT_WORDS
        if stems:
            out.append((m.span(), stems))
    return out


def narrowed_conflicts(
    answer: str,
    canonical: str,
    *,
    entry_id: str | None = None,
    taken: list[tuple[int, int]] | None = None,
) -> list[Conflict]:
    """One scope conflict where the answer narrows with "only" a claim the KB gives widely."""
    found = _narrowings(answer)
    if not found:
        return []
    kb_restricts = content_stems(" ".join(
        canonical[m.end() : m.end() + 60] for m in _RESTRICTS.finditer(canonical)
    ))  # fmt: skip
    a_sentence, k_sentence = sentence_finder(answer), sentence_finder(canonical)
    lists = find_lists(canonical)
    for span, what in found:
        if taken_by(*span, taken):
            continue
        if what & kb_restricts:
            continue  # the KB restricts it too: the list and condition checks' business
        sentence = a_sentence(span[0])
        near = answer[max(sentence[0], span[0] - _NEAR) : min(sentence[1], span[1] + _NEAR)]
        claim = content_stems(near) - what - _WHAT_WORDS
        for kb_list in lists:
            s = kb_list.sentence
            k_words = content_stems(canonical[s[0] : s[1]])
            if _RESTRICTS.search(canonical, s[0], s[1]) or len(claim & k_words) < _CLAIM_SHARED:
                continue  # a KB condition that names the options gives the claim to each
            named = [
                i for i in kb_list.items if _names(answer[span[0] : span[1]], i, kb_list.items)
            ]
            if not named:
                continue
            # an option is talked about only outside the options the answer names
            rest = answer
            for i in named:
                rest = re.sub(re.escape(i.text), " " * len(i.text), rest, flags=re.IGNORECASE)
            left = [i for i in kb_list.items if i not in named and not _said(rest, i.stems)]
            if left:
                return [_conflict(answer, canonical, span, s, entry_id, left[0].text)]
        for m in _UNIVERSAL.finditer(canonical):
            s = k_sentence(m.start())
            k_words = content_stems(canonical[s[0] : s[1]])
            if _restricted(canonical, s) or len(claim & k_words) < _CLAIM_SHARED:
                continue
            if NEGATION.search(canonical, s[0], s[1]):
                continue  # "we don't cover any ..." is a universal denial, not a wide claim
            return [_conflict(answer, canonical, span, s, entry_id, None)]
    return []


def _names(said: str, item: ListItem, items: tuple[ListItem, ...]) -> bool:
    """Whether the "only ..." phrase names this KB option itself, not only a longer option
    that contains its words ("Comprehensive Plus" names "Comprehensive Plus", and not
    "Comprehensive"; "Comprehensive and Comprehensive Plus" names both)."""
    text = said.lower()
    for longer in items:
        if longer is not item and item.stems < longer.stems:
            text = text.replace(longer.text.lower(), " ")
    return bool(item.stems) and item.stems <= content_stems(text)


def _restricted(canonical: str, sentence: tuple[int, int]) -> bool:
    """The KB sentence restricts its own claim: "only", "except", "if you have ..."."""
    return bool(
        _RESTRICTS.search(canonical, sentence[0], sentence[1])
        or _CONDITIONED.search(canonical, sentence[0], sentence[1])
    )


def _said(answer: str, stems: frozenset[str]) -> bool:
    """The answer names this option anywhere without a negation in the clause around it:
    it talks about the option, so "only" did not leave it out ("not on Comprehensive",
    "plug-in hybrids don't qualify" do)."""
    for m in re.finditer(r"[\w£&'+-]+", answer):
        if content_stems(m.group(0)) & stems:
            before = answer[max(0, m.start() - 30) : m.start()]
            after = re.split(r"[,.;:!?]|\s[-–—]\s", answer[m.end() : m.end() + 40])[0]
            if not NEGATION.search(before) and not NEGATION.search(after):
                return True
    return False


def _conflict(
    answer: str,
    canonical: str,
    span: tuple[int, int],
    kb_sentence: tuple[int, int],
    entry_id: str | None,
    left_out: str | None,
) -> Conflict:
    said = answer[span[0] : span[1]]
    rest = (
        f'the answer says "{said}", leaving out {left_out}.'
        if left_out
        else f'the answer says "{said}", where the KB gives it to all.'
    )
    return against_sentence("scope", answer, span, canonical, kb_sentence, entry_id, rest)
