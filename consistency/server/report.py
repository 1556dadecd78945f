"""The latest audit's report, served, with review buttons that record decisions in the history.

``GET /report`` renders ``report.html`` afresh from the audit folder's
``findings.jsonl`` and ``summary.json`` (so a new night's audit shows without a
restart) with each finding's latest decision. With a history, the cards carry
confirmed / false alarm / won't fix buttons that ``POST /report/review``, which
stores one :class:`~consistency.review.Review` per finding id through
:func:`~consistency.review.record_review`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from fastapi import FastAPI, HTTPException
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from consistency.audit.models import AuditSummary, Finding

__all__ = ["ReviewBody", "add_report_routes", "read_audit"]


class ReviewBody(BaseModel):
    """What a review button sends: one decision for the occurrences folded into a card."""

    model_config = ConfigDict(extra="forbid")

    finding_ids: list[str] = Field(min_length=1, max_length=10_000)
    decision: Literal["confirmed", "false_alarm", "wont_fix"]
    reviewer: str = Field(min_length=1, max_length=200)
    note: str = Field(default="", max_length=2000)


def read_audit(folder: Path) -> tuple[list[Finding], AuditSummary]:
    """The findings and summary an audit wrote into ``folder``.

    Raises:
        ValueError: a file is missing or a line is not a finding, naming file and line.
    """
    findings: list[Finding] = []
    path = folder / "findings.jsonl"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, 1):
            if line.strip():
                try:
                    findings.append(Finding.model_validate_json(line))
                except ValidationError as exc:
                    raise ValueError(f"{path}, line {number}: not a finding ({exc})") from None
        summary_path = folder / "summary.json"
        summary = AuditSummary.model_validate(json.loads(summary_path.read_text(encoding="utf-8")))
    except OSError as exc:
        raise ValueError(f"cannot read the audit in {folder}: {exc}") from None
    return findings, summary


def add_report_routes(
    app: FastAPI, audit: Path, history: str | Path | None, *, protected: list[Any]
) -> None:
    """Add ``GET /report`` and, with a history, ``POST /report/review`` to ``app``."""

    def reviews() -> dict[str, Any]:
        if history is None:
            return {}
        from consistency.review import load_reviews

        return dict(load_reviews(history))

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        return Response(status_code=204)  # browsers ask; a 404 would be a console error

    # The report quotes customers: behind the token too when the server has one.
    @app.get("/report", include_in_schema=False, dependencies=protected)
    async def report() -> HTMLResponse:
        from consistency.report.html import render_report

        try:
            findings, summary = read_audit(audit)
        except ValueError as exc:
            raise HTTPException(503, detail=str(exc)) from None
        decisions = reviews()
        if decisions:
            from consistency.review import reviewed_precision

            # tonight's decisions too, not only those known when the audit ran
            summary = summary.model_copy(
                update={"reviewed_precision": reviewed_precision(decisions.values())}
            )
        html = render_report(
            findings,
            summary,
            reviews=decisions,
            review_url="/report/review" if history is not None else None,
        )
        return HTMLResponse(html)

    if history is None:
        return

    @app.post("/report/review", dependencies=protected, tags=["review"])
    async def review(body: ReviewBody) -> dict[str, Any]:
        """Record one decision for each finding id; unknown ids are refused (404)."""
        from consistency.review import Review, record_review

        findings, _ = read_audit(audit)
        known = {f.id: f for f in findings}
        missing = [i for i in body.finding_ids if i not in known]
        if missing:
            raise HTTPException(404, detail=f"no finding with id {missing[0]} in the latest audit")
        stored = [
            record_review(
                history,
                Review(
                    finding_id=i, decision=body.decision, reviewer=body.reviewer, note=body.note
                ),
                known[i],
            )
            for i in body.finding_ids
        ]
        return {"recorded": len(stored), "decision": body.decision}
