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
* ``name``: capitalised words after "my name is", "this is", "it's", "I'm",
  "speaking to", "thanks"/"hi", or before "speaking"/"here"/"calling" ("Tom
  Baker speaking"); in lower-case speech, the one or two words after "my name
  is", or between "it's"/"this is" and "speaking" (stopping at function words).
* ``address``: a house number (typed or read out, "flat 3," before it) and one
  to three words of a street name ending in a street type ("14 Acacia Avenue",
  "twenty two mill lane").
* ``nhs``: 10 digits passing the NHS mod-11 check, grouped 3-3-4 or read out;
  any 10 digits after "NHS number".
* ``nino``: National Insurance numbers, two letters, six digits and A–D
  ("QQ 12 34 56 C", "q q one two three four five six c"); the suffix may be
  left off after a cue.
* ``passport``: 9 digits after "passport" (or just before it).
* ``iban``: IBANs, typed in groups or read out, passing the mod-97 check.
* ``card`` read in pieces: two to four digit runs close together ("4921 3012
  ... and the rest is 8834 1290") whose digits together make a card number.

Order numbers are not personal data and are left alone.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
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
    "AddressDetector",
    "CardNumberDetector",
    "DateOfBirthDetector",
    "Detector",
    "EmailDetector",
    "IbanDetector",
    "NameDetector",
    "NationalInsuranceDetector",
    "NhsNumberDetector",
    "PassportDetector",
    "PhoneDetector",
    "PostcodeDetector",
    "SortCodeDetector",
    "default_detectors",
    "iban_valid",
    "luhn_valid",
    "nhs_valid",
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
# A card read in pieces: each piece this long at least, this far apart at most.
_PIECE_MIN, _PIECE_LONG, _PIECE_GAP, _PIECES_MAX = 4, 8, 40, 4


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
        return _dedupe(out + self._pieces(text))

    def _pieces(self, text: str) -> list[PIISpan]:
        """A card number read in 2–4 pieces a few words apart ("4921 3012 … the rest is 8834 1290").

        Each piece is 4+ digits and the gaps hold no digit; the pieces together
        must be a card number (length, first digit, Luhn). One piece of 8+
        digits, or "card" just before, rules out years and times read together.
        """
        runs = [(run, _digits(run)) for run in _runs(text)]
        out: list[PIISpan] = []
        for i in range(len(runs)):
            first, digits = runs[i]
            if digits is None or not digits.isdigit() or len(digits) < _PIECE_MIN:
                continue
            for j in range(i + 1, min(len(runs), i + _PIECES_MAX)):
                run, more = runs[j]
                gap = text[runs[j - 1][0][-1][1] : run[0][0]]
                if (
                    more is None
                    or not more.isdigit()
                    or len(more) < _PIECE_MIN
                    or len(gap) > _PIECE_GAP
                    or any(c.isdigit() or c == MASK_CHAR for c in gap)
                ):
                    break
                digits += more
                if len(digits) > _CARD_MAX:
                    break
                pieces = runs[i : j + 1]
                start = first[0][0]
                before = text[max(0, start - 60) : start]
                if (
                    len(digits) >= _CARD_MIN
                    and digits[0] in "23456"
                    and luhn_valid(digits)
                    and not (_NOT_A_CARD.search(before) and not _CARD_WORD.search(before))
                    and (
                        _CARD_WORD.search(before)
                        or any(len(d or "") >= _PIECE_LONG for _, d in pieces)
                    )
                ):
                    out.extend(self._span(r[0][0], r[-1][1], digits) for r, _ in pieces)
                    break
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
            if str(f.value).startswith("+")  # not relay prefixes, short or service numbers
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


# -- addresses ------------------------------------------------------------------------------

_NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety"
)
_NUM_WORD = "(?:" + "|".join(_NUMBER_WORDS.split()) + ")"
# A house number: "14", "14a", "fourteen", "twenty two", "one hundred and two".
_HOUSE = (
    rf"(?:\d{{1,4}}[a-zA-Z]?|{_NUM_WORD}(?:[\s-]+hundred(?:\s+and)?)?(?:[\s-]+{_NUM_WORD}){{0,2}})"
)
_STREET_TYPES = _wordset(
    """street st road rd avenue ave lane ln drive dr close crescent cres court ct place pl
    terrace gardens gdns grove way walk mews row rise view parade square sq green park gate
    yard wharf boulevard hill"""
)
# Words a street name is never made of (so "3 kids at the park" is no address).
_NOT_STREET = _wordset(
    """a an the and or but so if to of in on at by for from with as into my your our their his
    her its it is are was were be been i you we they he she me us them this that these those
    there here days day weeks week months month years year hours hour minutes mins working
    business items item orders order pounds quid times people kids more less about around
    only just also then"""
)
_STREET_WORD = r"(?:[A-Za-z][A-Za-z'’.-]*)"
_ADDRESS = re.compile(
    rf"(?<![\w'’])(?:(?:flat|apartment|apt\.?|unit|suite)\s+(?:\d{{1,4}}[a-zA-Z]?|{_NUM_WORD})"
    rf"\s*,?\s+)?{_HOUSE},?\s+(?P<name>(?:{_STREET_WORD}\s+){{1,3}})"
    rf"(?P<type>{'|'.join(sorted(_STREET_TYPES, key=len, reverse=True))})\.?(?![\w'’])",
    re.IGNORECASE,
)


_HAS_STREET_TYPE = re.compile(
    rf"\b(?:{'|'.join(sorted(_STREET_TYPES, key=len, reverse=True))})\b", re.IGNORECASE
)


class AddressDetector(Detector):
    """Street addresses: a house number, a street name, a street type ("flat 3, 22 Mill Lane").

    Typed or read out, any case; the value is the address lower-cased with
    single spaces, so an address the KB states (a returns depot) stays visible.
    """

    kind: ClassVar[str] = "address"

    def detect(self, text: str) -> list[PIISpan]:
        if not _HAS_STREET_TYPE.search(text):
            return []
        out = []
        for m in _ADDRESS.finditer(text):
            words = m.group("name").split()
            if any(w.lower().strip(".'’-") in _NOT_STREET for w in words):
                continue
            value = " ".join(m.group().lower().replace(",", " ").split())
            out.append(self._span(m.start(), m.end(), value))
        return out


# -- identity numbers: NHS, National Insurance, passport, IBAN -------------------------------

_ONES = {
    "zero": "0", "oh": "0", "o": "0", "nought": "0", "nil": "0", "one": "1", "two": "2",
    "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}  # fmt: skip
_TEENS = {
    "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14",
    "fifteen": "15", "sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19",
}  # fmt: skip
_TENS = {
    "twenty": "2", "thirty": "3", "forty": "4", "fifty": "5", "sixty": "6", "seventy": "7",
    "eighty": "8", "ninety": "9",
}  # fmt: skip
_TIMES = {"double": 2, "triple": 3, "treble": 3}
_CODE_WORD = re.compile(r"[A-Za-z0-9]+")
_CODE_GAP = re.compile(r"[ \t,.\-–]*")


class _Code:
    """A run of letters and digits, typed or read out ("GB82 WEST 12…", "q q one two…").

    ``chars`` is the upper-case code; ``spans[i]`` is where ``chars[i]`` was said
    (a whole word for "double four" or "forty five"); a stretch of the code can
    only begin at a word's first character and end after a word's last.
    ``letter_o`` holds the places read as ``0`` from "o"/"oh", which may have
    been the letter O.
    """

    __slots__ = ("chars", "ends", "letter_o", "spans", "starts")

    def __init__(self) -> None:
        self.chars = ""
        self.spans: list[tuple[int, int]] = []
        self.starts: set[int] = set()
        self.ends: set[int] = set()
        self.letter_o: set[int] = set()

    def add(self, chars: str, start: int, end: int, *, letter_o: bool = False) -> None:
        self.starts.add(len(self.chars))
        if letter_o:
            self.letter_o.update(range(len(self.chars), len(self.chars) + len(chars)))
        self.chars += chars
        self.spans.extend([(start, end)] * len(chars))
        self.ends.add(len(self.chars))

    def readings(self, i: int, j: int, letters: range) -> Iterator[str]:
        """``chars[i:j]``, then with each mix of O for "oh" at the ``letters`` offsets."""
        code = self.chars[i:j]
        yield code
        places = [k - i for k in sorted(self.letter_o) if i <= k < j and k - i in letters]
        for mix in itertools.product("0O", repeat=len(places)):
            if "O" in mix:
                chars = list(code)
                for k, c in zip(places, mix, strict=True):
                    chars[k] = c
                yield "".join(chars)

    def where(self, i: int, j: int) -> tuple[int, int]:
        """Where ``chars[i:j]`` was said."""
        return self.spans[i][0], self.spans[j - 1][1]


def _word_code(text: str, words: list[re.Match[str]], i: int) -> tuple[str, int] | None:
    """What the word at ``i`` (with the next one: "double four", "forty five") reads as, and
    how many words that took; ``None`` for a word that is no part of a code."""
    word = words[i].group()
    low = word.lower()
    nxt = ""
    if i + 1 < len(words) and _CODE_GAP.fullmatch(text, words[i].end(), words[i + 1].start()):
        nxt = words[i + 1].group().lower()
    if low in _TIMES and nxt in _ONES:
        return _ONES[nxt] * _TIMES[low], 2
    if low in _TENS:
        if nxt in _ONES and _ONES[nxt] != "0":
            return _TENS[low] + _ONES[nxt], 2
        return _TENS[low] + "0", 1
    if low in _ONES and word != "OH":  # typed "OH" is two letters, not a spoken zero
        return _ONES[low], 1
    if low in _TEENS:
        return _TEENS[low], 1
    if any(c.isdigit() for c in word) or len(word) == 1 or (word.isupper() and len(word) <= 4):
        return word.upper(), 1
    return None


@lru_cache(maxsize=1024)
def _codes(text: str) -> tuple[_Code, ...]:
    """The letter-and-digit runs of ``text``: typed groups, single letters, digits read out."""
    words = list(_CODE_WORD.finditer(text))
    out: list[_Code] = []
    code = _Code()
    i = 0
    while i < len(words):
        read = _word_code(text, words, i)
        start = words[i].start()
        joined = code.chars and _CODE_GAP.fullmatch(text, code.spans[-1][1], start)
        if code.chars and (read is None or not joined):
            out.append(code)
            code = _Code()
        if read is None:
            i += 1
            continue
        chars, used = read
        said = {w.group().lower() for w in words[i : i + used]}
        code.add(chars, start, words[i + used - 1].end(), letter_o=bool(said & {"o", "oh"}))
        i += used
    if code.chars:
        out.append(code)
    return tuple(out)


_DIGIT_WORD = re.compile(
    r"\d|\b(?:" + "|".join([*_ONES, *_TEENS, *_TENS, *_TIMES]) + r")\b", re.IGNORECASE
)


def _may_hold(text: str, digits: int) -> bool:
    """Cheap test before reading codes: ``text`` has this many digits, typed or read out.

    A spoken word can stand for two digits ("double four", "forty"), so half as many
    words will do.
    """
    found = 0
    for m in _DIGIT_WORD.finditer(text):
        found += 1 if m.group().isdigit() else 2
        if found >= digits:
            return True
    return False


# What a code's first two letters can look like to the reader: "QQ", "gb82", "q q".
_LETTER_PAIR = re.compile(r"\b[A-Z]{2}|\b[A-Za-z]{2}\d|\b[A-Za-z]\b[ \t,.\-–]+[A-Za-z]\b")


def _near(cue: re.Pattern[str], text: str, start: int, end: int, window: int = 40) -> bool:
    """``cue`` occurs within ``window`` characters before ``start`` or after ``end``."""
    return bool(
        cue.search(text, max(0, start - window), start) or cue.search(text, end, end + window)
    )


def nhs_valid(digits: str) -> bool:
    """The NHS number's mod-11 check (weights 10 to 2; a check digit of 10 is never issued).

    Example:
        >>> nhs_valid("9434765919"), nhs_valid("9434765918")
        (True, False)
    """
    if len(digits) != 10 or not digits.isdigit():
        return False
    check = 11 - sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
    return check != 10 and check % 11 == int(digits[9])


_NHS_CUE = re.compile(r"\b(?:nhs|health\s+service)(?:\s+(?:number|no\.?|num))?", re.IGNORECASE)
_NHS_GROUPED = re.compile(r"\d{3}[ \-]\d{3}[ \-]\d{4}")


class NhsNumberDetector(Detector):
    """NHS numbers: 10 digits passing mod-11, grouped 3-3-4 or read out; any 10 after "NHS"."""

    kind: ClassVar[str] = "nhs"

    def detect(self, text: str) -> list[PIISpan]:
        out = []
        for cue in _NHS_CUE.finditer(text):
            run = _run_after(text, cue.end(), gap=30)
            hit = _prefix(run, 10, 10) if run is not None else None
            if run is not None and hit is not None:
                out.append(self._span(run[0][0], run[hit[0] - 1][1], hit[1]))
        for run in _runs(text):
            digits = _digits(run)
            if digits is None or not nhs_valid(digits):
                continue
            start, end = run[0][0], run[-1][1]
            typed = all(w.isdigit() for _, _, w in run)
            if typed and not _NHS_GROUPED.fullmatch(text, start, end):
                continue  # ten digits typed together: an order or account reference as often
            if _NOT_A_CARD.search(text[max(0, start - 40) : start]):
                continue
            out.append(self._span(start, end, digits))
        return _dedupe(out)


_NINO_CUE = re.compile(
    r"\b(?:national\s+insurance|n\.?\s?i\.?\s+(?:number|no\.?)|nino)\b", re.IGNORECASE
)
_NINO = re.compile(r"[A-Z]{2}\d{6}[A-D]")
_NINO_BARE = re.compile(r"[A-Z]{2}\d{6}")


class NationalInsuranceDetector(Detector):
    """National Insurance numbers: ``QQ 12 34 56 C``, any spacing, typed or read out.

    Without the final letter only near "national insurance" / "NI number".
    """

    kind: ClassVar[str] = "nino"

    def detect(self, text: str) -> list[PIISpan]:
        if not (_may_hold(text, 6) and _LETTER_PAIR.search(text)):
            return []
        out = []
        for code in _codes(text):
            for i in sorted(code.starts):
                # The two letters may have been read "oh"; the rest is digits and A-D.
                head = code.chars[i : i + 2]
                for head in code.readings(i, min(i + 2, len(code.chars)), range(2)):
                    if head.isalpha():
                        break
                chars = code.chars[:i] + head + code.chars[i + len(head) :]
                m = _NINO.match(chars, i)
                if m is None or m.end() not in code.ends:
                    m = _NINO_BARE.match(chars, i)
                    if m is None or m.end() not in code.ends:
                        continue
                    if not _near(_NINO_CUE, text, *code.where(i, m.end())):
                        continue
                out.append(self._span(*code.where(i, m.end()), m.group()))
        return _dedupe(out)


_PASSPORT_CUE = re.compile(r"\bpassport\b", re.IGNORECASE)
_PASSPORT_BEFORE = re.compile(r"[\s,.:;'’]*(?:\w+[\s,.:;'’]+){0,3}?passport\b", re.IGNORECASE)


class PassportDetector(Detector):
    """UK passport numbers: 9 digits (typed or read out) just after "passport", or just before it."""

    kind: ClassVar[str] = "passport"

    def detect(self, text: str) -> list[PIISpan]:
        if "passport" not in text.lower():
            return []
        out = []
        for cue in _PASSPORT_CUE.finditer(text):
            run = _run_after(text, cue.end(), gap=30)
            hit = _prefix(run, 9, 9) if run is not None else None
            if run is not None and hit is not None:
                out.append(self._span(run[0][0], run[hit[0] - 1][1], hit[1]))
        for run in _runs(text):
            digits = _digits(run)
            if digits is not None and len(digits) == 9 and _PASSPORT_BEFORE.match(text, run[-1][1]):
                out.append(self._span(run[0][0], run[-1][1], digits))
        return _dedupe(out)


#: IBAN lengths of the countries a UK contact centre meets most; others: 15–34 characters.
_IBAN_LENGTHS = {
    "AD": 24, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18,
    "EE": 20, "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GI": 23, "GR": 27, "HR": 21, "HU": 28,
    "IE": 22, "IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MT": 31,
    "NL": 18, "NO": 15, "PL": 28, "PT": 25, "RO": 24, "SE": 24, "SI": 19, "SK": 24, "SM": 27,
}  # fmt: skip
_IBAN_HEAD = re.compile(r"[A-Z]{2}\d{2}")
#: Where an IBAN's bank code has letters (GB, IE, NL and others): offsets 4-7.
_BANK = range(4, 8)
_IBAN_BODY = re.compile(r"[A-Z0-9]+")


def iban_valid(iban: str) -> bool:
    """The IBAN check (ISO 13616 mod-97) and, for the countries known here, its length.

    Example:
        >>> iban_valid("GB82WEST12345698765432"), iban_valid("GB82WEST12345698765433")
        (True, False)
    """
    iban = iban.upper()
    if not (15 <= len(iban) <= 34 and _IBAN_HEAD.match(iban) and _IBAN_BODY.fullmatch(iban)):
        return False
    if len(iban) != _IBAN_LENGTHS.get(iban[:2], len(iban)):
        return False
    moved = iban[4:] + iban[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


class IbanDetector(Detector):
    """IBANs, typed in groups of four or together, or read out; mod-97 checked."""

    kind: ClassVar[str] = "iban"

    def detect(self, text: str) -> list[PIISpan]:
        if not (_may_hold(text, 8) and _LETTER_PAIR.search(text)):
            return []
        out = []
        for code in _codes(text):
            if len(code.chars) < 15:
                continue
            for i in sorted(code.starts):
                if not _IBAN_HEAD.match(code.chars, i):
                    continue
                for j in sorted((j for j in code.ends if i + 15 <= j <= i + 34), reverse=True):
                    # A bank code's letters ("BOFI") may be read out as "oh".
                    iban = next((c for c in code.readings(i, j, _BANK) if iban_valid(c)), None)
                    if iban is not None:
                        out.append(self._span(*code.where(i, j), iban))
                        break
        return _dedupe(out)


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
    r"|it's|it’s|it\s+is|i'm|i’m|i\s+am|call\s+me|speaking\s+(?:to|with)|thanks|thank\s+you"
    r"|hi|hello|dear"
    r"|name\s+on\s+the\s+(?:card|account)\s+is)\s+",
    re.IGNORECASE,
)
_CUE_LOWER = re.compile(
    r"\b(?:my\s+(?:full\s+)?name\s+is|my\s+name's|name\s+on\s+the\s+(?:card|account)\s+is)\s+",
    re.IGNORECASE,
)
# A name the caller gives before "speaking": "Tom Baker speaking", "It's Tom here".
_CUE_AFTER = re.compile(
    rf"(?P<n>{_TITLES}?{_CAP_WORD}(?:\s+{_CAP_WORD}){{0,2}}),?\s+(?:speaking|calling|here)\b"
)
# What may stand before such a name: nothing, a sentence's end, a greeting.
_BEFORE_CUE_AFTER = re.compile(
    r"(?:^|[.!?,:;]|\b(?:it's|it’s|is|hi|hello|hiya|yes|yeah|ok|okay|morning|afternoon))\s*$",
    re.IGNORECASE,
)
# In lower-case speech: "it's tom baker speaking", "this is priya calling".
_CUE_AROUND = re.compile(
    r"\b(?:it's|it’s|it\s+is|this\s+is)\s+(?P<n>[^\W\d_]+(?:['’-][^\W\d_]+)*"
    r"(?:[ \t]+[^\W\d_]+(?:['’-][^\W\d_]+)*)?)[ \t]+(?:speaking(?![ \t]+(?:of|about|as)\b)"
    r"|calling)\b",
    re.IGNORECASE,
)
# "It's, strictly speaking, …": words before "speaking" that are not names.
_NOT_BEFORE_SPEAKING = _wordset(
    """generally strictly technically frankly honestly broadly roughly legally personally
    loosely practically realistically relatively comparatively properly plainly"""
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
        for m in _CUE_AFTER.finditer(text):
            # The name is the words before the cue that are all names ("Yes Tom here": "Tom").
            start = m.end("n")
            for w in reversed(list(re.finditer(rf"{_TITLES}|{_CAP_WORD}", m.group("n")))):
                word = w.group().rstrip(". ")
                titled = re.fullmatch(_TITLES, w.group()) is not None
                if not titled and (not self._is_name(word) or word.lower() in _NOT_BEFORE_SPEAKING):
                    break
                start = m.start("n") + w.start()
            end = m.end("n")
            if start < end and _BEFORE_CUE_AFTER.search(text, 0, start):
                out.append(self._span(start, end, text[start:end].lower()))
        for m in _CUE_AROUND.finditer(text):
            words = m.group("n").split()
            if all(
                self._is_name(w)
                and words_to_number(w.lower()) is None
                and w.lower() not in _NOT_BEFORE_SPEAKING
                for w in words
            ):
                out.append(self._span(m.start("n"), m.end("n"), m.group("n").lower()))
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
        AddressDetector(),
        NhsNumberDetector(),
        NationalInsuranceDetector(),
        PassportDetector(),
        IbanDetector(),
    )
