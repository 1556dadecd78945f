"""A condition the KB never sets: "we'll pay you £30 compensation, but only if you make a
formal complaint" against "if we haven't sorted it within 20 working days, we'll pay you
£30 compensation".

The condition checks compare what the KB makes conditional with what the answer keeps; an
answer that makes something conditional on a thing the KB never mentions changes the policy
just as much (the customer who never complains never gets paid), and nothing there sees it.

Read here: an explicit restriction in the answer ("only if ...", "only when ...", "only
once ...", "on condition that ...") whose clause names at least two things the KB entry and
the customer's question never say, and fewer than half of its words the KB's. Softer
wording ("as long as", "if") is mostly the KB's own condition said again, or helpful
detail, and is left alone; so is a restriction the KB states too ("only if the landlord
agrees" for "if the landlord agrees to release you").
"""

from __future__ import annotations

import re

from consistency.compare.claims import against_sentence, taken_by
from consistency.compare.lists import NEGATION, content_stems, sentence_finder
from consistency.compare.opposites import sentences
from consistency.models import Conflict

__all__ = ["restriction_conflicts"]

_RESTRICTION = re.compile(
    r"\b(?:only\s+(?:if|when|once|after)|on\s+(?:the\s+)?condition\s+that)\s+"
    r"(?P<clause>[^,.;:!?]{3,120}?)(?=\s*(?:[,.;:!?]|$)|\s+(?:and|but|so|or|otherwise)\b)",
    re.IGNORECASE,
)
#: What the customer wants is no condition the policy sets: "only if you want us to".
_WISH = re.compile(
    r"^(?:you|they|he|she)(?:'d)?\s+(?:would\s+)?(?:want|wish|like|prefer|choose|ask|agree|"
    r"say\s+so|are\s+happy)",
    re.IGNORECASE,
)
_NOVEL = 2  # things the KB never says, at least
_SHARE = 0.5  # of the clause's words the KB says, less than


#: A softer condition ("as long as ...") counts only where the KB sets another one on the
#: same claim: the answer has swapped the KB's condition for its own.
_SOFT = re.compile(
    r"\b(?:as\s+long\s+as|so\s+long\s+as|provided(?:\s+that)?|providing)\s+"
    r"(?P<clause>[^,.;:!?]{3,120}?)(?=\s*(?:[,.;:!?]|$)|\s+(?:and|but|so|or|otherwise)\b)",
    re.IGNORECASE,
)
_KB_CONDITION = re.compile(
    r"\b(?:only\s+if|only\s+when|if|unless|as\s+long\s+as|provided(?:\s+that)?|once)\s+"
    r"(?P<clause>[^,.;:!?]{3,120})",
    re.IGNORECASE,
)
_ABOUT = 2  # content words the answer's sentence shares with the KB's, at least
#: Things the KB never says in a swapped condition, at least: "in the middle bit of the
#: tread" for the KB's "central ¾ of the tread" is the KB's condition in other words.
_SWAP_NOVEL = 3
#: A figure, written or spoken, with its unit: the facts compare those.
_NUMBER = re.compile(
    r"[£$€]?\d[\d,.]*%?|\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve|\w+teen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|"
    r"million|pounds?|pence|p|percent|quid|k)\b",
    re.IGNORECASE,
)


def _swapped_condition(
    answer: str, canonical: str, said: frozenset[str], entry_id: str | None, taken
) -> list[Conflict]:
    """ "you can leave early as long as you find a replacement tenant" against "you can only
    leave during a fixed term if the landlord agrees": the KB's condition on the claim is
    gone and another, the KB never names, stands in its place."""
    a_all = content_stems(answer)
    for m in _SOFT.finditer(answer):
        clause = m.group("clause")
        if taken_by(*m.span(), taken) or NEGATION.search(clause) or _WISH.match(clause):
            continue
        words = content_stems(_NUMBER.sub(" ", clause))  # "under fifty thousand pounds"
        novel = words - said
        if len(novel) < _SWAP_NOVEL or len(words & said) >= _SHARE * len(words):
            continue
        here = sentence_finder(answer)(m.start())
        a_words = content_stems(answer[here[0] : m.start()] + answer[m.end() : here[1]])
        if len(a_words) < _ABOUT:  # "That's fine as long as ...": the claim is said around it
            a_words = content_stems(answer[: m.start()] + answer[m.end() :])
        shared, best = max(
            (
                (len(a_words & content_stems(canonical[k[0] : k[1]])), k)
                for k in sentences(canonical)
            ),
            key=lambda t: t[0],  # the first sentence of the most words in common
        )
        if shared < _ABOUT:
            continue
        for c in _KB_CONDITION.finditer(canonical, best[0], best[1]):
            kept = content_stems(c.group("clause"))
            if kept and len(kept & a_all) * 2 < len(kept):
                return [
                    against_sentence(
                        "condition", answer, m.span(), canonical, best, entry_id,
                        "the answer sets another condition than the KB's.",
                    )
                ]  # fmt: skip
    return []


def restriction_conflicts(
    answer: str,
    canonical: str,
    *,
    entry_id: str | None = None,
    taken: list[tuple[int, int]] | None = None,
    question: str = "",
) -> list[Conflict]:
    """One condition conflict where the answer restricts on something the KB never says,
    or swaps the KB's condition for one of its own."""
    said = content_stems(canonical) | content_stems(question)
    if not _RESTRICTION.search(answer) or _RESTRICTION.search(canonical):
        # the KB restricts too: which restriction holds is the condition checks'
        return _swapped_condition(answer, canonical, said, entry_id, taken)
    for m in _RESTRICTION.finditer(answer):
        clause = m.group("clause")
        if taken_by(*m.span(), taken) or NEGATION.search(clause) or _WISH.match(clause):
            continue
        words = content_stems(clause)
        novel = words - said
        if len(novel) < _NOVEL or len(words & said) >= _SHARE * len(words):
            continue
        here = sentence_finder(answer)(m.start())
        a_words = content_stems(answer[here[0] : here[1]])
        kb_sentence = max(
            sentences(canonical), key=lambda k: len(a_words & content_stems(canonical[k[0] : k[1]]))
        )
        return [
            against_sentence(
                "condition", answer, m.span(), canonical, kb_sentence, entry_id,
                "the answer makes it depend on something the KB does not ask for.",
            )
        ]  # fmt: skip
    return _swapped_condition(answer, canonical, said, entry_id, taken)
