"""Promises agents make, chases customers send, and which promises were broken.

``extract_promises(text, turn, started_at, calendar)`` finds the commitments in
an agent's turn ("I'll call you back tomorrow before five") with their kind and
due time on a :class:`WorkingCalendar`; ``find_chases(text)`` finds a
customer saying one was not kept ("nobody called me back");
``read_fulfilment(path)`` reads which jobs were done; ``judge_promises`` puts
them together for one customer. The audit's ``broken_promise`` findings are
built from these (:mod:`consistency.audit`).
"""

from consistency.promises.broken import CHASES, Broken, judge_promises
from consistency.promises.calendar import CalendarError, WorkingCalendar
from consistency.promises.chase import chases_in, find_chases
from consistency.promises.due import DEFAULT_TERMS, Term, resolve_term
from consistency.promises.extract import classify, extract_promises, promises_in
from consistency.promises.fulfilment import (
    FULFILMENT_COLUMNS,
    FulfilmentLog,
    load_fulfilment_log,
    read_fulfilment,
)
from consistency.promises.models import (
    DUE_SOURCES,
    PROMISE_KINDS,
    Chase,
    Fulfilment,
    Promise,
    PromiseKind,
)

__all__ = [
    "CHASES",
    "DEFAULT_TERMS",
    "DUE_SOURCES",
    "FULFILMENT_COLUMNS",
    "PROMISE_KINDS",
    "Broken",
    "CalendarError",
    "Chase",
    "Fulfilment",
    "FulfilmentLog",
    "Promise",
    "PromiseKind",
    "Term",
    "WorkingCalendar",
    "chases_in",
    "classify",
    "extract_promises",
    "find_chases",
    "judge_promises",
    "load_fulfilment_log",
    "promises_in",
    "read_fulfilment",
    "resolve_term",
]
