"""Words for people: finding kinds in plain English, and quotes cut at word boundaries.

Shared by the HTML report and the CSV / XLSX exports, so a finding reads the
same wherever a QA analyst meets it. The machine names (``kb_contradiction``
...) stay in ``findings.jsonl`` and Parquet, which other tools read.

Quotes: the audit keeps a little context either side of a quoted value (70
characters, see :func:`consistency.audit.analyse.snippet_around` and the
promise readers), cutting the answer wherever the count falls, often inside a
word ("ually ready within 2 hours"). :func:`clip_quote` drops the partial word
at each cut edge and marks the cut with "…"; the quoted value itself is never
touched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

__all__ = [
    "KIND_LABELS",
    "clip_quote",
    "kind_label",
    "quote",
    "tidy_quotes",
]

#: Each finding kind in plain words, for headline cards, table headings and exports.
KIND_LABELS: dict[str, str] = {
    "kb_contradiction": "KB contradiction",
    "agent_disagreement": "Agents disagree",
    "repeat_contact_conflict": "Customer told different things",
    "kb_gap": "Question the KB does not answer",
    "macro_contradiction": "Canned response contradicts the KB",
    "broken_promise": "Broken promise",
}

#: Characters of context the audit keeps either side of a quoted value: a
#: snippet with this much (or more) before the value was cut there.
CONTEXT = 70
#: An answer quoted without a located value is its first 160 characters.
HEAD = 160

_CLOSING = ",;:-–—"


def kind_label(kind: str) -> str:
    """``kb_contradiction`` -> ``KB contradiction``; an unknown kind in words ("a_b" -> "A b")."""
    return KIND_LABELS.get(kind) or kind.replace("_", " ").capitalize()


def _ends_sentence(text: str) -> bool:
    return len(text) >= 2 and text[-1] in ".!?" and not text[-2].isdigit()


def clip_quote(
    snippet: str, span: Sequence[int] | None, *, whole: bool = False
) -> tuple[str, tuple[int, int] | None, bool, bool]:
    """``snippet`` without the partial words at its cut edges.

    Args:
        snippet: the text around a quoted value, as the audit stored it.
        span: ``snippet[start:end]`` is the quoted value (``None``: not located).
        whole: the snippet is the whole text (nothing was cut).

    Returns:
        ``(text, span, cut_before, cut_after)``: the text to show, the value's
        span in it, and whether text was cut before / after it (show "…").
        An edge is taken as cut when the snippet holds the audit's full context
        on that side; its first (last) word is then dropped unless the cut fell
        on a space, since a word there may be a fragment. The span is kept whole.
    """
    n = len(snippet)
    located = span is not None and 0 <= span[0] <= span[1] <= n
    if located:
        start, end = int(span[0]), int(span[1])  # type: ignore[index]
        cut_before = not whole and start >= CONTEXT
        cut_after = not whole and n - end >= CONTEXT
    else:
        start, end = n, 0
        cut_before = False
        cut_after = not whole and n >= HEAD
    lo, hi = 0, n
    if cut_before and n:
        if not snippet[0].isspace():
            gap = re.search(r"\s", snippet[:start])
            lo = gap.start() if gap else 0
        while lo < start and snippet[lo].isspace():
            lo += 1
    if cut_after and _ends_sentence(snippet.rstrip()):
        cut_after = False  # it stops at a full stop: nothing is missing from this sentence
    if cut_after and n:
        if not snippet[-1].isspace():
            gaps = [m.start() for m in re.finditer(r"\s", snippet[end:])]
            hi = end + gaps[-1] if gaps else n
        while hi > max(end, lo) and (snippet[hi - 1].isspace() or snippet[hi - 1] in _CLOSING):
            hi -= 1
    while hi > max(end, lo) and snippet[hi - 1].isspace():
        hi -= 1
    text = snippet[lo:hi]
    new_span = (start - lo, end - lo) if located else None
    return text, new_span, cut_before, cut_after


def quote(snippet: str, span: Sequence[int] | None = None, *, whole: bool = False) -> str:
    """:func:`clip_quote` as plain text, "…" where it was cut."""
    text, _, before, after = clip_quote(snippet, span, whole=whole)
    return f"{'…' if before else ''}{text}{'…' if after else ''}"


_QUOTED = re.compile(r'"([^"\n]+)"')


def _cut_at_word(core: str, source: str) -> str:
    """``core`` (a prefix of ``source``) without a trailing fragment of a word."""
    if core[-1:].isspace() or source[len(core)].isspace():
        return core.rstrip()
    gap = core.rfind(" ")
    return core[:gap].rstrip() if gap > 0 else core


def tidy_quotes(text: str, sources: Iterable[str]) -> str:
    """``text`` (a finding's explanation) with each shortened quote cut at a word.

    Explanations quote a customer's question or an agent's words, shortened to
    a fixed length ("...will be back in your acc…"). A quoted string that is a
    strict prefix of one of ``sources`` (the texts the finding quotes) and is
    not itself one of them was shortened: it is cut back to its last whole word
    and ends in "…". Quotes of whole texts are left as they are.
    """
    whole = {s for s in sources if s}
    if not whole:
        return text

    def fix(match: re.Match[str]) -> str:
        quoted = match.group(1)
        core = quoted[:-1] if quoted.endswith("…") else quoted
        if not core or core in whole or quoted in whole:
            return match.group(0)
        longer = next((s for s in whole if len(s) > len(core) and s.startswith(core)), None)
        if longer is None:
            return match.group(0)
        return f'"{_cut_at_word(core, longer)}…"'

    return _QUOTED.sub(fix, text)
