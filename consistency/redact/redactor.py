"""Mask customers' personal data in text and in the audit's records, keeping the KB's own facts.

Masks keep the length of what they replace (``[PHONE█████]``,
:func:`~consistency.redact.spans.mask`), so every span in a finding (evidence
spans, snippet spans) still points at the same characters, and redacting twice
changes nothing more.

What the KB states is never masked: the detectors run over every KB answer
when the :class:`Redactor` is built, and a span whose normalised value the KB
states (its helpline in any spelling, its email addresses, a postcode it
gives) is left as it is; KB evidence, ``kb_value`` and the KB's row of a
distribution are not touched at all. The KB's proper nouns ("Voltstream") are
never taken for a customer's name.

A finding holds pieces of text cut from their context: a fact's text without
the "date of birth" before it, a normalised value ("1985-03-12"), a question
cut at 120 characters in an explanation. :meth:`Redactor.redact_findings`
therefore works in two passes: it detects personal data where the full text is
(questions, snippets, answers), and then masks those same items, and the values
of every fact that was said inside personal data, wherever else they appear.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

import phonenumbers
from pydantic import BaseModel

from consistency.facts.phone import spoken_digit_runs, words_to_digits
from consistency.findings import AuditSummary, Evidence, Finding
from consistency.redact.detectors import (
    NOT_NAMES,
    Detector,
    default_detectors,
    proper_nouns,
)
from consistency.redact.spans import (
    MASK_CHAR,
    PII_KINDS,
    PIISpan,
    RedactedText,
    mask,
    masked_regions,
)

if TYPE_CHECKING:
    from consistency.kb import KnowledgeBase

__all__ = ["Redactor", "RedactorUsageError"]

T = TypeVar("T")

#: Kinds whose literal is matched by its digits, whatever separates them.
_DIGIT_KINDS = frozenset(
    {"card", "phone", "sort_code", "account", "dob", "nhs", "passport", "number"}
)
_MIN_LITERAL = 4
_ADDRESS = (
    r"(?:thanks|thank\s+you|hi|hello|hey|dear|cheers|bye|ok|okay|yes|yeah|sure|sorry|right|well"
    r"|morning|afternoon|evening|mr|mrs|ms|miss|dr)\s+"
)
# An error reason quoting the bad value: "... (got 'the value…') (and 2 more errors)".
_GOT = re.compile(r"\(got (?P<v>.+?)\)(?=(?: \(and \d+ more errors?\))?$)", re.DOTALL)
_GOT_KEEP = 20
_PASSES = 4
_NUMERIC = re.compile(r"[\d\s.,/\-–+()]+")
# A customer id made of letters only ("Jane Smith", "jane.smith", "O'Brien"): a name.
_NAME_ID = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*(?:[\s._-]+[^\W\d_]+(?:['’][^\W\d_]+)*){0,4}")
#: Letters-only ids that name nobody.
_PLACEHOLDER_IDS = frozenset({"guest", "anonymous", "anon", "unknown", "none", "null", "n/a", "na"})
#: Keys and fields that hold a customer id (masked whole when it is a bare name).
_CUSTOMER_ID_KEYS = frozenset({"customer_id", "customer_ids"})


class RedactorUsageError(ValueError):
    """A Redactor was asked for kinds it does not know; the message lists the known ones."""


class _Literals:
    """Personal data seen in full context, to be masked wherever it appears again.

    Numbers, addresses and full names are masked everywhere. A single name word
    is masked where it is capitalised ("Will", not "will"), after a greeting
    ("thanks priya"), and in any case inside the conversation it was given in.
    """

    def __init__(self, known: frozenset[str]) -> None:
        self.known = known
        self._text: dict[str, str] = {}
        self._names: set[str] = set()
        self._local: dict[str, set[str]] = {}
        self._global: tuple[re.Pattern[str] | None, ...] | None = None
        self._local_re: dict[str, re.Pattern[str]] = {}
        self._kinds: dict[str, str] = {}

    def add(self, text: str, kind: str, conversation: str | None = None) -> None:
        text = text.strip()
        digits = re.sub(r"\D", "", text)
        if kind in _DIGIT_KINDS and len(digits) >= 6 and _NUMERIC.fullmatch(text):
            pattern = r"(?<!\d)" + r"[\s.,/\-–]*".join(digits) + r"(?!\d)"
        elif len(text) >= _MIN_LITERAL and (kind != "name" or len(text.split()) > 1):
            words = [re.escape(w) for w in text.split()]
            pattern = r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)"
        else:
            pattern = ""
        if pattern and pattern not in self._text:
            self._text[pattern] = kind
            self._global = None
        if kind == "name":
            for word in re.findall(r"[^\W\d_][\w'’-]*", text):
                low = word.lower()
                if len(low) < 3 or low in NOT_NAMES or low in self.known:
                    continue
                if low not in self._names:
                    self._names.add(low)
                    self._global = None
                if conversation is not None:
                    self._local.setdefault(conversation, set()).add(low)
                    self._local_re.pop(conversation, None)

    def _patterns(self) -> tuple[re.Pattern[str] | None, ...]:
        if self._global is None:
            text = names = address = None
            if self._text:
                ordered = sorted(self._text, key=len, reverse=True)
                text = re.compile("|".join(f"(?:{p})" for p in ordered), re.IGNORECASE)
            if self._names:
                ordered = sorted(self._names, key=len, reverse=True)
                words = "|".join(re.escape(w) for w in ordered)
                capital = "|".join(
                    f"{re.escape(w[0].upper())}(?i:{re.escape(w[1:])})" for w in ordered
                )
                names = re.compile(rf"(?<![\w'’-])(?:{capital})(?![\w'’])")
                address = re.compile(rf"\b{_ADDRESS}(?P<w>{words})(?![\w'’])", re.IGNORECASE)
            self._global = (text, names, address)
            self._kinds = {}
        return self._global

    def _local_pattern(self, conversation: str | None) -> re.Pattern[str] | None:
        if conversation is None or conversation not in self._local:
            return None
        found = self._local_re.get(conversation)
        if found is None:
            words = "|".join(re.escape(w) for w in sorted(self._local[conversation], key=len)[::-1])
            found = re.compile(rf"(?<![\w'’-])(?:{words})(?![\w'’])", re.IGNORECASE)
            self._local_re[conversation] = found
        return found

    def find(self, text: str, conversation: str | None = None) -> list[PIISpan]:
        """Where ``text`` repeats known personal data (``conversation``: where it is from)."""
        text_re, names_re, address_re = self._patterns()
        out: list[PIISpan] = []
        if text_re is not None:
            for m in text_re.finditer(text):
                kind = self._kind_of(m.group())
                out.append(PIISpan(start=m.start(), end=m.end(), kind=kind, detector="literal"))  # type: ignore[arg-type]
        for pattern in (names_re, self._local_pattern(conversation)):
            if pattern is not None:
                out.extend(
                    PIISpan(start=m.start(), end=m.end(), kind="name", detector="literal")
                    for m in pattern.finditer(text)
                )
        if address_re is not None:
            out.extend(
                PIISpan(start=m.start("w"), end=m.end("w"), kind="name", detector="literal")
                for m in address_re.finditer(text)
            )
        return out

    def _kind_of(self, found: str) -> str:
        kind = self._kinds.get(found)
        if kind is None:
            kind = next(
                (k for p, k in self._text.items() if re.fullmatch(p, found, re.IGNORECASE)),
                "number",
            )
            self._kinds[found] = kind
        return kind


class Redactor:
    """Masks personal data in text, findings, errors and log lines.

    Args:
        kb: the knowledge base whose own phones, emails, postcodes and proper
            nouns stay visible; ``None`` masks every detected item.
        kinds: the PII kinds to mask (default: all of
            :data:`~consistency.redact.spans.PII_KINDS`).

    Raises:
        RedactorUsageError: an unknown kind.

    Example:
        >>> r = Redactor()
        >>> r.redact("my card is 4539 1488 0343 6467").text
        'my card is [CARD█████████████]'
    """

    def __init__(
        self, kb: KnowledgeBase | None = None, *, kinds: Iterable[str] | None = None
    ) -> None:
        chosen = tuple(kinds) if kinds is not None else PII_KINDS
        unknown = [k for k in chosen if k not in PII_KINDS]
        if unknown:
            raise RedactorUsageError(
                f"unknown PII kind(s) {', '.join(map(repr, unknown))}; "
                f"known kinds: {', '.join(PII_KINDS)}"
            )
        self.kinds = frozenset(chosen)
        answers = [e.answer for e in kb.entries] if kb is not None else []
        texts = answers + [q for e in kb.entries for q in e.questions] if kb is not None else []
        self.known_names = proper_nouns(texts)
        self.detectors: tuple[Detector, ...] = tuple(
            d for d in default_detectors(self.known_names) if d.kind in self.kinds
        )
        allowed = {(s.kind, s.value) for text in answers for s in self._raw(text)}
        #: (kind, normalised value) of every item the KB's answers state: never masked.
        self.allowed: frozenset[tuple[str, str]] = frozenset(allowed)
        self._blocks = frozenset(v[:-3] for k, v in allowed if k == "phone" and len(v) > 8)
        self._domains = _kb_domains(answers, allowed)
        self._kb_digits = tuple(
            {re.sub(r"\D", "", v) for k, v in allowed if k != "name"}
            | {"0" + v[3:] for k, v in allowed if k == "phone" and v.startswith("+44")}
        )

    # -- text ---------------------------------------------------------------------------

    def _raw(self, text: str) -> list[PIISpan]:
        return [s for d in self.detectors for s in d.detect(text)]

    def is_company(self, span: PIISpan) -> bool:
        """The company's own, not a customer's: what the KB states, and lines only a business has.

        A phone number the KB states (any spelling), one in the same thousand-block
        as a KB number (an agent misreading the helpline), or a freephone,
        premium, shared-cost or 03 number; an email address at a domain of the
        KB's addresses or web pages.
        """
        if (span.kind, span.value) in self.allowed:
            return True
        if span.kind == "phone":
            return span.value[:-3] in self._blocks or _business_line(span.value)
        if span.kind == "email":
            return span.value.rpartition("@")[2] in self._domains
        return False

    def detect(self, text: str) -> list[PIISpan]:
        """Personal data in ``text`` that is not the company's, left to right (may overlap)."""
        regions = masked_regions(text)
        scan = text
        for a, b in regions:  # a mask's label ("[DOB█]") is no cue for the next redaction
            scan = scan[:a] + MASK_CHAR * (b - a) + scan[b:]
        raw = self._raw(scan)
        # What the KB states is cut out of longer spans ("born … 0333 014 2200").
        company = [(s.start, s.end) for s in raw if (s.kind, s.value) in self.allowed]
        spans = [
            piece
            for s in raw
            if not self.is_company(s)
            for piece in _without(s, company, text)
            if not any(a <= piece.start and piece.end <= b for a, b in regions)
        ]
        spans.sort(key=lambda s: (s.start, -s.end))
        return spans

    def redact(self, text: str) -> RedactedText:
        """``text`` with every detected item masked (same length); the spans masked.

        Example:
            >>> Redactor().redact("this is Sam, DOB 01/02/1990").text
            'this is ███, DOB [DOB█████]'
        """
        return self._text(text, None)

    def redact_text(self, text: str) -> str:
        """Only the masked text (see :meth:`redact`)."""
        return self.redact(text).text

    def redact_id(self, value: str) -> str:
        """A customer id: personal data in it masked, and the whole id when it is a bare name.

        An id of letters only ("Jane Smith", "jane.smith") names the customer;
        ids with digits ("c-991") are kept unless they hold a phone, email…

        Example:
            >>> r = Redactor()
            >>> r.redact_id("Jane Smith"), r.redact_id("c-991")
            ('[NAME████]', 'c-991')
        """
        masked = self._text(value, None).text
        bare = value.strip()
        if (
            masked == value
            and "name" in self.kinds
            and _NAME_ID.fullmatch(bare)
            and bare.lower() not in _PLACEHOLDER_IDS
        ):
            return mask("name", len(value))
        return masked

    def __repr__(self) -> str:
        """Kinds and counts only: never a value it masks or keeps."""
        return (
            f"Redactor(kinds={sorted(self.kinds)}, detectors={len(self.detectors)}, "
            f"kb_items={len(self.allowed)})"
        )

    def redact_texts(self, texts: Sequence[str]) -> list[str]:
        """Texts of one conversation masked together: a name given in one is masked in all.

        Example:
            >>> Redactor().redact_texts(["my name is Sam", "ok Sam, done"])
            ['my name is ███', 'ok ███, done']
        """
        literals = _Literals(self.known_names)
        for text in texts:
            for span in self.detect(text):
                literals.add(text[span.start : span.end], span.kind, "")
        return [self._text(text, literals, (), "").text for text in texts]

    def _mask(self, text: str, spans: Sequence[PIISpan]) -> RedactedText:
        if not spans:
            return RedactedText(text=text)
        regions = masked_regions(text)
        spans = [
            s
            for s in spans
            if s.end > s.start and not any(a <= s.start and s.end <= b for a, b in regions)
        ]
        marks = sorted([(s.start, s.end, s.kind) for s in spans] + [(a, b, "") for a, b in regions])
        merged: list[list[Any]] = []
        for start, end, kind in marks:
            if merged and start < merged[-1][1]:
                last = merged[-1]
                if kind and (not last[2] or end - start > last[3]):
                    last[2], last[3] = kind, end - start
                last[1] = max(last[1], end)
            else:
                merged.append([start, end, kind, end - start if kind else 0])
        out = []
        pos = 0
        applied: list[PIISpan] = []
        for start, end, kind, _ in merged:
            out.append(text[pos:start])
            if kind:
                out.append(mask(kind, end - start))
                applied.extend(s for s in spans if start <= s.start < end)
            else:
                out.append(text[start:end])  # an earlier mask, left as it is
            pos = end
        out.append(text[pos:])
        masked = "".join(out)
        return RedactedText(text=masked, spans=tuple(applied))

    def _text(
        self,
        text: str,
        literals: _Literals | None,
        protect: Sequence[str] = (),
        conversation: str | None = None,
        extra: Sequence[PIISpan] = (),
    ) -> RedactedText:
        """Detected items and known literals masked, except inside the KB's own strings.

        Masking can leave a shorter item standing on its own that a longer run
        hid ("1985 07911 five 1985 07911 five"), so detection is repeated on the
        masked text until nothing new is found: redacting again changes nothing.
        """
        if not text:
            return RedactedText(text=text)
        kept = [(m.start(), m.end()) for p in protect if p for m in re.finditer(re.escape(p), text)]
        found: list[PIISpan] = []
        current = text
        for _ in range(_PASSES):
            spans = self.detect(current) + list(extra)
            extra = ()
            if literals is not None:
                spans += literals.find(current, conversation)
            spans = [s for s in spans if not any(a <= s.start and s.end <= b for a, b in kept)]
            result = self._mask(current, spans)
            if result.text == current:
                break
            found.extend(result.spans)
            current = result.text
        return RedactedText(text=current, spans=tuple(found))

    def _edges(self, snippet: str, keep: tuple[int, int] | None) -> list[PIISpan]:
        """Digit runs cut off at a snippet's edge (4+ digits): what was around them is unknown."""
        out = []
        for run in spoken_digit_runs(snippet, min_words=1):
            start, end = run[0][0], run[-1][1]
            if start != 0 and end != len(snippet):
                continue
            if keep is not None and start < keep[1] and keep[0] < end:
                continue
            digits = re.sub(r"\D", "", words_to_digits([w for _, _, w in run]) or "")
            if len(digits) >= 4 and not any(digits in kb for kb in self._kb_digits):
                out.append(PIISpan(start=start, end=end, kind="number", detector="edge"))
        return out

    # -- findings -----------------------------------------------------------------------

    def redact_findings(
        self, findings: Sequence[Finding], *, records: Iterable[Any] = ()
    ) -> list[Finding]:
        """Every finding with customers' personal data masked (see the module notes).

        ``records`` (the audit's :class:`~consistency.audit.models.ExchangeRecord`
        objects) add context: a name given in one exchange is then masked in
        every finding that quotes that conversation.
        """
        return self._redact_all(findings, (), records)[0]

    def redact_finding(self, finding: Finding) -> Finding:
        """One finding (its own questions and snippets are the context)."""
        return self.redact_findings([finding])[0]

    def redact_audit(
        self,
        findings: Sequence[Finding],
        summary: AuditSummary,
        errors: Sequence[T],
        *,
        records: Iterable[Any] = (),
    ) -> tuple[list[Finding], AuditSummary, list[T]]:
        """An audit's outputs redacted together: what is found in one is masked in all.

        ``records`` as for :meth:`redact_findings`.
        """
        redacted, masked_errors = self._redact_all(findings, errors, records)
        return redacted, self.redact_summary(summary), masked_errors

    def _redact_all(
        self, findings: Sequence[Finding], errors: Sequence[T], records: Iterable[Any]
    ) -> tuple[list[Finding], list[T]]:
        literals = _Literals(self.known_names)
        for conversation, text in dict.fromkeys(_contexts(findings, records)):
            for span in self.detect(text):
                literals.add(text[span.start : span.end], span.kind, conversation)
                if span.value:
                    literals.add(span.value, span.kind, conversation)
        said = {}
        for f in findings:
            for ev in _said(f):
                kind = self._pii_kind(ev, literals)
                if kind is not None:
                    for value in (ev.value, ev.display):
                        if value and len(value) >= _MIN_LITERAL:
                            said[value] = kind
                            literals.add(value, kind)
        out = [self._finding(f, literals, said) for f in findings]
        return out, [self._error(e, literals) for e in errors]

    def _pii_kind(self, ev: Evidence, literals: _Literals) -> str | None:
        """The kind of personal data the evidence's fact was said in, or ``None``."""
        if ev.snippet and ev.snippet_span is not None:
            spans = self.detect(ev.snippet) + literals.find(ev.snippet, ev.transcript_id)
            a, b = ev.snippet_span
        else:
            spans = self.detect(ev.text) + literals.find(ev.text, ev.transcript_id)
            a, b = 0, len(ev.text)
        hit = [s for s in spans if s.start < b and a < s.end]
        return max(hit, key=lambda s: s.end - s.start).kind if hit else None

    def _finding(self, f: Finding, literals: _Literals, said: dict[str, str]) -> Finding:
        kb = {f.kb_value or "", *(v.value for v in f.distribution if v.kb)}
        kb |= {x for e in f.evidence if e.source == "kb" for x in (e.text, e.value, e.display)}
        kb.discard("")
        protect = sorted(kb, key=len, reverse=True)

        def value(v: str) -> str:
            if v in kb:
                return v
            if v in said:
                return mask(said[v], len(v))
            return self._text(v, literals, protect).text

        values = tuple(value(v) for v in f.values)
        own = f.transcript_ids[0] if len(f.transcript_ids) == 1 else None
        questions = [(q, self._text(q, literals, (), own).text) for q in f.questions]
        explanation = _carry(f.explanation, questions)
        update: dict[str, Any] = {
            "values": values,
            "minority": tuple(value(v) for v in f.minority),
            "distribution": tuple(
                d if d.kb else d.model_copy(update={"value": value(d.value)})
                for d in f.distribution
            ),
            "explanation": self._text(explanation, literals, protect, own).text,
            "questions": tuple(masked for _, masked in questions),
            "evidence": tuple(self._evidence(e, literals, said) for e in f.evidence),
            "answers": tuple(self._evidence(e, literals, said) for e in f.answers),
            "customer_ids": tuple(self.redact_id(c) for c in f.customer_ids),
        }
        for name in type(f).model_fields:  # fields added later: their text is masked too
            if name not in update and name not in _NOT_TEXT:
                update[name] = self._generic(getattr(f, name), literals, protect, name)
        redacted = f.model_copy(update=update)
        return redacted.with_id() if values != f.values else redacted

    def _generic(
        self, value: Any, literals: _Literals, protect: Sequence[str], field: str = ""
    ) -> Any:
        if isinstance(value, str):
            if field in _CUSTOMER_ID_KEYS:
                return self.redact_id(value)
            return self._text(value, literals, protect).text
        if isinstance(value, tuple):
            return tuple(self._generic(v, literals, protect, field) for v in value)
        if isinstance(value, BaseModel):
            return value.model_copy(
                update={
                    name: self._generic(getattr(value, name), literals, protect, name)
                    for name in type(value).model_fields
                    if name not in _NOT_TEXT
                }
            )
        return value

    def _evidence(self, ev: Evidence, literals: _Literals, said: dict[str, str]) -> Evidence:
        if ev.source == "kb":
            return ev
        update: dict[str, Any] = {}
        span = ev.snippet_span
        snippet = ev.snippet
        if snippet:
            edges = self._edges(snippet, span) if span is not None else ()
            snippet = self._text(snippet, literals, (), ev.transcript_id, edges).text
            update["snippet"] = snippet
        if span is not None and ev.snippet[span[0] : span[1]] == ev.text:
            update["text"] = snippet[span[0] : span[1]]
        elif ev.snippet == ev.text:
            update["text"] = snippet
        else:
            update["text"] = self._text(ev.text, literals, (), ev.transcript_id).text
        kind = said.get(ev.value) or said.get(ev.display)
        if kind is not None and update["text"] == ev.text:
            update["text"] = mask(kind, len(ev.text))
        if kind is not None or update["text"] != ev.text:
            kind = kind or "number"
            for name in ("value", "display"):
                update[name] = mask(said.get(getattr(ev, name), kind), len(getattr(ev, name)))
        else:
            for name in ("value", "display"):
                update[name] = self._text(getattr(ev, name), literals).text
        if ev.customer_id:
            update["customer_id"] = self.redact_id(ev.customer_id)
        return ev.model_copy(update=update)

    # -- errors, summary, JSON ------------------------------------------------------------

    def redact_error(self, error: T) -> T:
        """An ingest error (model, dict or string) with its reason masked.

        A bad value the reason quotes ("(got '…')") is masked whole unless it is
        short and plainly not personal data: it is the customer's input, and a
        quote cut at 50 characters may hold a number too short to recognise.
        """
        return self._error(error, None)

    def _error(self, error: T, literals: _Literals | None) -> T:
        if isinstance(error, str):
            return self._reason(error, literals)  # type: ignore[return-value]
        if isinstance(error, BaseModel):
            reason = getattr(error, "reason", None)
            if isinstance(reason, str):
                return error.model_copy(update={"reason": self._reason(reason, literals)})  # type: ignore[return-value]
            return error
        if isinstance(error, dict) and isinstance(error.get("reason"), str):
            return {**error, "reason": self._reason(error["reason"], literals)}  # type: ignore[return-value]
        return error

    def _reason(self, reason: str, literals: _Literals | None) -> str:
        masked = self._text(reason, literals).text
        got = _GOT.search(masked)
        if got is None:
            return masked
        quoted = got.group("v")
        plain = (
            len(quoted) <= _GOT_KEEP
            and not any(c.isdigit() for c in quoted)
            and not self.detect(quoted)
            and "█" not in quoted
        )
        if plain:
            return masked
        start, end = got.span("v")
        return masked[:start] + mask("input", end - start) + masked[end:]

    def redact_summary(self, summary: AuditSummary) -> AuditSummary:
        """``summary.json``: counts, KB topics and entries, agent ids and days; only ``out`` is text.

        Agent ids are kept (they name employees' work, and masking them would
        merge the per-agent rows); a path with personal data in it is masked.
        """
        if summary.out is None:
            return summary
        return summary.model_copy(update={"out": self.redact_text(summary.out)})

    def redact_json(self, data: T) -> T:
        """Every string in a JSON-like value masked; KB-side values left alone.

        For files written by others (``redact_outputs``): a dict with
        ``"source": "kb"`` or ``"kb": true`` and the ``kb_value`` key are the
        KB's; ids and enum-like keys (``kind``, ``entry_id``…) are not text.
        """
        return self._json(data)  # type: ignore[no-any-return]

    def _json(self, data: Any, key: str | None = None) -> Any:
        if isinstance(data, str):
            if key in _CUSTOMER_ID_KEYS:
                return self.redact_id(data)
            return data if key in _JSON_KEEP else self.redact_text(data)
        if isinstance(data, dict):
            if data.get("source") == "kb" or data.get("kb") is True:
                return data
            return {k: self._json(v, k) for k, v in data.items()}
        if isinstance(data, list | tuple):
            return type(data)(self._json(v, key) for v in data)
        return data


#: JSON keys whose strings are ids, enums or the KB's: never customer text.
_JSON_KEEP = frozenset(
    {
        "kb_value",
        "kb_text",
        "canonical",
        "entry_id",
        "id",
        "kind",
        "fact_kind",
        "type",
        "source",
        "severity",
        "topic",
        "group",
        "agent_id",
        "agent_ids",
        "transcript_id",
        "transcript_ids",
        "started_at",
        "first_seen",
        "last_seen",
        "schema_version",
        "status",
        "file",
        "loc",
        "macro_id",
    }
)


_BUSINESS_TYPES = frozenset(
    {
        phonenumbers.PhoneNumberType.TOLL_FREE,
        phonenumbers.PhoneNumberType.PREMIUM_RATE,
        phonenumbers.PhoneNumberType.SHARED_COST,
        phonenumbers.PhoneNumberType.UAN,
    }
)


def _business_line(value: str) -> bool:
    """Freephone, premium, shared-cost and UK 03 numbers: lines people do not have at home."""
    if not value.startswith("+"):
        return False
    try:
        number = phonenumbers.parse(value, "GB")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.number_type(number) in _BUSINESS_TYPES


def _kb_domains(answers: Sequence[str], allowed: Iterable[tuple[str, str]]) -> frozenset[str]:
    """The domains of the KB's email addresses and web pages (``voltstream.co.uk``)."""
    from consistency.facts.url import EXTRACTOR as URL_EXTRACTOR

    domains = {v.rpartition("@")[2] for k, v in allowed if k == "email"}
    for text in answers:
        for fact in URL_EXTRACTOR.extract(text):
            host = urlsplit(str(fact.value)).hostname or ""
            domains.add(host.removeprefix("www."))
    domains.discard("")
    return frozenset(domains)


def _without(span: PIISpan, company: Sequence[tuple[int, int]], text: str) -> Iterator[PIISpan]:
    """``span`` minus the company's own spans inside it ("born … 0333 014 2200")."""
    pieces = [(span.start, span.end)]
    for a, b in company:
        cut: list[tuple[int, int]] = []
        for s, e in pieces:
            if s < b and a < e:
                cut.extend(p for p in ((s, min(e, a)), (max(s, b), e)) if p[1] > p[0])
            else:
                cut.append((s, e))
        pieces = cut
    for s, e in pieces:
        while s < e and not text[s].isalnum():
            s += 1
        while e > s and not text[e - 1].isalnum():
            e -= 1
        if e > s:
            yield (
                span
                if (s, e) == (span.start, span.end)
                else span.model_copy(update={"start": s, "end": e})
            )


#: Fields of findings (and of models inside them) that are ids, kinds, times or the KB's.
_NOT_TEXT = frozenset(
    {
        "kind", "transcript_ids", "agent_ids", "entry_id", "fact_kind", "schema_version", "id",
        "severity", "topic", "group", "kb_value", "minority_agent_ids", "volume", "first_seen",
        "last_seen", "macro_id", "made_at", "due", "due_source", "reason", "chased_at",
        "fulfilled_at", "agent_id", "transcript_id", "started_at", "source",
    }
)  # fmt: skip


def _carry(text: str, sources: Sequence[tuple[str, str]]) -> str:
    """Copy the masks of ``sources`` (original, masked) into ``text`` where it quotes them.

    A quote may be cut (an explanation quotes a question's first 120
    characters): the longest stretch of the original that ``text`` repeats is
    replaced by the same stretch of the masked version.
    """
    for original, masked in sources:
        if original == masked or len(original) < 20:
            continue
        at = text.find(original[:20])
        while at >= 0:
            n = 20
            while n < len(original) and at + n < len(text) and text[at + n] == original[n]:
                n += 1
            text = text[:at] + masked[:n] + text[at + n :]
            at = text.find(original[:20], at + n)
    return text


def _said(f: Finding) -> Iterator[Evidence]:
    for ev in (*f.evidence, *f.answers):
        if ev.source == "answer" and ev.value:
            yield ev


def _contexts(
    findings: Iterable[Finding], records: Iterable[Any]
) -> Iterator[tuple[str | None, str]]:
    """(conversation, text) of the texts that hold personal data in full context."""
    for f in findings:
        own = f.transcript_ids[0] if len(f.transcript_ids) == 1 else None
        for question in f.questions:
            yield own, question
        for ev in (*f.evidence, *f.answers):
            if ev.source != "kb":
                yield ev.transcript_id, ev.snippet or ev.text
    for r in records:
        conversation = getattr(r, "transcript_id", None)
        for text in (getattr(r, "question", None), getattr(r, "answer", None)):
            if text:
                yield conversation, text
        for fact in getattr(r, "facts", ()):
            if getattr(fact, "snippet", ""):
                yield conversation, fact.snippet
