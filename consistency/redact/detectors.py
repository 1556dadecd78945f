"""PII detectors: one small class per kind, each returning spans over the original text.

A detector finds what it can without knowing the KB; the :class:`Redactor`
drops what the KB itself states (its helpline, its addresses). Spoken text is
the normal case: numbers read out digit by digit ("four five three nine",
"double oh") are read with the phone extractor's digit reader
(:func:`consistency.facts.phone.spoken_digit_runs`), so a card number typed,
read out or both is one run of digits.

* ``card``: 13–19 digits (spaces, dashes or words between), Luhn-valid, starting
  2–6 (the card networks' ranges). An order, reference or IMEI number is kept
  even when its digits happen to pass Luhn.
* ``phone``: every number the phone extractor validates, plus 9–15 digits after
  "my number", "call me back on", "mobile number" (numbers it cannot validate).
* ``email``: the email extractor's addresses, typed or read out.
* ``postcode``: UK postcodes, any case ("SW1A 1AA", "sw1a 1aa").
* ``sort_code``: ``nn-nn-nn`` anywhere; six digits after "sort code".
* ``account``: 6–10 digits after "account number", "account no", "a/c".
* ``dob``: a date after "date of birth", "DOB", "born on", "birthday".
* ``name``: capitalised words after "my name is", "this is", "I'm",
  "speaking to", "thanks"/"hi"; in lower-case speech, the one or two words
  after "my name is" (stopping at function words).

Order numbers are not personal data and are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import ClassVar

import phonenumbers

from consistency.facts.email import EXTRACTOR as EMAIL_EXTRACTOR
from consistency.facts.numbers import words_to_number
from consistency.facts.phone import EXTRACTOR as PHONE_EXTRACTOR
from consistency.facts.phone import spoken_digit_runs, words_to_digits
from consistency.redact.spans import MASK_CHAR, PIISpan

__all__ = [
    "NOT_NAMES",
    "AccountNumberDetector",
    "CardNumberDetector",
    "DateOfBirthDetector",
    "Detector",
    "EmailDetector",
    "NameDetector",
    "PhoneDetector",
    "PostcodeDetector",
    "SortCodeDetector",
    "default_detectors",
    "luhn_valid",
    "proper_nouns",
]

Word = tuple[int, int, str]


def _wordset(words: str) -> frozenset[str]:
    """A set of words written as one string, to keep long vocabularies readable."""
    return frozenset(words.split())


Run = tuple[Word, ...]


@lru_cache(maxsize=4096)
def _runs(text: str) -> tuple[Run, ...]:
    """Digit runs of ``text`` (typed, spoken, mixed), one word or more; cached per text."""
    return tuple(tuple(run) for run in spoken_digit_runs(text, min_words=1))


def _digits(words: Iterable[Word]) -> str | None:
    """The digits a stretch of a run reads as (a leading ``+`` kept), or ``None``."""
    read = words_to_digits([w for _, _, w in words])
    if not read or not read.lstrip("+").isdigit():
        return None
    return read


def _run_after(text: str, pos: int, *, gap: int = 25) -> Run | None:
    """The first digit run starting within ``gap`` characters after ``pos`` (no digits between)."""
    for run in _runs(text):
        start = run[0][0]
        if start < pos:
            continue
        if start - pos > gap or any(c.isdigit() or c == MASK_CHAR for c in text[pos:start]):
            return None  # too far, or the value after the cue is already masked
        return run
    return None


def _prefix(run: Run, low: int, high: int) -> tuple[int, str] | None:
    """The longest leading stretch of ``run`` reading as ``low``–``high`` digits: (words, digits)."""
    best: tuple[int, str] | None = None
    for j in range(1, min(len(run), 3 * high) + 1):
        read = _digits(run[:j])
        if read is None:
            continue
        n = len(read.lstrip("+"))
        if n > high:
            break
        if n >= low:
            best = (j, read)
    return best


def _dedupe(spans: list[PIISpan]) -> list[PIISpan]:
    """Left to right, dropping a span that overlaps one already kept (the longer wins a tie)."""
    kept: list[PIISpan] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if not kept or span.start >= kept[-1].end:
            kept.append(span)
    return kept


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum every payment card number satisfies.

    Example:
        >>> luhn_valid("4539148803436467"), luhn_valid("4539148803436468")
        (True, False)
    """
    if not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


class Detector:
    """One kind of personal data: ``detect(text)`` returns its spans, left to right."""

    kind: ClassVar[str] = ""

    def detect(self, text: str) -> list[PIISpan]:
        raise NotImplementedError

    def _span(self, start: int, end: int, value: str, kind: str | None = None) -> PIISpan:
        return PIISpan(
            start=start,
            end=end,
            kind=kind or self.kind,  # type: ignore[arg-type]
            value=value,
            detector=type(self).__name__,
        )


# -- card numbers -------------------------------------------------------------------------

_NOT_A_CARD = re.compile(
    r"\b(?:order|reference|ref|tracking|invoice|confirmation|case|ticket|parcel|consignment"
    r"|serial|imei|model|barcode|voucher|gift)\b[^.?!]{0,25}$",
    re.IGNORECASE,
)
_CARD_WORD = re.compile(r"\bcard\b", re.IGNORECASE)
_CARD_MIN, _CARD_MAX = 13, 19


class CardNumberDetector(Detector):
    """Payment card numbers, typed or read out: 13–19 digits, Luhn-valid, first digit 2–6."""

    kind: ClassVar[str] = "card"

    def detect(self, text: str) -> list[PIISpan]:
        out: list[PIISpan] = []
        for run in _runs(text):
            whole = _digits(run)
            if (whole is None and len(run) == 1) or (
                whole is not None and len(whole.lstrip("+")) < _CARD_MIN
            ):
                continue
            i = 0
            while i < len(run):
                hit = self._best_from(run, i)
                if hit is None:
                    i += 1
                    continue
                j, digits = hit
                start, end = run[i][0], run[j - 1][1]
                before = text[max(0, start - 40) : start]
                if not (_NOT_A_CARD.search(before) and not _CARD_WORD.search(before)):
                    out.append(self._span(start, end, digits))
                i = j
        return out

    @staticmethod
    def _best_from(run: Run, i: int) -> tuple[int, str] | None:
        """The longest card number starting at word ``i``: (end word, digits)."""
        best: tuple[int, str] | None = None
        for j in range(i + 1, min(len(run), i + 2 * _CARD_MAX) + 1):
            digits = _digits(run[i:j])
            if digits is None:
                continue
            if len(digits) > _CARD_MAX or digits.startswith("+"):
                break
            if len(digits) >= _CARD_MIN and digits[0] in "23456" and luhn_valid(digits):
                best = (j, digits)
        return best


# -- phones and emails ----------------------------------------------------------------------

_RELAY = frozenset({"18001", "18002"})
_PHONE_CUE = re.compile(
    r"\b(?:(?:phone|mobile|telephone|landline|contact|home|work|cell|my)\s+(?:number|no\.?)"
    r"|(?:call|ring|phone|text|reach)\s+(?:me|you)(?:\s+back)?\s+(?:on|at)"
    r"|my\s+(?:mobile|phone|landline|cell)(?:\s+is)?)",
    re.IGNORECASE,
)


#: UK mobile and geographic numbers, national (11 digits) or international form.
_UK_NUMBER = re.compile(r"0[127]\d{9}|\+?44[127]\d{9}")


def _e164(digits: str) -> str:
    """E.164 when ``digits`` parse as a number (any validity), else the digits themselves."""
    try:
        number = phonenumbers.parse(digits, "GB")
    except phonenumbers.NumberParseException:
        return digits
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class PhoneDetector(Detector):
    """Phone numbers: the phone extractor's (E.164), and digit runs a cue names as a number."""

    kind: ClassVar[str] = "phone"

    def detect(self, text: str) -> list[PIISpan]:
        out = [
            self._span(f.span[0], f.span[1], str(f.value))
            for f in PHONE_EXTRACTOR.extract(text)
            if str(f.value) not in _RELAY
        ]
        for cue in _PHONE_CUE.finditer(text):
            run = _run_after(text, cue.end())
            hit = _prefix(run, 9, 15) if run is not None else None
            if run is not None and hit is not None:
                out.append(self._span(run[0][0], run[hit[0] - 1][1], _e164(hit[1])))
        # Without a cue: a whole run that reads as a UK mobile or landline number
        # ("07911 123456", "oh seven nine one one ..."), typed or spoken.
        for run in _runs(text):
            read = _digits(run)
            if read is not None and _UK_NUMBER.fullmatch(read):
                out.append(self._span(run[0][0], run[-1][1], _e164(read)))
        return _dedupe(out)


class EmailDetector(Detector):
    """Email addresses, typed or read out ("jo dot bloggs at gmail dot com"), lower-cased."""

    kind: ClassVar[str] = "email"

    def detect(self, text: str) -> list[PIISpan]:
        if "@" not in text and " at " not in text.lower():
            return []
        return [
            self._span(f.span[0], f.span[1], str(f.value)) for f in EMAIL_EXTRACTOR.extract(text)
        ]


# -- postcodes, bank details ----------------------------------------------------------------

_POSTCODE = re.compile(
    r"(?<![\w\[])(?:GIR\s?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2})(?!\w)",
    re.IGNORECASE,
)


class PostcodeDetector(Detector):
    """UK postcodes in any case; the value is upper-case without spaces."""

    kind: ClassVar[str] = "postcode"

    def detect(self, text: str) -> list[PIISpan]:
        if not any(c.isdigit() for c in text):
            return []
        return [
            self._span(m.start(), m.end(), re.sub(r"\s", "", m.group()).upper())
            for m in _POSTCODE.finditer(text)
        ]


_SORT_WRITTEN = re.compile(r"(?<![\w-])\d{2}-\d{2}-\d{2}(?![\w-])")
_SORT_CUE = re.compile(r"\bsort[\s-]?code\b", re.IGNORECASE)


class SortCodeDetector(Detector):
    """Sort codes: ``nn-nn-nn`` anywhere, six digits (typed or read out) after "sort code".

    An account number read straight after the sort code, in the same run of
    digits, is masked with it.
    """

    kind: ClassVar[str] = "sort_code"

    def detect(self, text: str) -> list[PIISpan]:
        out = [
            self._span(m.start(), m.end(), m.group().replace("-", ""))
            for m in _SORT_WRITTEN.finditer(text)
        ]
        for cue in _SORT_CUE.finditer(text):
            run = _run_after(text, cue.end())
            hit = _prefix(run, 6, 6) if run is not None else None
            if run is None or hit is None:
                continue
            j, digits = hit
            out.append(self._span(run[0][0], run[j - 1][1], digits))
            rest = _prefix(run[j:], 6, 10)
            if rest is not None:
                k, account = rest
                out.append(self._span(run[j][0], run[j + k - 1][1], account, "account"))
        return _dedupe(out)


_ACCOUNT_CUE = re.compile(
    r"\b(?:(?:bank\s+)?account\s+(?:number|no\.?|num)|acc(?:ount)?\.?\s+no\.?|a/c(?:\s+no\.?)?)",
    re.IGNORECASE,
)
#: "account" alone: only digits right after it count ("... account 12345678").
_BARE_ACCOUNT_CUE = re.compile(r"\baccount(?:\s+is)?", re.IGNORECASE)


class AccountNumberDetector(Detector):
    """Bank account numbers: 6–10 digits, typed or read out, right after "account (number)".

    A bare "account" counts too ("sort code 20-00-00 account 12345678"): the digits must
    start within a few characters of the cue, so "account ... order 123456" does not.
    """

    kind: ClassVar[str] = "account"

    def detect(self, text: str) -> list[PIISpan]:
        out = []
        cues = [(m.end(), 25) for m in _ACCOUNT_CUE.finditer(text)]
        cues += [(m.end(), 2) for m in _BARE_ACCOUNT_CUE.finditer(text)]
        for end, gap in cues:
            run = _run_after(text, end, gap=gap)
            hit = _prefix(run, 6, 10) if run is not None else None
            if run is not None and hit is not None:
                out.append(self._span(run[0][0], run[hit[0] - 1][1], hit[1]))
        return _dedupe(out)


# -- dates of birth -------------------------------------------------------------------------

_DOB_CUE = re.compile(
    r"\b(?:date\s+of\s+birth|birth\s*date|d\.?o\.?b\b\.?|born(?:\s+on)?|birthday|b-?day)",
    re.IGNORECASE,
)
_MONTHS = _wordset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec"""
)
_DATE_FILLER = frozenset({"of", "the", "oh", "o", "and", "hundred"})
_DATE_TOKEN = re.compile(r"(?P<num>\d+(?:st|nd|rd|th)?)|(?P<word>[^\W\d_]+)|(?P<sep>[/.,'’-])")
_DOB_WINDOW = 120
_DOB_GAP = 30


def _date_number(token: str) -> bool:
    """Digits that can be part of a date: a day or month, a year, or ddmmyy(yy) written together."""
    digits = token.rstrip("stndrh")
    n = len(digits)
    return n in (1, 2) or (n == 4 and digits[0] in "12") or (n in (6, 8) and token.isdigit())


class DateOfBirthDetector(Detector):
    """A date (typed or spoken, any order) right after "date of birth", "DOB", "born on"."""

    kind: ClassVar[str] = "dob"

    def detect(self, text: str) -> list[PIISpan]:
        out = []
        for cue in _DOB_CUE.finditer(text):
            hit = self._date_after(text, cue.end())
            if hit is not None:
                out.append(self._span(*hit))
        return out

    @staticmethod
    def _date_after(text: str, pos: int) -> tuple[int, int, str] | None:
        first = last = -1
        numbers = months = long_digits = 0
        for m in _DATE_TOKEN.finditer(text, pos, min(len(text), pos + _DOB_WINDOW)):
            token = m.group()
            low = token.lower()
            if m.group("num") is not None:
                item = _date_number(token)
                if not item and first < 0:
                    return None  # "DOB is 0333 014 2200": a number, not a date
                numbers += item
                long_digits += item and len(token) >= 6
            elif m.group("word") is not None and low in _MONTHS:
                item = True
                months += 1
            elif m.group("word") is not None and words_to_number(low) is not None:
                item = True
                numbers += 1
            else:
                item = False
            if first < 0:
                if item:
                    if m.start() - pos > _DOB_GAP or MASK_CHAR in text[pos : m.start()]:
                        return None
                    first = m.start()
                    last = m.end()
                continue
            if item:
                last = m.end()
            elif m.group("sep") is None and low not in _DATE_FILLER:
                break
        if first < 0 or not (months or numbers >= 2 or long_digits):
            return None
        return first, last, text[first:last].lower()


# -- names ----------------------------------------------------------------------------------

_FUNCTION_WORDS = _wordset(
    """a an the and or but so if then than to of in on at by for from with about as into over
    after before i i'm im me my mine you your we our us they their them he him his she her it
    its it's is am are was were be been being do does did have has had will would shall should
    can could may might must not no yes yeah yep ok okay um uh er erm hmm ah oh well right just
    please thanks thank hi hello hey bye sorry calling phoning ringing here there this that
    these those what when where why how who which also too very really still actually
    basically like love mate sir madam"""
)
# Capitalised words after "this is" / "I'm" that are not names.
NOT_NAMES = _FUNCTION_WORDS | _wordset(
    """afraid sure happy glad pleased able unable looking trying going waiting wondering
    interested fine good great new back done customer customers service services support
    team help helpdesk desk department monday tuesday wednesday thursday friday saturday
    sunday january february march april june july august september october november december
    today tomorrow yesterday morning afternoon evening christmas easter cheers bye goodbye
    thanks everyone all folks"""
)
_TITLES = r"(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Dame)\.?\s+)"
_CAP_WORD = r"[A-ZÀ-ÖØ-Þ](?:[a-zß-öø-ÿ]|['’][A-ZÀ-ÖØ-Þ])[^\W\d_'’-]*(?:['’-][^\W\d_]+)*"
_CUE_CAP = re.compile(
    r"\b(?:my\s+(?:full\s+)?name\s+is|my\s+name's|name's|(?:the\s+)?name\s+is|this\s+is"
    r"|i'm|i’m|i\s+am|call\s+me|speaking\s+(?:to|with)|thanks|thank\s+you|hi|hello|dear"
    r"|name\s+on\s+the\s+(?:card|account)\s+is)\s+",
    re.IGNORECASE,
)
_CUE_LOWER = re.compile(
    r"\b(?:my\s+(?:full\s+)?name\s+is|my\s+name's|name\s+on\s+the\s+(?:card|account)\s+is)\s+",
    re.IGNORECASE,
)
# A name the sentence ends on, after a comma: "…9am to 5pm, Aisha."
_VOCATIVE = re.compile(rf",\s+(?P<w>{_CAP_WORD})(?=\s*(?:[.!?]|$))")
_NAME_RUN = re.compile(rf"{_TITLES}?{_CAP_WORD}(?:\s+{_CAP_WORD}){{0,2}}")
# After "my name is" any case will do (speech recognition writes "sam O'Brien").
_LOWER_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def proper_nouns(texts: Iterable[str]) -> frozenset[str]:
    """Capitalised words that are not the first of a sentence (brands, products), lower-cased.

    The KB's own proper nouns ("Voltstream", "Black Friday") are not customers' names.
    """
    found: set[str] = set()
    for text in texts:
        for m in re.finditer(r"(?<=[^\s.!?:]\s)[A-Z][A-Za-z'’-]+|(?<=[^\s.!?:]\s\()[A-Z]\w+", text):
            found.add(m.group().lower())
    return frozenset(found)


class NameDetector(Detector):
    """Names people give or are called by ("my name is Jo Bloggs", "thanks Priya", "…, Sam.").

    Args:
        known: lower-cased words never taken for a name (the KB's proper nouns).
    """

    kind: ClassVar[str] = "name"

    def __init__(self, known: Iterable[str] = ()) -> None:
        self.known = frozenset(known)

    def _is_name(self, word: str) -> bool:
        low = re.sub(r"['’]s$", "", word.lower()).strip("'’-")
        return len(low) >= 2 and low not in NOT_NAMES and low not in self.known

    def detect(self, text: str) -> list[PIISpan]:
        out: list[PIISpan] = []
        for cue in _CUE_CAP.finditer(text):
            m = _NAME_RUN.match(text, cue.end())
            if m is None:
                continue
            end = None
            for w in re.finditer(rf"{_TITLES}|{_CAP_WORD}", m.group()):
                if not self._is_name(w.group().rstrip(". ")):
                    break
                end = m.start() + w.end()
            if end is not None:
                out.append(self._span(cue.end(), end, text[cue.end() : end].lower()))
        for cue in _CUE_LOWER.finditer(text):
            pos, end, taken = cue.end(), None, 0
            while taken < 2:
                w = _LOWER_WORD.match(text, pos)
                if (
                    w is None
                    or not self._is_name(w.group())
                    or words_to_number(w.group()) is not None
                ):
                    break
                end, taken = w.end(), taken + 1
                gap = re.match(r"[ \t]+", text[end:])
                if gap is None:
                    break
                pos = end + gap.end()
            if end is not None:
                out.append(self._span(cue.end(), end, text[cue.end() : end].lower()))
        for m in _VOCATIVE.finditer(text):
            if self._is_name(m.group("w")):
                out.append(self._span(m.start("w"), m.end("w"), m.group("w").lower()))
        return _dedupe(out)


def default_detectors(known_names: Iterable[str] = ()) -> tuple[Detector, ...]:
    """One detector per kind, in the order their spans win when they overlap."""
    return (
        CardNumberDetector(),
        SortCodeDetector(),
        AccountNumberDetector(),
        PhoneDetector(),
        EmailDetector(),
        PostcodeDetector(),
        DateOfBirthDetector(),
        NameDetector(known_names),
    )
