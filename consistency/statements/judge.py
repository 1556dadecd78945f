"""How the statement model's reading takes part in a verdict.

Why two ways: on companies the rules were not written for, most missed
contradictions are claims the rules do not describe (a condition reworded, a
party or an option swapped), and most false alarms are a rule reading a
difference into a paraphrase ("no fixed end date" / "no end date"). The model
reads both statements whole, so it can raise the first and doubt the second. It
never overrules a typed value (a price, a period, a number): those the rules read
exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from consistency.compare.opposites import sentences
from consistency.models import Comparison, Conflict, KBEntry
from consistency.statements.model import StatementModel

__all__ = ["CLAIM_KINDS", "StatementPolicy", "review"]

#: Conflict kinds read from wording, not from a typed value: the ones the model may doubt.
CLAIM_KINDS = frozenset({"polarity", "condition", "scope", "list", "categorical", "ordinal"})

_WORD = re.compile(r"[a-z0-9]+")
#: The fewest words a quote of the KB has ("by phone" inside "by email, not by phone" is
#: a choice, not a quote).
_QUOTE_WORDS = 5


@dataclass(frozen=True)
class StatementPolicy:
    """When the model's reading changes a verdict, with the reasons for the defaults.

    Args:
        flag_above: an answer the rules found consistent (or could not verify) is a
            contradiction when the model's p(contradiction) is at least this.
        doubt_below: a contradiction the rules read only from wording (polarity,
            condition, scope, list, categorical, ordinal) is held back as ``unverified``
            when the model's p is under this.
        sure_above: the least combined choice score (question and answer, see
            :class:`~consistency.choose.ChoicePolicy`) at which the model may flag: a
            flag against a neighbouring entry is a false alarm.
        flag: ``False``: the model never raises a contradiction, only holds back a
            rule's wording flag.
        enabled: ``False`` leaves every verdict to the rules alone (the audit's
            default, see :class:`~consistency.audit.options.AuditOptions`).

    The defaults were chosen on the dev set and on six study sets held out of the
    model's training (a self-storage firm, a gym chain, a ticket seller, then an EV
    charging network, a tour operator and an electricals retailer): the most
    contradictions found with the dev set's false alarms under 2%. ``doubt_below`` rose
    from 0.15 to 0.3 on the second three (written after the model): 7 fewer false alarms
    on the six for 4 fewer contradictions, none lost on the dev set. Then measured on
    the blind sets (``benchmarks/RESULTS.md``, "Twenty-third session"). The model's p
    saturates near 0.973, so ``flag_above`` keeps only its surest readings.
    """

    flag_above: float = 0.97
    doubt_below: float = 0.3
    sure_above: float = 0.55
    flag: bool = True
    enabled: bool = True


def _sentences(text: str) -> list[tuple[int, int]]:
    """The claim readers' sentences (a "£3.99" or a web address is not a break)."""
    return sentences(text) or [(0, len(text))]


def _says_nothing_new(answer: str, kb_answer: str) -> bool:
    """Every word of the answer is a word of the KB answer: a copy or a cut of it.

    The model learned from contradictions that mostly repeat the KB with one change,
    and it reads a plain copy as one of them (p 0.96 for a KB answer against itself);
    an answer with no word of its own is left to the rules, which read such copies
    exactly (a dropped "not" is theirs).
    """
    return _words(answer) <= _words(kb_answer)


def _restates(sentence: str, kb_words: str) -> bool:
    """The sentence is the KB's own, word for word ("You can keep using the club until your
    notice period ends"): whatever the model read in the whole answer, the difference is
    in another sentence, so a flag never quotes this one as the answer's. ``kb_words`` is
    the KB answer's words joined by single spaces."""
    words = _WORD.findall(sentence.lower())
    return len(words) >= _QUOTE_WORDS and " ".join(words) in kb_words


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def _overlap(a: str, b: str) -> int:
    return len(_words(a) & _words(b))


def _flag(model: StatementModel, answer: str, entry: KBEntry) -> Conflict:
    """The conflict for a model flag: the answer sentence it reads as the difference,
    beside the KB sentence that speaks of the same thing."""
    spans = _sentences(answer)
    kb_words = " ".join(_WORD.findall(entry.answer.lower()))
    own = [s for s in spans if not _restates(answer[s[0] : s[1]], kb_words)] or spans
    if len(own) > 1:
        probs = model.contradiction(entry.answer, [answer[s:e] for s, e in own])
        a_span = own[int(probs.argmax())]
    else:
        a_span = own[0]
    said = answer[a_span[0] : a_span[1]].strip().rstrip(".!?;: ")
    kb_spans = _sentences(entry.answer)
    k_span = max(kb_spans, key=lambda s: _overlap(said, entry.answer[s[0] : s[1]]))
    kb_said = entry.answer[k_span[0] : k_span[1]].strip().rstrip(".!?;: ")
    return Conflict(
        kind="statement",
        answer_value=said,
        kb_value=kb_said,
        answer_span=a_span,
        kb_span=k_span,
        answer_text=answer,
        kb_text=entry.answer,
        entry_id=entry.id,
        explanation=(
            f'The answer says "{said}", but the KB entry {entry.id} says "{kb_said}". '
            "Read as a whole, the two do not agree, though no single value differs: "
            "check which of them the customer was told."
        ),
    )


def review(
    model: StatementModel,
    policy: StatementPolicy,
    answer: str,
    entry: KBEntry,
    comparison: Comparison,
    confidence: float,
) -> Comparison:
    """``comparison`` as the rules made it, or changed by the model's reading."""
    if not policy.enabled:
        return comparison
    claims_only = comparison.status == "contradiction" and all(
        c.kind in CLAIM_KINDS for c in comparison.conflicts
    )
    may_flag = (
        policy.flag
        and comparison.status != "contradiction"
        and confidence >= policy.sure_above
        and not _says_nothing_new(answer, entry.answer)
    )
    if not (claims_only or may_flag):
        return comparison
    p = float(model.contradiction(entry.answer, [answer])[0])
    if claims_only and p < policy.doubt_below:
        read = "; ".join(
            c.explanation or f"{c.kind}: {c.answer_value}" for c in comparison.conflicts
        )
        return comparison.model_copy(
            update={
                "status": "unverified",
                "conflicts": (),
                "reason": (
                    f"A difference in wording was read ({read}), but the answer as a whole "
                    "reads as agreeing with the KB: check it by hand."
                ),
            }
        )
    if may_flag and p >= policy.flag_above:
        conflict = _flag(model, answer, entry)
        return comparison.model_copy(
            update={
                "status": "contradiction",
                "conflicts": (conflict,),
                "reason": conflict.explanation,
            }
        )
    return comparison
