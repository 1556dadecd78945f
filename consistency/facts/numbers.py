"""Find numbers in written and spoken text, with spans into the original text.

This is a helper module, not an extractor: the money, percent, duration, count,
date and time extractors build on it. Speech recognition writes numbers as
words ("fourteen", "twenty nine", "one hundred and fifty", "two point five"),
agents type digits ("1,299.50", "5th"); both come back as the same
:class:`NumberToken`.

API:

``find_numbers(text) -> list[NumberToken]``
    Every number in ``text``, left to right, non-overlapping. A token's
    ``span`` is a half-open ``(start, end)`` into ``text`` itself, so
    ``text[start:end] == token.text``. ``value`` is a ``Decimal``; ``ordinal``
    is True for "first", "23rd", "twenty third"; ``spoken`` is True when the
    number was written in words.

``words_to_number(text) -> Decimal | None``
    The value of a string that is one number and nothing else
    ("twenty nine", "1,299.50", "a dozen"); ``None`` otherwise.

``WORD_DIGITS``
    Single spoken digits including "oh" and "o", for readers of digit strings
    (phone numbers, "nine thirty").

Why not ``text_to_num.alpha2digit``: it rewrites the text and loses positions,
and it merges or splits differently from what the fact extractors need.
Here the rules are explicit:

* adjacent number words join only when the result is one well-formed number:
  "twenty nine" is 29, but "twenty nine ninety nine" is two tokens (29, 99),
  and "five five five" is three tokens; the money extractor decides whether
  a pair is a price.
* "a" counts only before "hundred", "thousand", "million" or "dozen"; "and"
  only inside a number ("one hundred and fifty"); "and a half" adds 0.5.
* "point" starts decimals read digit by digit ("nineteen point nine"); a
  two-digit word after it is read as two decimals ("two point ninety nine").
* A hyphen joins number words ("twenty-nine"); a hyphen between digits does
  not ("3-5" is two tokens).
* Digits glued to a preceding letter ("ORD12345") are not numbers; digits
  followed by letters ("24h") are, without the letters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

__all__ = [
    "MODIFIER_WORDS",
    "WORD_DIGITS",
    "NumberToken",
    "bound_after",
    "find_numbers",
    "format_decimal",
    "modifier_before",
    "with_modifier",
    "words_to_number",
]


@dataclass(frozen=True, slots=True)
class NumberToken:
    """One number found in a text.

    Attributes:
        value: the number, exact (``Decimal("1299.50")``).
        span: half-open ``(start, end)`` into the original text.
        text: ``original[start:end]``.
        ordinal: "first", "5th", "twenty third".
        spoken: written in words rather than digits.
    """

    value: Decimal
    span: tuple[int, int]
    text: str
    ordinal: bool = False
    spoken: bool = False

    @property
    def is_integer(self) -> bool:
        return self.value == self.value.to_integral_value()


WORD_DIGITS: dict[str, int] = {
    "zero": 0,
    "oh": 0,
    "o": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
}

_UNITS = {k: v for k, v in WORD_DIGITS.items() if k not in ("oh", "o")}
_TEENS = {
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_BIG = {"thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
_ORD_UNITS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
}
_ORD_TEENS = {
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
}
_ORD_TENS = {
    "twentieth": 20,
    "thirtieth": 30,
    "fortieth": 40,
    "fiftieth": 50,
    "sixtieth": 60,
    "seventieth": 70,
    "eightieth": 80,
    "ninetieth": 90,
}
_ORD_BIG = {"hundredth": 100, "thousandth": 1000, "millionth": 1_000_000}

_NUMBER_WORDS = (
    set(_UNITS)
    | set(_TEENS)
    | set(_TENS)
    | set(_BIG)
    | set(_ORD_UNITS)
    | set(_ORD_TEENS)
    | set(_ORD_TENS)
    | set(_ORD_BIG)
    | {"hundred", "dozen"}
)

# A word (letters, apostrophes inside) or a written number (with thousands
# commas and decimals, optional ordinal suffix), or a hyphen. A number right
# after "1." is the tail of a dotted code, but after "Rs." it is an amount.
_TOKEN = re.compile(
    r"(?P<num>(?<![A-Za-z0-9,])(?<!\d\.)(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d])"
    r"(?P<suf>(?:st|nd|rd|th)(?![A-Za-z]))?)"
    r"|(?P<word>[A-Za-z]+(?:'[A-Za-z]+)?)"
    r"|(?P<hy>-)"
)


@dataclass(slots=True)
class _Tok:
    kind: str  # "num" | "word" | "hy"
    low: str
    start: int
    end: int
    suffix: bool = False


def _tokenise(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    for m in _TOKEN.finditer(text):
        if m.group("num") is not None:
            toks.append(_Tok("num", m.group("num"), m.start(), m.end(), m.group("suf") is not None))
        elif m.group("word") is not None:
            toks.append(_Tok("word", m.group("word").lower(), m.start(), m.end()))
        else:
            toks.append(_Tok("hy", "-", m.start(), m.end()))
    return toks


def _gap_ok(text: str, a: _Tok, b: _Tok, *, hyphen: bool = False) -> bool:
    """True when only spaces (or one hyphen, if allowed) separate two tokens."""
    between = text[a.end : b.start]
    if not between:
        return hyphen or a.kind != b.kind
    return between.isspace() and len(between) <= 3


def _digits_value(tok: _Tok) -> Decimal:
    raw = tok.low[:-2] if tok.suffix else tok.low
    return Decimal(raw.replace(",", ""))


class _Parser:
    """A small state machine over word tokens: one well-formed spoken number."""

    def __init__(self, text: str, toks: list[_Tok]) -> None:
        self.text = text
        self.toks = toks

    def _next_is(self, i: int, word: str) -> bool:
        nxt = self._next_word(i)
        return nxt is not None and self.toks[nxt].low == word

    def _next_word(self, i: int) -> int | None:
        """Index of the next word token after ``i`` if adjacent (space or hyphen)."""
        j = i + 1
        toks = self.toks
        if j < len(toks) and toks[j].kind == "hy":
            if toks[j].start != toks[i].end or j + 1 >= len(toks):
                return None
            if toks[j + 1].start != toks[j].end:
                return None
            return j + 1
        if j < len(toks) and _gap_ok(self.text, toks[i], toks[j]):
            return j
        return None

    def parse_words(self, i: int) -> tuple[Decimal, int, bool] | None:
        """Parse a spoken number starting at token ``i``.

        Returns ``(value, index of last token used, ordinal)`` or ``None``.
        """
        toks = self.toks
        total = 0
        group = 0
        last_big = 10**12
        state = "start"  # start | unit | teen | tens | hundred | big | and
        ordinal = False
        last = -1
        pos: int | None = i
        seen_hundred = False
        while pos is not None:
            tok = toks[pos]
            if tok.kind != "word":
                break
            w = tok.low
            if w == "a" and state == "start":
                nxt = self._next_word(pos)
                if nxt is not None and toks[nxt].low in ("hundred", "thousand", "million", "dozen"):
                    group = 1
                    state = "unit"
                    pos = nxt
                    continue
                break
            if w == "hundred" and state == "start" and self._next_is(pos, "and"):
                # "a one off hundred and fifty pounds": a bare hundred is one hundred
                group = 1
                state = "unit"
                continue
            if w == "and" and state in ("hundred", "big"):
                nxt = self._next_word(pos)
                if nxt is not None and (
                    toks[nxt].low in _UNITS
                    or toks[nxt].low in _TEENS
                    or toks[nxt].low in _TENS
                    or toks[nxt].low in _ORD_UNITS
                    or toks[nxt].low in _ORD_TEENS
                    or toks[nxt].low in _ORD_TENS
                ):
                    state = "and"
                    pos = nxt
                    continue
                break
            if w in _UNITS or w in _ORD_UNITS:
                if w == "zero" and state != "start":
                    break
                if state in ("start", "tens", "hundred", "big", "and"):
                    group += _UNITS.get(w, _ORD_UNITS.get(w, 0))
                    state = "unit"
                    ordinal = w in _ORD_UNITS
                    last = pos
                    if ordinal:
                        break
                    pos = self._next_word(pos)
                    continue
                break
            if w in _TEENS or w in _ORD_TEENS:
                if state in ("start", "hundred", "big", "and"):
                    group += _TEENS.get(w, _ORD_TEENS.get(w, 0))
                    state = "teen"
                    ordinal = w in _ORD_TEENS
                    last = pos
                    if ordinal:
                        break
                    pos = self._next_word(pos)
                    continue
                break
            if w in _TENS or w in _ORD_TENS:
                if state in ("start", "hundred", "big", "and"):
                    group += _TENS.get(w, _ORD_TENS.get(w, 0))
                    state = "tens"
                    ordinal = w in _ORD_TENS
                    last = pos
                    if ordinal:
                        break
                    pos = self._next_word(pos)
                    continue
                break
            if w in ("hundred", "hundredth"):
                if state in ("unit", "teen", "tens") and not seen_hundred and 0 < group < 100:
                    group *= 100
                    seen_hundred = True
                    state = "hundred"
                    last = pos
                    if w == "hundredth":
                        ordinal = True
                        break
                    pos = self._next_word(pos)
                    continue
                break
            if w in _BIG or w in _ORD_BIG:
                mult = _BIG.get(w, _ORD_BIG.get(w, 0))
                if state in ("unit", "teen", "tens", "hundred") and group > 0 and mult < last_big:
                    total += group * mult
                    group = 0
                    seen_hundred = False
                    last_big = mult
                    state = "big"
                    last = pos
                    if w in _ORD_BIG:
                        ordinal = True
                        break
                    pos = self._next_word(pos)
                    continue
                break
            if w == "dozen":
                if state in ("unit", "teen", "tens") and group > 0:
                    group *= 12
                    state = "big"
                    last = pos
                    last_big = 12
                    pos = self._next_word(pos)
                    continue
                break
            break
        if last < 0:
            return None
        value = Decimal(total + group)
        if not ordinal:
            value, last = self._fraction(value, last)
        return value, last, ordinal

    def _fraction(self, value: Decimal, last: int) -> tuple[Decimal, int]:
        """Extend with "point five", "point ninety nine" or "and a half"."""
        toks = self.toks
        nxt = self._next_word(last)
        if nxt is None:
            return value, last
        w = toks[nxt].low
        if w == "point":
            digits = ""
            end = nxt
            pos = self._next_word(nxt)
            while pos is not None and toks[pos].kind == "word":
                lw = toks[pos].low
                if lw in WORD_DIGITS:
                    digits += str(WORD_DIGITS[lw])
                elif not digits and (lw in _TEENS or lw in _TENS):
                    n = _TEENS.get(lw) or _TENS[lw]
                    nn = self._next_word(pos)
                    if lw in _TENS and nn is not None and toks[nn].low in _UNITS:
                        n += _UNITS[toks[nn].low]
                        pos = nn
                    digits = str(n)
                    end = pos
                    break
                else:
                    break
                end = pos
                pos = self._next_word(pos)
            if digits:
                return value + Decimal("0." + digits), end
            return value, last
        if w == "and":
            a = self._next_word(nxt)
            h = self._next_word(a) if a is not None else None
            if a is not None and h is not None and toks[a].low == "a" and toks[h].low == "half":
                return value + Decimal("0.5"), h
        return value, last


def _scan(text: str) -> tuple[NumberToken, ...]:
    toks = _tokenise(text)
    parser = _Parser(text, toks)
    out: list[NumberToken] = []
    i = 0
    n = len(toks)
    while i < n:
        tok = toks[i]
        if tok.kind == "num":
            value = _digits_value(tok)
            end_tok = i
            # "5 thousand", "1.5 million"
            nxt = parser._next_word(i) if i + 1 < n else None
            if nxt is not None and toks[nxt].low in _BIG and not tok.suffix:
                value *= _BIG[toks[nxt].low]
                end_tok = nxt
            s, e = tok.start, toks[end_tok].end
            out.append(NumberToken(value, (s, e), text[s:e], ordinal=tok.suffix, spoken=False))
            i = end_tok + 1
            continue
        if tok.kind == "word" and (tok.low in _NUMBER_WORDS or tok.low == "a"):
            parsed = parser.parse_words(i)
            if parsed is not None:
                value, last, ordinal = parsed
                s, e = tok.start, toks[last].end
                out.append(NumberToken(value, (s, e), text[s:e], ordinal=ordinal, spoken=True))
                i = last + 1
                continue
        i += 1
    return tuple(out)


_cached_scan = lru_cache(maxsize=2048)(_scan)


def find_numbers(text: str) -> list[NumberToken]:
    """Every number in ``text``, left to right, with spans into ``text``.

    Args:
        text: any text, written or spoken.

    Returns:
        Non-overlapping :class:`NumberToken` objects in text order. Never raises.

    Example:
        >>> [(t.value, t.span) for t in find_numbers("um fourteen days or 1,299.50")]
        [(Decimal('14'), (3, 11)), (Decimal('1299.50'), (20, 28))]
        >>> [str(t.value) for t in find_numbers("twenty nine ninety nine")]
        ['29', '99']
    """
    return list(_cached_scan(text))


def words_to_number(text: str) -> Decimal | None:
    """The value of ``text`` when it is exactly one number, else ``None``.

    Example:
        >>> words_to_number("one hundred and fifty")
        Decimal('150')
        >>> words_to_number("two point five")
        Decimal('2.5')
        >>> words_to_number("fourteen days") is None
        True
    """
    stripped = text.strip()
    tokens = find_numbers(stripped)
    if len(tokens) == 1 and tokens[0].span == (0, len(stripped)):
        return tokens[0].value
    return None


# --- shared helpers for the extractors built on numbers -----------------------------

#: Bound words before a value, longest first, mapped to ``Fact.modifier``.
_MODIFIERS: tuple[tuple[str, str], ...] = (
    ("no more than", "up_to"),
    ("not more than", "up_to"),
    ("a maximum of", "up_to"),
    ("a limit of", "up_to"),
    ("limit of", "up_to"),
    ("maximum of", "up_to"),
    ("a max of", "up_to"),
    ("up to", "up_to"),
    ("within", "up_to"),
    ("at most", "up_to"),
    ("maximum", "up_to"),
    ("max", "up_to"),
    ("no less than", "at_least"),
    ("not less than", "at_least"),
    ("a minimum of", "at_least"),
    ("minimum of", "at_least"),
    ("at least", "at_least"),
    ("minimum", "at_least"),
    ("approximately", "about"),
    ("roughly", "about"),
    ("around", "about"),
    ("about", "about"),
    ("approx", "about"),
    ("more than", "over"),
    ("over", "over"),
    ("above", "over"),
    ("less than", "under"),
    ("fewer than", "under"),
    ("under", "under"),
    ("below", "under"),
    ("starting from", "from"),
    ("starting at", "from"),
    ("from", "from"),
)

_MODIFIER_RE = re.compile(
    r"(?:^|(?<=[^A-Za-z]))(?P<m>"
    + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p, _ in _MODIFIERS)
    + r")\s*$",
    re.IGNORECASE,
)
_MODIFIER_MAP = {p: m for p, m in _MODIFIERS}


def modifier_before(text: str, start: int) -> str | None:
    """The bound ("up to", "within", "over"...) right before ``text[start:]``, as a
    ``Fact.modifier`` slug, or ``None``. Only spaces may separate it from the value.

    Example:
        >>> modifier_before("you get up to 3 sims", 14)
        'up_to'
    """
    window = text[max(0, start - 20) : start]
    m = _MODIFIER_RE.search(window)
    if m is None:
        return None
    return _MODIFIER_MAP.get(" ".join(m.group("m").lower().split()))


_OR_BOUND = re.compile(
    r"\s{1,2}or\s+(?:(?P<up>more|over|above|longer|greater|older)"
    r"|(?P<down>less|fewer|under|shorter|younger))\b",
    re.IGNORECASE,
)


def bound_after(text: str, pos: int, end: int | None = None) -> tuple[str, int] | None:
    """ "or more" / "or less" right at ``text[pos:]`` (or anywhere before ``end``, when
    given), as ``(modifier, end)``: "five or more years" and "nine years or more" are at
    least that many, "3 or fewer" at most.

    Example:
        >>> bound_after("5 or more years", 1)
        ('at_least', 9)
    """
    m = _OR_BOUND.match(text, pos) if end is None else _OR_BOUND.search(text, pos, end)
    if m is None:
        return None
    return ("at_least" if m.group("up") else "up_to"), m.end()


#: How each ``Fact.modifier`` slug reads in a rendering ("up to 3").
MODIFIER_WORDS: dict[str, str] = {
    "up_to": "up to",
    "at_least": "at least",
    "about": "about",
    "over": "over",
    "under": "under",
    "from": "from",
}


def with_modifier(modifier: str | None, rendered: str) -> str:
    """Prefix a rendered value with its bound: ``with_modifier("up_to", "3") == "up to 3"``."""
    if modifier in MODIFIER_WORDS:
        return f"{MODIFIER_WORDS[modifier]} {rendered}"
    return rendered


def format_decimal(value: Decimal) -> str:
    """A number without exponent or trailing zeros: ``Decimal("14.0") -> "14"``."""
    text = f"{value.normalize():f}"
    return text
