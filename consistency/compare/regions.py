"""Where a policy applies: the UK's nations and islands, and abroad, read as sets of areas.

"Anywhere in the UK" against "it must be in England or Wales" widens the policy (the UK
holds Scotland and Northern Ireland); "the whole of Great Britain" against "we don't cover
Scotland" covers an area the KB rules out; "we only install in England" against "England
and Wales only" narrows it. Each place name is a set of areas, so "mainland UK" and
"England, Wales and Scotland" are one thing said two ways and never a conflict.

A place the KB names as covered anywhere in the entry is never flagged as a widening: an
entry may send Wales to another scheme in its next sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from consistency.compare.claims import _CONDITIONAL_BEFORE, Clause, kb_says, taken_by
from consistency.compare.members import _Mention, _mentions, _sentences
from consistency.models import Conflict

__all__ = ["AREAS", "region_conflicts"]

_GB = frozenset({"England", "Wales", "Scotland", "the Scottish islands"})
_UK = _GB | {"Northern Ireland"}
_MAINLAND = frozenset({"England", "Wales", "Scotland"})
#: Each place name as the areas it holds (Crown dependencies are not in the UK).
AREAS: dict[str, frozenset[str]] = {
    "england": frozenset({"England"}),
    "wales": frozenset({"Wales"}),
    "scotland": frozenset({"Scotland", "the Scottish islands"}),
    "scottish islands": frozenset({"the Scottish islands"}),
    "northern ireland": frozenset({"Northern Ireland"}),
    "isle of man": frozenset({"the Isle of Man"}),
    "channel islands": frozenset({"the Channel Islands"}),
    "jersey": frozenset({"the Channel Islands"}),
    "guernsey": frozenset({"the Channel Islands"}),
    "great britain": _GB,
    "britain": _GB,
    "uk": _UK,
    "united kingdom": _UK,
    "mainland uk": _MAINLAND,
    "uk mainland": _MAINLAND,
    "mainland britain": _MAINLAND,
    "abroad": frozenset({"abroad"}),
    "overseas": frozenset({"abroad"}),
    "outside the uk": frozenset({"abroad"}),
}
_NAMES = sorted(AREAS, key=len, reverse=True)
_PATTERN = re.compile(
    r"\b(?:" + "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in _NAMES) + r")\b"
)
_PATTERNS = (("region", frozenset(AREAS), _PATTERN),)
#: "Wales isn't covered", "except Northern Ireland": a place ruled out around its name.
_DENIED_AFTER = re.compile(
    r"\W*(?:is|are)(?:n't|\s+not)\s+(?:covered|included|eligible|available|served|part)\b"
)
_EXCEPT_BEFORE = re.compile(
    r"\b(?:except|excluding|apart\s+from|other\s+than|but\s+not|not\s+(?:to|in|on))\W+"
    r"(?:(?:the|mainland|[a-z]+,?)\s+){0,4}$"
)
#: A country code at the end of an address, written or spoken: ".co.uk", "dot co dot uk".
_ADDRESS_BEFORE = re.compile(r"(?:\.|\bdot\s+)$")
_ONLY = re.compile(r"\b(?:only|solely|exclusively)\b")
_RESTRICTS = re.compile(r"\b(?:only|just|solely|exclusively|must|has\s+to|have\s+to)\b")


def _areas(text: str, m: _Mention) -> frozenset[str]:
    name = " ".join(text[m.start : m.end].lower().split())
    areas = AREAS.get(name, frozenset())
    # "mainland England, Wales and Scotland": the islands are left out
    if "mainland" in text[max(0, m.start - 60) : m.start].lower() and name == "scotland":
        areas = frozenset({"Scotland"})
    return areas


def _read(text: str) -> list[tuple[Clause, _Mention, frozenset[str], bool]]:
    """Each place named in ``text``: its clause, the mention, its areas, whether ruled out."""
    out = []
    low = text.lower()
    for c in _sentences(text):
        for m in _mentions(text, c.start, c.start + len(c.text), _PATTERNS):
            out_ruled = (
                m.negated
                or _DENIED_AFTER.match(low, m.end) is not None
                or _EXCEPT_BEFORE.search(low[max(0, m.start - 60) : m.start]) is not None
            )
            if _CONDITIONAL_BEFORE.search(text[max(0, m.start - 80) : m.start]):
                continue  # "if you live in Wales, ...": the customer's case, not the policy
            if _ADDRESS_BEFORE.search(low, max(0, m.start - 12), m.start):
                continue  # "lumenmobile.co.uk", "lumen mobile dot co dot uk": an address
            out.append((c, m, _areas(text, m), out_ruled))
    return out  # one pattern, longest name first: "mainland UK" is never "UK" too


def _union(sets: Iterable[frozenset[str]]) -> frozenset[str]:
    out: frozenset[str] = frozenset()
    for s in sets:
        out |= s
    return out


def region_conflicts(
    answer: str,
    canonical: str,
    *,
    entry_id: str | None = None,
    taken: list[tuple[int, int]] | None = None,
) -> list[Conflict]:
    """One scope conflict where the answer's places differ from where the KB applies."""
    kb = _read(canonical)
    if not kb:
        return []
    kb_named = _union(a for _, _, a, out in kb if not out)
    kb_out = _union(a for _, _, a, out in kb if out)
    restricting = [a for c, m, a, out in kb if not out and _RESTRICTS.search(c.text.lower())]
    kb_in = _union(restricting) if restricting else kb_named
    # places ruled out beside places covered close the list, unless one place is both (a
    # service ruled out there, prices said of it): then the KB lists no scope
    limited = bool(restricting or (kb_out and not kb_out & kb_named))
    only_out = kb_out - kb_named  # ruled out and never named as covered
    said = [f for f in _read(answer) if not taken_by(f[1].start, f[1].end, taken)]
    added = _abroad_added(answer, canonical, kb, said, entry_id)
    if added is not None:
        return [added]
    a_out = _union(a for _, _, a, out in said if out)
    per_clause: dict[int, frozenset[str]] = {}
    for c, _, a, out in said:
        if not out:
            per_clause[id(c)] = per_clause.get(id(c), frozenset()) | a
    for c, m, areas, out in said:
        value = answer[m.start : m.end]
        if out:
            ruled = areas & kb_in - kb_out
            k = _kb_place(kb, ruled, ruled_out=False) if ruled else None
            if k is not None:
                return [_conflict(c, k, m, value, canonical, ruled, "rules out", entry_id)]
            continue
        covered = areas - a_out
        beyond = covered & only_out or (covered - kb_named if limited else frozenset())
        beyond -= _ABROAD
        if beyond:
            k = _kb_place(kb, beyond, ruled_out=True) or _kb_place(kb, kb_in, ruled_out=False)
            if k is not None:
                return [_conflict(c, k, m, value, canonical, beyond, "covers", entry_id)]
        if _ONLY.search(c.text.lower()):
            only = per_clause[id(c)] - a_out
            left = kb_in - only
            k = _kb_place(kb, left, ruled_out=False) if only < kb_in else None
            if k is not None:
                return [_conflict(c, k, m, value, canonical, left, "leaves out", entry_id)]
    return []


#: Abroad said beside a UK place in one phrase: "UK and European addresses", "any UK or EU
#: retailer", "UK and international delivery".
_BESIDE_UK = re.compile(
    r"\b(?:uk|united\s+kingdom|britain|great\s+britain|england)\s+(?:and|or|&)\s+(?:the\s+)?"
    r"(?P<abroad>european|europe|eu|international|overseas|worldwide|non-uk)\b",
    re.IGNORECASE,
)
_KB_ABROAD = re.compile(
    r"\b(?:europe|european|eu|international|overseas|worldwide|abroad|outside\s+the\s+uk|"
    r"other\s+countries|non-uk|ireland)\b",
    re.IGNORECASE,
)


def _abroad_added(
    answer: str,
    canonical: str,
    kb: list[tuple[Clause, _Mention, frozenset[str], bool]],
    said: list[tuple[Clause, _Mention, frozenset[str], bool]],
    entry_id: str | None,
) -> Conflict | None:
    """The answer puts abroad beside the UK place the KB names, and the KB names nowhere
    abroad at all: a place added to where the policy applies."""
    if _KB_ABROAD.search(canonical):
        return None
    m = _BESIDE_UK.search(answer)
    if m is None:
        return None
    k = _kb_place(kb, _UK, ruled_out=False)
    a = next((f for f in said if f[1].start <= m.start() < f[1].end), None)
    if (
        k is None
        or a is None
        or _CONDITIONAL_BEFORE.search(answer[max(0, m.start() - 40) : m.start()])
    ):
        return None
    mention = _Mention("region", "abroad", m.start(), m.end(), negated=False)
    return _conflict(
        a[0],
        k,
        mention,
        m.group(0),
        canonical,
        frozenset({"places outside the UK"}),
        "covers",
        entry_id,
    )


#: "Abroad" said by an answer is too loose to widen anything ("our overseas claims line").
_ABROAD = frozenset({"abroad"})


def _kb_place(
    kb: list[tuple[Clause, _Mention, frozenset[str], bool]],
    areas: frozenset[str],
    *,
    ruled_out: bool,
) -> tuple[Clause, _Mention] | None:
    """The KB clause and place name that says the KB's side about ``areas``."""
    return next(((c, m) for c, m, a, out in kb if out == ruled_out and a & areas), None)


def _conflict(
    a: Clause,
    kb_place: tuple[Clause, _Mention],
    m: _Mention,
    said: str,
    canonical: str,
    areas: frozenset[str],
    how: str,
    entry_id: str | None,
) -> Conflict:
    k, km = kb_place
    where = ", ".join(sorted(areas))
    if how == "covers":
        rest = f'the answer says "{said}", which takes in {where}, where the KB does not apply.'
    elif how == "leaves out":
        rest = f'the answer limits it to "{said}", leaving out {where}, which the KB covers.'
    else:
        rest = f"the answer rules out {where}, which the KB covers."
    return Conflict(
        kind="scope",
        answer_value=said,
        kb_value=canonical[km.start : km.end],
        answer_span=(m.start, m.end),
        kb_span=(k.start, k.start + len(k.text)),
        answer_text=a.text,
        kb_text=k.text,
        entry_id=entry_id,
        explanation=kb_says(entry_id, k.text, rest),
    )
