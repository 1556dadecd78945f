"""Promises in agents' turns: kinds, due times, and what is not a promise."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency.ingest import Transcript
from consistency.promises import (
    DEFAULT_TERMS,
    Promise,
    WorkingCalendar,
    classify,
    extract_promises,
    promises_in,
)

MONDAY = dt.datetime(2026, 3, 30, 10, 15, tzinfo=dt.UTC)  # 11:15 BST

# fmt: off
PROMISES = [
    # (text, kind, due (local ISO) or None, the term as said or None, due_source)
    ("I'll call you back tomorrow before five.", "callback", "2026-03-31T17:00:00+01:00", "tomorrow before five", "stated"),
    ("i'll call you back tomorrow before five", "callback", "2026-03-31T17:00:00+01:00", "tomorrow before five", "stated"),
    ("The refund will reach your account within 5 working days.", "refund", "2026-04-08T17:30:00+01:00", "5 working days", "stated"),
    ("the refund should reach your account within five working days", "refund", "2026-04-08T17:30:00+01:00", "five working days", "stated"),
    ("I'll email you the form today.", "email_or_letter", "2026-03-30T17:30:00+01:00", "today", "stated"),
    ("i'll email you the form today", "email_or_letter", "2026-03-30T17:30:00+01:00", "today", "stated"),
    ("An engineer will come on Thursday.", "visit", "2026-04-02T17:30:00+01:00", "Thursday", "stated"),
    ("an engineer will come out on thursday between eight and twelve", "visit", "2026-04-02T12:00:00+01:00", "thursday between eight and twelve", "stated"),
    ("I've escalated it, you'll hear from us in 48 hours.", "escalation", "2026-04-01T11:15:00+01:00", "48 hours", "stated"),
    ("ive escalated it to our complaints team and you'll hear from us within forty eight hours", "escalation", "2026-04-01T11:15:00+01:00", "forty eight hours", "stated"),
    ("I'll ring you back in ten minutes.", "callback", "2026-03-30T11:25:00+01:00", "ten minutes", "stated"),
    ("We'll call you back by 3pm on Friday.", "callback", "2026-04-03T15:00:00+01:00", "3pm on Friday", "stated"),
    ("we'll refund you by wednesday", "refund", "2026-04-01T17:30:00+01:00", "wednesday", "stated"),
    # other companies' words: arranged or asked for, passive, "you should get"
    ("I've arranged for a plumber to come out tomorrow morning.", "visit", "2026-03-31T12:00:00+01:00", "tomorrow morning", "stated"),
    ("You should get the new card in the post within 7 to 10 days.", "other", "2026-04-09T17:30:00+01:00", "7 to 10 days", "stated"),
    ("A replacement meter will be fitted on the 12th.", "other", "2026-04-12T17:30:00+01:00", "12th", "stated"),
    ("I've asked our leak team to give you a ring back this afternoon.", "callback", "2026-03-30T17:30:00+01:00", "this afternoon", "stated"),
    ("The form will be posted out to you today.", "email_or_letter", "2026-03-30T17:30:00+01:00", "today", "stated"),
    ("I'll make sure the complaints team contacts you by Friday.", "escalation", "2026-04-03T17:30:00+01:00", "Friday", "stated"),
    ("it'll be back in your account by wednesday", "refund", "2026-04-01T17:30:00+01:00", "wednesday", "stated"),
    ("You'll get a letter by next Wednesday.", "email_or_letter", "2026-04-01T17:30:00+01:00", "next Wednesday", "stated"),
    ("the letter will be with you by the 3rd of April", "email_or_letter", "2026-04-03T17:30:00+01:00", "the 3rd of April", "stated"),
    ("We'll send an engineer out on Friday.", "visit", "2026-04-03T17:30:00+01:00", "Friday", "stated"),
    ("i'll make sure someone calls you back tomorrow morning", "callback", "2026-03-31T12:00:00+01:00", "tomorrow morning", "stated"),
    ("I'll check with the warehouse and give you a call back by the end of the day.", "callback", "2026-03-30T17:30:00+01:00", "by the end of the day", "stated"),
    ("We'll be in touch within 2 working days.", "callback", "2026-04-01T17:30:00+01:00", "2 working days", "stated"),
    ("I'll get back to you next week.", "callback", "2026-04-10T17:30:00+01:00", "next week", "stated"),
    ("I'll call you back tomorrow if that's okay.", "callback", "2026-03-31T17:30:00+01:00", "tomorrow", "stated"),
    ("i'll call you back tomorrow to check if it arrived", "callback", "2026-03-31T17:30:00+01:00", "tomorrow", "stated"),
    ("I'm going to pass this on to my manager and someone will call you back by the end of the day.", "escalation", "2026-03-30T17:30:00+01:00", "by the end of the day", "stated"),
    ("I'll sort out the replacement for you by Thursday.", "other", "2026-04-02T17:30:00+01:00", "Thursday", "stated"),
    ("Tomorrow, I'll call you back.", "callback", "2026-03-31T17:30:00+01:00", "Tomorrow", "stated"),
    ("as i said before we'll call you back tomorrow", "callback", "2026-03-31T17:30:00+01:00", "tomorrow", "stated"),
    # no term: the kind's default (working days), or none
    ("I'll call you back.", "callback", "2026-03-31T17:30:00+01:00", None, "default"),
    ("You'll get a text confirming the slot.", "email_or_letter", "2026-03-31T17:30:00+01:00", None, "default"),
    ("i've put the refund through", None, None, None, None),
    ("We'll process your refund.", "refund", "2026-04-08T17:30:00+01:00", None, "default"),
    ("An engineer will come out to you.", "visit", None, None, "none"),
    # a term hanging on an event the transcript cannot date
    ("Your refund of £45.99 will be back on your card within 5 working days of it arriving at the warehouse.", "refund", None, "5 working days", "event"),
    ("i'll call you back as soon as i hear from the courier", "callback", None, None, "event"),
]

NOT_PROMISES = [
    "I asked him to call you yesterday",                      # the past, not the present perfect
    "I've asked for your details.",                           # asked for, nothing to do
    "If you want, I can call you back.",                      # offer
    "if you want i'll call you back tomorrow",                # conditional offer
    "Would you like me to call you back tomorrow?",           # offer as a question
    "I can call you back if you like.",
    "Shall I email you the form?",
    "do you want me to ring you back later",
    "If it hasn't been dispatched by tomorrow, I'll call you back to arrange a return.",
    "Yes, as long as it's within 30 days of delivery and unused in the original box, you'll get a full refund.",
    "yeah you can email us at help at voltstream dot co dot uk and we'll get back to you within twenty four hours",
    "Let us know within 48 hours of delivery and we'll collect it for free and send a replacement.",
    "I called you yesterday.",                                # past tense
    "i called you back yesterday but i couldn't get through",
    "We sent the letter last week.",
    "I've emailed you the form.",
    "you should have received the letter by now",
    "We won't call you again.",                               # negations
    "we will not be able to refund that",
    "We won't need to call you back, it's all sorted now.",
    "you'll never be charged for it",
    "It says here someone will call you back today.",         # a report
    "I'll just check that for you.",                          # routine in-call actions
    "I'll put you on hold for a moment.",
    "i'll transfer you to the right team",
    "You'll need to send it back to us first.",               # an instruction
    "will i get a call back",                                 # a question
    # a second verb with its own subject is not under the first one's "will"
    "they'll try again the next working day and after three failed attempts it comes back to us and we refund you",
]
# fmt: on


@pytest.mark.parametrize(("text", "kind", "due", "term", "source"), PROMISES)
def test_promises(text, kind, due, term, source):
    found = extract_promises(text, 4, MONDAY)
    if kind is None:
        assert found == []
        return
    assert [(p.kind, p.due.isoformat() if p.due else None, p.due_text, p.due_source)
            for p in found] == [(kind, due, term, source)]  # fmt: skip
    (p,) = found
    assert text[p.span[0] : p.span[1]] == p.text
    assert p.turn == 4
    if p.due_span is not None:
        assert text[p.due_span[0] : p.due_span[1]] == p.due_text
    assert p.snippet[p.snippet_span[0] : p.snippet_span[1]] == p.text  # type: ignore[index]


@pytest.mark.parametrize("text", NOT_PROMISES)
def test_not_promises(text):
    assert extract_promises(text, 1, MONDAY) == []


def test_labelled_cases():
    """tests/promises/data/promise_cases.jsonl (benchmarks/bench_promises.py prints the detail)."""
    tp = fp = fn = due_ok = 0
    for line in (Path(__file__).parent / "data" / "promise_cases.jsonl").read_text().splitlines():
        case = json.loads(line)
        start = dt.datetime.fromisoformat(case["started_at"].replace("Z", "+00:00"))
        expected = [(p["kind"], p["due"]) for p in case["promises"]]
        for p in extract_promises(case["text"], 0, start):
            hit = next((e for e in expected if e[0] == p.kind), None)
            if hit is None:
                fp += 1
                continue
            expected.remove(hit)
            tp += 1
            due_ok += hit[1] == (p.due.isoformat() if p.due else None)
        fn += len(expected)
    assert tp / (tp + fp) >= 0.95
    assert tp / (tp + fn) >= 0.9
    assert due_ok / tp >= 0.95


def test_two_promises_in_one_turn_each_with_its_own_term():
    found = extract_promises(
        "I'll call you back tomorrow, and I'll email you the form today.", 2, MONDAY
    )
    assert [(p.kind, p.due_text) for p in found] == [
        ("callback", "tomorrow"),
        ("email_or_letter", "today"),
    ]
    assert found[0].text == "I'll call you back tomorrow"


def test_due_times_are_in_the_calendars_zone_across_the_clock_change():
    """Friday 27 March 2026 is GMT; Monday 30 March is BST (clocks went forward on the 29th)."""
    friday = dt.datetime(2026, 3, 27, 16, 0, tzinfo=dt.UTC)
    (p,) = extract_promises("i'll call you back on monday before five", 1, friday)
    assert p.due is not None and p.due.isoformat() == "2026-03-30T17:00:00+01:00"
    (p,) = extract_promises("we'll ring you back within 48 hours", 1, friday)
    assert p.due == friday + dt.timedelta(hours=48)
    assert p.due is not None and p.due.utcoffset() == dt.timedelta(hours=1)


def test_weekends_and_bank_holidays_are_not_working_days():
    thursday = dt.datetime(2026, 4, 2, 9, 0, tzinfo=dt.UTC)  # before Good Friday
    (p,) = extract_promises("The refund will reach you within 2 working days.", 1, thursday)
    assert p.due is not None and p.due.date() == dt.date(2026, 4, 8)  # Fri, Mon closed
    (p,) = extract_promises("The refund will reach you within 2 days.", 1, thursday)
    assert p.due is not None and p.due.date() == dt.date(2026, 4, 4)  # calendar days


def test_a_time_already_past_today_means_the_next_working_day():
    evening = dt.datetime(2026, 4, 2, 17, 0, tzinfo=dt.UTC)  # 18:00 BST, before Good Friday
    (p,) = extract_promises("I'll call you back before five.", 1, evening)
    assert p.due is not None and p.due.isoformat() == "2026-04-07T17:00:00+01:00"


def test_another_calendar_and_defaults():
    cal = WorkingCalendar(timezone="America/New_York", country="US", subdivision=None)
    (p,) = extract_promises("I'll call you back tomorrow.", 1, MONDAY, cal)
    assert p.due is not None and p.due.isoformat() == "2026-03-31T17:30:00-04:00"
    (p,) = extract_promises("I'll call you back.", 1, MONDAY, defaults={"callback": 3})
    assert p.due is not None and p.due.date() == dt.date(2026, 4, 2)
    (p,) = extract_promises("I'll call you back.", 1, MONDAY, defaults={"callback": None})
    assert (p.due, p.due_source) == (None, "none")
    assert DEFAULT_TERMS["refund"] == 5


def test_without_a_start_time_there_is_no_due_time():
    """Relative dates need the call's day; the clock time is still quoted."""
    (p,) = extract_promises("I'll call you back tomorrow before five.")
    assert (p.due, p.due_source, p.due_text) == (None, "none", "before five")


def test_promises_in_reads_only_agent_turns():
    t = Transcript.model_validate(
        {
            "id": "call-1",
            "started_at": "2026-03-30T10:15:00Z",
            "agent_id": "a1",
            "customer_id": "c1",
            "channel": "voice",
            "turns": [
                {"speaker": "customer", "text": "i'll call you back if i need to"},
                {"speaker": "customer", "text": "you'll call me tomorrow then"},
                {"speaker": "agent", "text": "yes i'll call you back tomorrow before five"},
            ],
        }
    )
    (p,) = promises_in(t)
    assert (p.turn, p.transcript_id, p.agent_id, p.customer_id) == (2, "call-1", "a1", "c1")
    assert p.started_at == MONDAY.replace(minute=15)


def test_classify_explains_kinds():
    assert classify("the engineer", " be with you on thursday") == "visit"
    assert classify("someone", " call you back", "I've escalated your complaint") == "escalation"
    assert classify("i", " contact you by email tomorrow") == "email_or_letter"
    assert classify("i", " not call") is None


def test_promise_model_refuses_naive_due_and_misfit_spans():
    with pytest.raises(ValueError, match="timezone-aware"):
        Promise(kind="callback", due=dt.datetime(2026, 3, 30, 17), text="x", span=(0, 1))
    with pytest.raises(ValueError, match="does not fit"):
        Promise(kind="callback", due=None, text="abc", span=(0, 1))


WORDS = [
    "i'll", "we'll", "you'll", "will", "call", "you", "back", "tomorrow", "before", "five",
    "refund", "email", "engineer", "come", "if", "not", "won't", "within", "working", "days",
    "48", "hours", "escalated", "hear", "from", "us", "by", "thursday", "the", "and", "so",
    "?", ".", ",", "today", "next", "week", "half", "twelve", "of", "it", "arriving",
]  # fmt: skip
texts = st.one_of(
    st.text(max_size=200), st.lists(st.sampled_from(WORDS), max_size=30).map(" ".join)
)
starts = st.datetimes(
    min_value=dt.datetime(2020, 1, 1),
    max_value=dt.datetime(2030, 12, 31),
    timezones=st.just(dt.UTC),
)


@settings(max_examples=300, deadline=None)
@given(texts, starts)
def test_never_raises_spans_index_the_text_and_due_is_not_before_the_call(text, start):
    for p in extract_promises(text, 0, start):
        assert text[p.span[0] : p.span[1]] == p.text
        assert p.text and p.span[0] < p.span[1]
        if p.due_span is not None:
            assert text[p.due_span[0] : p.due_span[1]] == p.due_text
        if p.due is not None:
            assert p.due.tzinfo is not None and p.due >= start
        assert Promise.model_validate_json(p.model_dump_json()) == p  # round trip


def _held_out_scores() -> tuple[int, int, int, int]:
    """(tp, fp, fn, due exact) on held_out.jsonl, matched as benchmarks/bench_promises.py does."""
    tp = fp = fn = due_ok = 0
    for line in (Path(__file__).parent / "data" / "held_out.jsonl").read_text().splitlines():
        case = json.loads(line)
        start = dt.datetime.fromisoformat(case["started_at"].replace("Z", "+00:00"))
        left = [(p["kind"], p["due"]) for p in case["promises"]]
        for p in extract_promises(case["text"], 0, start):
            hit = next((e for e in left if e[0] == p.kind), None)
            if hit is None:
                fp += 1
                continue
            left.remove(hit)
            tp += 1
            due_ok += hit[1] == (p.due.isoformat() if p.due else None)
        fn += len(left)
    return tp, fp, fn, due_ok


def test_held_out_cases_stay_above_their_floors():
    """held_out.jsonl was written after the extractor and never tuned on; measured
    P 1.00, R 0.77, due exact 0.96 (benchmarks/bench_promises.py): floors a little below."""
    tp, fp, fn, due_ok = _held_out_scores()
    assert tp + fn >= 25 and tp / (tp + fp) >= 0.9
    assert tp / (tp + fn) >= 0.7
    assert due_ok / tp >= 0.85
