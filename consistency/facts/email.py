"""Email addresses, typed or read out ("returns at voltstream dot co dot uk").

``value`` is the address lower-cased (the domain is case-insensitive and
mailboxes of the companies we check are too), so "Help@Voltstream.co.uk" and
"help at voltstream dot co dot uk" compare equal. A spoken address needs a
mailbox word, "at", and a domain whose last label is a known top-level domain;
"email us at voltstream dot co dot uk" has no mailbox (the word before "at" is
"us") and is left to the url extractor. Speech recognition splits some
mailboxes ("price match at ..."): a content word just before the mailbox word is
joined to it, so the value is ``pricematch@...``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import ClassVar

from consistency.facts.base import Extractor
from consistency.models import Fact

__all__ = ["EXTRACTOR", "NOT_A_MAILBOX", "EmailExtractor"]


def _wordset(words: str) -> frozenset[str]:
    """A set of words written as one string, to keep long vocabularies readable."""
    return frozenset(words.split())


_TLDS = (
    "com", "co", "uk", "org", "net", "io", "ie", "gov", "ac", "nhs", "info", "biz", "eu",
    "de", "fr", "us", "app", "dev", "ai", "me", "tv", "online", "shop", "store",
)  # fmt: skip
#: Words before "at" that are not a mailbox: "email us at ...", "look at ...".
NOT_A_MAILBOX = _wordset(
    """us me you him her them it this that these those we i they email e-mail mail online
    website site web look looking looked arrive arrives arrived be is are was were here
    there write writing wrote send sent contact find found visit go available anytime time
    directly straight our your store shop claim return order apply book track reset cancel
    register buy pay check login log sign manage change update start free more details
    detail form forms quote page pages app answers faqs everything all anything"""
)
_WRITTEN = re.compile(
    r"(?<![\w.+-])[a-z0-9](?:[a-z0-9._%+-]*[a-z0-9_])?@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
    r"(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,24}\b(?![@-])",
    re.IGNORECASE,
)
_LABEL = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
_SPOKEN_DOT = r"\s+dot\s+|\."
_AT = re.compile(r"\s(?:at|@)\s", re.IGNORECASE)
_LOCAL_BEFORE = re.compile(
    rf"(?<![\w.@-])(?P<local>{_LABEL}(?:(?:\s+(?:dot|underscore|dash|hyphen)\s+|[._-]){_LABEL})*)$",
    re.IGNORECASE,
)
# A spoken domain may be a company name of up to three words ("lumen mobile dot co dot uk").
_DOMAIN_AFTER = re.compile(
    rf"(?P<domain>{_LABEL}(?:\s+(?!(?:at|dot)\b){_LABEL}){{0,2}}?(?:(?:{_SPOKEN_DOT}){_LABEL})*(?:{_SPOKEN_DOT})"
    rf"(?:{'|'.join(_TLDS)}))\b"
    r"(?!\.\w|\s+dot\s+\w|\s*/|\s+(?:forward\s+)?slash\b)",
    re.IGNORECASE,
)
_WORD_BEFORE = re.compile(r"(?<![\w.@-])(?P<w>[a-z]{3,})\s+$", re.IGNORECASE)
# Words that never end a split mailbox ("send the link to [price match] at ...").
_NOT_JOINED = NOT_A_MAILBOX | _wordset(
    """the and or but to for from via with on in of is its just please um uh so also then
    address details link form message copy photo team please"""
)
_SPOKEN_SEPARATORS = (
    (re.compile(r"\s+dot\s+", re.IGNORECASE), "."),
    (re.compile(r"\s+underscore\s+", re.IGNORECASE), "_"),
    (re.compile(r"\s+(?:dash|hyphen)\s+", re.IGNORECASE), "-"),
)


def _join_spoken(raw: str) -> str:
    for pattern, sep in _SPOKEN_SEPARATORS:
        raw = pattern.sub(sep, raw)
    return raw.lower()


# "that's all one word", "all one word": how a speaker spells a mailbox out
_ONE_WORD = re.compile(
    r"[\s,]+(?:(?:that's|thats|that\s+is|it's|its)\s+)?(?:all\s+)?one\s+word[\s,]*$",
    re.IGNORECASE,
)
_BEFORE_MAILBOX = _wordset(
    """email mail e-mail to at the and or please write drop send um uh so just an a is it's"""
)
_MAILBOX_WORDS = re.compile(r"(?:\b[a-z0-9]+\s+){0,2}\b[a-z0-9]+$", re.IGNORECASE)


def _spelt_mailbox(text: str, at: int) -> tuple[int, str] | None:
    """ "app support that's all one word at ...": where the mailbox starts and its words
    joined, or None when the speaker did not spell it out."""
    spelt = _ONE_WORD.search(text, max(0, at - 120), at)
    if spelt is None:
        return None
    words = _MAILBOX_WORDS.search(text, max(0, spelt.start() - 60), spelt.start())
    if words is None:
        return None
    kept: list[str] = []
    for w in reversed(words.group(0).lower().split()):
        if w in _BEFORE_MAILBOX:
            break
        kept.insert(0, w)
    local = "".join(kept)
    if not local or local in NOT_A_MAILBOX:
        return None
    return words.start(), local


def _spoken_domain(domain: str) -> str:
    """The company name's words are one label ("lumen mobile dot co" -> lumenmobile.co);
    a spoken dash is a hyphen ("kestrel dash leisure" -> kestrel-leisure)."""
    domain = re.sub(r"\s+(?:dash|hyphen)\s+", "-", domain, flags=re.IGNORECASE)
    labels = re.split(r"\s+dot\s+|\.", domain, flags=re.IGNORECASE)
    return ".".join("".join(label.split()) for label in labels).lower()


class EmailExtractor(Extractor):
    """Email addresses as lower-case strings."""

    kind: ClassVar[str] = "email"

    def extract(self, text: str, *, reference: dt.date | None = None) -> list[Fact]:
        found: list[tuple[int, int, str]] = []
        if "@" in text:
            found.extend((m.start(), m.end(), m.group().lower()) for m in _WRITTEN.finditer(text))
        spoken_style = text == text.lower()
        for at in _AT.finditer(text):
            domain_m = _DOMAIN_AFTER.match(text, at.end())
            if domain_m is None:
                continue
            spelt = _spelt_mailbox(text, at.start())
            if spelt is not None:
                start, local = spelt
                found.append(
                    (start, domain_m.end(), f"{local}@{_spoken_domain(domain_m['domain'])}")
                )
                continue
            local_m = _LOCAL_BEFORE.search(text, max(0, at.start() - 80), at.start())
            if local_m is None:
                continue
            local = _join_spoken(local_m.group("local"))
            if local.split(".")[0] in NOT_A_MAILBOX or local in NOT_A_MAILBOX:
                continue
            start = local_m.start()
            joined = _WORD_BEFORE.search(text, max(0, start - 30), start)
            word_before = joined.group("w").lower() if joined else ""
            if (
                joined
                and word_before not in _NOT_JOINED
                and not word_before.endswith(("ing", "ed", "ly", "s"))
            ):
                # ASR splits a mailbox: "price match at ..." is pricematch@
                local = joined.group("w").lower() + local
                start = joined.start()
            domain = domain_m.group("domain")
            if domain.lower().startswith("www"):
                continue  # "claim at www.example.com" is a web address
            if not re.search(r"\sdot\s", domain, re.IGNORECASE) and not spoken_style:
                # A written domain after "at" in typed text ("print a label at
                # repairs.example.com") is a web address: a typed email has "@". Speech
                # recognisers write either "dot" or, lower case, "returns at example.co.uk".
                continue
            value = f"{local}@{_spoken_domain(domain)}"
            found.append((start, domain_m.end(), value))
        return self.leftmost_longest(text, found)

    def render(self, fact: Fact) -> str:
        """The address as stored."""
        return str(fact.value)


EXTRACTOR = EmailExtractor()
