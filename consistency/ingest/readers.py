"""Streaming transcript readers: JSON Lines, CSV and Amazon Connect Contact Lens.

Every reader is a generator that yields one :class:`Transcript` at a time and
reports each malformed line or record as an :class:`IngestError` (file, line,
reason) before going on, so one bad line never costs a night's audit. Memory
stays flat in the input size: JSONL is read a line at a time, CSV a conversation
at a time, Contact Lens a file (one contact) at a time. ``.gz`` files are
decompressed on the fly.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import logging
import os
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, Literal

from pydantic import ValidationError

from consistency.ingest.models import (
    IngestError,
    IngestErrorType,
    Transcript,
    Turn,
    parse_timestamp,
)
from consistency.ingest.sinks import reporter

__all__ = [
    "CSV_COLUMNS",
    "ErrorSink",
    "TranscriptFormat",
    "UnsupportedFormatError",
    "detect_format",
    "parse_jsonl_lines",
    "read_contact_lens",
    "read_csv",
    "read_jsonl",
    "read_transcripts",
    "write_jsonl",
]

logger = logging.getLogger("consistency.ingest")
logger.addHandler(logging.NullHandler())

TranscriptFormat = Literal["jsonl", "csv", "contact_lens"]
#: Where a reader reports skipped records: a list to append to, a callback, or
#: ``None`` to log each one as a warning on the ``consistency.ingest`` logger.
ErrorSink = list[IngestError] | Callable[[IngestError], Any] | None

#: The CSV header, one turn a row. ``channel``, ``agent_id`` and ``customer_id`` may be absent.
CSV_COLUMNS: tuple[str, ...] = (
    "conversation_id",
    "started_at",
    "channel",
    "agent_id",
    "customer_id",
    "speaker",
    "text",
)
_CSV_REQUIRED = ("conversation_id", "started_at", "speaker", "text")

_SUFFIXES: dict[str, TranscriptFormat] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".json": "contact_lens",
}


class UnsupportedFormatError(ValueError):
    """A path whose format cannot be told from its name (a usage error, not bad data)."""


def _reporter(errors: ErrorSink) -> Callable[[IngestError], None]:
    return reporter(errors, lambda err: logger.warning("%s", err))


def detect_format(path: str | os.PathLike[str]) -> TranscriptFormat:
    """The format named by a path's extension, ignoring a trailing ``.gz``.

    Raises:
        UnsupportedFormatError: the extension is none of ``.jsonl``, ``.ndjson``,
            ``.csv``, ``.json`` (each optionally followed by ``.gz``).
    """
    name = Path(path).name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    suffix = Path(name).suffix
    try:
        return _SUFFIXES[suffix]
    except KeyError:
        known = ", ".join(f"{s}[.gz]" for s in _SUFFIXES)
        raise UnsupportedFormatError(
            f"cannot tell the transcript format of {str(path)!r}; known extensions: {known}"
        ) from None


def _open_binary(path: Path) -> IO[bytes]:
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")
    return path.open("rb")


_READ_FAILURES = (OSError, EOFError, zlib.error, UnicodeDecodeError)


# --------------------------------------------------------------------------- JSONL


def _validation_error(
    exc: ValidationError, *, file: str, line: int | None, record_id: str | None
) -> IngestError:
    """Turn pydantic's first error into our record, keeping its field path."""
    first = exc.errors(include_url=False)[0]
    loc = tuple(first["loc"])
    err_type: IngestErrorType
    if first["type"] == "missing":
        err_type = "missing-field"
    elif loc and loc[-1] == "speaker":
        err_type = "bad-speaker"
    elif loc and loc[0] == "started_at":
        err_type = "bad-timestamp"
    else:
        err_type = "bad-value"
    msg = first["msg"]
    if first["type"] != "missing" and "input" in first:
        shown = repr(first["input"])
        msg += f" (got {shown[:50]}{'…' if len(shown) > 50 else ''})"
    more = exc.error_count() - 1
    if more:
        msg += f" (and {more} more error{'s' if more > 1 else ''})"
    return IngestError(
        file=file, line=line, reason=msg, type=err_type, record_id=record_id, loc=loc
    )


def _parse_record(raw: str | bytes, *, file: str, line: int) -> Transcript | IngestError | None:
    """One JSONL line to a transcript, an error, or ``None`` for a blank line."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            return IngestError(
                file=file, line=line, reason=f"not UTF-8: {exc.reason}", type="unreadable"
            )
    text = raw.lstrip("\ufeff").strip()
    if not text:
        return None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)[:80]
        return IngestError(file=file, line=line, reason=f"invalid JSON: {reason}", type="bad-json")
    if not isinstance(data, dict):
        return IngestError(
            file=file,
            line=line,
            reason=f"expected a JSON object, got {type(data).__name__}",
            type="bad-record",
        )
    record_id = data.get("id") if isinstance(data.get("id"), str) else None
    try:
        return Transcript.model_validate(data)
    except ValidationError as exc:
        return _validation_error(exc, file=file, line=line, record_id=record_id)
    except (ValueError, TypeError, RecursionError) as exc:  # pragma: no cover - defensive
        return IngestError(file=file, line=line, reason=str(exc)[:80], record_id=record_id)


def parse_jsonl_lines(
    lines: Iterable[str | bytes], *, file: str = "<lines>", errors: ErrorSink = None
) -> Iterator[Transcript]:
    """Parse JSON Lines already in memory or from any iterable (a socket, a pipe).

    Blank lines are skipped silently; each other line that is not a valid
    transcript is reported with its 1-based line number and skipped.

    Example:
        >>> errs = []
        >>> line = '{"id": "c1", "started_at": "2026-03-02T09:00:00Z", "turns": []}'
        >>> [t.id for t in parse_jsonl_lines([line, "{oops"], errors=errs)]
        ['c1']
        >>> print(errs[0])
        <lines>:2 invalid JSON: Expecting property name enclosed in double quotes [type=bad-json]
    """
    report = _reporter(errors)
    for number, raw in enumerate(lines, start=1):
        result = _parse_record(raw, file=file, line=number)
        if isinstance(result, IngestError):
            report(result)
        elif result is not None:
            yield result


def read_jsonl(path: str | os.PathLike[str], *, errors: ErrorSink = None) -> Iterator[Transcript]:
    """Read a ``.jsonl`` (or ``.jsonl.gz``) file of transcripts, one a line.

    A line that is not UTF-8 is reported and skipped; a file that cannot be
    opened or a truncated ``.gz`` is reported once (``type="unreadable"``) and
    the transcripts read before the fault stay yielded.
    """
    path = Path(path)
    report = _reporter(errors)
    number = 0
    try:
        with _open_binary(path) as handle:
            for number, raw in enumerate(handle, start=1):
                result = _parse_record(raw, file=str(path), line=number)
                if isinstance(result, IngestError):
                    report(result)
                elif result is not None:
                    yield result
    except _READ_FAILURES as exc:
        report(
            IngestError(
                file=str(path),
                line=number + 1 if number else None,
                reason=f"cannot read: {exc}",
                type="unreadable",
            )
        )


def write_jsonl(transcripts: Iterable[Transcript], path: str | os.PathLike[str]) -> int:
    """Write transcripts as JSON Lines (gzip when the name ends in ``.gz``); returns the count.

    The output reads back with :func:`read_jsonl` to equal transcripts.
    """
    path = Path(path)
    count = 0
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "wt", encoding="utf-8", newline="\n") as handle:  # type: ignore[operator]
        for transcript in transcripts:
            handle.write(transcript.to_json_line())
            handle.write("\n")
            count += 1
    return count


# --------------------------------------------------------------------------- CSV


def read_csv(path: str | os.PathLike[str], *, errors: ErrorSink = None) -> Iterator[Transcript]:
    """Read a CSV with one turn a row (see :data:`CSV_COLUMNS`), optionally ``.gz``.

    A conversation's rows must be contiguous; ``started_at``, ``channel``,
    ``agent_id`` and ``customer_id`` are taken from its first good row. A bad
    row (unknown speaker, bad timestamp, missing value) is reported with the
    line it starts on and skipped; the conversation keeps its other turns. Rows
    of a conversation seen earlier in the file are reported (``not-contiguous``)
    and skipped rather than held back, so memory does not grow with the file
    (only the set of finished ids is kept). Speaker names are matched
    case-insensitively, as spreadsheets capitalise them.
    """
    path = Path(path)
    file = str(path)
    report = _reporter(errors)
    done: set[str] = set()
    current: str | None = None
    header: dict[str, Any] = {}
    turns: list[Turn] = []

    def finish() -> Transcript | None:
        if current is None or not header:
            return None
        return Transcript(id=current, turns=tuple(turns), **header)

    try:
        with _open_binary(path) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            reader = csv.DictReader(text)
            fields = [f.strip() for f in reader.fieldnames or ()]
            missing = [c for c in _CSV_REQUIRED if c not in fields]
            if missing:
                report(
                    IngestError(
                        file=file,
                        line=1,
                        reason=f"header lacks column(s) {', '.join(missing)}; "
                        f"expected {', '.join(CSV_COLUMNS)}",
                        type="missing-field",
                    )
                )
                return
            reader.fieldnames = fields
            start = reader.line_num + 1
            for row in reader:
                line, start = start, reader.line_num + 1
                conv = (row.get("conversation_id") or "").strip()
                if not conv:
                    report(
                        IngestError(
                            file=file,
                            line=line,
                            reason="empty conversation_id",
                            type="missing-field",
                            loc=("conversation_id",),
                        )
                    )
                    continue
                if conv != current:
                    finished = finish()
                    if finished is not None:
                        yield finished
                    if current is not None:
                        done.add(current)
                    current, header, turns = conv, {}, []
                    if conv in done:
                        current = None
                if current is None:
                    report(
                        IngestError(
                            file=file,
                            line=line,
                            reason="rows of this conversation are not contiguous; row skipped",
                            type="not-contiguous",
                            record_id=conv,
                        )
                    )
                    continue
                error = _csv_row(row, header, turns, file=file, line=line, conv=conv)
                if error is not None:
                    report(error)
            finished = finish()
            if finished is not None:
                yield finished
    except csv.Error as exc:
        report(IngestError(file=file, line=None, reason=f"bad CSV: {exc}", type="bad-csv"))
    except _READ_FAILURES as exc:
        report(IngestError(file=file, line=None, reason=f"cannot read: {exc}", type="unreadable"))


def _csv_row(
    row: dict[str, Any],
    header: dict[str, Any],
    turns: list[Turn],
    *,
    file: str,
    line: int,
    conv: str,
) -> IngestError | None:
    """Validate one row; on success add its turn (and the header from a first row)."""

    def err(reason: str, err_type: IngestErrorType, field: str) -> IngestError:
        return IngestError(
            file=file, line=line, reason=reason, type=err_type, record_id=conv, loc=(field,)
        )

    if None in row:  # more cells than header columns
        return err("more cells than header columns", "bad-csv", "text")
    speaker = (row.get("speaker") or "").strip().lower()
    if speaker not in ("customer", "agent"):
        shown = (row.get("speaker") or "")[:50]
        return err(
            f"speaker must be 'customer' or 'agent', got {shown!r}", "bad-speaker", "speaker"
        )
    text = row.get("text")
    if text is None:
        return err("missing text", "missing-field", "text")
    try:
        turn = Turn(speaker=speaker, text=text)  # type: ignore[arg-type]
    except ValidationError as exc:  # text UTF-8 cannot encode
        return err(exc.errors(include_url=False)[0]["msg"], "bad-value", "text")
    if not header:
        try:
            started = parse_timestamp((row.get("started_at") or "").strip())
        except ValueError as exc:
            return err(str(exc), "bad-timestamp", "started_at")
        header.update(
            started_at=started,
            channel=(row.get("channel") or "").strip() or None,
            agent_id=(row.get("agent_id") or "").strip() or None,
            customer_id=(row.get("customer_id") or "").strip() or None,
        )
    turns.append(turn)
    return None


# --------------------------------------------------------------------------- Contact Lens

_CL_TIME = re.compile(
    r"_analysis_(?:redacted_)?(\d{4}-\d{2}-\d{2}T\d{2}[:_-]?\d{2}[:_-]?\d{2}(?:\.\d+)?Z)",
    re.IGNORECASE,
)
_CL_IGNORED_ROLES = frozenset({"SYSTEM", "CUSTOM_BOT", "SUPERVISOR"})


def _contact_lens_time(name: str) -> str | None:
    """The start time Connect writes into analysis file names (``<id>_analysis_<time>.json``)."""
    found = _CL_TIME.search(name)
    if not found:
        return None
    stamp = found.group(1)
    date, _, clock = stamp.partition("T")
    digits = re.sub(r"\D", "", clock[:-1].split(".")[0])
    return f"{date}T{digits[0:2]}:{digits[2:4]}:{digits[4:6]}Z"


def read_contact_lens(
    path: str | os.PathLike[str], *, errors: ErrorSink = None
) -> Iterator[Transcript]:
    """Read one Amazon Connect Contact Lens analysis file (``.json`` or ``.json.gz``).

    The conversation id is ``CustomerMetadata.ContactId``; turns come from the
    ``Transcript`` list, ordered by ``BeginOffsetMillis``, with ``ParticipantId``
    (or ``ParticipantRole``, as chat analyses use participant UUIDs) ``AGENT`` or
    ``CUSTOMER``; ``SYSTEM`` and bot turns are left out. The file carries no start
    time, so it is taken from the name Connect gives it
    (``<ContactId>_analysis_<ISO time>.json``) or, for chat, the first turn's
    ``AbsoluteTime``; without either the file is reported and skipped. Agent and
    customer ids are not in the file and stay ``None``. A malformed turn is
    reported (``line`` is ``None``; ``loc`` names the turn) and skipped.
    """
    path = Path(path)
    file = str(path)
    report = _reporter(errors)
    try:
        with _open_binary(path) as handle:
            data = json.loads(handle.read().decode("utf-8-sig"))
    except json.JSONDecodeError as exc:
        report(
            IngestError(
                file=file, line=exc.lineno, reason=f"invalid JSON: {exc.msg}", type="bad-json"
            )
        )
        return
    except (*_READ_FAILURES, RecursionError, ValueError) as exc:
        report(IngestError(file=file, line=None, reason=f"cannot read: {exc}", type="unreadable"))
        return
    transcript = _contact_lens(data, name=path.name, file=file, report=report)
    if transcript is not None:
        yield transcript


def _contact_lens(
    data: Any, *, name: str, file: str, report: Callable[[IngestError], None]
) -> Transcript | None:
    def err(reason: str, err_type: IngestErrorType, loc: tuple[str | int, ...], rid: str | None):
        report(
            IngestError(file=file, line=None, reason=reason, type=err_type, loc=loc, record_id=rid)
        )

    if not isinstance(data, dict) or not isinstance(data.get("Transcript"), list):
        err(
            "not a Contact Lens analysis: no `Transcript` list", "bad-record", ("Transcript",), None
        )
        return None
    meta = data.get("CustomerMetadata")
    contact_id = meta.get("ContactId") if isinstance(meta, dict) else None
    if not isinstance(contact_id, str) or not contact_id.strip():
        err(
            "missing CustomerMetadata.ContactId",
            "missing-field",
            ("CustomerMetadata", "ContactId"),
            None,
        )
        return None
    roles: dict[str, str] = {}
    for participant in data.get("Participants") or ():
        if isinstance(participant, dict) and isinstance(participant.get("ParticipantId"), str):
            roles[participant["ParticipantId"]] = str(participant.get("ParticipantRole", ""))
    items: list[tuple[int, int, Turn]] = []
    first_absolute: str | None = None
    for index, item in enumerate(data["Transcript"]):
        loc: tuple[str | int, ...] = ("Transcript", index)
        if not isinstance(item, dict):
            err("turn is not an object", "bad-record", loc, contact_id)
            continue
        pid = item.get("ParticipantId")
        role = str(item.get("ParticipantRole") or roles.get(str(pid), "") or pid or "").upper()
        if role in _CL_IGNORED_ROLES:
            continue
        if role not in ("AGENT", "CUSTOMER"):
            err(
                f"ParticipantId must be AGENT or CUSTOMER, got {str(pid)[:50]!r}",
                "bad-speaker",
                (*loc, "ParticipantId"),
                contact_id,
            )
            continue
        content = item.get("Content")
        if not isinstance(content, str):
            err("missing Content", "missing-field", (*loc, "Content"), contact_id)
            continue
        offset = item.get("BeginOffsetMillis", 0)
        if not isinstance(offset, int) or isinstance(offset, bool):
            err(
                f"BeginOffsetMillis must be an integer, got {offset!r:.50}",
                "bad-value",
                (*loc, "BeginOffsetMillis"),
                contact_id,
            )
            continue
        if first_absolute is None and isinstance(item.get("AbsoluteTime"), str):
            first_absolute = item["AbsoluteTime"]
        try:
            turn = Turn(speaker=role.lower(), text=content)  # type: ignore[arg-type]
        except ValidationError as exc:  # text UTF-8 cannot encode
            msg = exc.errors(include_url=False)[0]["msg"]
            err(msg, "bad-value", (*loc, "Content"), contact_id)
            continue
        items.append((offset, index, turn))
    items.sort(key=lambda t: (t[0], t[1]))
    started = _contact_lens_time(name) or first_absolute
    if started is None:
        err(
            "no start time: Contact Lens files carry none; name the file "
            "'<ContactId>_analysis_<ISO time>.json' as Connect does",
            "missing-field",
            ("started_at",),
            contact_id,
        )
        return None
    channel = data.get("Channel")
    try:
        return Transcript(
            id=contact_id.strip(),
            started_at=started,
            channel=channel.lower() if isinstance(channel, str) and channel else None,
            turns=tuple(turn for _, _, turn in items),
        )
    except ValidationError as exc:
        report(_validation_error(exc, file=file, line=None, record_id=contact_id))
        return None


# --------------------------------------------------------------------------- dispatch

_READERS: dict[TranscriptFormat, Callable[..., Iterator[Transcript]]] = {
    "jsonl": read_jsonl,
    "csv": read_csv,
    "contact_lens": read_contact_lens,
}


def _expand(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    for item in paths:
        path = Path(item)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                try:
                    fmt = detect_format(child)
                except UnsupportedFormatError:
                    continue
                if fmt == "contact_lens" and "_analysis_" not in child.name:
                    continue  # some other JSON (a config, a report), not a Connect analysis
                yield child
        else:
            yield path


def read_transcripts(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    errors: ErrorSink = None,
    format: TranscriptFormat | None = None,
) -> Iterator[Transcript]:
    """Stream transcripts from files or directories, whatever their format.

    Args:
        paths: one path or several; a directory is searched recursively, in
            sorted order, for files with a known extension (others are ignored;
            so is a ``.json`` file not named like a Contact Lens analysis,
            ``<ContactId>_analysis_<time>.json``, which a file named explicitly
            need not be).
        errors: where skipped records go: a list (appended to), a callable, or
            ``None`` to log each as a warning on the ``consistency.ingest`` logger.
        format: read every file as this format instead of going by extension.

    Raises:
        UnsupportedFormatError: a file named explicitly has an unknown extension
            and no ``format`` was given. Raised when that file is reached.

    Files are read in the order given, lazily: nothing is held beyond the
    conversation being built.
    """
    if format is not None and format not in _READERS:
        raise UnsupportedFormatError(
            f"unknown format {format!r}; known formats: {', '.join(_READERS)}"
        )
    for path in _expand(paths):
        fmt = format or detect_format(path)
        yield from _READERS[fmt](path, errors=errors)
