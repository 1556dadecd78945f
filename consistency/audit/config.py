"""The audit's settings, as one validated record every layer passes whole.

The CLI builds an :class:`AuditConfig` from its options, :func:`consistency.audit.audit`
from its keywords, and the engines (:mod:`consistency.audit.engines`) read it;
nothing re-lists the settings. A bad setting is an :class:`AuditUsageError`
(its ``code`` a stable slug) raised when the record is built, before any work.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    InstanceOf,
    ValidationError,
    field_validator,
    model_validator,
)

from consistency.audit.options import AuditOptions
from consistency.audit.state import AuditUsageError
from consistency.promises.calendar import WorkingCalendar

__all__ = ["ENGINES", "AuditConfig"]

#: The schedulers an audit can run on; both call the same stage functions.
ENGINES = ("local", "ray")


def _day(value: Any, name: str) -> dt.date | None:
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise AuditUsageError(
            f"{name} must be a date YYYY-MM-DD, got {str(value)[:50]!r}", code="bad-period"
        ) from None


class AuditConfig(BaseModel):
    """Every setting of one audit run, checked together.

    Built with keywords (``AuditConfig(out="audit-out", engine="ray")``); any
    problem raises :class:`~consistency.audit.state.AuditUsageError` naming
    the setting, or ``ImportError`` for a findings format whose library is
    missing. ``options`` is always complete: the defaults when none are given,
    with ``calendar`` (when given) as their working calendar.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    out: Path = Field(
        description="The output folder: findings.jsonl, summary.json, errors.jsonl, "
        "report.html, and state/ for resuming."
    )
    formats: tuple[str, ...] = Field(
        ("jsonl",),
        description="Findings files to write: jsonl always; parquet, csv, xlsx beside it. "
        "An item may name several, comma-separated.",
    )
    engine: Literal["local", "ray"] = Field(
        "local", description="Where the stages run: local (this process) or ray (Ray Data)."
    )
    workers: int | None = Field(
        None, ge=1, description="Ray workers (engine ray only); default one per CPU."
    )
    ray_address: str | None = Field(
        None, description="A running Ray cluster's address (engine ray only); default: local."
    )
    since: dt.date | None = Field(
        None, description="Only conversations started on or after this day."
    )
    until: dt.date | None = Field(
        None, description="Only conversations started on or before this day."
    )
    resume: bool = Field(
        False,
        description="Continue the audit already in out (same inputs and settings); "
        "the local engine only.",
    )
    history: Path | str | None = Field(
        None,
        description="The history (a SQLite file, or a database URL): trends, the state later "
        "nights compare against, and reviewers' decisions.",
    )
    retention_days: int | None = Field(
        90, ge=1, description="Days of conversations the history keeps for later nights."
    )
    progress: bool = Field(True, description="Show a progress bar on stderr.")
    options: InstanceOf[AuditOptions] = Field(
        default_factory=AuditOptions, description="The stages' knobs (AuditOptions)."
    )
    calendar: InstanceOf[WorkingCalendar] | None = Field(
        None,
        description="The working calendar promises' terms are resolved on "
        "(overrides options.calendar).",
    )
    batch_size: int = Field(64, ge=1, description="Conversations per batch and per checkpoint.")
    redact_pii: bool = Field(
        False, description="Mask customers' personal data in every output; state/ is deleted."
    )
    fulfilment: Path | None = Field(
        None, description="A CSV of promised jobs done (customer_id, kind, fulfilled_at)."
    )
    threads_per_worker: int | None = Field(
        1,
        ge=1,
        description="The encoder's threads in each Ray worker; None keeps the shipped "
        "encoder's setting.",
    )
    shard_bytes: int | None = Field(
        None, ge=1, description="Target shard size when Ray cuts JSONL files; default 4 MiB."
    )

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise _usage_error(exc) from None

    @field_validator("formats", mode="before")
    @classmethod
    def _formats(cls, value: Any) -> tuple[str, ...]:
        from consistency.report.writers import check_formats

        try:
            return check_formats(value)
        except ValueError as exc:
            raise AuditUsageError(str(exc), code="bad-option") from None

    @field_validator("engine", mode="before")
    @classmethod
    def _engine(cls, value: Any) -> Any:
        if value not in ENGINES:
            raise AuditUsageError(
                f"unknown engine {value!r}; known: {', '.join(ENGINES)}", code="bad-option"
            )
        return value

    @field_validator("since", "until", mode="before")
    @classmethod
    def _days(cls, value: Any, info: Any) -> dt.date | None:
        return _day(value, info.field_name)

    @model_validator(mode="after")
    def _together(self) -> AuditConfig:
        if self.engine != "ray" and (self.workers is not None or self.ray_address is not None):
            raise AuditUsageError(
                "--workers and --ray-address apply to the Ray engine: add --engine ray",
                code="bad-option",
            )
        if self.engine == "ray" and self.resume:
            raise AuditUsageError(
                "the ray engine does not resume; Ray retries failed work, run it again afresh",
                code="bad-option",
            )
        if self.since and self.until and self.since > self.until:
            raise AuditUsageError(
                f"since ({self.since}) is after until ({self.until})", code="bad-period"
            )
        if self.fulfilment is not None and not self.fulfilment.is_file():
            raise AuditUsageError(
                f"fulfilment file not found: {self.fulfilment}", code="bad-option"
            )
        if self.calendar is not None and self.options.calendar is not self.calendar:
            import dataclasses

            object.__setattr__(
                self, "options", dataclasses.replace(self.options, calendar=self.calendar)
            )
        return self

    def but(self, **changes: Any) -> AuditConfig:
        """This config with ``changes``, validated again."""
        return AuditConfig(**{**dict(self), **changes})


def _usage_error(exc: ValidationError) -> Exception:
    """The first problem as the audit's own error: the validator's, or one naming the field."""
    first = exc.errors()[0]
    cause = (first.get("ctx") or {}).get("error")
    if isinstance(cause, AuditUsageError):
        return cause
    where = ".".join(str(p) for p in first.get("loc", ())) or "config"
    if first.get("type") == "extra_forbidden":
        return AuditUsageError(f"unknown audit setting {where!r}", code="bad-option")
    return AuditUsageError(f"{where}: {first.get('msg')}", code="bad-option")
