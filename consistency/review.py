"""Reviewers' decisions on findings: confirmed, false alarm or won't fix, kept in the history.

A decision names the finding by id, and also keeps what recognises "the same
answer about the same entry" on a later night (kind, entry, fact kind and the
answer's values), because a later night's finding about the same wrong-looking
answer gets a new id (other conversations) yet must not be raised again once
judged a false alarm.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import Column, DateTime, Integer, String, Table, Text, insert, select

from consistency.store import METADATA, engine

if TYPE_CHECKING:
    from consistency.findings import Finding

__all__ = [
    "DECISIONS",
    "Decision",
    "Review",
    "answer_key",
    "is_suppressed",
    "labelled_rows",
    "load_reviews",
    "read_decisions",
    "record_review",
    "reviewed_precision",
    "suppression_keys",
]

Decision = Literal["confirmed", "false_alarm", "wont_fix"]
DECISIONS: tuple[str, ...] = ("confirmed", "false_alarm", "wont_fix")

REVIEWS = Table(
    "reviews",
    METADATA,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("finding_id", String(64), nullable=False, index=True),
    Column("decision", String(16), nullable=False),
    Column("reviewer", String(200), nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("decided_at", DateTime(timezone=True), nullable=False),
    Column("kind", String(40)),
    Column("entry_id", String(200)),
    Column("fact_kind", String(40)),
    Column("answer_key", Text),
)


def _now() -> datetime:
    return datetime.now(UTC)


class Review(BaseModel):
    """One reviewer's decision on one finding."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    finding_id: str = Field(min_length=1)
    decision: Decision
    reviewer: str = Field(min_length=1)
    note: str = ""
    decided_at: datetime = Field(default_factory=_now)
    kind: str | None = None
    entry_id: str | None = None
    fact_kind: str | None = None
    answer_key: str | None = None


def answer_key(finding: Finding) -> str:
    """The answer's values a finding is about, normalised: the minority, else all but the KB's."""
    values = finding.minority or tuple(v for v in finding.values if v != finding.kb_value)
    return "|".join(sorted({" ".join(v.lower().split()) for v in values or finding.values}))


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def record_review(history: str | Path, review: Review, finding: Finding | None = None) -> Review:
    """Store ``review``; with ``finding``, fill in what suppression needs. Returns what was stored."""
    if finding is not None:
        if finding.id and finding.id != review.finding_id:
            raise ValueError(f"review is for {review.finding_id!r}, finding is {finding.id!r}")
        review = review.model_copy(
            update={
                "kind": review.kind or finding.kind,
                "entry_id": review.entry_id or finding.entry_id,
                "fact_kind": review.fact_kind or finding.fact_kind,
                "answer_key": review.answer_key or answer_key(finding),
            }
        )
    review = review.model_copy(update={"decided_at": _aware(review.decided_at)})
    with engine(history).begin() as con:
        con.execute(insert(REVIEWS).values(**review.model_dump()))
    return review


def load_reviews(history: str | Path) -> dict[str, Review]:
    """The latest decision per finding id (by decision time, then by order recorded)."""
    query = select(REVIEWS).order_by(REVIEWS.c.decided_at, REVIEWS.c.seq)
    out: dict[str, Review] = {}
    with engine(history).connect() as con:
        for row in con.execute(query).mappings():
            data = {k: row[k] for k in Review.model_fields}
            data["decided_at"] = _aware(data["decided_at"])
            data["note"] = data["note"] or ""
            out[row["finding_id"]] = Review(**data)
    return out


def suppression_keys(reviews: dict[str, Review]) -> set[tuple[str, str | None, str | None, str]]:
    """(kind, entry, fact kind, answer) of every finding whose latest decision is a false alarm."""
    return {
        (r.kind, r.entry_id, r.fact_kind, r.answer_key)
        for r in reviews.values()
        if r.decision == "false_alarm" and r.kind is not None and r.answer_key is not None
    }


def is_suppressed(finding: Finding, keys: set[tuple[str, str | None, str | None, str]]) -> bool:
    """True when ``finding`` repeats an answer already judged a false alarm for its entry."""
    return (finding.kind, finding.entry_id, finding.fact_kind, answer_key(finding)) in keys


def reviewed_precision(reviews: Iterable[Review]) -> dict[str, dict[str, dict[str, float | int]]]:
    """Reviewed precision per kind, per fact kind and per KB entry.

    A finding confirmed or left as won't fix was right; a false alarm was wrong.
    ``precision`` is right / reviewed. Reviews that do not say what the finding
    was (recorded by id only, with no finding at hand) count under ``unknown``.
    """
    out: dict[str, dict[str, dict[str, float | int]]] = {
        "by_kind": {},
        "by_fact_kind": {},
        "by_entry": {},
    }
    for r in reviews:
        for table, name in (
            ("by_kind", r.kind),
            ("by_fact_kind", r.fact_kind),
            ("by_entry", r.entry_id),
        ):
            row = out[table].setdefault(
                name or "unknown",
                {"reviewed": 0, "confirmed": 0, "false_alarm": 0, "wont_fix": 0, "precision": 0.0},
            )
            row["reviewed"] += 1
            row[r.decision] += 1
            right = row["confirmed"] + row["wont_fix"]
            row["precision"] = round(right / row["reviewed"], 4)
    return {k: dict(sorted(v.items())) for k, v in out.items()}


_COLUMNS = ("finding_id", "decision", "reviewer", "note")


def read_decisions(path: Path) -> tuple[list[tuple[int, Review]], list[str]]:
    """(line, review) from a CSV (finding_id, decision, reviewer, note); bad rows as
    ``file:line: field: why``."""
    reviews: list[tuple[int, Review]] = []
    problems: list[str] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in _COLUMNS[:3] if c not in (reader.fieldnames or ())]
        if missing:
            return [], [f"{path}:1: header: missing column(s) {', '.join(missing)}"]
        for row in reader:
            line = reader.line_num
            data = {c: (row.get(c) or "").strip() for c in _COLUMNS}
            try:
                reviews.append((line, Review(**data)))
            except ValidationError as exc:
                for err in exc.errors():
                    field = ".".join(str(p) for p in err["loc"]) or "row"
                    expected = (
                        "one of confirmed, false_alarm, wont_fix"
                        if field == "decision"
                        else err["msg"].lower()
                    )
                    problems.append(f"{path}:{line}: {field}: {expected} (got {data.get(field)!r})")
    return reviews, problems


def labelled_rows(
    reviews: Mapping[str, Review],
    findings: Mapping[str, Finding],
    *,
    false_alarms: bool = False,
) -> list[dict[str, object]]:
    """Decisions as labelled questions for ``Checker.calibrate`` (``question``, ``entry_id``).

    A confirmed or won't-fix finding says its questions were matched to the
    right entry (a KB gap: that the KB does not cover them, ``entry_id`` null).
    A false alarm does not say which entry was right, so it is left out
    unless ``false_alarms`` (for accuracy work; such rows have no ``entry_id``
    and must not be fed to calibration, which would read them as not covered).
    """
    rows: list[dict[str, object]] = []
    for fid, review in sorted(reviews.items()):
        finding = findings.get(fid)
        if finding is None or (review.decision == "false_alarm" and not false_alarms):
            continue
        questions = list(finding.questions) or [
            e.text for e in finding.evidence if e.source == "question"
        ]
        for question in dict.fromkeys(q for q in questions if q):
            row: dict[str, object] = {"question": question}
            if review.decision != "false_alarm":
                row["entry_id"] = None if finding.kind == "kb_gap" else finding.entry_id
            row.update(
                label=review.decision,
                finding_id=fid,
                kind=finding.kind,
                fact_kind=finding.fact_kind,
                values=list(finding.values),
                reviewer=review.reviewer,
                note=review.note,
            )
            rows.append(row)
    return rows
