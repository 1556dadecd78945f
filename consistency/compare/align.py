"""Pair an answer's facts with the KB's, by kind and role.

Two passes per kind, so that agreement always wins over disagreement:

1. **Agreement.** An answer fact with the same value as a KB fact (see
   :func:`~consistency.compare.values.relation`) is *supported*; when several KB
   facts match, the one with the closest role wins. Several answer facts may
   support one KB fact ("30 days... yeah thirty days").
2. **Disagreement.** Among what is left, an answer fact is paired with a KB fact
   whose value differs only when we are confident they are the same claim:
   their roles overlap clearly (``role_similarity >= CONFIDENT``), or each is
   the only candidate of its kind on its side, the answer fact does not read as
   conversation detail ("I'll call you back in 10 minutes", "your order was 3
   days ago"), and the magnitudes are plausible for one claim (a 10-minute
   callback is not the 30-day returns window).

Everything else is left unpaired: answer facts become *unverified* (the KB
does not mention them) and KB facts *missing*. A false alarm costs an agent's
score, so doubt always resolves to "unverified", never to a conflict.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from consistency.compare.roles import RoledFact, is_detail_for, role_similarity, stem
from consistency.compare.values import _BOUNDS, _day_set, _time_parts, days_alone, relation

__all__ = ["CONFIDENT", "Alignment", "align"]

#: Role similarity at which two facts of one kind are taken as the same claim.
CONFIDENT = 0.5
#: Polarity facts pair only on a clear role overlap: negations are everywhere.
POLARITY_MIN = 0.5
#: The most two values of one claim may differ by (ratio) for a one-to-one pairing.
MAX_RATIO = Decimal(30)

# rough sizes in days, only to judge whether two values could be the same claim
_DAYS = {
    "second": Decimal(1) / 86400,
    "minute": Decimal(1) / 1440,
    "hour": Decimal(1) / 24,
    "day": Decimal(1),
    "business_day": Decimal("1.4"),
    "month": Decimal(30),
}


@dataclass
class Alignment:
    """The outcome of :func:`align`; pairs are ``(answer, kb)``."""

    supported: list[tuple[RoledFact, RoledFact]] = field(default_factory=list)
    conflicts: list[tuple[RoledFact, RoledFact]] = field(default_factory=list)
    unverified: list[RoledFact] = field(default_factory=list)
    missing: list[RoledFact] = field(default_factory=list)


def _size(fact: RoledFact) -> Decimal | None:
    value = fact.fact.value
    if not isinstance(value, Decimal):
        return None
    top = fact.fact.upper if isinstance(fact.fact.upper, Decimal) else value
    if fact.fact.kind == "duration":
        return top * _DAYS.get(fact.fact.unit or "", Decimal(1))
    return top


def _plausible(a: RoledFact, k: RoledFact) -> bool:
    """Could these two values be two versions of one claim?"""
    sa, sk = _size(a), _size(k)
    if sa is None or sk is None:
        return True
    if sa == 0 or sk == 0:
        # "free" against a price, "0% APR" against "19.9% APR": a real contradiction
        return a.fact.kind in ("money", "percent")
    big, small = max(sa, sk), min(sa, sk)
    return big / small <= MAX_RATIO


def align(answer: list[RoledFact], kb: list[RoledFact], *, one_to_one: bool = True) -> Alignment:
    """Align two fact lists (see the module docstring).

    Args:
        answer: the answer's facts with roles.
        kb: the canonical answer's facts with roles.
        one_to_one: allow the "only candidate on each side" pairing. Turn it off
            when neither side is authoritative and only clear roles should pair.
    """
    out = Alignment()
    said: dict[int, RoledFact] = {}
    answer = _positions_as_periods(answer, kb, said)
    kb = _positions_as_periods(kb, answer, said)
    kinds: list[str] = []
    for rf in [*answer, *kb]:
        if rf.fact.kind not in kinds:
            kinds.append(rf.fact.kind)
    has_money = any(f.fact.kind == "money" for f in answer) and any(
        f.fact.kind == "money" for f in kb
    )
    for kind in kinds:
        a_facts = [a for a in answer if a.fact.kind == kind]
        k_facts = [k for k in kb if k.fact.kind == kind]
        if kind == "polarity" and has_money:
            # charges ("free", "costs") are claims the money facts already settle; a charge
            # the answer names with no amount ("there's a small charge") is settled by none
            a_facts = [a for a in a_facts if not _priced_charge(a, answer)]
        _align_kind(kind, a_facts, k_facts, out, one_to_one=one_to_one)
    return _as_said(out, said) if said else out


# a position counted in days, and the period that counts the same days
_PERIOD_OF = {"working_day": "business_day", "day": "day"}


def _positions_as_periods(
    side: list[RoledFact], other: list[RoledFact], said: dict[int, RoledFact]
) -> list[RoledFact]:
    """Read "by the 7th working day" as a period where the other side states one.

    "Aftercare will reply within 3 working days" and "by the 7th working day
    after they get your photos" are one claim said two ways. Where the other side
    states a period of that unit and no position of it, a position counts as the
    period up to it; ``said`` keeps the fact as it was said, for the explanation.
    """
    out: list[RoledFact] = []
    for rf in side:
        f = rf.fact
        unit = _PERIOD_OF.get(f.unit or "") if f.kind == "ordinal" else None
        if (
            unit is not None
            and isinstance(f.value, Decimal)
            and f.value > 0
            and not any(o.fact.kind == "ordinal" and o.fact.unit == f.unit for o in other)
            and any(o.fact.kind == "duration" and o.fact.unit == unit for o in other)
        ):
            as_period = replace(rf, fact=f.model_copy(update={"kind": "duration", "unit": unit}))
            said[id(as_period)] = rf
            rf = as_period
        out.append(rf)
    return out


def _as_said(out: Alignment, said: dict[int, RoledFact]) -> Alignment:
    """The alignment with each fact as it was said (see :func:`_positions_as_periods`)."""

    def back(rf: RoledFact) -> RoledFact:
        return said.get(id(rf), rf)

    return Alignment(
        supported=[(back(a), back(k)) for a, k in out.supported],
        conflicts=[(back(a), back(k)) for a, k in out.conflicts],
        unverified=[back(a) for a in out.unverified],
        missing=[back(k) for k in out.missing],
    )


def _priced_charge(a: RoledFact, facts: list[RoledFact]) -> bool:
    """A charge claim whose words hold an amount ("it's free", "costs £5")."""
    if not (a.fact.subject or "").startswith("fee"):
        return False
    s, e = a.fact.span
    return any(f.fact.kind == "money" and f.fact.span[0] < e and s < f.fact.span[1] for f in facts)


def _align_kind(
    kind: str,
    a_facts: list[RoledFact],
    k_facts: list[RoledFact],
    out: Alignment,
    *,
    one_to_one: bool,
) -> None:
    if kind == "polarity":
        _align_claims(a_facts, k_facts, out)
        return
    sims = {(a.index, k.index): role_similarity(a, k) for a in a_facts for k in k_facts}
    rel = {(a.index, k.index): relation(a.fact, k.fact) for a in a_facts for k in k_facts}

    # 1. agreement: each answer fact takes its best-role KB fact with the same value
    supported_k: set[int] = set()
    partly: set[int] = set()  # confirmed in part only: the rest may still be contradicted
    left_a: list[RoledFact] = []
    for a in a_facts:
        same = [k for k in k_facts if rel[a.index, k.index] == "same"]
        if same and _hours_unconfirmed(a, same, k_facts, rel):
            same = []
        if same and _role_says_other(a, same, k_facts, sims, rel):
            left_a.append(a)
            continue
        if same:
            # prefer a KB fact no other answer fact has confirmed yet ("free ... free")
            best = max(
                same,
                key=lambda k: (k.index not in supported_k, sims[a.index, k.index], -k.index),
            )
            out.supported.append((a, best))
            supported_k.add(best.index)
        else:
            left_a.append(a)
    for k in k_facts:
        said_by = [a for a, x in out.supported if x is k]
        if said_by and not _confirmed_whole(said_by, k):
            partly.add(k.index)
    left_k = [k for k in k_facts if k.index not in supported_k or k.index in partly]

    # 2. disagreement among what is left
    cands = [
        (sims[a.index, k.index] + _echo(a, k), a, k)
        for a in left_a
        for k in left_k
        if rel[a.index, k.index] == "differ"
        and (k.index not in partly or _names_an_end(a))
        and not _days_it_gives(a, k_facts)
    ]
    cands.sort(key=lambda t: (-t[0], _distance(t[1], t[2]), t[1].index, t[2].index))
    used_a: set[int] = set()
    used_k: set[int] = set()
    n_a = {a.index: sum(1 for k in left_k if rel[a.index, k.index] == "differ") for a in left_a}
    n_k = {k.index: sum(1 for a in left_a if rel[a.index, k.index] == "differ") for k in left_k}
    for sim, a, k in cands:
        if a.index in used_a or k.index in used_k:
            continue
        if not _same_thing_counted(a, k) and sim < 0.75:
            ok = False
        elif sim >= CONFIDENT:
            ok = not is_detail_for(a, k) or sim >= 0.75
            ok = ok and (_plausible(a, k) or sim >= 0.75)
        elif _clear_best(a, k, sim, cands):
            ok = not is_detail_for(a, k) and _plausible(a, k)
        else:
            ok = (
                one_to_one
                and n_a[a.index] == 1
                and n_k[k.index] == 1
                and not is_detail_for(a, k)
                and _plausible(a, k)
                and not _clashing_roles(a, k, sim)
            )
        if ok:
            out.conflicts.append((a, k))
            used_a.add(a.index)
            used_k.add(k.index)
    # The answer's only fact of this kind, where it confirmed none of the KB's: it
    # is the answer's version of the claim even if the best KB candidate is unclear.
    if (
        one_to_one
        and len(left_a) == 1
        and len(left_a) == len(a_facts)
        and left_a[0].index not in used_a
    ):
        a = left_a[0]
        options = [
            (s, k)
            for s, x, k in cands
            if x is a
            and k.index not in used_k
            and _plausible(a, k)
            and not is_detail_for(a, k)
            and _same_thing_counted(a, k)
        ]
        if options:
            best = min(options, key=lambda t: (-t[0], _distance(a, t[1]), t[1].index))[1]
            if not _clashing_roles(a, best, sims[a.index, best.index]):
                out.conflicts.append((a, best))
                used_a.add(a.index)
                used_k.add(best.index)
    out.unverified.extend(a for a in left_a if a.index not in used_a)
    out.missing.extend(k for k in left_k if k.index not in used_k | supported_k)


def _hours_unconfirmed(
    a: RoledFact, same: list[RoledFact], k_facts: list[RoledFact], rel: dict[tuple[int, int], str]
) -> bool:
    """ "12pm to 6pm, Monday to Friday" agrees with the KB's "Monday to Friday" but not with
    its "afternoon slot (12pm to 5pm)": days that agree do not confirm hours the KB states
    apart from them."""
    if a.fact.kind != "time" or _time_parts(str(a.fact.value))[1] is None:
        return False
    if any(_time_parts(str(k.fact.value))[1] is not None for k in same):
        return False
    return any(
        rel[a.index, k.index] == "differ" and _time_parts(str(k.fact.value))[1] is not None
        for k in k_facts
    )


def _confirmed_whole(said_by: list[RoledFact], k: RoledFact) -> bool:
    """The answer facts that agree with the KB fact ``k`` confirm all of it, not a part:
    the days of "Monday to Friday 08:00 to 18:00" alone, or its closing time, or the top
    of "between £3,000 and £25,000", leave the rest open to another answer fact ("open at
    9", "the minimum is £2,000"); "weekdays ... before 4pm" confirms all of "4pm on
    weekdays"."""
    if k.fact.kind == "time":
        k_days, k_hours = _time_parts(str(k.fact.value))
        parts = [_time_parts(str(a.fact.value)) for a in said_by]
        days = k_days is None or any(d is not None for d, _ in parts)
        said = {h for _, h in parts if h is not None}
        hours = k_hours is None or k_hours in said or set(k_hours.split("-")) <= said
        return days and hours
    upper = k.fact.upper
    if not isinstance(upper, Decimal) or upper == k.fact.value:
        return True
    ends = {v for a in said_by for v in (a.fact.value, a.fact.upper) if isinstance(v, Decimal)}
    return {k.fact.value, upper} <= ends


#: Words that say an amount is a range's end: "the minimum you can borrow is £2,000".
_END_WORDS = frozenset({"minimum", "maximum", "min", "max", "least", "most", "lowest", "highest"})


def _names_an_end(a: RoledFact) -> bool:
    """An answer fact that can contradict the other end of a KB range the answer already
    confirmed in part: a time (an opening or closing time, other days), or an amount said
    as a bound ("at least £2,000", "the minimum is £2,000"). A plain amount is more often
    the customer's own ("your £300") than the range's other end."""
    if a.fact.kind == "time":
        return True
    if a.fact.modifier in _BOUNDS:
        return True
    return bool(a.roles & _END_WORDS)


def _align_claims(a_facts: list[RoledFact], k_facts: list[RoledFact], out: Alignment) -> None:
    """Polarity: each answer claim meets the KB claim it most resembles, or none.

    One pass, not two: "you can change the address even after dispatch" resembles
    both "you can change the delivery address" (agrees) and "we can't change the
    address once it has been dispatched" (disagrees); the context words decide.
    """
    matched: set[int] = set()
    for a in a_facts:
        # ties go to the claim sharing more of its own words ("hot meals" is the KB's
        # "hot meals aren't included", not the "hot" of "hot and cold drinks")
        key_a = _key_words(a)
        scored = [
            (
                role_similarity(a, k),
                len(key_a & _key_words(k)),
                len(a.roles & k.roles),
                -k.index,
                k,
            )
            for k in k_facts
        ]
        scored = [t for t in scored if t[0] >= POLARITY_MIN]
        if not scored:
            out.unverified.append(a)
            continue
        k = max(scored, key=lambda t: t[:4])[4]
        matched.add(k.index)
        if relation(a.fact, k.fact) == "same":
            out.supported.append((a, k))
        elif (both := _both_ways(a, k, k_facts)) is not None:
            out.supported.append((a, both))
        elif _sibling(a, k, k_facts) or _denies_more(a, k, a_facts, k_facts):
            out.unverified.append(a)
        else:
            out.conflicts.append((a, k))
    out.missing.extend(k for k in k_facts if k.index not in matched)


def _both_ways(a: RoledFact, k: RoledFact, k_facts: list[RoledFact]) -> RoledFact | None:
    """The KB says it both ways, under different conditions: "you can change it up until
    the train departs ... you can't make changes once it has left". An answer that takes
    one side is the KB's claim on that side, not a contradiction of the other.

    The other side is a KB claim with the same verb (the key's first word), the
    answer's value and as many of the answer's key words: "hot meals aren't included"
    is not said both ways by "includes ... hot and cold drinks"."""
    key_a = _key_words(a)
    verb = _verb(k)
    shared = len(key_a & _key_words(k))
    for other in k_facts:
        if other is k or _verb(other) != verb:
            continue
        if relation(a.fact, other.fact) == "same" and len(key_a & _key_words(other)) >= shared:
            return other
    return None


def _sibling(a: RoledFact, k: RoledFact, k_facts: list[RoledFact]) -> bool:
    """With one verb, each claim names an object the other does not, and the KB names the
    answer's too: "the deposit has to be paid by debit card" is about the debit card the KB
    accepts elsewhere, not a denial of "deposits can't be paid by credit card". A charge
    is left out: what a fee is for is read too loosely to tell two objects apart."""
    verb = _verb(a)
    if verb != _verb(k) or verb == "fee":
        return False
    own, theirs = _key_words(a) - _key_words(k), _key_words(k) - _key_words(a)
    if not own or not theirs:
        return False
    return bool(own & _named(k_facts))


def _named(facts: list[RoledFact]) -> set[str]:
    """Every word the claims of one side name, in their keys or around them."""
    return set().union(*(f.roles | f.near | f.inner | _key_words(f) for f in facts))


def _denies_more(
    a: RoledFact, k: RoledFact, a_facts: list[RoledFact], k_facts: list[RoledFact]
) -> bool:
    """The negated claim names something the other side never mentions: "we can't book
    appointments by email" denies email booking, a claim beside the KB's "appointments can
    be booked up to 8 weeks ahead", not its opposite."""
    if "fee" in (_verb(a), _verb(k)):
        return False  # what a charge is for is read too loosely (see _sibling)
    negated, other, other_side = (a, k, k_facts) if not a.fact.value else (k, a, a_facts)
    extra = _key_words(negated) - _key_words(other)
    return bool(extra) and not extra & _named(other_side)


def _key_words(rf: RoledFact) -> set[str]:
    """The words of a claim's key (verb and objects): "includ hot meal"."""
    return set((rf.fact.subject or "").split())


def _verb(rf: RoledFact) -> str:
    """A claim key's first word: its verb, or ``fee`` for a charge."""
    words = (rf.fact.subject or "").split(maxsplit=1)
    return words[0] if words else ""


#: How much clearer a differing KB fact's role must be before an equal value elsewhere
#: in the entry stops counting as agreement.
ROLE_OVERRIDE = 0.4


def _role_says_other(
    a: RoledFact,
    same: list[RoledFact],
    k_facts: list[RoledFact],
    sims: dict[tuple[int, int], float],
    rel: dict[tuple[int, int], str],
) -> bool:
    """The equal value belongs to another claim: "till the 23rd for next day" matches
    the KB's Click & Collect date (23rd) by value but its next-day date (22nd) by role."""
    if a.fact.kind not in ("date", "time"):
        return False  # amounts repeat across claims ("free ... free"); dates name one each
    if a.fact.kind == "time":
        days, hours = _time_parts(str(a.fact.value))
        if days is not None or (hours is not None and "-" in hours):
            # the same days ("Sun") or the same opening hours ("10:00-16:00") name that
            # claim, whatever the words around it; only a lone clock time may be another's
            return False
    best_same = max(sims[a.index, k.index] for k in same)
    if best_same > 0:
        return False
    differ = [sims[a.index, k.index] for k in k_facts if rel[a.index, k.index] == "differ"]
    if not differ:
        return False
    best_differ = max(differ)
    return best_differ >= CONFIDENT and best_differ - best_same >= ROLE_OVERRIDE


def _distance(a: RoledFact, k: RoledFact) -> float:
    """How far apart two values are, to break ties between equally good candidates:
    "the 23rd" for next-day delivery is the KB's 22nd, not its 18th."""
    av, kv = a.fact.value, k.fact.value
    if a.fact.kind == "time":
        # "12pm to 6pm" is the KB's "12pm to 5pm" with another end, not its "8am to 12pm"
        a_hours, k_hours = _time_parts(str(av))[1], _time_parts(str(kv))[1]
        if a_hours and k_hours and "-" in a_hours and "-" in k_hours:
            ends = zip(a_hours.split("-", 1), k_hours.split("-", 1), strict=True)
            return float(sum(x != y for x, y in ends))
        return 0.0
    try:
        if isinstance(av, dt.date) and isinstance(kv, dt.date):
            return float(abs((av.replace(year=2000) - kv.replace(year=2000)).days))
        if isinstance(av, Decimal) and isinstance(kv, Decimal):
            return float(abs(av - kv) / (abs(kv) + 1))
    except ValueError:  # 29 February in a non-leap year
        return 0.0
    return 0.0


def _echo(a: RoledFact, k: RoledFact) -> float:
    """Same number, other unit or rate ("£59 a month" for "£59 a year"), or the same days
    with other hours ("Sun 10:00-17:00" for "Sun 10:00-16:00"): the same claim."""
    if kind_value_equal(a, k):
        return 0.4
    if a.fact.kind == "time":
        days = _time_parts(str(a.fact.value))[0]
        if days is not None and days == _time_parts(str(k.fact.value))[0]:
            return 1.0  # the days say which claim it is more surely than any word
    return 0.0


def kind_value_equal(a: RoledFact, k: RoledFact) -> bool:
    return isinstance(a.fact.value, Decimal) and a.fact.value == k.fact.value and a.fact.value != 0


def _clear_best(
    a: RoledFact, k: RoledFact, score: float, cands: list[tuple[float, RoledFact, RoledFact]]
) -> bool:
    """``k`` is clearly the best KB candidate for ``a`` (and ``a`` for ``k``)."""
    if score < 0.25:
        return False
    others_a = [s for s, x, y in cands if x is a and y is not k]
    others_k = [s for s, x, y in cands if y is k and x is not a]
    margin = 0.2
    return all(score - s >= margin for s in others_a + others_k)


#: Count units that say how often, not what: comparable whatever the noun.
_RATE_UNITS = ("times", "per_", "per ")


def _days_it_gives(a: RoledFact, kb: list[RoledFact]) -> bool:
    """Days said alone ("on Saturdays") that the KB's hours of those days take in: the
    answer names when, not another time ("on Saturdays they run 8 to 8" beside the KB's
    "8am to 8pm Monday to Saturday, 10am to 4pm on Sundays")."""
    if not days_alone(a.fact) or not isinstance(a.fact.value, str):
        return False
    days, _ = _time_parts(a.fact.value)
    if days is None:
        return False
    for k in kb:
        k_days, k_hours = _time_parts(str(k.fact.value))
        if k_hours is not None and k_days is not None and _day_set(days) <= _day_set(k_days):
            return True
    return False


def _same_thing_counted(a: RoledFact, k: RoledFact) -> bool:
    """Two counts are versions of one claim only when they count the same thing: "3 left"
    is not the KB's "2 stations", however alone each is on its side."""
    if a.fact.kind != "count":
        return True
    au, ku = a.fact.unit or "", k.fact.unit or ""
    if au == ku or not au or not ku:
        return True
    if au.startswith(_RATE_UNITS) or ku.startswith(_RATE_UNITS):
        return True  # "claim up to 3 times" is the KB's "up to 2 claims"
    if _people(au) and _people(ku):
        return True  # "3 children under 8" counts the KB's "2 under-8s"
    words_a, words_k = a.roles | a.near, k.roles | k.near
    return stem(au) == stem(ku) or stem(au) in words_k or stem(ku) in words_a


_PERSON_UNITS = frozenset(
    """person child kid adult guest member passenger customer baby infant toddler student
    pupil swimmer player traveller visitor""".split()  # noqa: SIM905
)
_AGE_GROUP = re.compile(r"(?:under|over)-\d+")


def _people(unit: str) -> bool:
    """A count of people: "children", "guests", or an age group ("under-8s", "over-60s")."""
    return unit in _PERSON_UNITS or _AGE_GROUP.fullmatch(unit) is not None


def _clashing_roles(a: RoledFact, k: RoledFact, sim: float) -> bool:
    """Both facts have clear, disjoint role words: probably two different claims."""
    if sim > 0:
        return False
    return len(a.near) >= 3 and len(k.near) >= 3 and not (a.roles & k.roles)
