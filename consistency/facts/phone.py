"""Telephone numbers, typed or read out digit by digit.

Typed numbers ("0800 123 4567", "+44 800 123 4567", "020-7946-0321") are runs
of digit groups; the longest stretch of a run that ``phonenumbers`` finds a
*valid* number (region ``GB``) is kept, so an order number, an amount or a date
is not taken for a phone number. (Not ``PhoneNumberMatcher``: it costs several
times more and the budget for all extractors is about a millisecond.) Spoken numbers ("oh
eight hundred one two three four five six seven", "double four", "triple oh",
"forty five", "plus four four") are turned into digits here and must then
validate the same way; a US number starting with 1 ("one eight hundred five five
five oh one nine nine") is accepted too.

``value`` is E.164 (``"+448001234567"``), so every way of writing a number
compares equal. The Relay UK prefixes 18001 and 18002 are facts too, with the
digits as value. ``render`` gives the national format (``0800 123 4567``) for UK
numbers and the international one otherwise.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import ClassVar

import phonenumbers
from phonenumbers import PhoneNumberFormat

from consistency.facts.base import Extractor
from consistency.models import Fact

__all__ = ["DRAMA_RANGES", "EXTRACTOR", "PhoneExtractor", "spoken_digit_runs", "words_to_digits"]

_DIGIT_WORDS: dict[str, str] = {
    "zero": "0", "oh": "0", "o": "0", "nought": "0", "nil": "0", "one": "1", "two": "2",
    "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}  # fmt: skip
_TEENS: dict[str, str] = {
    "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14",
    "fifteen": "15", "sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19",
}  # fmt: skip
_TENS: dict[str, str] = {
    "twenty": "2", "thirty": "3", "forty": "4", "fourty": "4", "fifty": "5", "sixty": "6",
    "seventy": "7", "eighty": "8", "ninety": "9",
}  # fmt: skip
_REPEAT = {"double": 2, "triple": 3, "treble": 3}
_WORDS = [*_DIGIT_WORDS, *_TEENS, *_TENS, *_REPEAT, "hundred", "thousand", "plus"]
_WORD_SET = frozenset(_WORDS)
_SPOKEN_WORD = re.compile(r"\+?[^\W_]+")
_SPOKEN_GAP = re.compile(r"[\s,.\-–]*")
# A typed run of digit groups: "+44 (0)333 014 2200", "020-7946-0321", "08001234567".
_WRITTEN_RUN = re.compile(
    r"(?<![\w+/.,£$€-])(?:\+|00)?\(?\d[\d()]*(?:[ \t.\-–]{1,2}\(?\d[\d()]*){0,7}"
    r"(?![\w%£$€]|[/.,]\d)"
)
_HAS_DIGIT = re.compile(r"\d").search
_GROUP = re.compile(r"(?:\+|00)?[\d()]+")
_MAX_DIGITS = 15
# Relay UK text-relay prefixes, dialled before a number ("dial 18001 then 0333 ..."):
# kept as the digits themselves, since they are not numbers of their own.
_RELAY_PREFIXES = frozenset({"18001", "18002"})
_RELAY = re.compile(r"(?<![\d+\w])1800[12](?![\d\w])")
_MIN_DIGITS = 9
_MAX_TRIM = 4
# Short numbers, kept as their digits: UK emergency and service numbers (999, 112, 101,
# 105 power cuts, 111, 119, 100 operator, 150-155 and 191/195 providers' lines, 141, 1471,
# 1571, 17070) and 116xxx helplines after a dialling verb ("call 105"), and SMS short
# codes after "text ... to" ("text PAC to 65075"). Bare, they are counts or amounts.
_SERVICE = frozenset(
    [
        "999",
        "112",
        "101",
        "105",
        "111",
        "119",
        "100",
        "150",
        "151",
        "152",
        "154",
        "155",
        "191",
        "195",
        "141",
        "1471",
        "1571",
        "17070",
    ]
)
_DIAL = r"(?:call|calling|ring|ringing|dial|dialling|dialing|phone|phoning|contact)"
_SHORT_WORD = r"(?:\d[\d ]{1,6}\d|(?:(?:oh|zero|one|two|three|four|five|six|seven|eight|nine|double|triple)[\s-]+){2,6}(?:oh|zero|one|two|three|four|five|six|seven|eight|nine))"
_SHORT = re.compile(
    rf"\b(?:{_DIAL}(?:\s+(?:[\w']+\s+){{0,3}}?on)?\s+(?P<svc>{_SHORT_WORD})"
    rf"|(?:text|txt|sms|send)\b[^.?!\n]{{0,30}}?\bto\s+(?P<sms>{_SHORT_WORD})"
    rf"|short\s?code\s+(?:is\s+)?(?P<code>{_SHORT_WORD}))(?![\w£$€%]|[.,]\d)",
    re.IGNORECASE,
)


# Ofcom's ranges reserved for drama and training material: ``phonenumbers`` calls them
# invalid, yet they are exactly the numbers sample scripts, training transcripts and
# test KBs use (a mobile 07700 900xxx, a geographic 01632 960xxx, Nottingham 0115 496 0xxx;
# the other drama ranges are valid numbers already).
DRAMA_RANGES = re.compile(r"7700900\d{3}|1632960\d{3}|1154960\d{3}")


def _valid(number: phonenumbers.PhoneNumber) -> bool:
    if phonenumbers.is_valid_number(number):
        return True
    return number.country_code == 44 and bool(DRAMA_RANGES.fullmatch(str(number.national_number)))


def _parse(digits: str) -> phonenumbers.PhoneNumber | None:
    """The number ``digits`` stands for if it is a valid UK (or +1) number."""
    candidates = [digits]
    plain = re.sub(r"\D", "", digits)
    if not digits.startswith("+") and plain.startswith("1") and len(plain) == 11:
        candidates.append("+" + plain)
    for candidate in candidates:
        try:
            number = phonenumbers.parse(candidate, "GB")
        except phonenumbers.NumberParseException:
            continue
        if _valid(number):
            return number
    return None


def words_to_digits(words: list[str]) -> str | None:
    """Digits of a spoken run ("double four", "eight hundred", "forty five").

    ``words`` are lower-case words or typed digit groups (a run from
    :func:`spoken_digit_runs`); ``None`` when they do not read as digits.
    """
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word in _REPEAT:
            if i + 1 >= len(words):
                return None
            nxt = words[i + 1]
            digit = _DIGIT_WORDS.get(nxt, nxt if nxt.isdigit() and len(nxt) == 1 else None)
            if digit is None:
                return None
            out.append(digit * _REPEAT[word])
            i += 2
            continue
        if word == "plus":
            if out:
                return None
            out.append("+")
        elif word in _DIGIT_WORDS:
            out.append(_DIGIT_WORDS[word])
        elif word in _TEENS:
            out.append(_TEENS[word])
        elif word in _TENS:
            nxt = words[i + 1] if i + 1 < len(words) else ""
            if nxt in _DIGIT_WORDS and nxt not in ("oh", "o", "zero", "nought", "nil"):
                out.append(_TENS[word] + _DIGIT_WORDS[nxt])
                i += 1
            else:
                out.append(_TENS[word] + "0")
        elif word == "hundred":
            if not out or out[-1] == "+":
                return None
            out.append("00")
        elif word == "thousand":
            if not out or out[-1] == "+":
                return None
            out.append("000")
        else:
            out.append(word)  # digits as typed, "+44"
        i += 1
    return "".join(out)


def spoken_digit_runs(text: str, *, min_words: int = 3) -> list[list[tuple[int, int, str]]]:
    """Runs of digit words and typed digit groups, as ``(start, end, lower-case word)``.

    A run is words of the spoken-digit vocabulary ("oh", "double", "forty",
    "hundred", "plus") or typed digit groups separated only by spaces, commas,
    dots or dashes; any other word ends it. Spans index ``text``. Runs of fewer
    than ``min_words`` words are left out. Shared by the phone extractor and the
    PII detectors (card, sort code and account numbers read out).
    """
    low = text.lower()
    if len(low) != len(text):
        low = text  # keep offsets exact; such text has no spoken number anyway
    runs: list[list[tuple[int, int, str]]] = []
    run: list[tuple[int, int, str]] = []
    for m in _SPOKEN_WORD.finditer(low):
        word = m.group()
        if word not in _WORD_SET and not word.lstrip("+").isdigit():
            if run:
                if len(run) >= min_words:
                    runs.append(run)
                run = []
            continue
        start, end = m.span()
        if run and not _SPOKEN_GAP.fullmatch(low, run[-1][1], start):
            if len(run) >= min_words:
                runs.append(run)
            run = []
        run.append((start, end, word))
    if len(run) >= min_words:
        runs.append(run)
    return runs


class PhoneExtractor(Extractor):
    """UK (and +1) phone numbers, written or spoken, as E.164."""

    kind: ClassVar[str] = "phone"
    REGION: ClassVar[str] = "GB"

    def extract(self, text: str, *, reference: dt.date | None = None) -> list[Fact]:
        found: list[tuple[int, int, str]] = []
        if _HAS_DIGIT(text):
            for run in _WRITTEN_RUN.finditer(text):
                hit = self._written(text, run)
                if hit is not None:
                    found.append(hit)
        if "1800" in text:
            found.extend((m.start(), m.end(), m.group()) for m in _RELAY.finditer(text))
        found.extend(self._spoken(text))
        found.extend(self._short(text))
        return self.leftmost_longest(text, found)

    @staticmethod
    def _short(text: str) -> list[tuple[int, int, str]]:
        """Emergency, service and helpline numbers after a dialling verb; SMS short codes
        after "text ... to" (see ``_SHORT``), typed or read out, as their digits."""
        out: list[tuple[int, int, str]] = []
        for m in _SHORT.finditer(text):
            name = next(g for g in ("svc", "sms", "code") if m.group(g))
            raw = m.group(name)
            digits = (
                raw.replace(" ", "")
                if raw[0].isdigit()
                else words_to_digits([w for w in re.split(r"[\s-]+", raw.lower()) if w])
            )
            if digits is None or not digits.isdigit():
                continue
            service = digits in _SERVICE or (len(digits) == 6 and digits.startswith("116"))
            sms = name != "svc" and 5 <= len(digits) <= 6
            if service or sms:
                out.append((m.start(name), m.end(name), digits))
        return out

    @staticmethod
    def _written(text: str, run: re.Match[str]) -> tuple[int, int, str] | None:
        """The longest stretch of digit groups in a typed run that is a valid number."""
        groups = list(_GROUP.finditer(text, run.start(), run.end()))
        n = len(groups)
        options = [(i, j) for i in range(n) for j in range(n, i, -1)]
        options.sort(key=lambda ij: (-(groups[ij[1] - 1].end() - groups[ij[0]].start()), ij[0]))
        for i, j in options:
            start, end = groups[i].start(), groups[j - 1].end()
            raw = text[start:end]
            digits = sum(c.isdigit() for c in raw)
            if not _MIN_DIGITS <= digits <= _MAX_DIGITS:
                continue
            if (
                not raw.startswith("+")
                and not raw.startswith("(")
                and raw[0] != "0"
                and not (raw[0] == "1" and digits == 11 and j - i >= 3)
            ):
                continue  # UK national numbers start with 0; +1 numbers are written 1-800-...
            number = _parse(raw)
            if number is not None:
                return start, end, PhoneExtractor._e164(number)
        return None

    @staticmethod
    def _e164(number: phonenumbers.PhoneNumber) -> str:
        return phonenumbers.format_number(number, PhoneNumberFormat.E164)

    def _spoken(self, text: str) -> list[tuple[int, int, str]]:
        """Runs of digit words (and digits) that make a valid number."""
        found: list[tuple[int, int, str]] = []
        for run in spoken_digit_runs(text):
            words = [w for _, _, w in run]
            if all(w.lstrip("+").isdigit() for w in words):
                continue
            hit = self._best_subrun(run, words)
            if hit is not None:
                found.append(hit)
        return found

    def _best_subrun(
        self, run: list[tuple[int, int, str]], words: list[str]
    ) -> tuple[int, int, str] | None:
        """The longest stretch of the run, trimming a few words at either end, that validates."""
        n = len(words)
        options = [
            (i, j)
            for i in range(min(_MAX_TRIM, n) + 1)
            for j in range(n, max(i, n - _MAX_TRIM) - 1, -1)
            if j > i
        ]
        options.sort(key=lambda ij: (-(ij[1] - ij[0]), ij[0]))
        for i, j in options:
            digits = words_to_digits(words[i:j])
            if digits in _RELAY_PREFIXES and j - i == n:
                return run[i][0], run[j - 1][1], digits
            if digits is None or len(digits.lstrip("+")) < _MIN_DIGITS:
                continue
            number = _parse(digits)
            if number is not None:
                return run[i][0], run[j - 1][1], self._e164(number)
        return None

    def render(self, fact: Fact) -> str:
        """National format for UK numbers (``0800 123 4567``), international otherwise;
        a short number as its digits."""
        if str(fact.value).isdigit():
            return str(fact.value)
        try:
            number = phonenumbers.parse(str(fact.value), self.REGION)
        except phonenumbers.NumberParseException:
            return str(fact.value)
        if phonenumbers.region_code_for_number(number) == self.REGION:
            return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
        return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


EXTRACTOR = PhoneExtractor()
