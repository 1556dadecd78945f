"""Which promises were broken: chased after they were due, kept late, or never kept.

For one customer's promises, chases and fulfilment rows (the audit groups by
customer), a promise is broken when

* **chased**: the customer contacts again, in a later conversation, after the
  promise was due and before any sign of it being kept, and says it was not
  kept, about the same thing: a chase of a compatible kind (a missing
  callback chases a callback or an escalation's answer), or a generic chase
  ("you said you'd sort it") in a conversation on the promise's KB entry;
* **kept_late**: the fulfilment file shows it done after it was due;
* **not_kept**: the file lists it as not done (an empty ``fulfilled_at``) and
  it was due before the file's latest entry (the file cannot have been
  exported earlier than that).

A promise with no due time (no term and no default) counts as due once the
grace period after the call has passed. A fulfilment row done on time settles
the promise: a later chase is not a broken promise (the customer may not have
noticed). A chase before the due time is a customer being early, not a broken
promise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from consistency.promises.models import Chase, Fulfilment, Promise

__all__ = ["CHASES", "Broken", "BrokenReason", "judge_promises"]

BrokenReason = Literal["chased", "kept_late", "not_kept"]

#: For each chase kind, the promise kinds it chases. A missing callback and an
#: escalation nobody answered are the same complaint ("nobody got back to me").
#: A chase of kind ``other`` chases any promise on the same KB entry.
CHASES: dict[str, frozenset[str]] = {
    "callback": frozenset({"callback", "escalation"}),
    "escalation": frozenset({"escalation", "callback"}),
    "refund": frozenset({"refund"}),
    "email_or_letter": frozenset({"email_or_letter"}),
    "visit": frozenset({"visit"}),
    "other": frozenset(),
}
_CLASS = {"escalation": "callback"}


@dataclass(frozen=True)
class Broken:
    """A broken promise and what shows it: the chase, the fulfilment row, or both."""

    promise: Promise
    reason: BrokenReason
    chase: Chase | None = None
    fulfilment: Fulfilment | None = None
    deadline: dt.datetime | None = None


def _when(p: Promise | Chase) -> dt.datetime:
    assert p.started_at is not None
    return p.started_at


def _later(moment: dt.datetime, grace: dt.timedelta) -> dt.datetime:
    """``moment + grace``, held at ``datetime.max`` (a call dated 9999-12-31 is never late)."""
    try:
        return moment + grace
    except OverflowError:
        bound = dt.datetime.max if grace >= dt.timedelta(0) else dt.datetime.min
        return bound.replace(tzinfo=dt.UTC)


def _relates(chase: Chase, promise: Promise) -> bool:
    if promise.kind in CHASES[chase.kind]:
        return True
    return (
        chase.kind == "other"
        and promise.entry_id is not None
        and (promise.entry_id in chase.entry_ids)
    )


def _match_rows(promises: Sequence[Promise], rows: Sequence[Fulfilment]) -> dict[int, Fulfilment]:
    """Each promise's fulfilment row: pinned by transcript id, else the first later one of its kind."""
    used: set[int] = set()
    out: dict[int, Fulfilment] = {}
    for i, p in enumerate(promises):
        pinned = [
            j
            for j, r in enumerate(rows)
            if j not in used and r.transcript_id == p.transcript_id and r.kind == p.kind
        ]
        dated = sorted(
            (
                (r.fulfilled_at, j)
                for j, r in enumerate(rows)
                if j not in used
                and r.transcript_id is None
                and r.kind == p.kind
                and r.fulfilled_at is not None
                and r.fulfilled_at >= _when(p)
            ),
        )
        open_rows = [
            j
            for j, r in enumerate(rows)
            if j not in used
            and r.transcript_id is None
            and r.kind == p.kind
            and r.fulfilled_at is None
        ]
        choice = (
            pinned[0] if pinned else dated[0][1] if dated else (open_rows[0] if open_rows else None)
        )
        if choice is not None:
            used.add(choice)
            out[i] = rows[choice]
    return out


def judge_promises(
    promises: Iterable[Promise],
    chases: Iterable[Chase],
    fulfilment: Iterable[Fulfilment] = (),
    *,
    grace: dt.timedelta = dt.timedelta(hours=24),
    as_of: dt.datetime | None = None,
) -> list[Broken]:
    """The broken promises among one customer's promises (see the module doc for the rules).

    Args:
        promises / chases: the customer's, from any conversations, in any order
            (those without a start time are ignored).
        fulfilment: the customer's rows of the fulfilment file.
        grace: how long after the call a promise with no due time counts as due.
        as_of: the fulfilment file's latest ``fulfilled_at``; an open row counts
            as never kept only for promises due before it (``None``: never).

    Returns:
        One :class:`Broken` per broken promise, in the order the promises were
        made. Of several promises of one kind in one conversation chased in the
        same later one, only the first is reported.
    """
    ps = sorted(
        (p for p in promises if p.started_at is not None),
        key=lambda p: (_when(p), p.transcript_id or "", p.turn, p.span),
    )
    cs = sorted(
        (c for c in chases if c.started_at is not None),
        key=lambda c: (_when(c), c.transcript_id or "", c.turn, c.span),
    )
    rows = sorted(
        fulfilment,
        key=lambda r: (
            r.fulfilled_at is None,
            r.fulfilled_at or dt.datetime.min.replace(tzinfo=dt.UTC),
            r.line or 0,
        ),
    )
    matched = _match_rows(ps, rows)
    out: list[Broken] = []
    seen: set[tuple[str | None, str | None, str]] = set()
    for i, p in enumerate(ps):
        row = matched.get(i)
        deadline = p.due if p.due is not None else _later(_when(p), grace)
        kept_at = row.fulfilled_at if row is not None else None
        if kept_at is not None and kept_at <= deadline:
            continue  # kept on time
        chase = next(
            (
                c
                for c in cs
                if c.transcript_id != p.transcript_id
                and _when(c) > _when(p)
                and _when(c) > deadline
                and (kept_at is None or _when(c) < kept_at)
                and _relates(c, p)
            ),
            None,
        )
        if chase is not None:
            key = (p.transcript_id, chase.transcript_id, _CLASS.get(p.kind, p.kind))
            if key in seen:
                continue
            seen.add(key)
            out.append(Broken(p, "chased", chase, row, deadline))
        elif kept_at is not None and p.due is not None:
            out.append(Broken(p, "kept_late", None, row, deadline))
        elif (
            row is not None
            and kept_at is None
            and p.due is not None
            and as_of is not None
            and p.due < as_of
        ):
            out.append(Broken(p, "not_kept", None, row, deadline))
    return out
