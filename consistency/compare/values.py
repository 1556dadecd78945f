"""When two facts of one kind say the same thing, after normalisation.

``relation(answer, kb)`` is one of:

* ``"same"`` — the answer agrees with the KB: equal values (£5 == five pounds),
  equal durations across exact units (48 hours == 2 days, two weeks == 14 days),
  a value inside a KB range ("4 working days", or "within 5 working days" for
  "3 to 5 working days"), a month for 28-31 days. A range must equal the KB's.
* ``"differ"`` — comparable and different: 14 days vs 30 days, 14 working days
  vs 14 days (working and calendar days never agree), £4.99 vs £3.99, a value
  outside a KB range.
* ``"incomparable"`` — different dimensions (a monthly price and a yearly one,
  APR and a discount, 10 minutes and 3 months is still comparable but a count
  of devices and of people is not).

The modifier ("up to", "within") does not change equality: "within 30 days" and
"30 days" are the same claim to a customer; "within 14 days" and "within 30
days" are not.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any, Literal

from consistency.facts.measure import base_amount, is_measure
from consistency.facts.ordinal import weekday_position
from consistency.models import Fact

__all__ = ["Relation", "comparable_amount", "days_alone", "relation"]

Relation = Literal["same", "differ", "incomparable"]

# exact conversions into minutes; business days and months are their own dimensions
_MINUTES = {
    "second": Decimal(1) / 60,
    "minute": Decimal(1),
    "hour": Decimal(60),
    "day": Decimal(1440),
}


def comparable_amount(fact: Fact) -> tuple[str, Decimal, Decimal] | None:
    """``(dimension, low, high)`` of a numeric fact in a common unit, or ``None``."""
    if not isinstance(fact.value, Decimal):
        return None
    low = fact.value
    high = fact.upper if isinstance(fact.upper, Decimal) else fact.value
    unit = fact.unit or ""
    if fact.kind == "duration":
        if unit in _MINUTES:
            return "time", low * _MINUTES[unit], high * _MINUTES[unit]
        return unit, low, high
    if fact.kind == "money":
        return f"money:{unit}", low, high
    if fact.kind == "count" and is_measure(unit):
        # "20cm" and "200mm" are one length; a length and a weight are never one claim
        dimension, size = base_amount(unit, Decimal(1))
        return f"measure:{dimension}", low * size, high * size
    if fact.kind == "ordinal":
        # "the second collection attempt" and "the first failed attempt" count attempts
        # a relative day ("the day after", "on the day of") and a working day are one count
        if unit == "working_day":
            unit = "day"
        return f"ordinal:{unit.rsplit(' ', 1)[-1]}", low, high
    return f"{fact.kind}:{unit}", low, high


def _within(
    a_low: Decimal, a_high: Decimal, modifier: str | None, k_low: Decimal, k_high: Decimal
) -> bool:
    """The answer's value agrees with a KB range ``[k_low, k_high]``."""
    if a_low == k_low and a_high == k_high:
        return True
    if k_low == k_high:
        return False
    if a_low != a_high:  # another range: "£10 to £250" is not "£10 to £500"
        return False
    if modifier == "up_to":
        return a_low == k_high
    if modifier == "at_least":
        return a_low == k_low
    return k_low <= a_low <= k_high


def _month_day(a: Fact, b: Fact) -> Relation:
    """A month against days: "a month" and "30 days" are the same to a customer."""
    month, days = (a, b) if a.unit == "month" else (b, a)
    m = month.value
    d = days.value
    if not isinstance(m, Decimal) or not isinstance(d, Decimal):
        return "incomparable"
    if days.unit == "hour":
        d = d / 24
    elif days.unit in ("minute", "second"):
        return "differ"
    if month.upper is None and days.upper is None and 28 * m <= d <= 31 * m:
        return "same"
    return "differ"


#: KB bounds an answer's plain value can fall inside: "up to £5,000", "more than £25,000".
_BOUNDS = frozenset({"up_to", "at_least", "over", "under", "from"})


def _instance_of_bound(
    answer: Fact,
    kb: Fact,
    a: tuple[str, Decimal, Decimal],
    k: tuple[str, Decimal, Decimal],
) -> bool:
    """The answer's plain amount lies inside a KB bound: "your £340 cheque" beside "cheques
    of up to £5,000", "your £42,000 payment" beside "more than £25,000". That is the
    customer's case within the policy, not another value of it. Periods are left out: "7
    days" beside "within 14 days" restates the window, and a different one."""
    if kb.kind not in ("money", "count", "percent") or kb.modifier not in _BOUNDS:
        return False
    if answer.modifier is not None or a[1] != a[2] or k[1] != k[2] or a[0] != k[0]:
        return False
    if (answer.unit or "").startswith(("per ", "per_")):
        return False  # "one per customer" is a limit restated, never the customer's own case
    value, bound = a[1], k[1]
    if value == bound:
        return False  # equal: "same" decides
    if a[0].startswith("measure:"):
        return True  # "your 20kg bag" beside "bags over 23kg": a case on either side of it
    if kb.modifier == "up_to":
        return value < bound
    if kb.modifier == "under":
        return value < bound
    return value > bound  # at least, over, from


def relation(answer: Fact, kb: Fact) -> Relation:
    """How ``answer`` stands to ``kb``; both must have the same ``kind``."""
    if answer.kind != kb.kind:
        return "incomparable"
    kind = answer.kind
    if kind == "money":
        a_rate, k_rate = answer.subject, kb.subject
        if a_rate and k_rate and a_rate != k_rate:
            return "incomparable" if answer.value != kb.value else "differ"
        if answer.unit != kb.unit:
            return "differ"
    if kind == "phone" and str(answer.value).startswith("+") != str(kb.value).startswith("+"):
        # a short number ("text PAC to 65075", "call 105") and a full one are two
        # channels, not two versions of one number
        return "incomparable"
    if kind == "address" and answer.unit != kb.unit:
        return "incomparable"  # a PO Box number and a postcode are two parts of one address
    if kind == "percent" and answer.subject and kb.subject and answer.subject != kb.subject:
        return "incomparable"
    if kind == "percent" and _one_third_apart(answer.value, kb.value):
        return "same"  # "a third off" (33.33) and "33% off"
    if kind == "count":
        if (answer.unit == "age") != (kb.unit == "age"):
            return "incomparable"  # "3 children" is not the KB's "under 3"
        periods = ("per_day", "per_week", "per_month", "per_year")
        if answer.unit in periods and kb.unit in periods and answer.unit != kb.unit:
            return "differ"
        if (answer.unit in periods) != (kb.unit in periods) and not {answer.unit, kb.unit} & {
            "time",
            "times",
        }:
            return "incomparable"  # "two people" is no "once a year"; "2 times in 12 months" is
    if kind == "time" and answer.unit == "clock" and kb.unit == "hours":
        # "before the 11pm cut-off" is the end of the KB's "6am to 11pm"
        bounds = re.findall(r"\d{2}:\d{2}", str(kb.value))
        if str(answer.value) in bounds:
            return "same"
    if kind == "ordinal" and weekday_position(answer) and weekday_position(kb):
        # "the first Tuesday of each month" and "the first Wednesday": another day
        same = (answer.unit, answer.value) == (kb.unit, kb.value)
        return "same" if same else "differ"
    if kind == "duration":
        units = {answer.unit, kb.unit}
        if "month" in units and units & {"day", "hour", "minute", "second"}:
            return _month_day(answer, kb)
        if "business_day" in units and len(units) > 1:
            return "differ"
    a = comparable_amount(answer)
    k = comparable_amount(kb)
    if a is not None and k is not None and _instance_of_bound(answer, kb, a, k):
        return "incomparable"
    if a is not None and k is not None:
        if kind == "count" and not (a[0].startswith("measure:") or k[0].startswith("measure:")):
            # "5 attempts" and "5 tries": the noun does not change the number
            a = ("count", a[1], a[2])
            k = ("count", k[1], k[2])
        if a[0] != k[0]:
            return "differ" if kind == "duration" else "incomparable"
        return "same" if _within(a[1], a[2], answer.modifier, k[1], k[2]) else "differ"
    return _plain(answer, kb)


def days_alone(fact: Fact) -> bool:
    """Days said with no hours ("on Saturdays", "every Friday"): when, not what time."""
    return fact.kind == "time" and fact.unit == "days"


_THIRDS = (Decimal("33.33"), Decimal("66.67"))


def _one_third_apart(a: object, k: object) -> bool:
    """A third or two thirds, kept to two places, against the same share rounded."""
    if not isinstance(a, Decimal) or not isinstance(k, Decimal) or a == k:
        return False
    return (a in _THIRDS or k in _THIRDS) and abs(a - k) <= Decimal("0.34")


def _plain(answer: Fact, kb: Fact) -> Relation:
    """Dates, times, strings, booleans: equal values, with a few kind-specific rules."""
    av: Any = answer.value
    kv: Any = kb.value
    if answer.kind == "date" and "months" in (answer.unit, kb.unit):
        # a season ("October to March") against a season, never against one day
        if answer.unit != kb.unit or answer.upper is None or kb.upper is None:
            return "incomparable"
        same = (av.month, answer.upper.month) == (kv.month, kb.upper.month)  # type: ignore[union-attr]
        return "same" if same else "differ"
    if answer.kind == "date" and isinstance(av, dt.date) and isinstance(kv, dt.date):
        if "month" in (answer.unit, kb.unit) and not {answer.unit, kb.unit} & {"no_year"}:
            # "until March 2027" names the month of "until 31 March 2027", not another date
            return "same" if (av.year, av.month) == (kv.year, kv.month) else "differ"
        loose = {answer.unit, kb.unit} & {"no_year", "inferred_year"}
        if loose:
            return "same" if (av.month, av.day) == (kv.month, kv.day) else "differ"
        if kb.upper is not None and isinstance(kb.upper, dt.date) and answer.upper is None:
            return "same" if kv <= av <= kb.upper else "differ"
    if answer.kind == "time" and isinstance(av, str) and isinstance(kv, str):
        if answer.unit == "clock" and kb.unit == "hours":
            av = _as_opening_hours(av, kv, answer.modifier)
        found = _time_relation(av, kv, answer.modifier)
        later = _afternoon(av, answer.text or "")
        if found == "differ" and later is not None:
            if answer.unit == "clock" and kb.unit == "hours":
                later = _as_opening_hours(later, kv, answer.modifier)
            return _time_relation(later, kv, answer.modifier)
        return found
    if isinstance(av, str) and isinstance(kv, str):
        same = av.strip().lower() == kv.strip().lower()
    else:
        same = av == kv
    if same and answer.upper is not None and kb.upper is not None:
        same = answer.upper == kb.upper
    return "same" if same else "differ"


#: What says which half of the day a time is in: "7.30pm", "19:30", "in the evening".
_MERIDIEM = re.compile(
    r"[ap]\.?m\b|\bnoon\b|\bmidnight\b|\bmorning\b|\bafternoon\b|\bevening\b|\bnight\b"
    r"|\b(?:0\d|1[3-9]|2[0-3])[:.]\d\d\b|\b\d{4}\s*h",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"^(?P<h>0?[1-9]|1[01]):(?P<m>\d\d)$")


def _afternoon(value: str, text: str) -> str | None:
    """A time said without its half of the day ("till half seven", "at 5.30") read as the
    afternoon's (19:30): speech leaves it to the listener, and a KB's "7:30pm" is the same
    time. ``None`` where the text says which half, or the value is no bare clock time."""
    m = _CLOCK.match(value.strip())
    if m is None or _MERIDIEM.search(text):
        return None
    return f"{int(m.group('h')) + 12:02d}:{m.group('m')}"


def _time_parts(value: str) -> tuple[str | None, str | None]:
    """``"Mon-Fri 09:00-17:30"`` -> ``("mon-fri", "09:00-17:30")``; either part may be absent."""
    days: str | None = None
    hours: str | None = None
    if value.strip() == "24/7":
        return "mon-sun", "00:00-24:00"
    for part in value.strip().lower().split():
        if any(ch.isdigit() for ch in part):
            hours = part
        else:
            days = part if days is None else f"{days} {part}"
    return days, hours


def _as_opening_hours(answer: str, kb: str, modifier: str | None) -> str:
    """ "open until 10pm on weekdays" against "Mon-Fri 06:00-22:00": the closing time the
    KB's hours end at (or, "from 6am", "open at 6am", the time they start at) says those
    hours, not another. A bare time ("at 18:00") is left alone: it may be an event's time."""
    a_days, a_time = _time_parts(answer)
    _, k_hours = _time_parts(kb)
    if a_time is None or k_hours is None or "-" not in k_hours or "-" in a_time:
        return answer
    opens, closes = k_hours.split("-", 1)
    end = {"up_to": closes, "under": closes, "at_least": opens, "from": opens, "over": opens}
    if a_time != end.get(modifier or ""):
        return answer
    return f"{a_days} {k_hours}" if a_days else k_hours


_WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _day_set(days: str) -> frozenset[str]:
    """ "mon-sat" -> the six days; "sat,sun" -> two; words that are no weekday are kept."""
    out: set[str] = set()
    for part in days.replace(" ", ",").split(","):
        ends = part.split("-")
        if len(ends) == 2 and ends[0] in _WEEK and ends[1] in _WEEK:
            i, j = _WEEK.index(ends[0]), _WEEK.index(ends[1])
            out.update(_WEEK[i : j + 1] if i <= j else _WEEK[i:] + _WEEK[: j + 1])
        elif part:
            out.add(part)
    return frozenset(out)


def _time_relation(answer: str, kb: str, modifier: str | None = None) -> Relation:
    """Opening hours agree on what both state: "9 to 5:30" keeps "Mon-Fri 09:00-17:30"."""
    if answer.strip().lower() == kb.strip().lower():
        return "same"
    a_days, a_hours = _time_parts(answer)
    k_days, k_hours = _time_parts(kb)
    shared = False
    if a_hours is not None and k_hours is not None:
        if a_hours != k_hours:
            return "differ"
        shared = True
    if a_days is not None and k_days is not None:
        if a_hours is None and modifier != "only" and _day_set(a_days) < _day_set(k_days):
            # "we do Saturdays" for "Monday to Saturday" names a day the KB gives and no
            # other: part of the days, not another set, unless said to be the only ones;
            # beside the KB's hours it confirms none of them
            return "same" if k_hours is None else "incomparable"
        if a_days != k_days and not set(a_days.split(",")) < set(k_days.split(",")):
            # "at weekends" for the KB's "at weekends and on bank holidays" leaves one
            # part out; it states no other day
            return "differ"
        shared = True
    return "same" if shared else "incomparable"
