"""The KB's sentence said again with one thing swapped: "a copy of the will or a letter from
the solicitor" against "a copy of the death certificate or a letter from the solicitor".

An agent often repeats the policy nearly word for word. When the repeat keeps the frame
around a noun phrase and puts another noun phrase in its place, the frame is the category:
no lexicon needs to know that a will and a death certificate are both documents, or that
Newcastle and York are both stations. Where the sentence is said in other words, there is
no frame to read, and this check says nothing (the slot, member and name checks look at
those).

A swap is read from a word-by-word alignment of an answer sentence with a KB sentence
(difflib over the words' stems):

* the two sentences share at least five words, and half of the answer sentence's;
* exactly one stretch differs inside the shared words, one to four words on each side,
  each with a content word, after a determiner (a noun phrase's place; "in total" is
  an idiom, not a place),
  with shared words on both sides or at least three before it when it ends the sentence;
* every content word of the answer's stretch is one the KB entry never says (nor the
  customer: "my Leeds branch" is theirs), and every content word of the KB's stretch is
  one the answer never says. A more or less specific phrase shares a word and is never
  a swap.

Held back, because each is mostly a paraphrase: a stretch followed by more of the noun
phrase ("the last train" / "the final train", "a plug socket" / "a power socket"), a
pronoun ("them" / "your partner"), a gerund ("by phoning" / "by calling"). "The bill's
unpaid" is "the bill is unpaid". Numbers (the facts' job), negations (polarity's) and a
negated sentence are left alone; so is a clause of more than sixty words (unpunctuated
speech), which keeps the word alignment's cost bounded.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

from consistency.compare.claims import said_instead, taken_by
from consistency.compare.lists import ANY_OF_KIND, NEGATION, SENTENCE, content_stems, said_stems
from consistency.facts.polarity import stem
from consistency.models import Conflict

__all__ = ["substitution_conflicts"]

_WORD = re.compile(r"[A-Za-z][\w'&-]*|\d[\w.,:/-]*|£[\d.,]+")
_DETERMINERS = frozenset(
    ["the", "a", "an", "your", "our", "their", "his", "her", "its", "my", "this", "that"]
)
_SHARED = 5  # words the two sentences have in common, at least
_SHARE = 0.5  # of the answer sentence's words
_MOST = 4  # words in either swapped stretch
_LONGEST = 60  # words in a clause that is aligned at all
_BEFORE_AT_END = 3  # shared words before a swapped stretch that ends the sentence


def _words(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    return [
        (m.group(0), start + m.start(), start + m.end())
        for m in _WORD.finditer(text[start:end])
        if m.group(0).lower() not in _COPULAS
    ]


#: Where a clause ends: the frame of a swap is read clause by clause, so that two clauses
#: said in the other order still line up.
_PIECE_END = re.compile(r"[,;:](?=\s)|[.!?](?=\s|$)|\s[-\u2013\u2014]\s")


@lru_cache(maxsize=2048)
def _pieces(text: str) -> tuple[tuple[int, int], ...]:
    out, pos = [], 0
    for m in [*_PIECE_END.finditer(text), None]:
        stop = m.start() if m is not None else len(text)
        if text[pos:stop].strip():
            out.append((pos, stop))
        if m is not None:
            pos = m.end()
    return tuple(out)


#: Words that can follow a whole noun phrase; any other word after a swapped stretch means
#: the stretch is a modifier of a shared head ("the last train" / "the final train").
_AFTER_PHRASE = frozenset(
    """or and but of for to from at in on with by within before after until when if so as
    is are was were will can must should would could has have that which who where than
    instead rather""".split()  # noqa: SIM905
)
#: Prepositions before a noun phrase said bare ("under contents", "to HMRC"): a place for a
#: swap when both sides say the same one.
_PLACE_PREPOSITIONS = frozenset("under to from by via into through behind".split())  # noqa: SIM905
#: Words that stand for a noun phrase said elsewhere ("them", "your partner").
_PRONOUNS = frozenset(
    "it them they he she him her you we us one ones this that these those".split()  # noqa: SIM905
)


def _key(word: str) -> str:
    """A word's stem, the possessive or contracted "'s" off ("bill's" is "bill is")."""
    low = word.lower()
    if low.endswith(("'s", "\u2019s")):
        low = low[:-2]
    return stem(low)


#: Copulas are dropped before aligning: "the bill's unpaid" and "the bill is unpaid".
_COPULAS = frozenset({"is", "are"})


#: A clause's words (word, start, end) and their alignment keys.
_Words = tuple[tuple[tuple[str, int, int], ...], tuple[str, ...]]


def _clause_words(text: str, span: tuple[int, int]) -> _Words | None:
    """The words of a clause to align, or None when there are none or too many."""
    words = tuple(_words(text, *span))
    if not words or len(words) > _LONGEST:
        return None
    return words, tuple(_key(w) for w, _, _ in words)


@lru_cache(maxsize=2048)
def _kb_clauses(canonical: str) -> tuple[tuple[_Words, tuple[int, int]], ...]:
    """The KB's clauses to align, each with its sentence; a negated KB sentence is left out
    (what it rules out is no member of it). Kept: the same KB answers come back often."""
    sentences = [m.span() for m in SENTENCE.finditer(canonical)]
    out = []
    for k_span in _pieces(canonical):
        whole = next((s for s in sentences if s[0] <= k_span[0] < s[1]), k_span)
        words = _clause_words(canonical, k_span)
        if words is not None and not NEGATION.search(canonical[whole[0] : whole[1]]):
            out.append((words, whole))
    return tuple(out)


def _swap(
    a_clause: _Words,
    k_clause: _Words,
    kb_said: frozenset[str],
    a_said: frozenset[str],
) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The answer's and the KB's swapped stretches (character spans), if one is all that
    differs between the two clauses."""
    (aw, a_keys), (kw, k_keys) = a_clause, k_clause
    ops = difflib.SequenceMatcher(None, a_keys, k_keys, autojunk=False).get_opcodes()
    shared = sum(i2 - i1 for tag, i1, i2, _, _ in ops if tag == "equal")
    if shared < _SHARED or shared < _SHARE * len(aw):
        return None
    # the differences inside the shared stretch: leading and trailing extras are the
    # answer's own words or the KB's other clause, no swap
    first_eq = next(n for n, op in enumerate(ops) if op[0] == "equal")
    last_eq = max(n for n, op in enumerate(ops) if op[0] == "equal")
    inner = [op for n, op in enumerate(ops) if op[0] != "equal" and first_eq < n < last_eq]
    replaced = [op for op in inner if op[0] == "replace"]
    at_end = None
    if last_eq == len(ops) - 2 and ops[-1][0] == "replace":
        at_end = ops[-1]  # "... the Quiet Coach is Coach C" / "... Coach A"
    at_start = _subject_swap(ops, aw, kw, first_eq)
    if at_start is not None and not inner and (at_end is None or _pronoun_only(aw, at_end)):
        op = at_start  # "[the nursery manager] will contact you" / "[your key person] will"
    else:
        if len(inner) > 1 or (inner and not replaced) or (replaced and at_end is not None):
            return None
        op = replaced[0] if replaced else at_end
    if op is None:
        return None
    _, i1, i2, j1, j2 = op
    if not (1 <= i2 - i1 <= _MOST and 1 <= j2 - j1 <= _MOST):
        return None
    before = aw[i1 - 1][0].lower() if i1 else ""
    if (
        op is not at_start
        and before not in _DETERMINERS
        and (before not in _PLACE_PREPOSITIONS or kw[j1 - 1][0].lower() != before)
    ):
        return None  # not a noun phrase's place: "you can [send it back]", "in [total]"
    if op is at_end and i1 < _BEFORE_AT_END:
        return None
    if i2 < len(aw) and aw[i2][0].lower() not in _AFTER_PHRASE:
        return None  # a modifier of a shared head, mostly said another way
    swapped = [w.lower() for w, _, _ in aw[i1:i2] + kw[j1:j2]]
    if any(w in _PRONOUNS or w.endswith("ing") for w in swapped):
        return None  # "them" / "your partner"; "by phoning" / "by calling": ways said again
    a_words = " ".join(w for w, _, _ in aw[i1:i2])
    k_words = " ".join(w for w, _, _ in kw[j1:j2])
    a_content = _nouns(a_words, aw[i1 - 1][0] if i1 else "")
    k_content = _nouns(k_words, kw[j1 - 1][0] if j1 else "")
    if not a_content or not k_content:
        return None
    if a_content <= ANY_OF_KIND or k_content <= ANY_OF_KIND:
        return None  # "your home" / "your property": a word for any of its kind
    if any(ch.isdigit() for ch in a_words + k_words) or NEGATION.search(a_words + " " + k_words):
        return None
    if a_content & kb_said or k_content & a_said:
        return None  # said on the other side too: more or less specific, or said elsewhere
    # shown with its determiner ("the will" for "the death certificate"), read without it
    a_from = i1 - 1 if i1 and aw[i1 - 1][0].lower() in _DETERMINERS else i1
    k_from = j1 - 1 if j1 and kw[j1 - 1][0].lower() in _DETERMINERS else j1
    return (aw[a_from][1], aw[i2 - 1][2]), (kw[k_from][1], kw[j2 - 1][2])


#: After a clause's subject: what it does ("will contact you", "prepares the inventory").
_SUBJECT_VERB = frozenset(
    "will can must should would could may might shall does do has have".split()  # noqa: SIM905
)


def _subject_swap(ops: list, aw: tuple, kw: tuple, first_eq: int) -> tuple | None:
    """The two clauses' subjects, when they are all that differs before a shared verb:
    both clauses open with the swapped stretch and go on with a modal or a verb."""
    if first_eq != 1 or ops[0][0] != "replace":
        return None
    _, i1, i2, j1, _ = ops[0]
    if i1 or j1 or ops[1][2] - ops[1][1] < _SHARED:
        return None
    verb = aw[i2][0].lower()
    if verb not in _SUBJECT_VERB and not (verb.endswith("s") and not verb.endswith("ss")):
        return None
    if aw[0][0].lower() not in _DETERMINERS or kw[0][0].lower() not in _DETERMINERS:
        return None  # "we", "you", "they": a pronoun or a name said another way
    return ops[0]


def _pronoun_only(aw: tuple, op: tuple) -> bool:
    """Whether a trailing difference is the answer's pronoun for the KB's phrase."""
    return all(w.lower() in _PRONOUNS for w, _, _ in aw[op[1] : op[2]])


def _nouns(words: str, before: str) -> frozenset[str]:
    """Content stems of a swapped stretch; after a determiner every word counts ("the will"
    is a document, not a modal verb)."""
    found = content_stems(words)
    if found or before.lower() not in _DETERMINERS:
        return found
    return frozenset(_key(w) for w in words.split())


def _in_sentence(
    answer: str,
    sentence: tuple[int, int],
    canonical: str,
    kb_said: frozenset[str],
    a_said: frozenset[str],
) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]] | None:
    """The first swap between a clause of the answer's sentence and a clause of the KB."""
    kb = _kb_clauses(canonical)
    for a_start, a_end in _pieces(answer[sentence[0] : sentence[1]]):
        a_clause = _clause_words(answer, (sentence[0] + a_start, sentence[0] + a_end))
        if a_clause is None:
            continue
        for k_clause, whole in kb:
            found = _swap(a_clause, k_clause, kb_said, a_said)
            if found is not None:
                return found[0], found[1], whole
    return None


def substitution_conflicts(
    answer: str,
    canonical: str,
    *,
    entry_id: str | None = None,
    taken: list[tuple[int, int]] | None = None,
    question: str = "",
) -> list[Conflict]:
    """Categorical conflicts: a KB clause repeated with one noun phrase swapped."""
    kb_words = said_stems(canonical) | content_stems(question)
    a_words = content_stems(answer)
    out: list[Conflict] = []
    for sm in SENTENCE.finditer(answer):
        if taken_by(*sm.span(), taken) or NEGATION.search(sm.group(0)):
            continue
        found = _in_sentence(answer, sm.span(), canonical, kb_words, a_words)
        if found is None:
            continue
        said, kb_said_span, k_span = found
        out.append(
            said_instead(
                "categorical", answer, said, sm.span(), canonical, kb_said_span, k_span, entry_id
            )
        )
    return out
