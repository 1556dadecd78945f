"""Customers saying a promise was not kept: "nobody called me back", "still no refund".

A chase is a customer turn that says something promised has not happened:
nobody called back, the refund has not arrived, the email never came, the
engineer did not turn up, nothing was heard after an escalation, or (kind
``other``) "you said you'd sort it". Written and spoken forms are both matched
(lower case, no punctuation, "havent" for "haven't"). Asking *when* something
will happen ("when will I get my refund?") is not a chase: nothing says a
promise was made and missed.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from consistency.promises.models import Chase

if TYPE_CHECKING:
    from consistency.ingest import Transcript

__all__ = ["CHASE_PATTERNS", "chases_in", "find_chases"]

_NOT = (
    r"(?:still\s+)?(?:haven'?t|have\s+not|havent|hasn'?t|has\s+not|didn'?t|did\s+not|didnt"
    r"|never|still\s+not|not)"
)
_NOBODY = r"(?:no\s*(?:one|body)|nobody|noone|no-one|no\s+one)"
_THEY = r"(?:you|they|someone|somebody|he|she|the\s+\w+|your\s+\w+|you\s+guys|anyone)"
_SAID = r"(?:said|promised|told\s+me|assured\s+me)\s+(?:that\s+)?"
_WOULD = r"(?:you'?d|you\s+would|they'?d|they\s+would|someone\s+would|somebody\s+would|he'?d|she'?d|it'?d|it\s+would|i'?d|i\s+would)"
_CALL = r"(?:phone\s+)?(?:call(?:\s*back)?|callback|ring(?:\s*back)?|call\s+from\s+\w+)"
_DOCS = (
    r"(?:e-?mails?|letters?|forms?|confirmation|links?|texts?|messages?|labels?|paperwork"
    r"|documents?|receipts?|vouchers?)"
)
_WAITING = r"(?:still\s+)?waiting\s+(?:for|on)\s+(?:a|an|my|the|that|your|this)\s+"

#: (kind, name, pattern), tried in this order; a span already claimed is not matched again.
CHASE_PATTERNS: tuple[tuple[str, str, re.Pattern[str]], ...] = tuple(
    (kind, name, re.compile(pattern, re.IGNORECASE))
    for kind, name, pattern in (
        ("callback", "nobody-called",
         rf"\b{_NOBODY}(?:'s|\s+has|\s+ever|\s+even)?\s+(?:called|rang|rung|phoned|got\s+back"
         r"|gotten\s+back|come\s+back\s+to|contacted|been\s+in\s+touch|bothered\s+to\s+call)"
         r"(?:\s+me)?(?:\s+back)?"),
        ("callback", "no-call",
         rf"\b(?:i\s+)?{_NOT}\s+(?:had|got|get|gotten|received|receive)\s+(?:a|my|the|that|any"
         rf"|this|your)\s+{_CALL}"),
        ("callback", "they-never-called",
         rf"\b{_THEY}\s+{_NOT}\s+(?:call(?:ed)?|rang|ring|rung|phone(?:d)?|get|got|come)\s+"
         r"(?:me\s+)?back"),
        ("callback", "promised-call",
         rf"\b(?:i\s+)?(?:was|were)\s+(?:promised|supposed\s+to\s+(?:get|have)|meant\s+to\s+"
         rf"(?:get|have)|told\s+{_WOULD}\s+(?:get|have))\s+(?:a|my|the)\s+{_CALL}"),
        ("callback", "supposed-to-call",
         rf"\b{_THEY}\s+(?:was|were)\s+(?:supposed|meant|going)\s+to\s+(?:call|ring|phone"
         r"|get\s+back\s+to)\s+me"),
        ("callback", "said-would-call",
         rf"\b{_THEY}\s+{_SAID}{_WOULD}\s+(?:call|ring|phone|get\s+back)(?:\s+(?:to\s+)?me)?"
         r"(?:\s+back)?"),
        ("callback", "waiting-call", rf"\b{_WAITING}{_CALL}"),
        ("refund", "still-no-refund",
         r"\bstill\s+no\s+(?:sign\s+of\s+(?:my|the|a|any)\s+)?(?:refund|money)"),
        ("refund", "no-refund",
         rf"\b(?:i\s+)?{_NOT}\s+(?:had|got|get|gotten|received|receive|seen|see)\s+(?:my|the|a"
         r"|any|that)\s+(?:\w+\s+)?(?:refund|money(?:\s+back)?)"),
        ("refund", "refund-not-arrived",
         r"\b(?:my|the|that)\s+(?:refund|money)\s+(?:still\s+)?(?:hasn'?t|has\s+not|hasnt"
         r"|never|isn'?t|is\s+not|still\s+isn'?t)\s+(?:come|came|arrived|gone|shown|appeared"
         r"|reached|turned|cleared|landed|been|there|back|in)"),
        ("refund", "waiting-refund", rf"\b{_WAITING}(?:\w+\s+)?(?:refund|money)"),
        ("refund", "refund-still-not-there",
         r"\b(?:refund|money)\b[^.?!]{0,120}?\b(?:it'?s|it\s+is|its|it\s+has|it'?s\s+still|still)"
         r"\s+(?:still\s+)?(?:not|n't|hasn'?t|isn'?t)\s+(?:there|here|in|arrived|come|through"
         r"|showing|shown|appeared|landed)"),
        ("refund", "no-sign-refund", r"\bno\s+sign\s+of\s+(?:my|the|a|any)\s+(?:refund|money)"),
        ("refund", "promised-refund",
         rf"\b(?:i\s+)?(?:was|were)\s+(?:promised|told\s+{_WOULD}\s+(?:get|have))\s+(?:a|my"
         r"|the)\s+refund"),
        ("email_or_letter", "no-email",
         rf"\b(?:i\s+)?{_NOT}\s+(?:had|got|get|gotten|received|receive|seen)\s+(?:a|an|the|that"
         rf"|any|your|my)\s+(?:\w+\s+)?{_DOCS}"),
        ("email_or_letter", "email-not-arrived",
         rf"\b(?:the|your|that|no)\s+(?:\w+\s+)?{_DOCS}\s+(?:still\s+)?(?:never|hasn'?t|has\s+not"
         r"|hasnt|didn'?t|did\s+not)\s+(?:came|come|arrived|arrive|turned\s+up|come\s+through"
         r"|showed\s+up)"),
        ("email_or_letter", "no-email-yet",
         r"\bno\s+(?:e-?mail|letter|text|form)\s+(?:yet|has\s+come|came|arrived)"
         r"|\bnothing\s+(?:in|has\s+come\s+in|came\s+in)\s+(?:my|the)\s+(?:inbox|post)"),
        ("email_or_letter", "waiting-email", rf"\b{_WAITING}(?:\w+\s+)?{_DOCS}"),
        ("email_or_letter", "said-would-email",
         rf"\b{_THEY}\s+{_SAID}{_WOULD}\s+(?:e-?mail|send|post|write)(?:\s+(?:it\s+)?(?:to\s+)?me)?"),
        ("visit", "engineer-no-show",
         rf"\b(?:the|your|an|no|that)\s+(?:engineer|technician|fitter|installer|driver|courier"
         rf"|collection\s+team)\s+{_NOT}\s+"
         r"(?:turned\s+up|showed\s+up|shown\s+up|came|come|arrived|turn\s+up|show\s+up|been)"),
        ("visit", "nobody-came",
         rf"\b(?:{_NOBODY}|no\s+engineer|no\s+technician)\s+(?:ever\s+)?(?:turned\s+up|showed\s+up"
         r"|came|arrived|came\s+(?:out|round))"),
        ("visit", "waited-in", r"\bwaited\s+in\s+all\s+(?:day|morning|afternoon)"),
        ("visit", "waiting-engineer",
         rf"\b{_WAITING}(?:engineer|technician|visit|appointment)"),
        ("escalation", "heard-nothing",
         rf"\b(?:i\s+)?{_NOT}\s+heard\s+(?:anything\s+|a\s+thing\s+|back\s+|a\s+word\s+)?"
         r"(?:back\s+)?(?:from\s+(?:anyone|anybody|you|them|the\s+\w+(?:\s+team)?|your\s+\w+"
         r"(?:\s+team)?)|since|about\s+(?:it|my|the))"),
        ("escalation", "heard-nothing", r"\b(?:heard|hearing)\s+nothing(?:\s+back)?"),
        ("escalation", "complaint-ignored",
         r"\b(?:my|the)\s+(?:complaint|escalation|case)\s+(?:still\s+)?(?:hasn'?t|has\s+not"
         r"|never|isn'?t)\s+(?:been\s+)?(?:answered|dealt|looked|resolved|sorted|picked)"),
        ("escalation", "no-response", r"\bno\s+(?:response|reply|answer)\s+(?:yet|from|to)"),
        ("escalation", "waiting-response",
         r"\bstill\s+waiting\s+(?:to\s+hear|for\s+(?:a|an)\s+(?:response|reply|answer|update))"),
        ("other", "said-would-sort",
         rf"\b{_THEY}\s+{_SAID}{_WOULD}\s+(?:sort|fix|be\s+sorted|replace|deal|look\s+into)"
         r"(?:\s+(?:it|this|that|with\s+it))?(?:\s+out)?"),
        ("other", "not-sorted",
         r"\b(?:still\s+)?(?:hasn'?t|has\s+not|hasnt|still\s+not)\s+been\s+(?:sorted|fixed"
         r"|resolved|dealt\s+with)"),
        ("other", "nothing-happened", r"\bnothing(?:'s|\s+has)\s+(?:happened|been\s+done)"),
    )
)  # fmt: skip


def find_chases(text: str, turn: int = 0) -> list[Chase]:
    """Every chase in one customer turn, in order of where it starts.

    Args:
        text: the customer's turn, exactly as in the transcript.
        turn: the turn's index in the transcript.

    Returns:
        :class:`Chase` records with ``text[c.span[0]:c.span[1]] == c.text``.
        Never raises on any text.

    Example:
        >>> [(c.kind, c.text) for c in find_chases("hi nobody called me back yesterday")]
        [('callback', 'nobody called me back')]
    """
    taken: list[tuple[int, int]] = []
    out: list[Chase] = []
    for kind, name, pattern in CHASE_PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span()
            if s == e or any(a < e and s < b for a, b in taken):
                continue
            taken.append((s, e))
            lo, hi = max(0, s - 70), min(len(text), e + 70)
            out.append(
                Chase(
                    kind=kind,  # type: ignore[arg-type]
                    text=text[s:e],
                    span=(s, e),
                    turn=turn,
                    pattern=name,
                    snippet=text[lo:hi],
                    snippet_span=(s - lo, e - lo),
                )
            )
    out.sort(key=lambda c: c.span)
    return out


def chases_in(transcript: Transcript) -> list[Chase]:
    """Every chase in a transcript's customer turns, with the conversation's ids and start."""
    out: list[Chase] = []
    for index, turn in enumerate(transcript.turns):
        if turn.speaker != "customer":
            continue
        for chase in find_chases(turn.text, index):
            out.append(
                chase.model_copy(
                    update={
                        "transcript_id": transcript.id,
                        "agent_id": transcript.agent_id,
                        "customer_id": transcript.customer_id,
                        "started_at": transcript.started_at,
                        "channel": transcript.channel,
                    }
                )
            )
    return out
