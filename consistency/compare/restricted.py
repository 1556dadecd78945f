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


def restriction_conflicts(
    answer: str,
    canonical: str,
    *,
    entry_id: str | None = None,
    taken: list[tuple[int, int]] | None = None,
    question: str = "",
) -> list[Conflict]:
    """One condition conflict where the answer restricts on something the KB never says."""
    if not _RESTRICTION.search(answer) or _RESTRICTION.search(canonical):
        return []  # the KB restricts too: which restriction holds is the condition checks'
    said = content_stems(canonical) | content_stems(question)
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
    return []
