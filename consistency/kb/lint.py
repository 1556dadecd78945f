"""Find what makes a KB give two answers to one question: ``consistency kb lint``.

A KB that loads can still mislead. Two entries may state different values for
one fact (two numbers for the fraud line); a phrasing may lead the matcher to
another entry; two entries may say the same thing; an entry may have expired
with nothing after it; an answer may hold nothing the checker can verify; a
link or an address may be mistyped. :func:`lint` finds each of these and
returns records, like pydantic's errors: a stable ``code``, the entries, fields
and spans involved and a sentence for people. Nothing here prints.

Codes, each with one fixed severity (:data:`SEVERITIES`):

* ``conflicting-facts`` (error): two entries valid at the same time give
  different values of one kind for what is clearly the same thing.
* ``broken-url`` / ``broken-email`` (error): a link or address that cannot work
  (syntax only, no network).
* ``ambiguous-question`` (warning): held out of its entry, a phrasing is matched
  to another entry by a clear margin.
* ``duplicate-question`` (warning): one phrasing (after ``match_key``) in two entries.
* ``near-duplicate-answer`` (warning): two answers whose embeddings almost coincide.
* ``version-gap`` (warning): days between two versions of one id that no version covers.
* ``expired-entry`` (warning): the last version of an id ended before ``today``.
* ``no-checkable-fact`` (info): the answer has no fact the checker can compare, so
  every answer matched to it is ``unverified``.

Example:
    >>> from consistency.kb import KnowledgeBase
    >>> kb = KnowledgeBase.from_entries([
    ...     {"id": "help", "questions": ["Where is help?"],
    ...      "answer": "See https://www.example/help for help."},
    ... ])
    >>> report = lint(kb, checks=["broken-url"])
    >>> [(i.code, i.spans[0].text) for i in report.issues]
    [('broken-url', 'https://www.example/help')]
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, get_args
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict

from consistency.compare import facts_for, relation, render
from consistency.compare.roles import RoledFact, claim_similarity, roles_for, stem
from consistency.kb.knowledge_base import KnowledgeBase
from consistency.match.text import match_key
from consistency.models import Fact, KBEntry, Span

if TYPE_CHECKING:
    from consistency.match import Index

__all__ = [
    "LINT_CODES",
    "MATCHER_CODES",
    "SEVERITIES",
    "LintCode",
    "LintIssue",
    "LintReport",
    "LintSpan",
    "Severity",
    "lint",
]

LintCode = Literal[
    "conflicting-facts",
    "broken-url",
    "broken-email",
    "ambiguous-question",
    "duplicate-question",
    "near-duplicate-answer",
    "version-gap",
    "expired-entry",
    "no-checkable-fact",
]
Severity = Literal["error", "warning", "info"]

#: Every lint code, in the order of :data:`LintCode`.
LINT_CODES: tuple[LintCode, ...] = get_args(LintCode)
#: The one severity of each code.
SEVERITIES: dict[LintCode, Severity] = {
    "conflicting-facts": "error",
    "broken-url": "error",
    "broken-email": "error",
    "ambiguous-question": "warning",
    "duplicate-question": "warning",
    "near-duplicate-answer": "warning",
    "version-gap": "warning",
    "expired-entry": "warning",
    "no-checkable-fact": "info",
}
#: Codes that need embeddings (an :class:`~consistency.match.Index`).
MATCHER_CODES: frozenset[LintCode] = frozenset({"ambiguous-question", "near-duplicate-answer"})

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}

#: Held out, a phrasing is ambiguous when another entry beats its own by this much (0-1).
AMBIGUITY_MARGIN = 0.15
#: Answer-embedding cosine at which two entries are near-duplicates.
DUPLICATE_COSINE = 0.95


# -- records ---------------------------------------------------------------------------


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LintSpan(_Frozen):
    """Where an issue lies: a field of one entry (version) and the text in it.

    ``field`` is ``answer``, ``questions.<i>``, ``valid_from`` or ``valid_to``.
    ``span`` is half-open into that field's text as loaded (answers have their
    whitespace collapsed), so ``entry.answer[start:end] == text``; it is ``None``
    for date fields, whose ``text`` is the ISO date. ``valid_from`` names the
    version when an id has several.
    """

    entry_id: str
    field: str
    span: Span | None
    text: str
    valid_from: dt.date | None = None


class LintIssue(_Frozen):
    """One thing to fix in the KB: a stable ``code`` for machines, ``message`` for people."""

    code: LintCode
    severity: Severity
    entry_ids: tuple[str, ...]
    fields: tuple[str, ...]
    spans: tuple[LintSpan, ...]
    message: str
    sources: tuple[str, ...] = ()
    """``file:line`` of each entry involved, in ``entry_ids`` order."""


class LintReport(_Frozen):
    """Every issue found, sorted by severity, then code, then entries."""

    issues: tuple[LintIssue, ...]
    checks: tuple[LintCode, ...]
    """The codes that were checked (a code not here was not looked for)."""
    entries: int
    today: dt.date | None = None

    def count(self, severity: Severity) -> int:
        return sum(1 for i in self.issues if i.severity == severity)

    @property
    def errors(self) -> int:
        return self.count("error")

    @property
    def warnings(self) -> int:
        return self.count("warning")

    @property
    def infos(self) -> int:
        return self.count("info")

    @property
    def ok(self) -> bool:
        """No errors (warnings and infos allowed)."""
        return self.errors == 0

    def by_code(self, code: LintCode) -> list[LintIssue]:
        return [i for i in self.issues if i.code == code]


# -- entry point -----------------------------------------------------------------------


def lint(
    kb: KnowledgeBase,
    *,
    index: Index | None = None,
    today: dt.date | None = None,
    checks: Iterable[LintCode] | None = None,
    ambiguity_margin: float = AMBIGUITY_MARGIN,
    duplicate_cosine: float = DUPLICATE_COSINE,
) -> LintReport:
    """Check a loaded KB for contradictions, ambiguity, duplicates, stale versions and typos.

    Args:
        kb: the knowledge base (problems that stop it loading are the loader's job).
        index: the matcher's index over ``kb``, for ``ambiguous-question`` and
            ``near-duplicate-answer``. When ``None`` and one of those is checked,
            an index is built with the default offline encoder (seconds).
        today: the day ``expired-entry`` is judged on. ``None`` skips that check:
            the date is passed in, never read from the clock here.
        checks: the codes to look for (:data:`LINT_CODES`); all by default.
        ambiguity_margin: how far (0-1 fused score) another entry must beat a
            held-out phrasing's own entry to count as ``ambiguous-question``.
        duplicate_cosine: answer cosine from which two entries are near-duplicates.

    Returns:
        A :class:`LintReport`; ``report.ok`` is false when there is an error.

    Raises:
        ValueError: an unknown code in ``checks``, or an ``index`` built over another KB.
    """
    selected = _select(checks)
    if today is None:
        selected = tuple(c for c in selected if c != "expired-entry")
    if index is not None and tuple(index.entry_ids) != kb.ids:
        raise ValueError("the index was built over another KB (its entry ids differ)")
    wanted = set(selected)
    issues: list[LintIssue] = []
    if "conflicting-facts" in wanted:
        issues.extend(_conflicting_facts(kb))
    if wanted & {"broken-url", "broken-email"}:
        issues.extend(_broken_links(kb))
    if wanted & {"version-gap", "expired-entry"}:
        issues.extend(_version_problems(kb, today))
    if "no-checkable-fact" in wanted:
        issues.extend(_no_checkable_fact(kb))
    duplicate_keys: set[str] = set()
    if "duplicate-question" in wanted or "ambiguous-question" in wanted:
        found, duplicate_keys = _duplicate_questions(kb)
        issues.extend(found)
    if wanted & MATCHER_CODES:
        if index is None:
            index = _default_index(kb)
        if "ambiguous-question" in wanted:
            issues.extend(_ambiguous_questions(kb, index, ambiguity_margin, duplicate_keys))
        if "near-duplicate-answer" in wanted:
            issues.extend(_near_duplicate_answers(kb, index, duplicate_cosine))
    issues = [i for i in issues if i.code in wanted]
    issues.sort(key=_sort_key)
    return LintReport(issues=tuple(issues), checks=selected, entries=len(kb), today=today)


def _select(checks: Iterable[LintCode] | None) -> tuple[LintCode, ...]:
    if checks is None:
        return LINT_CODES
    chosen = set(checks)
    unknown = sorted(chosen - set(LINT_CODES))
    if unknown:
        raise ValueError(
            f"unknown lint code(s) {', '.join(map(repr, unknown))}; "
            f"known codes: {', '.join(LINT_CODES)}"
        )
    return tuple(c for c in LINT_CODES if c in chosen)


def _default_index(kb: KnowledgeBase) -> Index:
    from consistency.match import Index, make_encoder

    return Index(kb, make_encoder())


def _sort_key(issue: LintIssue) -> tuple[object, ...]:
    first = issue.spans[0] if issue.spans else None
    return (
        _SEVERITY_ORDER[issue.severity],
        LINT_CODES.index(issue.code),
        issue.entry_ids,
        issue.fields,
        (first.span or (0, 0)) if first else (0, 0),
        issue.message,
    )


def _issue(
    code: LintCode,
    spans: Sequence[LintSpan],
    message: str,
    kb: KnowledgeBase,
    entries: Sequence[KBEntry] = (),
) -> LintIssue:
    ids: list[str] = []
    fields: list[str] = []
    for s in spans:
        if s.entry_id not in ids:
            ids.append(s.entry_id)
        if s.field not in fields:
            fields.append(s.field)
    by_id = {e.id: e for e in entries}
    sources = []
    for entry_id in ids:
        entry = by_id.get(entry_id) or kb.versions(entry_id)[0]
        sources.append(_where(entry))
    return LintIssue(
        code=code,
        severity=SEVERITIES[code],
        entry_ids=tuple(ids),
        fields=tuple(fields),
        spans=tuple(spans),
        message=message,
        sources=tuple(sources),
    )


def _where(entry: KBEntry) -> str:
    file = entry.source_file or "<memory>"
    return f"{file}:{entry.source_line}" if entry.source_line is not None else file


def _version_label(kb: KnowledgeBase, entry: KBEntry) -> str:
    if len(kb.versions(entry.id)) < 2:
        return f"'{entry.id}'"
    return f"'{entry.id}' (from {entry.valid_from or 'the start'})"


def _answer_span(entry: KBEntry, span: Span, *, versioned: bool) -> LintSpan:
    return LintSpan(
        entry_id=entry.id,
        field="answer",
        span=span,
        text=entry.answer[span[0] : span[1]],
        valid_from=entry.valid_from if versioned else None,
    )


def _cut(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _cut_left(text: str, n: int = 50) -> str:
    return text if len(text) <= n else "…" + text[-(n - 1) :]


# -- (a) conflicting facts ---------------------------------------------------------------

# Kinds whose values two entries can state differently. Yes/no claims (polarity) are
# paired apart, on their claim key; conditions only qualify other facts.
_VALUE_KINDS = ("money", "percent", "duration", "date", "time", "phone", "email", "url", "count")
# A bound ("orders over £299", "TVs over 55 inches") is a condition's threshold,
# not the fact itself: two entries may set different thresholds for different things.
_THRESHOLD = frozenset({"over", "under", "at_least"})

_SENTENCE_END = re.compile(r"[.!?;](?=\s|$)")
_CLAUSE_END = re.compile(r"[,:()\u2013\u2014]|\s-\s")
_WORD = re.compile(r"[A-Za-z][A-Za-z'&-]*")
# After a fact, these start another statement: "£7.99 a month and covers theft",
# "020 7946 0321 if your account is hacked", "locked for 1 hour to keep it safe".
_NEXT_PART = re.compile(
    r"\b(?:and|or|but|if|when|unless|which|while|so|because|to|then|until)\b", re.IGNORECASE
)
# "plans with 100GB of data or more": a bound the extractor left unmarked.
_OPEN_BOUND = re.compile(
    r"[^.;,]{0,20}?\b(?:or (?:more|above|over|less|under)|and (?:above|over))\b"
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Function words, fillers and units: they never name what a fact is about.
_STOP = _words(
    """a an the and or but if so to of in on at by for from with within without into over
    under up out off about after before than then as is are was were be been being am it its
    it's this that these those there here you your you're you've you'll we we'll we're our
    us they their them i i'm my he she his her who which what when where how why will would
    can could should shall may might must do does did have has had not no nor yes please
    just only also too very more most less much many each every any all some other another
    same such own via per um uh er like yeah okay ok well so really sure get gets got
    day days week weeks month months year years hour hours minute minutes working business
    calendar percent pound pounds pence p am pm a.m p.m zero one two three four five six
    seven eight nine ten twelve twenty thirty hundred thousand first second extra"""
)
# Words that say how to reach or pay, not what about: "call our fraud team on ...".
_GENERIC = _words(
    """call ring dial phone email mail text write contact reach team line lines number
    open opening close closed cost costs price priced charge charged fee fees pay paid
    free available usually customer customers account order orders
    voltstream company website site online today monday tuesday wednesday thursday
    friday saturday sunday weekday weekdays weekend daily apply applies start starts
    subject status representative apr"""
)
_GENERIC_STEMS = frozenset(stem(w) for w in _GENERIC)
_NEAR = 3
#: ``claim_similarity`` two opposite yes/no claims with one key need to conflict.
_CLAIM_MIN = 0.8
#: Word overlap (Jaccard) two sentences need when one fact's anchors only contain the other's.
_WIDE_OVERLAP = 0.5


@dataclass(frozen=True)
class _Placed:
    """A value fact of one entry version with what it is about and under which conditions."""

    entry: KBEntry
    fact: Fact
    near: frozenset[str]
    wide: frozenset[str]
    conditions: frozenset[str]
    context: str
    """The clause up to and including the fact, for the message."""


def _bounds(pattern: re.Pattern[str], text: str, start: int, end: int) -> tuple[int, int]:
    s = 0
    for m in pattern.finditer(text, 0, start):
        s = m.end()
    m = pattern.search(text, end)
    return s, (m.start() if m else len(text))


def _content(words: Iterable[str]) -> list[str]:
    return [stem(w) for w in words if w.lower() not in _STOP and len(w) > 1]


def _place(
    entry: KBEntry, facts: list[Fact], conditions: list[Fact], common: frozenset[str]
) -> list[_Placed]:
    """Each value fact with its anchor words: content stems around it, facts masked.

    ``near`` holds the closest words either side within the clause, ``wide`` all
    words of the sentence; both without generic words ("call", "costs") and stems
    many entries share (the brand). ``conditions`` are the fact's qualifiers and
    the conditions stated in its sentence ("for Volt Plus members").
    """
    text = entry.answer
    masked = [f.span for f in facts]
    # "If you think someone has used your account, call ...": a clause sets the scene;
    # who pays what (members, thresholds, regions, the item's state) changes the fact.
    clauses = {str(c.value) for c in conditions if c.unit == "clause"}
    keep_out = _GENERIC_STEMS | common

    def anchors(words: Iterable[str]) -> list[str]:
        return [w for w in _content(words) if w not in keep_out]

    out = []
    for fact in facts:
        s0, s1 = _bounds(_SENTENCE_END, text, *fact.span)
        c0, c1 = _bounds(_CLAUSE_END, text, *fact.span)
        c0, c1 = max(c0, s0), min(c1, s1)
        after = _NEXT_PART.search(text, fact.span[1], c1)
        r1 = after.start() if after else c1
        words = [
            m
            for m in _WORD.finditer(text, s0, s1)
            if not any(a < m.end() and m.start() < b for a, b in masked)
        ]
        near_left = anchors(m.group() for m in reversed(words) if c0 <= m.start() < fact.span[0])
        near_right = anchors(m.group() for m in words if fact.span[1] <= m.start() < r1)
        stated = {str(c.value) for c in conditions if s0 <= c.span[0] < s1}
        qualifiers = (stated | set(fact.qualifiers)) - clauses
        out.append(
            _Placed(
                entry,
                fact,
                near=frozenset(near_left[:_NEAR] + near_right[:_NEAR]),
                wide=frozenset(anchors(m.group() for m in words)),
                conditions=frozenset(qualifiers),
                context=_cut_left(text[c0 : fact.span[1]].strip()),
            )
        )
    return out


_CONTACT_KINDS = frozenset({"phone", "email", "url"})


def _same_subject(a: _Placed, b: _Placed) -> bool:
    """Clearly one thing: the same anchor words next to both facts ("call our fraud
    team on"), or one side's anchors all within the other's and the two sentences
    mostly alike ("Volt Plus costs" / "Volt Plus membership is"). "Standard
    delivery" and "next day delivery" each have a word the other lacks."""
    if not a.near or not b.near or not (a.near & b.near):
        return False
    if a.near == b.near:
        return True
    if not (a.near <= b.wide or b.near <= a.wide):
        return False
    if a.fact.kind in _CONTACT_KINDS and not (a.near <= b.wide and b.near <= a.wide):
        # "our Financial Support team on 0808 ..." beside "Customer Support on 0808 ...":
        # a word one side names and the other never says is another team or line
        return False
    union = a.wide | b.wide
    return len(a.wide & b.wide) / len(union) >= _WIDE_OVERLAP


def _is_bound(fact: Fact, text: str) -> bool:
    return fact.modifier in _THRESHOLD or _OPEN_BOUND.match(text, fact.span[1]) is not None


# Occasions that set their own values: bank-holiday or Christmas hours beside the usual ones.
_OCCASION = re.compile(
    r"\b(?:(?:bank|public)\s+holidays?|christmas|boxing\s+day|new\s+year|easter)\b", re.I
)


def _occasion(p: _Placed) -> frozenset[str]:
    """The occasions the fact's sentence names ("On bank holidays, ..."), lower case."""
    s0, s1 = _bounds(_SENTENCE_END, p.entry.answer, *p.fact.span)
    found = _OCCASION.findall(p.entry.answer[s0:s1])
    return frozenset(" ".join(o.lower().split()) for o in found)


def _comparable(a: _Placed, b: _Placed) -> bool:
    fa, fb = a.fact, b.fact
    if fa.kind != fb.kind or fa.unit != fb.unit:
        return False
    if _occasion(a) != _occasion(b):
        return False  # "on bank holidays, stores open 10am to 4pm" is not the usual hours
    if fa.subject and fb.subject and fa.subject != fb.subject:
        return False
    return a.conditions == b.conditions


def _overlap(a: KBEntry, b: KBEntry) -> bool:
    a0, a1 = a.valid_from or dt.date.min, a.valid_to or dt.date.max
    b0, b1 = b.valid_from or dt.date.min, b.valid_to or dt.date.max
    return a0 <= b1 and b0 <= a1


def _common_stems(kb: KnowledgeBase) -> frozenset[str]:
    """Stems in the answers of many ids (brand names, "delivery" in a shop's KB)."""
    df: dict[str, set[str]] = defaultdict(set)
    for entry in kb.entries:
        for w in set(_content(m.group() for m in _WORD.finditer(entry.answer))):
            df[w].add(entry.id)
    limit = max(3, len(kb) // 10)
    return frozenset(w for w, ids in df.items() if len(ids) > limit)


def _conflicting_facts(kb: KnowledgeBase) -> list[LintIssue]:
    common = _common_stems(kb)
    # Block on (kind, anchor word): only facts sharing a near word are ever paired.
    blocks: dict[tuple[str, str], list[_Placed]] = defaultdict(list)
    claims: dict[str, list[tuple[_Placed, RoledFact]]] = defaultdict(list)
    for entry in kb.entries:
        found = facts_for(entry.answer)
        values = [f for f in found if f.kind in _VALUE_KINDS and not _is_bound(f, entry.answer)]
        conditions = [f for f in found if f.kind == "condition"]
        for placed in _place(entry, values, conditions, common):
            for word in sorted(placed.near):
                blocks[placed.fact.kind, word].append(placed)
        # Yes/no claims ("we do not accept cheques") pair only on the same claim key;
        # charges ("free", "no fee") are the money facts' business.
        said = [f for f in found if f.kind == "polarity" and _claim_key(f)]
        roled = roles_for(entry.answer, said)
        for placed, rf in zip(_place(entry, said, conditions, common), roled, strict=True):
            claims[_claim_key(placed.fact)].append((placed, rf))
    seen: set[tuple[object, ...]] = set()
    issues = []
    for key in sorted(blocks):
        for a, b in itertools.combinations(blocks[key], 2):
            if a.entry.id == b.entry.id or not _overlap(a.entry, b.entry):
                continue
            if not _comparable(a, b) or not _same_subject(a, b):
                continue
            if relation(a.fact, b.fact) != "differ":
                continue
            ident = (a.entry.id, b.entry.id, a.fact.kind, str(a.fact.value), str(b.fact.value))
            if ident in seen:
                continue  # the same pair again: another anchor word, another version
            seen.add(ident)
            issues.append(_conflict_issue(kb, a, b))
    for key in sorted(claims):
        for (a, ra), (b, rb) in itertools.combinations(claims[key], 2):
            if a.entry.id == b.entry.id or not _overlap(a.entry, b.entry):
                continue
            if a.fact.value == b.fact.value or a.conditions != b.conditions:
                continue
            if claim_similarity(ra, rb) < _CLAIM_MIN:
                continue
            ident = (a.entry.id, b.entry.id, "polarity", key)
            if ident not in seen:
                seen.add(ident)
                issues.append(_conflict_issue(kb, a, b))
    return issues


def _claim_key(fact: Fact) -> str:
    key = fact.subject or ""
    return "" if not key or key.split()[0] == "fee" else key


def _conflict_issue(kb: KnowledgeBase, a: _Placed, b: _Placed) -> LintIssue:
    versioned = {e: len(kb.versions(e.id)) > 1 for e in (a.entry, b.entry)}
    spans = [
        _answer_span(a.entry, a.fact.span, versioned=versioned[a.entry]),
        _answer_span(b.entry, b.fact.span, versioned=versioned[b.entry]),
    ]
    if a.fact.kind == "polarity":
        message = (
            f"{_version_label(kb, a.entry)} says {_cut(a.fact.text)!r} and "
            f"{_version_label(kb, b.entry)} says {_cut(b.fact.text)!r}: one says yes, "
            "the other no, so agents will give both."
        )
    else:
        message = (
            f"{_version_label(kb, a.entry)} says {render(a.fact)} ({a.context!r}) and "
            f"{_version_label(kb, b.entry)} says {render(b.fact)} ({b.context!r}): "
            f"two {a.fact.kind} values for one thing, so agents will give both."
        )
    return _issue("conflicting-facts", spans, message, kb, (a.entry, b.entry))


# -- (f) broken links ---------------------------------------------------------------------

_URL_START = re.compile(
    r"(?<![\w@./-])(?:[a-z][a-z0-9+.-]*:/+|[a-z][a-z0-9+.-]*//|h?t?tps?:|www\.)\S*", re.IGNORECASE
)
_TRAILING = ".,;:!?)]}'\"’”"
_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$", re.IGNORECASE)
_TLD = re.compile(r"^[a-z]{2,24}$", re.IGNORECASE)
_SPACED_ON = re.compile(r"\s+[./][\w-]")
_MAIL_TOKEN = re.compile(r"[^\s<>()\[\]\"',;]*@[^\s<>()\[\]\"',;]*")
_MAIL_SPACED = re.compile(r"[\w.+-]+(?:\s+@\s+|@\s+)[\w-]+(?:\.[\w-]+)+")
_LOCAL = re.compile(r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$", re.I)


def _host_problem(host: str) -> str | None:
    if not host:
        return "has no host"
    if "." not in host:
        return f"host {host!r} has no dot"
    if "." not in host.removeprefix("www."):
        return f"host {host!r} has no domain after 'www.'"
    labels = host.split(".")
    if not all(_LABEL.match(label) for label in labels):
        return f"host {host!r} is not a valid domain name"
    if not _TLD.match(labels[-1]):
        return f"host {host!r} does not end in a top-level domain"
    return None


def _url_problem(raw: str) -> str | None:
    """Why ``raw`` cannot be a working web link, or ``None``."""
    if raw.lower().startswith("www."):
        raw = "https://" + raw
    m = re.match(r"^([a-z][a-z0-9+.-]*)(:?)(/*)", raw, re.IGNORECASE)
    if m is None:
        return "is not a web address"
    scheme, colon, slashes = m.group(1).lower(), m.group(2), m.group(3)
    if scheme not in ("http", "https"):
        return f"scheme {scheme!r} is not http or https"
    if not colon or slashes != "//":
        return f"should start {scheme}://"
    try:
        parts = urlsplit(raw)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError as exc:
        return f"cannot be parsed ({exc})"
    if "@" in parts.netloc:
        return "has '@' in its host"
    return _host_problem(host)


def _email_problem(raw: str) -> str | None:
    if raw.count("@") != 1:
        return "must have exactly one '@'"
    local, domain = raw.split("@")
    if not local or not _LOCAL.match(local):
        return f"mailbox {local!r} is not valid"
    return _host_problem(domain.lower())


def _broken_links(kb: KnowledgeBase) -> list[LintIssue]:
    issues = []
    for entry in kb.entries:
        versioned = len(kb.versions(entry.id)) > 1
        text = entry.answer
        for m in _URL_START.finditer(text):
            raw = m.group().rstrip(_TRAILING)
            start, end = m.start(), m.start() + len(raw)
            problem = _url_problem(raw)
            spaced = _SPACED_ON.match(text, end)
            if problem is None and spaced is not None:
                problem = "is broken by a space"
            if problem is None:
                continue
            if spaced is not None:
                tail = re.match(r"\s+\S*", text[end:])
                end += len(tail.group().rstrip(_TRAILING)) if tail else 0
            span = _answer_span(entry, (start, end), versioned=versioned)
            issues.append(
                _issue(
                    "broken-url",
                    [span],
                    f"{_version_label(kb, entry)}: link {_cut(span.text)!r} {problem}.",
                    kb,
                    (entry,),
                )
            )
        taken: list[Span] = []
        for m in _MAIL_SPACED.finditer(text):
            span = _answer_span(entry, (m.start(), m.end()), versioned=versioned)
            taken.append((m.start(), m.end()))
            issues.append(
                _issue(
                    "broken-email",
                    [span],
                    f"{_version_label(kb, entry)}: address {_cut(span.text)!r} has a space in it.",
                    kb,
                    (entry,),
                )
            )
        for m in _MAIL_TOKEN.finditer(text):
            raw = m.group().rstrip(_TRAILING)
            start, end = m.start(), m.start() + len(raw)
            if raw.lower().startswith("mailto:"):
                raw, start = raw[7:], start + 7
            if any(a < end and start < b for a, b in taken):
                continue
            if raw.startswith("@") and raw.count("@") == 1 and "." not in raw:
                continue  # a social handle, "@VoltstreamHelp"
            if "://" in raw:
                continue  # a URL with credentials is the URL check's business
            problem = _email_problem(raw)
            if problem is None:
                continue
            span = _answer_span(entry, (start, end), versioned=versioned)
            issues.append(
                _issue(
                    "broken-email",
                    [span],
                    f"{_version_label(kb, entry)}: address {_cut(raw)!r} {problem}.",
                    kb,
                    (entry,),
                )
            )
    return issues


# -- (d) versions ------------------------------------------------------------------------


def _date_span(kb: KnowledgeBase, entry: KBEntry, field: str, day: dt.date) -> LintSpan:
    versioned = len(kb.versions(entry.id)) > 1
    return LintSpan(
        entry_id=entry.id,
        field=field,
        span=None,
        text=day.isoformat(),
        valid_from=entry.valid_from if versioned else None,
    )


def _version_problems(kb: KnowledgeBase, today: dt.date | None) -> list[LintIssue]:
    issues = []
    for entry_id in kb.ids:
        versions = kb.versions(entry_id)
        for before, after in itertools.pairwise(versions):
            if before.valid_to is None or after.valid_from is None:
                continue  # overlapping or open versions are refused by the loader
            first_free = before.valid_to + dt.timedelta(days=1)
            if after.valid_from > first_free:
                last_free = after.valid_from - dt.timedelta(days=1)
                days = (after.valid_from - first_free).days
                spans = [
                    _date_span(kb, before, "valid_to", before.valid_to),
                    _date_span(kb, after, "valid_from", after.valid_from),
                ]
                message = (
                    f"'{entry_id}' has no version from {first_free} to {last_free} "
                    f"({days} day{'s' if days != 1 else ''}): questions asked then get no_match."
                )
                issues.append(_issue("version-gap", spans, message, kb, (before,)))
        last = versions[-1]
        if today is not None and last.valid_to is not None and last.valid_to < today:
            message = (
                f"'{entry_id}' ended on {last.valid_to} and nothing replaces it; "
                "remove it or add the version that applies now."
            )
            spans = [_date_span(kb, last, "valid_to", last.valid_to)]
            issues.append(_issue("expired-entry", spans, message, kb, (last,)))
    return issues


# -- (e) nothing to check -------------------------------------------------------------------


def _no_checkable_fact(kb: KnowledgeBase) -> list[LintIssue]:
    issues = []
    for entry in kb.entries:
        if any(f.kind != "condition" for f in facts_for(entry.answer)):
            continue
        versioned = len(kb.versions(entry.id)) > 1
        span = _answer_span(entry, (0, len(entry.answer)), versioned=versioned)
        message = (
            f"{_version_label(kb, entry)}: the answer states no value or claim the checker "
            "can compare, so every answer matched to it is 'unverified'."
        )
        issues.append(_issue("no-checkable-fact", [span], message, kb, (entry,)))
    return issues


# -- (c) duplicates ----------------------------------------------------------------------


def _question_spans(kb: KnowledgeBase) -> dict[str, list[LintSpan]]:
    """``match_key`` -> every (entry version, question) with that key, KB order."""
    found: dict[str, list[LintSpan]] = defaultdict(list)
    for entry in kb.entries:
        versioned = len(kb.versions(entry.id)) > 1
        for i, question in enumerate(entry.questions):
            found[match_key(question)].append(
                LintSpan(
                    entry_id=entry.id,
                    field=f"questions.{i}",
                    span=(0, len(question)),
                    text=question,
                    valid_from=entry.valid_from if versioned else None,
                )
            )
    return found


def _duplicate_questions(kb: KnowledgeBase) -> tuple[list[LintIssue], set[str]]:
    issues = []
    keys = set()
    for key, spans in _question_spans(kb).items():
        ids = list(dict.fromkeys(s.entry_id for s in spans))
        if len(ids) < 2:
            continue
        keys.add(key)
        firsts = [next(s for s in spans if s.entry_id == i) for i in ids]
        names = ", ".join(f"'{i}'" for i in ids)
        message = (
            f"{names} share the question {_cut(firsts[0].text)!r}; "
            "the matcher sends it to the first entry only."
        )
        issues.append(_issue("duplicate-question", firsts, message, kb))
    return issues, keys


def _ambiguous_questions(
    kb: KnowledgeBase, index: Index, margin: float, skip_keys: set[str]
) -> list[LintIssue]:
    """Hold each phrasing out of its entry, as if a customer asked it in new words.

    Entries with one phrasing are skipped: held out, nothing of them is left to match.
    """
    locations = _question_spans(kb)
    phrase_owner = _phrase_owners(kb, index)
    counts: dict[int, int] = defaultdict(int)
    for owner in phrase_owner:
        counts[owner] += 1
    issues = []
    for phrase, owner in enumerate(phrase_owner):
        key = match_key(index.phrasings[phrase])
        if counts[owner] < 2 or key in skip_keys:
            continue
        own_id = index.entry_ids[owner]
        ranked = index._rank(  # the held-out ranking of leave_one_out
            key, index.phrase_vectors[phrase], index.candidates, exclude_phrase=phrase
        )
        own = next((m.score for m in ranked if m.entry_id == own_id), None)
        best = next((m for m in ranked if m.entry_id != own_id), None)
        if best is None or best.score - (own or 0.0) < margin:
            continue
        asked = next(s for s in locations[key] if s.entry_id == own_id)
        own_text = f"{own:.2f}" if own is not None else f"not among the {index.candidates} nearest"
        other = [
            s
            for s in locations.get(match_key(best.matched_question), [])
            if s.entry_id == best.entry_id
        ]
        message = (
            f"Question {_cut(asked.text)!r} of '{own_id}' matches '{best.entry_id}' "
            f"better ({best.score:.2f}, via {_cut(best.matched_question, 40)!r}) than its "
            f"own entry ({own_text}) once held out: reword it or merge the entries."
        )
        issues.append(_issue("ambiguous-question", [asked, *other[:1]], message, kb))
    return issues


def _phrase_owners(kb: KnowledgeBase, index: Index) -> list[int]:
    """The entry ordinal of each of ``index.phrasings``, built as ``Index`` builds them."""
    owners: list[int] = []
    for ordinal, entry_id in enumerate(index.entry_ids):
        seen: set[str] = set()
        for version in kb.versions(entry_id):
            for question in version.questions:
                key = match_key(question)
                if key not in seen:
                    seen.add(key)
                    owners.append(ordinal)
    if len(owners) != len(index.phrasings):
        raise ValueError("the index's phrasings do not match the KB's questions")
    return owners


def _near_duplicate_answers(kb: KnowledgeBase, index: Index, threshold: float) -> list[LintIssue]:
    """Answer pairs at or above ``threshold`` cosine, compared a block of rows at a time."""
    import numpy as np

    vectors = np.asarray(index.answer_vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1)
    norms[norms == 0] = 1.0
    unit = vectors / norms[:, None]
    ids = index.entry_ids
    issues = []
    block = 1024
    for top in range(0, len(ids), block):
        sims = unit[top : top + block] @ unit.T
        for row, j in zip(*np.nonzero(sims >= threshold), strict=True):
            i = top + int(row)
            if j <= i:
                continue
            a, b = kb.versions(ids[i])[-1], kb.versions(ids[j])[-1]
            spans = [
                _answer_span(a, (0, len(a.answer)), versioned=len(kb.versions(a.id)) > 1),
                _answer_span(b, (0, len(b.answer)), versioned=len(kb.versions(b.id)) > 1),
            ]
            message = (
                f"'{a.id}' and '{b.id}' give almost the same answer "
                f"(cosine {float(sims[row, j]):.2f}); keep one, or make each say what sets "
                "it apart."
            )
            issues.append(_issue("near-duplicate-answer", spans, message, kb, (a, b)))
    return issues
