"""Compare an answer with the canonical answer, or with another answer.

``compare_answer`` is the fact engine's verdict for one answer against one KB
entry: which facts agree, which differ (each a :class:`~consistency.models.Conflict`
with both values, both spans and an explanation), which answer facts the KB does
not mention, and which KB facts the answer leaves out. Status rules:

* any conflict -> ``contradiction``;
* no conflict and at least one supported KB fact -> ``consistent``;
* otherwise ``unverified``, with the reason in ``Comparison.reason``.

Conditions: when the answer states a KB fact that carries a condition ("free
for Volt Plus members") without that condition, or with another one, that is
a conflict of kind ``condition`` (for the families in ``DROPPED_FAMILIES``). A
condition the answer adds is not flagged; an answer that widens the scope
where the KB does not ("everyone", "anything", "even if", "no questions
asked") is. A member condition that is the subject of the KB sentence ("Volt
Plus members get ...") names the entry's audience, so an answer need not
repeat it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from consistency.compare.align import Alignment, align
from consistency.compare.automatic import automatic_conflicts
from consistency.compare.charged import charge_conflicts
from consistency.compare.claims import (
    about_the_rest,
    claim_conflicts,
    excepts,
    kb_agrees,
    kb_says,
    may_follow,
    only_if_unless,
    other_numbered_names,
    until_met,
)
from consistency.compare.included import included_conflicts
from consistency.compare.lists import content_stems, list_conflicts
from consistency.compare.members import member_conflicts
from consistency.compare.names import name_conflicts
from consistency.compare.narrowed import narrowed_conflicts
from consistency.compare.opposites import opposite_conflicts
from consistency.compare.order import order_conflicts
from consistency.compare.quantified import quantified_conflicts
from consistency.compare.regions import region_conflicts
from consistency.compare.required import requirement_conflicts
from consistency.compare.restricted import restriction_conflicts
from consistency.compare.roles import RoledFact, roles_for, stem
from consistency.compare.ruled_out import ruled_out_conflicts
from consistency.compare.sequence import sequence_conflicts
from consistency.compare.single import single_conflicts
from consistency.compare.slots import slot_conflicts
from consistency.compare.substituted import substitution_conflicts
from consistency.compare.swapped import swapped_conflicts
from consistency.compare.threshold import threshold_conflicts
from consistency.compare.timing import timing_conflicts
from consistency.compare.values import days_alone, relation
from consistency.compare.whichever import whichever_conflicts
from consistency.facts.base import FactRegistry
from consistency.facts.numbers import find_numbers
from consistency.facts.pipeline import facts_for, registry_or_default
from consistency.facts.render import render
from consistency.models import Comparison, Conflict, Fact

__all__ = [
    "AnswerFacts",
    "answer_facts",
    "compare_answer",
    "compare_facts",
    "explain",
    "facts_for",
    "prepare_canonical",
    "render",
]


def _conflict(
    a: Fact | None,
    k: Fact,
    entry_id: str | None,
    registry: FactRegistry | None,
    *,
    kind: str | None = None,
    answer_value: str | None = None,
    kb_value: str | None = None,
    kb_span: tuple[int, int] | None = None,
    kb_text: str | None = None,
    answer_span: tuple[int, int] | None = None,
    answer_text: str | None = None,
) -> Conflict:
    a_val = answer_value if answer_value is not None else render(a, registry) if a else ""
    k_val = kb_value if kb_value is not None else render(k, registry)
    conflict = Conflict(
        kind=kind or k.kind,
        answer_value=a_val,
        kb_value=k_val,
        answer_span=answer_span if answer_span is not None or a is None else a.span,
        kb_span=kb_span if kb_span is not None else k.span,
        answer_text=answer_text if answer_text is not None else (a.text if a else ""),
        kb_text=kb_text if kb_text is not None else k.text,
        entry_id=entry_id,
    )
    return conflict.model_copy(update={"explanation": _sentence(conflict)})


def _sentence(c: Conflict) -> str:
    where = f" ({c.entry_id})" if c.entry_id else ""
    if c.kind == "condition":
        if c.answer_span is None:
            return (
                f"The KB{where} says {c.kb_value}; the answer states {c.answer_value} "
                "without that condition."
            )
        return f"The KB{where} says {c.kb_value}; the answer says {c.answer_value}."
    if c.kind == "polarity":
        return f'The KB{where} says "{c.kb_text}"; the answer says the opposite: "{c.answer_text}".'
    return f"The KB says {c.kb_value}{where}; the answer says {c.answer_value}."


def explain(conflicts: list[Conflict] | tuple[Conflict, ...], entry_id: str | None = None) -> str:
    """One readable paragraph for a list of conflicts, one sentence each.

    Example:
        >>> from consistency.models import Conflict
        >>> c = Conflict(kind="duration", answer_value="14 days", kb_value="30 days",
        ...              answer_span=(0, 7), kb_span=(0, 7), answer_text="14 days",
        ...              kb_text="30 days")
        >>> explain([c], "returns-window")
        'The KB says 30 days (returns-window); the answer says 14 days.'
    """
    out = []
    for c in conflicts:
        if entry_id is not None and c.entry_id != entry_id:
            c = c.model_copy(update={"entry_id": entry_id})
            c = c.model_copy(update={"explanation": _sentence(c)})
        out.append(c.explanation or _sentence(c))
    return " ".join(out)


# -- conditions ------------------------------------------------------------------------

_CONTENT = re.compile(r"[A-Za-z][A-Za-z'&-]*")
_COND_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "if",
        "for",
        "on",
        "of",
        "to",
        "in",
        "at",
        "by",
        "with",
        "as",
        "is",
        "are",
        "be",
        "you",
        "your",
        "you're",
        "we",
        "our",
        "it",
        "its",
        "they",
        "them",
        "their",
        "who",
        "that",
        "this",
        "those",
        "these",
        "when",
        "where",
        "while",
        "unless",
        "except",
        "only",
        "provided",
        "long",
        "so",
    ]
)


def _content_stems(text: str) -> set[str]:
    return {stem(w) for w in _CONTENT.findall(text) if w.lower() not in _COND_STOP}


#: Audience words that restrict nothing on their own ("for customers who pay this way").
_ANYONE = frozenset(
    stem(w)
    for w in ["customers", "customer", "people", "person", "anyone", "someone", "anybody",
              "somebody", "everyone", "everybody", "clients", "client"]
)  # fmt: skip


_TAIL_END = re.compile(r"[.,;:!?]|\s(?:and|or|but|are|is|get|gets|can|pay|will|who\s+\w+\s+this)\b")


_POINTS_BACK = re.compile(
    r"\s+who\s+(?:\w+\s+(?:this|that)\s+(?:way|option|method|tariff|plan|service)|do(?:es)?\s+"
    r"(?:this|that|so))\b",
    re.IGNORECASE,
)


def _audience_tail(canonical: str, cond: Fact | None) -> str:
    """The narrowing words after an audience said only as "customers" ("customers aged 60
    or over" -> "aged 60 or over"); empty for any other condition, and for a tail that
    points back ("customers who pay this way": the entry's own topic, no restriction)."""
    if (
        cond is None
        or cond.unit != "member"
        or not set(stem(w) for w in _CONTENT.findall(str(cond.value))) <= _ANYONE
    ):
        return ""
    rest = canonical[cond.span[1] : cond.span[1] + 60]
    if _POINTS_BACK.match(rest):
        return ""
    end = _TAIL_END.search(rest, 1)
    return rest[: end.start() if end else len(rest)].strip()


def _tail_present(tail: str, said_stems: set[str], said_numbers: set[str]) -> bool:
    """Every word and number of an audience's narrowing words is said ("aged 60 or over"):
    stricter than :func:`_present`, since "over" alone says nothing of who."""
    words = {stem(w) for w in _CONTENT.findall(tail) if w.lower() not in _COND_STOP}
    return words <= said_stems and set(_DIGITS.findall(tail)) <= said_numbers


_DIGITS = re.compile(r"\d+")


def _present(qualifier: str, answer_stems: set[str], answer_conditions: set[str]) -> bool:
    """The answer states the qualifier: as a condition, or in its own words (numbers aside).

    Lenient on purpose: most of the qualifier's words, or its head word ("members"
    for "volt plus members"), is enough, because a dropped condition is only worth
    a flag when the answer plainly leaves it out.
    """
    if qualifier.lower() in answer_conditions:
        return True
    words = [stem(w) for w in _CONTENT.findall(qualifier) if w.lower() not in _COND_STOP]
    if not set(words) - _ANYONE:
        return True  # "anyone": the entry's audience, no restriction
    return words[-1] in answer_stems or len(set(words) & answer_stems) / len(set(words)) >= 0.5


#: Condition families whose absence from an answer is a conflict: who qualifies ("for
#: Volt Plus members"), a spending threshold, a period, the item's state ("as long as
#: it's unused") and extras ("subject to status"). Free-form clauses are not attached by
#: the condition extractor, so they are never reported as dropped. A region is not here:
#: "60 destinations outside the EU" names where the product works, and an answer that
#: leaves it out claims no other region (a region the answer changes is still compared).
DROPPED_FAMILIES: frozenset[str] = frozenset({"member", "threshold", "period", "state", "extra"})

# Words that widen a KB statement to everyone or everything: "anyone can try it",
# "10% off everything", "even if you've used it", "no questions asked".
_WIDENING = re.compile(
    r"\b(?:any(?:one|body)|every(?:one|body)(?!\s+else)|everything|anything(?!\s+else)|"
    r"all\s+(?:our|of\s+our)\s+\w+|whatever\s+the\s+reason|wherever|no\s+questions\s+asked|"
    r"even\s+if|regardless|no\s+matter)\b",
    re.IGNORECASE,
)
#: The same, said of a claim's circumstances; these count only beside a KB sentence that
#: restricts that claim (see :func:`_restricting_sentence`).
_WIDENING_CLAIM = re.compile(
    # a claim said to hold whatever the circumstance: "whichever delivery service you
    # choose", "whenever you return it", "whether or not the machine was working",
    # "planned or not", "it doesn't matter if", "on all orders"
    r"\b(?:whichever(?!\s+(?:comes|is|happens)\s+(?:first|sooner|later|earlier|last|greater|"
    r"higher|lower|less|more)\b)(?!\s+(?:you|they)(?:'d)?\s+(?:would\s+)?(?:prefer|like|choose|want)\b)|whenever|however\s+long|whether\s+or\s+not|whatever\s+(?:its|their|the|"
    r"your)\s+\w+|even\s+though|(?:planned|online|booked)\s+or\s+not"
    r"|(?:it\s+)?(?:doesn't|does\s+not|won't)\s+matter|doesn't\s+have\s+to\s+be"
    r"|whoever\s+(?:installed|fitted|supplied|sold|made|built)|either\s+way|whether\s+(?:[\w']+\s+){1,6}?or\s+(?!not\b)[\w']+"
    r"|any\s+(?:[\w-]+\s+){0,2}will\s+do"
    # "with or without signs of forced entry", "however strong it is", "having made a
    # claim doesn't affect the refund", "straight away without waiting for 8 weeks",
    # "if you move house at all"
    r"|even\s+(?:after|once|when|before)|with\s+or\s+without|however\s+(?!long\b|many\b|much\b|often\b)\w+(?=\s+(?:it|they|he|"
    r"she|your|the|this|that)\s)"
    # "however they're feeling", "whatever notice you give", "whatever fare you're on"
    r"|however\s+(?:you|they|he|she|it)(?:'re|\s+(?:are|is|feel|feels))\s+\w+"
    # "for any planned work, however short"
    r"|however\s+(?:short|small|minor|brief|little|few|low)\b"
    # "however much you've watched", "however many times you've used it"
    r"|however\s+(?:much|many(?:\s+times)?)(?=\s+(?:you|they|he|she|it|we)\b)"
    r"|whatever\s+[a-z]+(?:\s+[a-z]+)?(?=\s+(?:you|they|he|she|it|it's|its|your|their)\b)"
    r"|(?:in|under)\s+any\s+circumstances|even\s+with(?!out)\b|(?:doesn't|does\s+not|won't|will\s+not)\s+affect(?!\s+(?:you|your)\b)"
    # going first to what the KB keeps for later: "you can go to the Ombudsman straight away,
    # before we've sent our final response", "go straight to the appeals service"
    r"|(?:straight|right)\s+away(?=,?\s+(?:before|without)\b)|(?:go|take\s+it|refer\s+it|escalate\s+it)\s+"
    r"straight\s+to|\bfirst,?\s+before\s+(?:raising|contacting|telling|complaining|speaking)"
    r"|without\s+(?:waiting|having\s+to\s+wait)|(?<=\w\s)at\s+all(?=\s+(?:during|in|within|"
    r"before|after|while)\b|\s*[,.;!?]|\s*$)"
    r"|on\s+all\s+(?:orders|plans|tickets|bookings|items|products|policies|systems)"
    r"|any\s+(?:day|point|address|item|reason|size|service|operator|company|time)\b"
    r"(?:\s+(?:you\s+like|you\s+want|at\s+all|of\s+the\s+week))?)\b",
    re.IGNORECASE,
)
#: A widening that names what it widens: "whatever condition", "whichever delivery service".
_NAMES_WHAT = re.compile(r"(?:whatever|whichever)\s+(?!the\b|its\b|their\b|your\b)[a-z]", re.I)
#: "even if" after a requirement makes it stricter, not wider.
_STRICTER = re.compile(r"even\s+(?:if|when|though)\b", re.IGNORECASE)
_REQUIRED = re.compile(r"\b(?:must|need(?:s)?\s+to|ha(?:ve|s)\s+to)\b", re.IGNORECASE)
#: The KB gives it to each one: "each passenger", "every customer", "all guests".
_EACH = re.compile(
    r"\b(?:each|every|all)\s+(?:of\s+)?(?:our\s+|the\s+|your\s+)?(?:[a-z]+\s+)?(?:passenger|"
    r"customer|person|people|member|guest|patient|traveller|adult|child|children|tenant|resident|"
    r"student|user|client|household|account\s+holder)s?\b",
    re.IGNORECASE,
)
_RESTRICTED_AFTER = re.compile(
    # "everything apart from the delivery charge": the KB's exception, said
    r"\s+(?:apart\s+from|except|other\s+than|bar|but\s+(?:the|your))\b|"
    r"\s+(?:(?:that|which|who)\s+)?(?:you\s+|we\s+)?(?:bought|buy|purchased|ordered|order|"
    r"get|got|from|between|over|under|aged|who|with|on|in|before|after|until|up\s+to)\b"
    # a relative clause or "'s" that says which: "anything that's hire and reward",
    # "everything that came with them", "before anything's booked"
    r"|\s+that(?:'s|\s+\w+)|'s\b",
    re.IGNORECASE,
)
#: After "anyone", "anything": a relative clause a few words on ("anyone UK-based who's 21
#: or over"), a contact clause ("anything the plan doesn't cover") or a participle
#: ("anything missing from the inventory") says which.
_QUALIFIED_AFTER = re.compile(
    r"(?:\s+[\w-]+){1,2}?\s+(?:who|that|which|whose)\b"
    r"|\s+(?:the|your|our|this|its|their)\s+(?:[\w-]+\s+){0,2}?(?:doesn't|does\s+not|don't|"
    r"won't|can't|isn't|aren't|is|are|has|have|covers?|includes?|needs?)\b"
    r"|\s+\w+(?:ing|ed)\s+(?:from|in|on|with|to|by|at|for|before|after|under|over)\b"
    # an age: "anyone 16 or over", "anyone aged 40+", "anyone over 65"
    r"|\s+(?:aged\s+)?[\w-]+\s*(?:\+|or\s+(?:over|older|above|under|younger)\b)"
    r"|\s+(?:aged|over|under)\s+\d+",
    re.IGNORECASE,
)
_ANY_TIME = re.compile(r"any\s+(?:time|point|day)\b", re.IGNORECASE)
_ONE_END = re.compile(
    r"\s+(?:before|after|until|till|from)\b(?!\s+(?:then|that|this|it)\b)", re.IGNORECASE
)
_OF_AFTER = re.compile(r"\s+of\b", re.IGNORECASE)  # "anyone of state pension age"
#: Widenings that say "however it turns out"; a KB that says one of them widens too.
_WHATEVER = re.compile(r"\b(?:no\s+matter|regardless|however\s+(?:many|much|long|often))\b", re.I)
#: Where a clause starts, for a negation that covers a widening after it.
_CLAUSE_START = re.compile(r"[,;:]|\s[-–—]\s|\b(?:but|so|and\s+you|and\s+we)\b", re.I)
# after "anything"/"anyone", a relative clause: "anything you've overpaid"
_RELATIVE_AFTER = re.compile(
    r"\s+(?:that\s+|which\s+)?(?:you|we|they)(?:'ve|'re|'d|\s+have|\s+had)\s", re.IGNORECASE
)
_NEGATED_BEFORE = re.compile(r"(?:n't|\bnot|\bnever|\bwithout|\bno)\s+(?:\w+\s+){0,4}$", re.I)
# "if anything goes wrong", "in case anyone asks": a hypothetical, not a wider scope.
#: Alternatives the answer lays out itself, which a later "either way" spans.
_OWN_BRANCHES = re.compile(r"\b(?:if|otherwise|whether)\b", re.IGNORECASE)
# "if you need anything": the customer's case, however it is worded
_HYPOTHETICAL_BEFORE = re.compile(
    r"\b(?:if|in\s+case|should)\s+(?:(?:you|we|they)\s+(?:need|want|have|get)\s+)?$"
    # "before we order anything": the moment of a step, not a wider scope
    r"|\b(?:before|until|till)\s+(?:we|you|they|I)\s+\w+\s+$",
    re.I,
)

_RESTRICTING = re.compile(
    r"\b(?:for|to|only|exclusive|available|if|unless|provided|as\s+long\s+as|on|with)\W*$",
    re.IGNORECASE,
)


def _topic_conditions(canonical: str, facts: list[Fact]) -> set[str]:
    """KB member conditions that are the sentence's subject ("Volt Plus members get ...").

    Such a condition names who the whole entry is about; an answer to that entry
    that says "you get free returns" keeps it. Only "free *for* members" restricts
    one fact and must be stated.
    """
    out: set[str] = set()
    for f in facts:
        if f.kind != "condition" or f.unit != "member":
            continue
        before = canonical[max(0, f.span[0] - 25) : f.span[0]]
        if not _RESTRICTING.search(before):
            out.add(str(f.value).lower())
    return out


#: How much of the text after an audience word belongs to it ("anyone [aged 75 or over]").
_AUDIENCE_TAIL = 30
_AUDIENCE_AFTER = re.compile(r"\s+(?:aged|over|under|who|with|on\s+our)\b", re.IGNORECASE)


_YEAR = re.compile(r"\b(?:(?:a|one|1)\s+)?year\b")


def _one_period(condition: str) -> str:
    """A condition with a year said in months: "within the first year" is "within the
    first 12 months"."""
    return _YEAR.sub("12 months", condition)


def _condition_conflicts(
    alignment: Alignment,
    answer: str,
    canonical: str,
    answer_facts: list[Fact],
    kb_facts: list[Fact],
    entry_id: str | None,
    registry: FactRegistry | None,
    question: str = "",
) -> list[Conflict]:
    # a condition the customer states ("my Direct Debit rate") is the conversation's: the
    # answer that leaves it out has not dropped it
    answer_stems = _content_stems(answer) | _content_stems(question)
    said_numbers = set(_DIGITS.findall(f"{question} {answer}"))
    canonical_stems = _content_stems(canonical)
    answer_conditions = {str(f.value).lower() for f in answer_facts if f.kind == "condition"}
    kb_conditions = {str(f.value).lower() for f in kb_facts if f.kind == "condition"}
    kb_periods = {_one_period(c) for c in kb_conditions}
    topics = _topic_conditions(canonical, kb_facts)
    out: list[Conflict] = []
    seen: set[str] = set()
    # Only facts whose values agree: a fact already in conflict on its value is
    # reported once, not again for each condition it lacks.
    for a, k in alignment.supported:
        if a.fact.kind == "polarity":
            continue  # a claim's conditions are checked on its values
        for q in k.fact.qualifiers:
            key = q.lower()
            cond = next(
                (f for f in kb_facts if f.kind == "condition" and str(f.value).lower() == key),
                None,
            )
            # "customers" stands for "customers aged 60 or over": the words after it say who
            tail = _audience_tail(canonical, cond)
            if key in seen or key in topics:
                continue
            if (
                _tail_present(tail, answer_stems, said_numbers)
                if tail
                else _present(q, answer_stems, answer_conditions)
            ):
                continue
            if key == "everyone":
                continue  # leaving out "for everyone" narrows nothing
            if cond is not None and cond.unit not in DROPPED_FAMILIES | {"region"}:
                continue
            seen.add(key)
            kb_span = cond.span if cond is not None else k.fact.span
            kb_text = canonical[kb_span[0] : kb_span[1]]
            fact_value = render(k.fact, registry)
            # judged on the answer condition's own words ("anyone aged 75 or over"), not
            # only its value: the value keeps the audience and drops the rest ("everyone")
            said = {
                str(f.value): answer[f.span[0] : f.span[1] + _AUDIENCE_TAIL]
                for f in answer_facts
                if f.kind == "condition"
                and f.unit == "member"
                and _AUDIENCE_AFTER.match(answer, f.span[1])
            }
            changed = [
                x
                for x in a.fact.qualifiers
                if x.lower() not in kb_conditions
                and _one_period(x.lower()) not in kb_periods
                and not _present(x, canonical_stems, kb_conditions)
                and not _present(said.get(x, x), canonical_stems, kb_conditions)
            ]
            if changed:
                alt = changed[0]
                alt_fact = next(
                    (f for f in answer_facts if f.kind == "condition" and f.value == alt), None
                )
                span = alt_fact.span if alt_fact is not None else a.fact.span
                out.append(
                    _conflict(
                        a.fact,
                        k.fact,
                        entry_id,
                        registry,
                        kind="condition",
                        answer_value=f"{render(a.fact, registry)} ({alt})",
                        kb_value=f"{fact_value} ({q})",
                        kb_span=kb_span,
                        kb_text=kb_text,
                        answer_span=span,
                        answer_text=answer[span[0] : span[1]],
                    )
                )
            elif (
                (cond is None or cond.unit in DROPPED_FAMILIES)
                and not _states_own_condition(
                    answer, a.fact, answer_facts, canonical, kb_span, sorted(kb_conditions - {key})
                )
                and not _qualifies(answer, a.fact)
            ):
                out.append(
                    _conflict(
                        None,
                        k.fact,
                        entry_id,
                        registry,
                        kind="condition",
                        answer_value=render(a.fact, registry),
                        kb_value=f"{fact_value} ({q})",
                        kb_span=kb_span,
                        kb_text=kb_text,
                        answer_text="",
                    )
                )
    return out


_QUALIFIES = re.compile(r"\b(?:qualif(?:y|ies|ied)|eligible|entitled)\b", re.IGNORECASE)


def _qualifies(answer: str, fact: Fact) -> bool:
    """ "That's £6,000, so you'd qualify for 10% off": the answer has checked the KB's
    condition against the customer's case; it has not dropped it."""
    start, _ = _sentence_of(answer, fact.span[0])
    return _QUALIFIES.search(answer, start, fact.span[0]) is not None


# words by which a KB restricts a statement without a condition clause
#: An exclusion narrows what a KB answer covers as surely as "only": "we don't cover homes
#: where clients visit regularly".
_EXCLUDING = (
    r"(?:don't|do\s+not|won't|will\s+not|can't|cannot)\s+(?:cover|pay|insure|accept|refund)"
    r"|(?:isn't|is\s+not|aren't|are\s+not)\s+(?:covered|included|eligible|refunded)"
)
_RESTRICTIVE = re.compile(
    r"\b(?:only|selected|some|most|many|certain|eligible|except|excluding|apart\s+from|"
    r"not\s+all|must|ha(?:ve|s)\s+to|at\s+least\s+one|up\s+to\s+\d+\s+(?:hours?|days?|weeks?)\s+before)\b"
    # a time after which it is denied: "it can't be added once you've driven away"
    r"|\b(?:can't|cannot|can\s+not)\s+(?:be\s+)?\w+\s+(?:[\w']+\s+){0,3}?(?:once|after|before|until)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?;](?=\s|$)")  # a clause of a KB answer ends at ";" too


def _sentence_of(text: str, pos: int) -> tuple[int, int]:
    """The ``(start, end)`` of the sentence of ``text`` that holds ``pos``."""
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.end() <= pos:
            start = m.end()
        else:
            return start, m.end()
    return start, len(text)


def _states_own_condition(
    answer: str,
    fact: Fact,
    answer_facts: list[Fact],
    canonical: str,
    kb_span: tuple[int, int],
    others: list[str],
) -> bool:
    """The answer's sentence with ``fact`` states a condition that is not one of the KB's
    other conditions: the KB's own, in other words ("free if you're 75 or over" for
    "free for customers aged 75 or over"), or another one the KB does not state, which is
    too unsure to call left out. "if you order by 10pm", a condition the KB states in
    another sentence or one the KB names beside it ("on orders over £100"), does not
    count: the one that goes with it is still left out."""
    start, end = _sentence_of(answer, fact.span[0])
    k_start, k_end = _sentence_of(canonical, kb_span[0])
    near = _content_stems(canonical[k_start:k_end])
    anywhere = _content_stems(canonical)
    for f in answer_facts:
        if f.kind != "condition" or not start <= f.span[0] < end:
            continue
        own = _content_stems(str(f.value))
        if any(
            _present(k, own, set()) or _present(str(f.value), _content_stems(k), set())
            for k in others
        ):
            continue  # one of the KB's other conditions, kept
        if _present(str(f.value), near, set()) or not _present(str(f.value), anywhere, set()):
            return True
    return False


def _widening_conflicts(
    answer: str,
    canonical: str,
    kb_facts: list[Fact],
    alignment: Alignment,
    entry_id: str | None,
) -> list[Conflict]:
    """The answer widens the KB's scope ("everyone", "anything", "even if") where the KB
    does not: reported as a changed condition, against the KB's first condition if any."""
    canon = canonical.lower()
    # an exclusion alone ("we don't cover homes where clients visit") narrows only the
    # claim of its own sentence: a widening counts there and nowhere else
    narrow = any(f.kind == "condition" for f in kb_facts) or _RESTRICTIVE.search(canonical)
    # a KB can narrow by naming whom a claim is for ("Campus Card holders get 15% off"): an
    # answer that says it holds for either case is held against that name
    named_only = not narrow and not re.search(_EXCLUDING, canonical, re.IGNORECASE)
    if named_only and not _EITHER.search(answer):
        return []  # the KB states no narrower scope for the answer to widen
    aligned = [a.fact for a, _ in [*alignment.supported, *alignment.conflicts]]
    found = sorted(
        [(m, False) for m in _WIDENING.finditer(answer)]
        + [(m, True) for m in _WIDENING_CLAIM.finditer(answer)],
        key=lambda t: t[0].start(),
    )
    for m, of_claim in found:
        start, end = _sentence_of(answer, m.start())
        # Only a widening of a claim the answer makes about this entry counts: "I've
        # added a note so anyone you speak to can see it" widens nothing of the KB's.
        # The claim is the entry's when one of its facts is in the sentence, or when the
        # sentence says most of what a KB sentence that restricts it says.
        said = answer[start : m.start()] + answer[m.end() : end]
        either = bool(_EITHER.match(m.group(0)))
        if named_only and not either:
            continue
        tail = (_EITHER_TAIL if either else _PHRASE_TAIL).match(answer, m.end())
        about = tail.group(0) if tail else ""
        if _NAMES_WHAT.match(m.group(0)):
            # "whatever condition it's in": the widening names what it is about itself
            about = f"{m.group(0).split(maxsplit=1)[-1]} {about}"
        sides = _SIDES.match(m.group(0) + about)
        if sides:  # "whether they're opened or unopened"
            own = _own_words(sides.groups())
            if _names_both(own, canonical):
                continue  # the KB names both: "whether it's a multibuy or a price cut"
            named = [side for side, words in zip(sides.groups(), own, strict=True)
                     if words and words <= content_stems(canonical)]  # fmt: skip
            about = named[0] if len(named) == 1 else sides.group(0)[len("whether") :]
        restricted = _restricting_sentence(said, canonical, about, either=either)
        if restricted is None:
            # an aside after a dash is another statement: "..., whoever installed it - just
            # book it with customer care"
            c_start, c_end = _aside_bounds(answer, start, end, m.start())
            if (c_start, c_end) != (start, end):
                said = answer[c_start : m.start()] + answer[m.end() : c_end]
                restricted = _restricting_sentence(said, canonical, about, either=either)
        if restricted is None and (
            of_claim or not narrow or not any(start <= f.span[0] < end for f in aligned)
        ):
            continue
        word = m.group(0).lower()
        if re.search(rf"\b(?:{_widening_pattern(word)})", canon) and not (
            word == "whenever" and not _kb_says_when(answer, m.end(), canon)
        ):
            continue  # the KB says it too: "there's no need to be retired"
        if word == "whenever" and _any_time_plainly(canon):
            continue  # "cancel whenever you like" where the KB says "cancel at any time"
        if word == "wherever" and _kb_says_when(answer, m.end(), canon, r"anywhere|wherever"):
            continue  # "anywhere the rest of our catalogue is available"
        before = answer[max(0, m.start() - 40) : m.start()]
        if _NEGATED_BEFORE.search(before):
            continue  # "you won't pay anything", "don't share your password with anyone"
        clause = answer[start : m.start()]
        cut = [c.end() for c in _CLAUSE_START.finditer(clause)]
        if _NEGATION.search(clause, max(cut, default=0)):
            continue  # "we don't cover food delivery at all or anything that's for hire"
        if _WHATEVER.match(m.group(0)) and _WHATEVER.search(canonical):
            continue  # "no matter how many items" for the KB's "however many items you buy"
        if _HYPOTHETICAL_BEFORE.search(before):
            continue  # "if anything goes wrong, just reply"
        if _STRICTER.match(m.group(0)) and _REQUIRED.search(clause, cut[-2] if len(cut) > 1 else 0):
            continue  # "under-12s need to travel with an adult, even if they're met": stricter
        if m.group(0).lower() in ("everyone", "everybody") and _EACH.search(canonical):
            continue  # the KB's "each passenger gets a voucher"
        if m.group(0).lower().startswith("either") and _OWN_BRANCHES.search(answer, 0, m.start()):
            continue  # "if you're switching ...; otherwise ... 30 days' notice either way"
        if (
            _RESTRICTED_AFTER.match(answer, m.end())
            # "at any time after the tenancy ends" bounds one end only: still no limit
            and not (_ANY_TIME.match(m.group(0)) and _ONE_END.match(answer, m.end()))
        ) or (
            m.group(0).lower().startswith(("any", "every"))
            and (
                _RELATIVE_AFTER.match(answer, m.end())
                or _OF_AFTER.match(answer, m.end())
                or _QUALIFIED_AFTER.match(answer, m.end())
            )
        ):
            continue  # "anything bought between 1 November and 24 December"
        conds = [f for f in kb_facts if f.kind == "condition"]
        if word in ("everything", "anything") and conds and all(_of_you(c) for c in conds):
            continue  # "keep everything cold" widens no "if you're out for the day"
        if restricted is not None:
            # the restricting sentence's own condition, else the sentence itself
            inside = [f for f in conds if restricted[0] <= f.span[0] < restricted[1]]
            kb_span = restricted
            kb_text = canonical[restricted[0] : restricted[1]].strip()
            kb_value = str(inside[0].value) if inside else kb_text
        else:
            cond = conds[0] if conds else None
            kb_span = cond.span if cond is not None else None
            kb_text = canonical[kb_span[0] : kb_span[1]] if kb_span else ""
            kb_value = str(cond.value) if cond is not None else "a narrower scope"
        conflict = Conflict(
            kind="condition",
            answer_value=m.group(0),
            kb_value=kb_value,
            answer_span=m.span(),
            kb_span=kb_span,
            answer_text=m.group(0),
            kb_text=kb_text,
            entry_id=entry_id,
        )
        if restricted is not None:
            tail = (_EITHER_TAIL if either else _PHRASE_TAIL).match(answer, m.end())
            stop = tail.end() if tail is not None else m.end()
            shown = answer[m.start() : stop]
            why = kb_says(entry_id, kb_text, f'the answer says "{shown}", without that limit.')
            return [
                conflict.model_copy(
                    update={
                        "answer_value": shown,
                        "answer_text": shown,
                        "answer_span": (m.start(), stop),
                        "explanation": why,
                    }
                )
            ]
        return [conflict.model_copy(update={"explanation": _sentence(conflict)})]
    return []


_YOU = re.compile(r"\byou(?:r|'re|'ve|'ll|'d)?\b", re.IGNORECASE)


def _of_you(cond: Fact) -> bool:
    """A condition on the customer's own situation ("if you're out for the day")."""
    return _YOU.search(cond.text or "") is not None


def _own_words(sides: tuple[str, ...]) -> list[frozenset[str]]:
    """The content stems of each side of "whether A or B" that the other does not say."""
    stems = [content_stems(side) for side in sides]
    return [s - frozenset().union(*(t for t in stems if t is not s)) for s in stems]


def _names_both(own: list[frozenset[str]], canonical: str) -> bool:
    """A KB clause names each side of "whether A or B" (by its own words) and denies
    neither ("applies to price cuts and multibuy offers"); one that gives them opposite
    outcomes does not."""
    for part in _PART.split(canonical):
        said = content_stems(part)
        if all(words and words <= said for words in own) and not _NEGATION.search(part):
            return True
    return False


#: The parts of a KB answer that each make one claim: "This applies to price cuts and
#: multibuy offers | but not to Rewards bonus points".
_PART = re.compile(r"[.!?;](?=\s|$)|,\s|\s(?:but|except|although|though)\s", re.IGNORECASE)


def _any_time_plainly(canon: str) -> bool:
    """The KB says "at any time" in a sentence with no case of its own: "you can cancel at
    any time in the app" (not "move at any time, as long as one is available")."""
    return any(
        not _NARROWING.search(canon[s:e])
        for s, e in (_sentence_of(canon, m.start()) for m in _ANY_TIME_SAID.finditer(canon))
    )


_ANY_TIME_SAID = re.compile(r"\b(?:at\s+any\s+time|anytime)\b", re.IGNORECASE)


def _kb_says_when(answer: str, at: int, canon: str, word: str = "when") -> bool:
    """ "whenever the prescription changes" where the KB says "when the prescription
    changes", "wherever the rest of our catalogue is" where it says "anywhere the rest of
    our catalogue is available": the same occasion or place, no widening."""
    tail = _PHRASE_TAIL.match(answer, at) or _EITHER_TAIL.match(answer, at)
    about = set(content_stems(tail.group(0))) if tail else set()
    return bool(about) and any(
        about <= set(content_stems(canon[w.end() : w.end() + 60]))
        for w in re.finditer(rf"\b(?:{word})\b", canon)
    )


#: A KB that says one of these says the answer's "any time", "any reason" or "any day" too.
_SAME_WIDENING = {
    # "24 hours a day", "24-hour cover"; not "up to 24 hours before collection"
    "any time": r"any\s*time|24/7|24\s+hours\s+a\s+day|24-hour|round\s+the\s+clock",
    "any point": r"any\s*point|any\s*time|24/7",
    "any reason": r"any\s+reason|whatever\s+the\s+reason|regardless\s+of\s+the\s+reason",
    "any day": r"any\s+day|every\s+day|7\s+days\s+a\s+week|seven\s+days\s+a\s+week",
    # "it doesn't matter where they were bought": the KB's "they don't have to have been
    # bought from us" lifts the same limit
    "matter": r"matter|(?:don't|doesn't|do\s+not|does\s+not)\s+(?:have|need)\s+to|needn't"
    r"|no\s+need",
}


def _widening_pattern(phrase: str) -> str:
    """What the KB says when it widens the same way, as a pattern (see :func:`_widening_key`)."""
    key = _widening_key(phrase)
    words = phrase.lower().split()
    if key == "all" and len(words) > 1:
        # "all of our vehicles" widens nothing the KB's "every vehicle in our fleet" does not
        noun = re.sub(r"(?:es|s)$", "", words[-1])[:_NOUN_PREFIX]
        return rf"(?:all|every|each)\s+(?:of\s+)?(?:(?:our|the|your)\s+)?(?:[\w-]+\s+)?{re.escape(noun)}"
    return _SAME_WIDENING.get(key, re.escape(key))


_NOUN_PREFIX = 5  # letters of a noun that name it in any form ("vehicles", "every vehicle")


def _widening_key(phrase: str) -> str:
    """The word of a widening the KB would say too if it widened the same way: "need" of
    "no letter needed", "matter" of "doesn't matter", else the first word."""
    words = phrase.lower().split()
    if words[0] == "whenever":
        return "when"  # see _kb_says_when
    if words[0] in ("everything", "everyone", "everybody"):
        return "every"  # the KB's "return every key" says "everything" too
    for key in ("need", "matter", "whether", "either", "without"):
        if any(w.startswith(key) for w in words):
            return key
    if words[0] == "any" and len(words) > 1:
        return f"any {words[1]}"  # "at any time": the KB's "any undisputed part" is not it
    return words[0]


#: Words that narrow a KB sentence's claim to some cases.
_NARROWING = re.compile(
    r"\b(?:only|must|ha(?:ve|s)\s+to|if|unless|as\s+long\s+as|provided|subject\s+to|"
    r"needs?|required|requires|except|as\s+standard|whose|who|once|until|"
    r"up\s+to\s+\d+|" + _EXCLUDING + r")\b",
    re.IGNORECASE,
)
#: A KB sentence that names the other case too: "members and non-members", "planned or not".
_OTHER_CASE = re.compile(r"\bnon-|\bor\s+not\b|\bor\s+without\b", re.IGNORECASE)
#: A widening said of either case: "whether or not you ...", "with or without signs of ...".
_EITHER = re.compile(
    r"(?:whether|with\s+or\s+without|regardless|(?:planned|online|booked)\s+or\s+not)\b", re.I
)
_SIDES = re.compile(r"whether\s+(?!or\b)(.+?)\s+or\s+(.+)", re.IGNORECASE)
#: What such a widening is about, up to ten words: "regardless of whether anyone else in the
#: household could do the gardening".
_EITHER_TAIL = re.compile(
    r"(?:\s+[\w'£][\w'£-]*){1,10}?(?=[,.;!?]|\s+(?:and|but|so|as)\b|\s+[-–—](?:\s|$)|$)"
)
#: Content words an answer sentence must share with a restricting KB sentence, and the
#: share of the answer's words they must be, before the widening is about that sentence.
_WIDENED_SHARED = 2
_WIDENED_SHARE = 0.4


#: The words after a widening that say what it widens: "whichever delivery service you choose".
_PHRASE_TAIL = re.compile(
    r"(?:\s+[\w'£][\w'£-]*){1,4}?(?=[,.;!?]|\s+(?:and|but|so|as)\b|\s+[-–—](?:\s|$)|$)"
)
_PARTICLES = frozenset({"yes", "yeah", "no", "per", "sorry"})


#: A pronoun with its verb ("they're", "you've") names nothing a widening is about.
_PRONOUN_VERB = re.compile(r"\b(?:they|we|you|i|he|she)['’](?:re|ve|ll|d|m|s)\b", re.IGNORECASE)
_ASIDE = re.compile(r"\s[-–—]\s|[;:]\s")


def _aside_bounds(text: str, start: int, end: int, pos: int) -> tuple[int, int]:
    """The part of the sentence ``[start, end)`` around ``pos`` between dashes or colons."""
    left = max([start, *(m.end() for m in _ASIDE.finditer(text, start, pos))])
    right = _ASIDE.search(text, pos, end)
    return left, right.start() if right else end


#: A sentence that speaks of the one before it by a pronoun.
_GOES_ON = re.compile(
    r"\s*(?:it|they|this|these|both|either)\b(?!\s+(?:is|are)\s+(?:also\s+)?(?:a|an|the)\b)", re.I
)


def _restricting_sentence(
    said: str, canonical: str, tail: str = "", *, either: bool = False
) -> tuple[int, int] | None:
    """The span of a KB sentence that narrows its claim and says most of what ``said``
    says ("weekly seasons can be refunded only if at least 3 days remain" for "weekly
    seasons can be refunded at any point"), or ``None``. A KB sentence that names all of
    what the widening is about ("whether or not *the car was locked*" for "theft is only
    covered if the car was locked") needs less of the rest in common. Said of either case
    (``either``: "whether or not you have a Blue Light Card"), a KB sentence that names half
    of it narrows the claim by naming it, whatever its other words ("Blue Light Card holders
    get 10% off")."""
    own = set(content_stems(said)) - _PARTICLES
    if not own:
        return None
    about = set(content_stems(_PRONOUN_VERB.sub(" ", tail))) - _PARTICLES
    best: tuple[tuple[bool, bool, bool, int], tuple[int, int]] | None = None
    naming: tuple[int, int] | None = None  # a narrowing sentence that names all of ``about``
    pos = 0
    before: frozenset[str] = frozenset()
    for m in [*_SENTENCE_END.finditer(canonical), None]:
        stop = m.end() if m is not None else len(canonical)
        sentence = canonical[pos:stop]
        stems = content_stems(sentence)
        if _GOES_ON.match(sentence):
            # "It can't be added once you've driven away": "it" is the sentence before's
            stems, before = stems | before, stems
        else:
            before = stems
        narrowing = bool(_NARROWING.search(sentence))
        # named by most of its words, or by half beside a word that narrows
        by_name = (
            either
            and bool(about)
            and (2 if narrowing else 3) * len(about & stems) >= (1 if narrowing else 2) * len(about)
            and not _OTHER_CASE.search(sentence)
        )
        if by_name or narrowing:
            shared = len(own & stems)
            named = by_name or (len(about) >= _WIDENED_SHARED and about <= stems)
            if (
                shared >= _WIDENED_SHARED
                and (named or shared / len(own) >= _WIDENED_SHARE)
                and (best is None or (named, bool(about & stems), narrowing, shared) > best[0])
            ):
                # the sentence that names what the widening is about, then the closest
                best = (
                    (named, bool(about & stems), narrowing, shared),
                    (pos + len(sentence) - len(sentence.lstrip()), stop),
                )
        if narrowing and about and about <= stems and naming is None:
            naming = (pos + len(sentence) - len(sentence.lstrip()), stop)
        pos = stop
    if best is not None and not best[0][1] and naming is not None:
        return naming  # "the item must be in as-new condition" for "whatever condition"
    return best[1] if best else None


# -- sanity checks on a conflict before it is reported ------------------------------------

_NEGATION = re.compile(
    r"\b(?:not|no|never|cannot|can't|cant|don't|dont|won't|wont|isn't|aren't|doesn't|"
    r"didn't|haven't|hasn't|shouldn't|wouldn't|couldn't|unable|nobody|nothing|none|nor)\b|n't\b",
    re.IGNORECASE,
)


# idioms with a negation word that negate nothing: "no problem", "no worries"
_NOT_NEGATIONS = re.compile(
    r"\bno\s+(?:problem|problems|worries|worry|bother|trouble)\b|\bnot\s+a\s+problem\b"
    r"|\bnot\s+at\s+all\b|\bno\s+questions\s+asked\b",
    re.IGNORECASE,
)


#: Where a KB sets a thing aside: "not on plasterboard", "except the Channel Islands".
_SET_ASIDE = re.compile(
    r"\b(?:not|never|except|excluding|apart\s+from|other\s+than)\s+((?:[\w'-]+\s+){0,5}[\w'-]+)",
    re.IGNORECASE,
)
_CLAUSE_STOP = re.compile(r"[,;:.!?]|\s[-–—]\s|\b(?:and|but|so|because|as)\b", re.IGNORECASE)


def _kb_rules_out(answer: str, span: tuple[int, int], canonical: str) -> bool:
    """The answer denies its claim of a thing the KB sets aside by name: "we couldn't mount
    it on plasterboard" against "we only mount on brick ..., not on plasterboard". The
    denial is the KB's own, read where the KB says it, not against the claim it narrows."""
    stop = _CLAUSE_STOP.search(answer, span[1])
    named = content_stems(answer[span[1] : stop.start() if stop else len(answer)])
    if not named:
        return False
    return any(named <= content_stems(m.group(1)) for m in _SET_ASIDE.finditer(canonical))


def _to_clause_end(text: str, span: tuple[int, int]) -> str:
    """A fact's text and the rest of its clause (where a package's number often follows)."""
    end = _SENTENCE_END.search(text, span[1])
    return text[span[0] : end.start() if end else len(text)]


def _credible(a: Fact, k: Fact, answer: str, canonical: str = "") -> bool:
    """Whether a pairing is solid enough to report as a conflict.

    * Polarity: the answer's claim must read as its value on its own words: one
      negation for a negated claim, none for an affirmed one. "no unfortunately we
      don't deliver" (two) or a negation borrowed from a neighbouring clause (none
      in a negated claim) is too unsure to hold against an agent.
    * Email and URL: spoken addresses lose their first word to the speech
      recogniser's spacing ("price match at voltstream dot co dot uk"); when the
      words right before the answer's address complete the KB's, it is the same.
    """
    if a.kind == "polarity":
        if canonical and only_if_unless(answer, a.span[0], canonical, k.span[0]):
            return False  # "we only accept returns if faulty" / "... can't ... unless faulty"
        negations = len(_NEGATION.findall(_NOT_NEGATIONS.sub(" ", a.text)))
        if other_numbered_names(_to_clause_end(answer, a.span), _to_clause_end(canonical, k.span)):
            return False  # "only on Full Fibre 500" beside "not on Full Fibre 150"
        if about_the_rest(a.text) or about_the_rest(k.text):
            return False  # "we don't charge any other fees" is silent on the interest
        if canonical and until_met(
            _to_clause_end(answer, a.span), _to_clause_end(canonical, k.span)
        ):
            return False  # "you don't pay until you collect" / "paid when you collect"
        if canonical and may_follow(canonical, k.span[0]):
            return False  # "..., as delays can mean we miss the deadline": no policy claim
        if canonical and _named_elsewhere(a, k, canonical):
            return False
        if a.value and not k.value and canonical and _excepted(a, k, answer, canonical):
            return False  # "we deliver every day apart from Christmas Day"
        if not a.value and k.value and canonical and _kb_rules_out(answer, a.span, canonical):
            return False  # "we couldn't mount it on plasterboard": "..., not on plasterboard"
        if (a.subject or "").startswith("fee") and (
            _WAIVED.search(_around(answer, a.span)) or _WAIVED.search(_around(canonical, k.span))
        ):
            return False  # "we waive any early termination charge" says no charge: unsure
        if (a.subject or "").startswith("fee"):
            # "isn't free" affirms a charge: its negation denies "free", not the charge
            negations -= len(_NOT_FREE.findall(a.text))
        return negations == (0 if a.value else 1)
    if a.kind in ("email", "url") and isinstance(a.value, str) and isinstance(k.value, str):
        return not _spelt_out(answer, a.span, k.value)
    # "on 2 screens, and Premium on 4": the KB says four, its noun left out
    return not (a.kind == "count" and canonical and _said_bare(a.value, canonical))


#: A bound or an age before a number: "babies under 2," is no count left without its noun.
_BOUND_BEFORE = re.compile(
    r"\b(?:under|over|aged?|than|least|most|to|from|up\s+to|below|above)\s+$", re.IGNORECASE
)
#: What may follow a number whose noun is left out: the clause ends ("and Premium on 4.").
_BARE_END = re.compile(r"\s*(?:[.,;:!?)]|$|\s(?:and|or|but|each|too|instead)\b)", re.IGNORECASE)


def _said_bare(value: object, canonical: str) -> bool:
    """The KB says ``value`` as a number with its noun left out, which the count facts
    cannot read: an answer that names the noun says the KB's number, not another."""
    return any(
        t.value == value
        and not t.ordinal
        and _BARE_END.match(canonical, t.span[1])
        and not _BOUND_BEFORE.search(canonical, max(0, t.span[0] - 12), t.span[0])
        for t in find_numbers(canonical)
    )


_WAIVED = re.compile(r"\bwaiv(?:e|es|ed|ing)\b", re.IGNORECASE)


def _around(text: str, span: tuple[int, int], before: int = 30) -> str:
    """A fact's words with a few before them."""
    return text[max(0, span[0] - before) : span[1]] if text else ""


def _excepted(a: Fact, k: Fact, answer: str, canonical: str) -> bool:
    """The answer's claim names the KB's denied case as its exception: "we deliver every day
    apart from Christmas Day" says the KB's "we don't deliver on Christmas Day"."""
    said = answer[slice(*_sentence_of(answer, a.span[0]))]
    return excepts(said, canonical[slice(*_sentence_of(canonical, k.span[0]))])


def _named_elsewhere(a: Fact, k: Fact, canonical: str) -> bool:
    """One verb and one head, each claim naming a thing the other does not, and the KB
    naming the answer's in another sentence: "you can pay by debit card" is the KB's "or by debit
    card", not a denial of "we don't accept credit cards" (the KB's claims are read further
    than their roles reach)."""
    wa, wk = (a.subject or "").split(), (k.subject or "").split()
    if not wa or not wk or wa[0] != wk[0] or wa[0] == "fee":
        return False
    own, theirs = set(wa[1:]) - set(wk[1:]), set(wk[1:]) - set(wa[1:])
    if not own or not theirs or not set(wa[1:]) & set(wk[1:]):
        return False  # siblings share their head: a debit card and a credit card
    start, end = _sentence_of(canonical, k.span[0])
    rest = canonical[:start] + " " + canonical[end:]
    return bool(own & {stem(w) for w in re.findall(r"[A-Za-z]+", rest)})


_NOT_FREE = re.compile(
    # "delivery isn't free yet" is the customer's basket, not the KB's rule
    r"\b(?:isn't|is\s+not|aren't|are\s+not|not|never)\s+(?:\w+\s+)?free\b"
    r"(?!\s+(?:to|yet|until|unless|if|for\s+you)\b)",
    re.IGNORECASE,
)
_SPOKEN_SYMBOL = re.compile(
    r"\b(?:forward\s+slash|slash|dot|at|dash|hyphen|underscore)\b|[^a-z0-9]", re.IGNORECASE
)
_SYMBOLS = {"forward slash": "/", "slash": "/", "dot": ".", "at": "@", "dash": "-", "hyphen": "-"}


def _spoken_form(text: str) -> str:
    """An address as it was said, spaces gone: "northline rail dot co dot uk forward slash
    delay repay" -> "northlinerail.co.uk/delayrepay"."""

    def sub(m: re.Match[str]) -> str:
        word = " ".join(m.group(0).lower().split())
        if word in _SYMBOLS:
            return _SYMBOLS[word]
        return m.group(0) if m.group(0) in "./@-_" else ""

    return _SPOKEN_SYMBOL.sub(sub, text.lower())


def _spelt_out(answer: str, span: tuple[int, int], kb_value: str) -> bool:
    """The KB's address is said around the answer's: a speech recogniser splits a
    company name or a path in two ("northline rail dot co dot uk slash delay repay"),
    and the extractor keeps only the words it can join."""
    said = answer[max(0, span[0] - 40) : span[1] + 40]
    if not re.search(r"\bdot\b", said, re.IGNORECASE):
        return False  # written, not said: the extracted address is the whole of it
    window = _spoken_form(said)
    kv = re.sub(r"^(?:https?://)?(?:www\.)?", "", kb_value.lower()).rstrip("/")
    return len(kv) >= 6 and kv in window


# -- the comparison ----------------------------------------------------------------------


def _roled(text: str, facts: list[Fact]) -> list[RoledFact]:
    return roles_for(text, [f for f in facts if f.kind != "condition"])


#: The most characters of one claim a reason quotes (a yes/no claim can run to a sentence).
_QUOTE = 60


def _listed(facts: list[RoledFact], registry: FactRegistry | None) -> str:
    """Facts for a reason people read: a claim inside a longer one of its kind is left out
    ("Direct Debit" within "Direct Debit, debit or credit card"), a long one is cut at a word."""
    outer = [
        f
        for f in facts
        if not any(
            g is not f
            and g.fact.kind == f.fact.kind
            and g.fact.span[0] <= f.fact.span[0]
            and f.fact.span[1] <= g.fact.span[1]
            and (g.fact.span != f.fact.span or facts.index(g) < facts.index(f))
            for g in facts
        )
    ]
    out = []
    for f in outer:
        text = render(f.fact, registry)
        if len(text) > _QUOTE:
            cut = text[:_QUOTE].rsplit(" ", 1)[0]
            text = cut + ('…"' if text.endswith('"') else "…")
        out.append(text)
    return ", ".join(dict.fromkeys(out))


def _reason(alignment: Alignment, kb_facts: list[RoledFact], registry: FactRegistry | None) -> str:
    if not kb_facts:
        return "the KB entry states no fact the engine can check"
    shown = [k for k in kb_facts if k.fact.kind != "polarity"] or kb_facts
    kb_vals = _listed(shown, registry)
    if alignment.unverified:
        said = _listed(alignment.unverified, registry)
        return f"the answer's facts ({said}) could not be matched to the KB's ({kb_vals})"
    return f"the answer states none of the KB's facts ({kb_vals})"


# -- figures that name their clause --------------------------------------------------

#: Values re-anchored, and the figures that anchor them (how late, how many, when).
_ANCHORED_KINDS = frozenset({"money", "percent"})
_ANCHOR_KINDS = frozenset({"duration", "count", "date", "time"})


# within a sentence, where a figure stops speaking for its neighbours
_SUBCLAUSE = re.compile(
    r",|\s[-–]\s|\b(?:and|or|so|if|otherwise|but|whereas|while)\b", re.IGNORECASE
)


#: Words before a figure that make it the case a value is for: "for 15 to 29 minutes".
_NAMES_CASE = re.compile(
    r"\b(?:for|if|after|within|over|under|from|up\s+to|per|at|on|by|before|than|between|"
    r"aged|of)\s+(?:the\s+|a\s+|an\s+|your\s+)?(?:first\s+|next\s+|last\s+)?$",
    re.IGNORECASE,
)


def _reanchor(alignment: Alignment, kb: list[RoledFact], answer: str, canonical: str) -> None:
    """An agreeing value that the answer ties to another KB clause's figure disagrees.

    KB "15 to 29 minutes late, we pay 25%; for 30 to 59 minutes late, we pay 50%" and the
    answer "for 15 to 29 minutes we pay 50%": 50% is one of the KB's values, but the figure
    next to it in the answer (15 to 29 minutes) belongs to the KB clause that pays 25%.
    The answer's nearest agreeing figure of another kind, in its clause (up to a comma),
    names the KB clause.
    """
    for pair in list(alignment.supported):
        a, k = pair
        if a.fact.kind not in _ANCHORED_KINDS:
            continue
        start, end = _sentence_of(answer, a.fact.span[0])
        cuts = [start, *(m.end() for m in _SUBCLAUSE.finditer(answer, start, end)), end]
        start = max(c for c in cuts if c <= a.fact.span[0])
        end = min(c for c in cuts if c > a.fact.span[0])
        anchors = [
            (abs(b.fact.span[0] - a.fact.span[0]), b, kb_b)
            for b, kb_b in alignment.supported
            if b.fact.kind in _ANCHOR_KINDS and start <= b.fact.span[0] < end
        ]
        if not anchors:
            continue
        _, b, kb_b = min(anchors, key=lambda t: t[0])
        if not _NAMES_CASE.search(answer[max(0, b.fact.span[0] - 30) : b.fact.span[0]]):
            continue  # "£75 with the first 50 miles included": another fact, not the case
        k_clause = _sentence_of(canonical, k.fact.span[0])
        b_clause = _sentence_of(canonical, kb_b.fact.span[0])
        if k_clause == b_clause:
            continue
        if any(
            f.fact.kind == b.fact.kind
            and k_clause[0] <= f.fact.span[0] < k_clause[1]
            and relation(b.fact, f.fact) == "same"
            for f in kb
        ):
            continue  # k's own clause states the anchor too
        other = [
            f
            for f in kb
            if f.fact.kind == a.fact.kind
            and b_clause[0] <= f.fact.span[0] < b_clause[1]
            and relation(a.fact, f.fact) == "differ"
        ]
        if len(other) == 1:
            alignment.supported.remove(pair)
            alignment.conflicts.append((a, other[0]))


# -- the customer's own figures --------------------------------------------------------

#: Kinds a customer's question can carry that an answer may repeat as its own detail.
_ECHO_KINDS = frozenset(
    {"money", "percent", "duration", "date", "time", "count", "phone", "address"}
)
#: What the customer's question is read for: the echo kinds, and ordinals, which count as
#: the customer's only beside the answer's own value (see :func:`_beside_the_claim`).
_ASKED_KINDS = _ECHO_KINDS | {"ordinal"}


#: A reference the agent reads out: "booking GL-20931", "case C-22981", "order 448213".
_REFERENCE = re.compile(r"\b(?:[A-Z]{1,4}-?\d{4,}|\d{6,})\b")


_CALENDAR_DAY = re.compile(
    r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.IGNORECASE
)


def _without_bookings(answer: list[RoledFact], kb: list[RoledFact], said: str) -> list[RoledFact]:
    """The answer's facts less the hours of the customer's own booking: a time in a
    sentence that names a calendar date or a reference ("your engineer is booked for
    Thursday 14 May between 8am and 12pm, booking GL-20931") is that appointment, not the
    KB's opening hours. Kept where the KB states dates itself (a dated policy)."""
    if any(k.fact.kind == "date" for k in kb):
        return answer
    booked: list[tuple[int, int]] = []
    for rf in answer:
        if rf.fact.kind == "date" and _CALENDAR_DAY.search(rf.fact.text or ""):
            booked.append(_sentence_of(said, rf.fact.span[0]))  # not "today", "tomorrow"
    booked.extend(_sentence_of(said, m.start()) for m in _REFERENCE.finditer(said))
    if not booked:
        return answer
    return [
        rf
        for rf in answer
        if rf.fact.kind != "time" or not any(s <= rf.fact.span[0] < e for s, e in booked)
    ]


#: Bounds that make a repeated figure the policy's limit: "I have 3 kids" - "each adult
#: can bring up to 3 children" states the rule, not the customer's case.
_LIMITS = frozenset({"up_to", "at_least"})


def _without_customer_figures(
    answer: list[RoledFact],
    kb: list[RoledFact],
    question: str,
    said: str,
    reference: dt.date | None,
    registry: FactRegistry,
) -> list[RoledFact]:
    """The answer's facts less the customer's figures it repeats beside a value of its own.

    "coming back in about 3 weeks?" - "the return half is valid for a calendar month, so
    three weeks is fine": the three weeks are the customer's, applied to the policy, not
    the agent's version of it. Kept: a repeated figure that is the answer's only one of its
    kind ("do I need two claims?" - "yes, two claims": the agent confirms it), one the KB
    states too, and any figure computed from the customer's with the KB's discount ("£42
    adult fare" - "so £21 for your nine-year-old") is dropped the same way, as is a sum the
    answer works out from any figures said ("Gym is £29.99 and Plus £42.00, so it'd be
    £12.01 more").
    """
    asked = _asked(question, reference, registry, registry.version)
    if _quotes(question, said):
        return answer
    figures = [*asked, *(f.fact for f in [*answer, *kb])]
    shares = [f.value for f in figures if f.kind == "percent"]
    sums = [
        f
        for f in figures
        if f.kind in ("money", "duration", "count") and isinstance(f.value, Decimal)
    ]
    if not asked and not (shares and sums) and len(sums) < 3:
        return answer

    def kbs(a: RoledFact) -> bool:  # the KB's own figure, whoever says it first
        return any(relation(a.fact, k.fact) == "same" for k in kb if k.fact.kind == a.fact.kind)

    money = [a.fact for a in answer if a.fact.kind == "money"]
    asked_money = [q for q in asked if q.kind == "money"]
    answer_facts, kb_facts = [a.fact for a in answer], [k.fact for k in kb]
    derived = {
        a.index
        for a in answer
        if not kbs(a)
        and (
            _derived(a.fact, asked_money, shares, differences=False)
            or (_worked_out(said, a.fact) and _derived(a.fact, sums, shares, differences=True))
            or _product_said(a.fact, money, said)
            or _rate_applied(a.fact, answer_facts, kb_facts, said)
            or _rescaled(a.fact, asked_money, said)
            or _clock_worked(a.fact, asked, [*answer_facts, *kb_facts])
        )
    }
    repeated = [
        a
        for a in answer
        if a.fact.kind in _ASKED_KINDS
        and any(
            q.kind == a.fact.kind
            and relation(a.fact, q) == "same"
            and (q.modifier == a.fact.modifier or a.fact.modifier not in _LIMITS)
            # "open on a Saturday?" names the day; "Saturdays 9 till 12" adds the hours
            and not (days_alone(q) and not days_alone(a.fact))
            for q in asked
        )
    ]
    # an ordinal only as the customer's own beside the answer's ("the 30th" of "from the
    # 1st to the 30th" is the agent's range, whatever the customer asked)
    echoed = {
        a.index
        for a in repeated
        if (a.fact.kind in _ECHO_KINDS and not kbs(a)) or _beside_the_claim(a, answer, kb)
    }
    theirs = {
        a.index
        for a in repeated
        if _customers_contact(a.fact, asked, question)
        or (a.fact.kind in _ECHO_KINDS and not kbs(a) and _told(a.fact, asked, question))
    }
    # "starts on 30 January" - "as it starts on the 30th, ...": the customer's day of month
    theirs |= {a.index for a in answer if _day_told(a.fact, asked, question)}
    own_kinds = {_claim_kind(a.fact) for a in answer if a.index not in echoed | derived}
    return [
        a
        for a in answer
        if a.index not in derived | theirs
        and (a.index not in echoed or _claim_kind(a.fact) not in own_kinds)
    ]


def _claim_kind(fact: Fact) -> tuple[str, bool]:
    """What a figure is a value of: the days something happens ("every Friday") are not
    the time it happens at ("at midnight")."""
    return fact.kind, days_alone(fact)


#: A sentence that asks, or relays what someone said: a figure in it is put to the agent
#: to confirm ("do I need two claims?", "I was told it's £5"), not the customer's own.
_PUT_TO_AGENT = re.compile(
    r"\?|^\W*(?:do|does|did|is|are|was|were|can|could|will|would|should|shall|have|has|how|"
    r"what|when|where|which|who|why|am)\b|\b(?:is\s+that|isn't\s+it|right)\W*$"
    r"|\b(?:told|said|says|saying|heard|quoted|advertised|read|promised|supposed)\b",
    re.IGNORECASE,
)


def _giving(fact: Fact, asked: list[Fact], question: str) -> list[str]:
    """The question's sentences in which the customer gives ``fact``'s value."""
    return [
        question[slice(*_sentence_of(question, q.span[0]))]
        for q in asked
        if q.kind == fact.kind and relation(fact, q) == "same"
    ]


def _told(fact: Fact, asked: list[Fact], question: str) -> bool:
    """The customer's figure stated as their own case ("I paid £75.30 on 20 January", "the
    prices are £95, £110 ..."): the answer that repeats it uses it, even as its only figure
    of that kind, and states no policy with it. A figure asked about or relayed is not."""
    return any(
        not _PUT_TO_AGENT.search(sentence.strip()) for sentence in _giving(fact, asked, question)
    )


def _day_told(fact: Fact, asked: list[Fact], question: str) -> bool:
    """An ordinal day of the month that is the day of a date the customer states as theirs
    ("my tenancy starts on 30 January" - "because it starts on the 30th")."""
    if fact.kind != "ordinal" or fact.unit != "day_of_month":
        return False
    return any(
        q.kind == "date"
        and isinstance(q.value, dt.date)
        and q.value.day == fact.value
        and not _PUT_TO_AGENT.search(question[slice(*_sentence_of(question, q.span[0]))].strip())
        for q in asked
    )


#: The customer speaking of their own number or address: "ring me on ...", "my mobile is".
_FIRST_PERSON = re.compile(r"\b(?:[Mm]e|[Mm]y|I|I'm|I've|[Mm]ine)\b")
#: ... and not of the company's: "is your number ...", "I rang your helpline on ...".
_YOURS = re.compile(r"\byour\b", re.IGNORECASE)


def _customers_contact(fact: Fact, asked: list[Fact], question: str) -> bool:
    """A phone number or address the customer gave as theirs, repeated by the answer
    ("ring me back on 07700 900412" - "I've booked a call-back on 07700 900412"): their
    detail, never the company's, even as the answer's only one. Not one the customer
    offers as the company's ("is your number 0306 999 0182?"), which the answer confirms."""
    return fact.kind in ("phone", "address") and any(
        _FIRST_PERSON.search(sentence) and not _YOURS.search(sentence)
        for sentence in _giving(fact, asked, question)
    )


#: The kinds a KB's rate is stated in: "every 1,000 points is worth £5".
_RATED = ("money", "count")


def _rate_applied(fact: Fact, others: list[Fact], kb: list[Fact], said: str) -> bool:
    """A figure that applies the KB's rate to the customer's case: "3,000 points for £15
    off" where the KB says "every 1,000 points is worth £5". It is the same multiple of a
    KB figure as another figure of its clause is of another KB figure (3 × 1,000 points,
    3 × £5), so both are one worked example of the policy, not a claim against it."""
    if fact.kind not in _RATED or not isinstance(fact.value, Decimal):
        return False

    def multiples(f: Fact) -> set[Decimal]:
        return {
            f.value / k.value
            for k in kb
            if k.kind == f.kind
            and k.unit == f.unit
            and isinstance(k.value, Decimal)
            and isinstance(f.value, Decimal)
            and k.value > 0
            and f.value > k.value
        }

    own = multiples(fact)
    return bool(own) and any(
        (o.kind, o.unit) != (fact.kind, fact.unit)
        and not _CLAUSE_BREAK.search(said, *sorted((fact.span[1], o.span[1])))
        and own & multiples(o)
        for o in others
        if o.kind in _RATED
    )


#: What separates two clauses, so two figures on either side are not one worked example.
#: ("180 points, which is worth £1.80" is one example: a clause that says what it is worth)
_CLAUSE_BREAK = re.compile(
    r"[,;.!?](?:\s|$)(?!\s*(?:which|that's|that\s+is|worth|making|giving)\b)|\s(?:and|but)\s"
)


def _beside_the_claim(echo: RoledFact, answer: list[RoledFact], kb: list[RoledFact]) -> bool:
    """The customer's figure, repeated, that happens to equal the KB's, beside the answer's
    own value for the KB's claim: "I'm on the third floor" - "we carry up to the second
    floor, so the third floor would be a problem". The KB fact's words are the other
    value's, not the echo's (two or more in common, none with the echo)."""
    for k in kb:
        if k.fact.kind != echo.fact.kind or relation(echo.fact, k.fact) != "same":
            continue
        if echo.roles & k.roles:
            return False
        if any(
            o.index != echo.index
            and o.fact.kind == echo.fact.kind
            and o.fact.unit == echo.fact.unit
            and relation(o.fact, k.fact) != "same"
            and len(o.roles & k.roles) >= 2
            for o in answer
        ):
            return True
    return False


#: The shortest piece of a question that, found word for word in the answer, shows the
#: "question" was made from the answer (a macro's title with its body's first sentence).
_QUOTED = 25


def _quotes(question: str, answer: str) -> bool:
    """The question repeats a piece of the answer word for word: no customer asked it."""
    return any(
        len(piece.strip()) >= _QUOTED and piece.strip() in answer
        for piece in re.split(r"[.!?;:]\s|\s[-–]\s", question)
    )


@lru_cache(maxsize=256)
def _asked(
    question: str, reference: dt.date | None, registry: FactRegistry, version: int
) -> list[Fact]:
    """The figures of a question (kept: a check compares one question with several entries)."""
    facts = facts_for(question, reference, registry=registry)
    return [f for f in facts if f.kind in _ASKED_KINDS]


#: Words before a figure the answer works out rather than quotes: "so you'd get £310 back".
_RESULT = re.compile(
    r"\b(?:so|that's|that\s+is|which\s+(?:is|comes\s+to|makes|leaves)|comes\s+to|making|"
    r"leaves|leaving|in\s+total|altogether|in\s+all|"
    # "taking your wallet to £24.20", "bringing the balance up to £30"
    r"(?:bring|tak)(?:e|es|s|ing)?\s+(?:it|that|the\s+total|(?:your|the)\s+\w+)"
    r"\s+(?:down\s+|up\s+)?to|works?\s+out\s+(?:at|to)|a\s+total\s+of)\b[^.!?;]{0,30}$",
    re.IGNORECASE,
)


def _worked_out(answer: str, fact: Fact) -> bool:
    """The figure follows "so", "that's", "comes to", or comes before "in total": the
    answer's own arithmetic."""
    start = fact.span[0]
    return bool(
        _RESULT.search(answer[max(0, start - 40) : start])
        or _TOTAL_AFTER.match(answer, fact.span[1])
    )


_TOTAL_AFTER = re.compile(r"\s+(?:in\s+total|altogether|in\s+all|all\s+in|overall)\b", re.I)


def _derived(fact: Fact, sums: list[Fact], shares: list[object], *, differences: bool) -> bool:
    """A figure worked out from the conversation's: a share of a sum of money ("20% off
    £11.00" is £8.80, "10% bonus on £50" is £55), or (``differences``) the difference or total of two of one kind
    ("£349 less the £39 charge", "checked 14 months ago, due every 12, so 2 months
    overdue"), a price times a count ("3 months at £2.99, £8.97") or a sum divided by one."""
    if fact.kind not in ("money", "duration") or not isinstance(fact.value, Decimal):
        return False
    values = [
        q.value
        for q in sums
        if q is not fact
        and q.kind == fact.kind
        and isinstance(q.value, Decimal)
        and q.unit == fact.unit
        and q.value
    ]
    if fact.kind == "money":
        for v in values:
            for share in shares:
                if isinstance(share, Decimal) and 0 < share < 100:
                    part = (v * share / 100).quantize(Decimal("0.01"))
                    if fact.value in (part, v - part, v + part):
                        return True  # the share, what is left, or with a bonus added
    if not differences:
        return False
    if any(
        fact.value in (a + b, abs(a - b)) for i, a in enumerate(values) for b in values[i + 1 :]
    ):
        return True
    times = [
        q.value
        for q in sums
        if q.kind in ("count", "duration") and isinstance(q.value, Decimal) and 1 < q.value <= 100
    ]
    # a price times a count, or a sum spread over a number of months into a rate ("£540
    # over 12 months, so £45 a month"; a price said plainly is no share of a total)
    rate = (fact.subject or "").startswith("per_")
    return fact.kind == "money" and any(
        fact.value == v * n or (rate and fact.value == (v / n).quantize(Decimal("0.01")))
        for v in values
        for n in times
    )


#: A number said as a multiplier: "12 x £39.99", "12 times £2".
_TIMES_AFTER = re.compile(r"\s*(?:x|×|\*|times)\s*[£$€\d]", re.IGNORECASE)
#: A count said with its noun in the sentence: "12 visits", "three bags".
_COUNTED = re.compile(
    r"\s+(?:[a-z-]+\s+)?(?!(?:pounds|pence|quid|euros|dollars|percent|cents)\b)[a-z]+s\b",
    re.IGNORECASE,
)
#: A number that says how often, not how many: "every 3 months".
_HOW_OFTEN = re.compile(r"\b(?:every|per|each|within|after)\s*$", re.IGNORECASE)


def _product_said(fact: Fact, money: list[Fact], answer: str) -> bool:
    """A sum the answer works out in the same sentence from a price and a number it says
    there: "At £2 a visit, 12 visits costs you £24", "12 x £39.99, so £479.88". The exact
    product is the arithmetic's own evidence; no "so" or "in total" is needed. ``money``
    is the answer's money facts, already read."""
    if fact.kind != "money" or not isinstance(fact.value, Decimal) or not fact.value:
        return False
    start, end = _sentence_of(answer, fact.span[0])
    prices = [
        f.value
        for f in money
        if start <= f.span[0] < end
        and isinstance(f.value, Decimal)
        and f.value
        and f.value != fact.value
    ]
    if not prices:
        return False
    said = answer[start:end]
    numbers = [
        n.value
        for n in find_numbers(said)
        if not n.ordinal
        and 1 < n.value <= 100
        and n.value == n.value.to_integral_value()
        and (_TIMES_AFTER.match(said, n.span[1]) or _COUNTED.match(said, n.span[1]))
        and not _HOW_OFTEN.search(said, max(0, n.span[0] - 12), n.span[0])
    ]
    return any(fact.value == p * n for p in prices for n in numbers)


#: A month's, a year's and a week's worth of one another: "£4,500 a month" is £54,000 a year.
_PERIODS = tuple(
    Decimal(a) / Decimal(b) for a, b in ((1, 1), (12, 1), (52, 1), (12, 52), (1, 12), (1, 52))
)
#: How close a worked figure must come to be the customer's ("just under £6,231").
_ROUNDING = Decimal("0.001")


def _minutes(clock: object) -> int | None:
    """Minutes after midnight of a clock time fact's value ("15:40"), or None."""
    m = re.fullmatch(r"(\d{1,2}):(\d{2})", str(clock))
    return int(m.group(1)) * 60 + int(m.group(2)) if m else None


_DAY = 24 * 60


def _clock_worked(fact: Fact, asked: list[Fact], others: list[Fact]) -> bool:
    """A time or a period the answer works out from the customer's own clock times: "it's
    been about 20 hours" (6pm yesterday to 2pm today), "open for 26 hours" (Friday 8am to
    Saturday 10am), "so by about 3:40pm" (rang at 11:40, within 4 hours). The customer's
    case with the policy applied, not the agent's version of the policy."""
    clocks = [c for c in (_minutes(q.value) for q in asked if q.kind == "time") if c is not None]
    if not clocks:
        return False
    if fact.kind == "time":
        at = _minutes(fact.value)
        periods = [
            int(f.value * (60 if f.unit == "hour" else 1))
            for f in others
            if f.kind == "duration"
            and f.unit in ("hour", "minute")
            and isinstance(f.value, Decimal)
        ]
        return at is not None and any((c + p) % _DAY == at for c in clocks for p in periods)
    if fact.kind != "duration" or fact.unit != "hour" or not isinstance(fact.value, Decimal):
        return False
    said = int(fact.value * 60)
    gaps = {
        (b - a) % _DAY + days * _DAY
        for i, a in enumerate(clocks)
        for j, b in enumerate(clocks)
        if i != j and a != b
        for days in (0, 1, 2)
    }
    return any(abs(said - g) <= _NEAR for g in gaps)


_NEAR = 60  # minutes: "about 20 hours" for 20 hours and a few minutes


def _rescaled(fact: Fact, asked: list[Fact], answer: str) -> bool:
    """A sum worked out from the customer's own amount: that amount over another period
    ("£4,500 a month" - "the annual rent is £54,000"), times or over a number of the
    answer's ("£540 over 6 months is £90 a month", "6 weeks' rent, just under £6,231")."""
    if fact.kind != "money" or not isinstance(fact.value, Decimal) or not fact.value:
        return False
    numbers = {Decimal(1)} | {
        Decimal(n) for n in re.findall(r"(?<![\d.,£$€])\d{1,2}(?![\d.,])", answer) if int(n) > 1
    }
    for q in asked:
        if not isinstance(q.value, Decimal) or not q.value or q.value == fact.value:
            continue
        for period in _PERIODS:
            for n in numbers:
                if period == 1 and n == 1:
                    continue  # the customer's own figure, not one worked from it
                for worked in (q.value * period * n, q.value * period / n):
                    if abs(worked - fact.value) <= max(Decimal("0.01"), fact.value * _ROUNDING):
                        return True
    return False


@dataclass(frozen=True)
class AnswerFacts:
    """An answer's facts and roles, as :func:`compare_answer` aligns them.

    Why: a KB answer's are kept (the same canonical answers come back on every
    check), and :meth:`~consistency.checker.Checker.check` extracts the agent's on
    another thread while the question is embedded (the encoder releases the GIL),
    which hid ~0.4 ms of a 10k-entry check. ``compare_answer(prepared=)`` uses them
    only for the same text, date and registry.
    """

    text: str
    reference: dt.date | None
    registry: FactRegistry
    version: int
    facts: tuple[Fact, ...]
    roled: tuple[RoledFact, ...]

    def fits(self, text: str, reference: dt.date | None, registry: FactRegistry) -> bool:
        """Whether these are ``text``'s facts for that date and registry, as it is now."""
        return (
            self.text == text
            and self.reference == reference
            and self.registry is registry
            and self.version == registry.version
        )


def answer_facts(
    answer: str, reference: dt.date | None = None, *, registry: FactRegistry | None = None
) -> AnswerFacts:
    """The facts and roles :func:`compare_answer` would extract from ``answer``."""
    reg = registry_or_default(registry)
    facts = facts_for(answer, reference, registry=reg)
    return AnswerFacts(
        answer, reference, reg, reg.version, tuple(facts), tuple(_roled(answer, facts))
    )


@lru_cache(maxsize=65536)
def _canonical_facts(
    canonical: str, reference: dt.date | None, registry: FactRegistry, version: int
) -> AnswerFacts:
    """A KB answer's facts and roles, kept: the same few canonical answers come back on
    every check (facts and roles are immutable; ``version`` drops entries made before a
    new extractor was registered)."""
    return answer_facts(canonical, reference, registry=registry)


def prepare_canonical(
    answers: Iterable[str],
    *,
    reference: dt.date | None = None,
    registry: FactRegistry | None = None,
) -> int:
    """Extract and keep the facts of KB answers before a check meets them.

    Why: extracting a canonical answer's facts is a third of a check's own work
    (~0.5-0.8 ms); a service that does it once at start-up, for every entry, spares
    the first check of each entry that cost. Returns how many distinct answers were
    prepared (the cache holds 65,536).
    """
    reg = registry_or_default(registry)
    distinct = list(dict.fromkeys(answers))
    for text in distinct:
        _canonical_facts(text, reference, reg, reg.version)
    return len(distinct)


#: Claim checks that also read the customer's question.
_ASKING = (member_conflicts, substitution_conflicts, restriction_conflicts, quantified_conflicts)


def compare_answer(
    answer: str,
    canonical: str,
    *,
    entry_id: str | None = None,
    reference: dt.date | None = None,
    registry: FactRegistry | None = None,
    prepared: AnswerFacts | None = None,
    question: str | None = None,
) -> Comparison:
    """Check one answer against one canonical answer, fact by fact.

    Args:
        answer: what the agent said or wrote (spoken transcripts welcome).
        canonical: the KB entry's answer.
        entry_id: the KB entry's id, quoted in explanations.
        reference: the date relative expressions resolve against.
        registry: the extractors to use; the default registry otherwise.
        prepared: the answer's facts from :func:`answer_facts`, if already extracted
            (ignored unless for this answer, reference and registry).
        question: what the customer asked, when known: the customer's own figures
            repeated by the answer ("about 3 weeks", "the 5pm train") are not KB claims.

    Returns:
        A :class:`~consistency.models.Comparison`; spans of answer facts index
        ``answer``, spans of KB facts index ``canonical``.

    Example:
        >>> c = compare_answer("you've got fourteen days to send it back",
        ...                    "You can return items within 30 days of delivery.",
        ...                    entry_id="returns-window")
        >>> c.status, c.conflicts[0].answer_value, c.conflicts[0].kb_value
        ('contradiction', '14 days', '30 days')
    """
    reg = registry_or_default(registry)
    if prepared is None or not prepared.fits(answer, reference, reg):
        prepared = answer_facts(answer, reference, registry=reg)
    kept = _canonical_facts(canonical, reference, reg, reg.version)
    a_facts, a_roled = list(prepared.facts), list(prepared.roled)
    k_facts, k_roled = list(kept.facts), list(kept.roled)
    if question:
        a_roled = _without_customer_figures(a_roled, k_roled, question, answer, reference, reg)
    a_roled = _without_bookings(a_roled, k_roled, answer)
    alignment = align(a_roled, k_roled)
    for pair in [
        p for p in alignment.conflicts if not _credible(p[0].fact, p[1].fact, answer, canonical)
    ]:
        alignment.conflicts.remove(pair)
        alignment.unverified.append(pair[0])
        alignment.missing.append(pair[1])
    _reanchor(alignment, k_roled, answer, canonical)
    conflicts = [_conflict(a.fact, k.fact, entry_id, registry) for a, k in alignment.conflicts]
    conflicts.extend(
        _condition_conflicts(
            alignment, answer, canonical, a_facts, k_facts, entry_id, registry, question or ""
        )
    )
    if not any(c.kind == "condition" for c in conflicts):
        conflicts.extend(_widening_conflicts(answer, canonical, k_facts, alignment, entry_id))
    if not any(c.kind == "polarity" for c in conflicts):
        taken = [c.answer_span for c in conflicts if c.answer_span is not None]
        conflicts.extend(claim_conflicts(answer, canonical, entry_id=entry_id, taken=taken))
    for check in (
        member_conflicts,
        substitution_conflicts,
        region_conflicts,
        list_conflicts,
        slot_conflicts,
        order_conflicts,
        timing_conflicts,
        sequence_conflicts,
        whichever_conflicts,
        quantified_conflicts,
        charge_conflicts,
        automatic_conflicts,
        opposite_conflicts,
        threshold_conflicts,
        swapped_conflicts,
        single_conflicts,
        narrowed_conflicts,
        included_conflicts,
        ruled_out_conflicts,
        requirement_conflicts,
        restriction_conflicts,
    ):
        # each claim check leaves alone what an earlier one already reported
        taken = [c.answer_span for c in conflicts if c.answer_span is not None]
        if check in _ASKING:
            found = check(
                answer, canonical, entry_id=entry_id, taken=taken, question=question or ""
            )
        else:
            found = check(answer, canonical, entry_id=entry_id, taken=taken)
        conflicts.extend(found)
    if not conflicts:
        conflicts.extend(
            name_conflicts(answer, canonical, entry_id=entry_id, question=question or "")
        )
    # a denial the KB itself makes elsewhere, as closely, is the KB's other claim
    conflicts = [
        c
        for c in conflicts
        if c.kind != "polarity"
        or c.answer_span is None
        or not kb_agrees(answer, canonical, c.answer_span)
    ]
    conflicts.sort(key=lambda c: (c.answer_span or (10**9, 0), c.kb_span or (0, 0)))
    supported = tuple(a.fact for a, _ in alignment.supported)
    unverified = tuple(a.fact for a in alignment.unverified)
    missing = tuple(k.fact for k in alignment.missing)
    if conflicts:
        status, reason = "contradiction", explain(conflicts)
    elif supported:
        status, reason = "consistent", ""
    else:
        status, reason = "unverified", _reason(alignment, k_roled, registry)
    return Comparison(
        status=status,
        conflicts=tuple(conflicts),
        supported=supported,
        unverified_facts=unverified,
        missing=missing,
        reason=reason,
    )


def compare_facts(
    a: list[Fact],
    b: list[Fact],
    *,
    a_text: str | None = None,
    b_text: str | None = None,
) -> list[tuple[Fact, Fact]]:
    """Facts of two answers that state the same claim with different values.

    For answer-vs-answer checks (the audit), where neither side is authoritative:
    a pair needs a clear role overlap, or to be the only candidates of their kind
    on both sides. Without the texts, roles come from ``subject`` and units only.

    Returns:
        ``(fact of a, fact of b)`` pairs, in the order of ``a``.
    """
    ra = (
        roles_for(a_text, a)
        if a_text is not None
        else [RoledFact(f, index=i) for i, f in enumerate(a)]
    )
    rb = (
        roles_for(b_text, b)
        if b_text is not None
        else [RoledFact(f, index=i) for i, f in enumerate(b)]
    )
    ra = [r for r in ra if r.fact.kind != "condition"]
    rb = [r for r in rb if r.fact.kind != "condition"]
    alignment = align(ra, rb)
    pairs = sorted(alignment.conflicts, key=lambda p: p[0].index)
    return [(x.fact, y.fact) for x, y in pairs]
