"""Another name in the KB's sentence: "we use Swiftdrop" where the KB says "Parcelway".

Who delivers, which body handles a dispute, which office or department, which
scheme: a policy names them, and an agent who keeps the sentence and swaps the
name misinforms as surely as a wrong price. No lexicon lists every company, body,
town or product a KB names, but a name is easy to see in written text: a word
or run of words with capitals that does not start the sentence.

An answer sentence swaps a name when it says most of what a KB sentence says
(two content words, and two fifths of its own, in common) and each names
something the other side never says anywhere: the answer a name the KB and the
customer never mention, the KB sentence a name the answer never mentions. A name
the customer gave ("my Leeds branch"), a day or month, or a name said in other
words on the other side is never a swap. Speech-recognition text has no capitals,
so it is never read here.
"""

from __future__ import annotations

import re

from consistency.compare.claims import kb_says, taken_by
from consistency.compare.lists import SENTENCE, abbreviates, content_stems
from consistency.models import Conflict

__all__ = ["name_conflicts"]

# a run of capitalised words (or an acronym), "Tor Scaffolding", "HMRC", "Full Fibre 500"
# a form or document code is a name too ("FP57", "HC2", "VT17"), a postcode ("BT7 1NN") not
_CODE_PATTERN = r"[A-Z]{1,3}\d{1,3}[A-Z]?"
_WORD = (
    rf"(?:[A-Z][a-z]+|{_CODE_PATTERN}(?![\w-])(?!\s+\d[A-Z]{{2}}\b)|[A-Z]{{2,}})"
    r"(?:-(?:[A-Z][a-z]+|[A-Z]{2,}|[a-z]+))*"
)
_NAME = re.compile(rf"\b{_WORD}(?:\s+(?:{_WORD}|\d+))*\b")
_NOT_NAMES = frozenset(
    """i i'm i'll i've i'd yes no sorry please thanks thank hi hello ok okay mr mrs ms dr
    monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december uk gb eu""".split()  # noqa: SIM905
)
_HYPHEN_TAILS = frozenset({"only", "based", "wide", "led", "owned", "style"})
_SHARED = 2  # content words a swapped sentence shares with the KB's
_SHARE = 0.4  # and the share of the answer sentence's own words that is


_REFERENCE_AFTER = re.compile(r"[-/]?\d{3,}")


def _names(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """The names inside ``text[start:end]`` that do not open it, as spans and text."""
    out = []
    for m in _NAME.finditer(text, start, end):
        lead = text[start : m.start()].strip(" \t\"'(")
        if not lead or lead[-1] in ".!?:;-–":
            continue  # a capital that opens a sentence or a clause
        words = m.group(0).lower().split()
        if all(w in _NOT_NAMES or w.isdigit() for w in words):
            continue
        if sum(w.isdigit() for w in words) >= 2 or _REFERENCE_AFTER.match(text, m.end()):
            continue  # a reference or tracking number: "PW 7731 0048 2291", "CMP-28104"
        out.append((m.start(), m.end(), m.group(0)))
    return out


def _said(name: str, text: str) -> bool:
    """``text`` says the name, or most of its words ("Linkway" for "Linkway Networks",
    "Customer Relations team" for "Customer Relations"); "Financial Conduct Authority"
    shares one word of three with "Financial Ombudsman Service" and is another body."""
    low = text.lower()
    words = [
        w
        for w in re.split(r"[\s-]+", name.lower())
        if w and not w.isdigit() and w not in _HYPHEN_TAILS and w not in _NOT_NAMES
    ]
    # "Direct Debits" names the KB's "Direct Debit": one name, singular or plural
    found = sum(bool(re.search(rf"\b{re.escape(_one(w))}(?:s|es)?\b", low)) for w in words)
    return bool(words) and found * 2 > len(words)


def _coded(name: str) -> bool:
    """A form or document code, one word of capitals and digits ("FP57", "HC2", "V5C")."""
    return _CODE.fullmatch(name) is not None


_CODE = re.compile(_CODE_PATTERN)


def _one(word: str) -> str:
    """A word without its plural "s" ("debits" -> "debit"; "bus" and "class" kept)."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


#: A name right after a negation is ruled out, not offered: "not by Northline".
_NEGATED_JUST_BEFORE = re.compile(r"(?:\b(?:not|no|never|nor)\b|n't\b)(?:\W+\w+){0,3}\W*$")


def _negated(text: str, at: int) -> bool:
    return _NEGATED_JUST_BEFORE.search(text[max(0, at - 40) : at]) is not None


def name_conflicts(
    answer: str,
    canonical: str,
    *,
    entry_id: str | None = None,
    taken: list[tuple[int, int]] | None = None,
    question: str = "",
) -> list[Conflict]:
    """A name in an answer sentence where the KB sentence it restates names another."""
    kb_sentences = [(m.start(), m.end()) for m in SENTENCE.finditer(canonical)]
    for sm in SENTENCE.finditer(answer):
        s_start, s_end = sm.span()
        new = [
            n
            for n in _names(answer, s_start, s_end)
            # "we don't use Swiftdrop" rules out; the claim checks read it
            if not _said(n[2], canonical) and not _said(n[2], question)
            and not _negated(answer, n[0])
            and not taken_by(n[0], n[1], taken)
        ]  # fmt: skip
        if not new:
            continue
        own = set(content_stems(answer[s_start:s_end])) - {
            w for n in new for w in content_stems(n[2])
        }
        for k_start, k_end in kb_sentences:
            shared = len(own & content_stems(canonical[k_start:k_end]))
            if shared < _SHARED or shared < _SHARE * len(own):
                continue
            gone = [
                n
                for n in _names(canonical, k_start, k_end)
                if not _said(n[2], answer) and not _negated(canonical, n[0])
            ]
            fresh = [
                n
                for n in new
                if not any(abbreviates(n[2], g[2]) or abbreviates(g[2], n[2]) for g in gone)
            ]
            if not gone or not fresh:
                continue  # "Amex" is "American Express" said short
            a_name = fresh[0]
            # a form code swaps only with another code ("VT30" for "VT17"), not a body ("GP")
            alike = [g for g in gone if _coded(g[2]) == _coded(a_name[2])]
            if not alike:
                continue
            k_name = alike[0]
            kb_text = canonical[k_start:k_end].strip()
            return [
                Conflict(
                    kind="categorical",
                    answer_value=a_name[2],
                    kb_value=k_name[2],
                    answer_span=(a_name[0], a_name[1]),
                    kb_span=(k_name[0], k_name[1]),
                    answer_text=a_name[2],
                    kb_text=k_name[2],
                    entry_id=entry_id,
                    explanation=kb_says(
                        entry_id, kb_text, f"the answer names {a_name[2]} instead of {k_name[2]}."
                    ),
                )
            ]
    return []
