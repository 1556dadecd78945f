"""Find the commitments an agent makes in a turn: "I'll call you back tomorrow before five".

A promise is a future commitment by the agent or the company, or of something
the customer will receive: "I'll / we'll / I'm going to ...", "someone will call
you", "an engineer will come on Thursday", "the refund should reach your account
within 5 working days", "you'll hear from us in 48 hours". What is *not* a
promise, and is rejected:

* offers and conditionals: "if you want, I'll call you back", "would you like
  me to ...", "shall I ...", "email us and we'll reply" (it hangs on the
  customer), "as long as it's unused you'll get a refund";
* questions ("... is that ok?"), negations ("we won't call", "you'll never"),
  the past ("I called you yesterday", "you should have received it") and
  reports of earlier promises ("it says here someone will call you");
* routine in-call actions that are not kinds of promise ("I'll just check",
  "I'll put you on hold").

Turns are cut into clauses at sentence punctuation and, for speech
recognition's unpunctuated text, before words that start a new thought ("so",
"but", "okay", "is there anything else"); each promise owns its clause from its
subject to the next promise, which is where its term is looked for
(:func:`consistency.promises.due.resolve_term`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from consistency.promises.calendar import WorkingCalendar
from consistency.promises.due import resolve_term
from consistency.promises.models import Promise

if TYPE_CHECKING:
    from consistency.ingest import Transcript

__all__ = ["classify", "clauses", "extract_promises", "promises_in"]

_FLAGS = re.IGNORECASE

# A clause ends at sentence punctuation, or (unpunctuated speech) before a word that
# starts a new thought. "and" is not a break: "I've escalated it and you'll hear from us".
_BREAK = re.compile(
    r"[.!?;]+(?=\s|$)|\n"
    r"|(?<=\s)(?=(?:but|so|okay|ok|alright|anyway|thanks|thank\s+you|sorry|is\s+there\s+anything"
    r"|anything\s+else|and\s+is\s+there|in\s+the\s+meantime|meanwhile)\b)",
    _FLAGS,
)

_NOT_A_BREAK = re.compile(r"\b(?:that['’]?s|that\s+is|is|be|it['’]?s|if|feel)\s+$", _FLAGS)

_NOUNS_WHO = (
    r"engineers?|technicians?|drivers?|couriers?|fitters?|installers?|team|manager|supervisor"
    r"|specialists?|colleagues?|department|someone|somebody|plumbers?|electricians?|surveyors?"
    r"|inspectors?|crew|contractors?|advisers?|advisors?"
)
# Who comes out: "book an engineer", "arrange for a plumber to come out".
_VISITORS = (
    r"engineers?|technicians?|fitters?|installers?|plumbers?|electricians?|surveyors?"
    r"|inspectors?|contractors?|crew|visit|appointment|collection"
)
_NOUNS_WHAT = (
    r"refund|money|payment|letter|e-?mail|form|confirmation|callback|call|replacement"
    r"|paperwork|label|link|text|voucher|credit|cheque|parcel|card|router|part|parts|device"
    r"|sim(?:\s+card)?|handset|phone|order|package|hub|modem|meter|boiler|bin|pack|kit"
)
# Who commits, then the future: "i'll", "we will", "the refund should", "an engineer is going to".
_TRIGGER = re.compile(
    r"(?<![\w'’])(?P<subj>i|we|you|they|he|she|it|someone|somebody|one\s+of\s+(?:us|our\s+\w+)"
    rf"|(?:an?|the|our|your|one\s+of\s+our)\s+(?:[a-z-]+\s+)?(?:{_NOUNS_WHO}|{_NOUNS_WHAT})"
    r"(?:\s+(?:of|for)\s+(?:the\s+|your\s+)?[£$€]?[\w.,-]+)?)"
    r"(?:\s+(?:has|have)\s+(?:now\s+)?been\s+\w+ed\s+and)?"
    r"(?P<modal>['’]ll\b|(?<=\bi)ll\b|(?<=\bi)m\s+(?:going\s+to|gonna)\b|\s+will\b|\s+shall\b|\s+should\b|['’](?:re|m|s)\s+going\s+to\b"
    r"|\s+(?:are|am|is)\s+going\s+to\b|\s+(?:are|am|is)\s+gonna\b|['’](?:re|m|s)\s+gonna\b)",
    _FLAGS,
)

# A commitment already made, in the present perfect: "I've booked an engineer for
# Thursday", "we've arranged a callback for tomorrow", "I've requested your refund".
_DONE = re.compile(
    r"(?<![\w'’])(?P<subj>i|we)(?P<modal>['’]ve|\s+have)\s+(?:just\s+|now\s+|also\s+|already\s+"
    r"|gone\s+ahead\s+and\s+)?(?=(?:booked|arranged|scheduled|requested|raised|ordered|set\s+up"
    r"|put\s+(?:in|through)|asked|organi[sz]ed)\b)",
    _FLAGS,
)
# ... read as the commitment it is: "booked an engineer" is "book an engineer"
_DONE_VERBS = (
    # "arranged for a plumber to come out tomorrow": a visit booked
    (
        re.compile(
            r"^\s*(?:arranged|organi[sz]ed|booked|scheduled)\s+for\s+(?P<who>(?:\w+\s+){0,3}?)"
            r"to\s+(?:come|visit|call\s+round|pop\s+round|attend)\b",
            _FLAGS,
        ),
        r" book \g<who>",
    ),
    # "asked our leak team to give you a ring back": what they were asked to do
    (re.compile(r"^\s*(?:asked|organi[sz]ed\s+for)\s+(?:\w+\s+){0,3}?to\s+", _FLAGS), " "),
    (re.compile(r"^\s*(?:booked|scheduled)\b", _FLAGS), " book"),
    (re.compile(r"^\s*arranged\b", _FLAGS), " arrange"),
    (re.compile(r"^\s*set\s+up\b", _FLAGS), " arrange"),
    (re.compile(r"^\s*(?:requested|raised|put\s+in|put\s+through)\b", _FLAGS), " raise"),
    (re.compile(r"^\s*ordered\b", _FLAGS), " send"),
)


def _as_commitment(rest: str) -> str:
    for pattern, verb in _DONE_VERBS:
        if pattern.match(rest):
            return pattern.sub(verb, rest, count=1)
    return rest


# Trailing joiners a promise's text does not keep: "I'll call you back tomorrow, and".
_TAIL = re.compile(r"(?:[\s,;:–—-]+(?:and|so|but|then|also|plus)?)+$", _FLAGS)
_NEGATED = re.compile(r"^\s*(?:not|never|n['’]t|no\s+longer)\b", _FLAGS)
_PERFECT = re.compile(r"^\s*(?:have|['’]ve|of)\b", _FLAGS)
_OBLIGATION = re.compile(r"^\s*(?:need|have\s+to|be\s+charged|want|be\s+able\s+to\s+see)\b", _FLAGS)
_ADVERBS = re.compile(
    r"^\s*(?:definitely|certainly|personally|also|just|then|absolutely|actually|now|today"
    r"|probably|hopefully"
    r"|make\s+sure\s+(?:that\s+)?(?:someone|somebody|we|they|(?:an?|the|our)\s+\w+(?:\s+team)?)"
    r"|make\s+sure\s+(?:to\s+|that\s+)?|try\s+(?:to|and)|aim\s+to"
    r"|be\s+able\s+to|(?:get|ask|have)\s+(?:someone|somebody|one\s+of\s+(?:the\s+|our\s+)?\w+"
    r"(?:\s+team)?|(?:an?|the|our)\s+\w+(?:\s+team)?)\s+to"
    r"|have\s+(?:someone|somebody|an?\s+\w+)|(?:i|we)\s+)\b\s*",
    _FLAGS,
)

# What is promised, read from the words after the modal (the predicate).
_CALL_YOU = (
    r"(?:call|ring|phone|contact)s?\s+(?:you|u)\b|(?:call|ring|phone)s?\s+back\b"
    r"|give\s+you\s+a\s+(?:quick\s+)?(?:call|ring|bell|buzz)\b|get\s+back\s+to\s+you\b"
    r"|(?:be|get|keep)\s+in\s+touch\b|come\s+back\s+to\s+you\b|(?:speak|talk)\s+to\s+you\b"
    r"|let\s+you\s+know\b|update\s+you\b|keep\s+you\s+(?:updated|posted|informed)\b"
    r"|respond(?:\s+to\s+you)?\b|reply\s+to\s+you\b"
)
_DOCS = (
    r"e-?mails?|letters?|forms?|confirmation|links?|texts?|messages?|labels?|receipts?"
    r"|invoices?|vouchers?|codes?|quotes?|cop(?:y|ies)|details|paperwork|documents?"
)
_KIND_RULES: tuple[tuple[str, re.Pattern[str], str], ...] = tuple(
    (kind, re.compile(pattern, _FLAGS), subjects)
    for kind, pattern, subjects in (
        # subject "you": what the customer will get
        ("refund", r"^(?:get|receive|have|see)\s+(?:the|your|a|a\s+full|the\s+full|that)\s+"
         r"(?:\w+\s+)?(?:refund|money)\b|^get\s+(?:your|the)\s+money\s+back\b", "you"),
        ("email_or_letter", rf"^(?:get|receive|have|see)\s+(?:a|an|the|your|our|that)\s+"
         rf"(?:\w+\s+){{0,2}}?(?:{_DOCS})\b", "you"),
        ("callback", r"^(?:get|receive|have)\s+(?:a|an|the|your)\s+(?:phone\s+)?(?:call|callback"
         r"|call\s+back|ring)\b|^be\s+(?:called|contacted|rung|phoned)\b", "you"),
        ("callback", r"^hear\s+(?:back\s+)?(?:from|something)\b", "you"),
        ("visit", r"^(?:get|have)\s+(?:a|an|the)\s+(?:engineer|technician|visit)\b", "you"),
        ("other", r"^(?:get|receive)\s+(?:a|an|the|your)\s+(?:new\s+|replacement\s+)?(?:card|router"
         r"|sim(?:\s+card)?|handset|phone|device|meter|parcel|package|hub|modem|replacement|kit"
         r"|pack)\b", "you"),
        # the refund / the money / it
        ("refund", r"^(?:reach|be\s+(?:back|in|on|with|credited|paid|refunded|processed)|go\s+back"
         r"|arrive|land|show|appear|come\s+through|hit|clear)\b", "refund"),
        ("refund", r"^(?:be\s+back\s+(?:in|on)\s+your|reach\s+your|show\s+(?:up\s+)?(?:in|on)\s+"
         r"your|be\s+(?:refunded|credited))", "it"),
        ("email_or_letter", r"^(?:arrive|reach|be\s+(?:with|sent|in|on|posted|e-?mailed)|come"
         r"|go\s+out|land|turn\s+up)\b", "doc"),
        # the company's people
        ("callback", rf"^(?:{_CALL_YOU})", "agent"),
        ("email_or_letter", r"^(?:e-?mail|text|message|write\s+to|post)\s+(?:you|it|the|a|an|over"
         r"|out|them|that|this|your)\b|^drop\s+you\s+an?\s+(?:e-?mail|line|text)\b"
         rf"|^(?:pop|put|get)\s+(?:\w+\s+){{0,2}}?(?:{_DOCS})\s+in\s+the\s+post\b", "agent"),
        ("callback", r"^(?:book|arrange|raise)\s+(?:you\s+)?(?:in\s+for\s+)?(?:a|an|the)\s+"
         r"(?:\w+\s+)?(?:call|callback|call\s+back|ring\s+back)\b", "agent"),
        ("visit", rf"^(?:send|book|arrange|get)\s+(?:\w+\s+){{0,2}}?(?:{_VISITORS})\b"
         r"|^send\s+(?:someone|somebody)\s+(?:out|round|over)\b", "agent"),
        ("refund", r"^(?:send|issue|raise|arrange|process|sort|put\s+through|push\s+through)\s+"
         r"(?:\w+\s+){0,2}?(?:refund|money)\b|^(?:refund|reimburse|credit)\b"
         r"|^(?:put|pay)\s+(?:the\s+|that\s+|your\s+)?money\s+back\b|^pay\s+you\s+back\b"
         r"|^get\s+(?:the|your|that)\s+(?:refund|money)\s+(?:back\s+)?(?:to\s+you|through)\b",
         "agent"),
        ("other", r"^send\s+(?:you\s+)?(?:out\s+)?(?:a\s+|an\s+)?(?:replacement|new)\b", "agent"),
        ("other", r"^(?:arrive|be\s+(?:with\s+you|delivered|there|sent|fitted|installed|replaced"
         r"|repaired|fixed|dispatched|posted|swapped|collected)|reach\s+you|turn\s+up|come)\b",
         "thing"),
        ("email_or_letter", rf"^send\s+(?:you\s+|it\s+|over\s+|out\s+)*(?:(?:a|an|the|your|that"
         rf"|this|those|our|a\s+copy\s+of\s+the)\s+)?(?:\w+\s+){{0,2}}?(?:{_DOCS})\b"
         r"|^send\s+(?:you\s+)?(?:it|that|them|this)\s+(?:over|through|by|via|to\s+you)\b"
         r"|^send\s+(?:it|that|them|this)\s+to\s+you\b|^send\s+you\s+(?:it|that|them|this)\b",
         "agent"),
        ("visit", r"^(?:come|visit|pop\s+(?:round|over|in|by)|call\s+round|arrive|turn\s+up"
         r"|attend|be\s+(?:there|with\s+you|round|out|over|at\s+your))\b|^(?:collect|pick\s+up)\s+"
         r"(?:it|the|your|them)\b", "visitor"),
        ("escalation", r"^(?:escalate|pass\s+(?:it|this|that|your\s+\w+)\s+(?:on|up|over)"
         r"|raise\s+(?:it|this|that|a\s+complaint)|refer\s+(?:it|this|that)|log\s+(?:it|this"
         r"|a\s+complaint)|flag\s+(?:it|this))\b", "agent"),
        ("other", r"^(?:sort\s+(?:it|this|that)\s+out|sort\s+(?:it|this|that|out)|fix|replace"
         r"|repair|look\s+into|investigate|chase|follow\s+(?:it|this|that)\s+up)\b", "agent"),
    )
)  # fmt: skip

_NEW_SUBJECT = re.compile(
    r"\s*(?:i|we|you|they|he|she|it|someone|somebody|the|your|our|an?|after|before|when|once"
    r"|if|then)\b",
    _FLAGS,
)
_AND_VERB = re.compile(r"[\s,]+and\s+(?:then\s+)?", _FLAGS)
_ESCALATED = re.compile(
    r"\b(?:escalat\w*|pass\w*\s+(?:it|this|that|your\s+\w+)\s+(?:on|up|over|to)|raised\s+(?:it"
    r"|this|a\s+complaint)|referred|flagged\s+(?:it|this|that)|complaints?\s+team"
    r"|resolutions?\s+team)\b",
    _FLAGS,
)

# Before the subject, in the same clause: the promise hangs on something, or is a report.
_CONDITIONAL = re.compile(
    r"\b(?:unless|provided|providing|as\s+long\s+as|in\s+case|assuming|would\s+you\s+like"
    r"|do\s+you\s+want|want\s+me\s+to|shall\s+(?:i|we)|should\s+(?:i|we)|happy\s+to"
    r"|(?:once|when|after|as\s+soon\s+as)\s+you|(?:once|as\s+soon\s+as)\s+(?!(?:i|we)\b)\w+"
    r"|^\s*should\s+(?:the|it|your|there|that|this|anything)|you\s+can(?!['’]t|not)|you\s+could"
    r"|(?:just\s+)?(?:email|e-mail|call|ring|phone|send|write\s+to|message|let)\s+us\b"
    r"|let\s+(?:me|us)\s+know|could\s+(?:i|we)|can\s+(?:i|we)(?!['’]t|not)|maybe|might)\b",
    _FLAGS,
)
_IF = re.compile(r"\bif\b", _FLAGS)
_IF_OK = re.compile(
    r"(?:\b(?:see|check|know|find\s+out|ask|confirm|tell\s+you|look)\s+(?:\w+\s+)?$)", _FLAGS
)
_IF_POLITE = re.compile(
    r"^if\s+(?:that['’]?s|that\s+is)\s+(?:ok|okay|alright|all\s+right|fine)\b", _FLAGS
)
_REPORTED = re.compile(
    r"(?:\b(?:said|says|say|told\s+(?:you|me)|promised|noted|thought|hoped|expected|apparently)"
    r"|\b(?:note|notes|record|system))\s+(?:(?:here|there|on\s+\w+|in\s+\w+)\s+)?"
    r"(?:that\s+)?$",
    _FLAGS,
)
_INVERTED_QUESTION = re.compile(
    r"^\s*(?:(?:and|so|um|uh|okay|ok)\s+)*(?:will|shall|would|should|do|does|can|could|did"
    r"|is|are)\s+(?:i|we|you|they|it|someone)\b",
    _FLAGS,
)


def clauses(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each clause of ``text``, in order, covering every non-blank part."""
    start = 0
    for m in _BREAK.finditer(text):
        end = m.start()
        if m.start() == m.end() and _NOT_A_BREAK.search(text, max(0, end - 12), end):
            continue  # "if that's okay", "is that alright": not a new thought
        if text[start:end].strip():
            yield start, end
        start = max(m.end(), end)
    if text[start:].strip():
        yield start, len(text)


def _subject_role(subject: str) -> str:
    s = " ".join(subject.lower().replace("’", "'").split())
    s = re.sub(r"\s+(?:of|for)\s+(?:the\s+|your\s+)?\S+$", "", s)  # "your refund of £45.99"
    last = s.split()[-1]
    if s == "you":
        return "you"
    if s == "it":
        return "it"
    if last in ("refund", "money", "payment", "credit", "cheque"):
        return "refund"
    if re.fullmatch(_DOCS + "|callback|call|replacement|parcel", last):
        return "doc" if last not in ("callback", "call", "replacement", "parcel") else "thing"
    if last in (
        "meter",
        "boiler",
        "bin",
        "pack",
        "kit",
        "card",
        "router",
        "part",
        "parts",
        "device",
        "sim",
        "handset",
        "phone",
        "order",
        "package",
        "hub",
        "modem",
    ):
        return "thing"
    if re.fullmatch(
        r"engineers?|technicians?|drivers?|couriers?|fitters?|installers?|plumbers?"
        r"|electricians?|surveyors?|inspectors?|contractors?|crew",
        last,
    ):
        return "visitor_only"
    return "agent"


_MAKE_SURE = re.compile(
    r"^(?:(?:just|definitely|personally|also)\s+)*make\s+sure\s+(?:that\s+)?"
    rf"(?P<subj>(?:the|your|that|this|a|an)\s+(?:[a-z-]+\s+)?(?:{_NOUNS_WHAT}))\s+"
    r"(?P<verb>is|gets|goes|comes|arrives|reaches)\b(?P<rest>.*)$",
    _FLAGS,
)
_MAKE_SURE_VERB = {"is": "be", "gets": "get", "goes": "go", "comes": "come", "arrives": "arrive",
                   "reaches": "reach"}  # fmt: skip


def _predicate(rest: str) -> str:
    """The words after the modal, with adverbs and hedges ("just", "make sure") taken off."""
    text = " ".join(rest.lower().replace("’", "'").split())
    for _ in range(4):
        stripped = _ADVERBS.sub("", text, count=1)
        if stripped == text:
            break
        text = stripped
    return text


#: How much of a clause after a promise's subject decides its kind ("will [... call
#: you]"). A clause that runs on past it (speech with no stops) is read that far for each
#: subject: reading all of it for each made the extraction quadratic in the turn.
REST_CHARS = 300
#: How far before an "if" the words that make it no condition ("let me check if") are read.
_IF_BEFORE_CHARS = 60


def classify(
    subject: str, rest: str, turn_text: str = "", *, escalated: bool | None = None
) -> str | None:
    """The promise kind of "``subject`` will ``rest``", or ``None`` when it is no promise kind.

    ``turn_text`` gives context: after "I've escalated it", "you'll hear from
    us" and "they'll call you" are an escalation's answer, not a plain callback.
    ``escalated``, when given, says so instead (a caller classifying many promises of
    one turn looks once).

    Example:
        >>> classify("an engineer", " come out on thursday")
        'visit'
        >>> classify("i", " just check that for you") is None
        True
    """
    made_sure = _MAKE_SURE.match(" ".join(rest.lower().replace("’", "'").split()))
    if made_sure is not None:
        verb = _MAKE_SURE_VERB[made_sure.group("verb").lower()]
        subject, rest = made_sure.group("subj"), f" {verb}{made_sure.group('rest')}"
    role = _subject_role(subject)
    pred = _predicate(rest)
    if _NEGATED.match(pred) or _PERFECT.match(pred) or _OBLIGATION.match(pred):
        return None
    roles = {
        "you": ("you",),
        "it": ("it",),
        "refund": ("refund",),
        "doc": ("doc",),
        "thing": ("thing",),
        "visitor_only": ("agent", "visitor"),
        "agent": ("agent", "visitor"),
    }[role]
    # "I'll check with the warehouse and give you a call back": the modal covers each verb
    for n, part in enumerate(_AND_VERB.split(pred)):
        if n and _NEW_SUBJECT.match(part):
            break  # "... and we refund you": its own subject and tense, not this modal's
        part = _predicate(part)
        if _NEGATED.match(part) or _PERFECT.match(part):
            return None
        for kind, pattern, subjects in _KIND_RULES:
            if subjects not in roles or not pattern.search(part):
                continue
            if role == "visitor_only" and kind not in ("visit", "callback"):
                continue
            if kind == "callback" and (
                escalated if escalated is not None else bool(_ESCALATED.search(turn_text))
            ):
                return "escalation"
            if kind == "callback" and re.search(r"\bby\s+(?:e-?mail|post|letter|text)\b", part):
                return "email_or_letter"
            return kind
    return None


def _rejected(before: str, own: str) -> bool:
    """Conditionals, offers, questions and reports around a promise (see the module doc)."""
    scope = before + own
    if _CONDITIONAL.search(before) or _REPORTED.search(before.rstrip() + " "):
        return True
    for m in _IF.finditer(scope):
        head = scope[max(0, m.start() - _IF_BEFORE_CHARS) : m.start()]
        if _IF_OK.search(head) or _IF_POLITE.match(scope[m.start() : m.start() + 200]):
            continue
        return True
    if re.search(r"\b(?:unless|provided|as\s+long\s+as|in\s+case)\b", own, _FLAGS):
        return True
    if own.rstrip().endswith("?") or _INVERTED_QUESTION.match(before):
        return True
    return bool(re.search(r"\b(?:is\s+that\s+(?:ok|okay|alright|all\s+right)|would\s+that\s+"
                          r"(?:work|help|be))\b\W*$", own, _FLAGS))  # fmt: skip


def extract_promises(
    text: str,
    turn: int = 0,
    started_at: dt.datetime | None = None,
    calendar: WorkingCalendar | None = None,
    *,
    defaults: Mapping[str, int | None] | None = None,
    transcript_id: str | None = None,
    agent_id: str | None = None,
    customer_id: str | None = None,
    channel: str | None = None,
) -> list[Promise]:
    """Every promise in one agent turn, in order, with its due time.

    Args:
        text: the agent's turn, exactly as in the transcript (spans index it).
        turn: the turn's index in the transcript.
        started_at: the conversation's start (timezone-aware; UTC in
            transcripts). Relative terms ("tomorrow") resolve against its date
            in the calendar's timezone. ``None``: no due times.
        calendar: working days, business hours, timezone and holidays
            (default :class:`WorkingCalendar`: England, 09:00-17:30, Mon-Fri).
        defaults: working days per kind when no term is said
            (:data:`consistency.promises.due.DEFAULT_TERMS`).
        transcript_id, agent_id, customer_id, channel: copied into each promise.

    Returns:
        :class:`Promise` records; ``text[p.span[0]:p.span[1]] == p.text``. Never raises
        on any text.

    Example:
        >>> import datetime as dt
        >>> start = dt.datetime(2026, 3, 30, 10, 0, tzinfo=dt.UTC)
        >>> [p] = extract_promises("i'll call you back tomorrow before five", 3, start)
        >>> p.kind, p.due.isoformat(), p.due_text
        ('callback', '2026-03-31T17:00:00+01:00', 'tomorrow before five')
    """
    calendar = calendar or WorkingCalendar()
    out: list[Promise] = []
    escalated = bool(_ESCALATED.search(text))
    for c_start, c_end in clauses(text):
        clause = text[c_start:c_end]
        found = sorted(
            [*_TRIGGER.finditer(clause), *_DONE.finditer(clause)], key=lambda m: m.start()
        )
        kept: list[tuple[re.Match[str], str]] = []
        for m in found:
            rest = clause[m.end() : m.end() + REST_CHARS]
            if m.re is _DONE:
                rest = _as_commitment(rest)
            kind = classify(m.group("subj"), rest, text, escalated=escalated)
            if kind is not None:
                kept.append((m, kind))
        made: list[Promise] = []
        for i, (m, kind) in enumerate(kept):
            own_start = m.start()
            own_end = kept[i + 1][0].start() if i + 1 < len(kept) else len(clause)
            before_start = kept[i - 1][0].end() if i else 0
            if _rejected(clause[before_start:own_start], clause[own_start:own_end]):
                continue
            # the term may come before the subject in the clause's first promise ("tomorrow i'll")
            s, e = c_start + own_start, c_start + own_end
            e = s + len(_TAIL.sub("", text[s:e]))
            term = resolve_term(text, (s, e), started_at, calendar, kind=kind, defaults=defaults)
            if i == 0 and s > c_start and term.source in ("default", "none"):
                # a term said before the subject: "tomorrow, I'll call you back"
                early = resolve_term(
                    text, (c_start, e), started_at, calendar, kind=kind, defaults=defaults
                )
                term = early if early.source in ("stated", "event") else term
            lo, hi = max(0, s - 70), min(len(text), e + 70)
            made.append(
                Promise(
                    kind=kind,  # type: ignore[arg-type]
                    due=term.due,
                    due_text=term.text,
                    due_span=term.span,
                    due_source=term.source,
                    text=text[s:e],
                    span=(s, e),
                    turn=turn,
                    trigger=text[s : c_start + m.end()],
                    snippet=text[lo:hi],
                    snippet_span=(s - lo, e - lo),
                    transcript_id=transcript_id,
                    agent_id=agent_id,
                    customer_id=customer_id,
                    started_at=started_at,
                    channel=channel,
                )
            )
        out.extend(_one_per_kind(made))
    return out


def _one_per_kind(made: list[Promise]) -> list[Promise]:
    """One promise per kind in a clause: "I'll pass this on and someone will call you
    back today" is one escalation, due when the stated term says."""
    best: dict[str, Promise] = {}
    for p in made:
        held = best.get(p.kind)
        if held is None or (held.due_source != "stated" and p.due_source == "stated"):
            best[p.kind] = p
    return [p for p in made if best[p.kind] is p]


def promises_in(
    transcript: Transcript,
    calendar: WorkingCalendar | None = None,
    *,
    defaults: Mapping[str, int | None] | None = None,
) -> list[Promise]:
    """Every promise in a transcript's agent turns, in conversation order."""
    out: list[Promise] = []
    for index, turn in enumerate(transcript.turns):
        if turn.speaker != "agent":
            continue
        out.extend(
            extract_promises(
                turn.text,
                index,
                transcript.started_at,
                calendar,
                defaults=defaults,
                transcript_id=transcript.id,
                agent_id=transcript.agent_id,
                customer_id=transcript.customer_id,
                channel=transcript.channel,
            )
        )
    return out
