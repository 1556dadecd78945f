"""Who has to act: "you'll need to apply to us for it" against "you get it automatically,
without needing to apply"; "we automatically credit you" against "credits aren't automatic:
ask us within 30 days".

Whether something happens by itself or only when the customer asks is a yes/no a customer
acts on (they wait, or they miss out), and it is said in many ways that share no key with
each other: "automatically", "without needing to apply", "you don't need to send it back",
"no need to contact us" on one side; "you'll need to apply", "you have to claim it", "you
must return it", "restart it yourself", "isn't automatic" on the other.

A conflict needs one sentence of each side, about the same thing: the action the answer
requires is the one the KB says is not needed ("apply" / "without needing to apply"), or the
two sentences share two content words besides these markers. A KB that says both for the
thing (automatic for some, on request for others) and an answer that says both are left
alone; so is anything said under a condition the other side does not share ("if you paid by
cheque, you'll need to ...").
"""

from __future__ import annotations

import re
from collections.abc import Callable

from consistency.compare.claims import said_instead, taken_by
from consistency.compare.lists import SENTENCE, content_stems
from consistency.facts.polarity import stem
from consistency.models import Conflict

__all__ = ["automatic_conflicts"]


def _v(n: int) -> str:
    return rf"(?P<v{n}>[a-z]+)"


#: It happens without the customer: "automatically", "without needing to apply",
#: "you don't need to contact us", "no need to claim".
_BY_ITSELF = re.compile(
    r"\bautomatically\b|\b(?:is|are)\s+automatic\b"
    rf"|\bwithout\s+(?:you\s+)?(?:needing|having)\s+to\s+{_v(1)}"
    rf"|\b(?:you\s+)?(?:don't|do\s+not|won't|will\s+not|needn't)\s+(?:need|have)\s+to\s+{_v(2)}"
    rf"|\bno\s+need\s+(?:for\s+you\s+)?to\s+{_v(3)}",
    re.IGNORECASE,
)
#: The customer has to act: "you'll need to apply", "you must return it", "do it yourself",
#: "it isn't automatic".
_ON_REQUEST = re.compile(
    rf"\byou(?:'ll|\s+will|'d|\s+would)?\s+(?:need|have)\s+to\s+{_v(4)}"
    rf"|\byou\s+must\s+{_v(5)}|\b(?:isn't|aren't|is\s+not|are\s+not|not)\s+automatic\b"
    rf"|\b{_v(6)}\s+(?:it|them)\s+yourself\b"
    r"|\bplease\s+(?P<v7>call|contact|email|ring|phone|tell|write|apply|claim|ask)\b",
    re.IGNORECASE,
)
_NOT_AN_ACTION = frozenset(
    {"be", "have", "do", "pay", "wait", "keep", "know", "make", "give", "get", "go", "worry"}
)
#: Actions that ask for what would otherwise happen by itself: "apply", "claim", "call us".
_ASKING = frozenset(
    map(
        stem,
        [
            "apply",
            "claim",
            "ask",
            "request",
            "contact",
            "call",
            "ring",
            "phone",
            "email",
            "write",
            "tell",
            "confirm",
            "restart",
            "renew",
            "register",
            "enrol",
            "opt",
            "sign",
            "arrange",
            "submit",
            "book",
            "activate",
            "reactivate",
            "fill",
            "complete",
            "report",
            "notify",
        ],
    )
)
_CONDITION = re.compile(r"\b(?:if|unless|when|whenever|once|provided)\b", re.IGNORECASE)
_MARKERS = frozenset(
    content_stems("automatically automatic need needing needed have having must yourself")
)
_SHARED = 2


def _said(text: str) -> list[tuple[bool, re.Match[str], tuple[int, int]]]:
    """Each plain statement of who acts: (by itself?, the phrase, its sentence)."""
    out = []
    for s in SENTENCE.finditer(text):
        for by_itself, pattern in ((True, _BY_ITSELF), (False, _ON_REQUEST)):
            for m in pattern.finditer(text, s.start(), s.end()):
                verb = _word(m)
                if verb in _NOT_AN_ACTION:
                    continue
                out.append((by_itself, m, s.span()))
    return out


def _about(text: str, span: tuple[int, int]) -> frozenset[str]:
    return frozenset(content_stems(text[span[0] : span[1]]) - _MARKERS)


def _word(m: re.Match[str]) -> str:
    """The action a phrase names ("apply"), or "" when it names none ("automatically")."""
    return next((v.lower() for v in m.groupdict().values() if v), "")


def _verb(m: re.Match[str]) -> str:
    return stem(_word(m)) if _word(m) else ""


_Said = tuple[bool, re.Match[str], tuple[int, int]]


def _scorer(
    m: re.Match[str], about: frozenset[str], kb_about: dict[tuple[int, int], frozenset[str]]
) -> Callable[[_Said], int]:
    """How closely a KB statement speaks of the answer's: shared words, one more for the verb."""
    verb = _verb(m)

    def score(k: _Said) -> int:
        same_verb = bool(verb) and verb == _verb(k[1])
        return len(about & kb_about[k[2]]) + (1 if same_verb else 0)

    return score


def _same_action(a: re.Match[str], k: re.Match[str]) -> bool:
    """Whether two phrases can be about one action: the same verb, or verbs (or "it's
    automatic" with a verb) that ask for something; "you'll need to show your card" is no
    answer to "your card renews automatically"."""
    va, vk = _verb(a), _verb(k)
    if va and vk and va == vk:
        return True
    return all(v in _ASKING for v in (va, vk) if v) and bool(va or vk)


def _conditional(text: str, span: tuple[int, int]) -> bool:
    """Whether the sentence says it under a condition, before or after the phrase ("if you
    want to change it, you'll need to ...", "you'll need to call us if ...")."""
    return bool(_CONDITION.search(text, span[0], span[1]))


#: A condition's own words: up to four, to its clause's end ("once that's over [you'll ...]").
_CONDITION_WORDS = re.compile(r"(?:\s+(?!(?:you|we|they|it|i)(?:['’]\w+)?\b)[\w'’-]+){0,4}", re.I)


def _said_there(text: str, span: tuple[int, int], other: str, other_span: tuple[int, int]) -> bool:
    """Each condition of ``text``'s sentence names mostly what the other sentence says too:
    "once the pause ends" beside the KB's "restart automatically after the pause"."""
    said = content_stems(other[other_span[0] : other_span[1]])
    for c in _CONDITION.finditer(text, span[0], span[1]):
        words = content_stems(_CONDITION_WORDS.match(text, c.end()).group(0)) - _MARKERS
        if 2 * len(words & said) < len(words):
            return False  # a condition that names nothing ("once that's over") is the same
    return True


def automatic_conflicts(
    answer: str,
    canonical: str,
    *,
    entry_id: str | None = None,
    taken: list[tuple[int, int]] | None = None,
) -> list[Conflict]:
    """One polarity conflict where the answer and the KB disagree on who has to act."""
    kb = _said(canonical)
    if not kb:
        return []
    said = _said(answer)
    a_ways = {b for b, _, _ in said}
    if len(a_ways) != 1:
        return []  # nothing said, or both: "it's automatic, but you'll need to ..."
    kb_about = {span: _about(canonical, span) for _, _, span in kb}
    for by_itself, m, span in said:
        if taken_by(*m.span(), taken):
            continue
        score = _scorer(m, _about(answer, span), kb_about)
        kb_acts = [k for k in kb if _same_action(m, k[1])]
        if not kb_acts:
            continue
        best = max(kb_acts, key=score)
        if score(best) < _SHARED or best[0] == by_itself:
            continue  # about something else, or the KB says it the answer's way
        if any(k[0] == by_itself and score(k) >= score(best) for k in kb):
            continue
        if _conditional(canonical, best[2]) != _conditional(answer, span) and not (
            _said_there(answer, span, canonical, best[2])
            and _said_there(canonical, best[2], answer, span)
        ):
            continue  # one side says it under a condition the other does not
        return [
            said_instead(
                "polarity", answer, m.span(), span, canonical, best[1].span(), best[2], entry_id
            )
        ]
    return []
