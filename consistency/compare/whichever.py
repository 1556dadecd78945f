"""The other end of a "whichever": "whichever is later" against the KB's "whichever comes
first".

A policy with two limits says which one counts ("30 days after you download them or 48
hours after you first press play, whichever comes first"). An answer that keeps both limits
and turns the choice round changes the condition while every figure still agrees, so no
typed fact sees it.
"""

from __future__ import annotations

import re

from consistency.compare.claims import said_instead, taken_by
from consistency.models import Conflict

__all__ = ["whichever_conflicts"]

_WHICHEVER = re.compile(
    r"\bwhichever\s+(?:is|comes|happens|falls|applies)?\s*(?:the\s+)?"
    r"(?P<end>first|sooner|earlier|earliest|later|last|latest|greater|higher|bigger|larger|"
    r"more|lower|smaller|less|fewer)\b",
    re.IGNORECASE,
)
#: Which way each word chooses: the earlier or smaller limit (-1), the later or larger (+1).
_SIDE = {
    **dict.fromkeys(("first", "sooner", "earlier", "earliest"), -1),
    **dict.fromkeys(("later", "last", "latest"), 1),
    **dict.fromkeys(("lower", "smaller", "less", "fewer"), -2),
    **dict.fromkeys(("greater", "higher", "bigger", "larger", "more"), 2),
}
_SENTENCE = re.compile(r"[^.!?]*(?:[.!?](?=\s|$)|$)")


def _sentence(text: str, pos: int) -> tuple[int, int]:
    for m in _SENTENCE.finditer(text):
        if m.start() <= pos < max(m.end(), m.start() + 1):
            return m.span()
    return 0, len(text)


def whichever_conflicts(
    answer: str,
    canonical: str,
    *,
    entry_id: str | None = None,
    taken: list[tuple[int, int]] | None = None,
) -> list[Conflict]:
    """One condition conflict where the answer's "whichever" chooses the other limit."""
    said = _WHICHEVER.search(answer)
    kb = _WHICHEVER.search(canonical)
    if said is None or kb is None or taken_by(*said.span(), taken):
        return []
    a_side, k_side = _SIDE[said.group("end").lower()], _SIDE[kb.group("end").lower()]
    if a_side != -k_side:
        return []  # the same choice, or one of time against one of size
    return [
        said_instead(
            "condition", answer, said.span(), _sentence(answer, said.start()),
            canonical, kb.span(), _sentence(canonical, kb.start()), entry_id,
        )
    ]  # fmt: skip
