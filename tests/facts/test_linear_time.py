"""Every extractor is linear in its text, and the registry reads at most MAX_TEXT_CHARS.

Time is measured as a ratio within one run, never as an absolute: the time per
character at 100,000 characters over the time per character at 1,000 must stay
under 4 (a quadratic extractor gives ~100: "£1" * 2000 took 1.2 s in money,
"1%" * 2000 0.95 s through the answer's facts).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.facts import MAX_TEXT_CHARS, default_registry
from consistency.facts.base import TakenSpans, cap_text
from consistency.promises import extract_promises
from tests.timing import per_char

SIZES = (1_000, 10_000, 100_000)
BOUND = 4.0
REF = dt.date(2026, 3, 2)

# Words that set off every extractor, so a random mix makes each of them work hard.
_WORDS = (
    "£1 £ 1 1% % 14 days weeks working hours 9am 5pm Monday to Friday the 1st 18th of "
    "December next tomorrow free of charge no not if unless only when over under up to "
    "between and or call 0800 123 4567 +44 a@b.com www.x.co.uk http://a.b/c one two twenty "
    "hundred a pound fifty p pence per month each items 3 times first second . , ; ? ! - / "
    "we do don't can cannot you will won't refund returns delivery open closed at from until "
    "Christmas Day next Monday on Friday by 12:00 half past five quid fiver 25 and 26 2026 "
    "within no later than at least free delivery orders over £50 interest free 0% APR "
    "I'll call you back escalated it someone will email you"
)
_VOCABULARY = _WORDS.split()


def _mix(seed: int) -> Callable[[int], str]:
    def make(n: int) -> str:
        rng = random.Random(seed)
        words = rng.sample(_VOCABULARY, 14)
        out: list[str] = []
        size = 0
        while size < n:
            out.append(rng.choice(words))
            size += len(out[-1]) + 1
        return " ".join(out)[:n]

    return make


def _repeat(unit: str) -> Callable[[int], str]:
    return lambda n: (unit * (n // len(unit) + 1))[:n]


INPUTS = {
    "£1 repeated": _repeat("£1"),  # the reproduction (money)
    "1% repeated": _repeat("1%"),  # the reproduction (percent, answer facts)
    "fees and prices": _repeat("£1 free a pound to £2 "),
    "lists of periods": _repeat("between 1, 2 or 3 days and "),
    "run-on speech": _repeat("we will not charge a fee for returns and you can "),
    "ordinals after a date": _repeat("the 18th of December next day the 20th "),
    **{f"mixed words {seed}": _mix(seed) for seed in range(2)},
}
#: Every extractor on mixed words, and each on the inputs it was quadratic on.
CASES = [(kind, "mixed words 0") for kind in default_registry.kinds] + [
    ("money", "£1 repeated"),
    ("money", "fees and prices"),
    ("money", "1% repeated"),
    ("percent", "1% repeated"),
    ("duration", "lists of periods"),
    ("polarity", "run-on speech"),
    ("polarity", "fees and prices"),
    ("date", "ordinals after a date"),
]


def _growth(run: Callable[[str], object], make: Callable[[int], str]) -> float:
    run(make(SIZES[0]))  # warm caches (compiled patterns, stems) before measuring
    times = [per_char(run, make(n)) for n in SIZES]
    return max(times[1:]) / times[0]


@pytest.mark.parametrize(("kind", "name"), CASES)
def test_every_extractor_is_linear(kind: str, name: str) -> None:
    extractor = default_registry.get(kind)  # its own extract: no MAX_TEXT_CHARS cap
    growth = _growth(lambda text: extractor.extract(text, reference=REF), INPUTS[name])
    assert growth < BOUND, f"{kind} on {name!r}: {growth:.1f}x time per character"


@pytest.mark.parametrize("name", ["£1 repeated"])
def test_roles_and_overlaps_of_an_answers_facts_are_linear(name: str) -> None:
    """``roles_for`` and ``_dedupe``, which a check runs on the answer's facts, timed on
    facts extracted beforehand (each went through every fact or token per fact)."""
    from consistency.compare.roles import roles_for
    from consistency.facts.pipeline import _dedupe

    facts = {}

    def run(text: str) -> None:
        roles_for(text, facts[text])
        _dedupe(facts[text])

    def make(n: int) -> str:
        text = INPUTS[name](n)
        facts[text] = [
            f for k in ("money", "percent") for f in default_registry.get(k).extract(text)
        ]
        return text

    assert _growth(run, make) < BOUND


@pytest.mark.parametrize("name", ["run-on speech", "mixed words 1"])
def test_promise_extraction_is_linear(name: str) -> None:
    start = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)
    assert _growth(lambda text: extract_promises(text, 1, start), INPUTS[name]) < BOUND


def test_the_registry_reads_at_most_max_text_chars() -> None:
    unit = "It costs £4.49. "
    text = unit * (MAX_TEXT_CHARS // len(unit) + 100)
    facts = default_registry.extract(text, kinds=["money"])
    assert facts and all(f.span[1] <= MAX_TEXT_CHARS for f in facts)
    assert len(facts) == cap_text(text).count("£4.49")  # every price in what is read
    assert default_registry.extract("x" * (2 * MAX_TEXT_CHARS) + " £5", kinds=["money"]) == []


@given(st.text(st.sampled_from("ab ."), max_size=60), st.integers(0, 70))
def test_cap_text_keeps_a_prefix_cut_at_a_blank(text: str, limit: int) -> None:
    capped = cap_text(text, limit)
    assert text.startswith(capped) and len(capped) <= max(limit, 0)
    if len(text) <= limit:
        assert capped == text
    elif capped and len(capped) < limit:
        assert text[len(capped)].isspace()  # cut before a blank, not inside a word


_spans = st.tuples(st.integers(0, 40), st.integers(0, 40)).map(lambda t: (min(t), max(t)))


@settings(max_examples=500)
@given(st.lists(_spans, max_size=10), _spans)
def test_taken_spans_answer_as_comparing_with_each(taken, span) -> None:  # type: ignore[no-untyped-def]
    index = TakenSpans(40, taken)
    assert index.overlaps(*span) == any(a < span[1] and span[0] < b for a, b in taken)
