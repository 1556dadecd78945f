"""``roles_for`` and ``_dedupe`` were rewritten to be linear; their results are unchanged.

The references below are the earlier quadratic implementations, verbatim.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.compare import roles as roles_module
from consistency.compare.roles import RoledFact, roles_for
from consistency.facts import pipeline
from consistency.facts.pipeline import _dedupe
from consistency.models import Fact


def _dedupe_reference(facts: list[Fact]) -> list[Fact]:
    rank = {k: i for i, k in enumerate(pipeline._PRIORITY)}
    side = pipeline._SIDE_KINDS
    value = [f for f in facts if f.kind not in side]
    value.sort(key=lambda f: (rank.get(f.kind, len(rank)), -(f.span[1] - f.span[0]), f.span))
    kept: list[Fact] = []
    for f in value:
        if any(g.span[0] < f.span[1] and f.span[0] < g.span[1] for g in kept):
            continue
        kept.append(f)
    kept.extend(f for f in facts if f.kind in side)
    kept.sort(key=lambda f: (f.span[0], f.span[1], f.kind))
    return kept


def _roles_reference(text, facts, *, left=7, right=5, near=3):  # type: ignore[no-untyped-def]
    m = roles_module
    toks = m._tokens(text)
    out = []
    for n, fact in enumerate(facts):
        s, e = fact.span
        before = [t for t in toks if t[2] <= s]
        after = [t for t in toks if t[1] >= e]
        lw: list[str] = []
        for word, _, _ in reversed(before):
            if word in m._BOUNDARY or len(lw) >= left:
                break
            lw.append(word)
        rw: list[str] = []
        for word, _, _ in after:
            if word in m._BOUNDARY or len(rw) >= right:
                break
            rw.append(word)
        window = [w for w in lw + rw if w.lower() not in m._STOP and not w.isdigit()]
        close = [w for w in lw[:near] + rw[:near] if w.lower() not in m._STOP and not w.isdigit()]
        inner = frozenset(
            m.stem(w)
            for w, ws, we in toks
            if s <= ws and we <= e and w.lower() not in m._STOP and not w.isdigit()
        )
        left_text = m._SENTENCE_START.split(text[m._word_start(text, max(0, s - 40)) : s])[-1]
        after = text[e : m._word_end(text, e + 12)]
        cue_match = m._EXTRA.search(left_text) or m._EXTRA.search(after)
        cue = m.stem(cue_match.group(0).split()[-1]) if cue_match is not None else ""
        out.append(
            RoledFact(
                fact=fact,
                roles=frozenset(m.stem(w) for w in window),
                near=frozenset(m.stem(w) for w in close),
                extra=cue_match is not None,
                cue=cue,
                index=n,
                inner=inner,
            )
        )
    return out


_KINDS = [k for k in pipeline._PRIORITY if k != "date"] + ["condition", "polarity", "other"]
_SAID = "we refund the fee . within 14 days ; you can return it bought on delivery 3 free ! and"
_WORDS = _SAID.split()
_texts = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=30).map(" ".join)


@st.composite
def _text_and_facts(draw):  # type: ignore[no-untyped-def]
    text = draw(_texts)
    spans = draw(
        st.lists(
            st.tuples(st.integers(0, len(text)), st.integers(0, len(text))).map(sorted),
            max_size=12,
        )
    )
    facts = [
        Fact(kind=draw(st.sampled_from(_KINDS)), value="1", span=(a, b), text=text[a:b])
        for a, b in spans
    ]
    return text, facts


@settings(max_examples=400, deadline=None)
@given(_text_and_facts())
def test_dedupe_keeps_what_it_kept(case) -> None:  # type: ignore[no-untyped-def]
    _, facts = case
    assert _dedupe(facts) == _dedupe_reference(facts)


@settings(max_examples=400, deadline=None)
@given(_text_and_facts(), st.integers(0, 8), st.integers(0, 8), st.integers(0, 4))
def test_roles_for_gives_the_same_roles(case, left: int, right: int, near: int) -> None:  # type: ignore[no-untyped-def]
    text, facts = case
    got = roles_for(text, facts, left=left, right=right, near=near)
    assert got == _roles_reference(text, facts, left=left, right=right, near=near)
