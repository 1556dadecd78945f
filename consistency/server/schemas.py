"""Request and response bodies of the HTTP API.

The request models carry the documentation shown at ``/docs``. Their text limits
depend on the server's settings, so :func:`request_models` derives limited copies
at start-up; the base classes below are what the rest of the code refers to.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from consistency.kb import KBProblem
from consistency.models import KBEntry, Verdict
from consistency.textcheck import EncodableStr

__all__ = [
    "BatchRequest",
    "BatchResponse",
    "CheckRequest",
    "EntryResponse",
    "ErrorMessage",
    "Health",
    "Readiness",
    "ReloadProblems",
    "ReloadResponse",
    "request_models",
]

_QUESTION = "What the customer asked, in their words."
_ANSWER = (
    "The agent's draft answer. May be empty: the verdict then shows the matched "
    "entry and its canonical answer."
)
_ON = (
    "The day the answer is given (YYYY-MM-DD); the KB entry valid that day is used. "
    "Omitted: each entry's newest version."
)


class CheckRequest(BaseModel):
    """One draft answer to check."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "question": "how long do I have to return something",
                    "answer": "You have 14 days to return it.",
                    "on": "2026-03-01",
                }
            ]
        },
    )

    # EncodableStr: a lone surrogate ("\ud800" in the JSON) is a 422, not a 500 later.
    question: EncodableStr = Field(min_length=1, description=_QUESTION)
    answer: EncodableStr = Field(description=_ANSWER)
    on: dt.date | None = Field(default=None, description=_ON)


class BatchRequest(BaseModel):
    """Several draft answers, checked in one call; verdicts come back in the same order."""

    model_config = ConfigDict(extra="forbid")

    items: list[CheckRequest] = Field(min_length=1, description="The answers to check.")


class BatchResponse(BaseModel):
    verdicts: list[Verdict] = Field(description="One verdict per item, in request order.")


class EntryResponse(BaseModel):
    entry: KBEntry = Field(description="The version valid on `on` (the newest without `on`).")
    versions: list[KBEntry] = Field(description="Every version of the entry, oldest first.")


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    ready: bool
    status: Literal["loading", "ready", "failed"]
    detail: str = Field(default="", description="Why the service is not ready, if it is not.")
    entries: int | None = Field(default=None, description="Entry ids in the serving KB.")
    versions: int | None = Field(default=None, description="Entry versions in the serving KB.")
    kb_hash: str | None = Field(default=None, description="Content hash of the serving KB.")
    loaded_at: dt.datetime | None = None
    auth_required: bool = Field(description="Whether /v1 calls need a bearer token.")
    max_text_chars: int = Field(description="Longest question or answer accepted.")


class ReloadResponse(BaseModel):
    status: Literal["reloaded"] = "reloaded"
    entries: int
    versions: int
    kb_hash: str
    changed: bool = Field(description="False when the KB on disk equals the one served.")
    loaded_at: dt.datetime


class ReloadProblems(BaseModel):
    detail: str = Field(description="The error's title, e.g. '2 errors in returns.yaml'.")
    problems: list[KBProblem] = Field(description="Every problem found; the old KB still serves.")


class ErrorMessage(BaseModel):
    detail: str


def request_models(
    max_text_chars: int, max_batch_items: int
) -> tuple[type[CheckRequest], type[BatchRequest]]:
    """Copies of the request models that enforce this server's limits (and show them at /docs).

    A text over the limit is refused by validation with pydantic's ``string_too_long``
    error, whose ``loc`` names the field and whose ``ctx.max_length`` is the limit.
    Text UTF-8 cannot encode (a lone surrogate) is a ``value_error`` on its field.
    """
    text: Any = (
        EncodableStr,
        Field(min_length=1, max_length=max_text_chars, description=_QUESTION),
    )
    check = create_model(
        "CheckRequest",
        __base__=CheckRequest,
        __doc__=CheckRequest.__doc__,
        question=text,
        answer=(EncodableStr, Field(max_length=max_text_chars, description=_ANSWER)),
    )
    batch = create_model(
        "BatchRequest",
        __base__=BatchRequest,
        __doc__=BatchRequest.__doc__,
        items=(
            list[check],  # type: ignore[valid-type]
            Field(min_length=1, max_length=max_batch_items, description="The answers to check."),
        ),
    )
    return check, batch
