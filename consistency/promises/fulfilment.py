"""Read a fulfilment file: which promised jobs were done, and when.

A CSV with a header and one job a row::

    customer_id,kind,fulfilled_at
    c-7001,callback,2026-03-31T15:10:00Z
    c-7002,refund,                       <- still not done when the file was exported

``kind`` is a promise kind (:data:`~consistency.promises.models.PROMISE_KINDS`);
``fulfilled_at`` an ISO 8601 time (a naive one is UTC), or empty for a job
that was never done. An optional ``transcript_id`` column ties a row to the
conversation the promise was made in. A bad row is reported as an
:class:`~consistency.ingest.IngestError` (file, line, field, why) and
skipped; the other rows are read, as the transcript readers do.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

from consistency.ingest.models import IngestError, parse_timestamp
from consistency.ingest.readers import ErrorSink
from consistency.ingest.sinks import reporter
from consistency.promises.models import PROMISE_KINDS, Fulfilment

__all__ = ["FULFILMENT_COLUMNS", "FulfilmentLog", "load_fulfilment_log", "read_fulfilment"]

#: The columns a fulfilment file must have; ``transcript_id`` may be added.
FULFILMENT_COLUMNS: tuple[str, ...] = ("customer_id", "kind", "fulfilled_at")


def _raise(error: IngestError) -> None:
    raise ValueError(str(error))


def _reporter(errors: ErrorSink) -> Callable[[IngestError], None]:
    return reporter(errors, _raise)


def read_fulfilment(
    path: str | os.PathLike[str], *, errors: ErrorSink = None
) -> Iterator[Fulfilment]:
    """The good rows of a fulfilment CSV, in file order.

    Args:
        path: the CSV file (UTF-8, a byte-order mark is fine).
        errors: where bad rows go: a list to append
            :class:`~consistency.ingest.IngestError` records to, or a callback.
            ``None`` raises :class:`ValueError` at the first bad row.

    Example:
        >>> import tempfile, pathlib
        >>> f = pathlib.Path(tempfile.mkdtemp()) / "done.csv"
        >>> _ = f.write_text("customer_id,kind,fulfilled_at\\nc-1,refund,2026-04-01T10:00:00Z\\n")
        >>> [(r.customer_id, r.kind, r.fulfilled_at.isoformat()) for r in read_fulfilment(f)]
        [('c-1', 'refund', '2026-04-01T10:00:00+00:00')]
    """
    path = Path(path)
    file = str(path)
    report = _reporter(errors)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        report(IngestError(file=file, line=None, reason=f"cannot read: {exc}", type="unreadable"))
        return
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        report(IngestError(file=file, line=None, reason=f"not UTF-8: {exc}", type="unreadable"))
        return
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    fields = [f.strip() for f in header]
    missing = [c for c in FULFILMENT_COLUMNS if c not in fields]
    if missing:
        report(
            IngestError(
                file=file,
                line=1,
                reason=f"header lacks column(s) {', '.join(missing)}; expected "
                f"{', '.join(FULFILMENT_COLUMNS)} (and optionally transcript_id)",
                type="missing-field",
            )
        )
        return
    start = reader.line_num + 1
    for cells in reader:
        line, start = start, reader.line_num + 1  # a quoted cell may span lines
        if len(cells) > len(fields):
            report(
                IngestError(
                    file=file,
                    line=line,
                    reason=f"{len(cells)} cells for {len(fields)} columns",
                    type="bad-csv",
                )
            )
            continue
        row = dict(zip(fields, cells, strict=False))
        values = {k: v.strip() for k, v in row.items()}
        if not any(values.values()):
            continue  # a blank line
        customer = values.get("customer_id", "")
        if not customer:
            report(
                IngestError(
                    file=file,
                    line=line,
                    reason="empty customer_id",
                    type="missing-field",
                    loc=("customer_id",),
                )
            )
            continue
        kind = values.get("kind", "").lower()
        if kind not in PROMISE_KINDS:
            report(
                IngestError(
                    file=file,
                    line=line,
                    reason=f"kind must be one of {', '.join(PROMISE_KINDS)}, "
                    f"got {values.get('kind', '')[:50]!r}",
                    type="bad-value",
                    record_id=customer,
                    loc=("kind",),
                )
            )
            continue
        stamp = values.get("fulfilled_at", "")
        when = None
        if stamp:
            try:
                when = parse_timestamp(stamp)
            except ValueError as exc:
                report(
                    IngestError(
                        file=file,
                        line=line,
                        reason=str(exc),
                        type="bad-timestamp",
                        record_id=customer,
                        loc=("fulfilled_at",),
                    )
                )
                continue
        yield Fulfilment(
            customer_id=customer,
            kind=kind,  # type: ignore[arg-type]
            fulfilled_at=when,
            transcript_id=values.get("transcript_id") or None,
            file=file,
            line=line,
        )


class FulfilmentLog:
    """A fulfilment file's good rows by customer, its latest entry and its bad rows.

    The audit loads one per run (:func:`load_fulfilment_log`) and hands each
    customer's rows to its broken-promise stage; ``as_of`` (the file's latest
    ``fulfilled_at``) is when a job still not done counts as never done; the
    bad rows go to ``errors.jsonl`` after the transcripts' own.
    """

    def __init__(
        self,
        rows: dict[str, tuple[Fulfilment, ...]] | None = None,
        as_of: dt.datetime | None = None,
        errors: list[IngestError] | None = None,
    ) -> None:
        self.rows = rows or {}
        self.as_of = as_of
        self.errors = errors or []


def load_fulfilment_log(path: str | os.PathLike[str] | None) -> FulfilmentLog:
    """:func:`read_fulfilment`'s rows grouped by customer, bad rows kept; ``None``: empty."""
    if path is None:
        return FulfilmentLog()
    errors: list[IngestError] = []
    rows: dict[str, list[Fulfilment]] = defaultdict(list)
    for row in read_fulfilment(path, errors=errors):
        rows[row.customer_id].append(row)
    stamps = [r.fulfilled_at for group in rows.values() for r in group if r.fulfilled_at]
    return FulfilmentLog(
        {k: tuple(v) for k, v in rows.items()}, max(stamps) if stamps else None, errors
    )
