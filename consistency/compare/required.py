"""An answer that says something is not needed where the KB requires it: "no letter needed"
against "with a letter from your GP or midwife", "you don't need a recent check-up" against
"as long as you've had a dental check-up in the last 12 months", "it doesn't need to be
signed" against "if it's less than 2 years old and signed by the optometrist".

The answer denies a need ("no X needed", "no need for X", "you don't need (to) X", "X isn't
required"). The KB makes X a requirement when a clause of it names all of X's words beside a
word that requires ("must", "need", "only", "as long as", "once", "if you give ...", "with a
letter ...") and no negation. Where the KB gives X as one of several ways ("a receipt or a
bank statement"), or says somewhere that X is not needed, nothing is flagged; an answer that
drops X only under its own condition ("you don't need ID if you're over 25") is left to the
condition check.
"""

from __future__ import annotations

import re

from consistency.compare.claims import against_sentence, taken_by
from consistency.compare.lists import NEGATION, content_stems, sentence_finder
from consistency.models import Conflict

__all__ = ["requirement_conflicts"]

#: What is said not to be needed: up to six words, to the end of its clause.
_PHRASE = (
    r"(?:[\w'’-]+\s+){0,5}?[\w'’-]+"
    r"(?=\s*(?:[,.;:!?()]|$|\s[-–—](?:\s|$))|\s+(?:and|but|so|as|because|since|or|if|unless|"
    r"just|though|although|we|we'll|in\s+advance|beforehand|when|before|after)\b)"
)
_NOUN = r"(?:[\w'’-]+\s+){0,3}?[\w'’-]+"
_NOT_NEEDED = r"(?:needed|required|necessary|compulsory|mandatory|essential)"
_DENIED_NEED = re.compile(
    # "no letter needed", "there's no induction needed", "no receipt is required"
    rf"\bno\s+(?P<a>{_NOUN})\s+(?:is\s+|are\s+)?{_NOT_NEEDED}\b"
    # "there's no need for anything in writing", "no need to show it"
    rf"|\bno\s+need\s+(?:for|to)\s+(?P<b>{_PHRASE})"
    # "they don't need to be on the line", "you don't have to book", "you needn't send it"
    r"|\b(?:don't|doesn't|do\s+not|does\s+not|won't|will\s+not|wouldn't|needn't|"
    rf"don’t|doesn’t|won’t)\s+(?:(?:need|have)\s+to\s+|need\s+)(?P<c>{_PHRASE})"
    # "a receipt isn't needed", "a protector is recommended but not required"
    rf"|(?P<d>{_NOUN})\s+(?:is|are)(?:n't|n’t|\s+not|\s+\w+\s+but\s+not)\s+{_NOT_NEEDED}\b"
    # "without having to send anything in writing"
    rf"|\bwithout\s+(?:needing|having)\s+to\s+(?P<e>{_PHRASE})",
    re.IGNORECASE,
)
#: Words that say nothing of what is needed ("you don't need to do anything").
_GENERAL = content_stems(
    "anything something everything thing things do doing be been have having get getting "
    "make us you it them him her this that there just also really actually first again "
    "worry worried yourself ourselves anyone anybody ahead else extra more further any "
    "separately additional new own all advance beforehand"
)
#: A word of the KB that makes what follows in its clause a requirement.
_REQUIRING = re.compile(
    r"\b(?:must|needs?|required?|requires|ha(?:ve|s)\s+to|only|as\s+long\s+as|so\s+long\s+as|"
    r"provided|providing|once|unless|if\s+(?:you|they|we|it|he|she)|with\s+(?:a|an|your|their|"
    r"them|him|her)|subject\s+to)\b",
    re.IGNORECASE,
)
#: Where a KB clause ends, for the requirement word to govern its words.
_CLAUSE_END = re.compile(r"[,;:()]|\s[-–—]\s|[.!?](?=\s|$)|\b(?:but|and\s+(?=you|we))\b", re.I)
#: The answer drops the need only under its own condition, or only asks.
_OWN_CASE = re.compile(
    r"^[^.;!?]{0,40}?\b(?:if|as\s+long\s+as|provided|once|when|because|since|as)\b", re.I
)
_CASE_BEFORE = re.compile(
    r"\b(?:if|as|since|because|once|when|now\s+that|unless)\b[^.;!?]*$", re.IGNORECASE
)
#: A KB sentence with cases of its own, which an answer's own case may be one of.
_EXCEPTION = re.compile(
    r"\b(?:if|unless|except|exempt|other\s+than|apart\s+from|when|once|under|over|aged|only)\b",
    re.IGNORECASE,
)
#: Content words besides the requirement an answer must share with the KB sentence.
_CLAIM_SHARED = 2
_ASKED_BEFORE = re.compile(
    r"(?:\bwhether\b|\b(?:ask|check|see|know|wonder|find\s+out)\w*\s+(?:\w+\s+){0,2}?if\b)"
    r"[^,.;!?]{0,30}$|\b(?:if|unless|when)\s+(?:you|they|he|she|we|it)\s+$",
    re.IGNORECASE,
)


def _own_case(answer: str, m: re.Match[str], start: int) -> bool:
    """Whether the answer drops the need under a case of its own, said before or after
    (in its sentence from ``start``)."""
    return bool(_OWN_CASE.match(answer, m.end()) or _CASE_BEFORE.search(answer, start, m.start()))


def _clauses(text: str) -> list[tuple[int, int]]:
    """The spans of ``text``'s clauses, each from its first word."""
    out, pos = [], 0
    for m in [*_CLAUSE_END.finditer(text), None]:
        stop = m.start() if m is not None else len(text)
        start = pos + len(text[pos:stop]) - len(text[pos:stop].lstrip())
        if stop > start:
            out.append((start, stop))
        pos = m.end() if m is not None else stop
    return out


def _kb_requires(what: frozenset[str], head: str, canonical: str) -> tuple[int, int] | None:
    """The KB clause that requires ``what`` (all of it, or its last word and half the
    rest), or ``None`` where the KB offers it as one of several ways or says it is not
    needed."""
    found = None
    for start, end in _clauses(canonical):
        clause = canonical[start:end]
        stems = content_stems(clause)
        shared = what & stems
        if not (shared == what or (head in shared and 2 * len(shared) >= len(what))):
            continue
        if NEGATION.search(clause) or re.search(r"\bwithout\b", clause, re.IGNORECASE):
            return None  # "without a receipt", "you don't need to book"
        if _one_of_several(clause, shared):
            return None  # "a receipt or a bank statement"
        if found is None and _REQUIRING.search(clause):
            found = (start, end)
    return found


def _one_of_several(clause: str, shared: frozenset[str]) -> bool:
    """Whether a word of ``shared`` stands beside "or" or after "such as" in ``clause``."""
    words = [w.group(0).lower() for w in re.finditer(r"[\w£&'’+-]+", clause)]
    for i, w in enumerate(words):
        if not content_stems(w) & shared:
            continue
        before, after = " ".join(words[max(0, i - 3) : i]), words[i + 1 : i + 2]
        if after == ["or"] or re.search(r"\bor(?:\s+\w+)?$|\bsuch\s+as\b", before):
            return True
    return False


def requirement_conflicts(
    answer: str,
    canonical: str,
    *,
    entry_id: str | None = None,
    taken: list[tuple[int, int]] | None = None,
) -> list[Conflict]:
    """One condition conflict where the answer says a KB requirement is not needed.

    Example:
        >>> kb = ("You can take a medical freeze of up to 6 months with a letter from "
        ...       "your GP or midwife.")
        >>> [c.answer_value for c in requirement_conflicts(
        ...     "No letter needed, we'll set up a freeze for up to 6 months.", kb)]
        ['No letter needed']
    """
    k_sentence, a_sentence = sentence_finder(canonical), sentence_finder(answer)
    a_stems = None
    for m in _DENIED_NEED.finditer(answer):
        phrase = next(g for g in m.groups() if g is not None)
        what = content_stems(phrase) - _GENERAL
        heads = [h for w in reversed(phrase.split()) for h in content_stems(w) - _GENERAL]
        if not what or taken_by(m.start(), m.end(), taken):
            continue
        since = a_sentence(m.start())[0]
        if _ASKED_BEFORE.search(answer, since, m.start()):
            continue  # "ask whether you need one"
        if m.group("d") is not None and NEGATION.search(m.group("d")):
            continue
        clause = _kb_requires(what, heads[0] if heads else "", canonical)
        if clause is None:
            continue
        sentence = k_sentence(clause[0])
        # with the sentence before: "Assistance dogs travel free ... You must tell us when
        # you book" requires it of what the sentence before says
        before = k_sentence(sentence[0] - 2)[0] if sentence[0] > 1 else sentence[0]
        said = canonical[before : sentence[1]]
        a_stems = content_stems(answer) if a_stems is None else a_stems
        if len((a_stems & content_stems(said)) - what) < _CLAIM_SHARED:
            continue  # the KB requires it for another claim than the answer's
        if _own_case(answer, m, since) and _EXCEPTION.search(said):
            continue  # "you don't need ID if you're over 25" where the KB has its cases
        rest = f'the answer says "{m.group(0)}", where the KB makes it a requirement.'
        return [
            against_sentence(
                "condition", answer, m.span(), canonical, k_sentence(clause[0]), entry_id, rest
            )
        ]
    return []
