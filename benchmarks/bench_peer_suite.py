"""The typed-fact extractors against a peer's test suite: Microsoft Recognizers-Text specs.

Nobody on the team wrote these cases. Each spec case is a text with the expected spans and
resolved values; for every case in scope the benchmark asks the library's extractor of that
kind (``consistency.facts.extract``) and scores, per kind:

- **detection**: an expected mention is found when a fact of the kind overlaps its span;
- **value**: of the found ones, the normalised value equals the resolution;
- **false detections**: cases with no expected mention of the kind where one was extracted.

Scope (what the library claims to handle; every rule that skips or reinterprets a case is
listed here and printed with its count):

- money: currencies the extractor knows (pound/pence, dollar/cent, euro, rupee); other
  currencies ("420 million finnish markka", "c $ 1.34") are out of scope.
- percent: every PercentModel case.
- duration: DurationParser; AgeModel reported apart as ``duration_age``. Values compare in
  seconds, except months and years, which compare in months (the library keeps a year as
  12 months; Recognizers counts 365 days).
- date: DateParser cases whose resolution is one day; the value counts when it equals the
  future or the past resolution (the library resolves a year-less date near the reference).
  Numeric dates written month-first ("11/7", "7/4/2016") are out of scope: the library reads
  day-first British dates. A day of the month alone ("the 27th") is the library's ordinal
  kind (``day_of_month``) and counts when the day agrees. An offset from today ("two days
  ago", "in 3 weeks") is out of scope: the library reads it as a duration, by design (a
  policy's "in 3 weeks" is a period).
- time: TimeParser (a clock time) and TimePeriodParser (a range ``HH:MM-HH:MM``).
- phone: numbers ``phonenumbers`` reads as valid with the UK as home region (UK national
  numbers, Ofcom's drama ranges included, and international ones with a ``+``/``00``
  prefix); value = the same E.164 number. Foreign national numbers without a prefix
  ("(541) 754-3010") and invalid ones ("123 456 789") are out of scope.
- email, url: every case; an URL's value counts when host and path agree.
- Not scored: NumberModel, DimensionModel and DateTimeModel (no typed kind of the library
  matches them one to one), the *PercentMode* file (non-default mode).

Run: ``.venv/bin/python benchmarks/bench_peer_suite.py [--data ../shared/eval/external]``.
Prints a table per kind; ``--failures N`` prints N misses per kind; ``--markdown FILE`` writes
the table for ``RESULTS.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import urlsplit

import phonenumbers

from consistency.facts import extract
from consistency.facts.phone import DRAMA_RANGES
from consistency.models import Fact

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parent.parent / "shared" / "eval" / "external"
SUITE = "recognizers_text"

#: Recognizers-Text currency unit names → the ISO code the library uses.
_CURRENCY = {
    "dollar": "USD",
    "united states dollar": "USD",
    "cent": "USD",
    "pound": "GBP",
    "british pound": "GBP",
    "pound sterling": "GBP",
    "pence": "GBP",
    "penny": "GBP",
    "euro": "EUR",
    "indian rupee": "INR",
    "rupee": "INR",
}
_SUBUNIT = {"cent", "pence", "penny"}
_SECONDS = {
    "second": 1,
    "minute": 60,
    "hour": 3600,
    "day": 86400,
    "week": 7 * 86400,
    "month": 30 * 86400,
    "year": 365 * 86400,
}
_TIMEX_UNIT = {"S": "second", "M": "minute", "H": "hour"}
_TIMEX_DATE_UNIT = {"D": "day", "W": "week", "M": "month", "Y": "year"}
_OFFSET = re.compile(
    r"\bago\b|\bfrom\s+now\b|\blater\b|^in\s+\S+\s+(?:\w+\s+)?(?:days?|weeks?|months?|years?)$",
    re.IGNORECASE,
)
_MONTH_FIRST = re.compile(r"\b(\d{1,2})[/-](\d{1,2})(?:[/-]\d{2,4})?\b")


@dataclass
class Expected:
    """One expected mention: where it is and the value the library should produce."""

    start: int
    end: int
    text: str
    value: object


@dataclass
class Case:
    kind: str
    text: str
    expected: list[Expected]
    reference: dt.date | None = None
    extract_kind: str = ""


@dataclass
class Tally:
    mentions: int = 0
    detected: int = 0
    valued: int = 0
    negatives: int = 0
    false_detections: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)

    def skip(self, why: str) -> None:
        self.skipped[why] = self.skipped.get(why, 0) + 1


def _load(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8-sig"))


def _locate(inp: str, res: dict) -> tuple[int, int]:
    """The span of ``res['Text']`` in ``inp``: Start/End when they agree with Text, else
    the first case-insensitive occurrence (the specs' offsets are not always right)."""
    text = res.get("Text", "")
    start = res.get("Start")
    if start is not None:
        end = start + res["Length"] if "Length" in res else None
        if end is None and "End" in res:
            end = res["End"] + 1
        if end is not None and inp[start:end].lower() == text.lower():
            return start, end
    k = inp.lower().find(text.lower())
    return (k, k + len(text)) if k >= 0 else (0, len(inp))


def _reference(case: dict) -> dt.date | None:
    ref = (case.get("Context") or {}).get("ReferenceDateTime")
    return dt.date.fromisoformat(ref[:10]) if ref else None


def _timex_seconds(timex: str) -> Decimal | None:
    m = re.fullmatch(r"P(?:(\d+(?:\.\d+)?)([DWMY]))?(?:T(\d+(?:\.\d+)?)([HMS]))?", timex)
    if not m or not (m.group(1) or m.group(3)):
        return None
    if m.group(1):
        return Decimal(m.group(1)) * _SECONDS[_TIMEX_DATE_UNIT[m.group(2)]]
    return Decimal(m.group(3)) * _SECONDS[_TIMEX_UNIT[m.group(4)]]


def _fact_seconds(f: Fact) -> Decimal | None:
    per = _SECONDS.get(str(f.unit))
    return None if per is None else Decimal(f.value) * per


def _same_length(f: Fact, seconds: Decimal) -> bool:
    """Whether a duration fact lasts ``seconds``. Years and months compare in months (the
    library keeps a year as 12 months, Recognizers as 365 days), the rest in seconds."""
    mine = _fact_seconds(f)
    if mine is None:
        return False
    if f.unit in ("month", "year"):
        return Decimal(f.value) * _SECONDS["month"] == seconds or (
            seconds % _SECONDS["year"] == 0
            and Decimal(f.value) * _SECONDS["month"]
            == seconds / _SECONDS["year"] * 12 * _SECONDS["month"]
        )
    return mine == seconds


def money_cases(root: Path, t: Tally) -> Iterator[Case]:
    for c in _load(root / "NumberWithUnit/English/CurrencyModel.json"):
        exp = []
        out = False
        for r in c["Results"]:
            unit = str(r["Resolution"].get("unit", "")).lower()
            if unit not in _CURRENCY:
                out = True
                continue
            try:
                value = Decimal(r["Resolution"]["value"])
            except (InvalidOperation, TypeError):
                out = True
                continue
            if unit in _SUBUNIT:
                value = value / 100
            s, e = _locate(c["Input"], r)
            exp.append(
                Expected(s, e, r["Text"], (value.quantize(Decimal("0.01")), _CURRENCY[unit]))
            )
        if out and not exp:
            t.skip("currency the library does not claim")
            continue
        yield Case("money", c["Input"], exp)


def percent_cases(root: Path, t: Tally) -> Iterator[Case]:
    for c in _load(root / "Number/English/PercentModel.json"):
        exp = []
        for r in c["Results"]:
            if r["Resolution"]["value"] == "null":
                t.skip("the word percent with no value (scored as a negative)")
                continue
            value = Decimal(r["Resolution"]["value"].rstrip("%"))
            exp.append(Expected(*_locate(c["Input"], r), r["Text"], value))
        yield Case("percent", c["Input"], exp)


def duration_cases(root: Path, t: Tally) -> Iterator[Case]:
    for c in _load(root / "DateTime/English/DurationParser.json"):
        exp = []
        for r in c["Results"]:
            secs = _timex_seconds(r["Value"]["Timex"])
            if secs is None:
                t.skip("duration without a fixed length (e.g. 'a few days')")
                continue
            exp.append(Expected(*_locate(c["Input"], r), r["Text"], secs))
        if c["Results"] and not exp:
            continue
        yield Case("duration", c["Input"], exp, _reference(c))


def age_cases(root: Path, t: Tally) -> Iterator[Case]:
    for c in _load(root / "NumberWithUnit/English/AgeModel.json"):
        exp = []
        for r in c["Results"]:
            unit = str(r["Resolution"].get("unit", "")).lower()
            if unit not in _SECONDS:
                t.skip("age unit the library does not read")
                continue
            secs = Decimal(r["Resolution"]["value"]) * _SECONDS[unit]
            exp.append(Expected(*_locate(c["Input"], r), r["Text"], secs))
        yield Case("duration_age", c["Input"], exp, extract_kind="duration")


def date_cases(root: Path, t: Tally) -> Iterator[Case]:
    for c in _load(root / "DateTime/English/DateParser.json"):
        exp = []
        skip = False
        for r in c["Results"]:
            v = r["Value"]
            fut = (v.get("FutureResolution") or {}).get("date")
            past = (v.get("PastResolution") or {}).get("date")
            if not fut:
                skip = True
                t.skip("not one day (a period or a week)")
                continue
            if _OFFSET.search(r["Text"]):
                skip = True
                t.skip("an offset from today ('two days ago', 'in 3 weeks'): a duration here")
                continue
            if _MONTH_FIRST.search(r["Text"]):
                skip = True
                t.skip("numeric date written month-first (US)")
                continue
            values = {dt.date.fromisoformat(fut[:10])}
            if past:
                values.add(dt.date.fromisoformat(past[:10]))
            exp.append(Expected(*_locate(c["Input"], r), r["Text"], values))
        if skip and not exp:
            continue
        yield Case("date", c["Input"], exp, _reference(c))


def time_cases(root: Path, t: Tally) -> Iterator[Case]:
    for c in _load(root / "DateTime/English/TimeParser.json"):
        exp = []
        for r in c["Results"]:
            tm = (r["Value"].get("FutureResolution") or {}).get("time")
            if not tm:
                t.skip("no clock time")
                continue
            exp.append(Expected(*_locate(c["Input"], r), r["Text"], tm[:5]))
        yield Case("time", c["Input"], exp, _reference(c))


def timerange_cases(root: Path, t: Tally) -> Iterator[Case]:
    for c in _load(root / "DateTime/English/TimePeriodParser.json"):
        exp = []
        for r in c["Results"]:
            res = r["Value"].get("FutureResolution") or {}
            if "startTime" not in res or "endTime" not in res:
                t.skip("no start and end time")
                continue
            value = f"{res['startTime'][:5]}-{res['endTime'][:5]}"
            exp.append(Expected(*_locate(c["Input"], r), r["Text"], value))
        yield Case("time_range", c["Input"], exp, _reference(c), extract_kind="time")


def _e164(text: str) -> str | None:
    try:
        n = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        return None
    drama = n.country_code == 44 and DRAMA_RANGES.fullmatch(str(n.national_number))
    if not (phonenumbers.is_valid_number(n) or drama):
        return None
    return phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164)


def phone_cases(root: Path, t: Tally) -> Iterator[Case]:
    for c in _load(root / "Sequence/English/PhoneNumberModel.json"):
        exp = []
        out = False
        for r in c["Results"]:
            e164 = _e164(r["Text"])
            if e164 is None or not (
                e164.startswith("+44") or r["Text"].lstrip().startswith(("+", "00"))
            ):
                out = True
                continue
            s, e = _locate(c["Input"], r)
            exp.append(Expected(s, e, r["Text"], e164))
        if out and not exp:
            t.skip("not a valid UK number nor a valid one with an international prefix")
            continue
        yield Case("phone", c["Input"], exp)


def _simple_cases(kind: str, rel: str) -> Callable[[Path, Tally], Iterator[Case]]:
    def cases(root: Path, t: Tally) -> Iterator[Case]:
        for c in _load(root / rel):
            exp = [
                Expected(*_locate(c["Input"], r), r["Text"], r["Resolution"]["value"])
                for r in c["Results"]
            ]
            yield Case(kind, c["Input"], exp)

    return cases


def _url_key(u: str) -> tuple[str, str]:
    s = urlsplit(u if "://" in u else f"http://{u}")
    host = (s.hostname or "").lower().removeprefix("www.")
    return host, s.path.rstrip("/")


def same_value(kind: str, f: Fact, want: object) -> bool:
    """Whether the extracted fact ``f`` carries the expected value ``want``."""
    if kind == "money":
        value, cur = want  # type: ignore[misc]
        return f.unit == cur and Decimal(f.value) == value
    if kind == "percent":
        return Decimal(f.value) == want
    if kind in ("duration", "duration_age"):
        return _same_length(f, want)  # type: ignore[arg-type]
    if kind == "date":
        if f.kind == "ordinal":  # "the 27th": a day of the month, read as an ordinal
            return f.unit == "day_of_month" and any(f.value == d.day for d in want)  # type: ignore[attr-defined]
        return f.value in want  # type: ignore[operator]
    if kind in ("time", "time_range"):
        return str(f.value) == want
    if kind == "phone":
        return f.value == want
    if kind == "email":
        return str(f.value).lower() == str(want).lower()
    if kind == "url":
        return _url_key(str(f.value)) == _url_key(str(want))
    return False


KINDS: dict[str, Callable[[Path, Tally], Iterator[Case]]] = {
    "money": money_cases,
    "percent": percent_cases,
    "duration": duration_cases,
    "duration_age": age_cases,
    "date": date_cases,
    "time": time_cases,
    "time_range": timerange_cases,
    "phone": phone_cases,
    "email": _simple_cases("email", "Sequence/English/EmailModel.json"),
    "url": _simple_cases("url", "Sequence/English/URLModel.json"),
}


def score(case: Case, t: Tally) -> None:
    kinds = [case.extract_kind or case.kind]
    if case.kind == "date":
        kinds.append("ordinal")
    facts = extract(case.text, reference=case.reference, kinds=kinds)
    if case.kind == "date":
        facts = [f for f in facts if f.kind == "date" or f.unit == "day_of_month"]
    if not case.expected:
        t.negatives += 1
        if facts:
            t.false_detections += 1
            t.misses.append(f"false detection: {case.text!r} -> {[f.text for f in facts]}")
        return
    for exp in case.expected:
        t.mentions += 1
        near = [f for f in facts if f.span[0] < exp.end and exp.start < f.span[1]]
        if not near:
            t.misses.append(f"not found: {exp.text!r} in {case.text!r}")
            continue
        t.detected += 1
        if any(same_value(case.kind, f, exp.value) for f in near):
            t.valued += 1
        else:
            got = [(str(f.value), f.unit) for f in near]
            t.misses.append(f"value: {exp.text!r} want {exp.value!r} got {got} in {case.text!r}")


def run(root: Path, failures: int) -> list[str]:
    rows = [
        "| kind | mentions in scope | detection | value (of detected) | value (of all) "
        "| negatives | false detections | out of scope |",
        "|---|---|---|---|---|---|---|---|",
    ]
    notes: list[str] = []
    for kind, cases in KINDS.items():
        t = Tally()
        for case in cases(root, t):
            score(case, t)
        det = t.detected / t.mentions if t.mentions else float("nan")
        val = t.valued / t.detected if t.detected else float("nan")
        val_all = t.valued / t.mentions if t.mentions else float("nan")
        fd = f"{t.false_detections}/{t.negatives}" if t.negatives else "-"
        skipped = "; ".join(f"{why}: {n}" for why, n in t.skipped.items()) or "-"
        rows.append(
            f"| {kind} | {t.mentions} | {det:.2f} | {val:.2f} | {val_all:.2f} | {t.negatives} "
            f"| {fd} | {skipped} |"
        )
        if failures:
            notes.append(f"## {kind}: {len(t.misses)} misses")
            notes.extend(f"- {m}" for m in t.misses[:failures])
    return rows + (["", *notes] if notes else [])


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the external data folder")
    ap.add_argument("--failures", type=int, default=0, help="misses to print per kind")
    ap.add_argument("--markdown", type=Path, help="also write the table to this file")
    args = ap.parse_args(argv)
    root = args.data / SUITE
    if not root.is_dir():
        print(f"{SUITE}: not found at {root}; nothing to measure.")
        return 0
    lines = run(root, args.failures)
    print("\n".join(lines))
    if args.markdown:
        args.markdown.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
