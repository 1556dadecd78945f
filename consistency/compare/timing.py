"""Before against after: the same step put on the other side of the same event.

"We apply for the grant after your survey" against "we apply for it before the survey";
"it pays out once your main claim has been settled" against "before the main claim is
settled". Each side's claim is read as (what happens, before/after, the event); the two
conflict when they say the same thing happens (a content word in common besides the
event) on opposite sides of the same event (a content word of the event in common), and
the KB never puts it on the answer's side anywhere.

Precision first: a clause with a negation on either side is left alone ("you can't
cancel after installation" says the KB's "before"), as are events that are clock times
(the time facts compare those); "after it" is the sentence's previous event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from consistency.compare.claims import said_instead, taken_by
from consistency.compare.lists import NEGATION, SENTENCE, content_stems
from consistency.models import Conflict

__all__ = ["timing_conflicts"]

_BEFORE = "before"
_AFTER = "after"
_RELATION = re.compile(
    r"\b(?:(?P<before>before|prior\s+to|ahead\s+of|in\s+advance\s+of)"
    r"|(?P<after>after|once(?!\s+(?:a|an|every|per|more|again|only)\b)|following"
    r"|as\s+soon\s+as))\s+",
    re.IGNORECASE,
)
#: "look after", "the following documents", "straight after that": no event.
_NOT_RELATION_BEFORE = re.compile(r"\b(?:look|looking|looked|take|the|than)\s*$", re.IGNORECASE)
_EVENT = re.compile(r"[^,.;:!?()]{1,60}?(?=[,.;:!?()]|\s(?:and|but|so|then|or|if)\s|$)")
_NOT_AN_EVENT = re.compile(
    r"^(?:then|which|and|or|but|so|\d|noon|midnight|\w+\s*(?:am|pm)\b)", re.IGNORECASE
)
#: A pronoun subject says nothing of the event ("before it's due" is about "due"); an
#: event that is only a pronoun ("after it") is the sentence's last event.
_PRONOUN = re.compile(r"^\s*(?:it's|it\s+is|it|that|this|them|they're|they)\b", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[,;]\s|\s(?:but|and|so)\s", re.IGNORECASE)
#: Event words too general to say two events are one: "date", "day".
_GENERAL = content_stems(
    "day days date dates time times week weeks month months year years working"
)


_NEAR = 200  # characters around a relation read for its clause and its step
_FULLY = 3  # event words in common that make two events one without a step in common


@dataclass(frozen=True)
class _Timed:
    relation: str
    span: tuple[int, int]
    event: frozenset[str]
    step: frozenset[str]  # what the sentence says happens, the event left out
    sentence: tuple[int, int]


def _timed(text: str) -> list[_Timed]:
    out: list[_Timed] = []
    for s in SENTENCE.finditer(text):
        s_start, s_end = s.span()
        whole = content_stems(text[s_start:s_end]) if s_end - s_start <= 2 * _NEAR else None
        last: frozenset[str] = frozenset()  # the sentence's last event, for "after it"
        for m in _RELATION.finditer(text, s_start, s_end):
            if _NOT_RELATION_BEFORE.search(text[max(0, m.start() - 12) : m.start()]):
                continue
            e = _EVENT.match(text, m.end(), s_end)
            if e is None or _NOT_AN_EVENT.match(e.group(0)):
                continue
            near = max(s_start, m.start() - _NEAR)  # bounded: linear time on long speech
            clause = max([near, *(b.end() for b in _CLAUSE_BREAK.finditer(text, near, m.start()))])
            if NEGATION.search(text, clause, e.end()):
                continue  # "you can't cancel after installation" says the KB's "before"
            event = content_stems(_PRONOUN.sub("", e.group(0))) - _GENERAL or last
            if not event:
                continue
            last = event
            around = content_stems(text[near : min(s_end, e.end() + _NEAR)])
            out.append(
                _Timed(
                    relation=_BEFORE if m.group("before") else _AFTER,
                    span=(m.start(), m.start() + len(text[m.start() : e.end()].rstrip())),
                    event=event,
                    step=(whole if whole is not None else around) - event,
                    sentence=(s_start, s_end),
                )
            )
    return out


#: Events at either end of one thing: "when the session ends" is not "as soon as you start
#: the session"; "when you reserve" is not "when you arrive".
_ENDS = [
    (content_stems("start starts started starting begin begins began beginning"),
     content_stems("end ends ended ending finish finishes finished stop stops stopped")),
    (content_stems("arrive arrives arrived arrival"),
     content_stems("leave leaves left depart departs departure")),
    (content_stems("reserve reserves reserved reservation book books booked booking"),
     content_stems("arrive arrives arrived arrival")),
    (content_stems("open opens opened"), content_stems("close closes closed")),
    (content_stems("order orders ordered dispatch dispatched"),
     content_stems("deliver delivers delivered delivery")),
]  # fmt: skip
_WHEN = re.compile(
    r"\b(?:when|whenever|as\s+soon\s+as|once|at\s+the\s+(?:start|end)\s+of)\s+"
    r"(?P<event>[^,.;:!?()]{2,60}?)(?=[,.;:!?()]|\s(?:and|but|so|then|or|if|rather)\s|$)",
    re.IGNORECASE,
)
_STEP_SHARED = 2  # content words the two sentences say besides their events, at least


def _denied(text: str, start: int, m: re.Match[str]) -> bool:
    """A negation in the clause of the step and its event ("isn't refunded if ...", after
    a comma or "and", is another claim)."""
    near = max(start, m.start() - _NEAR)
    clause = max([near, *(b.end() for b in _CLAUSE_BREAK.finditer(text, near, m.start()))])
    return bool(NEGATION.search(text, clause, m.end()))


def _event_and_step(
    text: str, sentence: tuple[int, int], m: re.Match[str]
) -> tuple[frozenset[str], frozenset[str]]:
    """The words of the event a "when" names, and of the rest of its sentence (the step)."""
    rest = text[sentence[0] : m.start()] + text[m.end() : sentence[1]]
    return content_stems(m.group(0)), content_stems(rest)


def _other_end(
    answer: str, canonical: str, entry_id: str | None, taken: list[tuple[int, int]] | None
) -> list[Conflict]:
    """The same step at the other end of one thing: "we take payment as soon as you start
    the session" against "we take payment when the session ends"."""
    kb = [
        (m, _event_and_step(canonical, s.span(), m), s.span())
        for s in SENTENCE.finditer(canonical)
        for m in _WHEN.finditer(canonical, *s.span())
        if not _denied(canonical, s.start(), m)
    ]
    if not kb:
        return []
    kb_said = content_stems(canonical)
    for s in SENTENCE.finditer(answer):
        for m in _WHEN.finditer(answer, *s.span()):
            if taken_by(m.start(), m.end(), taken) or _denied(answer, s.start(), m):
                continue
            event, step = _event_and_step(answer, s.span(), m)
            for k, (k_event, k_step), k_sentence in kb:
                if len((step & k_step) - event - k_event) < _STEP_SHARED:
                    continue
                ends = [
                    (one, other) for one, other in _ENDS
                    if (event & one and k_event & other and not event & other)
                    or (event & other and k_event & one and not event & one)
                ]  # fmt: skip
                if not ends or (event - k_event) & (ends[0][0] | ends[0][1]) & kb_said:
                    continue  # the KB says the answer's end of it too
                return [
                    said_instead(
                        "ordinal",
                        answer,
                        m.span(),
                        s.span(),
                        canonical,
                        k.span(),
                        k_sentence,
                        entry_id,
                    )
                ]
    return []


def timing_conflicts(
    answer: str,
    canonical: str,
    *,
    entry_id: str | None = None,
    taken: list[tuple[int, int]] | None = None,
) -> list[Conflict]:
    """One ordinal conflict where the answer puts a KB step on the other side of its event."""
    kb = _timed(canonical)
    if not kb:
        return _other_end(answer, canonical, entry_id, taken)
    for a in _timed(answer):
        if taken_by(*a.span, taken):
            continue
        # the same step at the same event; or an event said so fully that the step may be
        # said in other words ("it pays out" for "refunds your excess")
        same = [
            k
            for k in kb
            if k.event & a.event and (k.step & a.step or len(k.event & a.event) >= _FULLY)
        ]
        if not same or any(k.relation == a.relation for k in same):
            continue  # the KB says the answer's side too, or says nothing of this event
        k = max(same, key=lambda k: len(k.step & a.step))
        return [
            said_instead(
                "ordinal", answer, a.span, a.sentence, canonical, k.span, k.sentence, entry_id
            )
        ]
    return _other_end(answer, canonical, entry_id, taken)
