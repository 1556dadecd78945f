"""Web addresses, typed or read out ("voltstream dot co dot uk slash returns").

``value`` is normalised so the forms an agent might use compare equal:
``https://`` scheme (added when missing; ``http`` becomes ``https``), no
``www.``, everything lower-case, no trailing slash or punctuation. So
"www.Voltstream.co.uk/returns/", "https://www.voltstream.co.uk/returns" and
"voltstream dot co dot uk slash returns" all give
``"https://voltstream.co.uk/returns"``. Lower-casing the path is lossy on
purpose: speech recognition never keeps case, and agents do not disagree by case.

Bare domains without ``www.`` or a scheme need a common top-level domain
(``.com``, ``.co.uk``, ``.org``...), so "e.g." or "3.5GB" are not addresses.
The domain of an email address is not a URL, typed or spoken ("returns at
voltstream dot co dot uk" is an address for mail).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import ClassVar

from consistency.facts.base import Extractor
from consistency.facts.numbers import WORD_DIGITS
from consistency.models import Fact

__all__ = ["EXTRACTOR", "UrlExtractor", "normalise_url"]


def _wordset(words: str) -> frozenset[str]:
    """A set of words written as one string, to keep long vocabularies readable."""
    return frozenset(words.split())


_BARE_TLDS = ("com", "uk", "org", "net", "io", "ie", "info", "eu", "gov", "edu")
_SPOKEN_TLDS = (*_BARE_TLDS, "co", "app", "dev", "ai", "shop", "store", "online")
# Words before "at" that are not a mailbox (kept in step with consistency.facts.email).
_NOT_A_MAILBOX = _wordset(
    """us me you him her them it this that these those we i they email e-mail mail online
    website site web look looking looked arrive arrives arrived be is are was were here
    there write writing wrote send sent contact find found visit go available anytime time
    directly straight our your store shop claim return order apply book track reset cancel
    register buy pay check login log sign manage change update start"""
)
_LABEL = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
_WRITTEN = re.compile(
    rf"(?<![\w@.+/-])(?:"
    rf"(?P<scheme>https?://)[^\s<>\"'@]+"
    rf"|(?P<www>www\.){_LABEL}(?:\.{_LABEL})+(?:/[^\s<>\"'@]*)?"
    rf"|{_LABEL}(?:\.{_LABEL})*\.(?:{'|'.join(_BARE_TLDS)})\b(?![@.-]\w|@)(?:/[^\s<>\"'@]*)?"
    rf")",
    re.IGNORECASE,
)
_PATH_WORD = r"[a-z0-9]+(?:\s+(?:dash|hyphen|underscore)\s+[a-z0-9]+)*"
_SPOKEN = re.compile(
    r"(?<![\w.])(?:h\s?t\s?t\s?p\s?s?\s+(?:colon\s+)?(?:(?:forward\s+)?slash\s+){2})?"
    r"(?:(?P<www>w\s?w\s?w|dub\s+dub\s+dub|double\s+u\s+double\s+u\s+double\s+u)\s+dot\s+)?"
    rf"(?P<host>{_LABEL}(?:\s+dot\s+{_LABEL})*\s+dot\s+(?:{'|'.join(_SPOKEN_TLDS)}))\b"
    rf"(?!\s+dot\s+\w)(?P<path>(?:\s+(?:forward\s+)?slash\s+{_PATH_WORD})*)",
    re.IGNORECASE,
)
_URL_HINT = re.compile(rf"://|www\.|\.(?:{'|'.join(_BARE_TLDS)})\b", re.IGNORECASE).search
_MAILBOX_BEFORE = re.compile(r"(?P<word>[\w.-]+)\s+(?:at|@)\s+$", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\"’”"
_SPOKEN_JOINS = (
    (re.compile(r"\s+(?:forward\s+)?slash\s+", re.IGNORECASE), "/"),
    (re.compile(r"\s+dot\s+", re.IGNORECASE), "."),
    (re.compile(r"\s+(?:dash|hyphen)\s+", re.IGNORECASE), "-"),
    (re.compile(r"\s+underscore\s+", re.IGNORECASE), "_"),
)


#: Spoken digits of a host ("one one one dot nhs dot uk"); a lone "o" is a label, not 0.
_HOST_DIGITS = {w: str(d) for w, d in WORD_DIGITS.items() if w != "o"}
_DIGITS_BEFORE = re.compile(
    rf"(?<![\w.])(?:(?:{'|'.join(_HOST_DIGITS)})\s+)+$",
    re.IGNORECASE,
)


def normalise_url(raw: str) -> str:
    """``https://host/path`` lower-cased, without ``www.`` or a trailing slash.

    Example:
        >>> normalise_url("www.Voltstream.co.uk/Returns/")
        'https://voltstream.co.uk/returns'
    """
    url = raw.strip().rstrip(_TRAILING).lower()
    url = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url)
    host, slash, path = url.partition("/")
    if host.startswith("www.") and "." in host[4:]:
        host = host[4:]  # "www.com" is a host of its own, not a prefix (idempotent)
    path = path.rstrip("/")
    return f"https://{host}/{path}" if slash and path else f"https://{host}"


class UrlExtractor(Extractor):
    """Web addresses as normalised ``https://`` strings."""

    kind: ClassVar[str] = "url"

    def extract(self, text: str, *, reference: dt.date | None = None) -> list[Fact]:
        found: list[tuple[int, int, str]] = []
        if _URL_HINT(text):
            for m in _WRITTEN.finditer(text):
                raw = m.group().rstrip(_TRAILING)
                start, end = m.start(), m.start() + len(raw)
                # "returns at example.co.uk" is a mailbox only in speech-recogniser text (all
                # lower case): typed text writes an email with "@" (as the email extractor)
                if (
                    "/" not in raw
                    and not m.group("www")
                    and text == text.lower()
                    and self._is_mail_domain(text, start)
                ):
                    continue
                found.append((start, end, normalise_url(raw)))
        first_dot = text.lower().find(" dot ")
        if first_dot >= 0:
            for m in _SPOKEN.finditer(text, max(0, first_dot - 120)):
                if (
                    not m.group("path")
                    and not m.group("www")
                    and self._is_mail_domain(text, m.start())
                ):
                    continue
                raw = m.group("host") + m.group("path")
                start = m.start()
                label, _, rest = raw.partition(" ")
                digits = _HOST_DIGITS.get(label.lower())
                if digits is not None and not m.group("www"):
                    # "one one one dot nhs dot uk": a host spoken digit by digit
                    run = _DIGITS_BEFORE.search(text, max(0, start - 80), start)
                    if run is not None:
                        said = run.group(0).lower().split()
                        label = "".join(_HOST_DIGITS[w] for w in said) + digits
                        start = run.start()
                    raw = f"{label} {rest}"
                for pattern, sep in _SPOKEN_JOINS:
                    raw = pattern.sub(sep, raw)
                found.append((start, m.end(), normalise_url(raw)))
        return self.leftmost_longest(text, found)

    @staticmethod
    def _is_mail_domain(text: str, start: int) -> bool:
        """True for "returns at example dot com": the domain of a spoken email address."""
        m = _MAILBOX_BEFORE.search(text, max(0, start - 40), start)
        return m is not None and m.group("word").lower() not in _NOT_A_MAILBOX

    def render(self, fact: Fact) -> str:
        """The address without its scheme: ``voltstream.co.uk/returns``."""
        return str(fact.value).removeprefix("https://")


EXTRACTOR = UrlExtractor()
